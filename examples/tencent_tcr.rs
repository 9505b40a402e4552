//! Run with `cargo run --example tencent_tcr --features axum`
//!
//! An in-memory personal container registry in the style of Tencent Container Registry (TCR),
//! API version `2019-09-24`, that the official Tencent Cloud SDKs drive unchanged: point
//! `tencentcloud.tcr.v20190924.tcr_client.TcrClient` at it with
//! `HttpProfile(endpoint="127.0.0.1:8080", protocol="http")`.
//!
//! `CloudErrorLayer::tencent()` wraps the whole router, fallback included, so every failure (a
//! registry error, a malformed request, a panic) reaches the client as the Tencent Cloud API 3.0
//! envelope: HTTP 200, `content-type: application/json`, the `X-TC-RequestId` header and
//! `{"Response":{"Error":{"Code","Message"},"RequestId"}}`, the message in the language of
//! `X-TC-Language` (`zh-CN` by default, or `en-US`).
//!
//! Actions (`POST /` with a JSON object, or `GET /` with query parameters, dispatched on
//! `X-TC-Action`): `CreateNamespacePersonal`, `DescribeNamespacePersonal`,
//! `DeleteNamespacePersonal`, `ValidateNamespaceExistPersonal`, `CreateRepositoryPersonal`,
//! `DescribeRepositoryPersonal`, `DeleteRepositoryPersonal`.
//!
//! Requests are checked in this order, first failure wins:
//!
//! | Check | Code |
//! |---|---|
//! | method other than GET and POST | `UnsupportedProtocol` |
//! | `Authorization` absent or not `TC3-HMAC-SHA256 ...` (signatures are not verified) | `AuthFailure.InvalidAuthorization` |
//! | `X-TC-Timestamp` absent / not Unix seconds | `MissingParameter` / `InvalidParameter` |
//! | `X-TC-Timestamp` more than 5 minutes off server time | `AuthFailure.SignatureExpire` |
//! | `X-TC-Action` absent / not an action above, or a path other than `/` | `MissingParameter` / `InvalidAction` |
//! | `X-TC-Version` absent / not `2019-09-24` | `MissingParameter` / `NoSuchVersion` |
//! | body over 10 MB (POST) or query over 32 KB (GET) | `RequestSizeLimitExceeded` |
//! | POST content type not `application/json`, body not a JSON object | `InvalidParameter` |
//! | a parameter the action does not define | `UnknownParameter` |
//! | a required parameter absent (or `null`) | `MissingParameter` |
//! | a parameter of the wrong type | `InvalidParameter` |
//! | a parameter value out of range or malformed | `InvalidParameterValue` |
//!
//! The parameter errors name the parameter, in both languages; the other messages are the
//! catalog's. Then the registry answers its own codes: `InvalidParameter.ErrNamespaceExist`,
//! `InvalidParameter.ErrNamespaceReserved` (the names in [`RESERVED_NAMESPACES`]),
//! `LimitExceeded.ErrNamespaceMaxLimit` (beyond [`Config::namespace_quota`], 3 by default),
//! `ResourceNotFound.ErrNoNamespace`, `InvalidParameter.ErrRepoExist`,
//! `ResourceNotFound.ErrNoRepo`, and `ResourceInUse` for deleting a namespace that still holds
//! repositories.
//!
//! Names: a namespace is 2 to 30 characters, an image name (the part after `namespace/` in
//! `RepoName`) 1 to 200; both are lower-case letters, digits and the separators `.` `_` `-`,
//! start and end with a letter or digit and never repeat a separator.
//!
//! With `DEMO_FAULTS=1`, a request carrying `x-demo-fault: panic` panics in the handler, and
//! `x-demo-fault: internal` fails with a storage error whose text holds a secret. Both answer
//! `InternalError` with the canonical message; the panic payload and the error go to the log,
//! with the request id, never to the client. Without `DEMO_FAULTS=1` the header is ignored.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::routing::any;
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use tower_cloud_error::catalog::tencent::{common, tcr};
use tower_cloud_error::{CloudError, CloudErrorLayer, CloudRequestId, CloudResult, IntoCloudError};
use tracing_subscriber::EnvFilter;

/// The only API version served.
pub const VERSION: &str = "2019-09-24";

