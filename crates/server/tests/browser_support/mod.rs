//! Headless Chromium for the browser tests: chromedriver and `nianbao-server` started on
//! 127.0.0.1 (free ports), a fantoccini WebDriver session, every wait bounded, and every
//! process killed on drop.
//!
//! A browser test that cannot run FAILS: a missing or broken Chromium or chromedriver is a
//! panic with a clear message, never a skip. `.ci/run` installs them (Debian's `chromium` and
//! `chromium-driver`); `NIANBAO_CHROMIUM` and `NIANBAO_CHROMEDRIVER` may name other binaries.

use std::io::{BufRead, BufReader, Read};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::TimeoutConfiguration;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

/// The bound on every wait: a process starting, an element appearing, a condition holding.
pub const WAIT: Duration = Duration::from_secs(30);

/// The bound on one whole test.
pub const TEST: Duration = Duration::from_secs(180);

/// The Chromium flags: headless, no sandbox (root in CI), nothing fetched from outside.
const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
];

const INSTALL: &str = "install them with `apt-get install -y chromium chromium-driver` \
                       (.ci/run does when they are missing); the browser tests never skip";

/// Runs a test body within [`TEST`].
pub async fn bounded<F: std::future::Future<Output = ()>>(what: &str, body: F) {
    if tokio::time::timeout(TEST, body).await.is_err() {
        panic!("browser test `{what}` took longer than {TEST:?}");
    }
}

