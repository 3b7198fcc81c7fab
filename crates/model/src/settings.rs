//! Settings of a check run, built by the CLI from its arguments and its
//! configuration file, or by the server from a request — without clap.
//!
//! Two levels, like ripgrep's low and high arguments:
//!
//! - a [`Layer`] is what one source says — the `nianbao.toml` file
//!   ([`Layer::from_toml`]), the command line, a request — with its rule
//!   selectors already checked ([`Selector::parse`]);
//! - [`Settings`] is the resolved result: start from [`Settings::default`] and
//!   apply the layers in order of precedence with [`Settings::with_layer`]
//!   (the file, then the command line: a later layer overrides an earlier one).
//!
//! [`Settings::apply`] then filters a report's findings and sets their severities.
//!
//! ```
//! use nianbao_model::settings::{Layer, Selector, Settings};
//! use nianbao_model::grammar::Severity;
//!
//! let file = Layer::from_toml(
//!     "ignore = [\"NB2\"]\n\n[severity]\npage-break-join = \"warning\"\n",
//! ).expect("a valid file");
//! let command_line = Layer {
//!     select: Some(vec![Selector::parse("NB201").expect("known"), Selector::parse("NB0").expect("known")]),
//!     ..Layer::default()
//! };
//! let settings = Settings::default().with_layer(&file).with_layer(&command_line);
//! // `--select` replaces the file's selection: NB201 is back, NB1xx is off.
//! assert!(settings.rules.is_enabled("NB201"));
//! assert!(!settings.rules.is_enabled("NB202"));
//! assert!(!settings.rules.is_enabled("NB101"));
//! // The file's severities still apply.
//! assert_eq!(settings.rules.severity_override("NB010"), Some(Severity::Warning));
//! ```

use std::collections::BTreeMap;
use std::fmt;

use nianbao_grammar::{Diagnostic, Message, Severity};
use serde::Deserialize;

/// The files `nianbao check DIR` takes when no glob is given (matched case-insensitively).
pub const DEFAULT_GLOBS: [&str; 5] = ["*.md", "*.txt", "*.html", "*.htm", "*.docx"];

/// The largest file checked by default (64 MiB); a larger one is a finding, not a parse.
/// Published reports are well under 1 MiB (an HTML page with images a few MiB), and a
/// parse holds several times the input in memory.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// The name of the configuration file, looked for upward from the checked path.
pub const CONFIG_FILE_NAME: &str = "nianbao.toml";

/// The language of messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Chinese, the users' language (the default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The language a locale asks for: `en*` is English, anything else Chinese.
    ///
    /// ```
    /// use nianbao_model::settings::Lang;
    /// assert_eq!(Lang::from_locale(Some("en_US.UTF-8")), Lang::En);
    /// assert_eq!(Lang::from_locale(Some("zh_CN.UTF-8")), Lang::Zh);
    /// assert_eq!(Lang::from_locale(None), Lang::Zh);
    /// ```
    pub fn from_locale(locale: Option<&str>) -> Lang {
        match locale {
            Some(l) if l.to_ascii_lowercase().starts_with("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    /// The language of the environment: `LC_ALL`, then `LC_MESSAGES`, then `LANG`; else Chinese.
    pub fn from_env() -> Lang {
        let pick = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty());
        Lang::from_locale(pick.as_deref())
    }

    /// Picks the text of this language from a bilingual message.
    pub fn pick(self, message: &nianbao_grammar::Message) -> &str {
        match self {
            Lang::Zh => &message.zh,
            Lang::En => &message.en,
        }
    }
}

/// The lowest severity that makes a run fail (exit 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Fail on errors only (the default).
    #[default]
    Error,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on any finding.
    Info,
    /// Never fail because of findings.
    Never,
}

