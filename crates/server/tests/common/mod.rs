//! Shared helpers of the server's integration tests: the real `nianbao-server`
//! binary, started on `127.0.0.1:0` with its own database in a temporary
//! directory, reached by a real HTTP client over a real socket, and killed when
//! dropped.
#![allow(dead_code)] // every test file uses a part of it

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

/// The server binary under test.
pub const SERVER: &str = env!("CARGO_BIN_EXE_nianbao-server");

/// A file of `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

/// The bytes of a file of `tests/fixtures`.
pub fn fixture_bytes(name: &str) -> Vec<u8> {
    let path = fixture(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A running server. Killed (SIGKILL) when dropped.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its database file.
    pub db: PathBuf,
    /// Where its stderr (the JSON log) goes.
    pub log: PathBuf,
    child: Child,
    // Keeps the temporary directory (database, log) alive as long as the server.
    _dir: Option<tempfile::TempDir>,
}

static STARTED: AtomicUsize = AtomicUsize::new(0);

impl Server {
    /// A server with default flags and a fresh database.
    pub fn start() -> Server {
        Server::start_with(&[])
    }

    /// A server with these extra flags and a fresh database.
    pub fn start_with(args: &[&str]) -> Server {
        let dir = tempfile::tempdir().expect("temporary directory");
        let db = dir.path().join("x.db");
        let mut server = Server::start_on(&db, args, &[]);
        server._dir = Some(dir);
        server
    }

    /// A server on an existing (or new) database file, with extra flags and environment.
    /// Its stderr goes to a new log file next to the database.
    pub fn start_on(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        Server::start_binary(Path::new(SERVER), db, args, env)
    }

    /// [`Server::start_on`] with another build of the server (the release one).
    pub fn start_binary(binary: &Path, db: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        let n = STARTED.fetch_add(1, Ordering::SeqCst);
        let log = db.with_file_name(format!("server-{}-{n}.log", std::process::id()));
        let stderr = File::create(&log).expect("log file");
        let mut cmd = Command::new(binary);
        cmd.arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--db")
            .arg(db)
            .args(args)
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(stderr));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start nianbao-server");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout);
        let mut first = String::new();
        let _ = lines.read_line(&mut first);
        let Some(addr) = first.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "nianbao-server did not print `listening on ADDR` (got {first:?}); its log:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        };
        let addr: SocketAddr = addr.parse().expect("an address after `listening on`");
        assert!(addr.ip().is_loopback(), "tests listen on 127.0.0.1 only");
        // Keep reading stdout so that the server never writes to a closed pipe.
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = lines.read_to_end(&mut sink);
        });
        Server {
            addr,
            db: db.to_path_buf(),
            log,
            child,
            _dir: None,
        }
    }

    /// `http://ADDR` + path.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the server has logged so far (stderr).
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL, as `kill -9`, and reap it.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends SIGTERM.
    pub fn sigterm(&self) {
        self.signal("TERM");
    }

    /// Sends a signal (`TERM`, `KILL`…) with `kill`, without waiting.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.pid().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name} failed");
    }

    /// The exit status, if it has exited.
    pub fn try_exit(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().expect("wait for the server")
    }

    /// Waits for the process to exit (panics after `limit`: a hung shutdown).
    pub fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.try_exit() {
                return status;
            }
            assert!(
                start.elapsed() < limit,
                "the server did not exit within {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Creates a collection.
    pub fn create_collection(&self, client: &Client, name: &str, year: i64) -> Collection {
        let res = client
            .post(self.url("/api/v1/collections"))
            .json(&serde_json::json!({"name": name, "year": year}))
            .send()
            .expect("POST /api/v1/collections");
        assert_eq!(res.status(), 201);
        let body: Value = res.json().expect("JSON");
        Collection {
            id: body["id"].as_i64().expect("id"),
            admin: body["admin_token"]
                .as_str()
                .expect("admin_token")
                .to_string(),
            upload: body["upload_token"]
                .as_str()
                .expect("upload_token")
                .to_string(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A collection and its tokens.
#[derive(Clone, Debug)]
pub struct Collection {
    /// Id.
    pub id: i64,
    /// The admin token.
    pub admin: String,
    /// The upload token.
    pub upload: String,
}

impl Collection {
    /// The API path of `rest` (`/reports`, `/table.csv`…) in this collection.
    pub fn path(&self, rest: &str) -> String {
        format!("/api/v1/collections/{}{rest}", self.id)
    }
}

pub use reqwest::blocking::Client;

/// A blocking HTTP client (no proxy: the server is on 127.0.0.1).
pub fn client() -> Client {
    Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(300))
        .build()
        .expect("HTTP client")
}

/// SHA-256, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// A response read off a raw socket.
#[derive(Debug)]
pub struct RawResponse {
    /// Status code.
    pub status: u16,
    /// Header lines, lowercased names.
    pub headers: Vec<(String, String)>,
    /// The body (the request asked for `Connection: close`, so it runs to EOF;
    /// a chunked body is left as sent).
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Opens a connection and sends a request head announcing `content_length` bytes
/// of body, none of which are sent yet: the caller writes the body as slowly as it likes.
pub fn raw_request_head(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    content_length: usize,
) -> TcpStream {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .expect("timeout");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {content_length}\r\n"
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("send head");
    stream
}

/// Reads a whole response from a connection the server closes after it.
pub fn read_raw_response(stream: &mut TcpStream) -> RawResponse {
    let mut all = Vec::new();
    stream.read_to_end(&mut all).expect("read the response");
    let end = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(&all)));
    let head = String::from_utf8_lossy(&all[..end]).to_string();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    RawResponse {
        status,
        headers,
        body: all[end + 4..].to_vec(),
    }
}

/// Runs `cargo build [--release] -p PACKAGE…` in the workspace (a no-op when up to date).
fn cargo_build(packages: &[&str], release: bool) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(cargo);
    build.current_dir(workspace()).args(["build", "--quiet"]);
    for p in packages {
        build.args(["-p", p]);
    }
    if release {
        build.arg("--release");
    }
    let status = build.status().expect("run cargo build");
    assert!(
        status.success(),
        "cargo build {packages:?} (release: {release}) failed"
    );
}

fn exe(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(path.is_file(), "no binary at {}", path.display());
    path
}

/// True when the tests themselves are a release build.
fn testing_release() -> bool {
    Path::new(SERVER)
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|n| n == "release")
}

