//! For every input, every response of the real layer conforms: arbitrary inner outcomes (errors
//! of any code and message, error chains, panics anywhere, successes, deferred errors, envelopes
//! the service built itself, bare 4xx/5xx responses) through `CloudErrorLayer::bce()` and `CloudErrorLayer::tencent()`,
//! for arbitrary requests (`GET`, `HEAD`, `POST`, any `X-TC-Language`, client request ids with
//! `trust_incoming_request_id` on and off), all pass the conformance checker.
//!
//! Its own test binary: it installs a panic hook that keeps quiet about the panics the tests
//! provoke (and only those: a failing test still prints its message).
//!
//! Failing cases are not persisted to a file (`failure_persistence: None`): the deterministic
//! regressions live in `tests/conformance.rs`.

use std::cell::Cell;
use std::convert::Infallible;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Once;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};
use serde_json::Value;
use tower::{Layer, Service, ServiceExt};
use tower_cloud_error::bce::Bce;
use tower_cloud_error::conformance::{BceConformance, Checker, TencentConformance, Violation};
use tower_cloud_error::request_id::{is_valid_request_id, RequestId};
use tower_cloud_error::tencent::Tencent;
use tower_cloud_error::{bce, tencent};
use tower_cloud_error::{
    BoxError, CloudError, CloudErrorLayer, Code, Condition, Dialect, IntoCloudError, Language,
    Style,
};

/// In every panic payload and error source: it must never reach a response.
const SECRET: &str = "s3cr3t-9f2c";

/// Codes declared by the "service" under test, passed to the checker with `with_codes`.
const OWN_CODES: &[Code] = &[
    bce::code(
        "Keypair.KeypairNotExist",
        404,
        "Keypair {} does not exist in {}.",
    ),
    bce::code(
        "InternalError.Storage",
        503,
        "The storage backend is unavailable.",
    ),
    tencent::code(
        "InvalidParameterValue.Custom",
        "参数 {} 的值 {} 无效。",
        "The value {} of {} is invalid.",
    ),
    tencent::code(
        "InternalError.Custom",
        "自定义内部错误。",
        "A custom internal error.",
    ),
];

/// 256 cases per property (`PROPTEST_CASES` overrides), no failure files.
fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Quiet panics, a runtime.

thread_local! {
    /// Set while the layer runs: panics then are the ones the tests provoke.
    static PROVOKED: Cell<bool> = const { Cell::new(false) };
}

fn quiet_provoked_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !PROVOKED.with(Cell::get) {
                default(info);
            }
        }));
    });
}

/// Marks the current thread as provoking panics until dropped.
struct Provoking;

impl Provoking {
    fn start() -> Provoking {
        PROVOKED.with(|flag| flag.set(true));
        Provoking
    }
}

impl Drop for Provoking {
    fn drop(&mut self) {
        PROVOKED.with(|flag| flag.set(false));
    }
}

fn runtime() -> tokio::runtime::Runtime {
    quiet_provoked_panics();
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// What the inner service does.

/// A `CloudError` to build.
#[derive(Debug, Clone)]
struct ErrorSpec {
    /// `None`: `CloudError::internal()`.
    code: Option<Code>,
    message: MessageSpec,
    source: Option<String>,
}

#[derive(Debug, Clone)]
enum MessageSpec {
    Default,
    Custom(String),
    Localized(String, String),
    Args(Vec<String>),
}

impl ErrorSpec {
    fn build(&self) -> CloudError {
        let error = match self.code {
            Some(code) => CloudError::new(code),
            None => CloudError::internal(),
        };
        let error = match &self.message {
            MessageSpec::Default => error,
            MessageSpec::Custom(message) => error.with_message(message.clone()),
            MessageSpec::Localized(zh, en) => error.with_messages(zh.clone(), en.clone()),
            MessageSpec::Args(args) => error.with_args(args.clone()),
        };
        match &self.source {
            Some(source) => error.with_source(format!("{SECRET} {source}")),
            None => error,
        }
    }

    /// The code the layer of `dialect` must render: the code if it is of that dialect, else
    /// `InternalError`.
    fn rendered_code(&self, dialect: Dialect) -> &'static str {
        match self.code {
            Some(code) if code.dialect() == dialect => code.name(),
            _ => "InternalError",
        }
    }
}

