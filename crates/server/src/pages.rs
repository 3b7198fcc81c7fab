//! The forms behind the pages: a check from the check page, and (for an office
//! that works without curl) the collection pages. Each answers with a whole
//! page rendered here; tokens come in a form field, never in a path or a query.
//! A missing collection and a wrong token get the same page
//! ([`web::collection_not_found`]).

use std::sync::Arc;

use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, StatusCode};

use axum::response::{IntoResponse, Response};
use nianbao_model::cross::Comparison;
use nianbao_model::settings::Lang;

use crate::app::{self, AppState, Need};
use crate::checker::Refused;
use crate::collect;
use crate::guard::{self, BodyDeadline};
use crate::view;
use crate::web::{self, page, t};

/// A form as sent: its short text fields and at most one file.
#[derive(Default)]
pub struct Form {
    /// Text fields by name (the report's text among them).
    pub fields: Vec<(String, String)>,
    /// The file's name and bytes, when one was chosen.
    pub file: Option<(String, Vec<u8>)>,
}

impl Form {
    /// A text field's value (`""` when missing).
    pub fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// Why a form could not be read, as a page.
fn unreadable() -> Response {
    web::message_page(
        StatusCode::UNPROCESSABLE_ENTITY,
        ("无法读取表单", "The form cannot be read"),
        (
            "提交的表单无法读取，请返回重试。",
            "The form that was sent cannot be read; go back and try again.",
        ),
    )
}

fn too_large() -> Response {
    web::message_page(
        StatusCode::PAYLOAD_TOO_LARGE,
        ("文件过大", "The file is too large"),
        (
            "提交的内容超过服务器允许的大小（默认 20 MB，见 --max-body）。",
            "What was sent is larger than the server allows (20 MB by default, see --max-body).",
        ),
    )
}

/// Reads a `multipart/form-data` or `application/x-www-form-urlencoded` form within the body deadline.
pub async fn read_form(req: Request) -> Result<Form, Response> {
    let deadline = req
        .extensions()
        .get::<BodyDeadline>()
        .copied()
        .unwrap_or(BodyDeadline(None));
    let read = read_fields(req);
    match deadline.remaining() {
        None => read.await,
        Some(left) => match tokio::time::timeout(left, read).await {
            Ok(r) => r,
            Err(_) => Err(guard::body_timeout()),
        },
    }
}

async fn read_fields(req: Request) -> Result<Form, Response> {
    let urlencoded = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if urlencoded {
        let axum::Form(fields) = axum::Form::<Vec<(String, String)>>::from_request(req, &())
            .await
            .map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    unreadable()
                }
            })?;
        return Ok(Form { fields, file: None });
    }
    let mut multipart = Multipart::from_request(req, &()).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            unreadable()
        }
    })?;
    let mut form = Form::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err(unreadable()),
        };
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err(unreadable()),
        };
        match file_name {
            // A file input left empty still sends a part, without bytes.
            Some(f) if !bytes.is_empty() && form.file.is_none() => {
                form.file = Some((f, bytes.to_vec()));
            }
            Some(_) => {}
            None => form
                .fields
                .push((name, String::from_utf8_lossy(&bytes).into_owned())),
        }
    }
    Ok(form)
}

/// The page of a check that did not run (the queue is full, the server is stopping).
pub fn refused_page(r: Refused) -> Response {
    match r {
        Refused::Busy => web::message_page(
            StatusCode::SERVICE_UNAVAILABLE,
            ("服务器繁忙", "The server is busy"),
            (
                "检查队列已满，请稍后重试。",
                "The check queue is full; try again in a moment.",
            ),
        ),
        Refused::ShuttingDown => web::message_page(
            StatusCode::SERVICE_UNAVAILABLE,
            ("服务器正在关闭", "The server is shutting down"),
            (
                "服务器正在关闭，请稍后重试。",
                "The server is shutting down; try again later.",
            ),
        ),
    }
}

