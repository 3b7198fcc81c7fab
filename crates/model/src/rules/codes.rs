//! Codes of the model's rules: structure (NB1xx) and table arithmetic (NB2xx).

nianbao_grammar::diagnostic_codes! {
    /// ## What it checks
    /// 报告缺少所用格式要求的章节（按关键词匹配标题，必要时匹配正文）。Sections required by the
    /// report's format (2008 条例 第三十二条; 2019 条例 第五十条 and the six national headings)
    /// are looked for by keyword in the headings, then in the body. In the 2021 format
    /// (国办公开办函〔2021〕30号) 一、总体情况 must also cover 主动公开、依申请公开、政府信息管理、
    /// 政府信息公开平台建设、监督保障 — each found by a sub-heading of the overview or its words in
    /// the overview's text, never elsewhere — and the report must state its 信息处理费
    /// (国办函〔2020〕109号; `处理费` anywhere counts; table 二's 行政事业性收费 is another fee).
    /// 总体情况应写明五个方面，并报告信息处理费的收取情况。
    /// ## Why it matters
    /// 条例规定年度报告必须包含这些内容；缺少即不合规。The regulation lists what a report must contain.
    /// ## Example
    /// A 2024 report with no `五、存在的主要问题及改进情况`. 工作考核、社会评议和责任追究 is required of
    /// 各级人民政府 only, not of their departments.
    /// ## How to fix
    /// 补写缺少的章节，或把已有内容放在对应标题下。Add the section, or put the content under its heading.
    REQUIRED_SECTION_MISSING = "NB101", "required-section-missing", Warning,
        "缺少格式要求的章节", "A section required by the format is missing";
    /// ## What it checks
    /// 同一级编号跳号：`（三）` 紧跟在 `（一）` 之后。Numbering at one level skips a number.
    /// ## Why it matters
    /// 跳号通常说明内容缺失或转换出错。A gap usually means lost content or a conversion error.
    /// ## Example
    /// `（一）…` `（三）…` under the same `二、`.
    /// ## How to fix
    /// 补上缺失的部分或改正编号。Restore the missing part or renumber.
    NUMBERING_GAP = "NB102", "numbering-gap", Warning,
        "编号跳号", "A number is skipped in the outline";
    /// ## What it checks
    /// 同一级编号重复或倒退：`一是…三是…三是`。A number repeats (or goes back) at one level.
    /// ## Why it matters
    /// 重复编号是明显的编辑错误。A repeated number is an editing slip readers notice.
    /// ## Example
    /// pingtan-2023: `一是部分单位…；三是开拓创新不够有力…；三是政策解读的质量有待提高`.
    /// ## How to fix
    /// 改正编号。Renumber.
    NUMBERING_DUPLICATE = "NB103", "numbering-duplicate", Warning,
        "编号重复或倒退", "A number repeats or goes back in the outline";
    /// ## What it checks
    /// 标题缺少发布机关或年度。The report title lacks the issuing body or the year.
    /// ## Why it matters
    /// 读者和汇总单位靠标题识别报告。Readers and compiling offices identify a report by its title.
    /// ## Example
    /// `政府信息公开工作年度报告` with no body and no year.
    /// ## How to fix
    /// 标题写作“机关名 + 年度 + 政府信息公开工作年度报告”。Write "body + year + 政府信息公开工作年度报告".
    TITLE_INCOMPLETE = "NB104", "title-incomplete", Warning,
        "标题缺少发布机关或年度", "The title lacks the issuing body or the year";
    /// ## What it checks
    /// 统计期限不是报告年度的 1 月 1 日至 12 月 31 日。The statistical period is not the report year.
    /// ## Why it matters
    /// 统计数据必须覆盖报告年度全年。The figures must cover the report year.
    /// ## Example
    /// `统计期限为 2016 年 1 月 1 日至 2016 年 12 月 31 日` in a 2017 report.
    /// ## How to fix
    /// 改正统计期限或标题年度。Correct the period or the title year.
    PERIOD_NOT_REPORT_YEAR = "NB105", "period-not-report-year", Error,
        "统计期限不是报告年度", "The statistical period is not the report year";
    /// ## What it checks
    /// 报告年度应使用的格式与表格实际采用的格式不一致。The report year calls for one format but the tables follow another.
    /// ## Why it matters
    /// 2021 年起应使用国办公开办函〔2021〕30号格式。From the 2021 reports on, the revised national format applies.
    /// ## Example
    /// A 2021 report whose table 二 still has `本年新制作数量`.
    /// ## How to fix
    /// 按报告年度应使用的格式重制表格。Redo the tables in the format of the report year.
    FORMAT_YEAR_MISMATCH = "NB106", "format-year-mismatch", Warning,
        "表格格式与报告年度不符", "The tables follow another format than the report year calls for";
    /// ## What it checks
    /// 正文称本报告为另一年度的报告（如 2022 年报告开头写“编制完成2023年度政府信息公开工作年度报告”）。
    /// The report names itself, in its own words, as the report of another year than its title or statistical period.
    /// ## Why it matters
    /// 年度写错多因套用往年或他年模板，读者会怀疑全文数据的年度。A wrong year usually comes from a reused template; readers doubt which year the figures are for.
    /// ## Example
    /// `编制完成2023年度政府信息公开工作年度报告` with `统计期限为2022年1月1日至2022年12月31日`.
    /// ## How to fix
    /// 改正正文中的年度。Correct the year in the text.
    NAMED_WITH_ANOTHER_YEAR = "NB107", "named-with-another-year", Warning,
        "正文所称报告年度与报告年度不符", "The text names the report with another year";
    /// ## What it checks
    /// 报告未写明统计期限，或写了“统计期限”却读不出起止日期（`统计期限为2011年度`、缺“至”、缺“日”）。
    /// The report states no statistical period, or names one whose two dates cannot be read.
    /// ## Why it matters
    /// 统计期限说明表中数据覆盖哪段时间；没有起止日期，读者无法核对数据的年度。The period tells
    /// which time the figures cover; without its dates a reader cannot tell.
    /// ## Example
    /// `本报告中所列数据的统计期限为2011年度。` (a `warning`); no period sentence at all (an `info`:
    /// not every format asks for one).
    /// ## How to fix
    /// 写明“本报告中所列数据的统计期限自××××年1月1日起至××××年12月31日止”。State both dates.
    PERIOD_MISSING = "NB108", "period-missing", Warning,
        "统计期限缺失或无起止日期", "The statistical period is missing or lacks its dates";
    /// ## What it checks
    /// 文末所署日期（落款、`印发` 行）或元数据中的发布时间早于报告年度结束，或晚于报告年度两年以上
    /// （如 2011 年度报告发布于 2011-12-21，2010 年度报告发布于 2012-05-11，2020 年度报告
    /// `2020年1月26日印发`）。The date the report closes with (its signature, a `印发` line) or the
    /// metadata header's publication date is before the report year ended, or in the second year
    /// after it or later. A report dated 31 December is not flagged.
    /// ## Why it matters
    /// 年度报告只能在年度结束后发布；早于年末或晚了两年，多半是标题年度或发布时间写错，或把往年报告
    /// 重新发布。A report can only be published after its year; a date before that or years after
    /// usually means a wrong year in the title, a wrong date, or an old report republished. (Lateness
    /// against the legal deadline of 1月31日 / 3月31日 is NB110's.)
    /// ## Example
    /// `发布时间: 2011-12-21 00:00` on `平潭县海洋与渔业局2011年工作公开年度报告`.
    /// ## How to fix
    /// 核对标题年度与发布时间。Check the title year and the publication date.
    PUBLISHED_OUT_OF_TIME = "NB109", "published-out-of-time", Warning,
        "发布或落款日期与报告年度不符", "The publication or closing date does not fit the report year";
    /// ## What it checks
    /// 发布日期晚于法定期限。期限按报告年度适用的条例和发布机关定：2019 条例 第四十九条（2019
    /// 年度起），政府部门 1月31日前、县级以上人民政府 3月31日前；2008 条例 第三十一条（2008–2018
    /// 年度），各级行政机关 3月31日前。发布日期取自网页的 `PubDate` 元数据或标题下的
    /// `发布时间：` 行、存档文本的 `发布时间:` 头，或 `--published`。The publication date is after
    /// the legal deadline: for report years from 2019 (2019 regulation, art. 49) 31 January for a
    /// department and 31 March for a people's government; for 2008–2018 (2008 regulation, art. 31)
    /// 31 March for every body. The date comes from a page's `PubDate` meta or the `发布时间：` line
    /// under its title, an archive rendering's header, or `--published`.
    /// ## Why it matters
    /// 按时发布是法定义务，也是评估打分项。Publishing on time is a legal duty and a scored item.
    /// ## Example
    /// A department's 2024 report with `<meta name="PubDate" content="2025-03-08 15:34">`.
    /// ## How to fix
    /// 按期发布；若发布日期记录有误，更正网页的发布时间。Publish by the deadline; if the recorded date
    /// is wrong, correct it.
    PUBLISHED_LATE = "NB110", "published-late", Warning,
        "晚于法定期限发布", "Published after the legal deadline";
    /// ## What it checks
    /// 无法核对是否按时发布：输入中没有发布日期（文章正文、Markdown），或发布日期落在 2月1日至
    /// 3月31日之间而发布机关是政府还是部门无法判断。One note per report when timeliness cannot be
    /// checked: the input gives no publication date (an article body, Markdown), or the date falls
    /// between 1 February and 31 March and the issuer's kind is unknown.
    /// ## Why it matters
    /// 没有这条提示，未发现逾期可能被误读为按时发布。Without it, silence could be read as "on time".
    /// ## Example
    /// A Markdown report: `未找到发布日期，无法核对是否按时发布`.
    /// ## How to fix
    /// 用 `--published 2025-01-20` 给出发布日期，或检查带发布时间的网页。Give the date with
    /// `--published`, or check the published page.
    TIMELINESS_UNCHECKED = "NB111", "timeliness-unchecked", Info,
        "无法核对是否按时发布", "Timeliness could not be checked";
    /// ## What it checks
    /// 报告在应写本机关的地方写了另一机关：落款，或所引用的《××政府信息公开指南》，属于与标题所称
    /// 发布机关明显不同的同类机关（两个部门或两个政府）。只比较标题中的发布机关；简称（`安监局`、
    /// `区农业农村局`）、同一机关的办公室、管委会与其所在区、开头相同的名称（可能是更名）都不算不同。
    /// The report names another body where its own belongs: it is signed by (落款), or cites the
    /// 政府信息公开指南 of, a body clearly different from — and of the same kind as — the one its title
    /// names. Names are compared past their common start and end: they differ only when what
    /// remains shares no character (`经贸局` / `安全生产监督管理局`, `金井片区` / `海坛片区`). A short form
    /// (`安监局`, `区农业农村局`), the office of the same body, a zone's committee and the zone, and a
    /// name keeping the first words of the other (perhaps a renamed body) are never different.
    /// ## Why it matters
    /// 这多半说明报告是套用其他机关的报告改写的，其余内容和数据是否属于本机关也值得怀疑；评估中
    /// “与其他单位雷同”要扣分。It usually means the report was adapted from another body's; whether
    /// the rest of it — figures included — is this body's own is then in doubt, and evaluators
    /// deduct for a report 与其他单位雷同.
    /// ## Example
    /// `平潭县安全生产监督管理局2009年政府信息公开年度报告` saying `按要求编制了《平潭县经贸局政府信息
    /// 公开指南（试行）》`.
    /// ## How to fix
    /// 改为本机关的名称；如机关已更名，写明现名。Write this body's own name (its current name if it
    /// was renamed).
    NAMES_ANOTHER_BODY = "NB112", "names-another-body", Warning,
        "落款或所引指南属于另一机关", "Signed by, or citing the guide of, another body";
    /// ## What it checks
    /// 合计不等于各分项之和（模板给出的求和关系，如 收到申请数 = 当面 + 传真 + 网络 + 信函；表三每列的办理结果总计；表三每行的总计 = 自然人 + 五类法人或其他组织）。
    /// A total differs from the sum of its parts, for a sum relation of the template. Rounded
    /// figures are compared as intervals; a blank part may be any value ≥ 0.
    /// ## Why it matters
    /// 统计表算术错误会被汇总单位和评估机构直接发现。Arithmetic slips are the first thing evaluators check.
    /// ## Example
    /// `（一）收到申请数 43` with parts `33 + 0 + 6 + 5 = 44`.
    /// ## How to fix
    /// 核对合计与分项，改正错误的一项。Check the total and the parts and correct the wrong one.
    SUM_MISMATCH = "NB201", "sum-mismatch", Error,
        "合计不等于各分项之和", "A total differs from the sum of its parts";
    /// ## What it checks
    /// “其中”项大于其所属项。A `其中` part is larger than the figure it is part of.
    /// ## Why it matters
    /// 部分不可能大于整体。A part cannot exceed its whole.
    /// ## Example
    /// `其中：主要负责同志参加新闻发布会次数 40` under `参加或举办新闻发布会总次数 37`.
    /// ## How to fix
    /// 改正其中一项。Correct one of the two figures.
    PART_EXCEEDS_WHOLE = "NB202", "part-exceeds-whole", Error,
        "“其中”项大于所属项", "A part is larger than its whole";
    /// ## What it checks
    /// 表三勾稽关系：本年新收 + 上年结转 = 办理结果总计 + 结转下年度（每一列）。The balance of table 三, per column.
    /// ## Why it matters
    /// 这是表格自身注明的勾稽关系。The table states this relation itself.
    /// ## Example
    /// 淮安 2024: `3119 + 34 = 3050 + 103` holds.
    /// ## How to fix
    /// 核对四项数字。Check the four figures.
    BALANCE_MISMATCH = "NB203", "balance-mismatch", Error,
        "新收加结转不等于办结加结转下年", "New plus carried-in differs from handled plus carried-out";
    /// ## What it checks
    /// 各渠道公开数之和小于主动公开总数（同一信息多渠道公开只计 1 条，所以各渠道之和应不小于总数）。
    /// The channels add up to less than the total they cover.
    /// ## Why it matters
    /// 每条信息至少通过一个渠道公开。Every item is published through at least one channel.
    /// ## Example
    /// 中卫 2017: `0 + 46367 + 2935 + 8848 + 15509 = 73659 ≥ 73659` holds.
    /// ## How to fix
    /// 核对总数与各渠道数。Check the total and the channels.
    CHANNELS_BELOW_TOTAL = "NB204", "channels-below-total", Error,
        "各渠道之和小于总数", "The channels add up to less than the total";
    /// ## What it checks
    /// 计数指标出现小数。A count has a fractional value.
    /// ## Why it matters
    /// 件、条、次、人只能是整数；只有金额可以有小数。Only money columns may have decimals.
    /// ## Example
    /// `（一）收到申请数 | 件 | 4.5`.
    /// ## How to fix
    /// 改正数值或单位。Correct the value or the unit.
    NON_INTEGER_COUNT = "NB205", "non-integer-count", Error,
        "计数指标出现小数", "A count is not a whole number";
    /// ## What it checks
    /// 表中单位与模板不同。The unit printed in the table differs from the template's.
    /// ## Why it matters
    /// 单位不同的数字无法汇总比较。Figures in different units cannot be aggregated.
    /// ## Example
    /// `接受培训人员数 | 人 | 414` where the template says `人次`.
    /// ## How to fix
    /// 按模板写单位，或换算数值。Use the template's unit, or convert the value.
    UNIT_MISMATCH = "NB206", "unit-mismatch", Warning,
        "单位与模板不同", "The unit differs from the template";
    /// ## What it checks
    /// 表格有空白的数据单元格。每张表一条，列出各空白单元格。表中从未写出 0 时，空白代表 0：勾稽校验按 0 计算，
    /// 依赖空白的不符只报 warning；表中写了 0 时，空白是未知数（不小于 0），不会单独导致不符。
    /// A table has blank data cells; one finding per table lists them. Where the table never writes
    /// an explicit 0, its blanks stand for 0: relations are checked with those zeros, and a mismatch
    /// that depends on a blank is a `warning` at most. Where it does write 0s, a blank is an unknown
    /// value ≥ 0 and never makes a relation fail by itself.
    /// ## Why it matters
    /// 空白不一定等于零；读者需要知道哪些数字是推定的。Blank is not always zero; a reader needs to
    /// know which figures were assumed.
    /// ## Example
    /// 上海 2019: the 总计 column left blank on rows 三、(一)–(六).
    /// ## How to fix
    /// 填写 0 或实际数值。Write 0 or the value.
    BLANK_CELL = "NB207", "blank-cell", Info,
        "表格有空白的数据单元格", "A table has blank data cells";
    /// ## What it checks
    /// 报告的表格缺少模板中的行：每张表一条，列出缺少的行；只有表头没有数据行的表一条；把模板中的分组行作为一行给出、
    /// 没有其子行时（2021 年表格中的 `（六）其他处理` 一行）一条，勾稽校验以该行数值代表子行之和。
    /// Template rows are missing from the report's table: one finding per table lists them; a table
    /// with a header and no data rows is one finding; a group row given as one row without its
    /// template sub-rows (`（六）其他处理` as one row in a 2021 table) is one finding, and its figures
    /// stand for the sub-rows' sum in the relations.
    /// ## Why it matters
    /// 缺行的数据无法汇总，勾稽关系也无法校验。A missing row cannot be aggregated or checked.
    /// ## Example
    /// A table 三 without `5.要求行政机关确认或重新出具已获取信息`.
    /// ## How to fix
    /// 按模板补全该行（没有数据填 0）。Add the row (0 when there is nothing to report).
    ROW_MISSING = "NB208", "row-missing", Warning,
        "表格缺少模板中的行", "A template row is missing from the table";
    /// ## What it checks
    /// 表格中有模板没有的行。A row of the report's table is not in the template.
    /// ## Why it matters
    /// 该行不参与勾稽校验，可能是地方增加的指标，也可能是标签写错。It takes part in no relation:
    /// a local addition, or a mistyped label.
    /// ## Example
    /// Hubei 2020: `其他主动公开文件` in table 二.
    /// ## How to fix
    /// 若是标签写错，按模板改正。If the label is mistyped, correct it.
    ROW_UNKNOWN = "NB209", "row-unknown", Info,
        "表格中有模板没有的行", "A row is not in the template";
    /// ## What it checks
    /// 看起来是统计表（多数行有数字），但与报告格式的任何表格都对不上。A statistical-looking table fits no template table.
    /// ## Why it matters
    /// 其中的数据不会被读取和校验。Its figures are neither read nor checked.
    /// ## Example
    /// A local table of indicators a format does not have.
    /// ## How to fix
    /// 使用格式规定的表格。Use the format's tables.
    TABLE_UNMATCHED = "NB210", "table-unmatched", Info,
        "统计表与模板对不上", "A statistical table matches no template table";
    /// ## What it checks
    /// 数据单元格的内容不是数字。A value cell holds something that is not a number.
    /// ## Why it matters
    /// 无法读取的数值不参与校验，也无法汇总。It cannot be checked or aggregated.
    /// ## Example
    /// `12.3.4`, `1,23`.
    /// ## How to fix
    /// 写成数字。Write a number.
    UNREADABLE_VALUE = "NB211", "unreadable-value", Warning,
        "数据单元格不是数字", "A value cell is not a number";
    /// ## What it checks
    /// 同一模板行在表中出现两次。The same template row appears twice.
    /// ## Why it matters
    /// 重复的行让汇总产生歧义；只取第一次。Duplicates make aggregation ambiguous; the first counts.
    /// ## Example
    /// `1.当面申请数` printed twice.
    /// ## How to fix
    /// 删除重复的行。Remove the duplicate.
    DUPLICATE_ROW = "NB212", "duplicate-row", Warning,
        "模板行重复出现", "A template row appears twice";
    /// ## What it checks
    /// 格式要求的统计表在报告中找不到（或只找到表二的一部分）。每张表一条，标在该表所属章节的标题上
    /// （章节也缺时标在报告标题上）；表二的四个部分是一张表。A table the format requires is not in
    /// the report, or only some blocks of table 二 are. One finding per table, on the heading of the
    /// section it belongs in (on the title when that section is missing too); table 二's blocks are
    /// one table. A table published as an image is NB216's; a text rendering that runs the cells of
    /// its tables together is NB004's.
    /// ## Why it matters
    /// 统计表是年度报告的核心数据；没有这条提示，表格检查的沉默会被误读为表格无误。The tables carry
    /// the report's figures; without this finding the silence of the table checks would read as a
    /// clean table.
    /// ## Example
    /// A national-2021 report without table 四: `未找到表四“政府信息公开行政复议、行政诉讼情况”`.
    /// ## How to fix
    /// 补上该表。Add the table.
    TABLE_MISSING = "NB213", "table-missing", Warning,
        "缺少格式要求的统计表", "A table required by the format is missing";
    /// ## What it checks
    /// 数据单元格不在模板的任何一列下（行比表头多出单元格）。A value sits outside every column of the template (a row longer than the header).
    /// ## Why it matters
    /// 该数值不会被读取和校验，可能是错位或多填。It is neither read nor checked: a shifted or extra cell.
    /// ## Example
    /// `| 3. 网络申请数 | 件 | 6 | 9 |` under a three-column header.
    /// ## How to fix
    /// 删除多余单元格或对齐列。Remove the extra cell or realign the columns.
    VALUE_OUTSIDE_TEMPLATE = "NB214", "value-outside-template", Warning,
        "数值不在模板的任何一列下", "A value is outside every column of the template";
    /// ## What it checks
    /// 表格的行标签或列标题与模板的写法不同，但能确定是模板的哪一行或哪一列：模板数据中记录的非标准写法
    /// （旧格式的措辞、常见错字），或模板标签中连续的几个字被省略（只省略一处、不超过三分之一、不省略“不”“未”“无”等否定字，
    /// 不改字不加字，且只与一个标签相符）。
    /// 每张表一条，列出每处写法。A row label or column header differs from the template's wording but
    /// names one row or column for certain: a nonstandard wording recorded in the template data (an
    /// older format's wording, a known misspelling), or the template's label with one run of
    /// characters left out (at most a third, never a negation such as 不 — never characters changed
    /// or added — and fitting one label only). One finding per table lists each.
    /// ## Why it matters
    /// 数值照常读取和校验；写法不规范的标签会让汇总和比对出错。The figures are read and checked as
    /// usual; a nonstandard label still trips up whoever compiles or compares the tables.
    /// ## Example
    /// `先行有效件数` for `现行有效件数`; `本年废止件` for `本年废止件数`; `规范性文件` in a 2021 table
    /// (`行政规范性文件`).
    /// ## How to fix
    /// 按模板改正标签。Use the template's wording.
    NONSTANDARD_LABEL = "NB215", "nonstandard-label", Info,
        "表格标签与模板写法不同", "A table label differs from the template's wording";
    /// ## What it checks
    /// 格式要求的统计表没有以文字表格发布，而在其所属章节的位置上是一张图片（HTML 的 `<img>`、
    /// Markdown 的 `![…](…)`）。每张表一条，标在章节标题上。A table the format requires is not
    /// there as a table, and the section it belongs in shows an image instead (an HTML `<img>`, a
    /// Markdown `![…](…)`). One finding per table, on the section's heading.
    /// ## Why it matters
    /// 图片中的数字无法核对、检索或汇总，表格的算术检查对它都不起作用；没有这条提示，检查的沉默会被误读为
    /// 表格无误。评分表可将它列为“待核”。Figures in a picture cannot be checked, searched or compiled,
    /// and no table check sees them; without this finding their silence would read as a clean table.
    /// A score sheet can list it as 待核 (to be checked by a person).
    /// ## Example
    /// `三、收到和处理政府信息公开申请情况` followed by `<p><img src="…/W020250120.png"></p>`:
    /// `表三以图片形式发布，无法核对`.
    /// ## How to fix
    /// 以文字表格发布统计表（可另附图片）。Publish the table as a text table (an image may go with it).
    TABLE_AS_IMAGE = "NB216", "table-as-image", Warning,
        "统计表以图片形式发布", "A required table is published as an image";
    /// ## What it checks
    /// 正文中的数字与表格中同一指标的数字不一致（按措辞和上下文关联，不按数值相等关联；“余”“约”按区间比较）。
    /// A figure in the narrative differs from the table's figure for the same indicator. The link
    /// comes from the phrasing (`当面申请 33 件` → `1.当面申请数`), never from equal values.
    /// 分项（“其中”之后的数字）计的是其总数所计的对象：总数与模板中同一组关系的指标关联时才与表格比较；总数不是表格中的指标时，
    /// 只有本身不是其他单元格分项的指标才关联（`制发政府信息349条，其中…不予公开52条` 是未公开的文件，不是不予公开的申请）。
    /// A part of a list (after `其中`) counts what its total counts: it is compared with the table only
    /// when its total is linked to an indicator of the same family of the template's relations, or, when
    /// the total names nothing of the table, when the part's indicator is no other cell's part
    /// (`制发政府信息349条，其中…不予公开52条` are documents not made public, not refused applications).
    /// ## Why it matters
    /// 正文与表格矛盾，读者无法判断哪个是对的。A report that contradicts itself cannot be trusted.
    /// ## Example
    /// 中卫 2017: `接受培训人数 414 人次` against the row `（三）接受培训人员数 | 人次 | 414` — they agree; a 415 in the text would be flagged.
    /// ## How to fix
    /// 核对正文与表格，改正错误的一方。Check both and correct the wrong one.
    NARRATIVE_TABLE_MISMATCH = "NB301", "narrative-table-mismatch", Warning,
        "正文数字与表格不一致", "A narrative figure differs from the table";
    /// ## What it checks
    /// 正文“共 X，其中 A a、B b…”中，分项之和与总数不符。只在有证据表明是完整分项时报告：分项之和大于总数总是错的；
    /// 分项之和略小于总数（不少于 80%）、单位相同、并列列举、未以“等”结尾，很可能是错的；分项之和只占总数一小部分时不是分项列举，不报告。
    /// The parts of a stated breakdown do not add up to its total, when the list is a partition:
    /// parts above the total is always wrong; a sum just short of the total (at least 80%), same
    /// unit, parallel list, not ending in `等`, is a likely error; a small fraction is not a partition.
    /// 列表的范围：列表在句末结束；在括号内开始的列表在对应的右括号处结束；分项之和在“；”或“。”处已等于总数时列表在此结束；
    /// “等”只在最后一个分项之后才表示列举未尽（分项名称中的“等方面”不算）；列表中省略单位的数字（`信息数169，`）按列表的单位计。
    /// Where a list ends: at the sentence end; a list opened in brackets at its closing bracket; a list
    /// whose parts already add up to the total at a `；` or `。` there. `等` leaves a list open only after
    /// its last part (an item named `…等方面的政策` does not). A count written without its unit inside
    /// the list (`信息数169，`) is a part in the list's unit.
    /// Every breakdown of the project's fixtures and its decision:
    ///
    /// | fixture, line | breakdown | decision |
    /// |---|---|---|
    /// | 中卫 2017, 128 | `13.74亿元。其中，征前减免12.83亿元，退库减免0.9亿元` | partition; holds as intervals |
    /// | 中卫 2017, 156 | `959 项权力事项，其中新增 215、取消 97、下放 21，合并 14、变更 601 项` | partition; 948 is 98.9% of 959: **flagged** |
    /// | 中卫 2017, 270 | `86件，其中…14件…67件…4件…1件` | partition; holds |
    /// | 中卫 2017, 278 | `政府信息总数 73659 条，其中，制发规范性文件总数 693 条…394…43…33` | 1.6% of the total: notable subsets, not a partition; silent |
    /// | 中卫 2017, 284 | `43 件，其中，当面申请 33 件，网上申请 6 件、信函申请 4 件` | partition; holds |
    /// | 淮安 2024, 40 | `行政复议 351 件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚未审结 37 件` | partition; holds |
    /// | 淮安 2024, 42 | `行政诉讼 46 件，其中结果维持 25 件…5…9…7 件` | partition; holds |
    /// | 平潭 2018, 91 | `70个…其中…29个…41个` | partition; holds |
    /// | 平潭 2018, 115 | `2069条。其中，区管委会及区直各部门…1592条，占76.9%。各乡镇…477条，占23.1%` | partition over two sentences (parallel shares); holds |
    /// | 平潭 2023, 17 | `共计81件，涉及自然人80件、商业企业1件` | partition; holds |
    /// | 平潭 2023, 17 | `办结依申请公开81件，其中：予以公开及部分公开42件，占51.85%；不予公开5件…；无法提供31件…；不予处理1件…；其他处理2件` | partition; holds (the 复议/诉讼 cases after it are not items: no share) |
    /// | 财政金融局 2020, 23 | `政府信息总数425条，其中主动公开148条，依申请公开信息数182条，不予公开信息数95条` | partition; holds |
    /// | 财政金融局 2020, 27 | `148条，其中…3…4…2…4…1…1…4…129条` | partition; holds |
    /// | 财政金融局 2025, 17 | `2件，其中…1件…1件` | partition; holds |
    /// | 财政金融局 2025, 27 | `467条，其中…53条…246条…168条` | partition; holds |
    /// | 财政金融局 2025, 48 | `53条，其中…1…1…5…7…39条等` | open-ended (`等`); holds anyway |
    /// ## Why it matters
    /// 总分不符是审阅者最常发现的错误之一。A total that its own parts contradict is an obvious slip.
    /// ## Example
    /// 中卫 2017: `959 项 ≠ 215 + 97 + 21 + 14 + 601 = 948`.
    /// ## How to fix
    /// 核对总数与各分项。Check the total and each part.
    BREAKDOWN_SUM_MISMATCH = "NB401", "breakdown-sum-mismatch", Warning,
        "分项之和与总数不符", "The parts of a breakdown do not add up to its total";
    /// ## What it checks
    /// 正文中的比率与其分子、分母不符（`19件建议已办结18件…办结率94.7%`；`1592条，占76.9%`）。允许四舍五入或截断到所写的小数位。
    /// A stated rate does not match its counts, allowing rounding or truncation to the decimals written.
    /// 份额 `X件，占Y%` 的分母是其所在分项列表的总数；不在任何列表中时，是同一段中此前最近的、单位相同且不小于分子的总数
    /// （`共…8件`、`总数1873条`、`在…的425条政府信息中`）；找不到时不检查。
    /// The whole of a share `X件，占Y%` is the total of its list; outside any list, the nearest total
    /// before it in its paragraph, in its unit and not smaller than it (`共…8件`, `总数1873条`,
    /// `在…的425条政府信息中`); without one the share is not checked.
    /// ## Why it matters
    /// 比率由正文中的数字算出，算错说明数字或比率有误。A rate computed from the text's own counts must agree with them.
    /// ## Example
    /// 平潭 2023: `予以公开及部分公开42件，占51.85%` of 81 — holds.
    /// ## How to fix
    /// 重新计算比率。Recompute the rate.
    RATE_MISMATCH = "NB402", "rate-mismatch", Warning,
        "比率与其分子分母不符", "A rate does not match its counts";
    /// ## What it checks
    /// 报告自述的组成部分数与其列出的部分数不符（`本报告由概述、…、附表等共六个部分组成` 列出了八个）。
    /// 各部分按顿号、逗号、分号和“和”“及”“以及”“与”分开；不以部分名称常见的结尾（情况、概述、事项、措施、附表、统计表…）
    /// 结束的片段与下一片段合为一个部分（`因…申请行政复议、提起行政诉讼的情况` 是一个部分）。列出的多于所称时总是报告；
    /// 少于所称时，只在没有合并任何片段时报告。
    /// The report's account of itself names a number of parts that differs from the parts it lists
    /// (`本报告由概述、…、附表等共六个部分组成` listing eight). Parts are separated by `、，；` and
    /// 和/及/以及/与; a piece that does not end like a part's name (情况, 概述, 事项, 措施, 附表,
    /// 统计表 …) is joined to the next (`因…申请行政复议、提起行政诉讼的情况` is one part). More parts
    /// than stated is always reported; fewer only when no piece was joined.
    /// ## Why it matters
    /// 自述与内容不符是读者一眼能看出的错误，通常是套用旧模板后未改数字。A count that its own list
    /// contradicts is a slip any reader sees, usually a template reused without updating the number.
    /// ## Example
    /// `本报告由概述、主动公开政府信息情况、依申请公开政府信息办理情况、政府信息公开的收费及减免情况、
    /// 因政府信息公开申请行政复议、提起行政诉讼的情况、工作存在的主要问题及改进情况、其他需要说明的事项、附表等共六个部分组成`
    /// lists eight parts.
    /// ## How to fix
    /// 改正数字或所列部分。Correct the number or the list.
    PARTS_COUNT_MISMATCH = "NB403", "parts-count-mismatch", Warning,
        "所列部分数与所称数目不符", "The parts listed differ from the number stated";
    /// ## What it checks
    /// 文号的年份使用了 `[]` `【】` `()` `（）` 等括号，而不是 GB/T 9704 规定的六角括号 `〔〕`。只检查文号的形式（发文机关代字 + 年份 + 序号 + 号），`【读图】` 不算。
    /// A document number uses other brackets than the `〔〕` of GB/T 9704; only document-number shapes are checked.
    /// ## Why it matters
    /// 公文格式国家标准的要求。The national standard for official documents requires `〔〕`.
    /// ## Example
    /// `卫政办发[2017]97号` → `卫政办发〔2017〕97号`.
    /// ## How to fix
    /// 改用六角括号。Use `〔〕`.
    DOC_NUMBER_BRACKETS = "NB501", "doc-number-brackets", Warning,
        "文号未使用六角括号〔〕", "A document number does not use 〔〕";
    /// ## What it checks
    /// 不存在的日期：`2017年13月`、`2月30日`。An impossible date.
    /// ## Why it matters
    /// 明显的笔误。An obvious slip.
    /// ## Example
    /// `2017年13月`.
    /// ## How to fix
    /// 改正日期。Correct the date.
    IMPOSSIBLE_DATE = "NB502", "impossible-date", Error,
        "日期不存在", "The date does not exist";
    /// ## What it checks
    /// 列表（表格）中所列事项的日期在报告统计期限之外。Listed items are dated outside the reporting period.
    /// ## Why it matters
    /// 报告应列统计期限内的事项；期限外的条目可能属于别的年度。A report lists items of its own period.
    /// ## Example
    /// 中卫 2017: the list of interpretations includes entries dated `2018-01-19` and `2018-01-15`.
    /// ## How to fix
    /// 核对是否应列入本年度报告。Check whether they belong in this year's report.
    DATED_OUTSIDE_PERIOD = "NB503", "dated-outside-period", Info,
        "所列事项日期在统计期限之外", "Listed items are dated outside the reporting period";
    /// ## What it checks
    /// 段落内 `《》` `“”` `（）` 不配对（按修复后的段落检查，分页和页码行不会造成误报）。
    /// Unbalanced `《》`, `“”` or `（）` within a paragraph (the repaired paragraph, so page breaks make no false alarm).
    /// ## Why it matters
    /// 缺少的括号使引文或说明的范围不清。A missing bracket leaves a quotation or note unclosed.
    /// ## Example
    /// 中卫 2017 line 7: `以下简称《条例》《办法》)规定` closes a parenthesis never opened.
    /// ## How to fix
    /// 补上或删去多余的括号。Add or remove the bracket.
    UNBALANCED_BRACKETS = "NB504", "unbalanced-brackets", Warning,
        "括号或引号不配对", "Brackets or quotes are unbalanced";
    /// ## What it checks
    /// 陈述本年度情况的句子写成了另一年份（`2024年制作、获取政府信息总数467条` 出现在 2025 年度报告中）。
    /// 前瞻（`结转至2026年`、`2018年工作思路`）和与往年比较（`较2024年增长`）不报告。
    /// A statement of the report year's figures is dated to another year; forward and backward references are not.
    /// ## Why it matters
    /// 多为沿用上年报告未改年份，数字可能也未更新。Usually last year's text reused; its figures may be stale too.
    /// ## Example
    /// 财政金融局 2025: `2024年制作、获取政府信息总数467条`.
    /// ## How to fix
    /// 改正年份，并核对数字。Correct the year and check the figures.
    STATEMENT_YEAR_MISMATCH = "NB505", "statement-year-mismatch", Warning,
        "陈述年份与报告年度不符", "A statement is dated to another year than the report";
    /// ## What it checks
    /// 带单位的数字位数过多，无法作为数量核对：整数部分超过 18 位，或小数超过 10 位（`共1000000000000000000000件`、`0.00000000001%`）。
    /// A number with a unit has too many digits to be checked as a quantity: more than 18 digits before the
    /// decimal point or more than 10 after it.
    /// ## Why it matters
    /// 年报中的件数、金额远小于这个范围；这样的数字多半是录入或转换错误（数字连写、漏了分隔），它不参与任何核对，所以要指出来。
    /// Counts and amounts in a report are far smaller: such a figure is most likely a typing or conversion
    /// slip (figures run together), and it takes part in no check, so it is named.
    /// ## Example
    /// ```text
    /// warning[NB506]: 数字“79228162514264337593543950335”位数过多（整数部分 29 位，上限 18 位），未参与核对
    /// ```
    /// ## How to fix
    /// 核对原件中的数字，改正连写或多余的位数。Check the figure against the original and correct the digits.
    NUMBER_OUT_OF_RANGE = "NB506", "number-out-of-range", Warning,
        "数字位数过多，无法核对", "A number has too many digits to be checked";
    /// ## What it checks
    /// 本年表三“二、上年结转政府信息公开申请数量”与同一机关上一年度报告表三“四、结转下年度继续办理”逐列比较（模板关系 N3.5）。
    /// This year's carried-in applications (table 三, row 二) against last year's carried-out
    /// applications (row 四) of the same body's previous report, column by column (template relation
    /// N3.5). Any `cross_year` relation of a template that equates exactly one cell of this year
    /// with exactly one cell of last year is such a continuity and is reported here; the other
    /// cross-year relations are NB602. Run with the previous year's report (`check --previous`, or
    /// two years of one body in a directory).
    /// ## Why it matters
    /// 上年末结转的申请就是本年初接续办理的同一批申请，是同一个数字记了两次，不是推断：两数不同必有一处错误。
    /// FORMATS.md marks N3.5 as inferred because it spans two reports, but it is a stated continuity —
    /// the same applications counted at the end of one year and at the start of the next — so a
    /// difference is an error in one of the two reports (the template keeps its own severity for
    /// the other relations).
    /// ## Example
    /// 平潭 2023 → 2024 → 2025: 结转下年度 0 → 上年结转 0, both steps hold, nothing is reported. With
    /// 2024's `二、上年结转政府信息公开申请数量` 自然人 written as 1, NB601 points at that cell:
    /// expected 0 (2023's `四、结转下年度继续办理`), found 1.
    /// ## How to fix
    /// 核对两份报告，改正错误的一方（多为本年上年结转漏填或照抄上年）。Check both reports and correct the
    /// wrong one; often the carried-in row was copied from an older report or left out.
    CARRY_OVER_MISMATCH = "NB601", "carry-over-mismatch", Error,
        "本年上年结转与上一年度结转下年度不符", "Carried-in applications differ from last year's carried-out";
    /// ## What it checks
    /// 模板中其他跨年度关系（`cross_year`），用同一机关上一年度报告的数据校验：2021 格式的现行有效件数
    /// = 上年现行有效件数 + 本年制发 − 本年废止（N2.4），本年废止 ≤ 上年现行有效 + 本年制发（N2.5）；2019 格式的
    /// 上一年项目数量 = 上年报告的上一年项目数量 + 本年增/减（N2.2）。The template's other cross-year relations,
    /// evaluated with the previous year's report of the same body. The severity is the template's
    /// (these relations are inferred: warnings). Blank cells are unknown values ≥ 0; operands either
    /// report lacks skip the relation.
    /// ## Why it matters
    /// 连续年度的存量数字应能衔接；不衔接可能是笔误，也可能是年中清理（失效、修改）未计入废止件数，值得说明。
    /// Stock figures of consecutive years should chain; a break is a slip, or a clean-up (documents
    /// expired or amended) that the 废止 column does not show — worth a sentence in the report.
    /// ## Example
    /// 平潭 行政规范性文件 现行有效件数: 2023 has 470; 2024 issues 62 and repeals 33, so 499 is
    /// expected, the 2024 report has 440 (warning); 2024 has 440, 2025 issues 58 and repeals 45, so
    /// 453 is expected, the 2025 report has 546 (warning). 规章 (0, 0, 0 every year) chains.
    /// ## How to fix
    /// 核对现行有效件数与制发、废止件数；若因清理等原因不衔接，在正文中说明。Check the figures; if the break is
    /// real (a clean-up), explain it in the report.
    CROSS_YEAR_MISMATCH = "NB602", "cross-year-mismatch", Warning,
        "与上一年度报告的数字不衔接", "A figure does not chain with the previous year's report";
    /// ## What it checks
    /// 汇总年报（如区县政府汇总各部门）的每个统计指标（`row@col`）与各下级年报同一指标之和比较（`nianbao merge … --against`）。
    /// 只相加数字；空白按“不小于 0 的未知数”处理并单独计数；整数精确比较，有小数的按所写位数的区间比较。
    /// Each indicator (`row@col`) of a compiled report against the sum of the same indicator over
    /// its subordinate reports (`nianbao merge … --against`). Only numbers are added; blank cells are
    /// unknown values ≥ 0 and are counted; whole numbers compare exactly, decimals as intervals.
    /// ## Why it matters
    /// 汇总数字应等于各单位数字之和；不等说明有单位漏报、重复计算或抄写错误。A compiled figure that is not
    /// the sum of its parts means a subordinate was left out, counted twice, or copied wrongly.
    /// ## Example
    /// `tests/fixtures/merge/`: two made-up subordinate reports whose figures add up to 平潭 2024; in
    /// the variant where one subordinate's 行政许可 本年处理决定数量 is 1530 instead of 1529, exactly
    /// that indicator differs: sum 4530, compiled 4529.
    /// ## How to fix
    /// 逐一核对列出的下级年报数值与汇总数。Check each listed subordinate value and the compiled figure.
    MERGE_MISMATCH = "NB603", "merge-mismatch", Error,
        "汇总数与下级年报之和不符", "A compiled figure differs from the sum of the subordinate reports";
    /// ## What it checks
    /// 作为“上一年度报告”给出的报告与本报告不是同一机关（发布机关规范化后比较，如“淮安市人民政府”与“淮安市”视为同一机关）
    /// 或不是前后两个年度。The report given as the previous year's is of another issuer (compared
    /// after normalisation: `淮安市人民政府` = `淮安市`) or not of the year before. Nothing is compared
    /// across years then.
    /// ## Why it matters
    /// 跨年度比较只对同一机关的相邻年度有意义；否则会得出一串误报。Cross-year relations only make sense
    /// between consecutive years of one body; otherwise every one of them would be noise.
    /// ## Example
    /// `nianbao check pingtan-2025.md --previous pingtan-2023.md`: 2023 is not the year before 2025.
    /// ## How to fix
    /// 给出同一机关上一年度的报告。Give the same body's report of the year before.
    PREVIOUS_REPORT_MISMATCH = "NB604", "previous-report-mismatch", Warning,
        "给出的上一年度报告不是同一机关的上一年度", "The previous report is not the same body's report of the year before";
    /// ## What it checks
    /// 本报告的自有文字（正文段落和标题，不含表格，去掉模板原文、《条例》和国办通知的引用、各地报告通用的标准句）
    /// 有多少也见于同一机关上一年度的报告：逐 10 字比较（数字不计，只改了数字的句子算作相同），达到阈值（默认 50%，
    /// 配置项 `copy-threshold`、`--copy-threshold`）时为警告，给出全文和各章节的重复比例、最长的几段相同文字在两份报告中的位置。
    /// 重复最多的章节（`xtask copies` 的表格、服务器的报告页面）只在不少于 100 个自有字符的章节中按比例选出，
    /// 以免一行字的小节全文照抄就排在长章节之前；没有这样长的章节时，取相同字数最多的一节。
    /// How much of the report's own text — its paragraphs and headings, not its tables, without the template's
    /// own text, citations of the regulation and the General Office's notices, and the standard sentences of
    /// reports of different regions — is also in the same body's report of the year before, compared ten
    /// characters at a time with the figures masked (a sentence with only its figures changed counts as the
    /// same). At or above the threshold (50% by default: `copy-threshold`, `--copy-threshold`) it is a warning
    /// with the share overall and per section, and the longest shared passages in both reports. The
    /// most-copied section (in `xtask copies`' table and on the server's report page) is the highest share
    /// among the sections of at least 100 own characters, so that a one-line section copied whole does not
    /// outrank a long one; when no section is that long, the one with the most shared characters.
    /// ## Why it matters
    /// 考核和第三方评估对照上年报告：评分表明确扣分（“与上年度重复率大于50%的，扣0.5分”“与往年或与其他单位雷同”）。
    /// 照抄上年的报告没有说明本年的工作。Evaluators compare with last year's report, and published scoring
    /// sheets deduct for it ("与上年度重复率大于50%的，扣0.5分"); a report that repeats last year's says nothing
    /// of this year's work.
    /// ## Example
    /// ```text
    /// warning[NB605]: 与上年报告重复 86%（pingtan-2024.txt）：自有文字 1210 字中 1041 字与之相同；各章节：…
    /// ```
    /// ## How to fix
    /// 按本年度的实际工作重写各部分，特别是“存在的主要问题及改进情况”。Write each section from this year's
    /// work, the problems and improvements above all.
    REPEATS_PREVIOUS_YEAR = "NB605", "repeats-previous-year", Warning,
        "与上年报告大量重复", "Much of the text repeats last year's report";
    /// ## What it checks
    /// 有同一机关上一年度报告可比时，自有文字与之重复的比例低于阈值：作为提示给出比例（全文和各章节），供评估记录。
    /// When the same body's report of the year before is at hand and the share of own text repeated from it
    /// is below the threshold: the share (overall and per section), as information for the record.
    /// ## Why it matters
    /// 评估按比例打分；比例低于阈值也值得记录，逐年比较可见趋势。Evaluators score the share; below the
    /// threshold it is still worth recording, and its trend over the years.
    /// ## Example
    /// ```text
    /// info[NB606]: 与上年报告重复 12%（pingtan-2023.md）：自有文字 3120 字中 380 字与之相同；各章节：…
    /// ```
    /// ## How to fix
    /// 无需修改。Nothing to fix.
    SHARE_WITH_PREVIOUS_YEAR = "NB606", "share-with-previous-year", Info,
        "与上年报告重复的比例", "The share of text repeated from last year's report";
    /// ## What it checks
    /// 一次检查的多份报告之间（目录、多个文件），本报告的自有文字有多少也见于另一份报告（同 NB605 的比较），
    /// 达到阈值时为警告，指明最相近的那一份。每份报告都与本次检查的所有其他报告比较，与顺序无关：雷同的两份报告
    /// 互相指明对方。服务器的汇总集合中同样如此：上传或查看一份报告时与集合中的其他报告比较（集合设置 `copy_across`
    /// 关闭）。同一机关同一年度的另一份文件（同一报告的不同形式）和相邻年度的报告（由 NB605 比较）不在此列。
    /// `copy-across = false` 或 `--no-copy-across` 关闭。
    /// How much of the report's own text is also in another report of the same run (a directory, several
    /// files) or of the same server collection, compared as for NB605; at or above the threshold a warning
    /// naming the closest one. Each report is compared with all the others, whatever their order: both
    /// reports of a copied pair name each other. Another file of the same body and year (one report in
    /// another form) and the reports of the adjacent years (NB605's) are left out. `copy-across = false` or
    /// `--no-copy-across` turns it off (a collection's `copy_across` setting on the server).
    /// ## Why it matters
    /// 评分表对“与其他单位雷同”扣分；同一地方各部门照抄同一份报告、只改名称，研究者在各地都发现过。
    /// Scoring sheets deduct for a report "the same as another body's"; departments of one place copying one
    /// report with their names changed have been found in many regions.
    /// ## Example
    /// The 2010 reports of 平潭县交通局, 公安局 and 食品药品监督管理局 are one county template with the
    /// department's name changed: each later one names the first.
    /// ## How to fix
    /// 按本机关的实际工作撰写报告。Write the report from the body's own work.
    COPIED_FROM_ANOTHER_REPORT = "NB607", "copied-from-another-report", Warning,
        "与另一份报告大量雷同", "Much of the text is the same as another report's";
    /// ## What it checks
    /// 目录中的某个文件无法读取：权限不足、检查过程中被删除、指向不存在目标的符号链接、不是普通文件（管道、设备），
    /// 或目录本身无法列出；指回上级目录的符号链接环不再跟随（此时为警告）。消息中给出操作系统的错误。
    /// A file found while walking a directory cannot be read: permission denied, removed during the run,
    /// a symbolic link to nothing, not a regular file (a pipe, a device), or a subdirectory that cannot
    /// be listed; a symbolic link looping back to a directory above is not followed (a warning then).
    /// The message gives the operating system's error.
    /// ## Why it matters
    /// 该文件没有被检查；一次检查整个目录时，其余文件照常检查，但这一个不能悄悄漏掉。
    /// The file was not checked: the rest of the directory is, but this one must not be missed silently.
    /// (A file named on the command line that cannot be read is an error on stderr and exit code 2 instead.)
    /// ## Example
    /// ```text
    /// error[NB005]: 无法读取文件：Permission denied (os error 13)
    ///  --> reports/2023/pingtan.md:1:1
    /// ```
    /// ## How to fix
    /// 修正文件权限或链接，或用 `--glob '!路径'` 明确排除该文件。Fix the permissions or the link, or exclude
    /// the file explicitly with `--glob '!PATH'`.
    UNREADABLE_FILE = "NB005", "unreadable-file", Error,
        "文件无法读取", "A file cannot be read";
    /// ## What it checks
    /// 年报中的抑制注释 `<!-- nianbao: ignore NB401 -->` 没有抑制任何检查结果：所在行、紧接其下的段落或表格中都没有该规则的结果，
    /// 规则代码或名称不存在，或注释写法无法理解。
    /// A suppression comment `<!-- nianbao: ignore NB401 -->` in a report suppresses nothing: no finding of
    /// that rule on its line or in the paragraph or table directly below it, an unknown code or name, or a
    /// comment that cannot be read.
    /// ## Why it matters
    /// 审阅者核实过某条结果后用注释标记；报告修改后结果消失，注释就成了过时的说明，还可能在将来掩盖同一位置的新问题。
    /// A reviewer marks a finding they have looked at; once the report changes, a stale comment misleads and could
    /// hide a new finding at the same place later.
    /// ## Example
    /// ```text
    /// <!-- nianbao: ignore NB401 -->
    /// 共受理申请 43 件，其中当面申请 33 件、网上申请 6 件、信函申请 4 件。
    /// ```
    /// 分项之和等于总数，NB401 不会报告，注释未被使用。The parts add up: there is no NB401 to suppress.
    /// ## How to fix
    /// 删除过时的注释，或改正其中的规则代码，或把注释移到结果所在行的行尾或其所在段落、表格的上一行。Remove the stale
    /// comment, correct the code, or move it to the end of the finding's line or the line above its paragraph or table.
    UNUSED_SUPPRESSION = "NB006", "unused-suppression", Info,
        "抑制注释没有抑制任何结果", "A suppression comment suppresses nothing";
    /// ## What it checks
    /// 文件大于检查的大小上限（默认 64 MiB，可用 `--max-file-size` 或配置项 `max-file-size` 调整），未被读取和检查。
    /// The file is larger than the size limit (64 MiB by default; `--max-file-size` or the `max-file-size`
    /// key changes it) and was neither read nor checked.
    /// ## Why it matters
    /// 年报通常不到 1 MiB，含图片的网页也不过几 MiB；过大的文件多半不是年报（数据导出、日志），而解析会占用数倍于文件的内存。
    /// A report is usually under 1 MiB, an HTML page with images a few MiB: a much larger file is most likely
    /// something else (a data dump, a log), and a parse holds several times the input in memory.
    /// ## Example
    /// ```text
    /// error[NB007]: 文件大小 209715200 字节，超过检查上限 67108864 字节，未检查
    ///  --> dump/export.txt:1:1
    /// ```
    /// ## How to fix
    /// 确认是否选错了文件；确是年报时提高上限，如 `--max-file-size 256M`。Check that it is the right file; for a
    /// real report raise the limit, such as `--max-file-size 256M`.
    FILE_TOO_LARGE = "NB007", "file-too-large", Error,
        "文件超过检查的大小上限", "The file is larger than the size limit";
    /// ## What it checks
    /// 检查在时间上限内没有完成（服务器的 `--check-time-limit`，默认 30 秒），在到达上限时停止；已得出的其他结果不完整，不予报告。
    /// The check did not finish within its time limit (the server's `--check-time-limit`, 30 s by default) and
    /// was stopped when the limit was reached; what it had found so far is incomplete and not reported.
    /// ## Why it matters
    /// 没有这条结果，一份未检查完的报告看起来就像没有问题。年报通常在几十毫秒内检查完，超时多半是文件过大或异常。
    /// Without it, a report whose check was cut short would look clean. A report is usually checked in tens of
    /// milliseconds: running out of time means a very large or unusual file.
    /// ## Example
    /// ```text
    /// error[NB008]: 检查未在 30 秒的时间上限内完成，已停止；报告没有被完整检查
    /// ```
    /// ## How to fix
    /// 确认文件是否为年报；确是年报时，请服务器管理员提高 `--check-time-limit`，或用命令行 `nianbao check` 检查（没有时间上限）。
    /// Check that the file is a report; if it is, ask the server's administrator to raise `--check-time-limit`, or
    /// check it with `nianbao check` on the command line (no time limit).
    CHECK_TIME_LIMIT = "NB008", "check-time-limit", Error,
        "检查未在时间上限内完成", "The check did not finish within its time limit";
    /// ## What it checks
    /// 检查这份报告时 nianbao 自身出错（程序缺陷），检查中止。其他报告照常检查。
    /// nianbao itself failed while checking this report (a defect in the program) and the check was stopped.
    /// Other reports are checked as usual.
    /// ## Why it matters
    /// 这份报告没有被检查，不能当作没有问题；结果和日志都不含报告的文字。
    /// The report was not checked and must not pass for clean; neither the finding nor the log carries the
    /// report's text.
    /// ## Example
    /// ```text
    /// error[NB009]: nianbao 检查这份报告时出错（程序缺陷，位置 crates/model/src/facts.rs:474），报告没有被检查；请报告此问题
    /// ```
    /// ## How to fix
    /// 请把报告文件和这条消息一起报告给 nianbao 的维护者。Report the file with this message to nianbao's maintainers.
    INTERNAL_ERROR = "NB009", "internal-error", Error,
        "nianbao 内部错误，报告未被检查", "nianbao failed internally; the report was not checked";
    /// ## What it checks
    /// 叙述中某一类事实（数字、日期、文号、索引号、书名号标题）超过 50000 个：此后的这一类事实不再读取，也不参与核对。
    /// The narrative holds more than 50,000 facts of one kind (figures, dates, document numbers, index
    /// numbers, titles in 《》): the rest of that kind is not read and takes part in no check.
    /// ## Why it matters
    /// 年报的叙述只有几百个数字；数量大到这个程度的文件多半不是年报（数据导出、转换出错的文本），读取上限使检查的内存和时间有界。
    /// A report's narrative has a few hundred figures: a file with this many is most likely something else (a
    /// data dump, a broken conversion); the limit keeps the check's memory and time bounded.
    /// ## Example
    /// ```text
    /// warning[NB024]: 叙述中的书名号标题超过 50000 个，自此处起的书名号标题未读取，未参与核对
    /// ```
    /// ## How to fix
    /// 确认文件是否为年报，或是否转换出错。Check that the file is a report and was converted correctly.
    TOO_MANY_FACTS = "NB024", "too-many-facts", Warning,
        "叙述中的事实过多，其余未参与核对", "Too many facts in the narrative; the rest is not checked";
}