impl FailOn {
    /// True when a finding of `severity` fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

/// A rule selector: a code (`NB201`), a family (`NB2`, `NB2xx`, `NB20`, `NB20x`)
/// or a rule name (`sum-mismatch`), any case. It always names at least one rule
/// of the catalog.
///
/// ```
/// use nianbao_model::settings::Selector;
/// let family = Selector::parse("NB2xx").expect("a family");
/// assert!(family.matches("NB201") && !family.matches("NB101"));
/// assert!(Selector::parse("sum-mismatch").expect("a name").matches("NB201"));
/// assert_eq!(Selector::parse("NB999").unwrap_err().0, "NB999");
/// assert!(Selector::parse("NB9").is_err(), "no rule in that family");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selector {
    text: String,
    target: Target,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    /// One code, `NB201`.
    Code(&'static str),
    /// A code prefix, `NB2` or `NB20`.
    Family(String),
}

impl Selector {
    /// Reads a selector; an unknown one is an error naming it.
    pub fn parse(text: &str) -> Result<Selector, UnknownRule> {
        let t = text.trim();
        if let Some(code) = crate::docs::find(t) {
            return Ok(Selector {
                text: t.to_string(),
                target: Target::Code(code.code),
            });
        }
        if let Some(prefix) = family_prefix(t) {
            if crate::catalog().iter().any(|c| c.code.starts_with(&prefix)) {
                return Ok(Selector {
                    text: t.to_string(),
                    target: Target::Family(prefix),
                });
            }
        }
        Err(UnknownRule(t.to_string()))
    }

    /// The selector as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when it selects this code.
    pub fn matches(&self, code: &str) -> bool {
        match &self.target {
            Target::Code(c) => *c == code,
            Target::Family(prefix) => code.starts_with(prefix.as_str()),
        }
    }

    /// How precise it is: 3 for a code or name, 2 for `NB20`, 1 for `NB2`. The
    /// most precise selector that matches a code decides for it.
    pub fn specificity(&self) -> usize {
        match &self.target {
            Target::Code(_) => 3,
            Target::Family(prefix) => prefix.len() - 2,
        }
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Selector {
    type Err = UnknownRule;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Selector::parse(s)
    }
}

/// `NB` + one or two digits, optionally padded with `x` to three places: the prefix, uppercase.
fn family_prefix(t: &str) -> Option<String> {
    let upper = t.to_ascii_uppercase();
    let rest = upper.strip_prefix("NB")?;
    let digits = rest.trim_end_matches('X');
    let xs = rest.len() - digits.len();
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if xs != 0 && digits.len() + xs != 3 {
        return None;
    }
    Some(format!("NB{digits}"))
}

/// A selector that names no rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule `{0}`; `nianbao rules` lists them all")]
pub struct UnknownRule(pub String);

impl UnknownRule {
    /// The error in both languages.
    pub fn message(&self) -> Message {
        Message::new(
            format!("未知的规则“{}”；用 `nianbao rules` 列出全部规则", self.0),
            self.to_string(),
        )
    }
}

/// What one source of settings says (the configuration file, the command line, a
/// request). `None` and empty lists leave the earlier layers' values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layer {
    /// Message language.
    pub lang: Option<Lang>,
    /// Failing severity.
    pub fail_on: Option<FailOn>,
    /// Only these rules (replaces the selection of earlier layers).
    pub select: Option<Vec<Selector>>,
    /// Not these rules (on top of the selection).
    pub ignore: Vec<Selector>,
    /// Severity overrides; the most precise selector wins.
    pub severity: Vec<(Selector, Severity)>,
    /// Gitignore-style globs choosing the files of a walked directory (replaces earlier globs).
    pub globs: Option<Vec<String>>,
    /// The largest file to check, in bytes.
    pub max_file_size: Option<u64>,
    /// The lowest severity reported (`min-severity`, Vale's `minAlertLevel`).
    pub min_severity: Option<Severity>,
    /// Counts per rule instead of the findings (`statistics`).
    pub statistics: Option<bool>,
    /// The share of copied text, in percent, from which it is a warning (`copy-threshold`).
    pub copy_threshold: Option<u8>,
    /// Whether the reports of a run are compared with each other (`copy-across`).
    pub copy_across: Option<bool>,
}

/// The findings without which a run's silence would mean nothing: the input could
/// not be decoded, was empty, is not a report, could not be read, was too large, ran
/// out of time, was not checked, is not text at all (a PDF, an image), or is a Word
/// document that cannot be read. Only their own codes turn them off.
pub const INPUT_ERRORS: [&str; 9] = [
    "NB001", "NB002", "NB003", "NB005", "NB007", "NB008", "NB009", "NB025", "NB026",
];

/// Which rules are on and at what severity: the rule selections of the layers, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleSettings {
    layers: Vec<RuleLayer>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct RuleLayer {
    select: Option<Vec<Selector>>,
    ignore: Vec<Selector>,
    severity: Vec<(Selector, Severity)>,
}

/// The specificity of the most precise selector of `list` matching `code`.
fn best<'a>(list: impl IntoIterator<Item = &'a Selector>, code: &str) -> Option<usize> {
    list.into_iter()
        .filter(|s| s.matches(code))
        .map(Selector::specificity)
        .max()
}

