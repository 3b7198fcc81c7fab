//! `--format sarif`: a SARIF 2.1.0 log (one run) for code-scanning tools.
//!
//! - `tool.driver.rules` is the whole rule catalog ([`nianbao_model::catalog`]), each
//!   rule with its summary in the chosen language (both languages in `properties`),
//!   its documentation as `help.markdown` (and plain `help.text`) and its default level.
//! - Each finding is a result with `ruleId`, `ruleIndex`, `level` (`error`,
//!   `warning`, `note` for info), the message in the chosen language, the primary
//!   region and the related regions (their label as message).
//! - Regions are in the ORIGINAL file: `byteOffset`/`byteLength` count its bytes
//!   (also for GB18030 input), lines and columns are 1-based and columns count
//!   Unicode characters (`run.columnKind` is `unicodeCodePoints`); `endColumn`
//!   is one past the last character, as SARIF wants.
//! - `partialFingerprints["nianbao/v1"]` identifies a finding across re-runs and
//!   edits elsewhere in the file (see [`fingerprint`]).
//!
//! Only the small per-finding results are kept between reports, never the parses.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use nianbao_model::grammar::diagnostic::DiagnosticCode;
use nianbao_model::grammar::{Diagnostic, Encoding, Message, Parsed, Severity, Span};
use nianbao_model::output::Location as OutputLocation;
use nianbao_model::settings::Lang;
use nianbao_model::CheckedReport;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Preparer, RenderOptions, Renderer};

/// The schema the log names in `$schema`.
const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of nianbao's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "nianbao/v1";

/// The base id of relative paths (the directory the check ran in).
const SRCROOT: &str = "%SRCROOT%";

/// Collects results per report and writes the SARIF log at the end.
pub struct SarifRenderer {
    options: RenderOptions,
    codes: Vec<&'static DiagnosticCode>,
    artifacts: Vec<Artifact>,
    artifact_index: HashMap<String, usize>,
    results: Vec<SarifResult>,
}

impl SarifRenderer {
    /// A renderer for these options.
    pub fn new(options: RenderOptions) -> Self {
        let codes = nianbao_model::catalog();
        SarifRenderer {
            options,
            codes,
            artifacts: Vec::new(),
            artifact_index: HashMap::new(),
            results: Vec::new(),
        }
    }
}

/// A report's part of the log, before it has its artifact's index (given in the
/// run's order).
pub struct Prepared {
    /// Its artifact, without the index.
    artifact: Artifact,
    /// Its results, their locations without the artifact's index.
    results: Vec<SarifResult>,
}

/// The report's artifact and results.
fn prepare(options: RenderOptions, path: &str, report: &CheckedReport) -> super::Prepared {
    let parsed = &report.parsed;
    let location = artifact_location(path);
    let mut seen: HashMap<[u8; 32], usize> = HashMap::new();
    let results = report
        .diagnostics
        .iter()
        .map(|d| result(options.lang, report, &location, d, &mut seen))
        .collect();
    // A Word document's offsets count the text read out of it, not the file's
    // bytes: its artifact has no length or encoding of its own (-1: unknown).
    let word = report.docx.is_some();
    super::Prepared::Sarif(Box::new(Prepared {
        artifact: Artifact {
            location,
            length: if word {
                -1
            } else {
                i64::try_from(parsed.source().len()).unwrap_or(i64::MAX)
            },
            encoding: (!word).then(|| encoding_name(parsed.encoding)),
            roles: vec!["analysisTarget"],
        },
        results,
    }))
}

impl Renderer for SarifRenderer {
    fn preparer(&self) -> Preparer {
        Preparer {
            options: self.options,
            prepare,
        }
    }