/// The report and its name from a form: the file when one was chosen, else the
/// pasted text (then without a name).
fn report_of(form: Form) -> Option<(Option<String>, Vec<u8>)> {
    let text = form.get("text").to_string();
    match form.file {
        Some((name, bytes)) => Some((Some(name), bytes)),
        None if !text.trim().is_empty() => Some((None, text.into_bytes())),
        None => None,
    }
}

fn nothing_to_check() -> Response {
    web::message_page(
        StatusCode::UNPROCESSABLE_ENTITY,
        ("没有可检查的内容", "Nothing to check"),
        (
            "请粘贴年报全文或选择一个文件。",
            "Paste a report or choose a file.",
        ),
    )
}

/// `POST /check`: the check page's form; answers with the report as a reader sees it.
pub async fn check(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let form = match read_form(req).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let Some((name, bytes)) = report_of(form) else {
        return nothing_to_check();
    };
    let outcome = match state.checker().check(bytes.into()).await {
        Ok(o) => o,
        Err(r) => return refused_page(r),
    };
    let body = format!(
        "<main class=\"report\">{}<p class=\"again\"><a href=\"/\">{}</a></p></main>",
        view::report(
            &outcome.checked,
            &name.map_or_else(|| t("粘贴的文本", "Pasted text"), |n| web::escape(&n)),
        ),
        t("检查另一份", "Check another report"),
    );
    page(("检查结果", "Findings"), &body).into_response()
}

// ---- Collections, for an office that works without curl ----

/// The page of a wrong token or a missing collection: one page for both.
fn not_found() -> Response {
    web::collection_not_found()
}

/// The token of a form, when it opens collection `id` for `need`.
async fn opened(
    state: &Arc<AppState>,
    id: i64,
    form: &Form,
    need: Need,
) -> Result<String, Response> {
    let token = form.get("token").trim().to_string();
    if token.is_empty() || !app::token_opens(state, id, &token, need).await? {
        return Err(not_found());
    }
    Ok(token)
}

/// A hidden field carrying the token to the next form.
fn token_field(token: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"token\" value=\"{}\">",
        web::escape(token)
    )
}

/// A token shown once, with its copy button.
fn shown_token(id: &str, label: String, value: &str) -> String {
    format!(
        "<p><label for=\"{id}\">{label}</label><br><input id=\"{id}\" class=\"token\" readonly value=\"{}\"> \
         <button type=\"button\" data-copy=\"{id}\">{}</button></p>",
        web::escape(value),
        t("复制", "Copy"),
    )
}

/// `GET /collections`: create a collection.
pub async fn collections_page() -> Response {
    let body = format!(
        "<main class=\"plain\"><h1>{}</h1><p>{}</p>\
         <form method=\"post\" action=\"/collections/new\">\
         <p><label>{} <input name=\"name\" id=\"name\" required size=\"40\"></label></p>\
         <p><label>{} <input name=\"year\" id=\"year\" required size=\"6\" inputmode=\"numeric\"></label></p>\
         <p><button id=\"create\" type=\"submit\">{}</button></p></form>\
         <p>{}</p></main>",
        t("建立汇总集合", "Create a collection"),
        t(
            "汇总集合收集各部门的年报，与汇总年报比对，并导出统计表。建立后会得到两个令牌：管理令牌（查看、汇总、导出、删除）和上传令牌（各部门上传年报）。",
            "A collection gathers the departments' reports, compares them with the compiled report and exports the statistics. Creating one gives two tokens: the admin token (view, compare, export, delete) and the upload token (for the departments' uploads)."
        ),
        t("名称：", "Name:"),
        t("年度：", "Year:"),
        t("建立", "Create"),
        t(
            "已有汇总集合？请打开建立时得到的链接。",
            "Already have a collection? Open the link you were given when it was created."
        ),
    );
    page(("建立汇总集合", "Create a collection"), &body).into_response()
}

