//! Copied text (NB605–NB607): each rule firing on real fixtures and edits of them,
//! staying silent on what is only boilerplate, and the run's index growing linearly.

use nianbao_model::check;
use nianbao_model::copies::{self, compare, Against, CopyIndex, TextPrint};
use nianbao_model::grammar::Severity;

const P2023: &str = include_str!("../../../tests/fixtures/pingtan-2023.md");
const P2024: &str = include_str!("../../../tests/fixtures/pingtan-2024.md");
const HUAIAN: &str = include_str!("../../../tests/fixtures/huaian-2024.md");
const ZHONGWEI: &str = include_str!("../../../tests/fixtures/zhongwei-2017.md");

fn print(text: &str) -> TextPrint {
    TextPrint::of(&check(text.as_bytes()))
}

/// Every run of ASCII digits of `text` replaced by `9`s of another length: the figures changed.
fn figures_changed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_digits = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push_str("987");
            }
            in_digits = true;
        } else {
            in_digits = false;
            out.push(c);
        }
    }
    out
}

#[test]
fn nb605_fires_on_a_report_copied_with_only_its_figures_changed() {
    let last = print(P2024);
    let this = print(&figures_changed(P2024));
    assert!(this.len() > 500, "the narrative is read: {}", this.len());
    let c = compare(&this, &last);
    assert_eq!(c.shared, c.own, "masked digits: the same text");
    let d = copies::finding(Against::PreviousYear, "2024.md", &last, &this, 50).expect("a finding");
    assert_eq!((d.code, d.severity), ("NB605", Severity::Warning));
    assert!(
        d.message.zh.starts_with("与上年报告重复 100%（2024.md）"),
        "{}",
        d.message.zh
    );
    assert_eq!(d.found.as_deref(), Some("100%"));
    // The passages: one in this report, one in the other, named by its path.
    let elsewhere: Vec<_> = d
        .related
        .iter()
        .filter_map(|r| r.elsewhere.as_ref())
        .collect();
    assert!(!elsewhere.is_empty() && elsewhere.iter().all(|e| e.path == "2024.md"));
    assert!(d.related.iter().any(|r| r.elsewhere.is_none()));
}

#[test]
fn nb606_gives_the_share_of_a_real_pair_below_the_threshold() {
    let (last, this) = (print(P2023), print(P2024));
    let c = compare(&this, &last);
    assert!(c.own > 0 && c.shared < c.own);
    let d =
        copies::finding(Against::PreviousYear, "2023.md", &last, &this, 100).expect("a finding");
    assert_eq!((d.code, d.severity), ("NB606", Severity::Info));
    assert_eq!(d.found, Some(format!("{}%", c.percent())));
    // Every section with own text has its share in the message.
    for s in &c.sections {
        if !s.heading.is_empty() {
            assert!(d.message.zh.contains(&s.heading), "{}", s.heading);
        }
    }
}

#[test]
fn the_share_counts_own_text_only_and_a_rewritten_section_lowers_it() {
    let last = print(P2024);
    // The last section rewritten: its share falls, the others stay whole.
    let at = P2024.find("五、").expect("section 五");
    let mut edited = P2024[..at].to_string();
    edited.push_str("五、存在的主要问题及改进情况\n\n今年我们把依申请公开的答复流程重新梳理了一遍，逐件回访申请人，听取对答复质量的意见。\n");
    let c = compare(&print(&edited), &last);
    assert!(c.shared < c.own);
    let five = c
        .sections
        .iter()
        .find(|s| s.heading.starts_with("五、"))
        .expect("section 五 has own text");
    assert_eq!(five.shared, 0, "{five:?}");
    assert!(c
        .sections
        .iter()
        .filter(|s| !s.heading.starts_with("五、"))
        .all(|s| s.shared == s.own));
}

