//! [`SignatureLayer`]: verifies `bce-auth-v1` signatures before the inner service runs.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::header::{AUTHORIZATION, DATE};
use http::{HeaderName, Request};
use tower_layer::Layer;
use tower_service::Service;

use super::bce_sign::{canonical_request, BceAuthorization};
use super::encode::percent_decode;
use super::{Clock, CredentialStore, SignatureError, SystemClock};
use crate::catalog::bce::common;
use crate::date::{bce_request_date, is_skewed};
use crate::error::CloudError;

const X_BCE_DATE: HeaderName = HeaderName::from_static("x-bce-date");
const X_BCE_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-bce-security-token");

/// Verifies the `bce-auth-v1` signature of every request, exactly as the official BCE SDKs
/// sign, before the inner service runs; a verified request carries its
/// [`Principal`](super::Principal) in its extensions. Place it inside a BCE `CloudErrorLayer`,
/// which renders the rejections:
///
/// | Request | Code |
/// |---|---|
/// | no `Authorization` header (nor `authorization` query parameter: presigned URLs) | `AccessDenied` (403) — a choice: the tables give no rule |
/// | `Authorization` not `bce-auth-v1/{ak}/{timestamp}/{expiration}/{signedHeaders}/{signature}` | `InvalidHTTPAuthHeader` (400) |
/// | the timestamp plus its expiration in the past, or the timestamp more than 30 minutes (configurable) from the server clock (presigned URLs: more than 30 minutes ahead) | `RequestExpired` (400), quoting `x-bce-date` (else `Date`, else the signed timestamp) |
/// | unknown access key | `InvalidAccessKeyId` (403) |
/// | `x-bce-security-token` not the one the store holds for the key | `AccessDenied` (403) |
/// | any other signature | `SignatureDoesNotMatch` (400) |
///
/// `bce-auth-v1` signs `Content-Length`, not the body: a body changed to another of the same
/// length is not detected by this scheme (use TLS).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use bytes::Bytes;
/// use http::{Request, Response, StatusCode};
/// use http_body_util::Full;
/// use tower::{service_fn, ServiceBuilder, ServiceExt};
/// use tower_cloud_error::bce::{Credential, InMemoryCredentials, Principal, SignatureLayer};
/// use tower_cloud_error::CloudErrorLayer;
///
/// let store = InMemoryCredentials::new().with(Credential::new("AK", "SK"));
/// let service = ServiceBuilder::new()
///     .layer(CloudErrorLayer::bce())
///     .layer(SignatureLayer::new(store))
///     .service(service_fn(|request: Request<Full<Bytes>>| async move {
///         let caller = request.extensions().get::<Principal>().unwrap().access_key_id().to_owned();
///         Ok::<_, std::convert::Infallible>(Response::new(Full::new(Bytes::from(caller))))
///     }));
///
/// let unsigned = Request::get("/v1/eip").body(Full::default()).unwrap();
/// let response = service.oneshot(unsigned).await.unwrap();
/// assert_eq!(response.status(), StatusCode::FORBIDDEN); // AccessDenied
/// # }
/// ```
pub struct SignatureLayer<C> {
    config: Arc<Config<C>>,
}

struct Config<C> {
    store: C,
    clock: Arc<dyn Clock>,
    max_clock_skew: Duration,
}