/// `POST /collections/new`: creates the collection and shows its tokens, once.
pub async fn create_collection(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let form = match read_form(req).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let name = form.get("name").trim().to_string();
    let year = form.get("year").trim().parse::<i64>().ok();
    let max = state.config().max_name_chars;
    let (Some(year), false) = (
        year,
        name.is_empty() || (max > 0 && name.chars().count() > max),
    ) else {
        return web::message_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            ("无法建立", "Cannot create"),
            (
                "请填写名称（不要过长）和年度（如 2024）。",
                "Give a name (not too long) and a year (such as 2024).",
            ),
        );
    };
    let (id, admin, upload) = match app::new_collection(&state, name.clone(), year).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let body = format!(
        "<main class=\"plain\" data-collection=\"{id}\"><h1>{}</h1>\
         <p class=\"warn\" id=\"keep\">{}</p>{}{}{}\
         <p><a id=\"overview\" href=\"/collections/{id}#token={admin}\">{}</a></p></main>",
        t(
            &format!("汇总集合“{name}”（{year} 年度）已建立"),
            &format!("Collection “{name}” ({year}) created")
        ),
        t(
            "请立即复制并妥善保存下面的令牌：它们只显示这一次，服务器只保存其摘要，丢失后无法找回（只能由管理员重新生成）。管理令牌可以查看、导出和删除整个集合，不要发给别人。",
            "Copy the tokens below now and keep them safe: they are shown this once, the server keeps only a digest of them and cannot show them again (an admin can only make new ones). The admin token can read, export and delete the whole collection: give it to no one."
        ),
        shown_token("admin-token", t("管理令牌：", "Admin token:"), &admin),
        shown_token("upload-token", t("上传令牌：", "Upload token:"), &upload),
        shown_token(
            "upload-link",
            t(
                "发给各部门的上传链接（含上传令牌）：",
                "The upload link for the departments (it holds the upload token):"
            ),
            &format!("/collections/{id}/upload#token={upload}"),
        ),
        t("打开汇总集合（管理）", "Open the collection (admin)"),
    );
    page(("汇总集合已建立", "Collection created"), &body).into_response()
}

/// The form that asks for a token (filled from the link's `#token=` by the script).
fn token_form(action: &str, title: String, intro: String, label: String, extra: &str) -> String {
    format!(
        "<main class=\"plain\"><h1>{title}</h1><p>{intro}</p>\
         <form method=\"post\" action=\"{action}\" enctype=\"multipart/form-data\" data-token-form>\
         <p><label>{label} <input type=\"password\" name=\"token\" id=\"token\" class=\"token\" autocomplete=\"off\" required></label></p>\
         {extra}</form></main>"
    )
}

fn upload_form(id: i64, token: Option<&str>) -> String {
    let token = match token {
        Some(tok) => token_field(tok),
        None => format!(
            "<p><label>{} <input type=\"password\" name=\"token\" id=\"token\" class=\"token\" autocomplete=\"off\" required></label></p>",
            t("上传令牌：", "Upload token:")
        ),
    };
    format!(
        "<form method=\"post\" action=\"/collections/{id}/upload\" enctype=\"multipart/form-data\" id=\"upload-form\">{token}\
         <p class=\"drop\"><label>{} <input type=\"file\" name=\"file\" id=\"file\" data-send required></label></p>\
         <noscript><button type=\"submit\">上传 Upload</button></noscript></form>",
        t(
            "把年报文件拖到这里，或点击选择：选好即上传并检查。",
            "Drop the report's file here, or click to choose it: it is uploaded and checked at once."
        ),
    )
}

/// `GET /collections/{id}/upload`: a department's upload page.
pub async fn upload_page(Path(id): Path<i64>) -> Response {
    let body = format!(
        "<main class=\"plain\"><h1>{}</h1><p>{}</p>{}</main>",
        t("上传年报", "Upload a report"),
        t(
            "本页用于向汇总集合上传本部门的年度报告。上传后立即显示检查结果。",
            "This page uploads your department's annual report to the collection; its findings show at once."
        ),
        upload_form(id, None),
    );
    page(("上传年报", "Upload a report"), &body).into_response()
}

