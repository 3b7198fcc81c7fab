//! The HTTP layer: routes, limits and handlers. No rule logic here: every check
//! goes through `nianbao_model`, the same core as the CLI.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use nianbao_model::grammar::Message;
use nianbao_model::output::{CheckDocument, ReportEntry, CHECK_SCHEMA};
use nianbao_model::settings::Lang;
use nianbao_model::snapshot::TablesSnapshot;
use nianbao_model::Incomplete;

use crate::auth;
use crate::checker::{Checker, Outcome, Refused};
use crate::collect::{self, Named, Record};
use crate::config::Config;
use crate::copies;
use crate::db::{Db, DbError, DbResult, NewReport, StoredReport};
use crate::guard::{self, BodyDeadline};
use crate::limits::{limited, ClientAddress};
use crate::pages;
use crate::web;

/// Shared state.
pub struct AppState {
    db: Db,
    config: Config,
    checker: Checker,
}

impl AppState {
    /// The settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The worker pool of the checks.
    pub fn checker(&self) -> &Checker {
        &self.checker
    }
}

/// The routes of the JSON API (method, path): the OpenAPI document lists exactly these (tested).
pub const API_ROUTES: &[(&str, &str)] = &[
    ("post", "/api/v1/check"),
    ("get", "/api/v1/rules"),
    ("get", "/api/v1/openapi.json"),
    ("post", "/api/v1/collections"),
    ("post", "/api/v1/collections/{id}/reports"),
    ("get", "/api/v1/collections/{id}/reports"),
    ("get", "/api/v1/collections/{id}/reports/{rid}"),
    ("delete", "/api/v1/collections/{id}/reports/{rid}"),
    ("get", "/api/v1/collections/{id}/aggregate"),
    ("get", "/api/v1/collections/{id}/table.csv"),
    ("get", "/api/v1/collections/{id}/table.xlsx"),
    ("delete", "/api/v1/collections/{id}"),
    ("patch", "/api/v1/collections/{id}"),
    ("post", "/api/v1/collections/{id}/tokens/{which}"),
];

/// Builds the application.
pub fn router(db: Db, config: Config) -> Router {
    let state = Arc::new(AppState {
        checker: Checker::new(
            config.check_workers,
            config.check_queue,
            config.check_time_limit,
        ),
        db,
        config: config.clone(),
    });
    let key = ClientAddress {
        trust_forwarded_for: config.trust_forwarded_for,
    };
    let uploads = limited(
        Router::new().route(
            "/api/v1/collections/{id}/reports",
            post(upload_report).get(list_reports),
        ),
        Router::new().route("/collections/{id}/upload", post(pages::upload)),
        config.upload_rate,
        key,
        (
            "来自此地址的上传过于频繁，请稍后重试",
            "too many uploads from this address; retry shortly",
        ),
    );
    let checks = limited(
        Router::new().route("/api/v1/check", post(check)),
        Router::new().route("/check", post(pages::check)),
        config.check_rate,
        key,
        (
            "来自此地址的检查请求过于频繁，请稍后重试",
            "too many checks from this address; retry shortly",
        ),
    );
    let creation = limited(
        Router::new().route("/api/v1/collections", post(create_collection)),
        Router::new().route("/collections/new", post(pages::create_collection)),
        config.collection_rate,
        key,
        (
            "来自此地址的汇总集合创建过于频繁，请稍后重试",
            "too many collections created from this address; retry shortly",
        ),
    );
    Router::new()
        .route("/", get(web::index))
        .route("/rules", get(web::rules_page))
        .route("/collections", get(pages::collections_page))
        .route(
            "/collections/{id}",
            get(pages::overview_page).post(pages::overview),
        )
        .route(
            "/collections/{id}/upload",
            get(pages::upload_page),
        )
        .route("/collections/{id}/reports/{rid}", post(pages::report_view))
        .route("/collections/{id}/aggregate", post(pages::aggregate))
        .route("/collections/{id}/download/{what}", post(pages::download))
        .route("/collections/{id}/tokens", post(pages::rotate))
        .route("/collections/{id}/delete", post(pages::delete))
        .route(
            "/api/v1/collections/{id}",
            axum::routing::delete(delete_collection).patch(collection_settings),
        )
        .route("/api/v1/collections/{id}/tokens/{which}", post(rotate_token))
        .route("/static/{file}", get(web::asset))
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/v1/rules", get(rules))
        .route("/api/v1/openapi.json", get(openapi))
        .route(
            "/api/v1/collections/{id}/reports/{rid}",
            get(get_report).delete(delete_report),
        )
        .route("/api/v1/collections/{id}/aggregate", get(aggregate))
        .route("/api/v1/collections/{id}/table.csv", get(table_csv))
        .route("/api/v1/collections/{id}/table.xlsx", get(table_xlsx))
        .merge(uploads)
        .merge(checks)
        .merge(creation)
        .layer(DefaultBodyLimit::max(config.max_body))
        .layer(axum::middleware::from_fn(guard::limit_errors_as_json))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::admit,
        ))
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                // Method and path only: report text, queries and tokens are never logged.
                .make_span_with(|req: &Request| tracing::info_span!("request", method = %req.method(), path = %req.uri().path())),
        )
        .layer(axum::middleware::from_fn(guard::log_and_secure))
        .with_state(state)
}