    fn emit(&mut self, prepared: super::Prepared) -> String {
        let super::Prepared::Sarif(prepared) = prepared else {
            return String::new();
        };
        let Prepared {
            artifact,
            mut results,
        } = *prepared;
        // `run.artifacts` must hold unique items: a path named twice is one artifact.
        let index = match self.artifact_index.get(&artifact.location.uri) {
            Some(&i) => i,
            None => {
                let i = self.artifacts.len();
                self.artifact_index.insert(artifact.location.uri.clone(), i);
                self.artifacts.push(artifact);
                i
            }
        };
        for r in &mut results {
            for l in r.locations.iter_mut().chain(r.related_locations.iter_mut()) {
                // A place in another report (a copied passage) is not this artifact.
                let here = &mut l.physical_location.artifact_location;
                if self
                    .artifacts
                    .get(index)
                    .is_some_and(|a| a.location.uri == here.uri)
                {
                    here.index = Some(index);
                }
            }
        }
        self.results.append(&mut results);
        String::new()
    }

    fn finish(&mut self) -> String {
        let lang = self.options.lang;
        let log = SarifLog {
            schema: SARIF_SCHEMA,
            version: "2.1.0",
            runs: vec![Run {
                tool: Tool {
                    driver: Driver {
                        name: "nianbao",
                        version: env!("CARGO_PKG_VERSION"),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        language: language_tag(lang),
                        rules: self.codes.iter().map(|c| rule(c, lang)).collect(),
                    },
                },
                language: language_tag(lang),
                column_kind: "unicodeCodePoints",
                artifacts: std::mem::take(&mut self.artifacts),
                results: std::mem::take(&mut self.results),
            }],
        };
        let mut out =
            serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
        out.push('\n');
        out
    }
}

/// The index of each code in the log's rules: the catalog's order.
fn rule_index(code: &str) -> Option<usize> {
    static INDEX: std::sync::OnceLock<HashMap<&'static str, usize>> = std::sync::OnceLock::new();
    INDEX
        .get_or_init(|| {
            nianbao_model::catalog()
                .iter()
                .enumerate()
                .map(|(i, c)| (c.code, i))
                .collect()
        })
        .get(code)
        .copied()
}

/// The SARIF result of one finding.
fn result(
    lang: Lang,
    report: &CheckedReport,
    artifact: &ArtifactLocation,
    d: &Diagnostic,
    seen: &mut HashMap<[u8; 32], usize>,
) -> SarifResult {
    let parsed = &report.parsed;
    let place = |span: Span, message: Option<&Message>, id: Option<usize>| {
        // In a Word document the place is logical (a paragraph, a table cell):
        // a region of the file's bytes would point into the ZIP package.
        let logical = OutputLocation::of(report, span);
        Location {
            id,
            physical_location: PhysicalLocation {
                artifact_location: artifact.clone(),
                region: report.docx.is_none().then(|| region(parsed, span)),
            },
            logical_locations: logical
                .map(|l| logical_location(&l, lang))
                .into_iter()
                .collect(),
            message: message.map(|m| Text {
                text: lang.pick(m).to_string(),
            }),
        }
    };
    let related = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| match &r.elsewhere {
            // A place in another report: its artifact, located when the finding was made.
            Some(e) => Location {
                id: Some(i + 1),
                physical_location: PhysicalLocation {
                    artifact_location: artifact_location(&e.path),
                    region: Some(Region {
                        start_line: e.line,
                        start_column: e.column,
                        end_line: e.end_line,
                        end_column: e.end_column,
                        byte_offset: r.span.start,
                        byte_length: r.span.end.saturating_sub(r.span.start),
                    }),
                },
                logical_locations: Vec::new(),
                message: Some(Text {
                    text: lang.pick(&r.label).to_string(),
                }),
            },
            None => place(r.span, Some(&r.label), Some(i + 1)),
        })
        .collect();
    let key = fingerprint_key(parsed, d.code, d.span);
    let occurrence = seen.entry(key).or_insert(0);
    *occurrence += 1;
    let fingerprint = fingerprint(&key, *occurrence);
    SarifResult {
        rule_id: d.code,
        rule_index: rule_index(d.code),
        level: level(d.severity),
        message: Text {
            text: lang.pick(&d.message).to_string(),
        },
        locations: vec![place(d.span, None, None)],
        related_locations: related,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
        properties: ResultProperties {
            name: d.name,
            messages: d.message.clone(),
            expected: d.expected.clone(),
            found: d.found.clone(),
            relation: d.relation.clone(),
        },
    }
}