#[test]
fn boilerplate_and_standard_sentences_of_other_regions_are_not_counted() {
    // Reports of Ningxia, Jiangsu and Fujian share the template and the standard sentences only.
    for (a, b) in [(ZHONGWEI, HUAIAN), (HUAIAN, P2024), (P2024, ZHONGWEI)] {
        let c = compare(&print(a), &print(b));
        assert!(!c.at_least(10), "{}% shared: {:?}", c.percent(), c.passages);
    }
    // The template's own text alone is no own text at all.
    let template = "一、总体情况\n\n二、主动公开政府信息情况\n\n三、收到和处理政府信息公开申请情况\n\n四、政府信息公开行政复议、行政诉讼情况\n\n五、存在的主要问题及改进情况\n\n六、其他需要报告的事项\n";
    assert!(print(template).is_empty());
    let empty = print(template);
    assert!(copies::finding(Against::PreviousYear, "a.md", &print(P2024), &empty, 50).is_none());
}

#[test]
fn nb607_only_above_the_threshold() {
    let (a, b) = (print(P2023), print(P2024));
    let c = compare(&b, &a);
    let below = u8::try_from(c.percent() + 1).expect("a percent");
    assert!(copies::finding(Against::AnotherReport, "a.md", &a, &b, below).is_none());
    let d = copies::finding(Against::AnotherReport, "a.md", &a, &b, 1).expect("above 1%");
    assert_eq!((d.code, d.severity), ("NB607", Severity::Warning));
}

#[test]
fn the_index_names_an_earlier_copy_and_skips_what_it_is_told() {
    let mut index: CopyIndex<(&str, TextPrint)> = CopyIndex::new();
    let original = print(P2024);
    assert!(index
        .closest(&original, ("a", original.clone()), |k| &k.1, |_| false)
        .is_none());
    let other = print(HUAIAN);
    let _ = index.closest(&other, ("b", other.clone()), |k| &k.1, |_| false);
    let copy = print(&figures_changed(P2024));
    let (found, c) = index
        .closest(&copy, ("c", copy.clone()), |k| &k.1, |_| false)
        .expect("the copy finds the original");
    assert_eq!(found.0, "a");
    assert_eq!(c.shared, c.own);
    let again = print(P2024);
    let skipped = index.closest(
        &again,
        ("d", again.clone()),
        |k| &k.1,
        |k| k.0 == "a" || k.0 == "c",
    );
    assert!(skipped.is_none_or(|(k, _)| k.0 != "a" && k.0 != "c"));
}

/// The work of the index for `n` identical reports.
fn work_for(n: usize, print: &TextPrint) -> copies::Work {
    let mut index: CopyIndex<std::rc::Rc<TextPrint>> = CopyIndex::new();
    let shared = std::rc::Rc::new(print.clone());
    for i in 0..n {
        let kept = std::rc::Rc::clone(&shared);
        let found = index.closest(print, kept, |k| &**k, |_| false);
        assert_eq!(
            found.is_some(),
            i > 0,
            "every copy after the first names one"
        );
    }
    index.work
}

#[test]
fn identical_reports_cost_linear_work_not_a_comparison_per_pair() {
    let p = print(P2024);
    let small = work_for(200, &p);
    let large = work_for(800, &p);
    // Each report compares with at most CANDIDATES others and reads at most
    // POSTINGS entries per indexed shingle, whatever the number of copies.
    assert!(large.compared <= copies::CANDIDATES * 800);
    // The 600 reports more cost the same per report as the first 200: a constant each.
    assert!(large.compared - small.compared <= copies::CANDIDATES * 600);
    assert!(large.postings - small.postings <= 600 * copies::POSTINGS * p.len());
    let per_report = (large.postings - small.postings) / 600;
    assert!(
        per_report * 200 >= small.postings,
        "no more per report later than earlier"
    );
    // Pairwise would be 800 · 799 / 2 comparisons.
    assert!(large.compared < 800 * 799 / 2 / 100);
}