/// An error response: `{"error": {"code", "message": {zh, en}}}`.
pub fn error(status: StatusCode, code: &str, zh: &str, en: &str) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": {"zh": zh, "en": en}}})),
    )
        .into_response()
}

pub fn db_error(e: DbError) -> Response {
    match e {
        DbError::Full => {
            tracing::error!("database full: a write was refused");
            error(
                StatusCode::INSUFFICIENT_STORAGE,
                "storage-full",
                "服务器存储空间已满，本次内容未保存；已保存的年报仍可读取。请联系服务器管理员",
                "the server's storage is full: this was not stored; what is stored can still be read. Tell the server's administrator",
            )
        }
        DbError::Other(e) => {
            tracing::error!(error = %e, "database error");
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "database",
                "数据库错误",
                "database error",
            )
        }
    }
}

pub fn refused(r: Refused) -> Response {
    match r {
        Refused::Busy => {
            let mut res = error(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "检查队列已满，请稍后重试",
                "the check queue is full; retry shortly",
            );
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            res
        }
        Refused::ShuttingDown => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting-down",
            "服务器正在关闭",
            "the server is shutting down",
        ),
    }
}

/// Runs database work off the async runtime (a statement may wait for another server's lock).
pub async fn db<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(&Db) -> DbResult<T> + Send + 'static,
) -> Result<T, Response> {
    let state = state.clone();
    match tokio::task::spawn_blocking(move || work(&state.db)).await {
        Ok(r) => r.map_err(db_error),
        Err(_) => Err(refused(Refused::ShuttingDown)),
    }
}

/// Options of a check request.
#[derive(Deserialize, Default)]
struct CheckQuery {
    lang: Option<String>,
    name: Option<String>,
}

fn lang_of(q: Option<&str>, headers: &HeaderMap) -> Lang {
    match q {
        Some(l) => Lang::from_locale(Some(l)),
        None => Lang::from_locale(
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        ),
    }
}

/// A 422 for a name over `--max-name` characters.
fn name_too_long(state: &AppState, what: (&str, &str), name: &str) -> Option<Response> {
    let max = state.config.max_name_chars;
    if max == 0 || name.chars().count() <= max {
        return None;
    }
    Some(error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "name-too-long",
        &format!("{}过长：最多 {max} 个字符（见 --max-name）", what.0),
        &format!(
            "the {} is too long: at most {max} characters (see --max-name)",
            what.1
        ),
    ))
}

/// The media type of a Word document (`.docx`): a report sent as one is read as
/// a Word draft (by its content, as every upload: the type only lets it in).
pub const DOCX_MEDIA_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A report upload: the raw body, or the first file of a multipart form.
struct Upload {
    name: Option<String>,
    bytes: Bytes,
}

fn bad_multipart(what: (&str, &str)) -> Response {
    error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "bad-multipart",
        what.0,
        what.1,
    )
}

