//! Run with `cargo run --example bce_eip --features axum,redis`
//!
//! An Elastic IP (EIP) service in the style of Baidu AI Cloud (BCE), API `v1`, that the official
//! BCE SDKs drive unchanged (`EipClient` pointed at `127.0.0.1:8080` over HTTP).
//!
//! The whole integration is on this screen: [`app`] wraps the router in `CloudErrorLayer` with
//! BCE's style and request checks, and every failure then reaches the client as the documented
//! envelope with the request id; inside it, `ClientTokenLayer` runs each `clientToken` once and
//! replays its answer to retries, with its tokens in Redis when `REDIS_URL` is set (so several
//! processes of the example answer a retried create alike), else in memory. The domain (errors, handlers, request types, the in-memory
//! store) is below; [`app`]'s docs list every operation and every failure with its code.
//!
//! With `DEMO_CREDENTIALS=AK:SK[,AK2:SK2...]` every request must be signed with `bce-auth-v1`
//! by one of those keys (`bce::SignatureLayer`, inside the layer); without it, nothing is
//! verified.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::Router;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tower::ServiceBuilder;
use tower_cloud_error::bce::{self, Bce, Checks as BceChecks, Json as BceJson};
use tower_cloud_error::bce::{common, eip};
use tower_cloud_error::idempotency::{ClientTokenLayer, IdempotencyStore, MemoryStore};
use tower_cloud_error::{CloudError, CloudErrorLayer, CloudRequestId, IntoCloudError, Validate};

/// The service: every route, and the layer with BCE's request checks around all of them.
///
/// There is no fallback of the example's own: axum's bare 404 (unknown path) and 405 (a method
/// the path does not serve) are rewritten by the layer as `InvalidURI`.
///
/// The reference (every operation, every failure and its code) is in [`reference`].
pub fn app(config: Config) -> Router {
    let faults = config.faults;
    let credentials = config.credentials.clone();
    let client_tokens = ClientTokenLayer::bce(Arc::clone(&config.client_tokens));
    let state = AppState {
        config: Arc::new(config),
        store: Arc::default(),
    };
    let mut router = Router::new()
        .route("/v1/eip", get(list_eips).post(create_eip))
        .route("/v1/eip/{ip}", put(update_eip).delete(release_eip))
        .with_state(state);
    if faults {
        router = router.layer(middleware::from_fn(inject_fault));
    }
    // `CloudErrorLayer` outermost, so that it wraps every route and axum's fallback, checks the
    // version and the date before any of them runs, and renders the errors of the layers inside
    // it: the signature check (with `DEMO_CREDENTIALS`), then `ClientTokenLayer`, which scopes
    // tokens by the verified access key.
    let errors = CloudErrorLayer::new(Bce::new().checks(BceChecks::new(VERSIONS)));
    let stack = ServiceBuilder::new().layer(errors);
    match credentials {
        None => Router::new().fallback_service(stack.layer(client_tokens).service(router)),
        Some(store) => Router::new().fallback_service(
            stack
                .layer(bce::SignatureLayer::new(store))
                .layer(client_tokens)
                .service(router),
        ),
    }
}

/// Serving with hyper-util: HTTP/1.1 and HTTP/2 on one port, timeouts, a connection bound and
/// a graceful shutdown (the limits are listed in the module's docs).
#[path = "support/serve.rs"]
pub mod serve;

#[tokio::main]
pub async fn main() {
    // A caught panic is one log line with the request id, not a backtrace on stderr too.
    tower_cloud_error::panic_hook::install();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        // Colours only on a terminal: escape codes in a log file are noise (and bytes).
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse().expect("PORT must be a port number"),
        Err(_) => 8080,
    };
    let faults = std::env::var("DEMO_FAULTS").is_ok_and(|value| value == "1");
    let credentials = demo_credentials();
    let (client_tokens, tokens_kept) = client_token_store();

    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .await
        .expect("bind the listener");
    let url = format!("http://{}", listener.local_addr().expect("local address"));
    println!(
        "BCE-style EIP service on {url} (fault injection {}, client tokens {tokens_kept})",
        if faults { "on" } else { "off" }
    );
    println!("try: curl -i {url}/v2/eip");
    println!(
        "     curl -i -X PUT '{url}/v1/eip/100.88.0.1?bind' -H 'Content-Type: application/json' \
         -d '{{\"instanceType\":\"BCC\",\"instanceId\":\"i-web00001\"}}'"
    );
    if let Some(store) = &credentials {
        let keys: Vec<&str> = store.access_key_ids().collect();
        println!(
            "requests must be signed (bce-auth-v1) with access key {} and its secret key from \
             DEMO_CREDENTIALS; e.g. EipClient(BceClientConfiguration(credentials=\
             BceCredentials(AK, SK), endpoint='{url}'))",
            keys.join(" or ")
        );
    }
    println!("HTTP/1.1 and HTTP/2 (prior knowledge); Ctrl-C stops it gracefully");
    let service = app(Config {
        faults,
        credentials,
        client_tokens,
        ..Config::default()
    });
    serve::serve(listener, service, serve::Limits::default(), serve::ctrl_c())
        .await
        .expect("serve");
}

