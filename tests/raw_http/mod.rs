//! A raw HTTP/1.1 client over a real socket, one answer at a time, and a served axum app: for
//! tests that look at the exact bytes (the `connection` header, pipelined requests).

#![allow(dead_code)] // each test binary uses part of it

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Serves `app` with `axum::serve` on a free loopback port.
pub async fn serve(app: axum::Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// One answer: status, headers (names lowercase) and body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    /// The values of header `name`, joined by `, ` (`None` when absent).
    pub fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }
}

/// A keep-alive connection, read one answer at a time.
pub struct Connection {
    stream: TcpStream,
    buffered: Vec<u8>,
}

const TIMEOUT: Duration = Duration::from_secs(10);

impl Connection {
    pub async fn open(addr: SocketAddr) -> Connection {
        Connection {
            stream: TcpStream::connect(addr).await.unwrap(),
            buffered: Vec::new(),
        }
    }

    /// Writes `bytes`; `false` if the server has closed (reset) the connection.
    pub async fn send(&mut self, bytes: &[u8]) -> bool {
        self.stream.write_all(bytes).await.is_ok() && self.stream.flush().await.is_ok()
    }

    /// Reads more bytes; `false` at the end of the stream (or a reset).
    async fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 16 * 1024];
        match tokio::time::timeout(TIMEOUT, self.stream.read(&mut chunk))
            .await
            .expect("the server answers within 10 s")
        {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.buffered.extend_from_slice(&chunk[..n]);
                true
            }
        }
    }

    /// The next answer (to a request of `method`), or `None` if the server closed the
    /// connection before sending one.
    pub async fn answer(&mut self, method: &str) -> Option<Answer> {
        let head_end = loop {
            if let Some(at) = self.buffered.windows(4).position(|w| w == b"\r\n\r\n") {
                break at;
            }
            if !self.fill().await {
                assert!(
                    self.buffered.is_empty(),
                    "closed in the middle of a head: {:?}",
                    String::from_utf8_lossy(&self.buffered)
                );
                return None;
            }
        };
        let head = String::from_utf8(self.buffered[..head_end].to_vec()).unwrap();
        self.buffered.drain(..head_end + 4);
        let mut lines = head.split("\r\n");
        let status: u16 = lines.next().unwrap()[9..12].parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .map(|line| {
                let (name, value) = line.split_once(':').unwrap();
                (name.to_ascii_lowercase(), value.trim().to_owned())
            })
            .collect();
        let mut answer = Answer {
            status,
            headers,
            body: Vec::new(),
        };
        let no_body = method == "HEAD"
            || (method == "CONNECT" && (200..300).contains(&status))
            || status == 204
            || status == 304
            || status < 200;
        if no_body {
            return Some(answer);
        }
        if answer.header("transfer-encoding").as_deref() == Some("chunked") {
            answer.body = self.dechunk().await;
        } else {
            let length: usize = answer
                .header("content-length")
                .expect("a length or chunks")
                .parse()
                .unwrap();
            while self.buffered.len() < length {
                assert!(self.fill().await, "closed in the middle of a body");
            }
            answer.body = self.buffered.drain(..length).collect();
        }
        Some(answer)
    }

    async fn dechunk(&mut self) -> Vec<u8> {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(at) = self.buffered.windows(2).position(|w| w == b"\r\n") {
                    break at;
                }
                assert!(self.fill().await, "closed in a chunk");
            };
            let size =
                usize::from_str_radix(std::str::from_utf8(&self.buffered[..line_end]).unwrap(), 16)
                    .unwrap();
            self.buffered.drain(..line_end + 2);
            while self.buffered.len() < size + 2 {
                assert!(self.fill().await, "closed in a chunk");
            }
            body.extend(self.buffered.drain(..size));
            self.buffered.drain(..2);
            if size == 0 {
                return body;
            }
        }
    }

    /// Whether the server has closed the connection (end of stream or reset) within 10 s.
    pub async fn is_closed(&mut self) -> bool {
        !self.fill().await
    }
}