/// Namespace names nobody may create: `ValidateNamespaceExistPersonal` reports them as
/// preserved, `CreateNamespacePersonal` answers `InvalidParameter.ErrNamespaceReserved`.
pub const RESERVED_NAMESPACES: &[&str] = &["library", "public", "qcloud", "tencentcloud"];

/// The largest accepted clock skew of `X-TC-Timestamp`, in seconds.
pub const MAX_CLOCK_SKEW_SECS: u64 = 5 * 60;

/// The largest POST body, as documented for Tencent Cloud API 3.0 JSON requests.
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// The largest GET query string, as documented.
pub const MAX_QUERY_BYTES: usize = 32 * 1024;

/// The fault-injection header, honoured only with [`Config::faults`].
pub const FAULT_HEADER: &str = "x-demo-fault";

/// What the demo registry is configured with.
#[derive(Debug, Clone)]
pub struct Config {
    /// Whether the [`FAULT_HEADER`] is honoured (`DEMO_FAULTS=1`).
    pub faults: bool,
    /// How many namespaces the registry holds at most.
    pub namespace_quota: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            faults: false,
            namespace_quota: 3,
        }
    }
}

/// Codes whose messages name the offending parameter. They render under the same wire names as
/// the catalog's common codes, with a Chinese and an English template, so the client reads the
/// parameter's name in its own language.
pub mod codes {
    use tower_cloud_error::Code;

    /// `MissingParameter`, naming the parameter.
    pub const MISSING_PARAMETER: Code = Code::tencent(
        "MissingParameter",
        "缺少必需参数 `{}`。",
        "The request is missing a required parameter `{}`.",
    );

    /// `UnknownParameter`, naming the parameter.
    pub const UNKNOWN_PARAMETER: Code = Code::tencent(
        "UnknownParameter",
        "参数 `{}` 未定义，该接口不接受此参数。",
        "The parameter `{}` is not defined by this action.",
    );

    /// `InvalidParameter` for a parameter of the wrong type or format, naming it.
    pub const INVALID_PARAMETER: Code = Code::tencent(
        "InvalidParameter",
        "参数 `{}` 的类型或格式错误。",
        "The parameter `{}` has the wrong type or format.",
    );

    /// `InvalidParameter` for a body or query that cannot be parsed at all.
    pub const UNPARSEABLE_PARAMETERS: Code = Code::tencent(
        "InvalidParameter",
        "请求参数无法解析，POST 请求体须为 JSON 对象。",
        "The request parameters cannot be parsed: a POST body must be a JSON object.",
    );

    /// `InvalidParameter` for a POST whose content type is not JSON.
    pub const UNSUPPORTED_CONTENT_TYPE: Code = Code::tencent(
        "InvalidParameter",
        "POST 请求的 Content-Type 须为 application/json。",
        "A POST request must have the content type application/json.",
    );

    /// `InvalidParameterValue`, naming the parameter.
    pub const INVALID_PARAMETER_VALUE: Code = Code::tencent(
        "InvalidParameterValue",
        "参数 `{}` 的取值无效。",
        "The value of the parameter `{}` is invalid.",
    );
}

/// Why a registry request failed.
#[derive(Debug)]
pub enum TcrError {
    /// The request itself is malformed (protocol, authentication, parameters).
    Request(CloudError),
    /// `CreateNamespacePersonal` of a namespace that exists.
    NamespaceExists(String),
    /// `CreateNamespacePersonal` of a [reserved](RESERVED_NAMESPACES) name.
    NamespaceReserved(String),
    /// The namespace quota is reached.
    NamespaceQuota(usize),
    /// The namespace does not exist.
    NoNamespace(String),
    /// `DeleteNamespacePersonal` of a namespace that still holds repositories.
    NamespaceInUse(String),
    /// `CreateRepositoryPersonal` of a repository that exists.
    RepoExists(String),
    /// The repository does not exist.
    NoRepo(String),
    /// The storage backend failed.
    Storage(io::Error),
}