/// The keys of `DEMO_CREDENTIALS` (`AK:SK[,AK2:SK2...]`), if set.
///
/// # Panics
///
/// If `DEMO_CREDENTIALS` is set but malformed: the demo must not start unprotected by mistake.
fn demo_credentials() -> Option<bce::InMemoryCredentials> {
    let text = std::env::var("DEMO_CREDENTIALS").ok()?;
    Some(
        bce::InMemoryCredentials::parse_pairs(&text)
            .unwrap_or_else(|e| panic!("DEMO_CREDENTIALS: {e}")),
    )
}

/// The client-token store: Redis at `REDIS_URL` (`redis://HOST:PORT`), shared by every process
/// started with it, else this process's memory; and where the tokens are kept, for the banner.
///
/// The Redis store connects on first use and reconnects by itself: while Redis is down, requests
/// with a `clientToken` answer `InternalError` without running (never a duplicate create).
pub fn client_token_store() -> (Arc<dyn IdempotencyStore>, &'static str) {
    match std::env::var("REDIS_URL") {
        #[cfg(feature = "redis")]
        Ok(url) => match tower_cloud_error::idempotency::RedisStore::open(&url) {
            Ok(store) => (
                Arc::new(store.prefix("bce-eip-example:")),
                "in Redis (REDIS_URL)",
            ),
            // The URL may hold a password: the error, not the URL, is shown.
            Err(error) => panic!("REDIS_URL is not a Redis URL: {error}"),
        },
        #[cfg(not(feature = "redis"))]
        Ok(_) => panic!("REDIS_URL is set, but the example was built without the `redis` feature"),
        Err(_) => (Arc::new(MemoryStore::new()), "in memory"),
    }
}

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

/// What the service needs to start.
#[derive(Clone)]
pub struct Config {
    /// Honour the `x-demo-fault` request header (`DEMO_FAULTS=1`).
    pub faults: bool,
    /// How many EIPs the account may hold at once; `ExceedLimit` beyond.
    pub eip_quota: usize,
    /// The instances EIPs can be bound to, as `(instanceType, instanceId)`.
    pub instances: Vec<(String, String)>,
    /// Where `ClientTokenLayer` keeps the `clientToken`s: [`MemoryStore`] by default (bounded:
    /// 64 MiB, 100 000 tokens), a Redis store shared by replicas with `REDIS_URL`.
    pub client_tokens: Arc<dyn IdempotencyStore>,
    /// Verify `bce-auth-v1` signatures against these keys (`DEMO_CREDENTIALS`); `None`: no
    /// verification.
    pub credentials: Option<bce::InMemoryCredentials>,
}

impl Default for Config {
    fn default() -> Self {
        let instance = |kind: &str, id: &str| (kind.to_owned(), id.to_owned());
        Config {
            faults: false,
            eip_quota: 5,
            instances: vec![
                instance("BCC", "i-web00001"),
                instance("BCC", "i-web00002"),
                instance("BLB", "lb-front001"),
                instance("NAT", "nat-egress1"),
            ],
            client_tokens: Arc::new(MemoryStore::new()),
            credentials: None,
        }
    }
}

/// The API versions served: `/v1/...`.
pub const VERSIONS: &[u32] = &[1];

/// The longest EIP `name`, in bytes, as BCE documents it (1 to 65, starting with a letter, of
/// letters, digits and `-` `_` `/` `.`).
pub const MAX_NAME_LEN: usize = 65;

/// The longest instance type, instance id, address or list marker, in bytes (in a body or a
/// query): longer ones name nothing this service could hold.
pub const MAX_ID_LEN: usize = 64;

