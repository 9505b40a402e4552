//! [`ClientTokenLayer`]: the configuration of the idempotency middleware.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::request::Parts;
use http::HeaderName;
use tower_layer::Layer;

use super::fingerprint::HeaderRule;
use super::service::ClientTokenService;
use super::store::IdempotencyStore;
use crate::catalog::bce::common as bce_common;
use crate::catalog::tencent::common as tencent_common;
use crate::code::Code;
use crate::error::CloudError;

/// The BCE query parameter that carries the token.
const BCE_PARAM: &str = "clientToken";
/// `x-bce-*` headers a client changes between two tries of one call: never fingerprinted.
const BCE_UNFINGERPRINTED: &[&str] = &["x-bce-date", "x-bce-request-id", "x-bce-security-token"];

/// How the caller of a request is named, for scoping tokens (see [`ClientTokenLayer::caller`]).
type CallerFn = dyn Fn(&Parts) -> Option<String> + Send + Sync;

/// Makes retried creates safe: a request that carries a client token runs at most once per
/// caller, route and token, and its retries get its response again. Place it **inside**
/// [`CloudErrorLayer`](crate::CloudErrorLayer), which renders its errors and gives it the
/// request id.
///
/// # What it does with a request that carries a token
///
/// 1. Validates the token (1 to 64 ASCII characters); a bad one is answered with the invalid-token
///    code (BCE: `InvalidURI` 400, "Could not parse the specified URI: clientToken must be 1 to
///    64 ASCII characters."; Tencent: `InvalidParameterValue`; see
///    [`invalid_token_code`](ClientTokenLayer::invalid_token_code)).
/// 2. Reads the body, under [`body_limit`](ClientTokenLayer::body_limit) (over it: the style's
///    body-too-large answer, as `bce::read_body` / `tencent::read_body` word it), hashing it as
///    it arrives; the handler gets the buffered bytes.
/// 3. Computes the request's [`Fingerprint`](super::Fingerprint) and its
///    [`StoreKey`](super::StoreKey) (caller, method, path, token; for Tencent also the action).
/// 4. Reserves the key in the [store](IdempotencyStore), atomically, for
///    [`reservation_ttl`](ClientTokenLayer::reservation_ttl) (default 60 s):
///    - free: the handler runs;
///    - held by a request with another fingerprint, running or finished: the mismatch code
///      (BCE: `IdempotentParameterMismatch` 403, "The request uses the same client token as a
///      previous, but non-identical request.");
///    - finished with this fingerprint: its response is replayed;
///    - running with this fingerprint: the request waits for it (polling the store every 5 ms,
///      doubling to 100 ms) at most [`wait_bound`](ClientTokenLayer::wait_bound) (default
///      10 s), then gets its response, or runs itself if the first one failed; past the bound
///      it is answered the style's code for [`Condition::Overloaded`](crate::Condition) (BCE:
///      `InternalError` 500, which the SDKs retry; Tencent: `ServiceUnavailable`);
///    - the store cannot be asked (down, slow): `InternalError`, logged, **without running the
///      handler** (never a duplicate create).
/// 5. After the handler:
///    - a success (2xx) whose body is at most [`max_replay_bytes`](ClientTokenLayer::max_replay_bytes)
///      (default 1 MiB) is stored for [`ttl`](ClientTokenLayer::ttl) (default 24 h): its status,
///      its headers except hop-by-hop ones, `Content-Length`, `Date`, `Set-Cookie` and request-id
///      headers, and its body (trailers are dropped). A replay carries the **new** request's id
///      in the header, and in the body wherever the first request's id (8 characters or more)
///      appeared;
///    - a larger success is sent but not stored (a warning is logged) and the token is released;
///    - a failure (an error, a non-2xx response, a panic, a dropped request) releases the token,
///      so that the client's retry runs again.
///
/// Requests without a token pass through untouched (their body is not read).
///
/// # Example
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use bytes::Bytes;
/// use http::{Request, Response};
/// use http_body_util::{BodyExt, Full};
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
/// use tower::{service_fn, ServiceBuilder, ServiceExt};
/// use tower_cloud_error::idempotency::{ClientTokenLayer, MemoryStore};
/// use tower_cloud_error::{BoxError, CloudErrorLayer};
///
/// let creates = Arc::new(AtomicUsize::new(0));
/// let counter = creates.clone();
/// let service = ServiceBuilder::new()
///     .layer(CloudErrorLayer::bce())
///     .layer(ClientTokenLayer::bce(MemoryStore::new()))
///     .service(service_fn(move |_request: Request<_>| {
///         let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
///         async move { Ok::<_, BoxError>(Response::new(Full::new(Bytes::from(format!("eip-{n}"))))) }
///     }));
///
/// let create = |body: &'static str| {
///     Request::post("/v1/eip?clientToken=tok-1").body(Full::new(Bytes::from(body))).unwrap()
/// };
/// let first = service.clone().oneshot(create(r#"{"bandwidthInMbps":1}"#)).await.unwrap();
/// let retry = service.clone().oneshot(create(r#"{"bandwidthInMbps":1}"#)).await.unwrap();
/// assert_ne!(first.headers()["x-bce-request-id"], retry.headers()["x-bce-request-id"]);
/// assert_eq!(retry.into_body().collect().await.unwrap().to_bytes(), "eip-1");
/// assert_eq!(creates.load(Ordering::SeqCst), 1);
///
/// let other = service.clone().oneshot(create(r#"{"bandwidthInMbps":2}"#)).await.unwrap();
/// assert_eq!(other.status(), 403);
/// let body = other.into_body().collect().await.unwrap().to_bytes();
/// assert!(std::str::from_utf8(&body).unwrap().contains("IdempotentParameterMismatch"));
/// # let _ = first;
/// # }
/// ```
#[derive(Clone)]
pub struct ClientTokenLayer {
    pub(crate) config: Arc<Config>,
}

