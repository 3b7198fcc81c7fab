//! The web pages in headless Chromium, driven over WebDriver (chromedriver + fantoccini):
//! a report checked from the check page and read as a reader sees it (paragraphs, tables
//! with the offending cells highlighted), each finding clicked and explained with its rule's
//! documentation, in either language with no word of the other; the severity filter; the
//! source view; a GB18030 file decoded by the server; report markup never run; the rule
//! catalog; and an office's whole path through a collection without curl.
//!
//! These tests need `chromium` and `chromedriver` (`.ci/run` installs them when missing).
//! Without them they FAIL with a clear message: they never skip. Only 127.0.0.1 is used.
//! Screenshots of each step are saved under `target/browser-screenshots/` (not committed).

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
    b.wait_for("#view").await;
}

/// Chooses `path` in the file input `css` (and presses `submit`, when given).
async fn choose_file(b: &Browser, css: &str, path: &std::path::Path) {
    b.wait_for(css)
        .await
        .send_keys(&path.display().to_string())
        .await
        .expect("the file is chosen");
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

/// Whether the first element matching `css` lies wholly inside the viewport and inside the report's box.
const IN_VIEW: &str = r#"
const m = document.querySelector(arguments[0]);
if (!m) return null;
const r = m.getBoundingClientRect(), c = document.querySelector('.doc').getBoundingClientRect();
return r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth
  && r.top >= c.top && r.bottom <= c.bottom;
"#;

async fn in_view(b: &Browser, css: &str) -> bool {
    b.js(IN_VIEW, vec![json!(css)]).await == json!(true)
}

/// How many elements matching `css` are shown (not `display: none`).
async fn shown(b: &Browser, css: &str) -> u64 {
    b.js(
        "return [...document.querySelectorAll(arguments[0])].filter(e => e.offsetParent !== null).length;",
        vec![json!(css)],
    )
    .await
    .as_u64()
    .expect("a count")
}

/// The background colour of the first element matching `css`.
async fn background(b: &Browser, css: &str) -> String {
    b.js(
        "return getComputedStyle(document.querySelector(arguments[0])).backgroundColor;",
        vec![json!(css)],
    )
    .await
    .as_str()
    .expect("a colour")
    .to_string()
}

const TRANSPARENT: &str = "rgba(0, 0, 0, 0)";

async fn choose_lang(b: &Browser, lang: &str) {
    b.wait_for(&format!(r#"input[name="lang"][value="{lang}"]"#))
        .await
        .click()
        .await
        .expect("the language is chosen");
}

const PRIMARY_NB401: &str = r#"#article mark.hit[data-code="NB401"]"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zhongwei_read_as_text_filtered_clicked_and_explained_in_either_language() {
    let b = Browser::start().await;
    bounded("zhongwei", async {
        let fixture =
            std::fs::read_to_string(workspace_root().join("tests/fixtures/zhongwei-2017.md"))
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

        // Summary in words; by default warnings and errors are listed, notes are not.
        assert_eq!(
            b.visible_text("#summary").await,
            "错误 0 · 警告 2 · 提示 54"
        );
        assert_eq!(shown(&b, "#findings li[data-sev=warning]").await, 2);
        assert_eq!(shown(&b, "#findings li[data-sev=info]").await, 0);

        // The NB401 highlight, in the paragraph of the 959 line, read as text.
        let mark = b.wait_for(PRIMARY_NB401).await;
        let mark_text = mark
            .prop("textContent")
            .await
            .expect("text")
            .unwrap_or_default();
        assert!(mark_text.contains("959"), "the NB401 mark is {mark_text:?}");
        assert!(
            mark.attr("class")
                .await
                .expect("class")
                .unwrap_or_default()
                .contains("sev-warning"),
            "NB401 is a warning"
        );
        let paragraph = b
            .js(
                "return document.querySelector(arguments[0]).closest('p').textContent",
                vec![json!(PRIMARY_NB401)],
            )
            .await;
        assert!(
            paragraph
                .as_str()
                .is_some_and(|t| t.contains("本次动态调整共涉及 28 个市直部门 959 项权力事项")),
            "{paragraph}"
        );
        // Tables are tables: the pipe table's cells are cells, its markup gone.
        let cells = b
            .js(
                "return [...document.querySelectorAll('#article td')].map(td => td.textContent)",
                vec![],
            )
            .await;
        let cells: Vec<&str> = cells
            .as_array()
            .expect("cells")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(cells.contains(&"2. 政府网站在线访谈次数"), "{cells:?}");
        assert!(
            !b.text_of("#article").await.contains("|---"),
            "no table markup in the reading view"
        );
        // The related places of NB401 (its parts) are outlined, not filled.
        assert!(shown(&b, r#"#article mark.rel[data-code="NB401"]"#).await >= 5);
        assert_eq!(
            background(&b, r#"#article mark.rel[data-code="NB401"]"#).await,
            TRANSPARENT
        );
        b.snap("01-check-zhongwei-article").await;

        // Click it: the detail panel explains, in Chinese, with the rule's documentation.
        mark.click().await.expect("the mark is clicked");
        let message = b.visible_text("#message").await;
        assert!(
            message.contains("959") && message.contains("948"),
            "{message:?}"
        );
        assert!(
            is_chinese(&message),
            "the message is Chinese by default: {message:?}"
        );
        let detail = b.visible_text("#detail").await;
        assert!(detail.starts_with("NB401 警告"), "{detail:?}");
        assert!(
            detail.contains("为什么重要") && detail.contains("总分不符是审阅者最常发现的错误之一"),
            "{detail:?}"
        );
        assert!(
            detail.contains("如何修正") && detail.contains("核对总数与各分项"),
            "{detail:?}"
        );
        assert!(!detail.contains("Why it matters"), "{detail:?}");
        assert_eq!(
            b.js(
                "return document.querySelector('#detail a').getAttribute('href')",
                vec![]
            )
            .await,
            json!("/rules#NB401")
        );
        assert!(
            shown(&b, r#"mark.active[data-code="NB401"]"#).await >= 6,
            "the clicked finding's places are outlined"
        );
        // Chinese mode: no English word for a severity or a line anywhere outside the report.
        let aside = b.visible_text("aside").await;
        assert!(aside.contains(&format!("第{line_959}行")), "{aside}");
        for word in ["warning", "error", "info", "line "] {
            assert!(
                !aside.contains(word),
                "Chinese mode shows `{word}`: {aside}"
            );
        }
        b.snap("02-check-zhongwei-detail-zh").await;

        // English: everything turns English, the open finding too.
        choose_lang(&b, "en").await;
        let english = b.visible_text("#message").await;
        assert!(
            english.contains("959") && english.contains("948") && is_english(&english),
            "{english:?}"
        );
        assert_eq!(
            b.visible_text("#summary").await,
            "errors 0 · warnings 2 · info 54"
        );
        let detail = b.visible_text("#detail").await;
        assert!(detail.starts_with("NB401 warning"), "{detail:?}");
        assert!(
            detail.contains("Why it matters")
                && detail.contains("A total that its own parts contradict"),
            "{detail:?}"
        );
        let aside = b.visible_text("aside").await;
        assert!(aside.contains(&format!("line {line_959}")), "{aside}");
        assert!(
            !aside.contains("第") && !aside.contains("警告") && !aside.contains("提示"),
            "English mode shows Chinese words: {aside}"
        );
        assert!(b.visible_text("header").await.contains("Rules"));
        b.snap("03-check-zhongwei-detail-en").await;

        // From the list: the mark scrolls into view.
        b.js(
            "document.querySelector('.doc').scrollTop = 0; window.scrollTo(0, 0); return true;",
            vec![],
        )
        .await;
        assert!(
            !in_view(&b, PRIMARY_NB401).await,
            "precondition: line {line_959} is out of view"
        );
        b.wait_for(r#"#findings li[data-code="NB401"]"#)
            .await
            .click()
            .await
            .expect("the item is clicked");
        b.wait_until(
            "the NB401 mark scrolls into view",
            &format!(
                "return (function() {{ {IN_VIEW} }}).apply(null, [{}]);",
                json!(PRIMARY_NB401)
            ),
        )
        .await;

        // The severity filter: notes shown on demand, warnings hidden on demand.
        b.wait_for("#filter input[value=info]")
            .await
            .click()
            .await
            .expect("info is ticked");
        assert_eq!(shown(&b, "#findings li[data-sev=info]").await, 54);
        b.wait_for("#filter input[value=warning]")
            .await
            .click()
            .await
            .expect("warning is unticked");
        assert_eq!(shown(&b, "#findings li[data-sev=warning]").await, 0);
        assert_eq!(
            background(&b, PRIMARY_NB401).await,
            TRANSPARENT,
            "a hidden severity is not highlighted"
        );
        b.snap("04-check-zhongwei-filter-info-only").await;
        b.wait_for("#filter input[value=warning]")
            .await
            .click()
            .await
            .expect("warning is ticked again");
        assert_ne!(background(&b, PRIMARY_NB401).await, TRANSPARENT);

        // The source: the decoded input, byte for byte as text, with the same highlights.
        b.wait_for("#toggle-source")
            .await
            .click()
            .await
            .expect("source");
        assert_eq!(shown(&b, "#article").await, 0);
        assert!(
            b.text_of("#source").await == fixture,
            "the source is the input as it was pasted"
        );
        let source_mark = b.text_of(r#"#source mark.hit[data-code="NB401"]"#).await;
        assert!(source_mark.contains("959"), "{source_mark:?}");
        b.snap("05-check-zhongwei-source").await;

        // Back to Chinese; the choice is remembered on the next page.
        choose_lang(&b, "zh").await;
        b.goto("/rules").await;
        assert_eq!(
            b.js("return document.documentElement.lang", vec![]).await,
            json!("zh-CN")
        );
        choose_lang(&b, "en").await;
        b.goto("/").await;
        assert_eq!(
            b.js("return document.documentElement.lang", vec![]).await,
            json!("en")
        );
        choose_lang(&b, "zh").await;
    })
    .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_table_shows_its_merged_cells_with_the_wrong_total_highlighted() {
    let b = Browser::start().await;
    bounded("table", async {
        // The HTML page of 平潭 2023 with one total made wrong: 81 → 91.
        let page = std::fs::read_to_string(workspace_root().join("tests/fixtures/pingtan-2023.page.html"))
            .expect("the fixture is readable");
        let at = page.find("本年新收").expect("the row");
        let total = at + page[at..].find(">81<").expect("its total");
        let wrong = format!("{}>91<{}", &page[..total], &page[total + 4..]);
        let dir = tempfile::tempdir().expect("a directory");
        let file = dir.path().join("pingtan-2023-wrong.html");
        std::fs::write(&file, wrong).expect("written");

        b.goto("/").await;
        choose_file(&b, "#file", &file).await;
        b.wait_for("#check").await.click().await.expect("检查");
        b.wait_for("#view").await;
        // The page's article, not its markup.
        let article = b.text_of("#article").await;
        assert!(article.starts_with("平潭综合实验区2023年度政府信息公开工作年度报告"), "{article:.200}");
        assert!(!article.contains("<td") && !article.contains("style="), "{article:.200}");
        // The wrong total: a highlighted cell, an error, its parts outlined.
        let hit = r#"#article td.hit[data-code="NB201"]"#;
        assert_eq!(b.text_of(hit).await, "91");
        assert_eq!(background(&b, hit).await, "rgb(248, 180, 180)", "an error's fill");
        let parts = b
            .js(r#"return [...document.querySelectorAll('#article td.rel[data-f="' + document.querySelector(arguments[0]).dataset.f + '"]')].map(td => td.textContent)"#, vec![json!(hit)])
            .await;
        assert_eq!(parts, json!(["80", "1", "0", "0", "0", "0"]), "the parts of the total are outlined");
        // Merged cells are merged: the headers of the application table span rows and columns.
        let merged = b
            .js("return [...document.querySelectorAll('#article td[colspan], #article th[colspan]')].some(c => c.textContent === '申请人情况' && c.colSpan === 7)", vec![])
            .await;
        assert_eq!(merged, json!(true));
        let rowspan = b
            .js("return [...document.querySelectorAll('#article td[rowspan]')].some(c => c.textContent === '三、本年度办理结果' && c.rowSpan === 22)", vec![])
            .await;
        assert_eq!(rowspan, json!(true));
        b.js("document.querySelector(arguments[0]).scrollIntoView({block: 'center'}); return true;", vec![json!(hit)]).await;
        b.wait_for(hit).await.click().await.expect("the cell is clicked");
        assert!(b.visible_text("#detail").await.starts_with("NB201 错误"));
        b.snap("06-table-wrong-total").await;
    })
    .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gb18030_file_is_decoded_by_the_server() {
    let b = Browser::start().await;
    bounded("gb18030", async {
        let fixture =
            std::fs::read_to_string(workspace_root().join("tests/fixtures/zhongwei-2017.md"))
                .expect("the fixture is readable");
        let (bytes, _, _) = encoding_rs::GB18030.encode(&fixture);
        let dir = tempfile::tempdir().expect("a directory");
        let file = dir.path().join("zhongwei-gb18030.md");
        std::fs::write(&file, &bytes).expect("written");
        b.goto("/").await;
        choose_file(&b, "#file", &file).await;
        b.wait_for("#check").await.click().await.expect("检查");
        b.wait_for("#view").await;
        assert_eq!(b.text_of("#name").await, "zhongwei-gb18030.md");
        assert_eq!(
            b.visible_text("#summary").await,
            "错误 0 · 警告 2 · 提示 54"
        );
        let mark = b.text_of(PRIMARY_NB401).await;
        assert!(mark.starts_with("959 项"), "{mark:?}");
        assert!(
            b.text_of("#source").await == fixture,
            "the source is the decoded text"
        );
    })
    .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_word_draft_shows_its_text_with_the_revised_figure_highlighted() {
    let b = Browser::start().await;
    bounded("word draft", async {
        let file = workspace_root().join("tests/fixtures/drafts/pingtan-2024-revised.docx");
        b.goto("/").await;
        choose_file(&b, "#file", &file).await;
        b.wait_for("#check").await.click().await.expect("检查");
        b.wait_for("#view").await;
        assert_eq!(b.text_of("#name").await, "pingtan-2024-revised.docx");
        assert!(b.visible_text("#word-draft").await.contains("Word"));
        // The paragraphs and tables read out of the document, as accepted.
        let article = b.text_of("#article").await;
        assert!(
            article.starts_with("平潭综合实验区2024年度政府信息公开工作年度报告"),
            "{article:?}"
        );
        assert!(article.contains("全年办理政府信息公开申请219件"), "{article:?}");
        assert!(!article.contains("218件"), "the deleted figure is not shown");
        assert!(
            b.js("return document.querySelectorAll('#article table').length", vec![])
                .await
                == json!(3),
            "the template's three tables"
        );
        // The new figure's finding highlighted where it is, placed by paragraph.
        let mark = b
            .js(
                "return Array.from(document.querySelectorAll('#article mark[data-code=\"NB301\"]')).map(m => m.textContent).join('')",
                vec![],
            )
            .await;
        assert_eq!(mark, json!("219件"));
        let item = b.visible_text("#findings li[data-code=\"NB301\"] .line").await;
        assert!(item.starts_with("第 ") && item.ends_with(" 段"), "{item:?}");
        b.snap("word-draft").await;
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
        // Give an <img onerror> the time it would need to fire.
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert_eq!(
            b.js("return typeof window.pwned", vec![]).await,
            json!("undefined"),
            "nothing from the report ran"
        );
        assert_eq!(
            b.js("return document.querySelectorAll('#view script, #view img').length", vec![]).await,
            json!(0),
            "no element was made from the report's markup"
        );
        assert_eq!(b.text_of("#source").await, report, "#source shows the report as it was pasted");
        let article = b.text_of("#article").await;
        assert!(article.contains("window.pwned=1"), "the script's text shows as text: {article:?}");
    })
    .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_page_lists_nb401_in_the_chosen_language() {
    let b = Browser::start().await;
    bounded("rules", async {
        let nb401 = nianbao_model::catalog()
            .into_iter()
            .find(|c| c.code == "NB401")
            .expect("NB401 is in the catalog");
        b.goto("/rules").await;
        b.wait_for("#NB401").await;
        let row = "return [...document.getElementById('NB401').closest('tr').cells].map(td => td.innerText);";
        let cells = b.js(row, vec![]).await;
        assert_eq!(cells, json!(["NB401", nb401.name, "警告", nb401.summary_zh]));
        choose_lang(&b, "en").await;
        let cells = b.js(row, vec![]).await;
        assert_eq!(cells, json!(["NB401", nb401.name, "warning", nb401.summary_en]));
        choose_lang(&b, "zh").await;
    })
    .await;
    b.close().await;
}

/// The value of the input `#id`.
async fn value_of(b: &Browser, id: &str) -> String {
    b.js(
        "return document.getElementById(arguments[0]).value",
        vec![json!(id)],
    )
    .await
    .as_str()
    .unwrap_or_else(|| panic!("no #{id}"))
    .to_string()
}

/// Chooses a file on the upload page (the page sends it at once) and waits for its findings.
async fn upload(b: &Browser, path: &std::path::Path) {
    let name = path
        .file_name()
        .expect("a name")
        .to_string_lossy()
        .to_string();
    choose_file(b, "#file", path).await;
    b.wait_until(
        "the uploaded report's findings",
        &format!("const n = document.getElementById('name'); return n && n.textContent === {} && document.getElementById('stored') !== null;", json!(name)),
    )
    .await;
}

/// Opens collection 1's overview with the admin token in the link's fragment (the
/// page sends it in its form; a page answered to a form is not kept, so going back
/// means opening it again).
async fn open_overview(b: &Browser, admin: &str) {
    b.goto(&format!("/collections/1#token={admin}")).await;
    b.wait_until(
        "the overview",
        "return document.getElementById('reports') !== null;",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_office_creates_a_collection_collects_compares_and_downloads() {
    let b = Browser::start().await;
    bounded("office", async {
        let fixtures = workspace_root().join("tests/fixtures");
        // Create: the tokens are shown once, with a warning and copy buttons.
        b.goto("/collections").await;
        b.wait_for("#name").await.send_keys("平潭 2024 汇总").await.expect("name");
        b.wait_for("#year").await.send_keys("2024").await.expect("year");
        b.wait_for("#create").await.click().await.expect("建立");
        b.wait_for("#admin-token").await;
        let admin = value_of(&b, "admin-token").await;
        let link = value_of(&b, "upload-link").await;
        assert_eq!(admin.len(), 64);
        assert!(link.starts_with(&b.base) && link.contains("/upload#token="), "{link}");
        assert!(b.visible_text("#keep").await.contains("只显示这一次"));
        b.wait_for(r#"button[data-copy="admin-token"]"#).await.click().await.expect("复制");
        b.wait_until(
            "the copy button says it copied",
            r#"return document.querySelector('button[data-copy="admin-token"]').classList.contains('copied');"#,
        )
        .await;
        b.snap("07-office-created").await;

        // A department's upload page, reached with the link: drop a file, see its findings.
        let link_path = link.strip_prefix(&b.base).expect("on this server");
        b.goto(link_path).await;
        let token = value_of(&b, "token").await;
        assert_eq!(token.len(), 64, "the token came from the link's fragment");
        upload(&b, &fixtures.join("merge/pingtan-2024-a.md")).await;
        assert!(b.visible_text("#summary").await.starts_with("错误 "));
        b.snap("08-office-uploaded").await;
        // Another department, from the same page; then the compiled report.
        upload(&b, &fixtures.join("merge/pingtan-2024-b-off-by-one.md")).await;
        upload(&b, &fixtures.join("pingtan-2024.md")).await;

        // The overview, opened with the admin token in the link's fragment.
        open_overview(&b, &admin).await;
        let rows = b
            .js("return [...document.querySelectorAll('#reports tbody tr')].map(tr => [...tr.cells].slice(0, 8).map(td => td.innerText))", vec![])
            .await;
        let rows = rows.as_array().expect("rows").clone();
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(rows[0][1], json!("pingtan-2024-a.md"));
        assert_eq!(rows[0][3], json!("2024"));
        assert!(rows.iter().all(|r| r[4] != json!("")), "each has a format: {rows:?}");
        b.snap("09-office-overview").await;

        // A report's own view from the overview.
        b.wait_for("#view-1").await.click().await.expect("查看");
        b.wait_for("#view").await;
        assert_eq!(b.text_of("#name").await, "pingtan-2024-a.md");
        open_overview(&b, &admin).await;

        // The departments against the compiled report.
        b.js("document.getElementById('against').value = '3'; return true;", vec![]).await;
        b.wait_for("#aggregate").await.click().await.expect("比对");
        b.wait_for("table#aggregate").await;
        let mismatches = b
            .js("return [...document.querySelectorAll('#aggregate tr.mismatch')].map(tr => [...tr.cells].map(td => td.innerText))", vec![])
            .await;
        let mismatches = mismatches.as_array().expect("rows").clone();
        assert!(!mismatches.is_empty(), "the off-by-one department makes a mismatch");
        let parts = mismatches[0][5].as_str().unwrap_or_default();
        assert!(
            parts.contains("pingtan-2024-a.md") && parts.contains("pingtan-2024-b-off-by-one.md"),
            "each part is listed: {parts}"
        );
        // The table is named as the template names it, not by its id.
        let table = mismatches[0][0].as_str().unwrap_or_default();
        assert!(table.contains("第二十条") && !table.contains("t2."), "{table}");
        assert_eq!(background(&b, "#aggregate tr.mismatch td").await, "rgb(248, 180, 180)");
        b.js("document.querySelector('#aggregate tr.mismatch').scrollIntoView({block: 'center'}); return true;", vec![]).await;
        b.snap("10-office-aggregate").await;
        open_overview(&b, &admin).await;

        // The downloads: what the button's form posts is an xlsx workbook.
        let got = b
            .client()
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   const form = document.getElementById('download-table-xlsx').form;
                   fetch(form.action, {method: 'POST', body: new FormData(form)}).then(async r => {
                     const bytes = new Uint8Array(await r.arrayBuffer());
                     done({status: r.status, type: r.headers.get('content-type'),
                           disposition: r.headers.get('content-disposition'),
                           zip: bytes[0] === 0x50 && bytes[1] === 0x4b, size: bytes.length});
                   });"#,
                vec![],
            )
            .await
            .expect("the download is fetched");
        assert_eq!(got["status"], json!(200), "{got}");
        assert_eq!(got["type"], json!("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        assert_eq!(got["disposition"], json!("attachment; filename=\"collection-1-table.xlsx\""));
        assert_eq!(got["zip"], json!(true), "an xlsx is a zip: {got}");
        b.wait_for("#download-table-xlsx").await.click().await.expect("the download button");
        b.snap("11-office-downloads").await;

        // A wrong token: the page for a person (from another page: a new fragment on
        // the same address would not load the page again).
        b.goto("/rules").await;
        b.goto(&format!("/collections/1#token={}", "0".repeat(64))).await;
        b.wait_until("the 404 page", "return document.getElementById('problem') !== null;")
            .await;
        assert!(b.visible_text("#problem").await.starts_with("没有找到这个汇总集合，或者令牌不对"));
        b.snap("12-office-wrong-token").await;
    })
    .await;
    b.close().await;
}
