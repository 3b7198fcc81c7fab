//! The HTTP layer: routes, limits and handlers. No rule logic here: every check
//! goes through `nianbao_model`, the same core as the CLI.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use nianbao_model::output::{CheckDocument, ReportEntry, Summary, CHECK_SCHEMA};
use nianbao_model::settings::Lang;

use crate::auth;
use crate::db::{Db, NewReport};
use crate::web;

/// Server settings (flags).
#[derive(Clone, Debug)]
pub struct Config {
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// Checks running at once.
    pub check_workers: usize,
    /// Checks waiting for a worker before 503.
    pub check_queue: usize,
    /// Uploads per IP: burst size.
    pub upload_burst: u32,
    /// Uploads per IP: one more allowed every this many milliseconds.
    pub upload_replenish_ms: u64,
}

impl Default for Config {
    fn default() -> Self {
        let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
        Config {
            max_body: 20 * 1024 * 1024,
            check_workers: cpus,
            check_queue: 512,
            upload_burst: 120,
            upload_replenish_ms: 50,
        }
    }
}

/// Shared state.
pub struct AppState {
    db: Db,
    config: Config,
    workers: Semaphore,
    waiting: AtomicUsize,
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
];

/// Builds the application.
pub fn router(db: Db, config: Config) -> Router {
    let state = Arc::new(AppState {
        workers: Semaphore::new(config.check_workers.max(1)),
        waiting: AtomicUsize::new(0),
        db,
        config: config.clone(),
    });
    let governor = Arc::new(
        tower_governor::governor::GovernorConfigBuilder::default()
            .per_millisecond(config.upload_replenish_ms.max(1))
            .burst_size(config.upload_burst.max(1))
            .finish()
            .expect("burst and period are positive"),
    );
    let uploads = Router::new()
        .route(
            "/api/v1/collections/{id}/reports",
            post(upload_report).get(list_reports),
        )
        .layer(tower_governor::GovernorLayer::new(governor));
    Router::new()
        .route("/", get(web::index))
        .route("/rules", get(web::rules_page))
        .route("/collections/{id}", get(web::collection_page))
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/v1/check", post(check))
        .route("/api/v1/rules", get(rules))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/collections", post(create_collection))
        .route("/api/v1/collections/{id}/reports/{rid}", get(get_report).delete(delete_report))
        .route("/api/v1/collections/{id}/aggregate", get(aggregate))
        .route("/api/v1/collections/{id}/table.csv", get(table_csv))
        .route("/api/v1/collections/{id}/table.xlsx", get(table_xlsx))
        .merge(uploads)
        .layer(DefaultBodyLimit::max(config.max_body))
        .layer(axum::middleware::from_fn(limit_errors_as_json))
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                // Method, path and status only: report text is never logged.
                .make_span_with(|req: &Request| tracing::info_span!("request", method = %req.method(), path = %req.uri().path())),
        )
        .with_state(state)
}

/// An error response: `{"error": {"code", "message": {zh, en}}}`.
fn error(status: StatusCode, code: &str, zh: &str, en: &str) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": {"zh": zh, "en": en}}})),
    )
        .into_response()
}

/// Turns the body limit's bare 413 and the rate limiter's plain 429 into clear, bilingual JSON errors.
async fn limit_errors_as_json(req: Request, next: axum::middleware::Next) -> Response {
    let res = next.run(req).await;
    if res.status() == StatusCode::TOO_MANY_REQUESTS {
        // The rate limiter's answer, in the API's error shape; its Retry-After is kept.
        let retry = res.headers().get(header::RETRY_AFTER).cloned();
        let mut out = error(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-requests",
            "来自此地址的上传过于频繁，请稍后重试",
            "too many uploads from this address; retry shortly",
        );
        if let Some(v) = retry {
            out.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return out;
    }
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body-too-large",
            "请求体超过服务器允许的大小（默认 20 MB，见 --max-body）",
            "the request body is larger than the server allows (20 MB by default, see --max-body)",
        );
    }
    res
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