/// Where a convention puts its token, and which body reader words its errors.
#[derive(Debug, Clone)]
pub(crate) enum Convention {
    /// BCE: a query parameter.
    Bce { param: &'static str },
    /// Tencent: a top-level JSON field of the body, for the listed `X-TC-Action`s.
    Tencent { field: String, actions: Vec<String> },
}

#[derive(Clone)]
pub(crate) struct Config {
    pub(crate) store: Arc<dyn IdempotencyStore>,
    pub(crate) convention: Convention,
    pub(crate) mismatch: Code,
    pub(crate) invalid_token: Code,
    /// The detail appended to the invalid-token code's message (the built-in BCE wording).
    pub(crate) invalid_token_detail: Option<&'static str>,
    pub(crate) caller: Option<Arc<CallerFn>>,
    pub(crate) ttl: Duration,
    pub(crate) reservation_ttl: Duration,
    pub(crate) wait_bound: Duration,
    pub(crate) body_limit: usize,
    pub(crate) max_replay_bytes: usize,
    pub(crate) headers: HeaderRule,
}

impl Config {
    pub(crate) fn invalid_token_error(&self) -> CloudError {
        let error = CloudError::new(self.invalid_token);
        match self.invalid_token_detail {
            Some(detail) => {
                let message = self.invalid_token.message().trim_end_matches('.');
                error.with_message(format!("{message}: {detail}."))
            }
            None => error,
        }
    }
}

impl ClientTokenLayer {
    /// The BCE convention: the token is the `clientToken` query parameter; a bad one answers
    /// `InvalidURI` (400) "Could not parse the specified URI: clientToken must be 1 to 64 ASCII
    /// characters." (BCE documents no code of its own for it); a reused one
    /// `IdempotentParameterMismatch` (403). Fingerprinted headers: `Content-Type`,
    /// `Content-Encoding` and every `x-bce-*` except `x-bce-date`, `x-bce-request-id` and
    /// `x-bce-security-token`. Body limit: 2 MiB (`bce::DEFAULT_LIMIT`).
    ///
    /// See the [type's documentation](ClientTokenLayer) for an example.
    #[must_use]
    pub fn bce(store: impl IdempotencyStore) -> ClientTokenLayer {
        ClientTokenLayer::with(
            Arc::new(store),
            Convention::Bce { param: BCE_PARAM },
            bce_common::IDEMPOTENT_PARAMETER_MISMATCH,
            bce_common::INVALID_URI,
            Some("clientToken must be 1 to 64 ASCII characters"),
            crate::extract::bce::DEFAULT_LIMIT,
            HeaderRule {
                names: vec![http::header::CONTENT_TYPE, http::header::CONTENT_ENCODING],
                prefix: Some("x-bce-"),
                prefix_exceptions: BCE_UNFINGERPRINTED,
            },
        )
    }