/// Reads an upload within the body deadline (408 after it).
async fn read_upload(req: Request, max_body: usize) -> Result<Upload, Response> {
    let deadline = req
        .extensions()
        .get::<BodyDeadline>()
        .copied()
        .unwrap_or(BodyDeadline(None));
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let accepted = content_type.is_empty()
        || content_type.starts_with("multipart/form-data")
        || content_type.starts_with("text/")
        || content_type.starts_with("application/octet-stream")
        || content_type.starts_with("application/xhtml")
        || content_type.starts_with(DOCX_MEDIA_TYPE);
    if !accepted {
        // Answer at once; what the client still sends is read and discarded.
        guard::linger(req.into_body(), max_body, deadline);
        return Err(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "请以 text/plain、text/markdown、text/html、application/octet-stream、Word 文档（application/vnd.openxmlformats-officedocument.wordprocessingml.document）或 multipart/form-data 提交年报",
            "send the report as text/plain, text/markdown, text/html, application/octet-stream, a Word document (application/vnd.openxmlformats-officedocument.wordprocessingml.document) or multipart/form-data",
        ));
    }
    let read = read_accepted(req, content_type.starts_with("multipart/form-data"));
    match deadline.remaining() {
        None => read.await,
        Some(left) => match tokio::time::timeout(left, read).await {
            Ok(r) => r,
            Err(_) => Err(guard::body_timeout()),
        },
    }
}

async fn read_accepted(req: Request, multipart: bool) -> Result<Upload, Response> {
    if !multipart {
        let bytes = Bytes::from_request(req, &())
            .await
            .map_err(IntoResponse::into_response)?;
        return Ok(Upload { name: None, bytes });
    }
    let unreadable_form = ("无法读取上传的表单", "the multipart form cannot be read");
    let mut form = Multipart::from_request(req, &()).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return StatusCode::PAYLOAD_TOO_LARGE.into_response();
        }
        bad_multipart(unreadable_form)
    })?;
    // The first field of the form is the report.
    // A body over the limit can fail here already, before the first field.
    let field = match form.next_field().await {
        Ok(Some(field)) => field,
        Ok(None) => {
            return Err(error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "missing-file",
                "表单中没有文件",
                "the form has no file",
            ))
        }
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return Err(StatusCode::PAYLOAD_TOO_LARGE.into_response())
        }
        Err(_) => return Err(bad_multipart(unreadable_form)),
    };
    let name = field.file_name().map(str::to_string);
    match field.bytes().await {
        Ok(bytes) => Ok(Upload { name, bytes }),
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Err(StatusCode::PAYLOAD_TOO_LARGE.into_response())
        }
        Err(_) => Err(bad_multipart((
            "无法读取上传的文件",
            "the uploaded file cannot be read",
        ))),
    }
}

fn time_limit_text(limit: Option<Duration>) -> String {
    limit.map_or_else(|| "?".to_string(), |d| format!("{}", d.as_secs_f64()))
}

async fn check(
    State(state): State<Arc<AppState>>,
    Query(q): Query<CheckQuery>,
    headers: HeaderMap,
    req: Request,
) -> Response {
    let upload = match read_upload(req, state.config.max_body).await {
        Ok(u) => u,
        Err(res) => return res,
    };
    let lang = lang_of(q.lang.as_deref(), &headers);
    let name = q
        .name
        .or(upload.name)
        .unwrap_or_else(|| "report".to_string());
    if let Some(res) = name_too_long(&state, ("年报名称", "report name"), &name) {
        return res;
    }
    let outcome = match state.checker.check(upload.bytes).await {
        Ok(o) => o,
        Err(r) => return refused(r),
    };
    match outcome.stopped() {
        Some(Incomplete::TimeLimit) => {
            let secs = time_limit_text(state.checker.time_limit());
            error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "check-time-limit",
                &format!("检查未在时限（{secs} 秒，见 --check-time-limit）内完成"),
                &format!("the check did not finish within its time limit ({secs} s, see --check-time-limit)"),
            )
        }
        Some(Incomplete::InternalError) => internal_error(),
        None => Json(CheckDocument {
            schema: CHECK_SCHEMA,
            reports: vec![ReportEntry::new(name, &outcome.checked, lang)],
        })
        .into_response(),
    }
}

fn internal_error() -> Response {
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal-error",
        "检查时发生内部错误（程序缺陷），已记录出错位置；请向开发者报告",
        "an internal error (a bug) stopped the check; its place was logged: please report it",
    )
}