/// The longest query string, in bytes: room for every parameter of an operation at its longest,
/// percent-encoded.
pub const MAX_QUERY_LEN: usize = 2048;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Everything that can go wrong in the EIP service. thiserror writes the `Display` (logged with
/// the request id); `IntoCloudError` picks each variant's documented code and makes the type a
/// handler error, so handlers return `Result<_, EipError>` and use `?`.
#[derive(Debug, thiserror::Error, IntoCloudError)]
pub enum EipError {
    /// The path is not an operation of this API (an address that does not parse).
    #[error("the path names no operation")]
    #[cloud(code = common::INVALID_URI)]
    InvalidUri,
    /// The query is not one of an operation; the message says why.
    #[error("Could not parse the specified URI: {0}.")]
    #[cloud(code = common::INVALID_URI, message)]
    InvalidQuery(Cow<'static, str>),
    /// The body was refused: its content type, size or encoding, its syntax (`MalformedJSON`) or
    /// its fit (`InappropriateJSON`), as [`bce::read_body`], [`bce::from_slice`] or [`BceJson`]
    /// classified it.
    #[error(transparent)]
    #[cloud(transparent)]
    Body(CloudError),
    /// No EIP has this address.
    #[error("no such eip")]
    #[cloud(code = eip::EIP_NOT_FOUND)]
    EipNotFound,
    /// No instance has this type and id.
    #[error("no such instance")]
    #[cloud(code = eip::INSTANCE_NOT_FOUND)]
    InstanceNotFound,
    /// The instance is already bound to an EIP.
    #[error("the instance is bound already")]
    #[cloud(code = eip::INSTANCE_ALREADY_BIND)]
    InstanceAlreadyBound,
    /// The EIP's status does not allow the operation (bind a bound EIP, unbind an unbound one,
    /// release a bound one).
    #[error("the eip's status does not allow the operation")]
    #[cloud(code = eip::UNSUPPORTED_EIP_OPERATION)]
    WrongStatus,
    /// The account holds its quota of EIPs.
    #[error("eip quota reached")]
    #[cloud(code = eip::EXCEED_LIMIT)]
    QuotaExceeded,
    /// Prepaid EIPs are released when they expire, not through the API.
    #[error("a prepaid eip cannot be released")]
    #[cloud(code = eip::PREPAY_EIP)]
    Prepaid,
    /// The storage behind the table failed: InternalError; the error is only logged.
    #[error("eip storage failed")]
    #[cloud(internal)]
    Storage(#[source] StorageError),
}

/// A failure of the (simulated) database behind the EIP table. Its text may hold connection
/// strings: it is only ever logged.
#[derive(Debug)]
pub struct StorageError(String);

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StorageError {}

// ---------------------------------------------------------------------------------------------
// Fault injection
// ---------------------------------------------------------------------------------------------

/// `x-demo-fault: panic | internal`, installed only with `DEMO_FAULTS=1`, inside the layer.
async fn inject_fault(request: Request, next: Next) -> Response {
    match request
        .headers()
        .get("x-demo-fault")
        .map(HeaderValue::as_bytes)
    {
        Some(b"panic") => {
            panic!("index out of bounds: the len is 3 but the index is 7 (eip_table shard 3)")
        }
        Some(b"internal") => EipError::Storage(StorageError(
            "connection to postgres://eip_admin:S3cr3tP4ss@10.0.0.7:5432/eip refused".into(),
        ))
        .into_response(),
        _ => next.run(request).await,
    }
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

/// `POST /v1/eip?clientToken=`: `create_eip`. [`BceJson`] reads the body before the handler
/// runs, so a body error answers before a query error.
async fn create_eip(
    State(app): State<AppState>,
    request_id: CloudRequestId,
    uri: Uri,
    BceJson(request): BceJson<CreateEipRequest>,
) -> Result<Response, EipError> {
    parse_query(&uri)?;
    let billing = request.billing.resolve();

    let result = app.mutate(|store, config| {
        if store.eips.len() >= config.eip_quota {
            return Err(EipError::QuotaExceeded);
        }
        let eip = store.allocate(request.name, request.bandwidth_in_mbps, billing);
        tracing::info!(request_id = %request_id, eip = %eip.ip, "eip created");
        Ok(Some(json!({ "eip": eip.ip })))
    })?;
    Ok(reply(result))
}

/// `GET /v1/eip`: `list_eips`.
async fn list_eips(State(app): State<AppState>, uri: Uri) -> Result<Response, EipError> {
    let query = parse_query(&uri)?;
    let filter = ListFilter::parse(&query)?;

    let store = app.store();
    let mut matching = store
        .eips
        .values()
        .filter(|eip| filter.marker.is_none_or(|marker| eip.id.as_str() >= marker))
        .filter(|eip| filter.matches(eip));
    let page: Vec<Value> = matching
        .by_ref()
        .take(filter.max_keys)
        .map(Eip::to_json)
        .collect();
    let mut list = json!({
        "eipList": page,
        "marker": filter.marker.unwrap_or(""),
        "isTruncated": false,
        "maxKeys": filter.max_keys,
    });
    if let Some(next) = matching.next() {
        // As BCE documents it: `nextMarker` only when the list is truncated.
        list["isTruncated"] = json!(true);
        list["nextMarker"] = json!(next.id);
    }
    Ok(reply(Some(list)))
}

/// `PUT /v1/eip/{ip}?bind | unbind | resize`: `bind_eip`, `unbind_eip`, `resize_eip`. The
/// action is in the query, so the body (none for `unbind`) is parsed once it is known.
async fn update_eip(
    State(app): State<AppState>,
    request_id: CloudRequestId,
    ip: Result<Path<String>, PathRejection>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, EipError> {
    // Read whatever the action: hyper closes a keep-alive connection whose request body was left
    // unread. A body over the limit, or one that fails, is answered once it is needed.
    let body = bce::read_body(body, bce::DEFAULT_LIMIT).await;
    let Path(ip) = ip.map_err(|_| EipError::InvalidUri)?;
    let query = parse_query(&uri)?;
    let actions: Vec<&str> = query
        .iter()
        .map(|(key, _)| key.as_str())
        .filter(|key| ["bind", "unbind", "resize"].contains(key))
        .collect();

    match actions[..] {
        ["bind"] => {
            let bind: BindRequest = parse_body(&headers, body)?;
            app.mutate(|store, config| {
                let instance = Instance {
                    kind: bind.instance_type,
                    id: bind.instance_id.clone(),
                };
                store.bind(&ip, instance, config)?;
                tracing::info!(
                    request_id = %request_id,
                    eip = %ip,
                    instance = %bind.instance_id,
                    "eip bound"
                );
                Ok(())
            })?;
        }
        ["unbind"] => {
            app.mutate(|store, _| {
                store.unbind(&ip)?;
                tracing::info!(request_id = %request_id, eip = %ip, "eip unbound");
                Ok(())
            })?;
        }
        ["resize"] => {
            let resize: ResizeRequest = parse_body(&headers, body)?;
            let mbps = resize.new_bandwidth_in_mbps;
            app.mutate(|store, _| {
                store.resize(&ip, mbps)?;
                tracing::info!(request_id = %request_id, eip = %ip, mbps, "eip resized");
                Ok(())
            })?;
        }
        _ => {
            return Err(EipError::InvalidQuery(
                "expected exactly one of the actions bind, unbind or resize".into(),
            ))
        }
    }
    Ok(reply(None))
}

/// `DELETE /v1/eip/{ip}?clientToken=`: `release_eip`.
async fn release_eip(
    State(app): State<AppState>,
    request_id: CloudRequestId,
    ip: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Result<Response, EipError> {
    let Path(ip) = ip.map_err(|_| EipError::InvalidUri)?;
    parse_query(&uri)?;

    app.mutate(|store, _| {
        store.release(&ip)?;
        tracing::info!(request_id = %request_id, eip = %ip, "eip released");
        Ok(())
    })?;
    Ok(reply(None))
}

/// A JSON body, or the empty body BCE answers to operations without a result.
fn reply(body: Option<Value>) -> Response {
    match body {
        Some(body) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            )],
            body.to_string(),
        )
            .into_response(),
        None => StatusCode::OK.into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/// The query string as decoded pairs, in order (`?bind` is `("bind", "")`), at most
/// [`MAX_QUERY_LEN`] bytes.
fn parse_query(uri: &Uri) -> Result<Vec<(String, String)>, EipError> {
    if uri.query().map_or(0, str::len) > MAX_QUERY_LEN {
        return Err(EipError::InvalidQuery(
            format!("the query must be at most {MAX_QUERY_LEN} bytes").into(),
        ));
    }
    Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map(|Query(pairs)| pairs)
        .map_err(|_| EipError::InvalidUri)
}

fn query_value<'a>(query: &'a [(String, String)], key: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value.as_str())
}

/// A JSON body of `T`: the content type, the body as read (at most 2 MiB), then syntax, fit and
/// `T`'s [`Validate`] rules, each failure with its documented code.
fn parse_body<T: DeserializeOwned + Validate>(
    headers: &HeaderMap,
    body: Result<Bytes, CloudError>,
) -> Result<T, EipError> {
    bce::check_content_type(headers).map_err(EipError::Body)?;
    let body = body.map_err(EipError::Body)?;
    bce::from_slice(&body).map_err(EipError::Body)
}

/// The `create_eip` body. Unrecognised items are ignored; `billing` and `reservation` must be
/// objects (an array is the wrong shape).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateEipRequest {
    bandwidth_in_mbps: u32,
    name: Option<String>,
    billing: BillingRequest,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BillingRequest {
    payment_timing: PaymentTiming,
    billing_method: Option<BillingMethod>,
    reservation: Option<Reservation>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", expecting = "a reservation object")]
struct Reservation {
    reservation_length: Option<u32>,
    reservation_time_unit: Option<String>,
}

/// The `bind_eip` body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BindRequest {
    instance_type: String,
    instance_id: String,
}

/// The `resize_eip` body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResizeRequest {
    new_bandwidth_in_mbps: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
enum PaymentTiming {
    Prepaid,
    Postpaid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
enum BillingMethod {
    ByBandwidth,
    ByTraffic,
}

/// The value rules of `create_eip`: a bandwidth of 1 to 200 Mbps, the name as documented, and
/// the prepaid terms.
impl Validate for CreateEipRequest {
    fn validate(&self) -> Result<(), CloudError> {
        check_bandwidth("bandwidthInMbps", self.bandwidth_in_mbps)?;
        if self
            .name
            .as_deref()
            .is_some_and(|name| !is_valid_name(name))
        {
            return Err(bce::inappropriate_json(&format!(
                "name must be 1 to {MAX_NAME_LEN} characters, a letter first, then letters, \
                 digits, -, _, / or ."
            )));
        }
        let reservation = self.billing.reservation.as_ref();
        if reservation
            .and_then(|reservation| reservation.reservation_time_unit.as_ref())
            .is_some_and(|unit| unit.len() > MAX_ID_LEN)
        {
            return Err(bce::inappropriate_json(
                "billing.reservation.reservationTimeUnit must be Month",
            ));
        }
        if self.billing.payment_timing == PaymentTiming::Prepaid && self.billing.months().is_none()
        {
            return Err(bce::inappropriate_json(
                "a Prepaid EIP is billed ByBandwidth, with billing.reservation.reservationLength \
                 of 1 to 9, 12, 24 or 36 Month",
            ));
        }
        Ok(())
    }
}

/// The lengths only: an unknown instance is `InstanceNotFound`.
impl Validate for BindRequest {
    fn validate(&self) -> Result<(), CloudError> {
        for (item, value) in [
            ("instanceType", &self.instance_type),
            ("instanceId", &self.instance_id),
        ] {
            if value.is_empty() || value.len() > MAX_ID_LEN {
                return Err(bce::inappropriate_json(&format!(
                    "{item} must be 1 to {MAX_ID_LEN} characters"
                )));
            }
        }
        Ok(())
    }
}

/// An EIP name as BCE documents it: 1 to [`MAX_NAME_LEN`] bytes, a letter first, then letters,
/// digits, `-`, `_`, `/` and `.`.
fn is_valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    (1..=MAX_NAME_LEN).contains(&bytes.len())
        && bytes[0].is_ascii_alphabetic()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'/' | b'.'))
}

impl Validate for ResizeRequest {
    fn validate(&self) -> Result<(), CloudError> {
        check_bandwidth("newBandwidthInMbps", self.new_bandwidth_in_mbps)
    }
}

/// A bandwidth of 1 to 200 Mbps; the message names the item.
fn check_bandwidth(item: &str, mbps: u32) -> Result<(), CloudError> {
    if (1..=200).contains(&mbps) {
        Ok(())
    } else {
        Err(bce::inappropriate_json(&format!(
            "{item} must be an integer from 1 to 200"
        )))
    }
}

/// A validated `billing`: how the EIP is paid, and until when (prepaid).
#[derive(Debug, Clone, Copy)]
struct Billing {
    payment_timing: PaymentTiming,
    billing_method: BillingMethod,
    months: Option<u32>,
}

impl BillingRequest {
    fn billing_method(&self) -> BillingMethod {
        self.billing_method.unwrap_or(BillingMethod::ByBandwidth)
    }

    /// The reservation of a prepaid EIP, in months, if its terms are valid: 1 to 9, 12, 24 or
    /// 36 months, billed `ByBandwidth`.
    fn months(&self) -> Option<u32> {
        let reservation = self.reservation.as_ref()?;
        let in_months = reservation
            .reservation_time_unit
            .as_deref()
            .is_none_or(|unit| unit.eq_ignore_ascii_case("month"));
        match reservation.reservation_length {
            Some(months @ (1..=9 | 12 | 24 | 36))
                if in_months && self.billing_method() == BillingMethod::ByBandwidth =>
            {
                Some(months)
            }
            _ => None,
        }
    }

    /// The billing of a validated request. A postpaid EIP has no reservation; the SDK sends one
    /// anyway, which is ignored.
    fn resolve(&self) -> Billing {
        Billing {
            payment_timing: self.payment_timing,
            billing_method: self.billing_method(),
            months: match self.payment_timing {
                PaymentTiming::Prepaid => self.months(),
                PaymentTiming::Postpaid => None,
            },
        }
    }
}

/// The `list_eips` query.
struct ListFilter<'a> {
    eip: Option<&'a str>,
    instance: Option<(&'a str, &'a str)>,
    name: Option<&'a str>,
    status: Option<&'a str>,
    marker: Option<&'a str>,
    max_keys: usize,
}