/// `POST /collections/{id}/upload`: stores and checks the file; shows its findings.
pub async fn upload(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let form = match read_form(req).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let token = match opened(&state, id, &form, Need::Upload).await {
        Ok(t) => t,
        Err(res) => return res,
    };
    let Some((name, bytes)) = form.file else {
        return nothing_to_check();
    };
    let (_, _, _, outcome) = match app::store_report(&state, id, name.clone(), bytes.into()).await {
        Ok(r) => r,
        Err(res) => return res,
    };
    let body = format!(
        "<main class=\"report\"><p class=\"stored\" id=\"stored\">{}</p>{}<h2>{}</h2>{}</main>",
        t("已上传并保存。", "Uploaded and stored."),
        view::report(&outcome.checked, &web::escape(&name)),
        t("再上传一份", "Upload another"),
        upload_form(id, Some(&token)),
    );
    page(("上传结果", "Uploaded"), &body).into_response()
}

/// `GET /collections/{id}`: asks for the admin token (or takes it from the link).
pub async fn overview_page(Path(id): Path<i64>) -> Response {
    let body = token_form(
        &format!("/collections/{id}"),
        t("汇总集合", "Collection"),
        t(
            "请输入建立汇总集合时得到的管理令牌。",
            "Enter the admin token you were given when the collection was created.",
        ),
        t("管理令牌：", "Admin token:"),
        &format!(
            "<p><button type=\"submit\" id=\"open\">{}</button></p>",
            t("打开", "Open")
        ),
    );
    page(("汇总集合", "Collection"), &body).into_response()
}

/// A button that posts the token (and `fields`) to `action`.
fn button(action: &str, token: &str, fields: &str, id: &str, label: String) -> String {
    format!(
        "<form method=\"post\" action=\"{action}\" enctype=\"multipart/form-data\" class=\"inline\">{}{fields}\
         <button type=\"submit\" id=\"{id}\">{label}</button></form>",
        token_field(token)
    )
}