impl RuleSettings {
    /// True when findings of `code` are reported. Layer by layer: a layer with a
    /// selection turns off what it does not select; within a layer the most
    /// precise matching selector decides, and `ignore` wins a tie.
    ///
    /// The findings that make a run meaningless ([`INPUT_ERRORS`]: undecodable,
    /// empty, not a report, unreadable, too large, out of time, not checked) are
    /// only turned off by ignoring their own code: a selection (`--select NB2`) or
    /// an ignored family (`--ignore NB0`) leaves them in place.
    pub fn is_enabled(&self, code: &str) -> bool {
        let vital = INPUT_ERRORS.contains(&code);
        let mut on = true;
        for layer in &self.layers {
            let selected = layer
                .select
                .as_ref()
                .filter(|_| !vital)
                .map(|s| best(s, code));
            let ignored = best(
                layer
                    .ignore
                    .iter()
                    .filter(|s| !vital || s.specificity() == 3),
                code,
            );
            match (selected, ignored) {
                (Some(Some(s)), Some(i)) => on = s > i,
                (_, Some(_)) => on = false,
                (Some(Some(_)), None) => on = true,
                (Some(None), None) => on = false,
                (None, None) => {}
            }
        }
        on
    }

    /// The severity the layers set for `code`, if any: in each layer the most precise
    /// matching selector (the later one on a tie); a later layer overrides an earlier one.
    pub fn severity_override(&self, code: &str) -> Option<Severity> {
        let mut out = None;
        for layer in &self.layers {
            let mut found: Option<(usize, Severity)> = None;
            for (selector, severity) in &layer.severity {
                if selector.matches(code) && found.is_none_or(|(s, _)| selector.specificity() >= s)
                {
                    found = Some((selector.specificity(), *severity));
                }
            }
            if let Some((_, severity)) = found {
                out = Some(severity);
            }
        }
        out
    }
}

/// Everything that shapes a check run, whoever starts it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Message language.
    pub lang: Lang,
    /// Failing severity.
    pub fail_on: FailOn,
    /// Which rules are on, and their severities.
    pub rules: RuleSettings,
    /// Globs choosing the files of a walked directory; empty: [`DEFAULT_GLOBS`].
    /// Only negated globs (`!draft*`) keep the defaults and exclude from them.
    pub globs: Vec<String>,
    /// The largest file to check, in bytes.
    pub max_file_size: u64,
    /// The lowest severity reported, when one is set; below it findings are
    /// dropped in every output. Unset, human output shows warnings and errors and
    /// counts the infos in a line per rule; the documents carry every finding.
    pub min_severity: Option<Severity>,
    /// Counts per rule instead of the findings.
    pub statistics: bool,
    /// The share of a report's own text, in percent (1–100), from which text
    /// repeated from last year's report (NB605) or another report of the run
    /// (NB607) is a warning.
    pub copy_threshold: u8,
    /// Whether the reports of a run are compared with each other (NB607).
    pub copy_across: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lang: Lang::default(),
            fail_on: FailOn::default(),
            rules: RuleSettings::default(),
            globs: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            min_severity: None,
            statistics: false,
            copy_threshold: crate::copies::DEFAULT_THRESHOLD,
            copy_across: true,
        }
    }
}

