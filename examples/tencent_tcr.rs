//! Run with `cargo run --example tencent_tcr --features axum`
//!
//! A personal container registry in the style of Tencent Cloud API 3.0 (TCR, version
//! `2019-09-24`), that the official `TcrClient` drives unchanged.
//!
//! The whole integration is on this screen: [`app`] wraps the router in `CloudErrorLayer` with
//! Tencent's style and request checks, and every failure then reaches the client as the
//! documented HTTP 200 envelope with the request id, in the caller's language. The domain
//! (errors, actions, the in-memory registry) is below; [`app`]'s docs list every action and
//! every failure with its code.
//!
//! With `DEMO_CREDENTIALS=SecretId:SecretKey[,...]` every request must be signed with
//! `TC3-HMAC-SHA256` by one of those keys (`tencent::SignatureLayer`, inside the layer); without
//! it, only the `Authorization` scheme is checked.

use std::collections::BTreeMap;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, Method, Uri};
use axum::routing::any;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use tower::Layer;
use tower_cloud_error::tencent::{self, common, tcr, Checks as TencentChecks, Tencent};
use tower_cloud_error::{CloudError, CloudErrorLayer, CloudRequestId, IntoCloudError, Validate};
use tracing_subscriber::EnvFilter;

/// The registry's router, wrapped in the layer with Tencent's request checks for [`VERSION`].
///
/// There is no fallback of the example's own: axum's bare 404 for a path other than `/` is
/// rewritten by the layer as `InvalidAction`.
///
/// The reference (every operation, every failure and its code) is in [`reference`].
pub fn app(config: Config) -> Router {
    let credentials = config.credentials.clone();
    let state = AppState {
        config: Arc::new(config),
        registry: Arc::default(),
    };
    let router = Router::new().route("/", any(dispatch)).with_state(state);
    let layer = CloudErrorLayer::new(Tencent::new().checks(TencentChecks::new(&[VERSION])));
    match credentials {
        None => router.layer(layer),
        // The signature check inside the error layer, which renders its rejections.
        Some(store) => Router::new().fallback_service(
            layer.layer(
                tencent::SignatureLayer::new(store)
                    .body_limit(MAX_BODY_BYTES)
                    .layer(router),
            ),
        ),
    }
}

/// Serving with hyper-util: HTTP/1.1 and HTTP/2 on one port, timeouts, a connection bound and
/// a graceful shutdown (the limits are listed in the module's docs).
#[path = "support/serve.rs"]
pub mod serve;

#[tokio::main]
pub async fn main() -> io::Result<()> {
    // A caught panic is one log line with the request id, not a backtrace on stderr too.
    tower_cloud_error::panic_hook::install();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        // Colours only on a terminal: escape codes in a log file are noise (and bytes).
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let port = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse::<u16>().ok())
        .unwrap_or(8080);
    let config = Config {
        faults: std::env::var("DEMO_FAULTS").is_ok_and(|value| value == "1"),
        credentials: demo_credentials(),
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
    if let Some(store) = &config.credentials {
        let keys: Vec<&str> = store.access_key_ids().collect();
        println!(
            "requests must be signed (TC3-HMAC-SHA256) with SecretId {} and its SecretKey from \
             DEMO_CREDENTIALS; e.g. TcrClient(Credential(SECRET_ID, SECRET_KEY), region, \
             ClientProfile(httpProfile=HttpProfile(endpoint='{}', protocol='http')))",
            keys.join(" or "),
            url.trim_start_matches("http://")
        );
    }
    println!("HTTP/1.1 and HTTP/2 (prior knowledge); Ctrl-C stops it gracefully");
    serve::serve(
        listener,
        app(config),
        serve::Limits::default(),
        serve::ctrl_c(),
    )
    .await
}

/// The keys of `DEMO_CREDENTIALS` (`SecretId:SecretKey[,...]`), if set.
///
/// # Panics
///
/// If `DEMO_CREDENTIALS` is set but malformed: the demo must not start unprotected by mistake.
fn demo_credentials() -> Option<tencent::InMemoryCredentials> {
    let text = std::env::var("DEMO_CREDENTIALS").ok()?;
    Some(
        tencent::InMemoryCredentials::parse_pairs(&text)
            .unwrap_or_else(|e| panic!("DEMO_CREDENTIALS: {e}")),
    )
}

