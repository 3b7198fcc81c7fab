//! The national templates as data: one TOML file per format in `templates/`
//! (schema in `templates/README.md`). Rules read rows, columns and relations
//! from here and never name a format themselves.

use serde::Deserialize;

/// A report format: recognition, required sections, tables, relations.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Identity and recognition.
    pub format: FormatInfo,
    /// Statistics tables (each block of national table 二 is one).
    #[serde(default)]
    pub tables: Vec<TableDef>,
    /// Arithmetic and unit relations.
    #[serde(default)]
    pub relations: Vec<Relation>,
    /// Narrative phrasings that name a sum of cells.
    #[serde(default)]
    pub narrative_sums: Vec<NarrativeSum>,
    /// The tables' labels normalized, made when first needed (see [`Template::label_index`]).
    #[serde(skip)]
    label_index: std::sync::OnceLock<crate::tables::LabelIndex>,
    /// Every relation's instances, made when first needed (see [`Template::instances`]).
    #[serde(skip)]
    instances: std::sync::OnceLock<Vec<Instances>>,
    /// The narrative phrases' automaton, made when first needed (see [`Template::link_index`]).
    #[serde(skip)]
    link_index: std::sync::OnceLock<crate::links::LinkIndex>,
}

/// A relation's instances: (lhs cell ids, rhs cell ids) of each
/// ([`crate::rules::arithmetic::expand`]).
pub type Instances = Vec<(Vec<String>, Vec<String>)>;

/// `[format]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormatInfo {
    /// The national format id (`national-2021`); for a local variant, the
    /// national format it is a variant of.
    pub id: String,
    /// The local layout this template reads (`pingtan`), when it is not the
    /// national one: a report read with it is of format `id`, variant `variant`.
    pub variant: Option<String>,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Defining document.
    pub source: String,
    /// 条例 version and article.
    pub regulation: String,
    /// Report years it applies to.
    pub years: Years,
    /// A remark.
    pub note_en: Option<String>,
    /// How to recognise it.
    #[serde(default)]
    pub recognition: Recognition,
    /// Required content.
    #[serde(default)]
    pub required_sections: Vec<RequiredSection>,
}

/// Years a format applies to.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Years {
    /// First report year.
    pub first: i32,
    /// Last report year, if the format is no longer current.
    pub last: Option<i32>,
}

impl Years {
    /// True when a report of `year` should use this format.
    pub fn contains(&self, year: i32) -> bool {
        year >= self.first && self.last.is_none_or(|l| year <= l)
    }
}

/// `[format.recognition]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recognition {
    /// Header rows that identify the format's table.
    #[serde(default)]
    pub header_rows: Vec<Vec<String>>,
    /// A table cell containing one decides the format.
    #[serde(default)]
    pub table_markers: Vec<String>,
    /// Supporting strings in table cells.
    #[serde(default)]
    pub row_markers: Vec<String>,
    /// Text around a table.
    #[serde(default)]
    pub title_markers: Vec<String>,
    /// Level-1 headings typical of the format.
    #[serde(default)]
    pub heading_markers: Vec<String>,
    /// Citations typical of the format.
    #[serde(default)]
    pub citation_markers: Vec<String>,
    /// Strings that must not occur in this format's tables.
    #[serde(default)]
    pub absent_markers: Vec<String>,
}

/// Severity as written in a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TemplateSeverity {
    /// error
    Error,
    /// warning
    Warning,
    /// info
    Info,
}

impl TemplateSeverity {
    /// As a diagnostic severity.
    pub fn severity(self) -> nianbao_grammar::Severity {
        match self {
            TemplateSeverity::Error => nianbao_grammar::Severity::Error,
            TemplateSeverity::Warning => nianbao_grammar::Severity::Warning,
            TemplateSeverity::Info => nianbao_grammar::Severity::Info,
        }
    }
}

/// Who a requirement applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AppliesTo {
    /// Every issuer.
    All,
    /// Only 各级人民政府.
    Government,
}