/// A place in a Word document as a SARIF logical location: its name in words
/// (`第 12 段`, `表三 第 5 行 第 2 列`), a path-like full name (`paragraph/12`,
/// `table/3/row/5/column/2`), and the text there in its properties.
fn logical_location(location: &OutputLocation, lang: Lang) -> LogicalLocation {
    let full = match (
        location.paragraph,
        location.table,
        location.row,
        location.column,
    ) {
        (Some(p), ..) => format!("paragraph/{p}"),
        (None, Some(t), Some(r), Some(c)) => format!("table/{t}/row/{r}/column/{c}"),
        (None, Some(t), ..) => format!("table/{t}"),
        _ => String::new(),
    };
    LogicalLocation {
        name: lang.pick(&location.describe()).to_string(),
        fully_qualified_name: full,
        kind: "element",
        properties: LogicalProperties {
            text: location.text.clone(),
        },
    }
}

/// SARIF's level of a severity (`info` is `note`).
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn language_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en-US",
    }
}

fn encoding_name(encoding: Encoding) -> &'static str {
    match encoding {
        Encoding::Utf8 | Encoding::Utf8Bom => "UTF-8",
        Encoding::Gb18030 => "GB18030",
        Encoding::Utf16Le => "UTF-16LE",
        Encoding::Utf16Be => "UTF-16BE",
    }
}

/// The region of an original span: start and end line/column (the end one past
/// the last character), byte offset and length, all in the original file.
fn region(parsed: &Parsed, span: Span) -> Region {
    let start = parsed.locate(span);
    let end = parsed.line_col(span.end.max(span.start));
    Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
        byte_offset: span.start,
        byte_length: span.end.saturating_sub(span.start),
    }
}

/// How far the fingerprint's context reaches on either side of the span, in
/// bytes of decoded text (bounded so that a one-line dump stays linear).
const CONTEXT: usize = 240;

/// The fingerprint material of a finding, hashed: the code, the text at the span
/// and the text of the line around it (at most [`CONTEXT`] bytes each side),
/// both with every whitespace character removed. Line numbers, offsets, messages
/// and values are left out, so inserting a line elsewhere, re-wrapping or
/// re-spacing does not change it, while editing the text at the finding does.
fn fingerprint_key(parsed: &Parsed, code: &str, span: Span) -> [u8; 32] {
    let text = parsed.text.as_str();
    let start = floor_char(text, parsed.to_decoded(span.start).min(text.len()));
    let end = floor_char(text, parsed.to_decoded(span.end).clamp(start, text.len()));
    let from = floor_char(text, start.saturating_sub(CONTEXT));
    let line_start = text[from..start].rfind('\n').map_or(from, |i| from + i + 1);
    let to = floor_char(text, (end + CONTEXT).min(text.len()));
    let line_end = text[end..to].find('\n').map_or(to, |i| end + i);
    let mut hasher = Sha256::new();
    hasher.update(FINGERPRINT_KEY.as_bytes());
    hasher.update([0]);
    hasher.update(code.as_bytes());
    hasher.update([0]);
    hash_normalized(&mut hasher, &text[start..end]);
    hasher.update([0]);
    hash_normalized(&mut hasher, &text[line_start..start]);
    hasher.update([1]);
    hash_normalized(&mut hasher, &text[end..line_end]);
    hasher.finalize().into()
}