/// A report upload: the raw body, or the first file of a multipart form.
struct Upload {
    name: Option<String>,
    bytes: Bytes,
}

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if content_type.starts_with("multipart/form-data") {
            let mut form = Multipart::from_request(req, state).await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    return StatusCode::PAYLOAD_TOO_LARGE.into_response();
                }
                error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "bad-multipart",
                    "无法读取上传的表单",
                    "the multipart form cannot be read",
                )
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
                Err(_) => {
                    return Err(error(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "bad-multipart",
                        "无法读取上传的表单",
                        "the multipart form cannot be read",
                    ))
                }
            };
            let name = field.file_name().map(str::to_string);
            return match field.bytes().await {
                Ok(bytes) => Ok(Upload { name, bytes }),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    Err(StatusCode::PAYLOAD_TOO_LARGE.into_response())
                }
                Err(_) => Err(error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "bad-multipart",
                    "无法读取上传的文件",
                    "the uploaded file cannot be read",
                )),
            };
        }
        let accepted = content_type.is_empty()
            || content_type.starts_with("text/")
            || content_type.starts_with("application/octet-stream")
            || content_type.starts_with("application/xhtml");
        if !accepted {
            // Read the body (within --max-body) before answering: closing the connection
            // on a client still sending resets it, and the client never sees the 415.
            let _ = Bytes::from_request(req, state).await;
            return Err(error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "请以 text/plain、text/markdown、text/html、application/octet-stream 或 multipart/form-data 提交年报",
                "send the report as text/plain, text/markdown, text/html, application/octet-stream or multipart/form-data",
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Upload { name: None, bytes })
    }
}

/// Runs a check off the async runtime, within the concurrency cap and the queue bound.
async fn run_check(
    state: &AppState,
    bytes: Bytes,
) -> Result<nianbao_model::CheckedReport, Response> {
    let waiting = state.waiting.fetch_add(1, Ordering::SeqCst);
    if waiting >= state.config.check_queue {
        state.waiting.fetch_sub(1, Ordering::SeqCst);
        let mut res = error(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "检查队列已满，请稍后重试",
            "the check queue is full; retry shortly",
        );
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return Err(res);
    }
    let permit = state.workers.acquire().await;
    state.waiting.fetch_sub(1, Ordering::SeqCst);
    let _permit = permit.map_err(|_| {
        error(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting-down",
            "服务器正在关闭",
            "the server is shutting down",
        )
    })?;
    tokio::task::spawn_blocking(move || nianbao_model::check(&bytes))
        .await
        .map_err(|_| {
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "check-failed",
                "检查时出错",
                "the check failed",
            )
        })
}

async fn check(
    State(state): State<Arc<AppState>>,
    Query(q): Query<CheckQuery>,
    headers: HeaderMap,
    upload: Upload,
) -> Response {
    let lang = lang_of(q.lang.as_deref(), &headers);
    let name = q
        .name
        .or(upload.name)
        .unwrap_or_else(|| "report".to_string());
    match run_check(&state, upload.bytes).await {
        Ok(checked) => {
            let doc = CheckDocument {
                schema: CHECK_SCHEMA,
                reports: vec![ReportEntry::new(name, &checked, lang)],
            };
            Json(doc).into_response()
        }
        Err(res) => res,
    }
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
}

/// A JSON body whose every failure (bad JSON, a missing field) is a 422 with a clear message.
struct JsonBody<T>(T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
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
    let (Ok(admin), Ok(upload)) = (auth::new_token(), auth::new_token()) else {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "no-randomness",
            "无法生成令牌",
            "cannot make tokens",
        );
    };
    match state.db.create_collection(&body.name, body.year, &auth::hash(&admin), &auth::hash(&upload)) {
        Ok(id) => (
            StatusCode::CREATED,
            Json(json!({"id": id, "name": body.name, "year": body.year, "admin_token": admin, "upload_token": upload})),
        )
            .into_response(),
        Err(e) => db_error(e),
    }
}

fn db_error(e: rusqlite::Error) -> Response {
    tracing::error!(error = %e, "database error");
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "database",
        "数据库错误",
        "database error",
    )
}

/// Which token a request must carry.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    Admin,
    Upload,
}

/// 401 without a token; 404 when the collection does not exist or the token is not one of its own.
fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    id: i64,
    need: Need,
) -> Result<(), Box<Response>> {
    let Some(token) = auth::bearer(headers) else {
        return Err(Box::new(error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "需要令牌：Authorization: Bearer TOKEN",
            "a token is required: Authorization: Bearer TOKEN",
        )));
    };
    let not_found = || {
        error(
            StatusCode::NOT_FOUND,
            "not-found",
            "没有这个汇总集合",
            "no such collection",
        )
    };
    let row = match state.db.collection(id) {
        Ok(Some(row)) => row,
        Ok(None) => return Err(Box::new(not_found())),
        Err(e) => return Err(Box::new(db_error(e))),
    };
    let admin = auth::matches(token, &row.admin_hash);
    let upload = auth::matches(token, &row.upload_hash);
    let ok = match need {
        Need::Admin => admin,
        Need::Upload => admin || upload,
    };
    if ok {
        Ok(())
    } else {
        Err(Box::new(not_found()))
    }
}

