//! Issue 9, items 5 and 6 over real sockets: the examples served on loopback, raw HTTP/1.1 bytes
//! written to the socket (header values no client library would send), exact answers read back.
//!
//! - A header that is present but unreadable is invalid, never absent: BCE `x-bce-date` / `Date`
//!   of `\xff\xfe` or `中` answer `RequestExpired` (they used to skip the date check and
//!   succeed); Tencent `X-TC-Timestamp` / `X-TC-Action` / `X-TC-Version` of `\xff` answer
//!   `InvalidParameter` naming the header (`X-TC-Timestamp` used to answer `MissingParameter`).
//! - The echo filter: a parameter name full of invisible and bidi characters, reflected in the
//!   Tencent example's `UnknownParameter`, reaches the client without any of them.

#![allow(clippy::duplicate_mod)]

mod support;

#[path = "support/hidden_chars.rs"]
mod hidden_chars;

#[path = "../examples/bce_eip.rs"]
#[allow(dead_code)]
mod bce_eip;

#[path = "../examples/tencent_tcr.rs"]
#[allow(dead_code)]
mod tencent_tcr;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use hidden_chars::is_hidden;
use support::Server;

/// One request (`Connection: close`), raw bytes; the answer's status, request id and JSON body.
fn exchange(addr: SocketAddr, head: &[u8], body: &[u8]) -> (u16, String, Value) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut request = head.to_vec();
    request.extend_from_slice(
        format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    request.extend_from_slice(body);
    stream.write_all(&request).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(&bytes)));
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let status = head[9..12].parse().unwrap();
    let id = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            let name = name.to_ascii_lowercase();
            (name == "x-bce-request-id" || name == "x-tc-requestid")
                .then(|| value.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("no request id header in {head}"));
    let json = serde_json::from_slice(&bytes[split + 4..]).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {:?}",
            String::from_utf8_lossy(&bytes[split + 4..])
        )
    });
    (status, id, json)
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn bce_unreadable_dates_are_request_expired_over_a_socket() {
    let server = Server::start(bce_eip::app(bce_eip::Config::default()));
    for name in ["x-bce-date", "Date"] {
        for value in [b"\xff\xfe".as_slice(), "中".as_bytes()] {
            let mut head =
                format!("GET /v1/eip HTTP/1.1\r\nHost: {}\r\n{name}: ", server.addr).into_bytes();
            head.extend_from_slice(value);
            head.extend_from_slice(b"\r\n");
            let (status, id, json) = exchange(server.addr, &head, b"");
            assert_eq!(status, 400, "{name}: {value:?}: {json}");
            assert_eq!(json["code"], "RequestExpired", "{name}: {json}");
            assert_eq!(
                json["message"],
                format!(
                    "Request has expired. Timestamp date is {}.",
                    String::from_utf8_lossy(value)
                ),
                "{name}"
            );
            assert_eq!(json["requestId"], id.as_str());
        }
    }
    // Control: the same request without a date header lists the EIPs.
    let head = format!("GET /v1/eip HTTP/1.1\r\nHost: {}\r\n", server.addr);
    let (status, _, json) = exchange(server.addr, head.as_bytes(), b"");
    assert_eq!(status, 200, "{json}");
    assert!(json["eipList"].is_array(), "{json}");
}

/// A Tencent request to the example, with `replace` (name, raw value) overriding one header.
fn tencent_head(addr: SocketAddr, action: &str, replace: Option<(&str, &[u8])>) -> Vec<u8> {
    let now = unix_now().to_string();
    let headers: [(&str, &[u8]); 6] = [
        ("Content-Type", b"application/json"),
        ("Authorization", b"TC3-HMAC-SHA256 Credential=AKIDtest/2024-01-01/tcr/tc3_request, SignedHeaders=content-type;host, Signature=0"),
        ("X-TC-Action", action.as_bytes()),
        ("X-TC-Version", b"2019-09-24"),
        ("X-TC-Timestamp", now.as_bytes()),
        ("X-TC-Language", b"en-US"),
    ];
    let mut head = format!("POST / HTTP/1.1\r\nHost: {addr}\r\n").into_bytes();
    for (name, value) in headers {
        let value = match replace {
            Some((replaced, raw)) if replaced == name => raw,
            _ => value,
        };
        head.extend_from_slice(name.as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value);
        head.extend_from_slice(b"\r\n");
    }
    head
}

#[test]
fn tencent_unreadable_headers_are_invalid_parameter_over_a_socket() {
    let server = Server::start(tencent_tcr::app(tencent_tcr::Config::default()));
    for name in ["X-TC-Timestamp", "X-TC-Action", "X-TC-Version"] {
        let head = tencent_head(
            server.addr,
            "DescribeNamespacePersonal",
            Some((name, b"\xff")),
        );
        let (status, id, json) = exchange(server.addr, &head, b"{}");
        assert_eq!(status, 200, "{name}: {json}");
        let error = &json["Response"]["Error"];
        assert_eq!(error["Code"], "InvalidParameter", "{name}: {json}");
        let message = error["Message"].as_str().unwrap();
        assert!(message.contains(&format!("`{name}`")), "{name}: {message}");
        assert_eq!(json["Response"]["RequestId"], id.as_str());
    }
    // Control: readable headers reach the action.
    let head = tencent_head(server.addr, "DescribeNamespacePersonal", None);
    let (_, _, json) = exchange(server.addr, &head, b"{}");
    assert!(json["Response"]["Error"].is_null(), "{json}");
}

#[test]
fn reflected_parameter_names_carry_no_hidden_character_over_a_socket() {
    let server = Server::start(tencent_tcr::app(tencent_tcr::Config::default()));
    // The characters the adversarial run found reflected, around visible text.
    let hidden = "\u{061C}\u{2028}\u{2029}\u{E0041}\u{E007F}\u{00AD}\u{180E}\u{3164}\u{FFF9}\u{034F}\u{202E}\u{1b}[31m";
    let key = format!("Evil{hidden}Name");
    let body = serde_json::json!({ "Namespace": "storm", key: 1 }).to_string();
    let head = tencent_head(server.addr, "CreateNamespacePersonal", None);
    let (_, id, json) = exchange(server.addr, &head, body.as_bytes());
    let error = &json["Response"]["Error"];
    assert_eq!(error["Code"], "UnknownParameter", "{json}");
    let message = error["Message"].as_str().unwrap();
    assert!(message.contains("Evil"), "the name is quoted: {message}");
    assert!(
        !message.chars().any(is_hidden),
        "a hidden character reflected: {message:?}"
    );
    assert_eq!(json["Response"]["RequestId"], id.as_str());
}
