//! Property tests of the signature verifiers against an independent signer written here, from
//! the schemes' documentation and the official SDKs' source (not the crate's code): random
//! methods, paths, queries, headers and bodies, signed → accepted; any single-byte change of
//! what the scheme signs → rejected with the mismatch code.
//!
//! "Single-byte change" is a change of the request's meaning: the byte is changed in the
//! decoded path or query (BCE canonicalizes the percent-encoding, so `%2a` and `%2A` are the
//! same byte), and, for TC3 header values, never to the other case of the same letter (the
//! documentation lowercases them).

use std::convert::Infallible;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use hmac::{Hmac, KeyInit, Mac};
use http::{Request, Response};
use http_body_util::Full;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::Config;
use sha2::{Digest, Sha256};
use tower::{service_fn, Layer, ServiceExt};
use tower_cloud_error::bce::{self, Credential, InMemoryCredentials, ManualClock, SignatureError};
use tower_cloud_error::tencent;
use tower_cloud_error::Code;
use tower_cloud_error::{bce::common as bce_codes, tencent::common as tc_codes};

const AK: &str = "AKIDprop";
const SK: &str = "prop-secret-key";
/// 2025-12-01T00:00:00Z.
const NOW: u64 = 1_764_547_200;

fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap();
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// BCE's encoding: all but `A-Za-z0-9.~-_` as uppercase `%XX` (and `/` kept in paths).
fn bce_encode(bytes: &[u8], keep_slash: bool) -> String {
    let mut out = String::new();
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b".~-_".contains(&b) || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The Node SDK's wire form of a query value: lowercase `%xx`, and `- . _ ~` escaped too.
fn node_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        if b.is_ascii_alphanumeric() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02x}"));
        }
    }
    out
}

#[derive(Debug, Clone)]
struct BceCase {
    method: &'static str,
    segments: Vec<Vec<u8>>,
    query: Vec<(Vec<u8>, Vec<u8>)>,
    node_style_query: bool,
    meta: Vec<(String, String)>,
    body: Vec<u8>,
    explicit_list: bool,
}

fn header_value() -> impl Strategy<Value = String> {
    "[ -~]{0,12}"
}

fn bce_case() -> impl Strategy<Value = BceCase> {
    (
        prop::sample::select(vec!["GET", "PUT", "POST", "DELETE", "HEAD"]),
        vec(vec(any::<u8>(), 1..6), 0..4),
        vec(("[a-zA-Z][a-zA-Z0-9]{0,5}", vec(any::<u8>(), 0..6)), 0..4),
        any::<bool>(),
        vec(("x-bce-[a-z]{1,6}", header_value()), 0..3),
        vec(any::<u8>(), 0..32),
        any::<bool>(),
    )
        .prop_map(
            |(method, segments, query, node_style_query, meta, body, explicit_list)| BceCase {
                method,
                segments,
                query: query
                    .into_iter()
                    .map(|(k, v)| (k.into_bytes(), v))
                    .filter(|(k, _)| !k.eq_ignore_ascii_case(b"authorization"))
                    .collect(),
                node_style_query,
                meta,
                body,
                explicit_list,
            },
        )
}

impl BceCase {
    fn path(&self) -> String {
        let mut path = String::from("/v1");
        for segment in &self.segments {
            path.push('/');
            path.push_str(&bce_encode(segment, false));
        }
        path
    }

    fn headers(&self) -> Vec<(String, String)> {
        let mut headers = vec![
            ("host".to_owned(), "127.0.0.1:8080".to_owned()),
            ("content-type".to_owned(), "application/json".to_owned()),
            ("content-length".to_owned(), self.body.len().to_string()),
            ("x-bce-date".to_owned(), "2025-12-01T00:00:00Z".to_owned()),
        ];
        let mut seen = std::collections::HashSet::new();
        for (name, value) in &self.meta {
            if seen.insert(name.clone()) && name != "x-bce-date" {
                headers.push((name.clone(), value.clone()));
            }
        }
        headers
    }