async fn rules(Query(q): Query<CheckQuery>, headers: HeaderMap) -> Response {
    let lang = lang_of(q.lang.as_deref(), &headers);
    let rules: Vec<_> = nianbao_model::catalog()
        .into_iter()
        .map(|c| {
            json!({
                "code": c.code, "name": c.name, "severity": c.severity,
                "summary": match lang { Lang::Zh => c.summary_zh, Lang::En => c.summary_en },
                "summaries": {"zh": c.summary_zh, "en": c.summary_en},
            })
        })
        .collect();
    Json(json!({"schema": "nianbao.rules/1", "rules": rules})).into_response()
}

async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::openapi::DOCUMENT,
    )
        .into_response()
}

#[derive(Deserialize)]
struct NewCollection {
    name: String,
    year: i64,
    /// Whether its reports are compared with each other (default true).
    copy_across: Option<bool>,
    /// The share, in percent, at which a copy is a warning (default 50).
    copy_threshold: Option<u8>,
}

/// The settings a collection's owner may change.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CollectionSettings {
    copy_across: Option<bool>,
    copy_threshold: Option<u8>,
}

/// A threshold above 100 is refused.
fn bad_threshold(threshold: Option<u8>) -> Option<Response> {
    threshold.filter(|&t| t > 100).map(|_| {
        error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad-request",
            "copy_threshold 应为 0 到 100 之间的百分比",
            "copy_threshold is a percentage from 0 to 100",
        )
    })
}

/// `PATCH /api/v1/collections/{id}`: changes the collection's settings (admin
/// token): `copy_across` (compare its reports with each other) and
/// `copy_threshold`. Answers with the settings now in force.
async fn collection_settings(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<CollectionSettings>,
) -> Response {
    if let Err(res) = authorize(&state, &headers, id, Need::Admin).await {
        return res;
    }
    if let Some(res) = bad_threshold(body.copy_threshold) {
        return res;
    }
    let (across, threshold) = (body.copy_across, body.copy_threshold);
    match db(&state, move |db| {
        db.set_copy_settings(id, across, threshold)?;
        db.copy_settings(id)
    })
    .await
    {
        Ok(Some(s)) => Json(
            json!({"id": id, "copy_across": s.copy_across, "copy_threshold": s.copy_threshold}),
        )
        .into_response(),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            "not-found",
            "没有这个汇总集合",
            "no such collection",
        ),
        Err(res) => res,
    }
}

/// A JSON body whose every failure (bad JSON, a missing field) is a 422 with a clear message.
struct JsonBody<T>(T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let deadline = req
            .extensions()
            .get::<BodyDeadline>()
            .copied()
            .unwrap_or(BodyDeadline(None));
        let read = Json::<T>::from_request(req, state);
        let read = match deadline.remaining() {
            None => read.await,
            Some(left) => match tokio::time::timeout(left, read).await {
                Ok(r) => r,
                Err(_) => return Err(guard::body_timeout()),
            },
        };
        match read {
            Ok(Json(v)) => Ok(JsonBody(v)),
            Err(axum::extract::rejection::JsonRejection::MissingJsonContentType(_)) => Err(error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "请求体应为 application/json",
                "the body must be application/json",
            )),
            // Over --max-body: the 413 that `limit_errors_as_json` explains.
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(StatusCode::PAYLOAD_TOO_LARGE.into_response())
            }
            Err(e) => {
                let detail = e.body_text();
                Err(error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-json",
                    &format!("请求体不是有效的 JSON 或缺少字段：{detail}"),
                    &format!("the body is not valid JSON or lacks a field: {detail}"),
                ))
            }
        }
    }
}

async fn create_collection(
    State(state): State<Arc<AppState>>,
    JsonBody(body): JsonBody<NewCollection>,
) -> Response {
    if let Some(res) = name_too_long(&state, ("汇总集合名称", "collection name"), &body.name)
    {
        return res;
    }
    if let Some(res) = bad_threshold(body.copy_threshold) {
        return res;
    }
    let (id, admin, upload) = match new_collection(&state, body.name.clone(), body.year).await {
        Ok(created) => created,
        Err(res) => return res,
    };
    let (across, threshold) = (body.copy_across, body.copy_threshold);
    let settings = match db(&state, move |db| {
        db.set_copy_settings(id, across, threshold)?;
        db.copy_settings(id)
    })
    .await
    {
        Ok(s) => s,
        Err(res) => return res,
    };
    (
        StatusCode::CREATED,
        Json(json!({
            "id": id, "name": body.name, "year": body.year, "admin_token": admin, "upload_token": upload,
            "copy_across": settings.map(|s| s.copy_across), "copy_threshold": settings.map(|s| s.copy_threshold),
        })),
    )
        .into_response()
}

