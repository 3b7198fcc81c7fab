//! The checks. Each rule is a small function with its code (and documentation) in
//! [`codes`]; table rules read every relation from the template data.

pub mod arithmetic;
pub mod codes;
pub mod narrative;
pub mod references;
pub mod structure;

use nianbao_grammar::findings::Findings;

use crate::report::Report;
use crate::template::Template;

/// Runs every rule on a report, adding its findings to `out`.
pub fn run(
    report: &Report,
    template: Option<&Template>,
    parsed: &nianbao_grammar::Parsed,
    out: &mut Findings,
) {
    structure::title_incomplete(report, parsed.input_kind, out);
    structure::period_not_report_year(report, out);
    structure::named_with_another_year(report, out);
    structure::period_missing(report, template.is_some(), out);
    structure::published_out_of_time(report, out);
    structure::timeliness(report, out);
    structure::names_another_body(report, out);
    structure::numbering(parsed, out);
    if let Some(t) = template {
        structure::required_sections(report, t, parsed, out);
        structure::tables_missing(report, t, parsed, out);
        structure::format_year_mismatch(report, out);
        arithmetic::relations(t, &report.tables, out);
        arithmetic::cells(t, &report.tables, out);
    }
    narrative::narrative_vs_table(&report.links, &report.facts, &report.tables, template, out);
    narrative::breakdowns(&report.facts, out);
    narrative::rates(&report.facts, out);
    narrative::parts_count(&report.facts, out);
    references::doc_number_brackets(&report.facts, out);
    references::impossible_dates(&report.facts, out);
    references::oversized_numbers(&report.facts, out);
    references::facts_cut(&report.facts, out);
    references::dated_outside_period(
        &parsed.blocks,
        report.front.period.as_ref(),
        report.front.year,
        out,
    );
    references::unbalanced_brackets(&parsed.blocks, out);
    references::statement_year(&parsed.blocks, report.front.year, out);
}