/// A panic payload of each kind the layer may meet.
#[derive(Debug, Clone)]
enum Payload {
    Str(String),
    String(String),
    Number(u64),
    Opaque(Vec<u8>),
}

#[derive(Debug)]
#[allow(dead_code)] // Only ever a panic payload.
struct OpaquePayload(Vec<u8>);

impl Payload {
    fn raise(self) -> ! {
        match self {
            Payload::Str(text) => {
                let text: &'static str = Box::leak(format!("{SECRET} {text}").into_boxed_str());
                std::panic::panic_any(text)
            }
            Payload::String(text) => std::panic::panic_any(format!("{SECRET} {text}")),
            Payload::Number(n) => std::panic::panic_any(n),
            Payload::Opaque(bytes) => std::panic::panic_any(OpaquePayload(bytes)),
        }
    }
}

/// A layer of context around an error, as `anyhow`-style chains have.
#[derive(Debug)]
struct Wrapped {
    text: String,
    source: BoxError,
}

impl fmt::Display for Wrapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl StdError for Wrapped {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// A chain of `depth` wrappers around a `CloudError` (or around an opaque error).
fn chain(depth: usize, inner: Option<&ErrorSpec>) -> BoxError {
    let mut error: BoxError = match inner {
        Some(spec) => Box::new(spec.build()),
        None => Box::new(std::io::Error::other(format!("{SECRET} connection reset"))),
    };
    for level in 0..depth {
        error = Box::new(Wrapped {
            text: format!("{SECRET} context {level}"),
            source: error,
        });
    }
    error
}

/// A response the inner service answers with (`Ok`).
#[derive(Debug, Clone)]
enum Reply {
    /// Status below 400, headers, a body the convention allows for that status.
    Success {
        status: u16,
        headers: Vec<(HeaderName, HeaderValue)>,
        body: SuccessBody,
    },
    /// A handler's `CloudError::into_response()`, rendered by the layer.
    Deferred(ErrorSpec),
    /// An envelope the service built itself, correctly: the request's id in the body and the
    /// style's header, for Tencent the request's language, no body for `HEAD`.
    OwnEnvelope { code: Code },
    /// A 4xx or 5xx that is no envelope: what the layer must rewrite.
    Bare {
        status: u16,
        headers: Vec<(HeaderName, HeaderValue)>,
        body: String,
        content_length: bool,
        /// Stamps the request's id in the style's header, as a service that sets it on every
        /// response does.
        echo_id: bool,
    },
}

#[derive(Debug, Clone)]
enum SuccessBody {
    Empty,
    /// BCE: any JSON object. Tencent: `{"Response":{...fields...,"RequestId":<id>}}`.
    Json(Vec<(String, String)>),
    /// Tencent only: server-sent events.
    Events(String),
    /// 3xx only: any text.
    Text(String),
}

impl Reply {
    /// The response, built with the id the layer put in the request extensions.
    fn build(
        &self,
        dialect: Dialect,
        language: Language,
        request: &Request<()>,
    ) -> Response<Full<Bytes>> {
        let id = request
            .extensions()
            .get::<RequestId>()
            .expect("the layer puts the id in the extensions")
            .header_value()
            .to_str()
            .unwrap()
            .to_owned();
        match self {
            Reply::Success {
                status,
                headers,
                body,
            } => {
                let mut response = Response::new(Full::new(success_bytes(dialect, body, &id)));
                *response.status_mut() = StatusCode::from_u16(*status).unwrap();
                for (name, value) in headers {
                    response.headers_mut().append(name.clone(), value.clone());
                }
                if let SuccessBody::Events(_) = body {
                    response.headers_mut().insert(
                        "content-type",
                        HeaderValue::from_static("text/event-stream"),
                    );
                }
                response
            }
            Reply::Deferred(spec) => spec.build().into_response(),
            Reply::OwnEnvelope { code } => {
                let (status, content_type, body) = match dialect {
                    bce::DIALECT => (
                        code.status(),
                        "application/json; charset=utf-8",
                        serde_json::json!({"requestId": id, "code": code.name(), "message": code.message()}),
                    ),
                    _ => {
                        let message = match language {
                            Language::EnUs => code.message(),
                            _ => code.message_zh(),
                        };
                        (
                            StatusCode::OK,
                            "application/json",
                            serde_json::json!({"Response": {"Error": {"Code": code.name(), "Message": message}, "RequestId": id}}),
                        )
                    }
                };
                // A correct service answers HEAD without a body.
                let body = if request.method() == Method::HEAD {
                    Bytes::new()
                } else {
                    Bytes::from(body.to_string())
                };
                let mut response = Response::new(Full::new(body));
                *response.status_mut() = status;
                response
                    .headers_mut()
                    .insert("content-type", HeaderValue::from_static(content_type));
                let id_header = match dialect {
                    bce::DIALECT => "x-bce-request-id",
                    _ => "x-tc-requestid",
                };
                response
                    .headers_mut()
                    .insert(id_header, HeaderValue::from_str(&id).unwrap());
                response
            }
            Reply::Bare {
                status,
                headers,
                body,
                content_length,
                echo_id,
            } => {
                let mut response = Response::new(Full::new(Bytes::from(body.clone())));
                *response.status_mut() = StatusCode::from_u16(*status).unwrap();
                for (name, value) in headers {
                    response.headers_mut().append(name.clone(), value.clone());
                }
                if *content_length {
                    response
                        .headers_mut()
                        .insert("content-length", HeaderValue::from(body.len()));
                }
                if *echo_id {
                    let id_header = match dialect {
                        bce::DIALECT => "x-bce-request-id",
                        _ => "x-tc-requestid",
                    };
                    response
                        .headers_mut()
                        .insert(id_header, HeaderValue::from_str(&id).unwrap());
                }
                response
            }
        }
    }
}

fn success_bytes(dialect: Dialect, body: &SuccessBody, id: &str) -> Bytes {
    match body {
        SuccessBody::Empty => Bytes::new(),
        SuccessBody::Json(fields) => {
            let mut object: serde_json::Map<String, Value> = fields
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            if dialect == tencent::DIALECT {
                object.insert("RequestId".into(), Value::String(id.to_owned()));
                object = serde_json::Map::from_iter([("Response".into(), Value::Object(object))]);
            }
            Bytes::from(Value::Object(object).to_string())
        }
        SuccessBody::Events(text) => Bytes::from(format!("data: {text}\n\n")),
        SuccessBody::Text(text) => Bytes::from(text.clone()),
    }
}

/// Where the inner service fails.
#[derive(Debug, Clone, Copy)]
enum ErrAt {
    PollReady,
    Future,
}

/// Where the inner service panics.
#[derive(Debug, Clone, Copy)]
enum PanicAt {
    PollReady,
    Call,
    Future,
}

/// What the inner service does for its one request.
enum Script<E> {
    FailReady(E),
    PanicReady(Payload),
    PanicCall(Payload),
    Fail(E),
    PanicFuture(Payload),
    Reply(Reply),
}

/// An inner service that follows its script for one request.
struct Scripted<E> {
    dialect: Dialect,
    /// The language of the service's own Tencent messages.
    language: Language,
    script: Option<Script<E>>,
}

impl<E: Unpin> Service<Request<()>> for Scripted<E> {
    type Response = Response<Full<Bytes>>;
    type Error = E;
    type Future = Acting<E>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), E>> {
        match self.script.take() {
            Some(Script::FailReady(error)) => Poll::Ready(Err(error)),
            Some(Script::PanicReady(payload)) => payload.raise(),
            other => {
                self.script = other;
                Poll::Ready(Ok(()))
            }
        }
    }