/// Creates a collection: its id, admin token and upload token (shown once).
pub async fn new_collection(
    state: &Arc<AppState>,
    name: String,
    year: i64,
) -> Result<(i64, String, String), Response> {
    let (admin, upload) = (new_token().await?, new_token().await?);
    let (admin_hash, upload_hash) = (auth::hash(&admin), auth::hash(&upload));
    let id = db(state, move |db| {
        db.create_collection(&name, year, &admin_hash, &upload_hash)
    })
    .await?;
    Ok((id, admin, upload))
}

/// Which token a request must carry.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Admin,
    Upload,
}

/// 401 without a token; 404 when the collection does not exist or the token is not one of its own.
async fn authorize(
    state: &Arc<AppState>,
    headers: &HeaderMap,
    id: i64,
    need: Need,
) -> Result<(), Response> {
    let Some(token) = auth::bearer(headers) else {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "需要令牌：Authorization: Bearer TOKEN",
            "a token is required: Authorization: Bearer TOKEN",
        ));
    };
    if token_opens(state, id, token, need).await? {
        Ok(())
    } else {
        Err(error(
            StatusCode::NOT_FOUND,
            "not-found",
            "没有这个汇总集合",
            "no such collection",
        ))
    }
}

/// Whether `token` opens collection `id` for `need`: false when the collection
/// does not exist or the token is not one of its own (the two are not told apart).
pub async fn token_opens(
    state: &Arc<AppState>,
    id: i64,
    token: &str,
    need: Need,
) -> Result<bool, Response> {
    let Some(row) = db(state, move |db| db.collection(id)).await? else {
        return Ok(false);
    };
    let admin = auth::matches(token, &row.admin_hash);
    let upload = auth::matches(token, &row.upload_hash);
    Ok(match need {
        Need::Admin => admin,
        Need::Upload => admin || upload,
    })
}

async fn upload_report(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    Query(q): Query<CheckQuery>,
    headers: HeaderMap,
    req: Request,
) -> Response {
    // The token first: a refused upload's body is never read into memory.
    if let Err(res) = authorize(&state, &headers, id, Need::Upload).await {
        let deadline = req
            .extensions()
            .get::<BodyDeadline>()
            .copied()
            .unwrap_or(BodyDeadline(None));
        guard::linger(req.into_body(), state.config.max_body, deadline);
        return res;
    }
    let upload = match read_upload(req, state.config.max_body).await {
        Ok(u) => u,
        Err(res) => return res,
    };
    let name = q
        .name
        .or(upload.name.clone())
        .unwrap_or_else(|| "report".to_string());
    if let Some(res) = name_too_long(&state, ("年报名称", "report name"), &name) {
        return res;
    }
    match store_report(&state, id, name, upload.bytes).await {
        Ok((rid, sha, mut entry, _)) => {
            let found = match copies::compare(&state, id, rid).await {
                Ok(f) => f,
                Err(res) => return res,
            };
            if let Some(f) = &found {
                f.add_to_entry(&mut entry, Lang::Zh);
            }
            let copies = found.as_ref().map(copies::Found::json);
            (
                StatusCode::CREATED,
                Json(json!({"id": rid, "sha256": sha, "report": entry, "copies": copies})),
            )
                .into_response()
        }
        Err(res) => res,
    }
}

