//! Server-rendered pages with a little plain JavaScript (one file, served as a
//! file: no inline script or style, as the Content Security Policy requires).
//! Every word is written in Chinese and English (`<span class="zh">`,
//! `<span class="en">`); the stylesheet shows the language chosen in the header,
//! Chinese by default. Report text is escaped here, on the server: the page
//! builds no element from a report's markup.
//!
//! The pages themselves: the check page, the rule catalog, the page a person
//! gets for a missing collection or a wrong token (one page for both), and the
//! layout they share. The forms behind them are in [`crate::pages`].

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A text in both languages (escaped): the stylesheet shows one of them.
pub fn t(zh: &str, en: &str) -> String {
    format!(
        "<span class=\"zh\" lang=\"zh-CN\">{}</span><span class=\"en\" lang=\"en\">{}</span>",
        escape(zh),
        escape(en)
    )
}

/// The page's files: one stylesheet and one script, served from the server
/// itself, so that the Content Security Policy allows no inline code.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "nianbao.css",
        "text/css; charset=utf-8",
        include_str!("assets/nianbao.css"),
    ),
    (
        "nianbao.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/nianbao.js"),
    ),
];

/// `/static/{file}`: one of the page's files.
pub async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, text)) => {
            ([(header::CONTENT_TYPE, *content_type)], *text).into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// A whole page: `title` in both languages, `body` already HTML.
pub fn page(title: (&str, &str), body: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · {}</title>\
         <link rel=\"stylesheet\" href=\"/static/nianbao.css\"><script src=\"/static/nianbao.js\" defer></script></head>\
         <body><header><strong>{}</strong><nav><a href=\"/\">{}</a><a href=\"/rules\">{}</a><a href=\"/collections\">{}</a></nav>\
         <span class=\"langs\"><label><input type=\"radio\" name=\"lang\" value=\"zh\" checked> 中文</label>\
         <label><input type=\"radio\" name=\"lang\" value=\"en\"> English</label></span></header>{body}</body></html>",
        escape(title.0),
        escape(title.1),
        t("年报检查", "nianbao"),
        t("检查", "Check"),
        t("规则", "Rules"),
        t("汇总", "Collections"),
    ))
}

/// The check page: paste or upload a report, then read it with its findings.
pub async fn index() -> Html<String> {
    let body = format!(
        "<main class=\"plain\"><h1>{}</h1>\
         <form id=\"check-form\" method=\"post\" action=\"/check\" enctype=\"multipart/form-data\">\
         <p><label for=\"text\">{}</label></p>\
         <textarea id=\"text\" name=\"text\" placeholder=\"在此粘贴政府信息公开工作年度报告……\"></textarea>\
         <p class=\"drop\"><label>{} <input type=\"file\" id=\"file\" name=\"file\"></label></p>\
         <p><button id=\"check\" type=\"submit\">{}</button></p></form></main>",
        t("检查一份年报", "Check a report"),
        t(
            "粘贴年报全文（Markdown、纯文本或 HTML），或选择文件（任何编码，由服务器识别；也可以是 Word 文档 .docx）：",
            "Paste the report (Markdown, plain text or HTML), or choose a file (any encoding: the server reads it; a Word document, .docx, too):"
        ),
        t("文件：", "File:"),
        t("检查", "Check"),
    );
    page(("年报检查", "Check a report"), &body)
}

/// The rule catalog.
pub async fn rules_page() -> Html<String> {
    let mut rows = String::new();
    for c in nianbao_model::catalog() {
        rows.push_str(&format!(
            "<tr><td><a href=\"#{code}\" id=\"{code}\">{code}</a></td><td>{name}</td><td class=\"sev-{sev}\">{words}</td><td>{summary}</td></tr>",
            code = escape(c.code),
            name = escape(c.name),
            sev = c.severity.as_str(),
            words = crate::view::severity_words(c.severity),
            summary = t(c.summary_zh, c.summary_en),
        ));
    }
    page(
        ("规则目录", "Rules"),
        &format!(
            "<main class=\"plain\"><h1>{}</h1><table class=\"rules\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{rows}</table></main>",
            t("规则目录", "Rules"),
            t("代码", "Code"),
            t("名称", "Name"),
            t("严重程度", "Severity"),
            t("说明", "Summary"),
        ),
    )
}

/// A page that says what went wrong, in words for a person.
pub fn message_page(status: StatusCode, title: (&str, &str), text: (&str, &str)) -> Response {
    let body = format!(
        "<main class=\"plain\"><h1>{}</h1><p id=\"problem\">{}</p><p><a href=\"/\">{}</a></p></main>",
        t(title.0, title.1),
        t(text.0, text.1),
        t("返回检查页", "Back to the check page"),
    );
    (status, page(title, &body)).into_response()
}

/// The one 404 page of a collection: a collection that does not exist and a
/// token that is not one of its own look the same, so that a page tells no
/// stranger which collections exist.
pub fn collection_not_found() -> Response {
    message_page(
        StatusCode::NOT_FOUND,
        ("找不到汇总集合", "Collection not found"),
        (
            "没有找到这个汇总集合，或者令牌不对。请检查收到的链接或令牌是否完整（令牌是 64 位字母数字）；如仍不行，请联系建立汇总集合的同事。",
            "There is no such collection, or the token is not right. Check that the link or token you were given is complete (a token is 64 letters and digits); if it still fails, ask whoever created the collection.",
        ),
    )
}