// ---------------------------------------------------------------------------------------------
// Configuration and errors
// ---------------------------------------------------------------------------------------------

/// The only API version served.
pub const VERSION: &str = "2019-09-24";

/// Namespace names nobody may create: `ValidateNamespaceExistPersonal` reports them as
/// preserved, `CreateNamespacePersonal` answers `InvalidParameter.ErrNamespaceReserved`.
pub const RESERVED_NAMESPACES: &[&str] = &["library", "public", "qcloud", "tencentcloud"];

/// The largest POST body, as documented for Tencent Cloud API 3.0 JSON requests.
pub const MAX_BODY_BYTES: usize = tencent::DEFAULT_LIMIT;

/// The largest GET query string, as documented.
pub const MAX_QUERY_BYTES: usize = 32 * 1024;

/// The longest namespace name, in characters (as in `Namespace`).
pub const MAX_NAMESPACE_LEN: usize = 30;

/// The longest image name, in characters (the part of `RepoName` after `namespace/`).
pub const MAX_IMAGE_LEN: usize = 200;

/// The longest `Description` of a repository, in characters.
pub const MAX_DESCRIPTION_LEN: usize = 1000;

/// The fault-injection header, honoured only with [`Config::faults`].
pub const FAULT_HEADER: &str = "x-demo-fault";

/// What the demo registry is configured with.
#[derive(Debug, Clone)]
pub struct Config {
    /// Whether the [`FAULT_HEADER`] is honoured (`DEMO_FAULTS=1`).
    pub faults: bool,
    /// How many namespaces the registry holds at most.
    pub namespace_quota: usize,
    /// How many repositories one namespace holds at most.
    pub repository_quota: usize,
    /// Verify `TC3-HMAC-SHA256` signatures against these keys (`DEMO_CREDENTIALS`); `None`:
    /// only the `Authorization` scheme is checked.
    pub credentials: Option<tencent::InMemoryCredentials>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            faults: false,
            namespace_quota: 3,
            repository_quota: 100,
            credentials: None,
        }
    }
}

