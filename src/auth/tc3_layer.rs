//! [`SignatureLayer`]: verifies `TC3-HMAC-SHA256` signatures before the inner service runs.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::header::AUTHORIZATION;
use http::{HeaderName, Request};
use http_body::Body;
use http_body_util::Full;
use tower_layer::Layer;
use tower_service::Service;

use super::tc3_sign::{payload_hash, Tc3Authorization, UNSIGNED_PAYLOAD};
use super::{Clock, CredentialStore, Principal, SignatureError, SystemClock};
use crate::catalog::tencent::common;
use crate::date::{format_bce_date, is_skewed, parse_unix_seconds};
use crate::error::CloudError;
use crate::extract::tencent::{invalid_parameter, read_body, DEFAULT_LIMIT};
use crate::into_cloud_error::BoxError;
use crate::style::tencent_checks::required_header;

const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
const X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
const X_TC_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-tc-content-sha256");

/// Verifies the `TC3-HMAC-SHA256` signature of every request, exactly as the official Tencent
/// Cloud SDKs sign, before the inner service runs; a verified request carries its
/// [`Principal`](super::Principal) in its extensions. Place it inside a Tencent
/// `CloudErrorLayer`, which renders the rejections (HTTP 200 envelopes), in this order:
///
/// | Request | Code |
/// |---|---|
/// | no `Authorization`, or not `TC3-HMAC-SHA256 Credential={id}/{date}/{service}/tc3_request, SignedHeaders={…;content-type;host…}, Signature={64 hex}` | `AuthFailure.InvalidAuthorization` |
/// | `X-TC-Timestamp` absent / not Unix seconds | `MissingParameter` / `InvalidParameter` |
/// | `X-TC-Timestamp` more than 5 minutes (configurable) from the server clock | `AuthFailure.SignatureExpire` |
/// | the scope date is not the UTC date of `X-TC-Timestamp`, or the scope's service is not the pinned one | `AuthFailure.SignatureFailure` |
/// | unknown SecretId | `AuthFailure.SecretIdNotFound` |
/// | `X-TC-Token` not the one the store holds for the key (or one sent for a permanent key) | `AuthFailure.TokenFailure` |
/// | a body over the limit (10 MiB by default) | `RequestSizeLimitExceeded` |
/// | any other signature | `AuthFailure.SignatureFailure` |
///
/// The body is read once, up to the limit, hashed, and handed on to the inner service as a
/// [`Full`] body: the inner service takes `Request<Full<Bytes>>` (axum routers do).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use bytes::Bytes;
/// use http::{Request, Response};
/// use http_body_util::{BodyExt, Full};
/// use tower::{service_fn, ServiceBuilder, ServiceExt};
/// use tower_cloud_error::tencent::{Credential, InMemoryCredentials, SignatureLayer};
/// use tower_cloud_error::CloudErrorLayer;
///
/// let store = InMemoryCredentials::new().with(Credential::new("AKID", "SK"));
/// let service = ServiceBuilder::new()
///     .layer(CloudErrorLayer::tencent())
///     .layer(SignatureLayer::new(store))
///     .service(service_fn(|_request: Request<Full<Bytes>>| async {
///         Ok::<_, std::convert::Infallible>(Response::new(Full::new(Bytes::from("{}"))))
///     }));
///
/// let unsigned = Request::post("/").body(Full::new(Bytes::from("{}"))).unwrap();
/// let response = service.oneshot(unsigned).await.unwrap();
/// let body = response.into_body().collect().await.unwrap().to_bytes();
/// assert!(std::str::from_utf8(&body).unwrap().contains("AuthFailure.InvalidAuthorization"));
/// # }
/// ```
pub struct SignatureLayer<C> {
    config: Arc<Config<C>>,
}

struct Config<C> {
    store: C,
    clock: Arc<dyn Clock>,
    max_clock_skew: Duration,
    service: Option<String>,
    body_limit: usize,
}

impl<C: CredentialStore> SignatureLayer<C> {
    /// Verifies requests against the credentials of `store`, with the system clock, the
    /// documented 5-minute clock skew, any service name in the scope, and a 10 MiB body limit.
    pub fn new(store: C) -> SignatureLayer<C> {
        SignatureLayer {
            config: Arc::new(Config {
                store,
                clock: Arc::new(SystemClock),
                max_clock_skew: Duration::from_secs(5 * 60),
                service: None,
                body_limit: DEFAULT_LIMIT,
            }),
        }
    }
}

