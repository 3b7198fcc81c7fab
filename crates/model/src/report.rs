//! The report model: what the grammar's tree says, read as a report.

use serde::Serialize;

use nianbao_grammar::findings::Findings;
use nianbao_grammar::outline::Outline;
use nianbao_grammar::Parsed;

use crate::facts::{self, Facts};
use crate::format::{self, Detection};
use crate::frontmatter::{self, Contacts, Field, FrontMatter, IssuerKind, Period};
use crate::links::{self, Link};
use crate::tables::{self, MappedTables};
use crate::template::{self, Template};

/// A report, built from the grammar's logical view and outline only.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The national format: `stat-table-2008`, `national-2019`, `national-2021`, or `unknown`.
    pub format: String,
    /// The local variant of the format whose tables the report follows (`pingtan`), if any.
    pub variant: Option<String>,
    /// How the format was decided.
    pub detection: Detection,
    /// Front matter (title, issuer, year, period, website, contacts).
    #[serde(flatten)]
    pub front: FrontMatter,
    /// The outline.
    pub outline: Outline,
    /// The statistics, mapped to the template's indicators.
    pub tables: MappedTables,
    /// Facts of the narrative.
    pub facts: Facts,
    /// Narrative figures linked to table cells.
    pub links: Vec<Link>,
}

impl Report {
    /// The issuing body as the title names it.
    pub fn issuer(&self) -> Option<&str> {
        self.front.issuer.as_deref()
    }

    /// Whether the issuer is a government or a department; `None` without an issuer.
    pub fn issuer_kind(&self) -> Option<IssuerKind> {
        self.issuer().map(IssuerKind::of)
    }

    /// The report year.
    pub fn year(&self) -> Option<i32> {
        self.front.year
    }

    /// The statistical period.
    pub fn period(&self) -> Option<&Period> {
        self.front.period.as_ref()
    }

    /// The website.
    pub fn website(&self) -> Option<&Field> {
        self.front.website.as_ref()
    }

    /// The contacts.
    pub fn contacts(&self) -> &Contacts {
        &self.front.contacts
    }
}

/// Builds the report from a parse with the built-in templates; returns the template used.
pub fn build(parsed: &Parsed, diagnostics: &mut Findings) -> (Report, Option<&'static Template>) {
    build_with(template::builtin(), parsed, diagnostics)
}

/// Builds the report with the given templates (a test can add a made-up format).
pub fn build_with<'t>(
    templates: &'t [Template],
    parsed: &Parsed,
    diagnostics: &mut Findings,
) -> (Report, Option<&'t Template>) {
    let front = frontmatter::read_with(&parsed.blocks, parsed.metadata.as_ref());
    let (template, detection) =
        format::detect(templates, &parsed.blocks, &parsed.outline, front.year);
    let mut mapped = MappedTables::default();
    if template.is_none() {
        tables::unmatched(&parsed.blocks, diagnostics);
    }
    if let Some(t) = template {
        mapped = tables::map(t, &parsed.blocks, front.year, diagnostics);
        let unreadable = parsed.diagnostics.iter().any(|d| d.code == "NB004");
        if !unreadable {
            let at = front
                .title
                .as_ref()
                .map_or(nianbao_grammar::Span::new(0, 0), |f| f.span);
            tables::missing(t, &mapped, at, diagnostics);
        }
    }
    let facts = facts::extract(&parsed.blocks);
    let links = template
        .map(|t| links::link(t, &parsed.blocks, &facts))
        .unwrap_or_default();
    let report = Report {
        format: detection.format.clone(),
        variant: detection.variant.clone(),
        detection,
        front,
        outline: parsed.outline.clone(),
        tables: mapped,
        facts,
        links,
    };
    (report, template)
}
