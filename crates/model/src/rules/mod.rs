//! The checks. Each rule is a small function with its code (and documentation) in
//! [`codes`]; table rules read every relation from the template data.

pub mod arithmetic;
pub mod codes;
pub mod narrative;
pub mod references;
pub mod structure;

use nianbao_grammar::Diagnostic;

use crate::report::Report;
use crate::template::Template;

/// Runs every rule on a report.
pub fn run(
    report: &Report,
    template: Option<&Template>,
    parsed: &nianbao_grammar::Parsed,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    structure::title_incomplete(report, &mut out);
    structure::period_not_report_year(report, &mut out);
    structure::numbering(parsed, &mut out);
    if let Some(t) = template {
        structure::required_sections(report, t, parsed, &mut out);
        structure::format_year_mismatch(report, &mut out);
        arithmetic::relations(t, &report.tables, &mut out);
        arithmetic::cells(t, &report.tables, &mut out);
    }
    narrative::narrative_vs_table(&report.links, &report.facts, &report.tables, &mut out);
    narrative::breakdowns(&report.facts, &mut out);
    narrative::rates(&report.facts, &mut out);
    references::doc_number_brackets(&report.facts, &mut out);
    references::impossible_dates(&report.facts, &mut out);
    references::oversized_numbers(&report.facts, &mut out);
    references::dated_outside_period(
        &parsed.blocks,
        report.front.period.as_ref(),
        report.front.year,
        &mut out,
    );
    references::unbalanced_brackets(&parsed.blocks, &mut out);
    references::statement_year(&parsed.blocks, report.front.year, &mut out);
    out
}