impl<C> SignatureLayer<C> {
    fn config_mut(&mut self) -> &mut Config<C> {
        Arc::get_mut(&mut self.config).expect("configured before the layer is cloned")
    }

    /// Another clock than the system's (tests use a [`ManualClock`](super::ManualClock)).
    ///
    /// # Panics
    ///
    /// If called on a clone of a layer (configure before cloning).
    #[must_use]
    pub fn clock(mut self, clock: impl Clock) -> SignatureLayer<C> {
        self.config_mut().clock = Arc::new(clock);
        self
    }

    /// Another largest distance between `X-TC-Timestamp` and the server clock than the
    /// documented 5 minutes.
    ///
    /// # Panics
    ///
    /// If called on a clone of a layer (configure before cloning).
    #[must_use]
    pub fn max_clock_skew(mut self, max: Duration) -> SignatureLayer<C> {
        self.config_mut().max_clock_skew = max;
        self
    }

    /// Accepts only signatures whose scope names `service` (e.g. `tcr`). By default the
    /// client's service is taken as it is: SDKs pointed at a custom endpoint derive it from the
    /// host name (the Node SDK at `127.0.0.1` signs service `127`).
    ///
    /// # Panics
    ///
    /// If called on a clone of a layer (configure before cloning).
    #[must_use]
    pub fn service(mut self, service: impl Into<String>) -> SignatureLayer<C> {
        self.config_mut().service = Some(service.into());
        self
    }

    /// Another body limit than 10 MiB (the documented POST limit).
    ///
    /// # Panics
    ///
    /// If called on a clone of a layer (configure before cloning).
    #[must_use]
    pub fn body_limit(mut self, limit: usize) -> SignatureLayer<C> {
        self.config_mut().body_limit = limit;
        self
    }
}

impl<C> Clone for SignatureLayer<C> {
    fn clone(&self) -> Self {
        SignatureLayer {
            config: Arc::clone(&self.config),
        }
    }
}

impl<C> fmt::Debug for SignatureLayer<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureLayer")
            .field("max_clock_skew", &self.config.max_clock_skew)
            .field("service", &self.config.service)
            .field("body_limit", &self.config.body_limit)
            .finish_non_exhaustive()
    }
}

impl<S, C> Layer<S> for SignatureLayer<C> {
    type Service = SignatureService<S, C>;

    fn layer(&self, inner: S) -> Self::Service {
        SignatureService {
            inner,
            config: Arc::clone(&self.config),
        }
    }
}

/// The service of [`SignatureLayer`]: verifies, then calls the inner service with the request
/// and its [`Principal`](super::Principal).
///
/// ```
/// use tower::{service_fn, Layer};
/// use tower_cloud_error::tencent::{InMemoryCredentials, SignatureLayer, SignatureService};
///
/// let inner = service_fn(|_request: http::Request<http_body_util::Full<bytes::Bytes>>| async {
///     Ok::<_, std::convert::Infallible>(http::Response::new(()))
/// });
/// let service: SignatureService<_, _> = SignatureLayer::new(InMemoryCredentials::new()).layer(inner);
/// # let _ = service;
/// ```
pub struct SignatureService<S, C> {
    inner: S,
    config: Arc<Config<C>>,
}

impl<S: Clone, C> Clone for SignatureService<S, C> {
    fn clone(&self) -> Self {
        SignatureService {
            inner: self.inner.clone(),
            config: Arc::clone(&self.config),
        }
    }
}

impl<S: fmt::Debug, C> fmt::Debug for SignatureService<S, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureService")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

/// The checks that need no credential, done before the lookup; what is left for after it.
struct Pending {
    authorization: String,
    timestamp: String,
    session_token: Option<String>,
    unsigned_payload: bool,
}

fn invalid_authorization() -> CloudError {
    CloudError::new(common::AUTH_FAILURE_INVALID_AUTHORIZATION)
}