impl Settings {
    /// These settings with a layer applied on top.
    pub fn with_layer(mut self, layer: &Layer) -> Settings {
        if let Some(lang) = layer.lang {
            self.lang = lang;
        }
        if let Some(fail_on) = layer.fail_on {
            self.fail_on = fail_on;
        }
        if let Some(globs) = &layer.globs {
            self.globs = globs.clone();
        }
        if let Some(size) = layer.max_file_size {
            self.max_file_size = size;
        }
        if let Some(min) = layer.min_severity {
            self.min_severity = Some(min);
        }
        if let Some(statistics) = layer.statistics {
            self.statistics = statistics;
        }
        if let Some(threshold) = layer.copy_threshold {
            self.copy_threshold = threshold;
        }
        if let Some(across) = layer.copy_across {
            self.copy_across = across;
        }
        if layer.select.is_some() || !layer.ignore.is_empty() || !layer.severity.is_empty() {
            self.rules.layers.push(RuleLayer {
                select: layer.select.clone(),
                ignore: layer.ignore.clone(),
                severity: layer.severity.clone(),
            });
        }
        self
    }

    /// The findings these settings report: those of selected rules, with their
    /// severity overrides applied; order kept.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let min = self.min_severity.unwrap_or(Severity::Info);
        diagnostics
            .into_iter()
            .filter(|d| self.rules.is_enabled(d.code))
            .map(|mut d| {
                if let Some(severity) = self.rules.severity_override(d.code) {
                    d.severity = severity;
                }
                d
            })
            // An input error is reported whatever the minimum: silence would pass it for clean.
            .filter(|d| d.severity >= min || INPUT_ERRORS.contains(&d.code))
            .collect()
    }

    /// True when one of these findings fails the run.
    pub fn fails(&self, diagnostics: &[Diagnostic]) -> bool {
        diagnostics.iter().any(|d| self.fail_on.fails(d.severity))
    }

    /// The globs a walk uses: [`Settings::globs`], after the defaults when none of them
    /// is a positive glob. Later globs win, as in a `.gitignore`.
    pub fn effective_globs(&self) -> Vec<(String, bool)> {
        let positive = self.globs.iter().any(|g| !g.starts_with('!'));
        let mut out: Vec<(String, bool)> = Vec::new();
        if !positive {
            out.extend(DEFAULT_GLOBS.iter().map(|g| (g.to_string(), true)));
        }
        out.extend(self.globs.iter().map(|g| (g.clone(), false)));
        out
    }
}

/// Reads a size: bytes, or a number with `K`, `M` or `G` (binary multiples; `KB`,
/// `MiB` and the like also read).
///
/// ```
/// use nianbao_model::settings::parse_size;
/// assert_eq!(parse_size("64M"), Some(64 * 1024 * 1024));
/// assert_eq!(parse_size("512 KiB"), Some(512 * 1024));
/// assert_eq!(parse_size("1000"), Some(1000));
/// assert_eq!(parse_size("lots"), None);
/// ```
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let digits_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let number: u64 = t[..digits_end].parse().ok()?;
    let unit = t[digits_end..].trim().to_ascii_uppercase();
    let factor: u64 = match unit.as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(factor)
}

/// A problem in a configuration file: the line when known, and a message naming the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// 1-based line in the file.
    pub line: Option<usize>,
    /// What is wrong, in both languages.
    pub message: Message,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message.en),
            None => f.write_str(&self.message.en),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The keys of `nianbao.toml`.
const CONFIG_KEYS: [&str; 11] = [
    "select",
    "ignore",
    "fail-on",
    "lang",
    "glob",
    "severity",
    "max-file-size",
    "min-severity",
    "statistics",
    "copy-threshold",
    "copy-across",
];

