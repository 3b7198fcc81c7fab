//! Settings of a check run, built by the CLI from its arguments or by the server
//! from a request — without clap.

use nianbao_grammar::Severity;

/// The language of messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
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

/// Everything that shapes a check run, whoever starts it.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Message language.
    pub lang: Lang,
    /// Failing severity.
    pub fail_on: FailOn,
}