impl<'a> ListFilter<'a> {
    fn parse(query: &'a [(String, String)]) -> Result<Self, EipError> {
        let value = |key| query_value(query, key);
        let invalid = |detail: &'static str| EipError::InvalidQuery(detail.into());
        let instance = match (value("instanceType"), value("instanceId")) {
            (Some(kind), Some(id)) => Some((kind, id)),
            (None, None) => None,
            _ => return Err(invalid("instanceType and instanceId go together")),
        };
        for (key, max) in [
            ("eip", MAX_ID_LEN),
            ("instanceType", MAX_ID_LEN),
            ("instanceId", MAX_ID_LEN),
            ("marker", MAX_ID_LEN),
            ("name", MAX_NAME_LEN),
        ] {
            if value(key).is_some_and(|text| text.len() > max) {
                return Err(EipError::InvalidQuery(
                    format!("{key} must be at most {max} characters").into(),
                ));
            }
        }
        let status = value("status");
        if status.is_some_and(|status| !["available", "binded", "paused"].contains(&status)) {
            return Err(invalid("status must be available, binded or paused"));
        }
        let max_keys = match value("maxKeys") {
            None => 1000,
            Some(keys) => keys
                .parse()
                .ok()
                .filter(|keys| (1..=1000).contains(keys))
                .ok_or_else(|| invalid("maxKeys must be an integer from 1 to 1000"))?,
        };
        Ok(ListFilter {
            eip: value("eip"),
            instance,
            name: value("name"),
            status,
            marker: value("marker"),
            max_keys,
        })
    }