/// `nianbao.toml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigFile {
    select: Option<Vec<toml::Spanned<String>>>,
    ignore: Option<Vec<toml::Spanned<String>>>,
    fail_on: Option<FailOn>,
    lang: Option<Lang>,
    glob: Option<Vec<String>>,
    severity: Option<BTreeMap<toml::Spanned<String>, SeverityName>>,
    max_file_size: Option<toml::Spanned<SizeValue>>,
    min_severity: Option<SeverityName>,
    statistics: Option<bool>,
    copy_threshold: Option<toml::Spanned<i64>>,
    copy_across: Option<bool>,
}

/// A severity as the configuration writes it.
#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum SeverityName {
    Error,
    Warning,
    Info,
}

impl From<SeverityName> for Severity {
    fn from(s: SeverityName) -> Severity {
        match s {
            SeverityName::Error => Severity::Error,
            SeverityName::Warning => Severity::Warning,
            SeverityName::Info => Severity::Info,
        }
    }
}

/// `max-file-size = 1048576` or `max-file-size = "1M"`.
#[derive(Deserialize)]
#[serde(untagged)]
enum SizeValue {
    Bytes(u64),
    Text(String),
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

impl Layer {
    /// Reads the text of a `nianbao.toml`. An unknown key, an unknown rule, a bad
    /// value or malformed TOML is an error with its line; nothing is silently ignored.
    ///
    /// ```
    /// use nianbao_model::settings::Layer;
    /// let err = Layer::from_toml("select = [\"NB2\"]\nignor = [\"NB201\"]\n").unwrap_err();
    /// assert_eq!(err.line, Some(2));
    /// assert!(err.message.en.contains("unknown key `ignor`"));
    /// let err = Layer::from_toml("[severity]\nNB999 = \"error\"\n").unwrap_err();
    /// assert!(err.message.en.contains("`NB999`") && err.message.en.contains("[severity]"));
    /// ```
    pub fn from_toml(text: &str) -> Result<Layer, ConfigError> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        let selectors = |list: Option<Vec<toml::Spanned<String>>>, key: &str| {
            list.map(|items| {
                items
                    .into_iter()
                    .map(|item| {
                        Selector::parse(item.get_ref())
                            .map_err(|e| unknown_rule(text, item.span().start, &e, key))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()
        };
        let select = selectors(file.select, "select")?;
        let ignore = selectors(file.ignore, "ignore")?.unwrap_or_default();
        let mut severity = Vec::new();
        for (key, value) in file.severity.unwrap_or_default() {
            let selector = Selector::parse(key.get_ref())
                .map_err(|e| unknown_rule(text, key.span().start, &e, "[severity]"))?;
            severity.push((selector, Severity::from(value)));
        }
        // Most precise last, so that ties within the file are broken by order.
        severity.sort_by_key(|(s, _)| s.specificity());
        let max_file_size = match file.max_file_size {
            None => None,
            Some(value) => {
                let span = value.span();
                let size = match value.into_inner() {
                    SizeValue::Bytes(n) => Some(n),
                    SizeValue::Text(t) => parse_size(&t),
                };
                match size {
                    Some(n) => Some(n),
                    None => {
                        return Err(ConfigError {
                            line: Some(line_of(text, span.start)),
                            message: Message::new(
                                "`max-file-size` 的值无效：应为字节数或带 K、M、G 的大小，如 \"64M\"",
                                "invalid `max-file-size`: give bytes or a size with K, M or G, such as \"64M\"",
                            ),
                        });
                    }
                }
            }
        };
        let copy_threshold = match file.copy_threshold {
            None => None,
            Some(value) => {
                let span = value.span();
                match parse_threshold(&value.into_inner().to_string()) {
                    Some(t) => Some(t),
                    None => {
                        return Err(ConfigError {
                            line: Some(line_of(text, span.start)),
                            message: threshold_error("`copy-threshold`"),
                        })
                    }
                }
            }
        };
        Ok(Layer {
            lang: file.lang,
            fail_on: file.fail_on,
            select,
            ignore,
            severity,
            globs: file.glob,
            max_file_size,
            min_severity: file.min_severity.map(Severity::from),
            statistics: file.statistics,
            copy_threshold,
            copy_across: file.copy_across,
        })
    }
}

/// A copy threshold as written (`50`, `50%`): a whole percent from 1 to 100.
///
/// ```
/// use nianbao_model::settings::parse_threshold;
/// assert_eq!(parse_threshold("50"), Some(50));
/// assert_eq!(parse_threshold("73%"), Some(73));
/// assert_eq!(parse_threshold("0"), None);
/// assert_eq!(parse_threshold("101"), None);
/// ```
pub fn parse_threshold(text: &str) -> Option<u8> {
    let t = text.trim();
    let t = t.strip_suffix('%').unwrap_or(t).trim();
    t.parse::<u8>().ok().filter(|p| (1..=100).contains(p))
}

/// The message of a copy threshold that is not a whole percent from 1 to 100.
pub fn threshold_error(name: &str) -> Message {
    Message::new(
        format!("{name} 的值无效：应为 1 到 100 的整数百分比，如 50"),
        format!("invalid {name}: give a whole percent from 1 to 100, such as 50"),
    )
}

fn unknown_rule(text: &str, offset: usize, e: &UnknownRule, key: &str) -> ConfigError {
    ConfigError {
        line: Some(line_of(text, offset)),
        message: Message::new(
            format!(
                "`{key}` 中有未知的规则“{}”；用 `nianbao rules` 列出全部规则",
                e.0
            ),
            format!(
                "unknown rule `{}` in `{key}`; `nianbao rules` lists them all",
                e.0
            ),
        ),
    }
}

/// A multi-line message of the TOML reader on one line.
fn one_line(msg: &str) -> String {
    msg.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

fn toml_error(text: &str, e: &toml::de::Error) -> ConfigError {
    let line = e.span().map(|s| line_of(text, s.start));
    let msg = e.message().trim();
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        return ConfigError {
            line,
            message: Message::new(
                format!(
                    "未知的配置项“{key}”；可用的配置项：{}",
                    CONFIG_KEYS.join("、")
                ),
                format!(
                    "unknown key `{key}`; the keys are {}",
                    CONFIG_KEYS.join(", ")
                ),
            ),
        };
    }
    let msg = one_line(msg);
    let is_value = ["unknown variant", "invalid type", "invalid value"]
        .iter()
        .any(|p| msg.starts_with(p));
    if let Some(key) = e
        .span()
        .and_then(|s| key_at(text, s.start))
        .filter(|_| is_value)
    {
        return ConfigError {
            line,
            message: Message::new(
                format!("“{key}”的值无效：{msg}"),
                format!("invalid value of `{key}`: {msg}"),
            ),
        };
    }
    ConfigError {
        line,
        message: Message::new(format!("格式有误：{msg}"), msg),
    }
}

/// The key of the `key = value` line holding `offset`, when the offset is in the value.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let before = text.get(..offset.min(text.len()))?;
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let key = line[..line.find('=')?].trim().trim_matches('"').trim();
    (!key.is_empty()).then(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(list: &[&str]) -> Vec<Selector> {
        list.iter()
            .map(|s| Selector::parse(s).expect("known selector"))
            .collect()
    }

    fn settings(layers: &[Layer]) -> Settings {
        layers
            .iter()
            .fold(Settings::default(), |s, l| s.with_layer(l))
    }

    #[test]
    fn selectors_read_codes_families_and_names() {
        for ok in [
            "NB201",
            "nb201",
            "sum-mismatch",
            "SUM-MISMATCH",
            "NB2",
            "NB2xx",
            "nb2XX",
            "NB20",
            "NB20x",
            "NB0",
            " NB010 ",
        ] {
            assert!(Selector::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "NB", "NB2x", "NB9", "NB999", "NB2001", "sum", "NBxx", "201", "NB-2",
        ] {
            assert_eq!(
                Selector::parse(bad),
                Err(UnknownRule(bad.trim().to_string())),
                "{bad}"
            );
        }
        assert_eq!(Selector::parse("NB2").map(|s| s.specificity()), Ok(1));
        assert_eq!(Selector::parse("NB20x").map(|s| s.specificity()), Ok(2));
        assert_eq!(
            Selector::parse("sum-mismatch").map(|s| s.specificity()),
            Ok(3)
        );
    }

    #[test]
    fn select_and_ignore_most_precise_wins() {
        let s = settings(&[Layer {
            select: Some(sel(&["NB2"])),
            ignore: sel(&["NB201"]),
            ..Layer::default()
        }]);
        assert!(s.rules.is_enabled("NB202"));
        assert!(!s.rules.is_enabled("NB201"));
        assert!(!s.rules.is_enabled("NB101"));
        let s = settings(&[Layer {
            select: Some(sel(&["sum-mismatch"])),
            ignore: sel(&["NB2"]),
            ..Layer::default()
        }]);
        assert!(s.rules.is_enabled("NB201"), "the more precise select wins");
        assert!(!s.rules.is_enabled("NB202"));
        let s = settings(&[Layer {
            select: Some(sel(&["NB201"])),
            ignore: sel(&["sum-mismatch"]),
            ..Layer::default()
        }]);
        assert!(!s.rules.is_enabled("NB201"), "ignore wins a tie");
        let s = settings(&[Layer {
            ignore: sel(&["page-break-join"]),
            ..Layer::default()
        }]);
        assert!(!s.rules.is_enabled("NB010") && s.rules.is_enabled("NB011"));
        assert!(
            Settings::default().rules.is_enabled("NB999"),
            "all on by default"
        );
    }

    #[test]
    fn input_errors_stay_unless_named() {
        // Hiding the repairs (NB0) or checking the tables only (NB2) keeps the
        // findings that say the run meant nothing.
        let s = settings(&[Layer {
            select: Some(sel(&["NB2"])),
            ignore: sel(&["NB0", "NB00"]),
            ..Layer::default()
        }]);
        for code in INPUT_ERRORS {
            assert!(s.rules.is_enabled(code), "{code}");
        }
        assert!(!s.rules.is_enabled("NB010") && !s.rules.is_enabled("NB004"));
        assert!(!s.rules.is_enabled("NB101"));
        // Named, one can be turned off.
        let s = settings(&[Layer {
            ignore: sel(&["not-a-report"]),
            ..Layer::default()
        }]);
        assert!(!s.rules.is_enabled("NB003") && s.rules.is_enabled("NB002"));
    }

    #[test]
    fn later_layers_override_earlier_ones() {
        let file = Layer {
            lang: Some(Lang::En),
            fail_on: Some(FailOn::Warning),
            ignore: sel(&["NB5"]),
            severity: vec![(sel(&["NB2"])[0].clone(), Severity::Warning)],
            globs: Some(vec!["*.md".into()]),
            ..Layer::default()
        };
        let cli = Layer {
            fail_on: Some(FailOn::Never),
            ignore: sel(&["NB010"]),
            ..Layer::default()
        };
        let s = settings(&[file.clone(), cli]);
        assert_eq!(s.lang, Lang::En);
        assert_eq!(s.fail_on, FailOn::Never);
        assert!(!s.rules.is_enabled("NB501"), "the file's ignore stays");
        assert!(!s.rules.is_enabled("NB010"));
        assert_eq!(s.globs, vec!["*.md".to_string()]);
        let cli = Layer {
            select: Some(sel(&["NB5"])),
            severity: vec![(sel(&["NB201"])[0].clone(), Severity::Info)],
            ..Layer::default()
        };
        let s = settings(&[file, cli]);
        assert!(s.rules.is_enabled("NB501"), "a later select replaces");
        assert!(!s.rules.is_enabled("NB010"));
        assert_eq!(s.rules.severity_override("NB201"), Some(Severity::Info));
        assert_eq!(s.rules.severity_override("NB202"), Some(Severity::Warning));
        assert_eq!(s.rules.severity_override("NB101"), None);
    }

    #[test]
    fn apply_filters_and_re_severities() {
        let parsed = crate::check(b"");
        assert_eq!(parsed.diagnostics[0].code, "NB002");
        let s = settings(&[Layer {
            severity: vec![(sel(&["empty-input"])[0].clone(), Severity::Info)],
            ..Layer::default()
        }]);
        let out = s.apply(parsed.diagnostics.clone());
        assert_eq!(out[0].severity, Severity::Info);
        assert!(!s.fails(&out));
        // Ignoring the family keeps the input error; naming it drops it.
        let s = settings(&[Layer {
            ignore: sel(&["NB0"]),
            ..Layer::default()
        }]);
        assert_eq!(s.apply(parsed.diagnostics.clone())[0].code, "NB002");
        let s = settings(&[Layer {
            ignore: sel(&["NB002"]),
            ..Layer::default()
        }]);
        assert!(s
            .apply(parsed.diagnostics)
            .iter()
            .all(|d| d.code != "NB002"));
    }

    #[test]
    fn config_file_reads_every_key() {
        let layer = Layer::from_toml(
            r#"
select = ["NB2", "page-break-join"]
ignore = ["NB207"]
fail-on = "warning"
lang = "en"
glob = ["*.md", "!draft*"]
max-file-size = "8M"

[severity]
NB206 = "error"
blank-cell = "warning"
"#,
        )
        .expect("valid");
        assert_eq!(layer.lang, Some(Lang::En));
        assert_eq!(layer.fail_on, Some(FailOn::Warning));
        assert_eq!(layer.select, Some(sel(&["NB2", "page-break-join"])));
        assert_eq!(layer.ignore, sel(&["NB207"]));
        assert_eq!(layer.severity.len(), 2);
        assert_eq!(
            layer.globs,
            Some(vec!["*.md".to_string(), "!draft*".to_string()])
        );
        assert_eq!(layer.max_file_size, Some(8 << 20));
        assert_eq!(Layer::from_toml(""), Ok(Layer::default()));
    }

    #[test]
    fn config_errors_name_the_key_and_line() {
        let cases: [(&str, usize, &str); 7] = [
            ("lang = \"en\"\nfoo = 1\n", 2, "unknown key `foo`"),
            ("[extra]\nx = 1\n", 1, "unknown key `extra`"),
            (
                "select = [\n  \"NB2\",\n  \"NB999\",\n]\n",
                3,
                "unknown rule `NB999` in `select`",
            ),
            (
                "ignore = [\"nope\"]\n",
                1,
                "unknown rule `nope` in `ignore`",
            ),
            (
                "\n[severity]\nbogus = \"info\"\n",
                3,
                "unknown rule `bogus` in `[severity]`",
            ),
            ("fail-on = \"fatal\"\n", 1, "fatal"),
            ("select = [\"NB2\"\n", 1, ""),
        ];
        for (text, line, needle) in cases {
            let err = Layer::from_toml(text).expect_err(text);
            assert!(err.line.is_some_and(|l| l >= line), "{text}: {err:?}");
            assert!(err.message.en.contains(needle), "{text}: {err:?}");
            assert!(!err.message.zh.is_empty());
        }
        let err = Layer::from_toml("[severity]\nNB201 = \"fatal\"\n").expect_err("bad severity");
        assert_eq!(err.line, Some(2));
        let err = Layer::from_toml("max-file-size = \"big\"\n").expect_err("bad size");
        assert!(err.message.en.contains("max-file-size"));
    }

    #[test]
    fn effective_globs_keep_defaults_for_negations_only() {
        let mut s = Settings::default();
        assert_eq!(s.effective_globs().len(), 5);
        s.globs = vec!["!draft*".into()];
        assert_eq!(s.effective_globs().len(), 6);
        s.globs = vec!["*.txt".into(), "!draft*".into()];
        assert_eq!(
            s.effective_globs(),
            vec![("*.txt".to_string(), false), ("!draft*".to_string(), false)]
        );
    }
}