/// Checks a report and stores it in collection `id` (the token already checked):
/// its id, SHA-256, findings entry and the check itself.
pub async fn store_report(
    state: &Arc<AppState>,
    id: i64,
    name: String,
    bytes: Bytes,
) -> Result<(i64, String, ReportEntry, Outcome), Response> {
    let outcome = state.checker.check(bytes.clone()).await.map_err(refused)?;
    // A check stopped by its time limit or a bug: the report is stored all the
    // same, byte for byte, with the finding that says so.
    if let Some(why) = outcome.stopped() {
        tracing::warn!(collection = id, stopped = ?why, "stored a report whose check did not finish");
    }
    let record = Record::of(&name, &outcome);
    let sha = hex::encode(Sha256::digest(&bytes));
    let columns = (
        record.entry.issuer.clone(),
        record.entry.year.map(i64::from),
        record.entry.format.clone(),
        (
            record.summary.error as i64,
            record.summary.warning as i64,
            record.summary.info as i64,
        ),
        record.findings.clone(),
        record.tables.clone(),
    );
    let stored_sha = sha.clone();
    // The report's text print, for the comparisons with the collection's other reports.
    let (print, sample) = copies::stored_print(&outcome.checked);
    let version = copies::print_version();
    let rid = db(state, move |db| {
        let new = NewReport {
            name: &name,
            bytes: &bytes,
            sha256: &stored_sha,
            check: crate::db::CheckRecord {
                issuer: columns.0.as_deref(),
                year: columns.1,
                format: &columns.2,
                counts: columns.3,
                findings: &columns.4,
                tables: &columns.5,
                version: crate::checker::CHECKER_VERSION,
            },
        };
        db.insert_report(id, &new, (&version, &print, &sample))
    })
    .await?;
    Ok((rid, sha, record.entry, outcome))
}

/// A new random token (its hash is what is stored), or the answer saying there is none.
async fn new_token() -> Result<String, Response> {
    auth::new_token().map_err(|_| {
        error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "no-randomness",
            "无法生成令牌",
            "cannot make tokens",
        )
    })
}

/// `DELETE /api/v1/collections/{id}`: the collection and all its reports (admin token).
async fn delete_collection(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    if let Err(res) = authorize(&state, &headers, id, Need::Admin).await {
        return res;
    }
    match db(&state, move |db| db.delete_collection(id)).await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(res) => res,
    }
}

/// `POST /api/v1/collections/{id}/tokens/{which}`: a new admin or upload token
/// (admin token); the old one stops working at once. Shown once.
async fn rotate_token(
    State(state): State<Arc<AppState>>,
    Path((id, which)): Path<(i64, String)>,
    headers: HeaderMap,
) -> Response {
    let admin = match which.as_str() {
        "admin" => true,
        "upload" => false,
        _ => {
            return error(
                StatusCode::NOT_FOUND,
                "not-found",
                "令牌只有 admin 和 upload 两种",
                "the tokens are `admin` and `upload`",
            )
        }
    };
    if let Err(res) = authorize(&state, &headers, id, Need::Admin).await {
        return res;
    }
    match rotate(&state, id, admin).await {
        Ok(token) => Json(json!({"id": id, "which": which, "token": token})).into_response(),
        Err(res) => res,
    }
}

/// Replaces a collection's admin (`admin` true) or upload token; the new token.
pub async fn rotate(state: &Arc<AppState>, id: i64, admin: bool) -> Result<String, Response> {
    let token = new_token().await?;
    let hash = auth::hash(&token);
    db(state, move |db| db.set_token(id, admin, &hash)).await?;
    Ok(token)
}

/// The outcome of a check that ran again, for stored results of another checker version.
fn recheck(bytes: &[u8], time_limit: Option<Duration>) -> Outcome {
    crate::checker::check_bounded(bytes, time_limit)
}

async fn list_reports(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    if let Err(res) = authorize(&state, &headers, id, Need::Admin).await {
        return res;
    }
    match db(&state, move |db| db.reports(id)).await {
        Ok(rows) => Json(json!({"collection": id, "reports": rows})).into_response(),
        Err(res) => res,
    }
}

#[derive(Deserialize)]
struct RawQuery {
    raw: Option<u8>,
    annotated: Option<u8>,
    lang: Option<String>,
}