/// `[[format.required_sections]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredSection {
    /// Section id.
    pub id: String,
    /// Canonical heading.
    pub title_zh: String,
    /// English.
    pub title_en: String,
    /// Expected order among level-1 headings.
    pub position: Option<u32>,
    /// Accepted heading wordings.
    #[serde(default)]
    pub heading_variants: Vec<String>,
    /// A heading containing one satisfies the requirement.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// A heading that is exactly one of these (number and end punctuation aside)
    /// satisfies it: a short wording a keyword would be too wide for.
    #[serde(default)]
    pub headings: Vec<String>,
    /// Fallback: body text containing one satisfies it.
    #[serde(default)]
    pub body_keywords: Vec<String>,
    /// Outline level the heading must have.
    pub level: Option<u8>,
    /// Where the content is expected (advisory: found elsewhere still counts).
    #[serde(default)]
    pub within: Vec<String>,
    /// The section (a required section's id) the content must be in: looked for
    /// only there, in its sub-headings (`keywords`) and its text
    /// (`body_keywords`); not looked for when that section is missing (its own
    /// finding says so).
    pub scope: Option<String>,
    /// All issuers or governments only.
    pub applies_to: AppliesTo,
    /// Severity when missing.
    pub severity: TemplateSeverity,
    /// The words above normalized, made once per template (see [`RequiredSection::normalized`]).
    #[serde(skip)]
    normalized: std::sync::OnceLock<RequiredWords>,
}

/// A required section's words normalized ([`nianbao_grammar::logical::normalize`]),
/// as every report's headings and paragraphs are compared with them.
#[derive(Debug, Clone, Default)]
pub struct RequiredWords {
    /// [`RequiredSection::keywords`].
    pub keywords: Vec<String>,
    /// [`RequiredSection::headings`].
    pub headings: Vec<String>,
    /// [`RequiredSection::body_keywords`].
    pub body_keywords: Vec<String>,
}

#[cfg(test)]
thread_local! {
    /// Required sections whose words were normalized on this thread (tests count them).
    pub(crate) static REQUIRED_NORMALIZED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl RequiredSection {
    /// The section's words normalized: made when a report first asks, then kept
    /// with the template, so no report normalizes them again.
    pub fn normalized(&self) -> &RequiredWords {
        self.normalized.get_or_init(|| {
            #[cfg(test)]
            REQUIRED_NORMALIZED.with(|n| n.set(n.get() + 1));
            let all = |words: &[String]| -> Vec<String> {
                words
                    .iter()
                    .map(|w| nianbao_grammar::logical::normalize(w))
                    .collect()
            };
            RequiredWords {
                keywords: all(&self.keywords),
                headings: all(&self.headings),
                body_keywords: all(&self.body_keywords),
            }
        })
    }
}

/// Table layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Label column(s) and value columns.
    Grid,
    /// Header-only table with one data row (表四).
    SingleRow,
}

/// `[[tables]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableDef {
    /// Table id.
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Physical table this block belongs to.
    pub part_of: Option<String>,
    /// Section it sits in.
    pub section: Option<String>,
    /// Layout.
    pub layout: Layout,
    /// Caption of a block.
    pub caption: Option<String>,
    /// Other captions.
    #[serde(default)]
    pub caption_variants: Vec<String>,
    /// Words identifying the table.
    #[serde(default)]
    pub title_markers: Vec<String>,
    /// Header of the label column.
    pub label_header: Option<String>,
    /// Other label headers.
    #[serde(default)]
    pub label_header_variants: Vec<String>,
    /// Header of the unit column.
    pub unit_header: Option<String>,
    /// Other unit headers.
    #[serde(default)]
    pub unit_header_variants: Vec<String>,
    /// Column meant by a bare row id.
    pub default_column: Option<String>,
    /// Expected by the format.
    pub required: bool,
    /// Severity when missing.
    pub missing_severity: TemplateSeverity,
    /// Rows seen in real reports but not in the template.
    #[serde(default)]
    pub known_extra_rows: Vec<String>,
    /// Value columns.
    #[serde(default)]
    pub columns: Vec<ColumnDef>,
    /// Rows.
    #[serde(default)]
    pub rows: Vec<RowDef>,
}

/// `[[tables.columns]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnDef {
    /// Column id.
    pub id: String,
    /// Leaf header text.
    pub label: String,
    /// English.
    pub label_en: String,
    /// Other accepted labels.
    #[serde(default)]
    pub variants: Vec<String>,
    /// Headers real reports print for this column that differ from the template's
    /// wording (a shortened or misspelt header): the column is read, and the table's
    /// NB215 info names each.
    #[serde(default)]
    pub nonstandard: Vec<String>,
    /// Full header path, top first.
    pub header: Vec<String>,
    /// Unit stated by the header.
    pub unit: Option<String>,
    /// Decimals allowed.
    #[serde(default)]
    pub decimal: bool,
    /// Negative values allowed.
    #[serde(default)]
    pub signed: bool,
    /// Units a report may write in the cell.
    #[serde(default)]
    pub cell_units: Vec<String>,
    /// Narrative phrasings (single-row tables).
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Context words for the phrases.
    #[serde(default)]
    pub context: Vec<String>,
    /// Phrase matches to ignore.
    #[serde(default)]
    pub exclude_phrases: Vec<String>,
    /// Phrases stating zero.
    #[serde(default)]
    pub zero_phrases: Vec<String>,
}