impl<C: CredentialStore> Config<C> {
    fn prepare<B>(&self, request: &Request<B>) -> Result<Pending, CloudError> {
        let headers = request.headers();
        let mut values = headers.get_all(AUTHORIZATION).iter();
        let authorization = match (values.next(), values.next()) {
            (Some(value), None) => value.to_str().map_err(|_| invalid_authorization())?,
            _ => return Err(invalid_authorization()),
        };
        let parsed = Tc3Authorization::parse(authorization).ok_or_else(invalid_authorization)?;

        // Present but unreadable is InvalidParameter, as in the style's checks.
        let timestamp = required_header(headers, &X_TC_TIMESTAMP, "X-TC-Timestamp")?;
        let time =
            parse_unix_seconds(timestamp).ok_or_else(|| invalid_parameter("X-TC-Timestamp"))?;
        if is_skewed(time, self.clock.now(), self.max_clock_skew) {
            return Err(CloudError::new(common::AUTH_FAILURE_SIGNATURE_EXPIRE));
        }
        // The SDKs derive the scope date from the same timestamp (abstract_client.py line 220).
        let signature_failure = || CloudError::new(common::AUTH_FAILURE_SIGNATURE_FAILURE);
        if format_bce_date(time).get(..10) != Some(parsed.date) {
            return Err(signature_failure());
        }
        if self
            .service
            .as_deref()
            .is_some_and(|pinned| pinned != parsed.service)
        {
            return Err(signature_failure());
        }
        let session_token = match headers.get(X_TC_TOKEN) {
            Some(token) => Some(
                token
                    .to_str()
                    .map_err(|_| CloudError::new(common::AUTH_FAILURE_TOKEN_FAILURE))?
                    .to_owned(),
            ),
            None => None,
        };
        let unsigned_payload = headers
            .get(X_TC_CONTENT_SHA256)
            .is_some_and(|v| v.as_bytes() == UNSIGNED_PAYLOAD.as_bytes());
        Ok(Pending {
            authorization: authorization.to_owned(),
            timestamp: timestamp.to_owned(),
            session_token,
            unsigned_payload,
        })
    }
}

impl<S, C, B> Service<Request<B>> for SignatureService<S, C>
where
    S: Service<Request<Full<Bytes>>> + Clone + Send + 'static,
    S::Future: Send,
    C: CredentialStore,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    type Response = S::Response;
    type Error = SignatureError<S::Error>;
    type Future =
        Pin<Box<dyn Future<Output = Result<S::Response, SignatureError<S::Error>>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(SignatureError::Inner)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        // The ready inner service serves this request; its clone waits for the next.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let config = Arc::clone(&self.config);
        let pending = config.prepare(&request);
        Box::pin(async move {
            let reject = SignatureError::Rejected;
            let pending = pending.map_err(reject)?;
            let parsed = Tc3Authorization::parse(&pending.authorization)
                .ok_or_else(invalid_authorization)
                .map_err(reject)?;
            let credential = config
                .store
                .credential(parsed.secret_id)
                .await
                .ok_or_else(|| CloudError::new(common::AUTH_FAILURE_SECRET_ID_NOT_FOUND))
                .map_err(reject)?;
            if !credential.accepts_session_token(pending.session_token.as_deref()) {
                return Err(reject(CloudError::new(common::AUTH_FAILURE_TOKEN_FAILURE)));
            }
            let (parts, body) = request.into_parts();
            let body = read_body(body, config.body_limit).await.map_err(reject)?;
            let hash = if pending.unsigned_payload {
                payload_hash(UNSIGNED_PAYLOAD.as_bytes())
            } else {
                payload_hash(&body)
            };
            let key = parsed.signing_key(credential.secret());
            let genuine = parsed.verify_request(
                &key,
                &pending.timestamp,
                (&parts.method, &parts.uri, &parts.headers),
                &hash,
            );
            if !genuine {
                return Err(reject(CloudError::new(
                    common::AUTH_FAILURE_SIGNATURE_FAILURE,
                )));
            }
            let principal: Principal = credential.principal().clone();
            let mut request = Request::from_parts(parts, Full::new(body));
            request.extensions_mut().insert(principal);
            inner.call(request).await.map_err(SignatureError::Inner)
        })
    }
}