    /// The Tencent Cloud API 3.0 convention: for the requests whose `X-TC-Action` is one of
    /// `actions`, the token is the top-level string field `field` of the JSON body (such as
    /// `ClientToken`; a request without it passes through). Tencent documents the reuse code
    /// per product, so `mismatch` is yours to give; a bad token answers
    /// `InvalidParameterValue`. Fingerprinted headers: `Content-Type`, `X-TC-Action`,
    /// `X-TC-Version` and `X-TC-Region`. Body limit: 10 MiB (`tencent::DEFAULT_LIMIT`).
    ///
    /// ```
    /// use tower_cloud_error::tencent::common::RESOURCE_IN_USE;
    /// use tower_cloud_error::idempotency::{ClientTokenLayer, MemoryStore};
    ///
    /// let layer = ClientTokenLayer::tencent(
    ///     MemoryStore::new(),
    ///     "ClientToken",
    ///     ["CreateRepository", "CreateNamespace"],
    ///     RESOURCE_IN_USE,
    /// );
    /// # let _ = layer;
    /// ```
    #[must_use]
    pub fn tencent<'a>(
        store: impl IdempotencyStore,
        field: &str,
        actions: impl IntoIterator<Item = &'a str>,
        mismatch: Code,
    ) -> ClientTokenLayer {
        ClientTokenLayer::with(
            Arc::new(store),
            Convention::Tencent {
                field: field.to_owned(),
                actions: actions.into_iter().map(str::to_owned).collect(),
            },
            mismatch,
            tencent_common::INVALID_PARAMETER_VALUE,
            None,
            crate::extract::tencent::DEFAULT_LIMIT,
            HeaderRule {
                names: ["content-type", "x-tc-action", "x-tc-version", "x-tc-region"]
                    .into_iter()
                    .map(HeaderName::from_static)
                    .collect(),
                prefix: None,
                prefix_exceptions: &[],
            },
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn with(
        store: Arc<dyn IdempotencyStore>,
        convention: Convention,
        mismatch: Code,
        invalid_token: Code,
        invalid_token_detail: Option<&'static str>,
        body_limit: usize,
        headers: HeaderRule,
    ) -> ClientTokenLayer {
        ClientTokenLayer {
            config: Arc::new(Config {
                store,
                convention,
                mismatch,
                invalid_token,
                invalid_token_detail,
                caller: None,
                ttl: Duration::from_secs(24 * 3600),
                reservation_ttl: Duration::from_secs(60),
                wait_bound: Duration::from_secs(10),
                body_limit,
                max_replay_bytes: 1024 * 1024,
                headers,
            }),
        }
    }

    fn config(mut self, change: impl FnOnce(&mut Config)) -> ClientTokenLayer {
        change(Arc::make_mut(&mut self.config));
        self
    }

    /// The code a reused token with a different request answers.
    ///
    /// ```
    /// use tower_cloud_error::bce::common::IDEMPOTENT_PARAMETER_MISMATCH;
    /// use tower_cloud_error::idempotency::{ClientTokenLayer, MemoryStore};
    ///
    /// let layer = ClientTokenLayer::bce(MemoryStore::new()).mismatch_code(IDEMPOTENT_PARAMETER_MISMATCH);
    /// # let _ = layer;
    /// ```
    #[must_use]
    pub fn mismatch_code(self, code: Code) -> ClientTokenLayer {
        self.config(|config| config.mismatch = code)
    }

    /// The code a malformed token answers, with the code's own message.
    ///
    /// ```
    /// use tower_cloud_error::bce::common::INVALID_HTTP_REQUEST;
    /// use tower_cloud_error::idempotency::{ClientTokenLayer, MemoryStore};
    ///
    /// let layer = ClientTokenLayer::bce(MemoryStore::new()).invalid_token_code(INVALID_HTTP_REQUEST);
    /// # let _ = layer;
    /// ```
    #[must_use]
    pub fn invalid_token_code(self, code: Code) -> ClientTokenLayer {
        self.config(|config| {
            config.invalid_token = code;
            config.invalid_token_detail = None;
        })
    }

    /// Names the caller of a request, so that two callers never share a token: typically an
    /// account header your gateway sets. `None` puts the request in the shared anonymous scope.
    ///
    /// Without it, the caller is the access key of the [`Principal`](crate::bce::Principal) a
    /// signature layer (`bce::SignatureLayer`, `tencent::SignatureLayer`) verified in front of
    /// this layer, and requests without one share the anonymous scope.
    ///
    /// ```
    /// use tower_cloud_error::idempotency::{ClientTokenLayer, MemoryStore};
    ///
    /// #[derive(Clone)]
    /// struct AccountId(String);
    ///
    /// let layer = ClientTokenLayer::bce(MemoryStore::new())
    ///     .caller(|parts| parts.extensions.get::<AccountId>().map(|account| account.0.clone()));
    /// # let _ = layer;
    /// ```
    #[must_use]
    pub fn caller(
        self,
        caller: impl Fn(&Parts) -> Option<String> + Send + Sync + 'static,
    ) -> ClientTokenLayer {
        self.config(|config| config.caller = Some(Arc::new(caller)))
    }

    /// How long a finished response is replayed (default 24 hours, BCE's documented minimum).
    ///
    /// ```
    /// use std::time::Duration;
    /// use tower_cloud_error::idempotency::{ClientTokenLayer, MemoryStore};
    ///
    /// let layer = ClientTokenLayer::bce(MemoryStore::new()).ttl(Duration::from_secs(48 * 3600));
    /// # let _ = layer;
    /// ```
    #[must_use]
    pub fn ttl(self, ttl: Duration) -> ClientTokenLayer {
        self.config(|config| config.ttl = ttl.max(Duration::from_millis(1)))
    }

    /// How long a reservation holds a token while its request runs (default 60 s). A process
    /// that dies mid-request blocks its token this long at most; set it above your handlers'
    /// longest run (a request still running past it may run a second time).
    ///
    /// ```
    /// use std::time::Duration;
    /// use tower_cloud_error::idempotency::{ClientTokenLayer, MemoryStore};
    ///
    /// let layer = ClientTokenLayer::bce(MemoryStore::new()).reservation_ttl(Duration::from_secs(30));
    /// # let _ = layer;
    /// ```
    #[must_use]
    pub fn reservation_ttl(self, ttl: Duration) -> ClientTokenLayer {
        self.config(|config| config.reservation_ttl = ttl.max(Duration::from_millis(1)))
    }

    /// How long a duplicate waits for the first request with its token (default 10 s).
    ///
    /// ```
    /// use std::time::Duration;
    /// use tower_cloud_error::idempotency::{ClientTokenLayer, MemoryStore};
    ///
    /// let layer = ClientTokenLayer::bce(MemoryStore::new()).wait_bound(Duration::from_secs(2));
    /// # let _ = layer;
    /// ```
    #[must_use]
    pub fn wait_bound(self, bound: Duration) -> ClientTokenLayer {
        self.config(|config| config.wait_bound = bound)
    }

    /// The largest request body read (and hashed) for a request with a token.
    ///
    /// ```
    /// use tower_cloud_error::idempotency::{ClientTokenLayer, MemoryStore};
    ///
    /// let layer = ClientTokenLayer::bce(MemoryStore::new()).body_limit(64 * 1024);
    /// # let _ = layer;
    /// ```
    #[must_use]
    pub fn body_limit(self, limit: usize) -> ClientTokenLayer {
        self.config(|config| config.body_limit = limit)
    }

    /// The largest response body stored for replay (default 1 MiB).
    ///
    /// ```
    /// use tower_cloud_error::idempotency::{ClientTokenLayer, MemoryStore};
    ///
    /// let layer = ClientTokenLayer::bce(MemoryStore::new()).max_replay_bytes(64 * 1024);
    /// # let _ = layer;
    /// ```
    #[must_use]
    pub fn max_replay_bytes(self, limit: usize) -> ClientTokenLayer {
        self.config(|config| config.max_replay_bytes = limit)
    }

    /// Adds a request header to the [fingerprint](super::Fingerprint) (for an API that takes a
    /// parameter in a header the convention's defaults leave out).
    ///
    /// ```
    /// use http::HeaderName;
    /// use tower_cloud_error::idempotency::{ClientTokenLayer, MemoryStore};
    ///
    /// let layer = ClientTokenLayer::bce(MemoryStore::new())
    ///     .fingerprint_header(HeaderName::from_static("x-region"));
    /// # let _ = layer;
    /// ```
    #[must_use]
    pub fn fingerprint_header(self, name: HeaderName) -> ClientTokenLayer {
        self.config(|config| config.headers.names.push(name))
    }
}

impl fmt::Debug for ClientTokenLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.config;
        f.debug_struct("ClientTokenLayer")
            .field("store", &config.store)
            .field("convention", &config.convention)
            .field("mismatch", &config.mismatch.name())
            .field("invalid_token", &config.invalid_token.name())
            .field("caller", &config.caller.as_ref().map(|_| "fn"))
            .field("ttl", &config.ttl)
            .field("reservation_ttl", &config.reservation_ttl)
            .field("wait_bound", &config.wait_bound)
            .field("body_limit", &config.body_limit)
            .field("max_replay_bytes", &config.max_replay_bytes)
            .finish()
    }
}

impl<S> Layer<S> for ClientTokenLayer {
    type Service = ClientTokenService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ClientTokenService::new(inner, Arc::clone(&self.config))
    }
}