    /// The independent signer: the documented canonical request and key derivation.
    fn authorization(&self) -> String {
        let mut query: Vec<String> = self
            .query
            .iter()
            .map(|(k, v)| format!("{}={}", bce_encode(k, false), bce_encode(v, false)))
            .collect();
        query.sort();
        let signed_list = if self.explicit_list {
            "content-length;host"
        } else {
            ""
        };
        let mut lines: Vec<String> = self
            .headers()
            .iter()
            .filter(|(name, _)| {
                name.starts_with("x-bce-")
                    || if self.explicit_list {
                        ["content-length", "host"].contains(&name.as_str())
                    } else {
                        ["host", "content-md5", "content-length", "content-type"]
                            .contains(&name.as_str())
                    }
            })
            .filter_map(|(name, value)| {
                let value = value.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\x0b');
                (!value.is_empty()).then(|| {
                    format!(
                        "{}:{}",
                        bce_encode(name.as_bytes(), false),
                        bce_encode(value.as_bytes(), false)
                    )
                })
            })
            .collect();
        lines.sort();
        let canonical = format!(
            "{}\n{}\n{}\n{}",
            self.method,
            self.path(),
            query.join("&"),
            lines.join("\n")
        );
        let prefix = format!("bce-auth-v1/{AK}/2025-12-01T00:00:00Z/1800");
        let signing_key = hex(&hmac(SK.as_bytes(), prefix.as_bytes()));
        let signature = hex(&hmac(signing_key.as_bytes(), canonical.as_bytes()));
        format!("{prefix}/{signed_list}/{signature}")
    }