/// The `nianbao` CLI binary next to the server binary (same profile), built with
/// `cargo build -p nianbao-cli` first so that it is never stale (a no-op when it
/// is up to date). Cargo does not hold its lock while tests run, so this works
/// from within `cargo test`.
pub fn cli_binary() -> PathBuf {
    static CLI: OnceLock<PathBuf> = OnceLock::new();
    CLI.get_or_init(|| {
        cargo_build(&["nianbao-cli"], testing_release());
        exe(
            Path::new(SERVER).parent().expect("the binary's directory"),
            "nianbao",
        )
    })
    .clone()
}

/// The release builds of the server and the CLI: the test's own when the tests are a
/// release build, else `cargo build --release -p nianbao-server -p nianbao-cli` (a
/// no-op when up to date) in `target/release`, next to `target/debug`.
pub fn release_binaries() -> (PathBuf, PathBuf) {
    if testing_release() {
        return (PathBuf::from(SERVER), cli_binary());
    }
    cargo_build(&["nianbao-server", "nianbao-cli"], true);
    let debug = Path::new(SERVER).parent().expect("the binary's directory");
    let release = debug.with_file_name("release");
    (exe(&release, "nianbao-server"), exe(&release, "nianbao"))
}

/// A response read off a kept-alive connection: the head, then exactly
/// `Content-Length` bytes of body (the connection stays open).
pub fn read_one_response(stream: &mut TcpStream) -> RawResponse {
    let mut all = Vec::new();
    let mut buf = [0u8; 8192];
    let end = loop {
        if let Some(end) = all.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let n = stream.read(&mut buf).expect("read a response head");
        assert!(
            n > 0,
            "the connection closed before a response head: {:?}",
            String::from_utf8_lossy(&all)
        );
        all.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&all[..end]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad response head {head:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = all[end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut buf).expect("read a response body");
        assert!(n > 0, "the connection closed inside a response body");
        body.extend_from_slice(&buf[..n]);
    }
    body.truncate(length);
    RawResponse {
        status,
        headers,
        body,
    }
}

/// Reads until the server closes the connection (true: EOF or reset) or `limit`
/// passes with the connection still open (false). What arrives is discarded.
pub fn closed_by_server(stream: &mut TcpStream, limit: Duration) -> bool {
    stream
        .set_read_timeout(Some(limit))
        .expect("set a read timeout");
    let mut buf = [0u8; 8192];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return false
            }
            Err(_) => return true,
        }
    }
}

/// The server's JSON log lines whose message is `message`.
pub fn log_events(server: &Server, message: &str) -> Vec<Value> {
    server
        .log_text()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["fields"]["message"] == message)
        .collect()
}

/// Waits (bounded by `limit`) until `cond` holds; panics with `what` otherwise.
pub fn wait_until(what: &str, limit: Duration, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < limit, "not within {limit:?}: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}
