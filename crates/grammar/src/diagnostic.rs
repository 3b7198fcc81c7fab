//! The one diagnostic type shared by the grammar, the model's rules and every renderer.

use serde::Serialize;

use crate::span::Span;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// An observation or a repaired conversion artefact.
    Info,
    /// A likely problem.
    Warning,
    /// A definite inconsistency.
    Error,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A text in both languages of the tool: Chinese (the users' language) and English.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Message {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Message {
    /// A message from its Chinese and English texts.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Message {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// A secondary place a diagnostic points at (a part of a sum, the table cell behind a figure).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    /// What this place is, in both languages.
    pub label: Message,
    /// Where it is, in the original input (of the other report when [`Related::elsewhere`] is set).
    pub span: Span,
    /// The other report the place is in, when it is not in this one (a passage
    /// copied from last year's report): its path and where the span starts there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elsewhere: Option<Elsewhere>,
}

/// A place in another report than the one a finding is on: the report's path and
/// the line and column (1-based, in characters) of the related span's start and end
/// there. The other report is not at hand when the finding is rendered, so its
/// places are located when the finding is made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Elsewhere {
    /// The other report's path, as given.
    pub path: String,
    /// 1-based line of the span's start.
    pub line: usize,
    /// 1-based column of the span's start, in Unicode characters.
    pub column: usize,
    /// 1-based line of the span's end.
    pub end_line: usize,
    /// 1-based column of the span's end, in Unicode characters.
    pub end_column: usize,
}

/// One finding: stable code and name, severity, message, primary span, related spans and values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code, `NB` and three digits (`NB001`).
    pub code: &'static str,
    /// Stable kebab-case rule name (`undecodable-bytes`).
    pub name: &'static str,
    /// Severity.
    pub severity: Severity,
    /// The message in both languages.
    pub message: Message,
    /// The primary span in the original input.
    pub span: Span,
    /// Related places.
    pub related: Vec<Related>,
    /// The value the check expected, when it has one.
    pub expected: Option<String>,
    /// The value found, when it has one.
    pub found: Option<String>,
    /// The id of the template relation the finding is about (`8.1`, `N3.4`), when
    /// it is about one: a field of the outputs, never part of the message.
    pub relation: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with no related spans and no values.
    pub fn new(code: &'static DiagnosticCode, span: Span, message: Message) -> Self {
        Diagnostic {
            code: code.code,
            name: code.name,
            severity: code.severity,
            message,
            span,
            related: Vec::new(),
            expected: None,
            found: None,
            relation: None,
        }
    }

    /// Adds a related span.
    pub fn with_related(mut self, span: Span, label: Message) -> Self {
        self.related.push(Related {
            label,
            span,
            elsewhere: None,
        });
        self
    }

    /// Adds a related span in another report (`span` is into that report's input).
    pub fn with_related_elsewhere(
        mut self,
        span: Span,
        elsewhere: Elsewhere,
        label: Message,
    ) -> Self {
        self.related.push(Related {
            label,
            span,
            elsewhere: Some(elsewhere),
        });
        self
    }

    /// Overrides the code's default severity (a template's relation or table says how serious it is).
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Sets the expected and found values.
    pub fn with_values(mut self, expected: impl Into<String>, found: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self.found = Some(found.into());
        self
    }

    /// Names the template relation the finding is about.
    pub fn with_relation(mut self, relation: impl Into<String>) -> Self {
        self.relation = Some(relation.into());
        self
    }
}

/// The identity of a diagnostic: code, name, default severity and one-line summary.
#[derive(Debug, PartialEq, Eq)]
pub struct DiagnosticCode {
    /// `NB` and three digits.
    pub code: &'static str,
    /// kebab-case name.
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One-line summary in both languages.
    pub summary_zh: &'static str,
    /// One-line summary in English.
    pub summary_en: &'static str,
    /// The rule's full documentation (Markdown, fixed sections: what it checks,
    /// why it matters, example, how to fix), taken from its doc comment.
    pub doc: &'static str,
}

/// Declares diagnostic codes: each one's doc comment becomes both its rustdoc and
/// its [`DiagnosticCode::doc`], so `docs/rules.md` and `nianbao rules NB201` are
/// generated from the same text.
///
/// ```
/// nianbao_grammar::diagnostic_codes! {
///     /// Checks nothing.
///     EXAMPLE = "NB999", "example", Info, "示例", "Example";
/// }
/// assert_eq!(EXAMPLE.doc.trim(), "Checks nothing.");
/// ```
#[macro_export]
macro_rules! diagnostic_codes {
    ($( $(#[doc = $doc:expr])* $ident:ident = $code:literal, $name:literal, $sev:ident, $zh:literal, $en:literal;)*) => {
        $(
            $(#[doc = $doc])*
            pub static $ident: $crate::diagnostic::DiagnosticCode = $crate::diagnostic::DiagnosticCode {
                code: $code,
                name: $name,
                severity: $crate::diagnostic::Severity::$sev,
                summary_zh: $zh,
                summary_en: $en,
                doc: concat!($($doc, "\n"),*),
            };
        )*
        /// Every code declared here, in declaration order.
        pub static ALL: &[&$crate::diagnostic::DiagnosticCode] = &[$(&$ident),*];
    };
}