impl fmt::Display for TcrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TcrError::Request(error) => write!(f, "invalid request: {error}"),
            TcrError::NamespaceExists(ns) => write!(f, "namespace {ns:?} already exists"),
            TcrError::NamespaceReserved(ns) => write!(f, "namespace {ns:?} is reserved"),
            TcrError::NamespaceQuota(quota) => {
                write!(f, "namespace quota of {quota} reached")
            }
            TcrError::NoNamespace(ns) => write!(f, "namespace {ns:?} does not exist"),
            TcrError::NamespaceInUse(ns) => write!(f, "namespace {ns:?} still holds repositories"),
            TcrError::RepoExists(repo) => write!(f, "repository {repo:?} already exists"),
            TcrError::NoRepo(repo) => write!(f, "repository {repo:?} does not exist"),
            TcrError::Storage(_) => f.write_str("registry storage failed"),
        }
    }
}

impl std::error::Error for TcrError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TcrError::Storage(error) => Some(error),
            _ => None,
        }
    }
}

impl From<CloudError> for TcrError {
    fn from(error: CloudError) -> Self {
        TcrError::Request(error)
    }
}

impl IntoCloudError for TcrError {
    fn into_cloud_error(self) -> CloudError {
        // The detail (which namespace, which repository) goes to the log line, not the response.
        let detail = self.to_string();
        let code = match self {
            TcrError::Request(error) => return error,
            TcrError::Storage(error) => return CloudError::internal().with_source(error),
            TcrError::NamespaceExists(_) => tcr::INVALID_PARAMETER_ERR_NAMESPACE_EXIST,
            TcrError::NamespaceReserved(_) => tcr::INVALID_PARAMETER_ERR_NAMESPACE_RESERVED,
            TcrError::NamespaceQuota(_) => tcr::LIMIT_EXCEEDED_ERR_NAMESPACE_MAX_LIMIT,
            TcrError::NoNamespace(_) => tcr::RESOURCE_NOT_FOUND_ERR_NO_NAMESPACE,
            TcrError::NamespaceInUse(_) => common::RESOURCE_IN_USE,
            TcrError::RepoExists(_) => tcr::INVALID_PARAMETER_ERR_REPO_EXIST,
            TcrError::NoRepo(_) => tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO,
        };
        CloudError::new(code).with_source(detail)
    }
}

/// The registry's router, wrapped (fallback included) in `CloudErrorLayer::tencent()`.
pub fn app(config: Config) -> Router {
    let state = AppState {
        config: Arc::new(config),
        registry: Arc::default(),
    };
    Router::new()
        .route("/", any(dispatch))
        .fallback(unknown_path)
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CloudErrorLayer::tencent())
}

#[tokio::main]
async fn main() -> io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let port = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse::<u16>().ok())
        .unwrap_or(8080);
    let config = Config {
        faults: std::env::var("DEMO_FAULTS").is_ok_and(|value| value == "1"),
        ..Config::default()
    };
    let faults = config.faults;

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let url = format!("http://{}", listener.local_addr()?);
    println!("TCR personal registry (API {VERSION}) listening on {url} (faults: {faults})");
    println!("Try (answers ResourceNotFound.ErrNoNamespace):");
    println!(
        "  curl -s {url}/ -H 'Content-Type: application/json' -H 'X-TC-Action: DeleteNamespacePersonal' \
         -H 'X-TC-Version: {VERSION}' -H \"X-TC-Timestamp: $(date +%s)\" -H 'X-TC-Language: en-US' \
         -H 'Authorization: TC3-HMAC-SHA256 Credential=demo/2024-01-01/tcr/tc3_request, SignedHeaders=content-type;host, Signature=0' \
         -d '{{\"Namespace\":\"ghost\"}}'"
    );
    axum::serve(listener, app(config)).await
}

#[derive(Clone)]
struct AppState {
    config: Arc<Config>,
    registry: Arc<Mutex<Registry>>,
}