/// The workspace root (the fixtures and `tests/artifacts` live there).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// Finds an executable: the environment variable if set, else the first of `names` on PATH.
fn find_executable(var: &str, names: &[&str]) -> PathBuf {
    if let Some(p) = std::env::var_os(var) {
        let p = PathBuf::from(p);
        assert!(
            p.is_file(),
            "{var}={} is not a file; {INSTALL}",
            p.display()
        );
        return p;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!("none of {names:?} is on PATH ({var} is not set either): {INSTALL}");
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// A child process, killed (with its whole process group when it leads one) on drop.
struct Proc {
    name: &'static str,
    child: Child,
    group: bool,
}

impl Proc {
    /// Panics with `log` when the process has already exited.
    fn assert_running(&mut self, log: &dyn Fn() -> String) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!(
                "{} exited at start ({status}); {INSTALL}\n--- its log ---\n{}",
                self.name,
                log()
            );
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if self.group {
            // chromedriver leads its own process group: Chromium and its helpers are in it too.
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.child.id())])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_log(path: &Path) -> String {
    let mut s = String::new();
    if let Ok(mut f) = std::fs::File::open(path) {
        let _ = f.read_to_string(&mut s);
    }
    let tail: Vec<&str> = s.lines().rev().take(40).collect();
    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
}

/// The server, chromedriver, and a WebDriver session on a fresh Chromium profile.
pub struct Browser {
    client: Option<Client>,
    /// `http://127.0.0.1:PORT` of the server.
    pub base: String,
    // Dropped in this order: the browser, then the server, then the temporary directory.
    _driver: Proc,
    _server: Proc,
    _server_stdout: BufReader<ChildStdout>,
    _dir: tempfile::TempDir,
}

impl Browser {
    /// Starts everything; panics (never skips) when something cannot start.
    pub async fn start() -> Browser {
        let chromium = find_executable(
            "NIANBAO_CHROMIUM",
            &["chromium", "chromium-browser", "google-chrome"],
        );
        let chromedriver = find_executable("NIANBAO_CHROMEDRIVER", &["chromedriver"]);
        let dir = tempfile::tempdir().expect("a temporary directory");

        // The server, on a free port, with its own database.
        let mut server = Command::new(env!("CARGO_BIN_EXE_nianbao-server"))
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--db")
            .arg(dir.path().join("x.db"))
            // A browser session is one address checking as often as a test clicks.
            .args(["--check-burst", "0"])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("nianbao-server starts");
        let stdout = server.stdout.take().expect("stdout is piped");
        let server = Proc {
            name: "nianbao-server",
            child: server,
            group: false,
        };
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = tx.send(line);
            reader
        });
        let line = rx.recv_timeout(WAIT).unwrap_or_else(|_| {
            panic!("nianbao-server printed no `listening on ADDR` within {WAIT:?}")
        });
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| {
                panic!("nianbao-server's first line is not `listening on ADDR`: {line:?}")
            })
            .to_string();
        let server_stdout = reader.join().expect("the stdout reader ends");

        // chromedriver, in its own process group, on a free port of 127.0.0.1.
        let port = free_port();
        let log = dir.path().join("chromedriver.log");
        let mut driver = Proc {
            name: "chromedriver",
            child: {
                use std::os::unix::process::CommandExt;
                Command::new(&chromedriver)
                    .arg(format!("--port={port}"))
                    .arg(format!("--log-path={}", log.display()))
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .process_group(0)
                    .spawn()
                    .unwrap_or_else(|e| {
                        panic!("{} cannot start: {e}; {INSTALL}", chromedriver.display())
                    })
            },
            group: true,
        };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            driver.assert_running(&|| read_log(&log));
            assert!(
                started.elapsed() < WAIT,
                "chromedriver did not listen on 127.0.0.1:{port} within {WAIT:?}\n--- its log ---\n{}",
                read_log(&log)
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        // The session: Chromium headless on a fresh profile.
        let profile = dir.path().join("profile");
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| a.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(caps);
        let webdriver = format!("http://127.0.0.1:{port}");
        let connect = builder.connect(&webdriver);
        let client = match tokio::time::timeout(WAIT, connect).await {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => panic!(
                "chromedriver could not start {} headless: {e}; {INSTALL}\n--- chromedriver's log ---\n{}",
                chromium.display(),
                read_log(&log)
            ),
            Err(_) => panic!(
                "no WebDriver session within {WAIT:?}\n--- chromedriver's log ---\n{}",
                read_log(&log)
            ),
        };
        client
            .update_timeouts(TimeoutConfiguration::new(
                Some(WAIT),
                Some(WAIT),
                Some(Duration::ZERO),
            ))
            .await
            .expect("WebDriver timeouts are set");
        client
            .set_window_size(1280, 1000)
            .await
            .expect("the window is resized");
        Browser {
            client: Some(client),
            base: format!("http://{addr}"),
            _driver: driver,
            _server: server,
            _server_stdout: server_stdout,
            _dir: dir,
        }
    }

    /// The WebDriver session.
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("the session is open")
    }

    /// Opens a page of the server.
    pub async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client()
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// Runs a script (with `arguments`) and returns its value.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client()
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Waits (at most [`WAIT`]) for an element matching `css`.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.client()
            .wait()
            .at_most(WAIT)
            .every(Duration::from_millis(100))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no `{css}` within {WAIT:?}: {e}"))
    }

    /// Waits (at most [`WAIT`]) until `script` returns a truthy value; returns that value.
    pub async fn wait_until(&self, what: &str, script: &str) -> Value {
        let started = Instant::now();
        loop {
            let v = self.js(script, vec![]).await;
            let truthy = match &v {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::String(s) => !s.is_empty(),
                Value::Number(n) => n.as_f64() != Some(0.0),
                _ => true,
            };
            if truthy {
                return v;
            }
            assert!(
                started.elapsed() < WAIT,
                "not within {WAIT:?}: {what} (last value {v})"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The `textContent` of the first element matching `css`.
    pub async fn text_of(&self, css: &str) -> String {
        let v = self
            .js(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
                vec![json!(css)],
            )
            .await;
        match v {
            Value::String(s) => s,
            _ => panic!("no `{css}` on the page"),
        }
    }

    /// The text of the first element matching `css` as the reader sees it
    /// (`innerText`: the other language's words, hidden, are not in it).
    pub async fn visible_text(&self, css: &str) -> String {
        let v = self
            .js(
                "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;",
                vec![json!(css)],
            )
            .await;
        match v {
            Value::String(s) => s,
            _ => panic!("no `{css}` on the page"),
        }
    }

    /// Saves a screenshot as `target/browser-screenshots/{name}.png` (a test
    /// artefact, never committed) and checks that it is a real PNG.
    pub async fn snap(&self, name: &str) -> PathBuf {
        let path = workspace_root()
            .join("target/browser-screenshots")
            .join(format!("{name}.png"));
        self.screenshot(&path).await;
        let png = std::fs::read(&path).expect("the screenshot is readable");
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
            "a real PNG: {}",
            path.display()
        );
        path
    }

    /// Saves a PNG screenshot of the window.
    pub async fn screenshot(&self, path: &Path) {
        let png = self
            .client()
            .screenshot()
            .await
            .expect("a screenshot is taken");
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("the artifacts directory is created");
        }
        std::fs::write(path, png).expect("the screenshot is written");
    }

    /// Ends the session (Chromium quits); the processes are killed on drop in any case.
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = tokio::time::timeout(WAIT, client.close()).await;
        }
    }
}
