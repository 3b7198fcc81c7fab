//! `nianbao-server`: checking and collection over HTTP, on the same core as the CLI.
//!
//! ```text
//! nianbao-server --db nianbao.db --listen 127.0.0.1:8080
//! ```
//! Embedded SQLite, nothing else to install. Prints `listening on ADDR` once it serves.
//! Every limit is a flag; a 0 turns it off.

mod app;
mod auth;
mod checker;
mod collect;
mod config;
mod copies;
mod db;
mod guard;
mod limits;
mod openapi;
mod pages;
mod ruledoc;
mod serve;
mod view;
mod web;

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use config::{seconds, Config, ConnLimits, RateLimit, Seconds};

/// nianbao-server: check 政府信息公开工作年度报告 and collect an office's reports.
#[derive(Debug, Parser)]
#[command(name = "nianbao-server", version, about)]
struct Args {
    /// SQLite database file (created when missing) / 数据库文件
    #[arg(long, default_value = "nianbao.db")]
    db: PathBuf,
    /// Address to listen on (port 0 picks a free port) / 监听地址
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// Largest request body in bytes; a larger announced body is refused before it is read (0: no limit) / 请求体上限（字节）
    #[arg(long, default_value_t = 20 * 1024 * 1024)]
    max_body: usize,
    /// Checks running at once (default: the number of CPUs; at least 1) / 同时运行的检查数
    #[arg(long)]
    check_workers: Option<usize>,
    /// Checks waiting for a worker before 503 (0: no limit) / 排队上限
    #[arg(long, default_value_t = 512)]
    check_queue: usize,
    /// Seconds one check may take (0: no limit) / 单次检查时限（秒）
    #[arg(long, default_value = "30", value_parser = seconds)]
    check_time_limit: Seconds,
    /// Seconds a client has to send a request head once it has begun (0: no limit) / 请求头时限（秒）
    #[arg(long, default_value = "10", value_parser = seconds)]
    header_timeout: Seconds,
    /// Seconds a client has to send a request body (0: no limit) / 请求体时限（秒）
    #[arg(long, default_value = "60", value_parser = seconds)]
    body_timeout: Seconds,
    /// Seconds a connection may stay idle between requests (0: no limit) / 空闲连接时限（秒）
    #[arg(long, default_value = "60", value_parser = seconds)]
    idle_timeout: Seconds,
    /// Connections open at once; more are answered 503 and closed (0: no limit) / 最大连接数
    #[arg(long, default_value_t = 512)]
    max_connections: usize,
    /// Seconds in-flight requests get to finish after SIGTERM (0: wait for them) / 关闭时限（秒）
    #[arg(long, default_value = "30", value_parser = seconds)]
    shutdown_timeout: Seconds,
    /// Uploads per address at once (0: no limit) / 每个地址的上传突发数
    #[arg(long, default_value_t = 120)]
    upload_burst: u32,
    /// Uploads per address per minute, after the burst (0: no limit) / 每个地址每分钟上传数
    #[arg(long, default_value_t = 1200)]
    upload_per_minute: u32,
    /// Checks (`POST /api/v1/check`) per address at once (0: no limit) / 每个地址的检查突发数
    #[arg(long, default_value_t = 120)]
    check_burst: u32,
    /// Checks per address per minute, after the burst (0: no limit) / 每个地址每分钟检查数
    #[arg(long, default_value_t = 1200)]
    check_per_minute: u32,
    /// Collections created per address at once (0: no limit) / 每个地址的汇总集合创建突发数
    #[arg(long, default_value_t = 10)]
    collection_burst: u32,
    /// Collections created per address per minute, after the burst (0: no limit) / 每个地址每分钟创建数
    #[arg(long, default_value_t = 10)]
    collection_per_minute: u32,
    /// Rate-limit by the last address of X-Forwarded-For (only behind a proxy that sets it) / 信任代理的 X-Forwarded-For
    #[arg(long)]
    trust_forwarded_for: bool,
    /// Longest collection or report name, in characters (0: no limit) / 名称最大字符数
    #[arg(long, default_value_t = 255)]
    max_name: usize,
    /// Answer only requests for this host name (repeatable; none: any host) / 允许的 Host
    #[arg(long = "allowed-host")]
    allowed_hosts: Vec<String>,
    /// Largest database, in pages of 4 KiB (0: no limit but the disk's); when full, writes get 507 / 数据库页数上限
    #[arg(long, default_value_t = 0)]
    max_db_pages: u64,
    /// Run `PRAGMA integrity_check` on the database, print the result and exit / 检查数据库完整性后退出
    #[arg(long)]
    integrity_check: bool,
}

impl Args {
    fn config(&self) -> Config {
        let defaults = Config::default();
        Config {
            // 0: no limit.
            max_body: if self.max_body == 0 {
                usize::MAX
            } else {
                self.max_body
            },
            check_workers: self.check_workers.unwrap_or(defaults.check_workers),
            check_queue: self.check_queue,
            check_time_limit: self.check_time_limit.0,
            body_timeout: self.body_timeout.0,
            upload_rate: RateLimit::new(self.upload_burst, self.upload_per_minute),
            check_rate: RateLimit::new(self.check_burst, self.check_per_minute),
            collection_rate: RateLimit::new(self.collection_burst, self.collection_per_minute),
            trust_forwarded_for: self.trust_forwarded_for,
            max_name_chars: self.max_name,
            allowed_hosts: self.allowed_hosts.clone(),
        }
    }

    fn conn_limits(&self) -> ConnLimits {
        ConnLimits {
            header_timeout: self.header_timeout.0,
            idle_timeout: self.idle_timeout.0,
            max_connections: self.max_connections,
            shutdown_timeout: self.shutdown_timeout.0,
        }
    }
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .json()
        .with_writer(std::io::stderr)
        .init();
    // A panic's message may quote a report: only its place is logged.
    nianbao_model::install_panic_hook();
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(run(args));
    // Checks still running after the shutdown deadline are not waited for.
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

async fn run(args: Args) -> anyhow::Result<()> {
    let db = db::Db::open(&args.db, args.max_db_pages)?;
    if args.integrity_check {
        let result = db.integrity_check()?;
        println!("{result}");
        std::process::exit(if result == "ok" { 0 } else { 1 });
    }
    let listener = tokio::net::TcpListener::bind(&args.listen).await?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, db = %args.db.display(), "listening");
    println!("listening on {addr}");
    tracing::info!(api_routes = app::API_ROUTES.len(), "serving");
    serve::serve(
        listener,
        app::router(db, args.config()),
        args.conn_limits(),
        serve::signal(),
    )
    .await?;
    Ok(())
}