/// The fingerprint: sha-256 (hex) of the key and the finding's occurrence among
/// the findings of the file with the same key (1 for the first), so that two
/// identical findings on one line stay apart.
fn fingerprint(key: &[u8; 32], occurrence: usize) -> String {
    let mut hasher = Sha256::new();
    hasher.update(key);
    hasher.update(occurrence.to_string().as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Feeds the text without its whitespace characters.
fn hash_normalized(hasher: &mut Sha256, text: &str) {
    let mut buf = [0u8; 4];
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        hasher.update(c.encode_utf8(&mut buf).as_bytes());
    }
}

fn floor_char(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The artifact location of a path as the user named it: a relative path is a
/// relative URI reference against `%SRCROOT%` (the directory of the run), an
/// absolute path a `file:` URI. Characters a URI may not hold are percent-encoded.
fn artifact_location(path: &str) -> ArtifactLocation {
    let slashed = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_string()
    };
    if Path::new(path).is_absolute() {
        let encoded = encode_uri_path(&slashed, true);
        let uri = if encoded.starts_with('/') {
            format!("file://{encoded}")
        } else {
            format!("file:///{encoded}")
        };
        return ArtifactLocation {
            uri,
            uri_base_id: None,
            index: None,
        };
    }
    let mut relative = slashed.as_str();
    while let Some(rest) = relative.strip_prefix("./") {
        relative = rest.trim_start_matches('/');
    }
    ArtifactLocation {
        uri: encode_uri_path(relative, false),
        uri_base_id: Some(SRCROOT),
        index: None,
    }
}

/// Percent-encodes every byte outside RFC 3986's path characters. A colon is
/// encoded in a relative path (it would read as a scheme) and kept in an
/// absolute one (a Windows drive letter).
fn encode_uri_path(path: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            )
            || (keep_colon && b == b':');
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The reporting descriptor of one rule.
fn rule(code: &'static DiagnosticCode, lang: Lang) -> Rule {
    let summary = Message::new(code.summary_zh, code.summary_en);
    let doc = nianbao_model::docs::rule_doc(code.code).unwrap_or_default();
    let checks = section(&doc, "## What it checks");
    Rule {
        id: code.code,
        name: code.name,
        short_description: Text {
            text: lang.pick(&summary).to_string(),
        },
        full_description: Formatted {
            text: plain_text(&checks),
            markdown: checks,
        },
        help: Formatted {
            text: plain_text(&doc),
            markdown: doc,
        },
        default_configuration: Configuration {
            level: level(code.severity),
        },
        properties: RuleProperties {
            summary,
            tags: vec!["nianbao", family(code.code)],
        },
    }
}

/// The family of a code (`NB201` → `NB2xx`).
fn family(code: &str) -> &'static str {
    match code.as_bytes().get(2) {
        Some(b'0') => "NB0xx",
        Some(b'1') => "NB1xx",
        Some(b'2') => "NB2xx",
        Some(b'3') => "NB3xx",
        Some(b'4') => "NB4xx",
        Some(b'5') => "NB5xx",
        Some(b'6') => "NB6xx",
        _ => "NBxxx",
    }
}

/// The body of one `## ` section of a rule's documentation (trimmed).
fn section(doc: &str, heading: &str) -> String {
    let mut out = Vec::new();
    let mut inside = false;
    for line in doc.lines() {
        if line.starts_with("## ") {
            inside = line.trim_end() == heading;
            continue;
        }
        if inside {
            out.push(line);
        }
    }
    out.join("\n").trim().to_string()
}

