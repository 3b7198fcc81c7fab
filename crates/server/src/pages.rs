//! The forms behind the pages: a check from the check page, and (for an office
//! that works without curl) the collection pages. Each answers with a whole
//! page rendered here; tokens come in a form field, never in a path or a query.
//! A missing collection and a wrong token get the same page
//! ([`web::collection_not_found`]).

use std::sync::Arc;

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::checker::Refused;
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