#[test]
fn the_most_copied_section_is_not_a_tiny_one_copied_whole() {
    use copies::{Comparison, SectionShare};
    let s = |heading: &str, own, shared| SectionShare {
        heading: heading.to_string(),
        own,
        shared,
    };
    let c = Comparison {
        own: 2020,
        shared: 1820,
        sections: vec![s("一、概述", 20, 20), s("二、主动公开", 2000, 1800)],
        passages: Vec::new(),
    };
    assert_eq!(
        c.most_copied().map(|s| s.heading.as_str()),
        Some("二、主动公开")
    );
    // Of two sections long enough, the higher share; when none is, the most shared characters.
    let c = Comparison {
        own: 60,
        shared: 35,
        sections: vec![s("一", 20, 20), s("二", 40, 15), s("三", 0, 0)],
        passages: Vec::new(),
    };
    assert_eq!(c.most_copied().map(|s| s.heading.as_str()), Some("一"));
    let none = Comparison {
        own: 20,
        shared: 0,
        sections: vec![s("一", 20, 0)],
        passages: Vec::new(),
    };
    assert!(none.most_copied().is_none());
}

#[test]
fn a_print_reads_back_from_its_stored_form_and_refuses_other_bytes() {
    for text in [P2023, P2024, HUAIAN, ZHONGWEI] {
        let p = print(text);
        let bytes = p.to_bytes();
        assert!(
            bytes.len() < p.len() * 10 + 64,
            "compact: {} for {}",
            bytes.len(),
            p.len()
        );
        assert_eq!(TextPrint::from_bytes(&bytes).as_ref(), Some(&p));
        // Cut short, of another version, or not a print at all: none.
        assert!(TextPrint::from_bytes(&bytes[..bytes.len() - 1]).is_none());
        let mut other = bytes.clone();
        other[4] = 99;
        assert!(TextPrint::from_bytes(&other).is_none());
    }
    assert!(TextPrint::from_bytes(b"").is_none());
    assert!(TextPrint::from_bytes(b"NBTP\x01\xff\xff\xff\xff\x0f").is_none());
}

#[test]
fn both_reports_of_a_copied_pair_name_each_other_in_any_order() {
    let a = print(P2024);
    let b = print(&figures_changed(P2024));
    let h = print(HUAIAN);
    let z = print(ZHONGWEI);
    let run = |prints: &[(&str, &TextPrint)]| {
        let keys: Vec<&str> = prints.iter().map(|p| p.0).collect();
        let texts: Vec<&TextPrint> = prints.iter().map(|p| p.1).collect();
        let (found, _) = copies::closest_all(&texts, &keys, |_, _| false);
        let mut named: Vec<(String, String, u32)> = found
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let (j, c) = f.as_ref()?;
                c.at_least(50)
                    .then(|| (keys[i].to_string(), keys[*j].to_string(), c.percent()))
            })
            .collect();
        named.sort();
        named
    };
    let forward = run(&[("a", &a), ("h", &h), ("b", &b), ("z", &z)]);
    assert_eq!(
        forward,
        vec![("a".into(), "b".into(), 100), ("b".into(), "a".into(), 100)]
    );
    let backward = run(&[("z", &z), ("b", &b), ("h", &h), ("a", &a)]);
    assert_eq!(forward, backward, "the same whatever the order");
    // A pair left out by `skip` (the same report in another form) names nothing.
    let keys = ["a", "b"];
    let (found, _) = copies::closest_all(&[&a, &b], &keys, |_, _| true);
    assert!(found.iter().all(Option::is_none));
}

#[test]
fn a_whole_run_of_identical_reports_costs_linear_work() {
    let p = print(P2024);
    let work = |n: usize| {
        let prints: Vec<&TextPrint> = vec![&p; n];
        let keys: Vec<usize> = (0..n).collect();
        let (found, work) = copies::closest_all(&prints, &keys, |_, _| false);
        // The first names the second; every other names the first.
        assert_eq!(found[0].as_ref().map(|f| f.0), Some(1));
        assert!(found[1..]
            .iter()
            .all(|f| f.as_ref().map(|f| f.0) == Some(0)));
        work
    };
    let (small, large) = (work(200), work(800));
    let sample = p.sample().len();
    assert!(large.compared <= copies::CANDIDATES * 800);
    assert!(large.postings <= 800 * (copies::POSTINGS + 1) * sample);
    // Four times the reports, four times the work: not sixteen.
    assert_eq!(large.postings, 4 * small.postings);
    assert_eq!(large.compared, 4 * small.compared);
}