/// Why a registry request failed. thiserror writes the `Display` (which goes to the log line,
/// with the request id, never to the client); `IntoCloudError` picks each variant's code and
/// makes the type a handler error.
#[derive(Debug, thiserror::Error, IntoCloudError)]
pub enum TcrError {
    /// The request itself is malformed (protocol, authentication, parameters).
    #[error("invalid request: {0}")]
    #[cloud(transparent)]
    Request(#[from] CloudError),
    /// `CreateNamespacePersonal` of a namespace that exists.
    #[error("namespace {0:?} already exists")]
    #[cloud(code = tcr::INVALID_PARAMETER_ERR_NAMESPACE_EXIST)]
    NamespaceExists(String),
    /// `CreateNamespacePersonal` of a [reserved](RESERVED_NAMESPACES) name.
    #[error("namespace {0:?} is reserved")]
    #[cloud(code = tcr::INVALID_PARAMETER_ERR_NAMESPACE_RESERVED)]
    NamespaceReserved(String),
    /// The namespace quota is reached.
    #[error("namespace quota of {0} reached")]
    #[cloud(code = tcr::LIMIT_EXCEEDED_ERR_NAMESPACE_MAX_LIMIT)]
    NamespaceQuota(usize),
    /// The namespace does not exist.
    #[error("namespace {0:?} does not exist")]
    #[cloud(code = tcr::RESOURCE_NOT_FOUND_ERR_NO_NAMESPACE)]
    NoNamespace(String),
    /// `DeleteNamespacePersonal` of a namespace that still holds repositories.
    #[error("namespace {0:?} still holds repositories")]
    #[cloud(code = common::RESOURCE_IN_USE)]
    NamespaceInUse(String),
    /// `CreateRepositoryPersonal` of a repository that exists.
    #[error("repository {0:?} already exists")]
    #[cloud(code = tcr::INVALID_PARAMETER_ERR_REPO_EXIST)]
    RepoExists(String),
    /// The namespace holds its quota of repositories.
    #[error("repository quota of {0} reached in the namespace")]
    #[cloud(code = common::LIMIT_EXCEEDED)]
    RepositoryQuota(usize),
    /// The repository does not exist.
    #[error("repository {0:?} does not exist")]
    #[cloud(code = tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO)]
    NoRepo(String),
    /// The storage backend failed: InternalError; the io error is only logged.
    #[error("registry storage failed")]
    #[cloud(internal)]
    Storage(#[source] io::Error),
}

#[derive(Clone)]
struct AppState {
    config: Arc<Config>,
    registry: Arc<Mutex<Registry>>,
}

/// `POST /` and `GET /` (the layer refuses other methods): checks the `Authorization` scheme,
/// then runs the action named by `X-TC-Action`.
async fn dispatch(
    State(state): State<AppState>,
    request_id: CloudRequestId,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, TcrError> {
    // The body is read first, whatever the request: hyper closes a keep-alive connection whose
    // request body was left unread, and the SDK would find it closed on its next call. A body
    // over the limit or one that fails is answered in its turn, after the `Authorization` and
    // action checks.
    let body = tencent::read_body(body, MAX_BODY_BYTES).await;
    let fields = handle(&state, &method, &uri, &headers, body)?;
    Ok(Json(respond(&request_id, fields)))
}

fn handle(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Result<Bytes, CloudError>,
) -> Result<Map<String, Value>, TcrError> {
    let action = check_request(headers)?;
    let input = Input::new(method, uri, headers, body)?;
    match action {
        CreateNamespacePersonal::NAME => state.run::<CreateNamespacePersonal>(input, headers),
        DescribeNamespacePersonal::NAME => state.run::<DescribeNamespacePersonal>(input, headers),
        DeleteNamespacePersonal::NAME => state.run::<DeleteNamespacePersonal>(input, headers),
        ValidateNamespaceExistPersonal::NAME => {
            state.run::<ValidateNamespaceExistPersonal>(input, headers)
        }
        CreateRepositoryPersonal::NAME => state.run::<CreateRepositoryPersonal>(input, headers),
        DescribeRepositoryPersonal::NAME => state.run::<DescribeRepositoryPersonal>(input, headers),
        DeleteRepositoryPersonal::NAME => state.run::<DeleteRepositoryPersonal>(input, headers),
        // `check_request` accepts only the names above.
        _ => Err(CloudError::new(common::INVALID_ACTION).into()),
    }
}

/// `{"Response":{...fields...,"RequestId":"<id>"}}`.
fn respond(request_id: &CloudRequestId, mut fields: Map<String, Value>) -> Value {
    fields.insert("RequestId".into(), request_id.as_str().into());
    json!({ "Response": fields })
}

/// Authentication and the action's name. The layer's [`TencentChecks`] ran before: the method
/// is GET or POST, `X-TC-Timestamp` is fresh, `X-TC-Action` is present and `X-TC-Version` is
/// [`VERSION`].
fn check_request(headers: &HeaderMap) -> Result<&'static str, CloudError> {
    // A real service verifies the TC3-HMAC-SHA256 signature; the demo checks the scheme only.
    let authorization = headers.get(header::AUTHORIZATION).map(|v| v.as_bytes());
    if !authorization.is_some_and(|value| value.starts_with(b"TC3-HMAC-SHA256 ")) {
        return Err(CloudError::new(common::AUTH_FAILURE_INVALID_AUTHORIZATION));
    }

    let name = headers
        .get("X-TC-Action")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    ACTIONS
        .iter()
        .copied()
        .find(|action| *action == name)
        .ok_or_else(|| {
            CloudError::new(common::INVALID_ACTION).with_source(format!("action {name:?}"))
        })
}

/// Where an action's parameters are.
enum Input {
    /// A GET query, as a JSON object of text values.
    Query(Map<String, Value>),
    /// A POST body of `application/json`.
    Body(Bytes),
}

impl Input {
    /// The query of a GET (at most [`MAX_QUERY_BYTES`]), or the body of a POST: its content
    /// type, then its size.
    fn new(
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: Result<Bytes, CloudError>,
    ) -> Result<Self, CloudError> {
        if method != Method::GET {
            tencent::check_content_type(headers)?;
            return Ok(Input::Body(body?));
        }
        if uri.query().map_or(0, str::len) > MAX_QUERY_BYTES {
            return Err(CloudError::new(common::REQUEST_SIZE_LIMIT_EXCEEDED));
        }
        let Query(pairs) =
            Query::<Vec<(String, String)>>::try_from_uri(uri).map_err(|rejection| {
                CloudError::new(common::INVALID_PARAMETER).with_source(rejection.body_text())
            })?;
        Ok(Input::Query(
            pairs
                .into_iter()
                .map(|(name, value)| (name, Value::String(value)))
                .collect(),
        ))
    }

    /// The action's request: every parameter defined, present, of its type, and valid.
    fn parse<A: Action>(self) -> Result<A, CloudError> {
        match self {
            Input::Query(mut params) => {
                // Query values are text: the integer parameters are converted (text that is
                // not an integer stays text, and is reported as the wrong type).
                for name in A::INTEGERS {
                    let integer = match params.get(*name) {
                        Some(Value::String(text)) => text.parse::<i64>().ok(),
                        _ => None,
                    };
                    if let Some(integer) = integer {
                        params.insert((*name).to_owned(), integer.into());
                    }
                }
                tencent::from_value(&Value::Object(params))
            }
            Input::Body(body) => tencent::from_slice(&body),
        }
    }
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

/// An action: its request parameters (as the SDK's `models.py` defines them), their value rules
/// ([`Validate`]) and what it does with the registry.
trait Action: DeserializeOwned + Validate {
    /// The `X-TC-Action` value.
    const NAME: &'static str;

    /// The integer parameters, converted from text when they arrive in a GET query.
    const INTEGERS: &'static [&'static str] = &[];

    /// Runs the action: the fields of its `Response`, without `RequestId`.
    fn run(self, registry: &mut Registry, config: &Config) -> Result<Map<String, Value>, TcrError>;
}

const ACTIONS: &[&str] = &[
    CreateNamespacePersonal::NAME,
    DescribeNamespacePersonal::NAME,
    DeleteNamespacePersonal::NAME,
    ValidateNamespaceExistPersonal::NAME,
    CreateRepositoryPersonal::NAME,
    DescribeRepositoryPersonal::NAME,
    DeleteRepositoryPersonal::NAME,
];

/// `CreateNamespacePersonal`: a namespace name of 2 to 30 characters (see [`is_valid_name`]).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateNamespacePersonal {
    namespace: String,
}

impl Validate for CreateNamespacePersonal {
    fn validate(&self) -> Result<(), CloudError> {
        if is_valid_name(&self.namespace, 2, MAX_NAMESPACE_LEN) {
            Ok(())
        } else {
            Err(tencent::invalid_parameter_value("Namespace"))
        }
    }
}

impl Action for CreateNamespacePersonal {
    const NAME: &'static str = "CreateNamespacePersonal";