    fn request(&self, authorization: &str) -> Request<Full<Bytes>> {
        let encode = |bytes: &[u8]| {
            if self.node_style_query {
                node_encode(bytes)
            } else {
                bce_encode(bytes, false)
            }
        };
        // Sent in reverse order: the canonical form sorts.
        let query: Vec<String> = self
            .query
            .iter()
            .rev()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        let mut uri = self.path();
        if !query.is_empty() {
            uri = format!("{uri}?{}", query.join("&"));
        }
        let mut builder = Request::builder().method(self.method).uri(uri);
        for (name, value) in self.headers() {
            builder = builder.header(name, value);
        }
        builder
            .header("authorization", authorization)
            .body(Full::new(Bytes::from(self.body.clone())))
            .unwrap()
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

fn clock() -> ManualClock {
    ManualClock::new(UNIX_EPOCH + Duration::from_secs(NOW))
}

fn store() -> InMemoryCredentials {
    InMemoryCredentials::new().with(Credential::new(AK, SK))
}

type Inner = fn(Request<Full<Bytes>>) -> std::future::Ready<Result<Response<()>, Infallible>>;

/// `Ok` if the layer let the request through, else the rejection's code.
fn verdict<L>(layer: L, request: Request<Full<Bytes>>) -> Result<(), Code>
where
    L: Layer<tower::util::ServiceFn<Inner>>,
    L::Service: tower::Service<
        Request<Full<Bytes>>,
        Response = Response<()>,
        Error = SignatureError<Infallible>,
    >,
{
    let inner: Inner = |_| std::future::ready(Ok(Response::new(())));
    match runtime().block_on(layer.layer(service_fn(inner)).oneshot(request)) {
        Ok(_) => Ok(()),
        Err(SignatureError::Rejected(error)) => Err(*error.code().unwrap()),
        Err(SignatureError::Inner(never)) => match never {},
    }
}

/// `bytes` with byte `index % len` replaced by `replacement` (or with `replacement` appended,
/// if that byte already is it or `bytes` is empty).
fn change_byte(bytes: &[u8], index: usize, replacement: u8) -> Vec<u8> {
    let mut changed = bytes.to_vec();
    if changed.is_empty() {
        changed.push(replacement);
        return changed;
    }
    let at = index % changed.len();
    if changed[at] == replacement {
        changed.push(replacement);
    } else {
        changed[at] = replacement;
    }
    changed
}

proptest! {
    #![proptest_config(Config { cases: 256, failure_persistence: None, ..Config::default() })]

    #[test]
    fn bce_signed_requests_verify_and_any_change_is_a_mismatch(
        case in bce_case(),
        what in 0..5usize,
        index in any::<usize>(),
        replacement in any::<u8>(),
        visible in 0x21u8..0x7f,
    ) {
        let layer = || bce::SignatureLayer::new(store()).clock(clock());
        let authorization = case.authorization();
        prop_assert_eq!(verdict(layer(), case.request(&authorization)), Ok(()));

        let mut tampered = case.clone();
        match what {
            0 => tampered.method = if case.method == "PUT" { "POST" } else { "PUT" },
            1 if !case.segments.is_empty() => {
                let i = index % case.segments.len();
                tampered.segments[i] = change_byte(&case.segments[i], index / 7, replacement);
            }
            2 if !case.query.is_empty() => {
                let i = index % case.query.len();
                tampered.query[i].1 = change_byte(&case.query[i].1, index / 7, replacement);
            }
            3 if !case.meta.is_empty() => {
                // A signed x-bce-* header: an inner byte changed to another visible one.
                let i = index % case.meta.len();
                let value = format!("<{}>", case.meta[i].1);
                let changed = change_byte(value.as_bytes(), 1 + index % (value.len() - 1), visible);
                tampered.meta[i].1 = String::from_utf8(changed).unwrap();
                let original = case.meta.iter().find(|(n, _)| *n == case.meta[i].0).map(|(_, v)| v.clone());
                prop_assume!(original.as_deref() != Some(tampered.meta[i].1.as_str()));
                // Recompute the untampered request's signature with the bracketed value.
                let mut bracketed = case.clone();
                bracketed.meta[i].1 = value;
                let authorization = bracketed.authorization();
                prop_assume!(bracketed.headers() != tampered.headers());
                prop_assert_eq!(verdict(layer(), tampered.request(&authorization)), Err(bce_codes::SIGNATURE_DOES_NOT_MATCH));
                return Ok(());
            }
            _ => tampered.body.push(b'x'), // Content-Length is signed.
        }
        prop_assert_eq!(verdict(layer(), tampered.request(&authorization)), Err(bce_codes::SIGNATURE_DOES_NOT_MATCH));
    }
}

#[derive(Debug, Clone)]
struct Tc3Case {
    get: bool,
    query: String,
    body: Vec<u8>,
    extra: Vec<(String, String)>,
    host: String,
}

fn tc3_case() -> impl Strategy<Value = Tc3Case> {
    (
        any::<bool>(),
        "[A-Za-z0-9=&+%._~-]{0,24}",
        vec(any::<u8>(), 0..48),
        vec(("x-tc-[a-z]{1,6}", "[!-~][ -~]{0,10}[!-~]"), 0..3),
        "[a-z0-9.]{1,12}(:[0-9]{1,5})?",
    )
        .prop_map(|(get, query, body, extra, host)| {
            let mut seen = std::collections::HashSet::new();
            Tc3Case {
                get,
                query,
                body: if get { Vec::new() } else { body },
                extra: extra
                    .into_iter()
                    .filter(|(n, _)| {
                        seen.insert(n.clone())
                            && n != "x-tc-timestamp"
                            && n != "x-tc-token"
                            && n != "x-tc-content-sha256"
                    })
                    .collect(),
                host,
            }
        })
}

impl Tc3Case {
    fn content_type(&self) -> &'static str {
        if self.get {
            "application/x-www-form-urlencoded"
        } else {
            "application/json"
        }
    }

    fn signed(&self) -> Vec<(String, String)> {
        let mut signed = vec![
            ("content-type".to_owned(), self.content_type().to_owned()),
            ("host".to_owned(), self.host.clone()),
        ];
        signed.extend(self.extra.iter().cloned());
        signed
    }

    /// The independent signer: the documented TC3 canonical request and key chain.
    fn authorization(&self, service: &str) -> String {
        let signed = self.signed();
        let headers: String = signed
            .iter()
            .map(|(n, v)| format!("{n}:{}\n", v.trim().to_ascii_lowercase()))
            .collect();
        let names: Vec<&str> = signed.iter().map(|(n, _)| n.as_str()).collect();
        let names = names.join(";");
        let canonical = format!(
            "{}\n/\n{}\n{headers}\n{names}\n{}",
            if self.get { "GET" } else { "POST" },
            self.query,
            hex(&Sha256::digest(&self.body))
        );
        let scope = format!("2025-12-01/{service}/tc3_request");
        let to_sign = format!(
            "TC3-HMAC-SHA256\n{NOW}\n{scope}\n{}",
            hex(&Sha256::digest(canonical.as_bytes()))
        );
        let key = hmac(
            &hmac(
                &hmac(format!("TC3{SK}").as_bytes(), b"2025-12-01"),
                service.as_bytes(),
            ),
            b"tc3_request",
        );
        format!(
            "TC3-HMAC-SHA256 Credential={AK}/{scope}, SignedHeaders={names}, Signature={}",
            hex(&hmac(&key, to_sign.as_bytes()))
        )
    }

    fn request(&self, authorization: &str) -> Request<Full<Bytes>> {
        let uri = if self.query.is_empty() {
            "/".to_owned()
        } else {
            format!("/?{}", self.query)
        };
        let mut builder = Request::builder()
            .method(if self.get { "GET" } else { "POST" })
            .uri(uri)
            .header("x-tc-timestamp", NOW.to_string())
            .header("authorization", authorization);
        for (name, value) in self.signed() {
            builder = builder.header(name, value);
        }
        builder
            .body(Full::new(Bytes::from(self.body.clone())))
            .unwrap()
    }
}

proptest! {
    #![proptest_config(Config { cases: 256, failure_persistence: None, ..Config::default() })]

    #[test]
    fn tc3_signed_requests_verify_and_any_change_is_a_mismatch(
        case in tc3_case(),
        service in "[a-z0-9]{1,8}",
        what in 0..5usize,
        index in any::<usize>(),
        replacement in any::<u8>(),
        visible in 0x21u8..0x7f,
    ) {
        let layer = || tencent::SignatureLayer::new(store()).clock(clock());
        let authorization = case.authorization(&service);
        prop_assert_eq!(verdict(layer(), case.request(&authorization)), Ok(()));

        let mut tampered = case.clone();
        match what {
            0 => tampered.get = !case.get,
            1 => {
                const QUERY_BYTES: &[u8] = b"ABCXYZabcxyz0189=&+%._~-";
                let changed = change_byte(case.query.as_bytes(), index, QUERY_BYTES[usize::from(visible) % QUERY_BYTES.len()]);
                tampered.query = String::from_utf8(changed).unwrap();
            }
            2 if !case.get => tampered.body = change_byte(&case.body, index, replacement),
            3 if !case.extra.is_empty() => {
                let i = index % case.extra.len();
                let value = case.extra[i].1.as_bytes();
                let at = index / 7 % value.len();
                prop_assume!(!value[at].eq_ignore_ascii_case(&visible));
                let mut changed = value.to_vec();
                changed[at] = visible;
                tampered.extra[i].1 = String::from_utf8(changed).unwrap();
            }
            _ => {
                let changed = change_byte(case.host.as_bytes(), index, b'q');
                tampered.host = String::from_utf8(changed).unwrap();
            }
        }
        prop_assert_eq!(verdict(layer(), tampered.request(&authorization)), Err(tc_codes::AUTH_FAILURE_SIGNATURE_FAILURE));
    }
}

#[test]
fn the_clock_is_the_layers_not_the_systems() {
    // Guards the properties above: with the system clock the fixed timestamps are expired.
    let case = Tc3Case {
        get: false,
        query: String::new(),
        body: b"{}".to_vec(),
        extra: vec![],
        host: "h".into(),
    };
    let request = case.request(&case.authorization("tcr"));
    assert!(SystemTime::now() > UNIX_EPOCH + Duration::from_secs(NOW + 600));
    assert_eq!(
        verdict(tencent::SignatureLayer::new(store()), request),
        Err(tc_codes::AUTH_FAILURE_SIGNATURE_EXPIRE)
    );
}