/// Markdown as plain text: heading marks, code fences, backticks and `**` removed.
fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        let line = if in_fence {
            line.to_string()
        } else {
            line.trim_start_matches('#')
                .trim_start()
                .replace("**", "")
                .replace('`', "")
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

// The SARIF objects written, in SARIF's property names.

#[derive(Serialize)]
struct SarifLog {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    language: &'static str,
    column_kind: &'static str,
    artifacts: Vec<Artifact>,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    language: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Formatted,
    help: Formatted,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct RuleProperties {
    /// The summary in both languages.
    summary: Message,
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Formatted {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    location: ArtifactLocation,
    length: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
    roles: Vec<&'static str>,
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    properties: ResultProperties,
}

#[derive(Serialize)]
struct ResultProperties {
    /// The rule's kebab-case name.
    name: &'static str,
    /// The message in both languages.
    messages: Message,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    found: Option<String>,
    /// The template relation the finding is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    relation: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
    properties: LogicalProperties,
}

#[derive(Serialize)]
struct LogicalProperties {
    /// The text at the place, quoted.
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    byte_offset: usize,
    byte_length: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_uri_references_against_srcroot() {
        let loc = artifact_location("./tests/fixtures/a b.md");
        assert_eq!(loc.uri, "tests/fixtures/a%20b.md");
        assert_eq!(loc.uri_base_id, Some(SRCROOT));
        assert_eq!(
            artifact_location("报告:2024.md").uri,
            "%E6%8A%A5%E5%91%8A%3A2024.md"
        );
        assert_eq!(artifact_location("x%y#z?.md").uri, "x%25y%23z%3F.md");
    }

    #[cfg(unix)]
    #[test]
    fn absolute_paths_are_file_uris() {
        let loc = artifact_location("/srv/年报/a.md");
        assert_eq!(loc.uri, "file:///srv/%E5%B9%B4%E6%8A%A5/a.md");
        assert_eq!(loc.uri_base_id, None);
    }

    #[test]
    fn levels() {
        assert_eq!(level(Severity::Error), "error");
        assert_eq!(level(Severity::Warning), "warning");
        assert_eq!(level(Severity::Info), "note");
    }

    #[test]
    fn regions_count_characters_and_original_bytes() {
        let text = "一、概述\n\n本报告由某市人民政府办公室编制。\n";
        let parsed = nianbao_model::grammar::parse(text.as_bytes());
        let start = text.find("人民").expect("in text");
        let r = region(&parsed, Span::new(start, start + "人民政府".len()));
        assert_eq!((r.start_line, r.start_column), (3, 7));
        assert_eq!((r.end_line, r.end_column), (3, 11));
        assert_eq!((r.byte_offset, r.byte_length), (start, 12));
    }

    #[test]
    fn fingerprints_ignore_position_and_whitespace_but_not_text() {
        let a = nianbao_model::grammar::parse("标题\n\n收到申请 43 件。\n".as_bytes());
        let b = nianbao_model::grammar::parse("新的一行\n标题\n\n收到申请43件。\n".as_bytes());
        let c = nianbao_model::grammar::parse("标题\n\n收到申请 44 件。\n".as_bytes());
        let span_of = |p: &Parsed| {
            let s = p
                .text
                .find("43")
                .or_else(|| p.text.find("44"))
                .expect("number");
            Span::new(s, s + 2)
        };
        let fa = fingerprint_key(&a, "NB201", span_of(&a));
        assert_eq!(fa, fingerprint_key(&b, "NB201", span_of(&b)));
        assert_ne!(fa, fingerprint_key(&c, "NB201", span_of(&c)));
        assert_ne!(fa, fingerprint_key(&a, "NB202", span_of(&a)));
        assert_ne!(fingerprint(&fa, 1), fingerprint(&fa, 2));
        assert_eq!(fingerprint(&fa, 1).len(), 64);
    }

    #[test]
    fn plain_text_and_sections_of_a_rule_doc() {
        let doc = nianbao_model::docs::rule_doc("NB201").expect("documented");
        let checks = section(&doc, "## What it checks");
        assert!(checks.starts_with("合计不等于各分项之和"), "{checks}");
        assert!(!checks.contains("## "));
        let plain = plain_text(&doc);
        assert!(!plain.contains("## ") && !plain.contains('`'), "{plain}");
        assert!(plain.contains("What it checks"));
    }
}