/// `POST /collections/{id}`: the collection's overview.
pub async fn overview(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let form = match read_form(req).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let token = match opened(&state, id, &form, Need::Admin).await {
        Ok(t) => t,
        Err(res) => return res,
    };
    let listed = app::db(&state, move |db| {
        Ok((db.collection_name(id)?, db.reports(id)?))
    })
    .await;
    let (Some((name, year)), reports) = (match listed {
        Ok(l) => l,
        Err(res) => return res,
    }) else {
        return not_found();
    };
    let mut rows = String::new();
    let mut options = format!("<option value=\"\">{}</option>", "—");
    for r in &reports {
        rows.push_str(&format!(
            "<tr data-report=\"{rid}\"><td>{rid}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            web::escape(&r.name),
            web::escape(r.issuer.as_deref().unwrap_or("")),
            r.year.map_or_else(String::new, |y| y.to_string()),
            web::escape(&r.format),
            r.summary.error,
            r.summary.warning,
            r.summary.info,
            button(
                &format!("/collections/{id}/reports/{}", r.id),
                &token,
                "",
                &format!("view-{}", r.id),
                t("查看", "View")
            ),
            rid = r.id,
        ));
        options.push_str(&format!(
            "<option value=\"{}\">{} {}</option>",
            r.id,
            r.id,
            web::escape(r.issuer.as_deref().unwrap_or(&r.name))
        ));
    }
    let downloads = [
        ("table.xlsx", t("统计表（xlsx）", "Statistics (xlsx)")),
        ("table.csv", t("统计表（csv）", "Statistics (csv)")),
        ("findings.csv", t("全部问题（csv）", "All findings (csv)")),
    ]
    .iter()
    .map(|(what, label)| {
        button(
            &format!("/collections/{id}/download/{what}"),
            &token,
            "",
            &format!("download-{}", what.replace('.', "-")),
            label.clone(),
        )
    })
    .collect::<Vec<_>>()
    .join(" ");
    let body = format!(
        "<main class=\"plain wide\" data-collection=\"{id}\"><h1 id=\"title\">{}</h1>\
         <h2>{}</h2><table id=\"reports\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr></thead><tbody>{rows}</tbody></table>\
         <h2>{}</h2><form method=\"post\" action=\"/collections/{id}/aggregate\" enctype=\"multipart/form-data\">{}\
         <p><label>{} <select name=\"against\" id=\"against\">{options}</select></label> <button type=\"submit\" id=\"aggregate\">{}</button></p></form>\
         <h2>{}</h2><p>{downloads}</p>\
         <h2>{}</h2><p>{}</p><p>{} {}</p>\
         <h2>{}</h2><form method=\"post\" action=\"/collections/{id}/delete\" enctype=\"multipart/form-data\">{}\
         <p><label><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required> {}</label> <button type=\"submit\" id=\"delete\">{}</button></p></form></main>",
        t(&format!("{name}（{year} 年度）"), &format!("{name} ({year})")),
        t(&format!("年报（{} 份）", reports.len()), &format!("Reports ({})", reports.len())),
        t("编号", "No."),
        t("文件", "File"),
        t("发布机关", "Issuer"),
        t("年度", "Year"),
        t("格式", "Format"),
        t("错误", "Errors"),
        t("警告", "Warnings"),
        t("提示", "Info"),
        t("汇总比对", "Departments against the compiled report"),
        token_field(&token),
        t("汇总年报：", "Compiled report:"),
        t("比对", "Compare"),
        t("下载", "Downloads"),
        t("令牌", "Tokens"),
        t(
            "重新生成后旧令牌立即失效；新令牌只显示一次。",
            "A new token makes the old one stop working at once; the new one is shown once."
        ),
        button(&format!("/collections/{id}/tokens"), &token, "<input type=\"hidden\" name=\"which\" value=\"upload\">", "rotate-upload", t("重新生成上传令牌", "New upload token")),
        button(&format!("/collections/{id}/tokens"), &token, "<input type=\"hidden\" name=\"which\" value=\"admin\">", "rotate-admin", t("重新生成管理令牌", "New admin token")),
        t("删除", "Delete"),
        token_field(&token),
        t("我确认删除这个汇总集合及其全部年报（不可恢复）", "I confirm: delete this collection and all its reports (this cannot be undone)"),
        t("删除汇总集合", "Delete the collection"),
    );
    page(("汇总集合", "Collection"), &body).into_response()
}

