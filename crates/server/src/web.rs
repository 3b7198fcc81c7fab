//! Server-rendered pages with a little plain JavaScript (served as files: no inline
//! script or style, as the Content Security Policy requires): check a pasted or uploaded
//! report and see each finding highlighted in the text; the rule catalog; a
//! collection's reports. Chinese by default. Report text is only ever inserted
//! with `textContent`, never as HTML, so a report containing `<script>` shows as text.

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

/// The page's files: one stylesheet and a script per page, served from the
/// server itself, so that the Content Security Policy allows no inline code.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "nianbao.css",
        "text/css; charset=utf-8",
        include_str!("assets/nianbao.css"),
    ),
    (
        "check.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/check.js"),
    ),
    (
        "collection.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/collection.js"),
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

fn page(title: &str, body: &str, script: Option<&str>) -> Html<String> {
    let script = script.map_or_else(String::new, |s| {
        format!("<script src=\"/static/{s}\" defer></script>")
    });
    Html(format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <link rel=\"stylesheet\" href=\"/static/nianbao.css\">{script}</head>\
         <body><header><strong>年报检查 nianbao</strong><a href=\"/\">检查</a><a href=\"/rules\">规则</a></header>{body}</body></html>",
        escape(title)
    ))
}

/// The check page: paste or upload, then read the report with its findings highlighted.
pub async fn index() -> Html<String> {
    page("年报检查", INDEX_BODY, Some("check.js"))
}

const INDEX_BODY: &str = r##"
<main>
<section>
  <p><label for="text">粘贴年报全文（Markdown、纯文本或 HTML）：</label></p>
  <textarea id="text" placeholder="在此粘贴政府信息公开工作年度报告……"></textarea>
  <p><input type="file" id="file"> <button id="check">检查</button>
  <label><input type="radio" name="lang" value="zh" checked> 中文</label>
  <label><input type="radio" name="lang" value="en"> English</label>
  <span id="status"></span></p>
  <div id="report" aria-live="polite"></div>
</section>
<section>
  <h2 id="summary">问题列表</h2>
  <div id="detail">点击高亮文字或列表中的问题查看说明。</div>
  <ol id="findings"></ol>
</section>
</main>
"##;

/// The rule catalog.
pub async fn rules_page() -> Html<String> {
    let mut rows = String::new();
    for c in nianbao_model::catalog() {
        rows.push_str(&format!(
            "<tr><td><a href=\"#{code}\" id=\"{code}\">{code}</a></td><td>{name}</td><td class=\"sev-{sev}\">{sev}</td><td>{zh}</td><td>{en}</td></tr>",
            code = escape(c.code),
            name = escape(c.name),
            sev = c.severity.as_str(),
            zh = escape(c.summary_zh),
            en = escape(c.summary_en)
        ));
    }
    page(
        "规则目录",
        &format!("<main class=\"plain\"><h1>规则目录 Rules</h1><table><tr><th>代码</th><th>名称</th><th>严重程度</th><th>说明</th><th>Summary</th></tr>{rows}</table></main>"),
        None,
    )
}

/// A collection's page: asks for the admin token, then lists the reports.
pub async fn collection_page(Path(id): Path<i64>) -> Html<String> {
    page(
        "汇总集合",
        &COLLECTION_BODY.replace("{ID}", &id.to_string()),
        Some("collection.js"),
    )
}

const COLLECTION_BODY: &str = r##"
<main class="plain" data-collection="{ID}">
<h1>汇总集合 {ID}</h1>
<p><label>管理令牌（admin token）：<input id="token" type="password" size="70"></label> <button id="load">查看</button> <span id="status"></span></p>
<table id="reports"><thead><tr><th>编号</th><th>文件</th><th>发布机关</th><th>年度</th><th>格式</th><th>错误</th><th>警告</th><th>提示</th></tr></thead><tbody></tbody></table>
</main>
"##;