/// The stored report: its bytes unchanged (base64 in the JSON, or the raw body
/// with `?raw=1`) and its findings; with `?annotated=1`, a Word draft with its
/// findings as comments (what `nianbao check --annotate` writes).
async fn get_report(
    State(state): State<Arc<AppState>>,
    Path((id, rid)): Path<(i64, i64)>,
    Query(q): Query<RawQuery>,
    headers: HeaderMap,
) -> Response {
    use base64::Engine;
    if let Err(res) = authorize(&state, &headers, id, Need::Admin).await {
        return res;
    }
    let lang = lang_of(q.lang.as_deref(), &headers);
    match db(&state, move |db| db.report(id, rid)).await {
        Ok(Some(r)) if q.annotated == Some(1) => {
            let copied = match copies::compare(&state, id, rid).await {
                Ok(found) => found.and_then(|f| f.diagnostic),
                Err(res) => return res,
            };
            match annotated_copy(&state, r, copied, lang).await {
                Ok(Ok(copy)) => copy.into_response(),
                Ok(Err(why)) => error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "not-docx",
                    &why.zh,
                    &why.en,
                ),
                Err(r) => refused(r),
            }
        }
        Ok(Some(r)) if q.raw == Some(1) => {
            // A Word draft under its own type, so a browser opens it in Word.
            let kind = match nianbao_model::grammar::sniff::binary_kind(&r.bytes) {
                Some(nianbao_model::grammar::sniff::Binary::Docx) => DOCX_MEDIA_TYPE,
                _ => "application/octet-stream",
            };
            ([(header::CONTENT_TYPE, kind)], r.bytes).into_response()
        }
        Ok(Some(r)) => {
            let mut findings: serde_json::Value =
                serde_json::from_str(&r.findings).unwrap_or(serde_json::Value::Null);
            // The comparison with the collection's other reports, as they are now.
            let found = match copies::compare(&state, id, rid).await {
                Ok(f) => f,
                Err(res) => return res,
            };
            if let Some(f) = &found {
                f.add_to(&mut findings, Lang::Zh);
            }
            let encoded = base64::engine::general_purpose::STANDARD.encode(&r.bytes);
            Json(json!({
                "id": rid, "name": r.name, "sha256": r.sha256, "size": r.bytes.len(),
                "bytes_base64": encoded, "findings": findings,
                "copies": found.as_ref().map(copies::Found::json),
            }))
            .into_response()
        }
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            "not-found",
            "没有这份年报",
            "no such report",
        ),
        Err(res) => res,
    }
}

/// A stored Word draft with one comment per warning and error of its check, in
/// `lang`: the comments of `nianbao check --annotate` (both are made by
/// [`nianbao_model::annotate`]). The draft is checked again, on a worker slot,
/// since the stored findings do not keep the map back into the document.
pub struct AnnotatedCopy {
    bytes: Vec<u8>,
    file_name: String,
}

/// The annotated copy of `stored`; `Ok(Err)` with why there is none (it is not
/// a Word document).
/// `copied`: the report's NB607 against the collection's other reports
/// ([`copies::compare`]), made when a report is read: the copy has its comment
/// as the report's page shows the finding.
pub async fn annotated_copy(
    state: &Arc<AppState>,
    stored: StoredReport,
    copied: Option<nianbao_model::grammar::Diagnostic>,
    lang: Lang,
) -> Result<Result<AnnotatedCopy, Message>, Refused> {
    use nianbao_model::grammar::sniff::{binary_kind, Binary};
    // A ZIP that is not sniffed as Word may still be read as one: the check says.
    if !matches!(binary_kind(&stored.bytes), Some(Binary::Docx | Binary::Zip)) {
        return Ok(Err(Message::new(
            format!(
                "{} 不是 Word 文档（.docx），没有批注版；原文件可用 ?raw=1 下载",
                stored.name
            ),
            format!(
                "{} is not a Word document (.docx), so it has no annotated copy; ?raw=1 downloads the file as stored",
                stored.name
            ),
        )));
    }
    state
        .checker
        .run(move |time_limit| {
            let mut outcome = recheck(&stored.bytes, time_limit);
            if let Some(d) = copied {
                outcome.checked.diagnostics.push(d);
                outcome
                    .checked
                    .diagnostics
                    .sort_by_key(|d| (d.span.start, d.code));
            }
            let settings = nianbao_model::settings::Settings {
                lang,
                ..Default::default()
            };
            nianbao_model::annotate::annotate(
                &stored.bytes,
                &outcome.checked,
                &settings,
                &stored.name,
            )
            .map(|done| AnnotatedCopy {
                bytes: done.bytes,
                file_name: annotated_name(&stored.name),
            })
        })
        .await
}

impl IntoResponse for AnnotatedCopy {
    fn into_response(self) -> Response {
        (
            [
                (header::CONTENT_TYPE, DOCX_MEDIA_TYPE.to_string()),
                (header::CONTENT_DISPOSITION, attachment(&self.file_name)),
            ],
            self.bytes,
        )
            .into_response()
    }
}