/// `POST /collections/{id}/reports/{rid}`: a stored report as a reader sees it;
/// a Word draft's page has a button for its annotated copy, which is this
/// route with the field `annotated=1` (comments in the language the browser asks for).
pub async fn report_view(
    State(state): State<Arc<AppState>>,
    Path((id, rid)): Path<(i64, i64)>,
    req: Request,
) -> Response {
    let lang = Lang::from_locale(
        req.headers()
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let form = match read_form(req).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let token = match opened(&state, id, &form, Need::Admin).await {
        Ok(t) => t,
        Err(res) => return res,
    };
    let stored = match app::db(&state, move |db| db.report(id, rid)).await {
        Ok(Some(r)) => r,
        Ok(None) => return not_found(),
        Err(res) => return res,
    };
    if form.get("annotated").trim() == "1" {
        let copied = match crate::copies::compare(&state, id, rid).await {
            Ok(found) => found.and_then(|f| f.diagnostic),
            Err(res) => return res,
        };
        return match app::annotated_copy(&state, stored, copied, lang).await {
            Ok(Ok(copy)) => copy.into_response(),
            Ok(Err(why)) => web::message_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                ("没有批注版", "No annotated copy"),
                (&why.zh, &why.en),
            ),
            Err(r) => refused_page(r),
        };
    }
    let mut outcome = match state.checker().check(stored.bytes.into()).await {
        Ok(o) => o,
        Err(r) => return refused_page(r),
    };
    let download = if outcome.checked.docx.is_some() {
        format!(
            "<p id=\"annotated\">{}</p>",
            button(
                &format!("/collections/{id}/reports/{rid}"),
                &token,
                "<input type=\"hidden\" name=\"annotated\" value=\"1\">",
                "download-annotated",
                t(
                    "下载批注版（.docx，每个错误和警告一条批注）",
                    "Download the annotated copy (.docx, a comment per error and warning)"
                ),
            )
        )
    } else {
        String::new()
    };
    // The comparison with the collection's other reports: its finding among the
    // others, and the closest report named above them.
    let found = match crate::copies::compare(&state, id, rid).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let copied = found
        .as_ref()
        .map_or_else(String::new, |f| copies_note(f, id, &form));
    if let Some(d) = found.and_then(|f| f.diagnostic) {
        outcome.checked.diagnostics.push(d);
    }
    let body = format!(
        "<main class=\"report\">{download}{copied}{}</main>",
        view::report(&outcome.checked, &web::escape(&stored.name))
    );
    page(("年报", "Report"), &body).into_response()
}

/// The closest other report of the collection, above a report's findings: its
/// name (a button opening it), the share overall and by section, and the
/// most-copied section; or that comparison is off or found nothing.
fn copies_note(found: &crate::copies::Found, id: i64, form: &Form) -> String {
    let head = t(
        "与集合中其他年报的文字比较",
        "Text compared with the collection's other reports",
    );
    if !found.settings.copy_across {
        return format!(
            "<section class=\"copies\"><h2>{head}</h2><p>{}</p></section>",
            t(
                "此集合已关闭报告间的比较。",
                "Comparison between reports is off for this collection."
            )
        );
    }
    let Some(c) = &found.closest else {
        return format!(
            "<section class=\"copies\"><h2>{head}</h2><p>{}</p></section>",
            t(
                "集合中没有与本报告有相同文字的其他年报。",
                "No other report of the collection shares text with this one."
            )
        );
    };
    let token = web::escape(form.get("token"));
    let open = format!(
        "<form method=\"post\" action=\"/collections/{id}/reports/{rid}\" class=\"inline\"><input type=\"hidden\" name=\"token\" value=\"{token}\"><button type=\"submit\">{name}</button></form>",
        rid = c.id,
        name = web::escape(&c.name),
    );
    let sections: String = c
        .sections
        .iter()
        .map(|s| {
            let heading = s["heading"].as_str().unwrap_or("");
            let name = if heading.is_empty() {
                t("正文开头", "opening text")
            } else {
                web::escape(heading)
            };
            format!(
                "<tr><td>{name}</td><td>{}</td><td>{}%</td></tr>",
                s["own"], s["percent"]
            )
        })
        .collect();
    let most = c.most_copied.as_deref().map_or_else(String::new, |m| {
        format!(
            "<p>{} {}</p>",
            t(
                "重复最多的章节（不少于 100 字的章节中）：",
                "Most-copied section (of those of 100 characters or more):"
            ),
            web::escape(if m.is_empty() { "正文开头" } else { m })
        )
    });
    let warn = if found.diagnostic.is_some() {
        " warning"
    } else {
        ""
    };
    format!(
        "<section class=\"copies{warn}\"><h2>{head}</h2><p>{} {open} {}: {}% ({} / {})</p>{most}<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{sections}</tbody></table></section>",
        t("最相近的年报：", "Closest report:"),
        t("本报告自有文字与之相同", "share of this report's own text"),
        c.percent,
        c.shared,
        c.own,
        t("章节", "Section"),
        t("自有文字", "Own characters"),
        t("相同", "Shared"),
    )
}