    fn matches(&self, eip: &Eip) -> bool {
        self.eip.is_none_or(|ip| eip.ip == ip)
            && self.name.is_none_or(|name| eip.name == name)
            // This service never pauses an EIP: `paused` matches nothing.
            && self.status.is_none_or(|status| eip.status() == status)
            && self.instance.is_none_or(|(kind, id)| {
                eip.bound
                    .as_ref()
                    .is_some_and(|instance| instance.kind == kind && instance.id == id)
            })
    }
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

#[derive(Clone)]
struct AppState {
    config: Arc<Config>,
    store: Arc<Mutex<Store>>,
}

#[derive(Default)]
struct Store {
    /// By id, which sorts in creation order.
    eips: BTreeMap<String, Eip>,
    /// The last sequence number handed out; addresses and ids are never reused.
    sequence: u32,
}

struct Eip {
    id: String,
    ip: String,
    name: String,
    bandwidth_in_mbps: u32,
    payment_timing: PaymentTiming,
    billing_method: BillingMethod,
    created: u64,
    expires: Option<u64>,
    bound: Option<Instance>,
}

#[derive(Debug, PartialEq, Eq)]
struct Instance {
    kind: String,
    id: String,
}

impl AppState {
    fn store(&self) -> MutexGuard<'_, Store> {
        // Every mutation checks before it writes, so a panic cannot leave the table half-updated.
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Applies `mutation` to the table. `ClientTokenLayer` has already made sure that a request
    /// with a `clientToken` runs once.
    fn mutate<T>(
        &self,
        mutation: impl FnOnce(&mut Store, &Config) -> Result<T, EipError>,
    ) -> Result<T, EipError> {
        mutation(&mut self.store(), &self.config)
    }
}

impl Store {
    fn find(&self, ip: &str) -> Result<&Eip, EipError> {
        self.eips
            .values()
            .find(|eip| eip.ip == ip)
            .ok_or(EipError::EipNotFound)
    }