/// The file name of the annotated copy of the draft named `name`: `x.docx` gives `x-annotated.docx`.
fn annotated_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = match base.len().checked_sub(5) {
        Some(at) if base.is_char_boundary(at) && base[at..].eq_ignore_ascii_case(".docx") => {
            &base[..at]
        }
        _ => base,
    };
    let stem = if stem.trim().is_empty() {
        "report"
    } else {
        stem
    };
    format!("{stem}-annotated.docx")
}

/// A `Content-Disposition: attachment` value for `name`: an ASCII `filename`
/// (other characters as `_`) and the name itself as RFC 5987 `filename*`.
fn attachment(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

async fn delete_report(
    State(state): State<Arc<AppState>>,
    Path((id, rid)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Response {
    if let Err(res) = authorize(&state, &headers, id, Need::Admin).await {
        return res;
    }
    match db(&state, move |db| db.delete_report(id, rid)).await {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) => error(
            StatusCode::NOT_FOUND,
            "not-found",
            "没有这份年报",
            "no such report",
        ),
        Err(res) => res,
    }
}

#[derive(Deserialize)]
struct AggregateQuery {
    against: Option<i64>,
}

/// The collection-wide work of a handler: checks the admin token, reads the
/// stored snapshots of the collection's reports (checking again, on worker
/// slots, those of another checker version) and runs `work` on them on a worker slot.
async fn with_reports<T: Send + 'static>(
    state: &Arc<AppState>,
    headers: &HeaderMap,
    id: i64,
    work: impl FnOnce(Vec<Named>) -> T + Send + 'static,
) -> Result<T, Response> {
    authorize(state, headers, id, Need::Admin).await?;
    reports_of(state, id, work).await
}

/// [`with_reports`] once the token is checked.
pub async fn reports_of<T: Send + 'static>(
    state: &Arc<AppState>,
    id: i64,
    work: impl FnOnce(Vec<Named>) -> T + Send + 'static,
) -> Result<T, Response> {
    let stored = db(state, move |db| db.report_tables(id)).await?;
    let mut reports = Vec::with_capacity(stored.len());
    let mut rechecked = 0usize;
    for row in stored {
        if let Some(snapshot) = collect::current(&row.version, row.tables.as_deref()) {
            reports.push((row.id, row.name, snapshot));
            continue;
        }
        // Stored by another checker version (or before snapshots were kept): check again, once.
        let rid = row.id;
        let Some(bytes) = db(state, move |db| db.report_bytes(id, rid)).await? else {
            continue; // deleted meanwhile
        };
        let name = row.name.clone();
        let (snapshot, record) = state
            .checker
            .run(move |time_limit| {
                let outcome = recheck(&bytes, time_limit);
                let snapshot = TablesSnapshot::of(&outcome.checked);
                (snapshot, Record::of(&name, &outcome))
            })
            .await
            .map_err(refused)?;
        // Store the new results; if that fails (a full disk), the next read checks again.
        let saved = db(state, move |db| db.update_check(id, rid, &record.columns())).await;
        if saved.is_err() {
            tracing::warn!(
                collection = id,
                "could not store a report's new check results"
            );
        }
        rechecked += 1;
        reports.push((row.id, row.name, snapshot));
    }
    if rechecked > 0 {
        tracing::info!(
            collection = id,
            rechecked,
            "checked stored reports again: their results were of another checker version"
        );
    }
    state
        .checker
        .run(move |_| work(reports))
        .await
        .map_err(refused)
}

async fn aggregate(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    Query(q): Query<AggregateQuery>,
    headers: HeaderMap,
) -> Response {
    let against = q.against;
    match with_reports(&state, &headers, id, move |r| {
        collect::aggregate(&r, against)
    })
    .await
    {
        Ok(Ok(value)) => Json(value).into_response(),
        Ok(Err(msg)) => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "aggregate",
            &msg.0,
            &msg.1,
        ),
        Err(res) => res,
    }
}

async fn table_csv(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    match with_reports(&state, &headers, id, |r| collect::table_csv(&r)).await {
        Ok(csv) => ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response(),
        Err(res) => res,
    }
}

async fn table_xlsx(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    match with_reports(&state, &headers, id, |r| collect::table_xlsx(&r)).await {
        Ok(Ok(bytes)) => (
            [(
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )],
            bytes,
        )
            .into_response(),
        Ok(Err(_)) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "export-failed",
            "导出失败",
            "the export failed",
        ),
        Err(res) => res,
    }
}