/// `POST /` and `GET /`: checks the request, then runs the action named by `X-TC-Action`.
async fn dispatch(
    State(state): State<AppState>,
    request_id: CloudRequestId,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> CloudResult<Json<Value>, TcrError> {
    let fields = handle(&state, &method, &uri, &headers, body)?;
    Ok(Json(respond(&request_id, fields)))
}

fn handle(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Map<String, Value>, TcrError> {
    let action = check_request(method, headers)?;
    let params = parse_params(action, method, uri, headers, body)?;
    inject_fault(&state.config, headers)?;
    state.run(action, &params)
}

/// Anything but `/`.
async fn unknown_path(uri: Uri) -> CloudError {
    CloudError::new(common::INVALID_ACTION).with_source(format!("no route for path {}", uri.path()))
}

/// `{"Response":{...fields...,"RequestId":"<id>"}}`.
fn respond(request_id: &CloudRequestId, mut fields: Map<String, Value>) -> Value {
    fields.insert("RequestId".into(), request_id.as_str().into());
    json!({ "Response": fields })
}

/// Method, authentication, timestamp, action and version.
fn check_request(method: &Method, headers: &HeaderMap) -> Result<&'static Action, CloudError> {
    if method != Method::POST && method != Method::GET {
        return Err(CloudError::new(common::UNSUPPORTED_PROTOCOL));
    }

    // A real service verifies the TC3-HMAC-SHA256 signature; the demo checks the scheme only.
    let authorization = headers.get(header::AUTHORIZATION).map(|v| v.as_bytes());
    if !authorization.is_some_and(|value| value.starts_with(b"TC3-HMAC-SHA256 ")) {
        return Err(CloudError::new(common::AUTH_FAILURE_INVALID_AUTHORIZATION));
    }

    let timestamp = header_text(headers, "X-TC-Timestamp")?
        .parse::<u64>()
        .map_err(|_| CloudError::new(codes::INVALID_PARAMETER).with_args(["X-TC-Timestamp"]))?;
    if now_secs().abs_diff(timestamp) > MAX_CLOCK_SKEW_SECS {
        return Err(CloudError::new(common::AUTH_FAILURE_SIGNATURE_EXPIRE)
            .with_source(format!("X-TC-Timestamp {timestamp}")));
    }

    let name = header_text(headers, "X-TC-Action")?;
    let action = ACTIONS
        .iter()
        .find(|action| action.name == name)
        .ok_or_else(|| {
            CloudError::new(common::INVALID_ACTION).with_source(format!("action {name:?}"))
        })?;

    let version = header_text(headers, "X-TC-Version")?;
    if version != VERSION {
        return Err(
            CloudError::new(common::NO_SUCH_VERSION).with_source(format!("version {version:?}"))
        );
    }
    Ok(action)
}

/// A header's text; `MissingParameter` naming it when absent, `InvalidParameter` when not
/// visible ASCII.
fn header_text<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a str, CloudError> {
    let value = headers
        .get(name)
        .ok_or_else(|| CloudError::new(codes::MISSING_PARAMETER).with_args([name]))?;
    value
        .to_str()
        .map_err(|_| CloudError::new(codes::INVALID_PARAMETER).with_args([name]))
}

/// The parameters of a GET query or a POST JSON body, checked against the action's definition.
fn parse_params(
    action: &Action,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Params, CloudError> {
    let unparseable = || CloudError::new(codes::UNPARSEABLE_PARAMETERS);
    let (raw, from_query) = if method == Method::GET {
        if uri.query().map_or(0, str::len) > MAX_QUERY_BYTES {
            return Err(CloudError::new(common::REQUEST_SIZE_LIMIT_EXCEEDED));
        }
        let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(uri)
            .map_err(|rejection| unparseable().with_source(rejection.body_text()))?;
        let raw = pairs
            .into_iter()
            .map(|(key, value)| (key, Value::String(value)))
            .collect::<Map<_, _>>();
        (raw, true)
    } else {
        let body = body.map_err(|rejection| {
            let code = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                common::REQUEST_SIZE_LIMIT_EXCEEDED
            } else {
                codes::UNPARSEABLE_PARAMETERS
            };
            CloudError::new(code).with_source(rejection.body_text())
        })?;
        let is_json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(CloudError::new(codes::UNSUPPORTED_CONTENT_TYPE));
        }
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(raw)) => (raw, false),
            Ok(_) => return Err(unparseable()),
            Err(error) => return Err(unparseable().with_source(error)),
        }
    };
    Params::check(action, raw, from_query)
}

/// Honours [`FAULT_HEADER`] when the faults are on.
fn inject_fault(config: &Config, headers: &HeaderMap) -> Result<(), TcrError> {
    if !config.faults {
        return Ok(());
    }
    match headers.get(FAULT_HEADER).map(|value| value.as_bytes()) {
        Some(b"panic") => {
            panic!("registry index corrupted: shard 7 checksum mismatch on redis://:hunter2@10.1.2.3:6379")
        }
        Some(b"internal") => Err(TcrError::Storage(io::Error::other(
            "redis://:hunter2@10.1.2.3:6379 AUTH failed",
        ))),
        _ => Ok(()),
    }
}