async fn upload_report(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    Query(q): Query<CheckQuery>,
    headers: HeaderMap,
    upload: Upload,
) -> Response {
    if let Err(res) = authorize(&state, &headers, id, Need::Upload) {
        return *res;
    }
    let name = q
        .name
        .or(upload.name.clone())
        .unwrap_or_else(|| "report".to_string());
    let bytes = upload.bytes.clone();
    let checked = match run_check(&state, upload.bytes).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let entry = ReportEntry::new(name.clone(), &checked, Lang::Zh);
    let findings = serde_json::to_string(&entry).unwrap_or_default();
    let sha = hex::encode(Sha256::digest(&bytes));
    let s = Summary::of(&checked.diagnostics);
    let new = NewReport {
        name: &name,
        bytes: &bytes,
        sha256: &sha,
        issuer: entry.issuer.as_deref(),
        year: entry.year.map(i64::from),
        format: &entry.format,
        counts: (s.error as i64, s.warning as i64, s.info as i64),
        findings: &findings,
        rule_version: env!("CARGO_PKG_VERSION"),
    };
    match state.db.insert_report(id, &new) {
        Ok(rid) => (
            StatusCode::CREATED,
            Json(json!({"id": rid, "sha256": sha, "report": entry})),
        )
            .into_response(),
        Err(e) => db_error(e),
    }
}

async fn list_reports(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    if let Err(res) = authorize(&state, &headers, id, Need::Admin) {
        return *res;
    }
    match state.db.reports(id) {
        Ok(rows) => Json(json!({"collection": id, "reports": rows})).into_response(),
        Err(e) => db_error(e),
    }
}

#[derive(Deserialize)]
struct RawQuery {
    raw: Option<u8>,
}

/// The stored report: its bytes unchanged (base64 in the JSON, or the raw body with `?raw=1`) and its findings.
async fn get_report(
    State(state): State<Arc<AppState>>,
    Path((id, rid)): Path<(i64, i64)>,
    Query(q): Query<RawQuery>,
    headers: HeaderMap,
) -> Response {
    use base64::Engine;
    if let Err(res) = authorize(&state, &headers, id, Need::Admin) {
        return *res;
    }
    match state.db.report(id, rid) {
        Ok(Some(r)) if q.raw == Some(1) => (
            [(header::CONTENT_TYPE, "application/octet-stream")],
            r.bytes,
        )
            .into_response(),
        Ok(Some(r)) => {
            let findings: serde_json::Value =
                serde_json::from_str(&r.findings).unwrap_or(serde_json::Value::Null);
            let encoded = base64::engine::general_purpose::STANDARD.encode(&r.bytes);
            Json(json!({
                "id": rid, "name": r.name, "sha256": r.sha256, "size": r.bytes.len(),
                "bytes_base64": encoded, "findings": findings
            }))
            .into_response()
        }
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            "not-found",
            "没有这份年报",
            "no such report",
        ),
        Err(e) => db_error(e),
    }
}

async fn delete_report(
    State(state): State<Arc<AppState>>,
    Path((id, rid)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Response {
    if let Err(res) = authorize(&state, &headers, id, Need::Admin) {
        return *res;
    }
    match state.db.delete_report(id, rid) {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) => error(
            StatusCode::NOT_FOUND,
            "not-found",
            "没有这份年报",
            "no such report",
        ),
        Err(e) => db_error(e),
    }
}

#[derive(Deserialize)]
struct AggregateQuery {
    against: Option<i64>,
}

/// The collection-wide work of a handler: checks the admin token, loads the
/// collection's reports and runs `work` on them off the async runtime.
async fn with_reports<T: Send + 'static>(
    state: &AppState,
    headers: &HeaderMap,
    id: i64,
    work: impl FnOnce(Vec<(i64, String, Vec<u8>)>) -> T + Send + 'static,
) -> Result<T, Response> {
    authorize(state, headers, id, Need::Admin).map_err(|res| *res)?;
    let reports = state.db.report_bytes(id).map_err(db_error)?;
    tokio::task::spawn_blocking(move || work(reports))
        .await
        .map_err(|_| {
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "collection-failed",
                "处理汇总集合时出错",
                "the work on the collection failed",
            )
        })
}

async fn aggregate(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    Query(q): Query<AggregateQuery>,
    headers: HeaderMap,
) -> Response {
    let against = q.against;
    match with_reports(&state, &headers, id, move |r| {
        crate::collect::aggregate(&r, against)
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
    match with_reports(&state, &headers, id, |r| crate::collect::table_csv(&r)).await {
        Ok(csv) => ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response(),
        Err(res) => res,
    }
}

async fn table_xlsx(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    match with_reports(&state, &headers, id, |r| crate::collect::table_xlsx(&r)).await {
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

/// Serves until SIGTERM or Ctrl-C, then finishes in-flight requests.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    let shutdown = async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(s) => s,
                    Err(_) => {
                        let _ = ctrl_c.await;
                        return;
                    }
                };
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = ctrl_c.await;
        }
        tracing::info!("shutting down: finishing in-flight requests");
    };
    tracing::info!(api_routes = API_ROUTES.len(), "serving");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