    fn run(self, registry: &mut Registry, config: &Config) -> Result<Map<String, Value>, TcrError> {
        registry.create_namespace(&self.namespace, config)
    }
}

/// `DescribeNamespacePersonal`: `Namespace` filters by substring (the SDK documents a fuzzy
/// match); `Limit` is 1 to 100 (default 20), `Offset` at least 0.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeNamespacePersonal {
    namespace: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

impl Validate for DescribeNamespacePersonal {
    fn validate(&self) -> Result<(), CloudError> {
        check_namespace_len(self.namespace.as_deref().unwrap_or_default())?;
        if self.limit.is_some_and(|limit| !(1..=100).contains(&limit)) {
            return Err(tencent::invalid_parameter_value("Limit"));
        }
        if self.offset.is_some_and(|offset| offset < 0) {
            return Err(tencent::invalid_parameter_value("Offset"));
        }
        Ok(())
    }
}

impl Action for DescribeNamespacePersonal {
    const NAME: &'static str = "DescribeNamespacePersonal";
    const INTEGERS: &'static [&'static str] = &["Limit", "Offset"];

    fn run(self, registry: &mut Registry, _: &Config) -> Result<Map<String, Value>, TcrError> {
        Ok(registry.describe_namespaces(
            self.namespace.as_deref().unwrap_or_default(),
            self.limit.unwrap_or(20),
            self.offset.unwrap_or(0),
        ))
    }
}

