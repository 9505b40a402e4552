//! A panic storm against an example, as deployed: the example's own `main` (its panic hook, its
//! log subscriber, its server) in a child process started with `RUST_BACKTRACE=1`, and keep-alive
//! HTTP/1.1 clients on loopback that make a chosen share of requests panic
//! (`x-demo-fault: panic`, `DEMO_FAULTS=1`).
//!
//! Shared by `tests/panic_storm.rs` (what the log holds per panic) and `benches/panic_storm.rs`
//! (what the panics cost the other requests). The child is the including binary started again
//! with [`CHILD_ENV`] set: it runs the example's `main` unchanged.

#![allow(dead_code)]

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Set (to [`Example::name`]) in the child: the including binary runs that example's `main`.
pub const CHILD_ENV: &str = "PANIC_STORM_EXAMPLE";

/// The example under storm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Example {
    Bce,
    Tencent,
}

impl Example {
    pub const ALL: [Example; 2] = [Example::Bce, Example::Tencent];

    pub fn name(self) -> &'static str {
        match self {
            Example::Bce => "bce_eip",
            Example::Tencent => "tencent_tcr",
        }
    }

    pub fn from_name(name: &str) -> Option<Example> {
        Example::ALL
            .into_iter()
            .find(|example| example.name() == name)
    }

    /// The response header that carries the request id.
    pub fn id_header(self) -> &'static str {
        match self {
            Example::Bce => "x-bce-request-id",
            Example::Tencent => "x-tc-requestid",
        }
    }

    /// One request: a read that succeeds, or the same request made to panic.
    pub fn request(self, panic: bool) -> Vec<u8> {
        let fault = if panic { "x-demo-fault: panic\r\n" } else { "" };
        match self {
            Example::Bce => {
                format!("GET /v1/eip HTTP/1.1\r\nhost: 127.0.0.1\r\n{fault}\r\n").into_bytes()
            }
            Example::Tencent => {
                let body = r#"{"Limit":20,"Offset":0}"#;
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .expect("after 1970")
                    .as_secs();
                format!(
                    "POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n\
                     authorization: TC3-HMAC-SHA256 Credential=storm/2024-01-01/tcr/tc3_request, SignedHeaders=content-type;host, Signature=0\r\n\
                     x-tc-action: DescribeNamespacePersonal\r\nx-tc-version: 2019-09-24\r\n\
                     x-tc-timestamp: {now}\r\nx-tc-language: en-US\r\ncontent-length: {}\r\n{fault}\r\n{body}",
                    body.len()
                )
                .into_bytes()
            }
        }
    }

    /// The error code of an answer, if it is an error envelope.
    pub fn error_code(self, answer: &Answer) -> Option<String> {
        let json: serde_json::Value = serde_json::from_slice(&answer.body).ok()?;
        let code = match self {
            Example::Bce if answer.status >= 400 => &json["code"],
            Example::Bce => return None,
            Example::Tencent => &json["Response"]["Error"]["Code"],
        };
        code.as_str().map(str::to_owned)
    }
}

/// The example running in a child process, its output (the log) in a file; killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    pub log: PathBuf,
}

impl Server {
    /// Starts `example` in the including binary (`exe` with [`CHILD_ENV`]), with
    /// `RUST_BACKTRACE=1`, `DEMO_FAULTS=1`, `PORT=0` and the log at `RUST_LOG=info` in `log`.
    pub fn start(example: Example, log: PathBuf) -> Server {
        let exe = std::env::current_exe().expect("own path");
        let output = File::create(&log).expect("create the server log");
        let mut child = Command::new(exe)
            .env(CHILD_ENV, example.name())
            .env("RUST_BACKTRACE", "1")
            .env("DEMO_FAULTS", "1")
            .env("PORT", "0")
            .env("RUST_LOG", "info")
            .env_remove("DEMO_CREDENTIALS")
            .env_remove("REDIS_URL")
            .stdin(Stdio::null())
            .stdout(output.try_clone().expect("clone the log handle"))
            .stderr(output)
            .spawn()
            .expect("start the example");
        // The example prints its address (`http://127.0.0.1:PORT`) before serving.
        let deadline = Instant::now() + Duration::from_secs(60);
        let addr = loop {
            let text = fs::read_to_string(&log).unwrap_or_default();
            if let Some(addr) = text
                .split("http://")
                .nth(1)
                .and_then(|rest| rest.split(|c: char| c.is_whitespace() || c == '/').next())
                .and_then(|addr| addr.parse::<SocketAddr>().ok())
            {
                break addr;
            }
            if Instant::now() > deadline || matches!(child.try_wait(), Ok(Some(_))) {
                let _ = child.kill();
                panic!("{} did not start:\n{text}", example.name());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Server { child, addr, log }
    }

    /// The bytes the server has logged so far.
    pub fn log_len(&self) -> u64 {
        fs::metadata(&self.log).map_or(0, |meta| meta.len())
    }

    /// Stops the server and returns its whole log.
    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let bytes = fs::read(&self.log).expect("read the server log");
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response, as read from the socket.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// Header names lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header == name)
            .map(|(_, value)| value.as_str())
    }
}

/// One keep-alive HTTP/1.1 connection; answers read by `Content-Length` (every answer of the
/// examples has one).
pub struct Connection {
    reader: BufReader<TcpStream>,
}

impl Connection {
    pub fn open(addr: SocketAddr) -> std::io::Result<Connection> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(20)))?;
        Ok(Connection {
            reader: BufReader::new(stream),
        })
    }

    pub fn exchange(&mut self, request: &[u8]) -> Result<Answer, String> {
        self.reader
            .get_mut()
            .write_all(request)
            .map_err(|e| format!("write: {e}"))?;
        let mut line = String::new();
        self.read_line(&mut line)?;
        let status = line
            .strip_prefix("HTTP/1.1 ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| format!("bad status line {line:?}"))?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header
                .split_once(':')
                .ok_or_else(|| format!("bad header {header:?}"))?;
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
        let length: usize = headers
            .iter()
            .find(|(name, _)| name == "content-length")
            .and_then(|(_, value)| value.parse().ok())
            .ok_or("no content-length")?;
        let mut body = vec![0; length];
        self.reader
            .read_exact(&mut body)
            .map_err(|e| format!("body: {e}"))?;
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    fn read_line(&mut self, line: &mut String) -> Result<(), String> {
        match self.reader.read_line(line) {
            Ok(0) => Err("connection closed".into()),
            Ok(_) => Ok(()),
            Err(e) => Err(format!("read: {e}")),
        }
    }
}

/// A log file under the target directory, for `name`.
pub fn log_path(target_tmp: &Path, name: &str) -> PathBuf {
    fs::create_dir_all(target_tmp).expect("create the log directory");
    target_tmp.join(format!("panic-storm-{name}-{}.log", std::process::id()))
}
