//! `nianbao-server`: checking and collection over HTTP, on the same core as the CLI.
//!
//! ```text
//! nianbao-server --db nianbao.db --listen 127.0.0.1:8080
//! ```
//! Embedded SQLite, nothing else to install. Prints `listening on ADDR` once it serves.

mod app;
mod auth;
mod collect;
mod db;
mod openapi;
mod web;

use std::path::PathBuf;

use clap::Parser;

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
    /// Largest request body in bytes / 请求体上限（字节）
    #[arg(long, default_value_t = 20 * 1024 * 1024)]
    max_body: usize,
    /// Checks running at once (default: the number of CPUs) / 同时运行的检查数
    #[arg(long)]
    check_workers: Option<usize>,
    /// Checks waiting for a worker before 503 / 排队上限
    #[arg(long, default_value_t = 512)]
    check_queue: usize,
    /// Uploads per IP address: burst / 每个 IP 的上传突发数
    #[arg(long, default_value_t = 120)]
    upload_burst: u32,
    /// Run `PRAGMA integrity_check` on the database, print the result and exit / 检查数据库完整性后退出
    #[arg(long)]
    integrity_check: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .json()
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let db = db::Db::open(&args.db)?;
    if args.integrity_check {
        let result = db.integrity_check()?;
        println!("{result}");
        std::process::exit(if result == "ok" { 0 } else { 1 });
    }
    let mut config = app::Config {
        max_body: args.max_body,
        check_queue: args.check_queue,
        upload_burst: args.upload_burst,
        ..app::Config::default()
    };
    if let Some(w) = args.check_workers {
        config.check_workers = w;
    }
    let listener = tokio::net::TcpListener::bind(&args.listen).await?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, db = %args.db.display(), "listening");
    println!("listening on {addr}");
    app::serve(listener, app::router(db, config)).await?;
    Ok(())
}