impl<C: CredentialStore> SignatureLayer<C> {
    /// Verifies requests against the credentials of `store`, with the system clock and the
    /// documented 30-minute clock skew.
    pub fn new(store: C) -> SignatureLayer<C> {
        SignatureLayer {
            config: Arc::new(Config {
                store,
                clock: Arc::new(SystemClock),
                max_clock_skew: Duration::from_secs(30 * 60),
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

    /// Another largest distance between a request's timestamp and the server clock than the
    /// documented 30 minutes.
    ///
    /// # Panics
    ///
    /// If called on a clone of a layer (configure before cloning).
    #[must_use]
    pub fn max_clock_skew(mut self, max: Duration) -> SignatureLayer<C> {
        self.config_mut().max_clock_skew = max;
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
/// use tower_cloud_error::bce::{InMemoryCredentials, SignatureLayer, SignatureService};
///
/// let inner = service_fn(|_request: http::Request<()>| async {
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

/// What the synchronous part of the check leaves for after the credential lookup.
struct Pending {
    access_key_id: String,
    session_token: Option<String>,
    canonical_request: String,
    /// The parsed header's owned parts: re-parsed, cheaply, after the lookup.
    authorization: String,
}

impl<C: CredentialStore> Config<C> {
    fn prepare<B>(&self, request: &Request<B>) -> Result<Pending, CloudError> {
        let invalid = || CloudError::new(common::INVALID_HTTP_AUTH_HEADER);
        let headers = request.headers();
        let mut values = headers.get_all(AUTHORIZATION).iter();
        let query = request.uri().query();
        let (authorization, presigned) = match (values.next(), values.next()) {
            (Some(value), None) => (value.to_str().map_err(|_| invalid())?.to_owned(), false),
            (Some(_), Some(_)) => return Err(invalid()),
            (None, _) => (
                query_parameter(query, "authorization")
                    .ok_or_else(|| CloudError::new(common::ACCESS_DENIED))?,
                true,
            ),
        };
        let parsed = BceAuthorization::parse(&authorization).ok_or_else(invalid)?;

        let now = self.clock.now();
        let expired = parsed
            .time
            .checked_add(Duration::from_secs(parsed.expiration_seconds))
            .is_none_or(|end| end < now);
        // A presigned URL is used long after it was signed, within its expiration; only a
        // timestamp in the future is bounded by the window.
        let skewed = if presigned {
            parsed
                .time
                .duration_since(now)
                .is_ok_and(|ahead| ahead > self.max_clock_skew)
        } else {
            is_skewed(parsed.time, now, self.max_clock_skew)
        };
        if expired || skewed {
            let bytes = |name| headers.get(name).map(http::HeaderValue::as_bytes);
            let quoted = bce_request_date(bytes(X_BCE_DATE), bytes(DATE))
                .map_or_else(|| parsed.timestamp.to_owned(), |(quoted, _)| quoted);
            return Err(CloudError::new(common::REQUEST_EXPIRED).with_args([quoted]));
        }
        // STS credentials: the token in a header, or in the query of a presigned URL
        // (bos_client.py `generate_pre_signed_url`).
        let session_token = match headers.get(X_BCE_SECURITY_TOKEN) {
            Some(token) => Some(
                token
                    .to_str()
                    .map_err(|_| CloudError::new(common::ACCESS_DENIED))?
                    .to_owned(),
            ),
            None if presigned => query_parameter(query, "x-bce-security-token"),
            None => None,
        };
        let canonical_request =
            canonical_request(request.method(), request.uri(), headers, &parsed);
        Ok(Pending {
            access_key_id: parsed.access_key_id.to_owned(),
            session_token,
            canonical_request,
            authorization,
        })
    }

    async fn verify(&self, pending: Pending) -> Result<super::Principal, CloudError> {
        let credential = self
            .store
            .credential(&pending.access_key_id)
            .await
            .ok_or_else(|| CloudError::new(common::INVALID_ACCESS_KEY_ID))?;
        if !credential.accepts_session_token(pending.session_token.as_deref()) {
            return Err(CloudError::new(common::ACCESS_DENIED));
        }
        let parsed = BceAuthorization::parse(&pending.authorization)
            .ok_or_else(|| CloudError::new(common::INVALID_HTTP_AUTH_HEADER))?;
        if parsed.verify(credential.secret(), &pending.canonical_request) {
            Ok(credential.principal().clone())
        } else {
            Err(CloudError::new(common::SIGNATURE_DOES_NOT_MATCH))
        }
    }
}

/// The query parameter `name` (any case), decoded: `authorization` and
/// `x-bce-security-token` of presigned URLs.
fn query_parameter(query: Option<&str>, name: &str) -> Option<String> {
    query?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        percent_decode(key)
            .eq_ignore_ascii_case(name.as_bytes())
            .then(|| String::from_utf8(percent_decode(value)).ok())
            .flatten()
    })
}

impl<S, C, B> Service<Request<B>> for SignatureService<S, C>
where
    S: Service<Request<B>> + Clone + Send + 'static,
    S::Future: Send,
    C: CredentialStore,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = SignatureError<S::Error>;
    type Future =
        Pin<Box<dyn Future<Output = Result<S::Response, SignatureError<S::Error>>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(SignatureError::Inner)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        // The ready inner service serves this request; its clone waits for the next.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let config = Arc::clone(&self.config);
        let pending = config.prepare(&request);
        Box::pin(async move {
            let pending = match pending {
                Ok(pending) => pending,
                Err(error) => return Err(SignatureError::Rejected(error)),
            };
            let principal = config
                .verify(pending)
                .await
                .map_err(SignatureError::Rejected)?;
            request.extensions_mut().insert(principal);
            inner.call(request).await.map_err(SignatureError::Inner)
        })
    }
}