/// Group or value row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RowKind {
    /// Carries no number.
    Group,
    /// Carries numbers.
    Value,
}

/// `[[tables.rows]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowDef {
    /// FORMATS id.
    pub id: String,
    /// Exact official label.
    pub label: String,
    /// English.
    pub label_en: String,
    /// Other accepted labels.
    #[serde(default)]
    pub variants: Vec<String>,
    /// Labels real reports print for this row that differ from the template's
    /// wording (an older or shortened wording, a misspelling): the row is read, and
    /// the table's NB215 info names each.
    #[serde(default)]
    pub nonstandard: Vec<String>,
    /// Unit (`group` for group rows).
    pub unit: Option<String>,
    /// Group or value.
    pub kind: RowKind,
    /// Enclosing row.
    pub parent: Option<String>,
    /// Decimals allowed.
    #[serde(default)]
    pub decimal: bool,
    /// Negative values allowed.
    #[serde(default)]
    pub signed: bool,
    /// Narrative phrasings.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Context words for the phrases.
    #[serde(default)]
    pub context: Vec<String>,
    /// Phrase matches to ignore.
    #[serde(default)]
    pub exclude_phrases: Vec<String>,
    /// Phrases stating zero.
    #[serde(default)]
    pub zero_phrases: Vec<String>,
}

/// Relation kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// total = Σ parts.
    Sum,
    /// Σ left = Σ right.
    Balance,
    /// part ≤ whole.
    Subset,
    /// Σ parts ≥ total.
    AtLeast,
    /// Some operands from last year's report.
    CrossYear,
    /// Units and decimals, from rows and columns.
    Unit,
}

/// Comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// =
    Eq,
    /// ≤
    Le,
    /// ≥
    Ge,
}

/// S (stated) or I (inferred).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Confidence {
    /// Stated by the template or forced by its structure.
    S,
    /// Inferred from meaning: can legitimately fail.
    I,
}

/// `[[relations]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    /// Unique id (`8.1`, `N3.4.denied`).
    pub id: String,
    /// FORMATS number.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// Kind.
    pub kind: RelationKind,
    /// Comparison.
    pub op: Option<Op>,
    /// Table the expansion runs over.
    pub table: Option<String>,
    /// Expand per column.
    #[serde(default)]
    pub per_column: bool,
    /// Restricts per_column.
    #[serde(default)]
    pub columns: Vec<String>,
    /// Expand per row.
    #[serde(default)]
    pub per_row: bool,
    /// Restricts or sets per_row.
    #[serde(default)]
    pub rows: Vec<String>,
    /// Left operands.
    #[serde(default)]
    pub lhs: Vec<String>,
    /// Right operands.
    #[serde(default)]
    pub rhs: Vec<String>,
    /// Left operands from last year's report.
    #[serde(default)]
    pub lhs_previous: Vec<String>,
    /// Right operands from last year's report.
    #[serde(default)]
    pub rhs_previous: Vec<String>,
    /// S or I.
    pub confidence: Confidence,
    /// Severity when it fails.
    pub severity: TemplateSeverity,
    /// Checked or only documented.
    pub enforce: bool,
    /// Chinese note.
    pub note_zh: String,
    /// English note.
    pub note_en: String,
}

/// `[[narrative_sums]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NarrativeSum {
    /// `sum.…`.
    pub id: String,
    /// Phrasings.
    pub phrases: Vec<String>,
    /// Context words.
    #[serde(default)]
    pub context: Vec<String>,
    /// Phrase matches to ignore.
    #[serde(default)]
    pub exclude_phrases: Vec<String>,
    /// The summed cells.
    pub cells: Vec<String>,
    /// Remark.
    pub note_en: Option<String>,
}