    fn find_mut(&mut self, ip: &str) -> Result<&mut Eip, EipError> {
        self.eips
            .values_mut()
            .find(|eip| eip.ip == ip)
            .ok_or(EipError::EipNotFound)
    }

    /// `bind_eip`: the checks in the order BCE documents its codes.
    fn bind(&mut self, ip: &str, instance: Instance, config: &Config) -> Result<(), EipError> {
        self.find(ip)?;
        let exists = config
            .instances
            .iter()
            .any(|(kind, id)| *kind == instance.kind && *id == instance.id);
        if !exists {
            return Err(EipError::InstanceNotFound);
        }
        if self
            .eips
            .values()
            .any(|eip| eip.bound.as_ref() == Some(&instance))
        {
            return Err(EipError::InstanceAlreadyBound);
        }
        let eip = self.find_mut(ip)?;
        if eip.bound.is_some() {
            return Err(EipError::WrongStatus);
        }
        eip.bound = Some(instance);
        Ok(())
    }

    /// `unbind_eip`.
    fn unbind(&mut self, ip: &str) -> Result<(), EipError> {
        match self.find_mut(ip)?.bound.take() {
            Some(_) => Ok(()),
            None => Err(EipError::WrongStatus),
        }
    }

    /// `resize_eip` (the bandwidth was checked with the body).
    fn resize(&mut self, ip: &str, mbps: u32) -> Result<(), EipError> {
        self.find_mut(ip)?.bandwidth_in_mbps = mbps;
        Ok(())
    }

    /// `release_eip`: a prepaid EIP only once expired, and never a bound one.
    fn release(&mut self, ip: &str) -> Result<(), EipError> {
        let eip = self.find(ip)?;
        let prepaid = eip.payment_timing == PaymentTiming::Prepaid;
        if prepaid && eip.expires.is_some_and(|expires| expires > now()) {
            return Err(EipError::Prepaid);
        }
        if eip.bound.is_some() {
            return Err(EipError::WrongStatus);
        }
        let id = eip.id.clone();
        self.eips.remove(&id);
        Ok(())
    }

    /// A new EIP from 100.88.0.0/16.
    fn allocate(&mut self, name: Option<String>, bandwidth_in_mbps: u32, billing: Billing) -> &Eip {
        self.sequence += 1;
        let id = format!("ip-{:08x}", self.sequence);
        let created = now();
        let eip = Eip {
            ip: Ipv4Addr::from(u32::from(Ipv4Addr::new(100, 88, 0, 0)) + self.sequence).to_string(),
            name: name.unwrap_or_else(|| format!("eip-{:08x}", self.sequence)),
            bandwidth_in_mbps,
            payment_timing: billing.payment_timing,
            billing_method: billing.billing_method,
            created,
            expires: billing.months.map(|months| add_months(created, months)),
            bound: None,
            id: id.clone(),
        };
        self.eips.entry(id).or_insert(eip)
    }
}

impl Eip {
    fn status(&self) -> &'static str {
        if self.bound.is_some() {
            "binded"
        } else {
            "available"
        }
    }

