//! Codes of the input diagnostics (NB0xx) the grammar emits.
//!
//! Each code's doc comment is its full documentation (what it checks, why it
//! matters, an example from the fixtures, how to fix): `docs/rules.md` and
//! `nianbao rules CODE` are generated from it.

crate::diagnostic_codes! {
    /// ## What it checks
    ///
    /// 按识别出的编码（UTF-8、GB18030、UTF-16）解码输入时无法解码的字节，逐段报告位置和字节值。
    ///
    /// Bytes that cannot be decoded in the detected encoding (UTF-8, GB18030, UTF-16), reported run by run with their offset and values.
    ///
    /// ## Why it matters
    ///
    /// 无法解码处读作 U+FFFD（�），该处的文字和数字已丢失，检查结果可能不完整。
    ///
    /// Each undecodable run reads as U+FFFD (�): the text or figures there are lost, so the checks may miss things.
    ///
    /// ## Example
    ///
    /// 测试样例都能完整解码；典型情况是 UTF-8 文件里混入了别的编码的片段，如标题后多出的两个字节 `FF FE`。
    /// No fixture has it (all decode cleanly); typically a UTF-8 file holds a fragment in another encoding, such as two stray bytes `FF FE` after the title:
    ///
    /// ```text
    /// error[NB001]: 第 46 字节处有无法解码的字节 FF FE（按 UTF-8 读取）
    /// ```
    ///
    /// ## How to fix
    ///
    /// 从原件重新导出为 UTF-8（或完整的 GB18030）文件，不要把不同编码的文字拼在一个文件里。
    ///
    /// Export the report again from the original as UTF-8 (or whole GB18030); do not paste text in different encodings into one file.
    UNDECODABLE_BYTES = "NB001", "undecodable-bytes", Error,
        "输入含有无法按所识别编码解码的字节", "The input has bytes that cannot be decoded in the detected encoding";
    /// ## What it checks
    ///
    /// 输入为空（0 字节），或只有空格、换行等空白字符。
    ///
    /// The input is empty (0 bytes) or holds only whitespace such as spaces and line breaks.
    ///
    /// ## Why it matters
    ///
    /// 没有可检查的内容。常见原因：扫描版 PDF（只有图片）转换后没有文字，或选错了文件。
    ///
    /// There is nothing to check. Usual causes: a scanned PDF (images only) converted to no text, or the wrong file.
    ///
    /// ## Example
    ///
    /// 测试样例中没有空文件；对一个 0 字节的文件 / No fixture is empty; for a 0-byte file:
    ///
    /// ```text
    /// error[NB002]: 输入为空或只有空白
    ///  --> empty.md:1:1
    /// ```
    ///
    /// ## How to fix
    ///
    /// 确认转换结果里有文字；扫描版 PDF 需先做文字识别（OCR），或改用网页版、Word 版。
    ///
    /// Make sure the converted file has text; a scanned PDF needs OCR first, or use the web page or the Word version.
    EMPTY_INPUT = "NB002", "empty-input", Error,
        "输入为空或只有空白", "The input is empty or whitespace only";
    /// ## What it checks
    ///
    /// 输入中没有报告标题用语（“政府信息公开”“年度报告”“年报”“政务公开”），没有编号提纲（“一、”“（一）”“1.”），也没有表格。
    ///
    /// The input has no report title words (政府信息公开, 年度报告, 年报, 政务公开), no numbered outline (一、 （一） 1.) and no table.
    ///
    /// ## Why it matters
    ///
    /// 多半选错了文件（网页的错误页、别的公文），其余检查的结果没有意义。
    ///
    /// Most likely the wrong file (an error page, another document): the other findings would mean nothing.
    ///
    /// ## Example
    ///
    /// 测试样例都是年报；对一个配置文件运行 `nianbao check Cargo.toml` / Every fixture is a report; run on a configuration file:
    ///
    /// ```text
    /// error[NB003]: 输入不像政府信息公开工作年度报告：没有报告标题用语（政府信息公开、年度报告）、没有编号提纲、没有表格
    /// ```
    ///
    /// ## How to fix
    ///
    /// 确认选对了文件；如确是年报，检查转换是否丢失了标题和正文。
    ///
    /// Make sure it is the right file; if it is a report, check that the conversion kept its title and body.
    NOT_A_REPORT = "NB003", "not-a-report", Error,
        "输入看起来不是政府信息公开工作年度报告（无报告标题用语、无提纲、无表格）",
        "The input does not look like an annual report (no report title words, no outline, no table)";
    /// ## What it checks
    ///
    /// 纯文本导出中，表格单元格连在一起（表头“本年制发件数本年废止件数…”后直接跟着数字），分不清每格的数值。只报告位置，不作猜测。
    ///
    /// In a plain-text dump the table cells run together (digits straight after a header such as 本年制发件数本年废止件数…), so the cells cannot be told apart. The place is named; nothing is guessed.
    ///
    /// ## Why it matters
    ///
    /// 读不出统计表的数值，该表的算术核对和正文与表格的比对都无法进行，有错也查不出来。
    ///
    /// The table values cannot be read, so the table arithmetic and the narrative ↔ table checks cannot run: errors there go unseen.
    ///
    /// ## Example
    ///
    /// `pingtan-2023.page.txt` 第 10 行 / line 10：
    ///
    /// ```text
    /// …第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件77132470…
    /// ```
    ///
    /// `77132470` 是 77、132、470（见 `pingtan-2023.md`），但也可读作 7、71、32470 / is 77, 132, 470 but could as well be 7, 71, 32470.
    ///
    /// ## How to fix
    ///
    /// 改为检查表格完整的版本（发布的网页、Word 或 PDF 原件），不用纯文本导出。
    ///
    /// Check a version with the tables intact (the published web page, the Word or PDF original) instead of the plain-text dump.
    TABLES_UNREADABLE = "NB004", "tables-unreadable", Warning,
        "表格单元格连在一起，无法读出表格数值",
        "The table cells run together, so the table values cannot be read";
    /// ## What it checks
    ///
    /// 被分页断开的句子：上半句未以句末标点结束，下半句不以提纲编号开头，中间只有空行或页码行。两半按原样接合，不补字。
    ///
    /// A sentence broken by a page break: the first half does not end a sentence, the second does not open with an outline number, and only blank lines or a page-number line lie between. The halves are joined as they are; no character is invented.
    ///
    /// ## Why it matters
    ///
    /// 不接合，半句会被当成两段，文件名、数字被截断，提纲和正文的核对都会出错。
    ///
    /// Left apart, the halves read as two paragraphs that cut document titles and figures in two, and the outline and narrative checks go wrong.
    ///
    /// ## Example
    ///
    /// `zhongwei-2017.md` 第 14–18 行 / lines 14–18：
    ///
    /// ```text
    /// 14    │ …深入贯彻落实《自治区人民政府办公厅关于印发全面推进政
    /// 15–17 │ （空行 / blank lines）
    /// 18    │ 务公开若干重点工作实施方案的通知》(宁政办发〔2017〕74号)…
    /// ```
    ///
    /// 读作 / read as `…关于印发全面推进政务公开若干重点工作实施方案的通知》…`。
    ///
    /// ## How to fix
    ///
    /// 无需处理：报告按接合后的句子检查，结果正确。如需干净的文件，在源文件中删去句子中间的空行。
    ///
    /// Nothing to do: the report is checked as joined and reads correctly. For a clean file, delete the blank lines inside the sentence in the source.
    PAGE_BREAK_JOIN = "NB010", "page-break-join", Info,
        "修复：被分页断开的句子已接合", "Repair: a sentence split by a page break was joined";
    /// ## What it checks
    ///
    /// 下一页页首重复了上一页末行的文字（转换工具重复输出）：重复的一行被略去，句子接到它后面的段落。
    ///
    /// The top line of a page repeats the last line of the previous page (a converter artefact): the repeated line is skipped and the sentence continues on the paragraph after it.
    ///
    /// ## Why it matters
    ///
    /// 不略去，重复的文件名、文号和数字会被读两次，句子也被断开。
    ///
    /// Kept, the repeated document titles, numbers and figures would be read twice, and the sentence would stay broken.
    ///
    /// ## Example
    ///
    /// `zhongwei-2017.md` 第 33–39 行：第 37 行被略去，33 与 39 接合 / line 37 is skipped, 33 and 39 are joined:
    ///
    /// ```text
    /// 33 │ …对政务公开工作进行全面安排部署。坚持将政务公开工作纳入对各县（区）
    /// 37 │ 开基本目录的通知》（卫政办发〔2017〕161号）等规范性文件，…纳入对各县（区）
    /// 39 │ 人民政府和中卫市政府各部门（单位）行政效能目标管理考核的重要内容。…
    /// ```
    ///
    /// ## How to fix
    ///
    /// 无需处理：报告读出的文字正确。如需干净的文件，在源文件中删去重复的那一行。
    ///
    /// Nothing to do: the report reads correctly. For a clean file, delete the repeated line in the source.
    PAGE_TOP_REPEAT = "NB011", "page-top-repeat", Info,
        "修复：页首重复上一页末行的文字已略去", "Repair: a page-top line repeating the previous page's last line was skipped";
    /// ## What it checks
    ///
    /// 跨页时单独成段的一个字，与上半句的末字相同：重复的字被略去，句子随后接合（NB010）。
    ///
    /// A single character standing alone across a page break, the same as the last character of the half sentence before: the repeat is skipped and the sentence is then joined (NB010).
    ///
    /// ## Why it matters
    ///
    /// 不处理，会读成“编编制”，或把一个字当成一段。
    ///
    /// Otherwise the text would read 编编制, or the lone character would count as a paragraph.
    ///
    /// ## Example
    ///
    /// `zhongwei-2017.md` 第 128–136 行，读作 / read as `…目录清单。编制并公布涉企收费…`：
    ///
    /// ```text
    /// 128 │ …二是在政府网站集中展示行政事业性收费和政府性基金目录清单。编
    /// 132 │ 编
    /// 136 │ 制并公布涉企收费、政府性基金目录清单，实行动态管理…
    /// ```
    ///
    /// ## How to fix
    ///
    /// 无需处理：报告读出的文字正确。如需干净的文件，在源文件中删去单独的“编”和句子中间的空行。
    ///
    /// Nothing to do: the report reads correctly. For a clean file, delete the lone 编 and the blank lines inside the sentence in the source.
    REPEATED_CHARACTER = "NB012", "repeated-character", Info,
        "修复：跨页重复的单个字符已略去", "Repair: a single character repeated across a page break was skipped";
    /// ## What it checks
    ///
    /// 一张表格插在句子中间（转换时表格落在两半句之间）：表格照常读取，表格前后的文字接合为一个段落。
    ///
    /// A table sits in the middle of a sentence (the converter placed it between the two halves): the table is read as usual and the text before and after it is joined into one paragraph.
    ///
    /// ## Why it matters
    ///
    /// 不接合，段落被表格截成两半，句子和其中的数字都不完整。
    ///
    /// Otherwise the table cuts the paragraph in two, and neither half is a whole sentence with its figures.
    ///
    /// ## Example
    ///
    /// `zhongwei-2017.md` 第 45–65 行 / lines 45–65：
    ///
    /// ```text
    /// 45    │ (三)开展政策解读和回应关切情况。…对涉及面广、社会关注度高或
    /// 47–63 │ | 中卫市人民政府办公室文件 | …（政策解读文件列表 / list of interpreted documents）
    /// 65    │ 专业性较强的重要政策性文件，进一步明确解读范围、解读主体…
    /// ```
    ///
    /// ## How to fix
    ///
    /// 无需处理：报告读出的文字正确。如需干净的文件，在源文件中把表格移到该句之后（或附件中）。
    ///
    /// Nothing to do: the report reads correctly. For a clean file, move the table after the sentence (or into an attachment) in the source.
    TABLE_INSIDE_SENTENCE = "NB013", "table-inside-sentence", Info,
        "修复：插在句子中间的表格之后，段落接续", "Repair: the paragraph continues after a table inserted mid-sentence";
    /// ## What it checks
    ///
    /// 跨页拆分的表格：两部分之间只有空行或页码行，续表有分页的迹象（表头为空、以空单元格开头等）。续表并入上一部分，成为一个表格。
    ///
    /// A table split across pages: only blank lines or page-number lines between the parts, and the continuation shows the page break (an empty header row, leading empty cells…). It is merged into the part before it.
    ///
    /// ## Why it matters
    ///
    /// 统计表的合计与分项常落在不同页；不合并，跨页的算术关系（如收到申请数 = 各渠道之和）无法核对。
    ///
    /// Totals and their parts often fall on different pages; unmerged, relations across the break (applications received = sum of channels) cannot be checked.
    ///
    /// ## Example
    ///
    /// `zhongwei-2017.md` 的统计表分在三页（第 356、381 行续表）/ the 统计表 spans three pages (continued at lines 356 and 381)：
    ///
    /// ```text
    /// 352     │ | 其中：主要负责同志参加新闻发布会次数 | 次 | 23 |
    /// 353–355 │ （空行 / blank lines）
    /// 356     │ |                       |   |     |
    /// 358     │ | 2. 政府网站在线访谈次数         | 次 | 7   |
    /// ```
    ///
    /// ## How to fix
    ///
    /// 无需处理：报告按一个表格核对。如需干净的文件，在源文件中删去续表的空表头和表格间的空行。
    ///
    /// Nothing to do: the report checks it as one table. For a clean file, delete the continuation's empty header and the blank lines between the parts in the source.
    TABLE_CONTINUATION = "NB014", "table-continuation", Info,
        "修复：跨页拆分的表格已合并为一个表格", "Repair: a table split across pages was merged into one";
    /// ## What it checks
    ///
    /// 两页之间单独成行的页码（`- 1 -`、`— 2 —`、`第 3 页`）：不是报告正文，被略去；被它断开的句子随后接合（NB010）。
    ///
    /// A page number on a line of its own between two pages (`- 1 -`, `— 2 —`, `第 3 页`): not report text, so it is skipped; the sentence it breaks is then joined (NB010).
    ///
    /// ## Why it matters
    ///
    /// 不略去，页码会被读成正文里的一个数字，还会截断句子。
    ///
    /// Kept, the page number would read as a figure in the text and would cut the sentence in two.
    ///
    /// ## Example
    ///
    /// `huaian-2024.md` 第 27–31 行 / lines 27–31：
    ///
    /// ```text
    /// 27 │ 业用工和促进返乡人员就业创业专项活动”“建设‘四最’一流
    /// 29 │ - 1 -
    /// 31 │ 营商环境高质量推进产业发展”“加快建设长三角北部重要产业
    /// ```
    ///
    /// ## How to fix
    ///
    /// 无需处理：报告读出的文字正确。如需干净的文件，在源文件中删去页码行及其前后的空行。
    ///
    /// Nothing to do: the report reads correctly. For a clean file, delete the page-number lines and the blank lines around them in the source.
    PAGE_NUMBER_LINE = "NB015", "page-number-line", Info,
        "修复：页码行已略去", "Repair: a page-number line was skipped";
    /// ## What it checks
    ///
    /// PDF 按固定宽度换行：段落中除末行外每行显示宽度几乎相同（至少 40 列）。各行接合为一段，中文之间不加空格；每段记录一次。
    ///
    /// Lines hard-wrapped at the PDF's fixed width: every line of the paragraph but the last has (nearly) the same display width, at least 40 columns. The lines are joined into one paragraph, with no space between Chinese characters; recorded once per paragraph.
    ///
    /// ## Why it matters
    ///
    /// 换行常落在词语和文件名中间（“政府” / “信息公开条例”），不接合就找不到完整的《中华人民共和国政府信息公开条例》等名称。
    ///
    /// The wraps fall inside words and titles (政府 / 信息公开条例): unjoined, names such as 《中华人民共和国政府信息公开条例》 could not be found.
    ///
    /// ## Example
    ///
    /// `huaian-2024.md` 第 7–9 行 / lines 7–9：
    ///
    /// ```text
    /// 7 │ 本报告由淮安市人民政府办公室根据《中华人民共和国政府
    /// 8 │ 信息公开条例》（国令第 711 号）（以下简称《条例》）规定编
    /// 9 │ 制。报告所列统计期限自 2024 年 1 月 1 日至 2024 年 12 月 31 日。
    /// ```
    ///
    /// ## How to fix
    ///
    /// 无需处理：报告读出的文字正确。如需干净的文件，转换时选择“保留段落、不保留换行”，或在源文件中删去段内换行。
    ///
    /// Nothing to do: the report reads correctly. For a clean file, convert with paragraphs rather than lines kept, or delete the line breaks inside paragraphs in the source.
    HARD_WRAP = "NB016", "hard-wrap", Info,
        "修复：PDF 固定宽度换行已接合", "Repair: fixed-width PDF line wraps were joined";
    /// ## What it checks
    ///
    /// Markdown 的硬换行（行尾两个空格）出现在段落中间、词语当中：换行被接合，不当作分行。
    ///
    /// A Markdown hard line break (two trailing spaces) in the middle of a paragraph, inside a word: the break is joined, not kept as a new line.
    ///
    /// ## Why it matters
    ///
    /// 不接合，单位名称等会被断开（“科技有” / “限公司”），无法与其他地方的同一名称比对。
    ///
    /// Otherwise names are broken (科技有 / 限公司) and no longer match the same name elsewhere.
    ///
    /// ## Example
    ///
    /// `zhongwei-2017.md` 第 214–215 行，行尾各有两个空格（下以 `␠␠` 表示）/ each line ends with two spaces (shown as `␠␠`):
    ///
    /// ```text
    /// 214 │ 级财政专项扶贫资金使用计划进行公开，对宁夏中乾农业科技有␠␠
    /// 215 │ 限公司、宁夏万齐农业发展集团有限公司、中卫市和旺畜牧业有␠␠
    /// ```
    ///
    /// ## How to fix
    ///
    /// 无需处理：报告读出的文字正确。如需干净的文件，在源文件中删去行尾空格并合并这些行。
    ///
    /// Nothing to do: the report reads correctly. For a clean file, delete the trailing spaces and join the lines in the source.
    HARD_LINE_BREAK = "NB017", "hard-line-break", Info,
        "修复：段落内的硬换行已接合", "Repair: a hard line break inside a paragraph was joined";
    /// ## What it checks
    ///
    /// 网页转换留下的 HTML 实体（`&nbsp;`、`&lt;` 等）按其代表的字符读取；电子邮箱地址中的全角 `＠` 按 `@` 读取。
    ///
    /// HTML entities left by web converters (`&nbsp;`, `&lt;`…) are read as the characters they stand for; a full-width `＠` in an e-mail address is read as `@`.
    ///
    /// ## Why it matters
    ///
    /// 不处理，`&nbsp;` 会作为文字出现在正文里；带全角 `＠` 的邮箱不是有效地址，联系方式的核对会失败。
    ///
    /// Otherwise `&nbsp;` shows up as text, and an address with a full-width `＠` is not a valid e-mail address, so the contact checks fail.
    ///
    /// ## Example
    ///
    /// `pingtan-2018.md` 第 7 行：`&nbsp;` 读作空格，`＠` 读作 `@` / line 7: `&nbsp;` reads as a space, `＠` as `@`:
    ///
    /// ```text
    /// …管委会大楼主楼14层；邮 &nbsp;编：350400；电 &nbsp;话：0591-23165255；…电子邮箱：pzxxgkb＠163.com。
    /// ```
    ///
    /// ## How to fix
    ///
    /// 无需处理：报告读出的文字正确。如需干净的文件，在源文件中把 `&nbsp;` 换成空格或删去，邮箱用半角 `@`。
    ///
    /// Nothing to do: the report reads correctly. For a clean file, replace `&nbsp;` with a space (or delete it) and write e-mail addresses with a half-width `@` in the source.
    ENTITY_OR_FULLWIDTH = "NB018", "entity-or-fullwidth-symbol", Info,
        "修复：HTML 实体（如 &nbsp;）或全角符号（如 ＠）已按其含义读取",
        "Repair: an HTML entity (such as &nbsp;) or a full-width symbol (such as ＠) was read as what it means";
    /// ## What it checks
    ///
    /// 报告开头分成两段的标题：两段都较短（不超过 40 字），第一段没有“报告”二字、没有句读，第二段以“报告”结尾。两段合并为一个标题。
    ///
    /// A title split over two paragraphs at the top of the report: both are short (40 characters at most), the first has no 报告 and no clause punctuation, the second ends with 报告. They are joined into one title.
    ///
    /// ## Why it matters
    ///
    /// 发布机关和年度从标题中读取；不合并，标题缺少机关或年度，第一段还会被当成正文。
    ///
    /// The issuing body and the year are read from the title; split, the title lacks one of them and the first half reads as body text.
    ///
    /// ## Example
    ///
    /// `pingtan-2018.md` 第 3–5 行，读作 / lines 3–5, read as `平潭综合实验区2018年度政府信息公开工作年度报告`：
    ///
    /// ```text
    /// 3 │ 平潭综合实验区2018年度
    /// 5 │ 政府信息公开工作年度报告
    /// ```
    ///
    /// ## How to fix
    ///
    /// 无需处理：报告读出的标题正确。如需干净的文件，在源文件中把标题写在同一段（可用换行，不要空行）。
    ///
    /// Nothing to do: the report reads the title correctly. For a clean file, put the title in one paragraph in the source (a line break is fine, a blank line is not).
    SPLIT_TITLE = "NB019", "split-title", Info,
        "修复：分成两段的标题已合并", "Repair: a title split over two paragraphs was joined";
    /// ## What it checks
    ///
    /// Markdown 转换工具加上的反斜杠转义（`\_`、`\*`、`\\` 等）被去除，字符按其本身读取。
    ///
    /// Backslash escapes added by Markdown converters (`\_`, `\*`, `\\`…) are undone: the character reads as itself.
    ///
    /// ## Why it matters
    ///
    /// 不去除，邮箱、网址和文号中会多出反斜杠（`nx\_zws@163.com`），与其他地方的同一地址比对不上。
    ///
    /// Otherwise addresses and document numbers carry stray backslashes (`nx\_zws@163.com`) and no longer match the same address elsewhere.
    ///
    /// ## Example
    ///
    /// `zhongwei-2017.md` 第 9 行，读作 / line 9, read as `nx_zws@163.com`：
    ///
    /// ```text
    /// …传真: 0955-7068826; 电子邮箱: [nx\\_zws@163.com](mailto:nx_zws@163.com))。
    /// ```
    ///
    /// ## How to fix
    ///
    /// 无需处理：报告读出的文字正确。如需干净的文件，在源文件中删去这些反斜杠，或转换时关闭转义。
    ///
    /// Nothing to do: the report reads correctly. For a clean file, delete the backslashes in the source, or convert with escaping turned off.
    CONVERTER_ESCAPE = "NB020", "converter-escape", Info,
        "修复：转换工具的转义符（如 \\_）已去除", "Repair: a converter escape (such as \\_) was undone";
    /// ## What it checks
    ///
    /// 报告正文中全角括号“（”与半角括号“(”混用。比对时按统一宽度读取，`(一)` 与 `（一）` 视为相同；每份报告只在第一个半角括号处记录一次。
    ///
    /// Full-width and half-width brackets are mixed in one report. Matching reads them as one width, so `(一)` and `（一）` are the same; recorded once per report, at the first half-width bracket.
    ///
    /// ## Why it matters
    ///
    /// 中文文本应使用全角标点（GB/T 15834《标点符号用法》）；混用是格式不统一，也会使提纲编号、文号的比对出错。
    ///
    /// Chinese text takes full-width punctuation (GB/T 15834); mixing is a style inconsistency, and it would make outline numbers and document numbers fail to match.
    ///
    /// ## Example
    ///
    /// `zhongwei-2017.md` 全角“（”32 处、半角“(”22 处；第一处在第 9 行 / 32 full-width and 22 half-width, the first at line 9：
    ///
    /// ```text
    /// 本报告由中卫市人民政府办公室汇总中卫市人民政府、各县(区)人民政府和…
    /// ```
    ///
    /// ## How to fix
    ///
    /// 检查不受影响，原文不变。如需规范的文件，在源文件中统一使用全角括号“（）”。
    ///
    /// The checks are not affected and the source stays as written. For a consistent file, use full-width brackets （） throughout in the source.
    MIXED_WIDTHS = "NB021", "mixed-widths", Info,
        "全角与半角混用；比对时按统一宽度读取，原文不变",
        "Full-width and half-width forms are mixed; matching reads them as one width, the source stays as written";
    /// ## What it checks
    ///
    /// 整篇正文挤在一行的纯文本（一行超过 1,500 字节，且至少三处可拆分）：在句末或空格后的章节编号处、或在“一、”等编号加全国模板章节标题处拆分为段落。
    ///
    /// A plain-text dump with the whole body on one line (over 1,500 bytes, with at least three split points): it is split into paragraphs where a section number follows a sentence end or a space, or where a level-1 number is followed by a national heading.
    ///
    /// ## Why it matters
    ///
    /// 不拆分，整篇报告只是一个段落：没有提纲和章节，结构检查全部无从进行。
    ///
    /// Unsplit, the whole report is a single paragraph with no outline and no sections, so no structure check can run.
    ///
    /// ## Example
    ///
    /// `pingtan-2023.page.txt` 第 10 行被拆分为 12 段 / line 10 was split into 12 paragraphs：
    ///
    /// ```text
    /// …电话：0591-23165385。 一、总体情况 2023年，平潭综合实验区坚持以习近平…
    /// …并对相关责任人进行递进式效能问责。 二、主动公开政府信息情况第二十条第（一）项…
    /// ```
    ///
    /// ## How to fix
    ///
    /// 无需处理提纲；但这类文件的表格读不出（NB004），应改为检查发布的网页或 Word、PDF 原件。
    ///
    /// Nothing to do for the outline; but the tables of such a dump cannot be read (NB004), so check the published web page or the Word or PDF original instead.
    RUN_TOGETHER_PARAGRAPHS = "NB022", "run-together-paragraphs", Info,
        "修复：整篇挤在一行的纯文本已按章节编号拆分为段落", "Repair: a plain-text dump with the whole body on one line was split into paragraphs at its section numbers";
    /// ## What it checks
    ///
    /// 没有字节顺序标记（BOM）的 UTF-16 文件：开头 64 KiB 中有 NUL（0 值）字节，且按一种字节顺序（UTF-16LE 或 UTF-16BE）读来是文字——有换行，九成以上是报告用字（ASCII、汉字、中文标点、常用符号），控制字符和不成对的代理项不超过 2%。按该字节顺序读取，并以提示说明。两种字节顺序读来都像文字时按换行较多的一种读取，并给出警告；都不像文字、而一成以上的 16 位单元含一个 NUL 字节（如 UTF-16 中的 ASCII 字符）时，不按 UTF-16 读取，并警告文件可能不是文本。
    ///
    /// A UTF-16 file without a byte-order mark (BOM): the first 64 KiB hold NUL (zero) bytes and read as text in one byte order (UTF-16LE or UTF-16BE) — with a line break, at least 90% characters reports are written in (ASCII, Chinese, CJK punctuation, common symbols), at most 2% control characters or unpaired surrogates. The input is read in that byte order, and a note says so. When both byte orders read as text, the one with more line breaks is used, with a warning; when neither does and at least a tenth of the 16-bit units hold one NUL byte (as ASCII in UTF-16 does), the input is not read as UTF-16 and a warning says it may not be text.
    ///
    /// ## Why it matters
    ///
    /// Windows 的“Unicode”文本常是不带 BOM 的 UTF-16LE；若按 UTF-8 或 GB18030 读取，全文都会成为乱码，所有检查都无从进行。识别结果写明，以便在判断有误时察觉。
    ///
    /// Windows “Unicode” text is often UTF-16LE without a BOM; read as UTF-8 or GB18030 the whole text would be garbage and no check could run. The guess is stated so that a wrong one is noticed.
    ///
    /// ## Example
    ///
    /// 测试样例都是 UTF-8；把 `huaian-2024.md` 另存为不带 BOM 的 UTF-16LE / Every fixture is UTF-8; `huaian-2024.md` saved as UTF-16LE without a BOM:
    ///
    /// ```text
    /// info[NB023]: 输入没有字节顺序标记（BOM），按内容识别为 UTF-16LE 并按其读取
    /// ```
    ///
    /// ## How to fix
    ///
    /// 无需处理：报告已正确读取。如需明确，另存为 UTF-8（或带 BOM 的 UTF-16）。
    ///
    /// Nothing to do: the report was read correctly. To be explicit, save it as UTF-8 (or UTF-16 with a BOM).
    UTF16_WITHOUT_BOM = "NB023", "utf16-without-bom", Info,
        "没有字节顺序标记的 UTF-16：已按内容识别字节顺序", "UTF-16 without a byte-order mark: the byte order was recognised from the content";

    /// ## What it checks
    ///
    /// 文件的开头几个字节表明它不是文本：PDF、Word 文档（.docx、.doc）、WPS 文件、Excel 表格、OFD 版式文件、图片或压缩包。这样的文件不作为文本解码，只给出这一条错误，说明文件是什么、应当怎么办。
    ///
    /// The first bytes of the file say it is not text: a PDF, a Word document (.docx, .doc), a WPS file, an Excel workbook, an OFD document, an image or an archive. It is not decoded as text: this one error says what the file is and what to do instead.
    ///
    /// ## Why it matters
    ///
    /// 按文本解码二进制文件会得到满屏乱码和几十条毫无意义的问题；一条说明文件类型的错误才能让人知道该换哪个版本来检查。
    ///
    /// Decoded as text, a binary file gives a screen of garbage and dozens of meaningless findings; one error naming the file's kind tells the reader which version to check instead.
    ///
    /// ## Example
    ///
    /// ```text
    /// error[NB025]: 这是 PDF 文件，不是文本，nianbao 无法读取；请先转换为 Markdown 或纯文本（如 pdftotext），或取网站上的 HTML 页面再检查
    /// ```
    ///
    /// ## How to fix
    ///
    /// 按提示另存或转换为网页（.html）、纯文本（.txt）或 Markdown 后再检查。
    ///
    /// Save or convert the file as a web page (.html), plain text (.txt) or Markdown, as the message says, and check that.
    NOT_TEXT = "NB025", "not-text", Error,
        "文件不是文本（PDF、Word、表格、图片或压缩包）", "The file is not text (a PDF, a Word document, a spreadsheet, an image or an archive)";

    /// ## What it checks
    ///
    /// Word 文档（.docx，也包括 WPS 保存的 .docx）无法读取：ZIP 包已损坏或加密，缺少正文部件 `word/document.xml`，某个部件解压后超过 64 MB 的上限，或部件中的 XML 有误。消息指明出错的部件和位置。编号定义（`word/numbering.xml`）或样式（`word/styles.xml`）无法读取时，正文照常检查，只是自动编号缺失，消息也会说明。
    ///
    /// A Word document (.docx, also as saved by WPS) cannot be read: its ZIP package is damaged or encrypted, it lacks the body part `word/document.xml`, a part unpacks to more than the limit of 64 MB, or the XML of a part is malformed. The message names the part and the place. When the numbering definitions (`word/numbering.xml`) or the styles (`word/styles.xml`) cannot be read, the body is still checked, without its automatic numbers, and the message says so.
    ///
    /// ## Why it matters
    ///
    /// 读不出的正文无法检查；与其给出一堆基于残缺文字的问题，不如明确指出文件哪里坏了。解压上限防止一个很小的文件解压出巨量数据（“ZIP 炸弹”）。
    ///
    /// A body that cannot be read cannot be checked: one error saying where the file is broken is better than findings on half a text. The unpacking limit keeps a small file from unpacking into a flood of data (a "ZIP bomb").
    ///
    /// ## Example
    ///
    /// 测试样例都能读取；截断的 .docx / No fixture has it; a truncated .docx:
    ///
    /// ```text
    /// error[NB026]: 无法读取 Word 文档：ZIP 包已损坏（找不到中央目录）
    /// ```
    ///
    /// ## How to fix
    ///
    /// 在 Word 或 WPS 中打开原文件并重新保存为 .docx；若无法打开，改用另存的网页（.html）或纯文本（.txt）检查。
    ///
    /// Open the original in Word or WPS and save it again as .docx; if it does not open, check a copy saved as a web page (.html) or plain text (.txt).
    DOCX_UNREADABLE = "NB026", "docx-unreadable", Error,
        "Word 文档无法读取", "The Word document cannot be read";

    /// ## What it checks
    ///
    /// Word 文档含有尚未接受或拒绝的修订（修订模式下的插入、删除或移动）。检查按“接受全部修订”后的文字进行：删除的文字不读，插入的文字照读。位置指向第一处修订。
    ///
    /// The Word document has tracked changes not yet accepted or rejected (insertions, deletions or moves made with Track Changes on). The check reads the text as if every change were accepted: deleted text is left out, inserted text is read. The place is the first change.
    ///
    /// ## Why it matters
    ///
    /// 带修订的稿件还没有定稿；审核人员应知道检查所依据的是接受修订后的文字，发布前也应处理这些修订。
    ///
    /// A draft with tracked changes is not final: the reviewer should know that the check read the text with the changes accepted, and the changes must be settled before publication.
    ///
    /// ## Example
    ///
    /// 测试样例没有修订；在稿件中把“218件”改为“219件”并保留修订 / No fixture has any; a draft where “218件” was changed to “219件” with Track Changes on:
    ///
    /// ```text
    /// info[NB027]: 文档中有 2 处修订尚未接受；已按接受全部修订后的文字检查
    /// ```
    ///
    /// ## How to fix
    ///
    /// 在 Word 或 WPS 的“审阅”中逐一接受或拒绝修订，再保存。
    ///
    /// Accept or reject each change under Review in Word or WPS, then save.
    DOCX_TRACKED_CHANGES = "NB027", "docx-tracked-changes", Info,
        "Word 文档有尚未接受的修订", "The Word document has tracked changes not yet accepted";
}
