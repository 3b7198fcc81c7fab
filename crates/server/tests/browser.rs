//! The web page in headless Chromium, driven over WebDriver (chromedriver + fantoccini):
//! paste a report, check it, see and click the highlighted finding, read its message in
//! both languages; report text never runs as HTML; the rule catalog page.
//!
//! These tests need `chromium` and `chromedriver` (`.ci/run` installs them when missing).
//! Without them they FAIL with a clear message: they never skip. Only 127.0.0.1 is used.
//! The screenshot of the check page is saved to `tests/artifacts/browser-zhongwei.png`.

mod browser_support;

use browser_support::{bounded, workspace_root, Browser};
use serde_json::{json, Value};

/// Puts `text` into `#text` (through JS: typing 38 KB would be slow) and presses 检查.
async fn paste_and_check(b: &Browser, text: &str) {
    let len = b
        .js(
            "const t = document.getElementById('text'); t.value = arguments[0]; return t.value.length;",
            vec![json!(text)],
        )
        .await;
    assert_eq!(
        len,
        json!(text.encode_utf16().count()),
        "the whole report is in #text"
    );
    b.wait_for("#check")
        .await
        .click()
        .await
        .expect("检查 is clicked");
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// A Chinese message: Han characters, no Latin words.
fn is_chinese(msg: &str) -> bool {
    msg.chars().any(is_han) && !msg.chars().any(|c| c.is_ascii_alphabetic())
}

/// An English message: at least three Latin words.
fn is_english(msg: &str) -> bool {
    msg.split_whitespace()
        .filter(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .count()
        >= 3
}

/// Whether the first element matching `css` lies wholly inside the viewport and inside `#report`'s box.
const IN_VIEW: &str = r#"
const m = document.querySelector(arguments[0]);
if (!m) return null;
const r = m.getBoundingClientRect(), c = document.getElementById('report').getBoundingClientRect();
return r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth
  && r.top >= c.top && r.bottom <= c.bottom;
"#;

async fn in_view(b: &Browser, css: &str) -> bool {
    b.js(IN_VIEW, vec![json!(css)]).await == json!(true)
}

const PRIMARY_NB401: &str = r#"mark[data-code="NB401"]:not(.related)"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zhongwei_nb401_highlighted_clicked_and_explained() {
    let b = Browser::start().await;
    bounded("zhongwei", async {
        let fixture = std::fs::read_to_string(workspace_root().join("tests/fixtures/zhongwei-2017.md"))
            .expect("the fixture is readable");
        let line_959 = fixture
            .lines()
            .position(|l| l.contains("959 项权力事项"))
            .expect("the fixture has the 959 line")
            + 1;

        b.goto("/").await;
        assert_eq!(
            b.js("return document.documentElement.lang", vec![]).await,
            json!("zh-CN")
        );
        paste_and_check(&b, &fixture).await;

        // The NB401 highlight, on the 959 line.
        let mark = b.wait_for(PRIMARY_NB401).await;
        let mark_text = mark
            .prop("textContent")
            .await
            .expect("the mark's text")
            .unwrap_or_default();
        assert!(mark_text.contains("959"), "the NB401 mark is {mark_text:?}");
        assert!(
            mark.attr("class").await.expect("class").unwrap_or_default().contains("warning"),
            "NB401 is a warning"
        );
        // The report shows exactly the pasted text (cut into pieces at the findings).
        assert!(
            b.text_of("#report").await == fixture,
            "#report's text is the pasted report, unchanged"
        );
        let where_ = b
            .js(
                r#"
const m = document.querySelector(arguments[0]), report = document.getElementById('report');
const range = document.createRange(); range.setStart(report, 0); range.setEndBefore(m);
const before = range.toString(), full = report.textContent;
let end = full.indexOf('\n', before.length); if (end < 0) end = full.length;
return {line: before.split('\n').length, text: full.slice(before.lastIndexOf('\n') + 1, end)};
"#,
                vec![json!(PRIMARY_NB401)],
            )
            .await;
        assert_eq!(
            where_["line"],
            json!(line_959),
            "the NB401 mark is on the 959 line: {where_}"
        );
        assert!(
            where_["text"]
                .as_str()
                .is_some_and(|t| t.contains("本次动态调整共涉及 28 个市直部门 959 项权力事项")),
            "{where_}"
        );

        // Click it: the detail panel explains, in Chinese by default.
        mark.click().await.expect("the mark is clicked");
        let message = b.text_of("#message").await;
        assert!(
            message.contains("959") && message.contains("948"),
            "the message names the total and the sum: {message:?}"
        );
        assert!(is_chinese(&message), "the message is Chinese by default: {message:?}");
        assert!(b.text_of("#detail strong").await.starts_with("NB401"));
        assert_eq!(
            b.js("return document.querySelectorAll('mark.active[data-code=\"NB401\"]').length > 0", vec![])
                .await,
            json!(true),
            "the clicked finding's marks are outlined"
        );

        // English: the open message turns English.
        b.wait_for(r#"input[name="lang"][value="en"]"#)
            .await
            .click()
            .await
            .expect("English is chosen");
        let english = b
            .wait_until(
                "#message turns English",
                r#"const m = document.getElementById('message');
                   return m && /[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(m.textContent) ? m.textContent : null;"#,
            )
            .await;
        let english = english.as_str().unwrap_or_default().to_string();
        assert!(
            english.contains("959") && english.contains("948") && is_english(&english),
            "the English message: {english:?}"
        );
        assert!(
            b.text_of("#summary").await.starts_with("Findings"),
            "the list heading is English too"
        );

        // From the list: the mark scrolls into view.
        b.js(
            "document.getElementById('report').scrollTop = 0; window.scrollTo(0, 0); return true;",
            vec![],
        )
        .await;
        assert!(
            !in_view(&b, PRIMARY_NB401).await,
            "precondition: with the report scrolled to the top, line {line_959} is out of view"
        );
        let item = b
            .client()
            .find(fantoccini::Locator::XPath(
                "//ol[@id='findings']/li[starts-with(normalize-space(.), 'NB401 ')]",
            ))
            .await
            .expect("NB401 is in the findings list");
        let item_text = item.text().await.expect("the item's text");
        assert!(item_text.contains(&format!("第{line_959}行")), "{item_text:?}");
        item.click().await.expect("the NB401 item is clicked");
        b.wait_until(
            "the NB401 mark scrolls into view",
            &format!(
                "return (function() {{ {IN_VIEW} }}).apply(null, [{}]);",
                json!(PRIMARY_NB401)
            ),
        )
        .await;

        // Back to Chinese: same place, same finding, Chinese again; then the screenshot.
        b.wait_for(r#"input[name="lang"][value="zh"]"#)
            .await
            .click()
            .await
            .expect("中文 is chosen");
        let chinese = b
            .wait_until(
                "#message turns Chinese again",
                r#"const m = document.getElementById('message');
                   return m && !/[A-Za-z]/.test(m.textContent) ? m.textContent : null;"#,
            )
            .await;
        assert_eq!(chinese, json!(message));
        assert!(
            in_view(&b, PRIMARY_NB401).await,
            "switching the language keeps the report's scroll position"
        );
        // The screenshot: the whole page from its top (the header, the detail panel), with the
        // report box still scrolled to the 959 line.
        b.js("window.scrollTo(0, 0); return true;", vec![]).await;
        assert!(
            in_view(&b, PRIMARY_NB401).await,
            "the NB401 mark is in view with the page at its top"
        );
        let shot = workspace_root().join("tests/artifacts/browser-zhongwei.png");
        b.screenshot(&shot).await;
        let png = std::fs::read(&shot).expect("the screenshot is readable");
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000, "a real PNG");
    })
    .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_markup_is_shown_as_text_never_run() {
    let b = Browser::start().await;
    bounded("markup", async {
        let script = "<script>window.pwned=1</script>";
        let img = r#"<img src=x onerror="window.pwned=2">"#;
        let report = format!(
            "某某县人民政府2023年政府信息公开工作年度报告\n\n{script}\n{img}\n\n\
             一、总体情况\n2023年，本机关共收到政府信息公开申请 10 件，其中当面申请 3 件、网络申请 5 件。\n"
        );
        b.goto("/").await;
        paste_and_check(&b, &report).await;
        b.wait_until(
            "the report is rendered",
            "return document.getElementById('report').textContent.length > 0 && document.getElementById('status').textContent === '';",
        )
        .await;
        // Give an <img onerror> the time it would need to fire.
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert_eq!(
            b.js("return typeof window.pwned", vec![]).await,
            json!("undefined"),
            "nothing from the report ran"
        );
        assert_eq!(
            b.js("return document.querySelectorAll('#report script, #report img, #findings script, #findings img, #detail img').length", vec![])
                .await,
            json!(0),
            "no element was made from the report's markup"
        );
        let shown = b.text_of("#report").await;
        assert!(shown.contains(script), "the <script> shows as text: {shown:?}");
        assert!(shown.contains(img), "the <img> shows as text: {shown:?}");
        assert_eq!(shown, report, "#report shows the report as it was pasted");
    })
    .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_page_lists_nb401_with_its_chinese_summary() {
    let b = Browser::start().await;
    bounded("rules", async {
        let nb401 = nianbao_model::catalog()
            .into_iter()
            .find(|c| c.code == "NB401")
            .expect("NB401 is in the catalog");
        b.goto("/rules").await;
        b.wait_for("#NB401").await;
        let cells = b
            .js(
                "return [...document.getElementById('NB401').closest('tr').cells].map(td => td.textContent);",
                vec![],
            )
            .await;
        let cells: Vec<&str> = cells
            .as_array()
            .expect("the row's cells")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(cells.len(), 5, "{cells:?}");
        assert_eq!(cells[0], "NB401");
        assert_eq!(cells[1], nb401.name);
        assert_eq!(cells[2], nb401.severity.as_str());
        assert_eq!(cells[3], nb401.summary_zh, "the Chinese summary");
        assert!(cells[3].chars().any(is_han), "{cells:?}");
        assert_eq!(cells[4], nb401.summary_en);
    })
    .await;
    b.close().await;
}