/// `DeleteNamespacePersonal`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteNamespacePersonal {
    namespace: String,
}

/// Any name of at most [`MAX_NAMESPACE_LEN`] characters: one that cannot exist is not found.
impl Validate for DeleteNamespacePersonal {
    fn validate(&self) -> Result<(), CloudError> {
        check_namespace_len(&self.namespace)
    }
}

/// At most [`MAX_NAMESPACE_LEN`] characters, else `InvalidParameterValue` naming `Namespace`.
fn check_namespace_len(namespace: &str) -> Result<(), CloudError> {
    if namespace.chars().count() > MAX_NAMESPACE_LEN {
        return Err(tencent::invalid_parameter_value("Namespace"));
    }
    Ok(())
}

impl Action for DeleteNamespacePersonal {
    const NAME: &'static str = "DeleteNamespacePersonal";

    fn run(self, registry: &mut Registry, _: &Config) -> Result<Map<String, Value>, TcrError> {
        registry.delete_namespace(&self.namespace)
    }
}

/// `ValidateNamespaceExistPersonal`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ValidateNamespaceExistPersonal {
    namespace: String,
}

/// Any name of at most [`MAX_NAMESPACE_LEN`] characters.
impl Validate for ValidateNamespaceExistPersonal {
    fn validate(&self) -> Result<(), CloudError> {
        check_namespace_len(&self.namespace)
    }
}

impl Action for ValidateNamespaceExistPersonal {
    const NAME: &'static str = "ValidateNamespaceExistPersonal";

    fn run(self, registry: &mut Registry, _: &Config) -> Result<Map<String, Value>, TcrError> {
        Ok(registry.validate_namespace(&self.namespace))
    }
}

/// `CreateRepositoryPersonal`: `RepoName` is `namespace/image` with both parts valid names;
/// `Public` is 0 (private, the default) or 1; `Description` at most 1000 characters.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateRepositoryPersonal {
    repo_name: String,
    public: Option<i64>,
    description: Option<String>,
}

impl Validate for CreateRepositoryPersonal {
    fn validate(&self) -> Result<(), CloudError> {
        split_repo_name(&self.repo_name, true)?;
        if !matches!(self.public, None | Some(0 | 1)) {
            return Err(tencent::invalid_parameter_value("Public"));
        }
        if self
            .description
            .as_ref()
            .is_some_and(|description| description.chars().count() > MAX_DESCRIPTION_LEN)
        {
            return Err(tencent::invalid_parameter_value("Description"));
        }
        Ok(())
    }
}

impl Action for CreateRepositoryPersonal {
    const NAME: &'static str = "CreateRepositoryPersonal";
    const INTEGERS: &'static [&'static str] = &["Public"];

    fn run(self, registry: &mut Registry, config: &Config) -> Result<Map<String, Value>, TcrError> {
        registry.create_repository(
            config,
            &self.repo_name,
            self.public == Some(1),
            self.description.unwrap_or_default(),
        )
    }
}

/// `DescribeRepositoryPersonal`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeRepositoryPersonal {
    repo_name: String,
}

/// `namespace/image` in shape; a name that cannot exist is not found.
impl Validate for DescribeRepositoryPersonal {
    fn validate(&self) -> Result<(), CloudError> {
        split_repo_name(&self.repo_name, false).map(drop)
    }
}

impl Action for DescribeRepositoryPersonal {
    const NAME: &'static str = "DescribeRepositoryPersonal";

    fn run(self, registry: &mut Registry, _: &Config) -> Result<Map<String, Value>, TcrError> {
        registry.describe_repository(&self.repo_name)
    }
}