/// `POST /collections/{id}/aggregate`: the departments summed against the compiled report.
pub async fn aggregate(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let form = match read_form(req).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    if let Err(res) = opened(&state, id, &form, Need::Admin).await {
        return res;
    }
    let against = form.get("against").trim().parse::<i64>().ok();
    let merged = match app::reports_of(&state, id, move |r| collect::merged(&r, against)).await {
        Ok(Ok(m)) => m,
        Ok(Err((zh, en))) => {
            return web::message_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                ("无法汇总", "Cannot compare"),
                (&zh, &en),
            )
        }
        Err(res) => return res,
    };
    let differs = merged
        .indicators
        .iter()
        .filter(|i| i.comparison == Comparison::Differs)
        .count();
    // Each table by its name in the template, not its id.
    let template = nianbao_model::template::find(&merged.format, merged.variant.as_deref());
    let table_name = |id: &str| {
        template
            .and_then(|t| t.tables.iter().find(|d| d.id == id))
            .map_or_else(|| t(id, id), |d| t(&d.name_zh, &d.name_en))
    };
    let mut rows = String::new();
    for ind in &merged.indicators {
        let (class, word) = match ind.comparison {
            Comparison::Differs => ("mismatch", t("不符", "differs")),
            Comparison::Agrees => ("", t("相符", "agrees")),
            Comparison::NotCompared => ("", t("未比对", "not compared")),
            Comparison::NotInCompiled => ("", t("汇总年报中没有", "not in the compiled report")),
            Comparison::CompiledUnreadable => {
                ("", t("汇总数无法读取", "compiled value unreadable"))
            }
        };
        let parts: Vec<String> = ind
            .contributors
            .iter()
            .map(|c| {
                format!(
                    "<li>{}: {}</li>",
                    web::escape(&c.path),
                    web::escape(&c.value)
                )
            })
            .collect();
        rows.push_str(&format!(
            "<tr class=\"{class}\" data-indicator=\"{}\"><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{word}</td><td><ul class=\"parts\">{}</ul></td></tr>",
            web::escape(&ind.id),
            table_name(&ind.table),
            t(&ind.label.zh, &ind.label.en),
            web::escape(ind.sum.as_deref().unwrap_or("")),
            web::escape(ind.compiled.as_ref().map_or("", |c| c.value.as_str())),
            parts.join(""),
        ));
    }
    let body = format!(
        "<main class=\"plain wide\"><h1>{}</h1><p id=\"differs\">{}</p>\
         <table id=\"aggregate\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{rows}</tbody></table></main>",
        t("汇总比对", "Departments against the compiled report"),
        t(&format!("不符 {differs} 项"), &format!("{differs} differ")),
        t("表", "Table"),
        t("指标", "Indicator"),
        t("各部门之和", "Sum of the departments"),
        t("汇总年报", "Compiled report"),
        t("比对", "Comparison"),
        t("各部门", "Each department"),
    );
    page(("汇总比对", "Comparison"), &body).into_response()
}

