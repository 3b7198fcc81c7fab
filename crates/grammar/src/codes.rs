//! Codes of the input diagnostics (NB0xx) the grammar emits.

use crate::diagnostic::{DiagnosticCode, Severity};

macro_rules! codes {
    ($($ident:ident = $code:literal, $name:literal, $sev:ident, $zh:literal, $en:literal;)*) => {
        $(
            #[doc = $en]
            pub static $ident: DiagnosticCode = DiagnosticCode {
                code: $code,
                name: $name,
                severity: Severity::$sev,
                summary_zh: $zh,
                summary_en: $en,
            };
        )*
        /// Every input code, in code order.
        pub static ALL: &[&DiagnosticCode] = &[$(&$ident),*];
    };
}

codes! {
    UNDECODABLE_BYTES = "NB001", "undecodable-bytes", Error,
        "输入含有无法按所识别编码解码的字节", "The input has bytes that cannot be decoded in the detected encoding";
    EMPTY_INPUT = "NB002", "empty-input", Error,
        "输入为空或只有空白", "The input is empty or whitespace only";
    NOT_A_REPORT = "NB003", "not-a-report", Error,
        "输入看起来不是政府信息公开工作年度报告（无报告标题用语、无提纲、无表格）",
        "The input does not look like an annual report (no report title words, no outline, no table)";
    TABLES_UNREADABLE = "NB004", "tables-unreadable", Warning,
        "表格单元格连在一起，无法读出表格数值",
        "The table cells run together, so the table values cannot be read";
    PAGE_BREAK_JOIN = "NB010", "page-break-join", Info,
        "修复：被分页断开的句子已接合", "Repair: a sentence split by a page break was joined";
    PAGE_TOP_REPEAT = "NB011", "page-top-repeat", Info,
        "修复：页首重复上一页末行的文字已略去", "Repair: a page-top line repeating the previous page's last line was skipped";
    REPEATED_CHARACTER = "NB012", "repeated-character", Info,
        "修复：跨页重复的单个字符已略去", "Repair: a single character repeated across a page break was skipped";
    TABLE_INSIDE_SENTENCE = "NB013", "table-inside-sentence", Info,
        "修复：插在句子中间的表格之后，段落接续", "Repair: the paragraph continues after a table inserted mid-sentence";
    TABLE_CONTINUATION = "NB014", "table-continuation", Info,
        "修复：跨页拆分的表格已合并为一个表格", "Repair: a table split across pages was merged into one";
    PAGE_NUMBER_LINE = "NB015", "page-number-line", Info,
        "修复：页码行已略去", "Repair: a page-number line was skipped";
    HARD_WRAP = "NB016", "hard-wrap", Info,
        "修复：PDF 固定宽度换行已接合", "Repair: fixed-width PDF line wraps were joined";
    HARD_LINE_BREAK = "NB017", "hard-line-break", Info,
        "修复：段落内的硬换行已接合", "Repair: a hard line break inside a paragraph was joined";
    ENTITY_OR_FULLWIDTH = "NB018", "entity-or-fullwidth-symbol", Info,
        "修复：HTML 实体（如 &nbsp;）或全角符号（如 ＠）已按其含义读取",
        "Repair: an HTML entity (such as &nbsp;) or a full-width symbol (such as ＠) was read as what it means";
    SPLIT_TITLE = "NB019", "split-title", Info,
        "修复：分成两段的标题已合并", "Repair: a title split over two paragraphs was joined";
    CONVERTER_ESCAPE = "NB020", "converter-escape", Info,
        "修复：转换工具的转义符（如 \\_）已去除", "Repair: a converter escape (such as \\_) was undone";
    RUN_TOGETHER_PARAGRAPHS = "NB022", "run-together-paragraphs", Info,
        "修复：整篇挤在一行的纯文本已按章节编号拆分为段落", "Repair: a plain-text dump with the whole body on one line was split into paragraphs at its section numbers";
    MIXED_WIDTHS = "NB021", "mixed-widths", Info,
        "全角与半角混用；比对时按统一宽度读取，原文不变",
        "Full-width and half-width forms are mixed; matching reads them as one width, the source stays as written";
}