/// The type of a parameter.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Str,
    Int,
}

/// One parameter an action defines.
#[derive(Debug)]
struct Param {
    name: &'static str,
    kind: Kind,
    required: bool,
}

const fn required(name: &'static str, kind: Kind) -> Param {
    Param {
        name,
        kind,
        required: true,
    }
}

const fn optional(name: &'static str, kind: Kind) -> Param {
    Param {
        name,
        kind,
        required: false,
    }
}

/// What an action does with the registry: the fields of its `Response`, without `RequestId`.
type Run = fn(&mut Registry, &Params, &Config) -> Result<Map<String, Value>, TcrError>;

/// An action, the parameters it defines (as in the SDK's `models.py`) and what it does.
struct Action {
    name: &'static str,
    params: &'static [Param],
    run: Run,
}

impl fmt::Debug for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Action")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

const ACTIONS: &[Action] = &[
    Action {
        name: "CreateNamespacePersonal",
        params: &[required("Namespace", Kind::Str)],
        run: Registry::create_namespace,
    },
    Action {
        name: "DescribeNamespacePersonal",
        params: &[
            optional("Namespace", Kind::Str),
            optional("Limit", Kind::Int),
            optional("Offset", Kind::Int),
        ],
        run: Registry::describe_namespaces,
    },
    Action {
        name: "DeleteNamespacePersonal",
        params: &[required("Namespace", Kind::Str)],
        run: Registry::delete_namespace,
    },
    Action {
        name: "ValidateNamespaceExistPersonal",
        params: &[required("Namespace", Kind::Str)],
        run: Registry::validate_namespace,
    },
    Action {
        name: "CreateRepositoryPersonal",
        params: &[
            required("RepoName", Kind::Str),
            optional("Public", Kind::Int),
            optional("Description", Kind::Str),
        ],
        run: Registry::create_repository,
    },
    Action {
        name: "DescribeRepositoryPersonal",
        params: &[required("RepoName", Kind::Str)],
        run: Registry::describe_repository,
    },
    Action {
        name: "DeleteRepositoryPersonal",
        params: &[required("RepoName", Kind::Str)],
        run: Registry::delete_repository,
    },
];