/// `POST /collections/{id}/download/{what}`: `table.xlsx`, `table.csv` or `findings.csv`.
pub async fn download(
    State(state): State<Arc<AppState>>,
    Path((id, what)): Path<(i64, String)>,
    req: Request,
) -> Response {
    let form = match read_form(req).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    if let Err(res) = opened(&state, id, &form, Need::Admin).await {
        return res;
    }
    let (bytes, content_type): (Result<Vec<u8>, Response>, &str) = match what.as_str() {
        "table.xlsx" => (
            match app::reports_of(&state, id, |r| collect::table_xlsx(&r)).await {
                Ok(Ok(b)) => Ok(b),
                Ok(Err(_)) => Err(web::message_page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ("导出失败", "The export failed"),
                    ("导出失败。", "The export failed."),
                )),
                Err(res) => Err(res),
            },
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        "table.csv" => (
            app::reports_of(&state, id, |r| collect::table_csv(&r).into_bytes()).await,
            "text/csv; charset=utf-8",
        ),
        "findings.csv" => (
            findings_with_copies(&state, id)
                .await
                .map(|r| collect::findings_csv(&r).into_bytes()),
            "text/csv; charset=utf-8",
        ),
        _ => return not_found(),
    };
    // A CSV file opens in Excel on Chinese Windows as UTF-8 only behind a
    // byte-order mark (as `nianbao table -o FILE.csv` writes it).
    let bytes = bytes.map(|b| {
        if content_type.starts_with("text/csv") {
            [BOM.as_bytes(), &b].concat()
        } else {
            b
        }
    });
    match bytes {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, content_type.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"collection-{id}-{what}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(res) => res,
    }
}

/// The UTF-8 byte-order mark.
const BOM: &str = "\u{feff}";

/// Each stored report's name and findings entry, with its copied text (NB607)
/// against the collection's other reports as they are now: that finding is
/// made when a report is read, never stored, and belongs in the export too.
async fn findings_with_copies(
    state: &Arc<AppState>,
    id: i64,
) -> Result<Vec<(String, serde_json::Value)>, Response> {
    let rows = app::db(state, move |db| db.report_findings(id)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (rid, name, findings) in rows {
        let Ok(mut entry) = serde_json::from_str::<serde_json::Value>(&findings) else {
            continue;
        };
        if let Some(found) = crate::copies::compare(state, id, rid).await? {
            found.add_to(&mut entry, Lang::Zh);
        }
        out.push((name, entry));
    }
    Ok(out)
}

/// `POST /collections/{id}/tokens`: a new admin or upload token, shown once.
pub async fn rotate(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let form = match read_form(req).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let token = match opened(&state, id, &form, Need::Admin).await {
        Ok(t) => t,
        Err(res) => return res,
    };
    let admin = form.get("which") == "admin";
    let new = match app::rotate(&state, id, admin).await {
        Ok(n) => n,
        Err(res) => return res,
    };
    let (shown, admin_token) = if admin {
        (
            shown_token("new-token", t("新的管理令牌：", "New admin token:"), &new),
            new.clone(),
        )
    } else {
        (
            shown_token("new-token", t("新的上传令牌：", "New upload token:"), &new)
                + &shown_token(
                    "upload-link",
                    t("新的上传链接：", "New upload link:"),
                    &format!("/collections/{id}/upload#token={new}"),
                ),
            token,
        )
    };
    let body = format!(
        "<main class=\"plain\"><h1>{}</h1><p class=\"warn\">{}</p>{shown}<p><a id=\"overview\" href=\"/collections/{id}#token={admin_token}\">{}</a></p></main>",
        t("令牌已重新生成", "New token made"),
        t(
            "旧令牌已失效。请立即复制并保存新令牌：它只显示这一次。",
            "The old token no longer works. Copy and keep the new one now: it is shown this once."
        ),
        t("返回汇总集合", "Back to the collection"),
    );
    page(("新令牌", "New token"), &body).into_response()
}

/// `POST /collections/{id}/delete`: deletes the collection and its reports.
pub async fn delete(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let form = match read_form(req).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    if let Err(res) = opened(&state, id, &form, Need::Admin).await {
        return res;
    }
    if form.get("confirm") != "yes" {
        return web::message_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            ("未删除", "Not deleted"),
            ("请勾选确认后再删除。", "Tick the confirmation to delete."),
        );
    }
    match app::db(&state, move |db| db.delete_collection(id)).await {
        Ok(_) => web::message_page(
            StatusCode::OK,
            ("已删除", "Deleted"),
            (
                "汇总集合及其全部年报已删除。",
                "The collection and all its reports are deleted.",
            ),
        ),
        Err(res) => res,
    }
}