/// A template file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// Not valid TOML for the schema.
    #[error("template does not follow the schema: {0}")]
    Schema(#[from] toml::de::Error),
    /// A relation names a row or column the template does not define.
    #[error("template {format}: relation {relation} names unknown operand {operand}")]
    UnknownOperand {
        /// Format id.
        format: String,
        /// Relation id.
        relation: String,
        /// The operand.
        operand: String,
    },
    /// An I relation marked error.
    #[error("template {format}: relation {relation} is inferred (I) and cannot be an error")]
    InferredError {
        /// Format id.
        format: String,
        /// Relation id.
        relation: String,
    },
}

impl Template {
    /// Reads and validates one template file.
    pub fn from_toml(text: &str) -> Result<Template, TemplateError> {
        let template: Template = toml::from_str(text)?;
        template.validate()?;
        Ok(template)
    }

    fn validate(&self) -> Result<(), TemplateError> {
        for r in &self.relations {
            if r.confidence == Confidence::I && r.severity == TemplateSeverity::Error {
                return Err(TemplateError::InferredError {
                    format: self.format.id.clone(),
                    relation: r.id.clone(),
                });
            }
            for op in r.lhs.iter().chain(&r.rhs) {
                if !op.starts_with('@') && self.resolve_operand_row(op).is_none() {
                    return Err(TemplateError::UnknownOperand {
                        format: self.format.id.clone(),
                        relation: r.id.clone(),
                        operand: op.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The table and row (or single-row column) an operand's row part names.
    fn resolve_operand_row(&self, operand: &str) -> Option<&TableDef> {
        let row = operand.split('@').next().unwrap_or(operand);
        self.tables.iter().find(|t| {
            t.rows.iter().any(|r| r.id == row)
                || (t.layout == Layout::SingleRow && t.columns.iter().any(|c| c.id == row))
        })
    }

    /// The normalized labels of the template's tables, made once per template
    /// (table mapping compares a report's labels with these).
    pub fn label_index(&self) -> &crate::tables::LabelIndex {
        self.label_index
            .get_or_init(|| crate::tables::LabelIndex::new(self))
    }

    /// The narrative phrases of the template's indicators, normalized and put in one
    /// automaton once per template (linking searches every paragraph with it).
    pub fn link_index(&self) -> &crate::links::LinkIndex {
        self.link_index
            .get_or_init(|| crate::links::LinkIndex::new(self))
    }

    /// The instances of relation `index` of [`Template::relations`], expanded once
    /// per template (every report of the template checks the same instances).
    pub fn instances(&self, index: usize) -> &[(Vec<String>, Vec<String>)] {
        self.instances
            .get_or_init(|| {
                self.relations
                    .iter()
                    .map(|r| crate::rules::arithmetic::expand(self, r))
                    .collect()
            })
            .get(index)
            .map_or(&[], Vec::as_slice)
    }

    /// The table defining row (or single-row column) `id` (a `row@col` operand works too).
    pub fn table_of(&self, id: &str) -> Option<&TableDef> {
        self.resolve_operand_row(id)
    }

    /// The row definition `id`.
    pub fn row(&self, id: &str) -> Option<&RowDef> {
        self.tables
            .iter()
            .flat_map(|t| &t.rows)
            .find(|r| r.id == id)
    }

    /// True when this is the template of the national `format` in `variant`
    /// (`None`: the national layout itself).
    pub fn is(&self, format: &str, variant: Option<&str>) -> bool {
        self.format.id == format && self.format.variant.as_deref() == variant
    }

    /// The format as one name, for messages: `stat-table-2008`, or with its
    /// variant `stat-table-2008/pingtan`.
    pub fn name(&self) -> String {
        format_name(&self.format.id, self.format.variant.as_deref())
    }
}

/// A format and its variant as one name, for messages: `national-2021`, `stat-table-2008/pingtan`.
pub fn format_name(format: &str, variant: Option<&str>) -> String {
    match variant {
        Some(v) => format!("{format}/{v}"),
        None => format.to_string(),
    }
}

/// The built-in template of the national `format` in `variant` (`None`: the
/// national layout). A report's format and variant name the template it was read with.
pub fn find(format: &str, variant: Option<&str>) -> Option<&'static Template> {
    builtin().iter().find(|t| t.is(format, variant))
}

/// The built-in templates as embedded (build.rs: the TOML files of `templates/`
/// converted to JSON at build time), in [`builtin`]'s order.
const EMBEDDED: [&str; 4] = [
    include_str!(concat!(env!("OUT_DIR"), "/stat-table-2008.json")),
    include_str!(concat!(env!("OUT_DIR"), "/stat-table-2008-pingtan.json")),
    include_str!(concat!(env!("OUT_DIR"), "/national-2019.json")),
    include_str!(concat!(env!("OUT_DIR"), "/national-2021.json")),
];

impl Template {
    /// A built-in template from its embedded form: the same schema and checks as
    /// [`Template::from_toml`].
    fn from_embedded(json: &str) -> Option<Template> {
        let template: Template = serde_json::from_str(json).ok()?;
        template.validate().ok()?;
        Some(template)
    }
}

/// The templates shipped with nianbao, each local variant after its national
/// format (format detection tries the variants first: their tables are more specific).
pub fn builtin() -> &'static [Template] {
    static TEMPLATES: std::sync::OnceLock<Vec<Template>> = std::sync::OnceLock::new();
    TEMPLATES.get_or_init(|| {
        EMBEDDED
            .iter()
            .map(|json| {
                Template::from_embedded(json).expect("the built-in templates are valid (tested)")
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_templates_are_the_toml_files() {
        let sources = [
            include_str!("../templates/stat-table-2008.toml"),
            include_str!("../templates/stat-table-2008-pingtan.toml"),
            include_str!("../templates/national-2019.toml"),
            include_str!("../templates/national-2021.toml"),
        ];
        for (toml, json) in sources.iter().zip(EMBEDDED) {
            let from_toml = Template::from_toml(toml).expect("valid TOML template");
            let embedded = Template::from_embedded(json).expect("valid embedded template");
            assert_eq!(format!("{embedded:?}"), format!("{from_toml:?}"));
        }
    }

    #[test]
    fn builtin_templates_load_and_inferred_relations_are_never_errors() {
        let ids: Vec<(&str, Option<&str>)> = builtin()
            .iter()
            .map(|t| (t.format.id.as_str(), t.format.variant.as_deref()))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("stat-table-2008", None),
                ("stat-table-2008", Some("pingtan")),
                ("national-2019", None),
                ("national-2021", None)
            ]
        );
        // Each names the template it is found by.
        for t in builtin() {
            let found = find(&t.format.id, t.format.variant.as_deref()).expect("found");
            assert!(std::ptr::eq(found, t), "{}", t.name());
        }
        assert_eq!(builtin()[1].name(), "stat-table-2008/pingtan");
        for t in builtin() {
            for r in &t.relations {
                if r.confidence == Confidence::I {
                    assert_ne!(
                        r.severity,
                        TemplateSeverity::Error,
                        "{} {}",
                        t.format.id,
                        r.id
                    );
                }
            }
        }
        let n2021 = &builtin()[3];
        let t3 = n2021
            .tables
            .iter()
            .find(|t| t.id == "t3")
            .expect("table 三");
        let leaves = t3
            .rows
            .iter()
            .filter(|r| {
                r.kind == RowKind::Value && r.id.starts_with("result.") && r.id != "result.total"
            })
            .count();
        assert_eq!(leaves, 21, "FORMATS §3.3: 21 leaf result rows in 2021");
    }

    #[test]
    fn a_nonstandard_wording_names_one_row_or_column_of_its_table() {
        use nianbao_grammar::logical::normalize;
        for t in builtin() {
            for d in &t.tables {
                let rows = d
                    .rows
                    .iter()
                    .map(|r| (&r.id, &r.label, &r.variants, &r.nonstandard));
                let columns = d
                    .columns
                    .iter()
                    .map(|c| (&c.id, &c.label, &c.variants, &c.nonstandard));
                let entries: Vec<_> = rows.chain(columns).collect();
                for (id, _, _, nonstandard) in &entries {
                    for n in nonstandard.iter() {
                        let n = normalize(n);
                        for (other, label, variants, _) in &entries {
                            let clash = other != id
                                && std::iter::once(*label)
                                    .chain(variants.iter())
                                    .any(|l| normalize(l) == n);
                            assert!(!clash, "{} {}: {n} is {other}'s wording", t.name(), d.id);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn an_inferred_error_is_refused() {
        let text = include_str!("../templates/stat-table-2008.toml").replace(
            "confidence = \"I\"\nseverity = \"warning\"",
            "confidence = \"I\"\nseverity = \"error\"",
        );
        assert!(matches!(
            Template::from_toml(&text),
            Err(TemplateError::InferredError { .. })
        ));
    }
}