    /// The EIP as `list_eips` describes it.
    fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "eip": self.ip,
            "eipId": self.id,
            "status": self.status(),
            "instanceType": self.bound.as_ref().map(|instance| &instance.kind),
            "instanceId": self.bound.as_ref().map(|instance| &instance.id),
            "shareGroupId": null,
            "bandwidthInMbps": self.bandwidth_in_mbps,
            "paymentTiming": self.payment_timing,
            "billingMethod": self.billing_method,
            "createTime": utc(self.created),
            "expireTime": self.expires.map(utc),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Time: BCE's `2016-03-08T08:13:09Z`, without a date crate
// ---------------------------------------------------------------------------------------------

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// Unix seconds as UTC ISO 8601 without fraction.
fn utc(secs: u64) -> String {
    let (year, month, day) = civil_from_days((secs / 86_400) as i64);
    let secs = secs % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// The same time of day, `months` calendar months later (the day clamped to the month's end).
fn add_months(secs: u64, months: u32) -> u64 {
    let (year, month, day) = civil_from_days((secs / 86_400) as i64);
    let total = year * 12 + i64::from(month - 1) + i64::from(months);
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    let next = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let month_len = days_from_civil(next.0, next.1, 1) - days_from_civil(year, month, 1);
    let day = day.min(month_len as u32);
    days_from_civil(year, month, day) as u64 * 86_400 + secs % 86_400
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to (year, month, day).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Howard Hinnant's `days_from_civil`: the inverse of [`civil_from_days`].
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = year - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

// ---------------------------------------------------------------------------------------------
// Reference
// ---------------------------------------------------------------------------------------------

pub mod reference {
    //! Every operation of the example and every failure, with the code it answers.
    //!
    //! An in-memory Elastic IP (EIP) service in the style of Baidu AI Cloud (BCE), API `v1`, that the
    //! official BCE SDKs drive unchanged: point `baidubce.services.eip.eip_client.EipClient` at it
    //! with `BceClientConfiguration(endpoint="127.0.0.1:8080", protocol=baidubce.protocol.HTTP, ...)`.
    //! Signatures are not verified: any access key works.
    //!
    //! `CloudErrorLayer::new(Bce::new().checks(BceChecks::new(&[1])))` wraps the whole router, so
    //! every response carries `x-bce-request-id`, and every failure (a service error, a malformed
    //! request, a panic, axum's own 404 and 405) reaches the client as the BCE envelope: the code's
    //! documented status, `content-type: application/json; charset=utf-8` and
    //! `{"requestId":"<id>","code":"<Code>","message":"<message>"}`. The layer answers some failures
    //! itself, before the router runs or in place of axum's bare answers; the example answers the
    //! rest.
    //!
    //! | Operation | Request | Success |
    //! |---|---|---|
    //! | `create_eip` | `POST /v1/eip?clientToken=` `{"bandwidthInMbps","billing":{"paymentTiming","billingMethod","reservation"},"name"}` | `{"eip":"100.88.0.1"}` |
    //! | `list_eips` | `GET /v1/eip?eip=&instanceType=&instanceId=&name=&status=&marker=&maxKeys=` | `{"eipList":[...],"marker","isTruncated","nextMarker","maxKeys"}` |
    //! | `bind_eip` | `PUT /v1/eip/{ip}?bind&clientToken=` `{"instanceType","instanceId"}` | empty |
    //! | `unbind_eip` | `PUT /v1/eip/{ip}?unbind&clientToken=` | empty |
    //! | `resize_eip` | `PUT /v1/eip/{ip}?resize&clientToken=` `{"newBandwidthInMbps"}` | empty |
    //! | `release_eip` | `DELETE /v1/eip/{ip}?clientToken=` | empty |
    //!
    //! Failures, with the code each one answers and who answers it, in the order they are checked:
    //! the layer's [`BceChecks`] (version, then date) before the router runs, then axum's routing,
    //! then the handlers. An answer that leaves an announced request body unread is held until
    //! the layer drained the body (up to 16 MiB in 10 s), and keeps the connection; past that
    //! bound it says `Connection: close`.
    //!
    //! | Condition | Code | Answered by |
    //! |---|---|---|
    //! | first path segment `v<N>` other than `v1` | `InvalidVersion` (404) | the layer ([`BceChecks`]) |
    //! | `x-bce-date` (or, without it, `Date`) more than 30 minutes off the server clock, or unreadable | `RequestExpired` (400), `Request has expired. Timestamp date is <x-bce-date>.` | the layer ([`BceChecks`]) |
    //! | with `DEMO_CREDENTIALS`: no `Authorization` / a malformed one / an unknown access key / another signature than the SDKs' / a timestamp expired or more than 30 minutes off | `AccessDenied` (403) / `InvalidHTTPAuthHeader` (400) / `InvalidAccessKeyId` (403) / `SignatureDoesNotMatch` (400) / `RequestExpired` (400) | `bce::SignatureLayer` |
    //! | any other unknown path | `InvalidURI` (400) | the layer, rewriting axum's bare 404 |
    //! | a method the path does not serve | `InvalidURI` (400), `The HTTP method <M> is not supported by this resource.`, axum's `Allow` header kept | the layer, rewriting axum's bare 405 |
    //! | a `PUT` without exactly one of `bind` / `unbind` / `resize`, a bad query parameter (`maxKeys` outside 1..=1000, `instanceType` without `instanceId` or the other way round, unknown `status`) | `InvalidURI` (400), the message naming the problem | the example |
    //! | a query string over [`MAX_QUERY_LEN`] (2048) bytes; a `list_eips` parameter over its bound (`eip`, `instanceType`, `instanceId`, `marker`: [`MAX_ID_LEN`], 64 bytes; `name`: [`MAX_NAME_LEN`], 65) | `InvalidURI` (400), e.g. `Could not parse the specified URI: marker must be at most 64 characters.` | the example |
    //! | body sent without `Content-Type: application/json` (a `charset` must be UTF-8), larger than 2 MiB, not UTF-8, or that cannot be read | `InvalidHTTPRequest` (400) | the example ([`tower_cloud_error::bce`]) |
    //! | body that is not well-formed JSON (empty included) | `MalformedJSON` (400) | the example ([`tower_cloud_error::bce`]) |
    //! | well-formed JSON that does not fit: not an object, a required item missing, an item of the wrong type or shape (an array for an object) or out of range (bandwidth 1..=200 Mbps; a `Prepaid` EIP needs `billing.reservation.reservationLength` of 1-9, 12, 24 or 36 months and `ByBandwidth`; the string bounds below) | `InappropriateJSON` (400), the message naming the item | the example ([`tower_cloud_error::bce`]) |
    //! | a `clientToken` of another length than 1 to 64, or not ASCII, or given twice | `InvalidURI` (400), `Could not parse the specified URI: clientToken must be 1 to 64 ASCII characters.` | `ClientTokenLayer` |
    //! | a `clientToken` used before on the same method and path with a different request (query, `Content-Type`, `x-bce-*` headers or body bytes) | `IdempotentParameterMismatch` (403) | `ClientTokenLayer` |
    //! | a `clientToken` whose store (Redis) is down or slower than 1 s | `InternalError` (500), the handler not run | `ClientTokenLayer` |
    //! | unknown EIP | `EipNotFound` (404) | the example |
    //! | binding to an instance not in [`Config::instances`] | `InstanceNotFound` (404) | the example |
    //! | binding an instance that is already bound to an EIP | `InstanceAlreadyBind` (400) | the example |
    //! | binding an EIP that is already bound, unbinding one that is not, releasing one that is bound | `UnsupportedEipOperation` (400) | the example |
    //! | creating more EIPs than [`Config::eip_quota`] (5 by default) | `ExceedLimit` (413) | the example |
    //! | releasing a `Prepaid` EIP before it expires | `PrepayEip` (400) | the example |
    //! | a panic, or an error of the storage | `InternalError` (500) | the layer |
    //!
    //! Every string a client sends is bounded, as BCE documents it where it does:
    //!
    //! | String | Bound | Past it |
    //! |---|---|---|
    //! | `create_eip` `name` | 1 to [`MAX_NAME_LEN`] (65) bytes, a letter first, then letters, digits, `-` `_` `/` `.` (BCE's documented rule) | `InappropriateJSON` |
    //! | `bind_eip` `instanceType`, `instanceId` | 1 to [`MAX_ID_LEN`] (64) bytes | `InappropriateJSON` |
    //! | `billing.reservation.reservationTimeUnit` | `Month` (any case); over 64 bytes is refused before it is compared | `InappropriateJSON` |
    //! | `list_eips` `eip`, `instanceType`, `instanceId`, `marker` / `name` | 64 / 65 bytes | `InvalidURI` |
    //! | `status` | `available`, `binded` or `paused` | `InvalidURI` |
    //! | the whole query string | [`MAX_QUERY_LEN`] (2048) bytes | `InvalidURI` |
    //! | `clientToken` | 1 to 64 ASCII characters | `InvalidURI` (`ClientTokenLayer`) |
    //! | the `{ip}` in the path | the request head (64 KiB, see below); an address that names no EIP is `EipNotFound` | |
    //! | a body | 2 MiB | `InvalidHTTPRequest` |
    //!
    //! **Serving.** `main` serves [`app`] with [`serve`] (hyper-util): HTTP/1.1 and HTTP/2 (prior
    //! knowledge) on one port, a 10 s header-read timeout (also the HTTP/1 keep-alive idle
    //! timeout), a 30 s idle timeout (no byte either way; it closes idle HTTP/2 connections and
    //! stalled bodies), at most 512 connections at once (more wait in the listen backlog), a
    //! 64 KiB request head, 100 streams per HTTP/2 connection, and a graceful shutdown on Ctrl-C
    //! (30 s for the requests in flight). A request hyper cannot parse never reaches the layer:
    //! hyper answers a bare `400` or `431` with no envelope and no id and closes; the full table is
    //! in `docs/hyper-bare-answers.md`.
    //!
    //! A body announced larger than 2 MiB is refused unread with `InvalidHTTPRequest`; the layer
    //! drains it before answering (up to 16 MiB), so that a client that sends its whole body
    //! before reading (Python's `http.client`, under the BCE SDK) reads the answer, and the
    //! connection stays open. A body announced over 16 MiB is answered at once with
    //! `Connection: close`, and such a client may miss the answer.
    //!
    //! Bodies are read by [`tower_cloud_error::bce`]: `create_eip` with the [`BceJson`]
    //! extractor; `update_eip` reads its body with [`bce::read_body`] whatever the action in the
    //! query, and parses it with [`bce::from_slice`] for `bind_eip` and `resize_eip`. Each request
    //! type states its value rules in its [`Validate`] impl.
    //! Unrecognised JSON items and query parameters are ignored, as BCE requires. Errors about the
    //! query or the body name the problem in the message (a body error names the item, e.g.
    //! ``missing field `billing.paymentTiming` ``), never with the server's internals; every other
    //! message is the catalog's.
    //!
    //! Every mutation honours `clientToken`, through `ClientTokenLayer`: the same token with the same
    //! request answers the first result again (with the new request's id) without doing anything;
    //! errors are not remembered, so a failed request can be retried with its token. Tokens are
    //! kept 24 hours, in memory (bounded: 64 MiB, 100 000 tokens, the oldest evicted first) or,
    //! with `REDIS_URL=redis://HOST:PORT`, in Redis, shared by every process started with the same
    //! URL: a retry that lands on another process gets the first answer. The EIP table itself is
    //! each process's own (see `docs/replicas.md`).
    //!
    //! With `DEMO_FAULTS=1`, a request carrying `x-demo-fault: panic` panics inside the service, and
    //! `x-demo-fault: internal` fails with a storage error whose text holds a database password.
    //! Both answer `InternalError` with the canonical message; the panic payload and the storage
    //! error go to the log with the request id, never to the client. Without `DEMO_FAULTS=1` the
    //! header is ignored.
    //!
    //! `PORT` (default 8080) sets the port; `REDIS_URL` the client-token store (feature `redis`);
    //! `RUST_LOG` the log filter (default `info`).
}