/// Checked parameters: every value has its declared type.
#[derive(Debug)]
struct Params(BTreeMap<&'static str, Value>);

impl Params {
    /// Unknown parameters first, then missing ones, then types. Query values are text and are
    /// converted; JSON values must already have the right type.
    fn check(
        action: &Action,
        raw: Map<String, Value>,
        from_query: bool,
    ) -> Result<Self, CloudError> {
        if let Some(unknown) = raw
            .keys()
            .find(|key| !action.params.iter().any(|param| param.name == *key))
        {
            return Err(CloudError::new(codes::UNKNOWN_PARAMETER).with_args([unknown.clone()]));
        }
        let mut checked = BTreeMap::new();
        for param in action.params {
            let value = match raw.get(param.name) {
                None | Some(Value::Null) if param.required => {
                    return Err(CloudError::new(codes::MISSING_PARAMETER).with_args([param.name]));
                }
                None | Some(Value::Null) => continue,
                Some(value) => value,
            };
            let value = match (param.kind, value) {
                (Kind::Str, Value::String(_)) => Some(value.clone()),
                (Kind::Int, Value::Number(n)) if n.is_i64() => Some(value.clone()),
                (Kind::Int, Value::String(text)) if from_query => {
                    text.parse::<i64>().ok().map(Value::from)
                }
                _ => None,
            };
            let value = value
                .ok_or_else(|| CloudError::new(codes::INVALID_PARAMETER).with_args([param.name]))?;
            checked.insert(param.name, value);
        }
        Ok(Params(checked))
    }

    /// A string parameter (the type was checked).
    fn str(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }

    /// An integer parameter (the type was checked).
    fn int(&self, name: &str) -> Option<i64> {
        self.0.get(name).and_then(Value::as_i64)
    }

    /// A required string parameter (its presence was checked).
    fn required_str(&self, name: &str) -> &str {
        self.str(name).unwrap_or_default()
    }
}

fn invalid_value(name: &'static str) -> CloudError {
    CloudError::new(codes::INVALID_PARAMETER_VALUE).with_args([name])
}

#[derive(Debug, Default)]
struct Registry {
    namespaces: BTreeMap<String, Namespace>,
}

#[derive(Debug)]
struct Namespace {
    created: String,
    repositories: BTreeMap<String, Repository>,
}

#[derive(Debug)]
struct Repository {
    public: bool,
    description: String,
    created: String,
}

impl AppState {
    fn run(&self, action: &Action, params: &Params) -> Result<Map<String, Value>, TcrError> {
        // A panic elsewhere must not take the registry down with it.
        let mut registry = self.registry.lock().unwrap_or_else(PoisonError::into_inner);
        (action.run)(&mut registry, params, &self.config)
    }
}

/// `{"Data": data}`.
fn data(data: Value) -> Map<String, Value> {
    Map::from_iter([("Data".to_owned(), data)])
}

impl Registry {
    fn namespace(&self, name: &str) -> Result<&Namespace, TcrError> {
        self.namespaces
            .get(name)
            .ok_or_else(|| TcrError::NoNamespace(name.to_owned()))
    }

    fn namespace_mut(&mut self, name: &str) -> Result<&mut Namespace, TcrError> {
        self.namespaces
            .get_mut(name)
            .ok_or_else(|| TcrError::NoNamespace(name.to_owned()))
    }

    /// Checks, in order: the name's format, reserved names, existence, the quota.
    fn create_namespace(
        &mut self,
        params: &Params,
        config: &Config,
    ) -> Result<Map<String, Value>, TcrError> {
        let name = params.required_str("Namespace");
        if !is_valid_name(name, 2, 30) {
            return Err(invalid_value("Namespace").into());
        }
        if RESERVED_NAMESPACES.contains(&name) {
            return Err(TcrError::NamespaceReserved(name.to_owned()));
        }
        if self.namespaces.contains_key(name) {
            return Err(TcrError::NamespaceExists(name.to_owned()));
        }
        if self.namespaces.len() >= config.namespace_quota {
            return Err(TcrError::NamespaceQuota(config.namespace_quota));
        }
        self.namespaces.insert(
            name.to_owned(),
            Namespace {
                created: creation_time(),
                repositories: BTreeMap::new(),
            },
        );
        tracing::info!(namespace = name, "namespace created");
        Ok(Map::new())
    }

    /// `Namespace` filters by substring (the SDK documents a fuzzy match); `Limit` is 1 to 100
    /// (default 20), `Offset` at least 0. `NamespaceCount` counts every match, not the page.
    fn describe_namespaces(
        &mut self,
        params: &Params,
        _: &Config,
    ) -> Result<Map<String, Value>, TcrError> {
        let filter = params.str("Namespace").unwrap_or_default();
        let limit = params.int("Limit").unwrap_or(20);
        if !(1..=100).contains(&limit) {
            return Err(invalid_value("Limit").into());
        }
        let offset = params.int("Offset").unwrap_or(0);
        if offset < 0 {
            return Err(invalid_value("Offset").into());
        }
        let matching: Vec<_> = self
            .namespaces
            .iter()
            .filter(|(name, _)| name.contains(filter))
            .collect();
        let page: Vec<Value> = matching
            .iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .map(|(name, namespace)| {
                json!({
                    "Namespace": name,
                    "CreationTime": namespace.created,
                    "RepoCount": namespace.repositories.len(),
                })
            })
            .collect();
        Ok(data(
            json!({ "NamespaceCount": matching.len(), "NamespaceInfo": page }),
        ))
    }

    /// A namespace that still holds repositories is not deleted (`ResourceInUse`).
    fn delete_namespace(
        &mut self,
        params: &Params,
        _: &Config,
    ) -> Result<Map<String, Value>, TcrError> {
        let name = params.required_str("Namespace");
        if !self.namespace(name)?.repositories.is_empty() {
            return Err(TcrError::NamespaceInUse(name.to_owned()));
        }
        self.namespaces.remove(name);
        tracing::info!(namespace = name, "namespace deleted");
        Ok(Map::new())
    }

    /// `IsExist`: the namespace exists here; `IsPreserved`: the name is reserved.
    fn validate_namespace(
        &mut self,
        params: &Params,
        _: &Config,
    ) -> Result<Map<String, Value>, TcrError> {
        let name = params.required_str("Namespace");
        Ok(data(json!({
            "IsExist": self.namespaces.contains_key(name),
            "IsPreserved": RESERVED_NAMESPACES.contains(&name),
        })))
    }

    /// `Public` is 0 (private, the default) or 1; `Description` at most 1000 characters.
    fn create_repository(
        &mut self,
        params: &Params,
        _: &Config,
    ) -> Result<Map<String, Value>, TcrError> {
        let repo_name = params.required_str("RepoName");
        let (namespace, image) = split_repo_name(repo_name, true)?;
        let public = match params.int("Public").unwrap_or(0) {
            0 => false,
            1 => true,
            _ => return Err(invalid_value("Public").into()),
        };
        let description = params.str("Description").unwrap_or_default();
        if description.chars().count() > 1000 {
            return Err(invalid_value("Description").into());
        }
        let namespace = self.namespace_mut(namespace)?;
        if namespace.repositories.contains_key(image) {
            return Err(TcrError::RepoExists(repo_name.to_owned()));
        }
        namespace.repositories.insert(
            image.to_owned(),
            Repository {
                public,
                description: description.to_owned(),
                created: creation_time(),
            },
        );
        tracing::info!(repo_name, public, "repository created");
        Ok(Map::new())
    }

    fn describe_repository(
        &mut self,
        params: &Params,
        _: &Config,
    ) -> Result<Map<String, Value>, TcrError> {
        let repo_name = params.required_str("RepoName");
        let (namespace, image) = split_repo_name(repo_name, false)?;
        let repository = self
            .namespace(namespace)?
            .repositories
            .get(image)
            .ok_or_else(|| TcrError::NoRepo(repo_name.to_owned()))?;
        Ok(data(json!({
            "RepoName": repo_name,
            "RepoType": "personal",
            "Server": "ccr.ccs.tencentyun.com",
            "CreationTime": repository.created,
            "Description": repository.description,
            "Public": i64::from(repository.public),
            "PullCount": 0,
            "FavorCount": 0,
            "IsUserFavor": false,
            "IsQcloudOfficial": false,
        })))
    }

    fn delete_repository(
        &mut self,
        params: &Params,
        _: &Config,
    ) -> Result<Map<String, Value>, TcrError> {
        let repo_name = params.required_str("RepoName");
        let (namespace, image) = split_repo_name(repo_name, false)?;
        if self
            .namespace_mut(namespace)?
            .repositories
            .remove(image)
            .is_none()
        {
            return Err(TcrError::NoRepo(repo_name.to_owned()));
        }
        tracing::info!(repo_name, "repository deleted");
        Ok(Map::new())
    }
}

/// `namespace/image`. With `strict`, both parts must be valid names (for creation); otherwise
/// only the shape is checked, and a malformed name is simply not found.
fn split_repo_name(repo_name: &str, strict: bool) -> Result<(&str, &str), CloudError> {
    match repo_name.split_once('/') {
        Some((namespace, image))
            if !image.contains('/')
                && (!strict
                    || (is_valid_name(namespace, 2, 30) && is_valid_name(image, 1, 200))) =>
        {
            Ok((namespace, image))
        }
        _ => Err(invalid_value("RepoName")),
    }
}

/// `min..=max` characters of `[a-z0-9._-]`, starting and ending with a letter or digit, without
/// two separators in a row.
fn is_valid_name(name: &str, min: usize, max: usize) -> bool {
    let bytes = name.as_bytes();
    let is_alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let is_separator = |b: &u8| matches!(b, b'.' | b'_' | b'-');
    (min..=max).contains(&bytes.len())
        && bytes.first().is_some_and(is_alnum)
        && bytes.last().is_some_and(is_alnum)
        && bytes.iter().all(|b| is_alnum(b) || is_separator(b))
        && !bytes
            .windows(2)
            .any(|pair| is_separator(&pair[0]) && is_separator(&pair[1]))
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// Now, as TCR writes times: `YYYY-MM-DD HH:MM:SS`, China Standard Time (UTC+8).
fn creation_time() -> String {
    let secs = now_secs() + 8 * 3600;
    let (year, month, day) = civil_from_days(secs / 86_400);
    let time = secs % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        time / 3600,
        time % 3600 / 60,
        time % 60
    )
}

/// The Gregorian date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}