/// `DeleteRepositoryPersonal`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteRepositoryPersonal {
    repo_name: String,
}

/// `namespace/image` in shape; a name that cannot exist is not found.
impl Validate for DeleteRepositoryPersonal {
    fn validate(&self) -> Result<(), CloudError> {
        split_repo_name(&self.repo_name, false).map(drop)
    }
}

impl Action for DeleteRepositoryPersonal {
    const NAME: &'static str = "DeleteRepositoryPersonal";

    fn run(self, registry: &mut Registry, _: &Config) -> Result<Map<String, Value>, TcrError> {
        registry.delete_repository(&self.repo_name)
    }
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
    /// Parses the action's parameters, then (after fault injection) runs it.
    fn run<A: Action>(
        &self,
        input: Input,
        headers: &HeaderMap,
    ) -> Result<Map<String, Value>, TcrError> {
        let request: A = input.parse()?;
        inject_fault(&self.config, headers)?;
        // A panic elsewhere must not take the registry down with it.
        let mut registry = self.registry.lock().unwrap_or_else(PoisonError::into_inner);
        request.run(&mut registry, &self.config)
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

    /// Checks, in order (the name's format was validated): reserved names, existence, the
    /// quota.
    fn create_namespace(
        &mut self,
        name: &str,
        config: &Config,
    ) -> Result<Map<String, Value>, TcrError> {
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

    /// `NamespaceCount` counts every match, not the page.
    fn describe_namespaces(&self, filter: &str, limit: i64, offset: i64) -> Map<String, Value> {
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
        data(json!({ "NamespaceCount": matching.len(), "NamespaceInfo": page }))
    }

    /// A namespace that still holds repositories is not deleted (`ResourceInUse`).
    fn delete_namespace(&mut self, name: &str) -> Result<Map<String, Value>, TcrError> {
        if !self.namespace(name)?.repositories.is_empty() {
            return Err(TcrError::NamespaceInUse(name.to_owned()));
        }
        self.namespaces.remove(name);
        tracing::info!(namespace = name, "namespace deleted");
        Ok(Map::new())
    }

    /// `IsExist`: the namespace exists here; `IsPreserved`: the name is reserved.
    fn validate_namespace(&self, name: &str) -> Map<String, Value> {
        data(json!({
            "IsExist": self.namespaces.contains_key(name),
            "IsPreserved": RESERVED_NAMESPACES.contains(&name),
        }))
    }

    /// The name, `Public` and `Description` were validated. Checks, in order: the namespace,
    /// existence, the namespace's repository quota.
    fn create_repository(
        &mut self,
        config: &Config,
        repo_name: &str,
        public: bool,
        description: String,
    ) -> Result<Map<String, Value>, TcrError> {
        let (namespace, image) = split_repo_name(repo_name, true)?;
        let namespace = self.namespace_mut(namespace)?;
        if namespace.repositories.contains_key(image) {
            return Err(TcrError::RepoExists(repo_name.to_owned()));
        }
        if namespace.repositories.len() >= config.repository_quota {
            return Err(TcrError::RepositoryQuota(config.repository_quota));
        }
        namespace.repositories.insert(
            image.to_owned(),
            Repository {
                public,
                description,
                created: creation_time(),
            },
        );
        tracing::info!(repo_name, public, "repository created");
        Ok(Map::new())
    }

    fn describe_repository(&self, repo_name: &str) -> Result<Map<String, Value>, TcrError> {
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

    fn delete_repository(&mut self, repo_name: &str) -> Result<Map<String, Value>, TcrError> {
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
/// only the shape and the lengths are checked, and a malformed name is simply not found.
fn split_repo_name(repo_name: &str, strict: bool) -> Result<(&str, &str), CloudError> {
    match repo_name.split_once('/') {
        Some((namespace, image))
            if !image.contains('/')
                && namespace.chars().count() <= MAX_NAMESPACE_LEN
                && image.chars().count() <= MAX_IMAGE_LEN
                && (!strict
                    || (is_valid_name(namespace, 2, MAX_NAMESPACE_LEN)
                        && is_valid_name(image, 1, MAX_IMAGE_LEN))) =>
        {
            Ok((namespace, image))
        }
        _ => Err(tencent::invalid_parameter_value("RepoName")),
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

// ---------------------------------------------------------------------------------------------
// Reference
// ---------------------------------------------------------------------------------------------

pub mod reference {
    //! Every operation of the example and every failure, with the code it answers.
    //!
    //! An in-memory personal container registry in the style of Tencent Container Registry (TCR),
    //! API version `2019-09-24`, that the official Tencent Cloud SDKs drive unchanged: point
    //! `tencentcloud.tcr.v20190924.tcr_client.TcrClient` at it with
    //! `HttpProfile(endpoint="127.0.0.1:8080", protocol="http")`.
    //!
    //! `CloudErrorLayer::new(Tencent::new().checks(TencentChecks::new(&[VERSION])))` wraps the whole
    //! router, so every failure (a registry error, a malformed request, a panic, axum's own 404)
    //! reaches the client as the Tencent Cloud API 3.0 envelope: HTTP 200, `content-type:
    //! application/json`, the `X-TC-RequestId` header and
    //! `{"Response":{"Error":{"Code","Message"},"RequestId"}}`, the message in the language of
    //! `X-TC-Language` (`zh-CN` by default, or `en-US`).
    //!
    //! Actions (`POST /` with a JSON object, or `GET /` with query parameters, dispatched on
    //! `X-TC-Action`): `CreateNamespacePersonal`, `DescribeNamespacePersonal`,
    //! `DeleteNamespacePersonal`, `ValidateNamespaceExistPersonal`, `CreateRepositoryPersonal`,
    //! `DescribeRepositoryPersonal`, `DeleteRepositoryPersonal`.
    //!
    //! Requests are checked in this order, first failure wins. The layer's [`TencentChecks`] run
    //! before the router, so a protocol error (even a stale timestamp) is answered before the
    //! `Authorization` check; an answer of the layer that leaves an announced request body unread
    //! is held until the layer drained the body (up to 16 MiB in 10 s), and keeps the connection;
    //! past that bound it says `Connection: close`.
    //!
    //! | Check | Code | Answered by |
    //! |---|---|---|
    //! | method other than GET and POST | `UnsupportedProtocol` | the layer ([`TencentChecks`]) |
    //! | `X-TC-Timestamp` absent / not Unix seconds | `MissingParameter` / `InvalidParameter`, naming the header | the layer |
    //! | `X-TC-Timestamp` more than 5 minutes off server time | `AuthFailure.SignatureExpire` | the layer |
    //! | `X-TC-Action` absent | `MissingParameter`, naming the header | the layer |
    //! | `X-TC-Version` absent / not `2019-09-24` | `MissingParameter`, naming the header / `NoSuchVersion` | the layer |
    //! | a path other than `/` | `InvalidAction` | the layer, rewriting axum's bare 404 |
    //! | with `DEMO_CREDENTIALS`: `Authorization` absent or malformed / unknown SecretId / another signature than the SDKs' / an `X-TC-Token` for a permanent key | `AuthFailure.InvalidAuthorization` / `AuthFailure.SecretIdNotFound` / `AuthFailure.SignatureFailure` / `AuthFailure.TokenFailure` | `tencent::SignatureLayer` |
    //! | `Authorization` absent or not `TC3-HMAC-SHA256 ...` (without `DEMO_CREDENTIALS` signatures are not verified) | `AuthFailure.InvalidAuthorization` | the example |
    //! | `X-TC-Action` not an action above | `InvalidAction` | the example |
    //! | query over 32 KB (GET) | `RequestSizeLimitExceeded` | the example |
    //! | POST content type not `application/json` | `InvalidParameter` | the example |
    //! | body over 10 MiB (refused unread when its `Content-Length` says so) | `RequestSizeLimitExceeded` | the example |
    //! | body not UTF-8, not well-formed JSON, or not a JSON object | `InvalidParameter` | the example |
    //! | the first parameter problem in the body: a parameter the action does not define (`UnknownParameter`), a required one absent or `null` (`MissingParameter`), one of the wrong type (`InvalidParameter`) | as listed | the example |
    //! | a parameter value out of range or malformed | `InvalidParameterValue` | the example |
    //!
    //! Parameters are read by [`tower_cloud_error::tencent`]: each action is a request
    //! type (`CreateNamespacePersonal`, ...) that derives `Deserialize` for the parameters the
    //! SDK's `models.py` defines and states its value rules in its [`Validate`] impl. Every body
    //! that reaches the handler is read first ([`tencent::read_body`], so that the connection stays
    //! usable whatever the answer); a POST body is then parsed with [`tencent::from_slice`], and a
    //! GET query is turned into a JSON object (the action's `Action::INTEGERS` converted from text)
    //! and read with [`tencent::from_value`]. A body announced over 10 MiB is refused unread, and
    //! the layer drains it before answering (up to 16 MiB; over that, `Connection: close`).
    //!
    //! The parameter errors name the parameter, in both languages; the other messages are the
    //! catalog's. Then the registry answers its own codes: `InvalidParameter.ErrNamespaceExist`,
    //! `InvalidParameter.ErrNamespaceReserved` (the names in [`RESERVED_NAMESPACES`]),
    //! `LimitExceeded.ErrNamespaceMaxLimit` (beyond [`Config::namespace_quota`], 3 by default),
    //! `LimitExceeded` (a repository beyond [`Config::repository_quota`] in its namespace, 100 by
    //! default; TCR documents no repository-specific quota code, so the common one),
    //! `ResourceNotFound.ErrNoNamespace`, `InvalidParameter.ErrRepoExist`,
    //! `ResourceNotFound.ErrNoRepo`, and `ResourceInUse` for deleting a namespace that still holds
    //! repositories.
    //!
    //! Names: a namespace is 2 to 30 characters, an image name (the part after `namespace/` in
    //! `RepoName`) 1 to 200; both are lower-case letters, digits and the separators `.` `_` `-`,
    //! start and end with a letter or digit and never repeat a separator.
    //!
    //! Every string a client sends is bounded (past a bound: `InvalidParameterValue`, naming the
    //! parameter):
    //!
    //! | Parameter | Bound |
    //! |---|---|
    //! | `Namespace` (every action; also the `DescribeNamespacePersonal` filter) | [`MAX_NAMESPACE_LEN`] (30) characters; to create, the name rule above |
    //! | `RepoName` (every action) | `namespace/image`, the namespace at most 30 characters, the image at most [`MAX_IMAGE_LEN`] (200); to create, the name rule above |
    //! | `Description` | [`MAX_DESCRIPTION_LEN`] (1000) characters |
    //! | `Limit` / `Offset` | 1 to 100 / at least 0 |
    //! | a GET query / a POST body | 32 KB / 10 MiB (`RequestSizeLimitExceeded`) |
    //!
    //! With the quotas, the registry holds at most 3 namespaces × 100 repositories.
    //!
    //! **Serving.** `main` serves [`app`] with [`serve`] (hyper-util): HTTP/1.1 and HTTP/2 (prior
    //! knowledge) on one port, a 10 s header-read timeout (also the HTTP/1 keep-alive idle
    //! timeout), a 30 s idle timeout (no byte either way; it closes idle HTTP/2 connections and
    //! stalled bodies), at most 512 connections at once (more wait in the listen backlog), a
    //! 64 KiB request head, 100 streams per HTTP/2 connection, and a graceful shutdown on Ctrl-C
    //! (30 s for the requests in flight). A request hyper cannot parse never reaches the layer:
    //! hyper answers a bare `400` or `431` (not HTTP 200, and with no envelope and no id) and
    //! closes; the full table is in `docs/hyper-bare-answers.md`.
    //!
    //! With `DEMO_FAULTS=1`, a request carrying `x-demo-fault: panic` panics in the handler, and
    //! `x-demo-fault: internal` fails with a storage error whose text holds a secret. Both answer
    //! `InternalError` with the canonical message; the panic payload and the error go to the log,
    //! with the request id, never to the client. Without `DEMO_FAULTS=1` the header is ignored.
}