    fn call(&mut self, request: Request<()>) -> Acting<E> {
        match self.script.take().expect("one request per script") {
            Script::PanicCall(payload) => payload.raise(),
            Script::Fail(error) => Acting(Some(Step::Fail(error))),
            Script::PanicFuture(payload) => Acting(Some(Step::Panic(payload))),
            Script::Reply(reply) => Acting(Some(Step::Respond(reply.build(
                self.dialect,
                self.language,
                &request,
            )))),
            Script::FailReady(_) | Script::PanicReady(_) => {
                unreachable!("the layer answers a poll_ready failure itself")
            }
        }
    }
}

enum Step<E> {
    Fail(E),
    Panic(Payload),
    Respond(Response<Full<Bytes>>),
}

/// The inner response future: fails, panics or answers when first polled.
struct Acting<E>(Option<Step<E>>);

impl<E: Unpin> Future for Acting<E> {
    type Output = Result<Response<Full<Bytes>>, E>;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut().0.take().expect("polled after completion") {
            Step::Fail(error) => Poll::Ready(Err(error)),
            Step::Panic(payload) => payload.raise(),
            Step::Respond(response) => Poll::Ready(Ok(response)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The request side, the layer, and what every response must satisfy.

#[derive(Debug, Clone)]
struct Setup {
    dialect: Dialect,
    method: Method,
    trust: bool,
    /// Values of the style's request-id header sent by the client.
    client_ids: Vec<HeaderValue>,
    /// An `X-TC-Language` header (sent to both styles).
    language: Option<HeaderValue>,
    /// The Tencent style's default language.
    default_language: Language,
}

impl Setup {
    fn id_header(&self) -> &'static str {
        match self.dialect {
            bce::DIALECT => "x-bce-request-id",
            _ => "x-tc-requestid",
        }
    }

    fn request(&self) -> Request<()> {
        let mut request = Request::builder()
            .method(self.method.clone())
            .uri("/v1/eip")
            .body(())
            .unwrap();
        for id in &self.client_ids {
            request.headers_mut().append(self.id_header(), id.clone());
        }
        if let Some(language) = &self.language {
            request
                .headers_mut()
                .insert("x-tc-language", language.clone());
        }
        request
    }

    /// The language Tencent messages must be in.
    fn language(&self) -> Language {
        self.language
            .as_ref()
            .and_then(Language::from_header)
            .unwrap_or(self.default_language)
    }

    /// The client's id, if the layer must reuse it.
    fn trusted_id(&self) -> Option<&str> {
        match &self.client_ids[..] {
            [id] if self.trust && is_valid_request_id(id.as_bytes()) => id.to_str().ok(),
            _ => None,
        }
    }

    fn checker(&self) -> Checker {
        // Each style's checker also knows the other style's catalogs, to catch a code that
        // crossed over.
        let checker = if self.dialect == bce::DIALECT {
            Checker::new(BceConformance).with_foreign_convention(&TencentConformance)
        } else {
            Checker::new(TencentConformance).with_foreign_convention(&BceConformance)
        };
        let mut checker = checker.with_codes(OWN_CODES).require_known_codes(true);
        if self.dialect == tencent::DIALECT {
            checker = checker.expect_language(self.language());
        }
        if let Some(id) = self.trusted_id() {
            checker = checker.expect_request_id(id);
        }
        checker
    }

    /// Sends the request through the layer to a service following `script`; returns the
    /// response with its body collected.
    fn run<E>(&self, runtime: &tokio::runtime::Runtime, script: Script<E>) -> Response<Bytes>
    where
        E: IntoCloudError + Unpin,
    {
        let inner = Scripted {
            dialect: self.dialect,
            language: self.language(),
            script: Some(script),
        };
        match self.dialect {
            bce::DIALECT => self.run_layer(runtime, CloudErrorLayer::bce(), inner),
            _ => self.run_layer(
                runtime,
                CloudErrorLayer::new(Tencent::new().default_language(self.default_language)),
                inner,
            ),
        }
    }

    fn run_layer<St: Style, E>(
        &self,
        runtime: &tokio::runtime::Runtime,
        layer: CloudErrorLayer<St>,
        inner: Scripted<E>,
    ) -> Response<Bytes>
    where
        E: IntoCloudError + Unpin,
    {
        let service = layer.trust_incoming_request_id(self.trust).layer(inner);
        let request = self.request();
        let _provoking = Provoking::start();
        runtime.block_on(async move {
            let response: Response<_> = match service.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            let (parts, body) = response.into_parts();
            let body = body
                .collect()
                .await
                .expect("an envelope never fails")
                .to_bytes();
            Response::from_parts(parts, body)
        })
    }

    /// What every response must satisfy: the checker finds exactly `expected`; the id comes
    /// from the client when trusted, else is a fresh UUID v4; no secret leaks.
    fn verify(
        &self,
        response: &Response<Bytes>,
        expected: &[Violation],
    ) -> Result<(), TestCaseError> {
        let violations = self
            .checker()
            .check(&self.method, response)
            .err()
            .unwrap_or_default();
        prop_assert_eq!(
            &violations[..],
            expected,
            "status {}, headers {:?}, body {:?}",
            response.status(),
            response.headers(),
            String::from_utf8_lossy(response.body())
        );
        if self.trusted_id().is_none() {
            let id = response.headers()[self.id_header()].to_str().unwrap();
            let uuid = uuid::Uuid::parse_str(id);
            prop_assert!(uuid.is_ok_and(|u| u.get_version_num() == 4), "{}", id);
        }
        let body = String::from_utf8_lossy(response.body());
        prop_assert!(!body.contains(SECRET), "{}", body);
        Ok(())
    }

    /// The code in an error envelope (`None` for a bodiless answer to `HEAD`).
    fn code_in(&self, response: &Response<Bytes>) -> Option<String> {
        if response.body().is_empty() {
            return None;
        }
        let json: Value = serde_json::from_slice(response.body()).unwrap();
        let code = match self.dialect {
            bce::DIALECT => &json["code"],
            _ => &json["Response"]["Error"]["Code"],
        };
        code.as_str().map(str::to_owned)
    }

    /// An error envelope that conforms, with `code`.
    fn verify_error(&self, response: &Response<Bytes>, code: &str) -> Result<(), TestCaseError> {
        self.verify(response, &[])?;
        if self.method == Method::HEAD {
            prop_assert!(response.body().is_empty());
        } else {
            let rendered = self.code_in(response);
            prop_assert_eq!(rendered.as_deref(), Some(code));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies.

/// Any text: ordinary, with control characters, empty, or longer than `CloudError::MAX_MESSAGE_LEN`.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => ".{0,40}",
        3 => vec(any::<char>(), 0..40).prop_map(String::from_iter),
        1 => "[\\x00-\\x1f\"\\\\\u{7f}\u{2028}]{0,12}",
        1 => vec(any::<char>(), 400..1500).prop_map(String::from_iter),
    ]
}

fn all_codes() -> Vec<Code> {
    [
        bce::common::ALL,
        bce::dev_machine::ALL,
        bce::eip::ALL,
        bce::eip_group::ALL,
        bce::bandwidth_package::ALL,
        tencent::common::ALL,
        tencent::tcr::ALL,
        OWN_CODES,
    ]
    .concat()
}

/// Codes of both dialects, or `CloudError::internal()`, any message, any source.
fn error_spec() -> impl Strategy<Value = ErrorSpec> {
    let code = prop_oneof![
        1 => Just(None),
        9 => prop::sample::select(all_codes()).prop_map(Some),
    ];
    let message = prop_oneof![
        Just(MessageSpec::Default),
        text().prop_map(MessageSpec::Custom),
        (text(), text()).prop_map(|(zh, en)| MessageSpec::Localized(zh, en)),
        vec(text(), 0..4).prop_map(MessageSpec::Args),
    ];
    (code, message, prop::option::of(text())).prop_map(|(code, message, source)| ErrorSpec {
        code,
        message,
        source,
    })
}

/// Bytes a header value may hold: visible ASCII, spaces, tabs, obs-text.
fn header_value() -> impl Strategy<Value = HeaderValue> {
    let byte = prop_oneof![8 => 0x20u8..0x7f, 1 => Just(b'\t'), 1 => 0x80u8..=0xff];
    vec(byte, 0..40).prop_map(|bytes| HeaderValue::from_bytes(&bytes).unwrap())
}

/// Client request ids: valid ones, too long ones, and anything a header can hold.
fn client_id() -> impl Strategy<Value = HeaderValue> {
    prop_oneof![
        2 => "[A-Za-z0-9._:-]{1,128}".prop_map(|id| HeaderValue::from_str(&id).unwrap()),
        1 => "[a-z]{129,140}".prop_map(|id| HeaderValue::from_str(&id).unwrap()),
        2 => header_value(),
    ]
}

fn language_header() -> impl Strategy<Value = Option<HeaderValue>> {
    let known = prop::sample::select(vec!["zh-CN", "en-US", "ZH-cn", "en-us", "fr-FR", "en", ""])
        .prop_map(HeaderValue::from_static);
    prop::option::of(prop_oneof![3 => known, 1 => header_value()])
}

fn setup() -> impl Strategy<Value = Setup> {
    (
        any::<bool>(),
        prop::sample::select(vec![Method::GET, Method::HEAD, Method::POST]),
        any::<bool>(),
        vec(client_id(), 0..3),
        language_header(),
        prop::sample::select(vec![Language::ZhCn, Language::EnUs]),
    )
        .prop_map(
            |(tencent, method, trust, client_ids, language, default_language)| Setup {
                dialect: if tencent {
                    tencent::DIALECT
                } else {
                    bce::DIALECT
                },
                method,
                trust,
                client_ids,
                language,
                default_language,
            },
        )
}

fn payload() -> impl Strategy<Value = Payload> {
    prop_oneof![
        text().prop_map(Payload::Str),
        text().prop_map(Payload::String),
        any::<u64>().prop_map(Payload::Number),
        vec(any::<u8>(), 0..16).prop_map(Payload::Opaque),
    ]
}

/// Arbitrary response headers: well-known ones (the id headers included, which the layer
/// must replace) and made-up ones, with any value.
fn headers(names: Vec<&'static str>) -> impl Strategy<Value = Vec<(HeaderName, HeaderValue)>> {
    let name = prop_oneof![
        3 => prop::sample::select(names).prop_map(HeaderName::from_static),
        1 => "x-[a-z0-9-]{1,16}".prop_map(|name| HeaderName::try_from(name).unwrap()),
    ];
    vec((name, header_value()), 0..6)
}

const SUCCESS_HEADERS: &[&str] = &[
    "x-bce-request-id",
    "x-tc-requestid",
    "content-type",
    "content-encoding",
    "etag",
    "cache-control",
    "set-cookie",
    "location",
];

fn field_name() -> impl Strategy<Value = String> {
    // Never `RequestId`, `Error` or an envelope key.
    "F[A-Za-z0-9_]{0,12}"
}

/// A success (2xx or 3xx) with a body its convention allows.
fn success(dialect: Dialect) -> impl Strategy<Value = Reply> {
    let status = prop_oneof![4 => Just(200u16), 2 => 201u16..=299, 1 => 300u16..=399];
    let fields = vec((field_name(), text()), 0..4);
    (
        status,
        headers(SUCCESS_HEADERS.to_vec()),
        fields,
        text(),
        any::<u8>(),
    )
        .prop_map(move |(status, headers, fields, text, pick)| {
            let body = match (status, dialect, pick % 3) {
                (300..=399, _, 0) => SuccessBody::Text(text),
                (_, tencent::DIALECT, 0) => SuccessBody::Events(text),
                (_, _, 1) => SuccessBody::Json(fields),
                _ => SuccessBody::Empty,
            };
            Reply::Success {
                status,
                headers,
                body,
            }
        })
}

const BARE_HEADERS: &[&str] = &[
    "x-bce-request-id",
    "x-tc-requestid",
    "content-type",
    "content-encoding",
    "content-language",
    "etag",
    "www-authenticate",
    "retry-after",
];

/// A bare 4xx or 5xx; with `echo_id`, it carries the request's id in the style's header.
fn bare(echo_id: bool) -> impl Strategy<Value = Reply> {
    (
        400u16..=599,
        headers(BARE_HEADERS.to_vec()),
        text(),
        any::<bool>(),
    )
        .prop_map(move |(status, headers, body, content_length)| Reply::Bare {
            status,
            headers,
            body,
            content_length,
            echo_id,
        })
}

fn own_envelope(dialect: Dialect) -> impl Strategy<Value = Reply> {
    let codes: Vec<Code> = all_codes()
        .into_iter()
        .filter(|code| code.dialect() == dialect)
        .collect();
    prop::sample::select(codes).prop_map(|code| Reply::OwnEnvelope { code })
}

/// A setup and a reply of its dialect.
fn setup_and(reply: fn(Dialect) -> BoxedStrategy<Reply>) -> impl Strategy<Value = (Setup, Reply)> {
    setup().prop_flat_map(move |setup| {
        let dialect = setup.dialect;
        (Just(setup), reply(dialect))
    })
}

// ---------------------------------------------------------------------------------------------
// The properties.

proptest! {
    #![proptest_config(config())]

    /// `Err(CloudError)`: any code of either dialect (or `internal()`), any message, any
    /// template arguments, any source, from `poll_ready` or the response future.
    #[test]
    fn cloud_errors_conform(setup in setup(), spec in error_spec(), ready in any::<bool>()) {
        let runtime = runtime();
        let error = spec.build();
        let script = if ready { Script::FailReady(error) } else { Script::Fail(error) };
        let response = setup.run(&runtime, script);
        setup.verify_error(&response, spec.rendered_code(setup.dialect))?;
    }

    /// `Err(BoxError)`: chains of any depth, with or without a `CloudError` inside.
    #[test]
    fn boxed_error_chains_conform(
        setup in setup(),
        spec in prop::option::of(error_spec()),
        depth in 0usize..6,
        at in prop_oneof![Just(ErrAt::PollReady), Just(ErrAt::Future)],
    ) {
        let runtime = runtime();
        let error = chain(depth, spec.as_ref());
        let script = match at {
            ErrAt::PollReady => Script::FailReady(error),
            ErrAt::Future => Script::Fail(error),
        };
        let response = setup.run(&runtime, script);
        let code = spec.map_or("InternalError", |spec| spec.rendered_code(setup.dialect));
        setup.verify_error(&response, code)?;
    }

    /// Panics with any payload in `poll_ready`, `call` or the response future.
    #[test]
    fn panics_conform(
        setup in setup(),
        payload in payload(),
        at in prop_oneof![Just(PanicAt::PollReady), Just(PanicAt::Call), Just(PanicAt::Future)],
    ) {
        let runtime = runtime();
        let script: Script<Infallible> = match at {
            PanicAt::PollReady => Script::PanicReady(payload),
            PanicAt::Call => Script::PanicCall(payload),
            PanicAt::Future => Script::PanicFuture(payload),
        };
        let response = setup.run(&runtime, script);
        setup.verify_error(&response, "InternalError")?;
    }

    /// `Ok(CloudError::into_response())`: the layer renders the deferred error.
    #[test]
    fn deferred_errors_conform(setup in setup(), spec in error_spec()) {
        let runtime = runtime();
        let script: Script<Infallible> = Script::Reply(Reply::Deferred(spec.clone()));
        let response = setup.run(&runtime, script);
        setup.verify_error(&response, spec.rendered_code(setup.dialect))?;
    }

    /// `Ok` successes (2xx and 3xx, any headers, bodies the convention allows) pass through with
    /// the request id added, and envelopes the service built itself conform. A Tencent status
    /// other than 200 is the service's choice, which the layer keeps: exactly that is
    /// reported.
    #[test]
    fn successes_and_own_envelopes_conform(
        (setup, reply) in setup_and(|dialect| prop_oneof![
            3 => success(dialect),
            1 => own_envelope(dialect),
        ].boxed()),
    ) {
        let runtime = runtime();
        let response = setup.run(&runtime, Script::<Infallible>::Reply(reply.clone()));
        match &reply {
            Reply::Success { status, body, .. } => {
                prop_assert_eq!(response.status().as_u16(), *status);
                let expected = match setup.dialect {
                    tencent::DIALECT if *status != 200 => vec![Violation::TencentStatusNot200 {
                        status: response.status(),
                    }],
                    _ => vec![],
                };
                setup.verify(&response, &expected)?;
                // The body is untouched (a Tencent JSON body holds the id, checked above).
                if !(setup.dialect == tencent::DIALECT && matches!(body, SuccessBody::Json(_))) {
                    prop_assert_eq!(response.body(), &success_bytes(setup.dialect, body, ""));
                }
            }
            // An envelope built by hand is not one the layer rendered: a BCE one (an error
            // status) is rewritten by its status; a Tencent one (HTTP 200) passes untouched.
            Reply::OwnEnvelope { code } => {
                let expected = match setup.dialect {
                    bce::DIALECT => Bce::new()
                        .code_for(Condition::from_status(code.status()))
                        .name(),
                    _ => code.name(),
                };
                setup.verify_error(&response, expected)?
            }
            _ => unreachable!(),
        }
    }

    /// Bare 4xx and 5xx `Ok` responses of the inner service (any status, any headers, any text
    /// body, with or without a `content-length`, `GET` or `HEAD`) are replaced by the style's
    /// envelope, with a documented code.
    #[test]
    fn bare_error_responses_are_rewritten((setup, reply) in setup_and(|_| bare(false).boxed())) {
        let runtime = runtime();
        let response = setup.run(&runtime, Script::<Infallible>::Reply(reply));
        setup.verify(&response, &[])?;
    }

    /// The same, for a service that stamps the request's id on every response it makes (with
    /// the axum `CloudRequestId` extractor, or tower-http's `PropagateRequestIdLayer` inside the
    /// layer): its bare 4xx and 5xx must be rewritten too.
    #[test]
    fn bare_error_responses_with_the_request_id_are_rewritten(
        (setup, reply) in setup_and(|_| bare(true).boxed()),
    ) {
        let runtime = runtime();
        let response = setup.run(&runtime, Script::<Infallible>::Reply(reply));
        setup.verify(&response, &[])?;
    }
}
