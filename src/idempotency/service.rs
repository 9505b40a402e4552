//! [`ClientTokenService`]: reserve, run once, store, replay.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::header::HeaderName;
use http::{HeaderMap, HeaderValue, Request, Response};
use http_body::Body;
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use tower_http::request_id::RequestId;
use tower_service::Service;

use super::body::{ClientTokenBody, Hashing};
use super::fingerprint::{fingerprint, store_key, Fingerprint, StoreKey};
use super::layer::{Config, Convention};
use super::store::{IdempotencyStore, Reservation, ReserveOutcome, StoredResponse};
use super::token::{self, BadToken};
use crate::condition::Condition;
use crate::error::CloudError;
use crate::into_cloud_error::{BoxError, IntoCloudError};

/// The first pause of a duplicate waiting for the first request; it doubles up to
/// [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(5);
const MAX_PAUSE: Duration = Duration::from_millis(100);
/// A stored request id shorter than this is not searched for in a replayed body (a short id
/// could match unrelated text).
const MIN_REPLACED_ID_LEN: usize = 8;

/// The middleware [`ClientTokenLayer`](super::ClientTokenLayer) builds.
///
/// Its errors are [`CloudError`]s, for an outer [`CloudErrorLayer`](crate::CloudErrorLayer) to
/// render; its inner service gets requests with a [`ClientTokenBody`].
///
/// ```
/// use tower::service_fn;
/// use tower::Layer;
/// use tower_cloud_error::idempotency::{ClientTokenLayer, ClientTokenService, MemoryStore};
///
/// let inner = service_fn(|_: http::Request<()>| async { Ok::<_, std::convert::Infallible>(()) });
/// let service: ClientTokenService<_> = ClientTokenLayer::bce(MemoryStore::new()).layer(inner);
/// let _inner = service.into_inner();
/// ```
#[derive(Clone)]
pub struct ClientTokenService<S> {
    inner: S,
    config: Arc<Config>,
}

impl<S> ClientTokenService<S> {
    pub(crate) fn new(inner: S, config: Arc<Config>) -> ClientTokenService<S> {
        ClientTokenService { inner, config }
    }

    /// The inner service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// Consumes the middleware, returning the inner service.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S: std::fmt::Debug> std::fmt::Debug for ClientTokenService<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientTokenService")
            .field("inner", &self.inner)
            .field("store", &self.config.store)
            .finish_non_exhaustive()
    }
}

/// The future of [`ClientTokenService`].
pub type ClientTokenFuture<B> =
    Pin<Box<dyn Future<Output = Result<Response<ClientTokenBody<B>>, CloudError>> + Send>>;

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for ClientTokenService<S>
where
    S: Service<Request<ClientTokenBody<ReqBody>>, Response = Response<ResBody>>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
    S::Error: IntoCloudError,
    ReqBody: Body<Data = Bytes> + Send + 'static,
    ReqBody::Error: Into<BoxError>,
    ResBody: Body<Data = Bytes> + Unpin + Send + 'static,
    ResBody::Error: Into<BoxError>,
{
    type Response = Response<ClientTokenBody<ResBody>>;
    type Error = CloudError;
    type Future = ClientTokenFuture<ResBody>;

    /// Always ready: the inner service is polled ready only when a request is about to run it,
    /// so a duplicate waiting for its first request holds no capacity of the inner service.
    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), CloudError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let inner = self.inner.clone();
        Box::pin(run(Arc::clone(&self.config), inner, request))
    }
}

/// A request with a valid token, its body read.
struct Subject {
    token: String,
    action: Option<String>,
    body: Bytes,
    body_sha256: [u8; 32],
}

async fn run<S, ReqBody, ResBody>(
    config: Arc<Config>,
    mut inner: S,
    request: Request<ReqBody>,
) -> Result<Response<ClientTokenBody<ResBody>>, CloudError>
where
    S: Service<Request<ClientTokenBody<ReqBody>>, Response = Response<ResBody>>,
    S::Error: IntoCloudError,
    ReqBody: Body<Data = Bytes>,
    ReqBody::Error: Into<BoxError>,
    ResBody: Body<Data = Bytes> + Unpin,
    ResBody::Error: Into<BoxError>,
{
    let (parts, body) = request.into_parts();
    let (subject, token_param) = match &config.convention {
        Convention::Bce { param } => match token::from_query(parts.uri.query(), param) {
            Ok(None) => {
                let request = Request::from_parts(parts, ClientTokenBody::original(body));
                return pass(&mut inner, request).await;
            }
            Err(BadToken) => return Err(config.invalid_token_error().leaving_body_unread()),
            Ok(Some(token)) => {
                let (body, body_sha256) = read_hashed(&config, body).await?;
                let subject = Subject {
                    token,
                    action: None,
                    body,
                    body_sha256,
                };
                (subject, Some(*param))
            }
        },
        Convention::Tencent { field, actions } => {
            let action = parts
                .headers
                .get("x-tc-action")
                .and_then(|value| value.to_str().ok())
                .filter(|action| actions.iter().any(|listed| listed == action))
                .map(str::to_owned);
            let Some(action) = action else {
                let request = Request::from_parts(parts, ClientTokenBody::original(body));
                return pass(&mut inner, request).await;
            };
            let (body, body_sha256) = read_hashed(&config, body).await?;
            match token::from_json_field(&body, field) {
                Ok(None) => {
                    let request = Request::from_parts(parts, ClientTokenBody::full(body));
                    return pass(&mut inner, request).await;
                }
                Err(BadToken) => return Err(config.invalid_token_error()),
                Ok(Some(token)) => {
                    let subject = Subject {
                        token,
                        action: Some(action),
                        body,
                        body_sha256,
                    };
                    (subject, None)
                }
            }
        }
    };

    let fingerprint = fingerprint(&parts, token_param, &config.headers, subject.body_sha256);
    // Your caller function, else the principal a signature layer verified, else the shared scope.
    let caller = match &config.caller {
        Some(caller) => caller(&parts),
        None => parts
            .extensions
            .get::<crate::auth::Principal>()
            .map(|principal| principal.access_key_id().to_owned()),
    };
    let key = store_key(
        caller.as_deref(),
        &parts,
        subject.action.as_deref(),
        &subject.token,
    );
    let request_id = parts
        .extensions
        .get::<RequestId>()
        .map(|id| id.header_value().clone());
    let reservation = Reservation::new(fingerprint);

    if let Some(stored) = reserve(&config, &key, &reservation, request_id.as_ref()).await? {
        tracing::debug!(
            request_id = request_id.as_ref().and_then(|id| id.to_str().ok()),
            "replayed the stored response of a client token"
        );
        return Ok(replay(&stored, request_id.as_ref()));
    }

    let mut guard = Guard {
        store: Arc::clone(&config.store),
        key,
        reservation,
        armed: true,
    };
    let request = Request::from_parts(parts, ClientTokenBody::full(subject.body));
    let response = match call(&mut inner, request).await {
        Ok(response) => response,
        Err(error) => {
            guard.release().await;
            return Err(error);
        }
    };
    if !response.status().is_success() {
        guard.release().await;
        return Ok(response.map(ClientTokenBody::original));
    }

    let (head, body) = response.into_parts();
    match buffer(body, config.max_replay_bytes).await {
        Buffered::Whole(bytes) => {
            let stored = StoredResponse::new(
                fingerprint,
                head.status,
                replayable_headers(&head.headers),
                bytes.clone(),
                request_id.clone(),
            );
            let id = request_id.as_ref().and_then(|id| id.to_str().ok());
            match config
                .store
                .complete(&key, &reservation, &stored, config.ttl)
                .await
            {
                Ok(true) => {}
                Ok(false) => tracing::warn!(
                    request_id = id,
                    "a client token's reservation expired or was evicted before its request \
                     finished; the response is sent but not stored for replay"
                ),
                // The reservation stays until its TTL: a retry meanwhile waits instead of
                // creating a second resource at once.
                Err(error) => tracing::error!(
                    request_id = id,
                    error = %crate::log::escaped(&error),
                    "could not store the response of a client token; the response is sent but \
                     not stored for replay"
                ),
            }
            guard.armed = false;
            Ok(Response::from_parts(head, ClientTokenBody::full(bytes)))
        }
        Buffered::TooLarge(prefix, rest) => {
            tracing::warn!(
                request_id = request_id.as_ref().and_then(|id| id.to_str().ok()),
                max_replay_bytes = config.max_replay_bytes,
                "a client token's response is larger than max_replay_bytes: sent, not stored; \
                 the token is released"
            );
            guard.release().await;
            Ok(Response::from_parts(
                head,
                ClientTokenBody::chained(prefix, rest),
            ))
        }
        Buffered::Failed(error) => {
            guard.release().await;
            Err(CloudError::internal().with_source(error))
        }
    }
}

/// Calls the inner service without idempotency.
async fn pass<S, B, ResBody>(
    inner: &mut S,
    request: Request<B>,
) -> Result<Response<ClientTokenBody<ResBody>>, CloudError>
where
    S: Service<Request<B>, Response = Response<ResBody>>,
    S::Error: IntoCloudError,
{
    Ok(call(inner, request).await?.map(ClientTokenBody::original))
}

async fn call<S, B, ResBody>(
    inner: &mut S,
    request: Request<B>,
) -> Result<Response<ResBody>, CloudError>
where
    S: Service<Request<B>, Response = Response<ResBody>>,
    S::Error: IntoCloudError,
{
    poll_fn(|cx| inner.poll_ready(cx))
        .await
        .map_err(IntoCloudError::into_cloud_error)?;
    inner
        .call(request)
        .await
        .map_err(IntoCloudError::into_cloud_error)
}

/// Reads the request body under the limit, hashing it as it arrives; the errors are worded as
/// the convention's body reader words them.
async fn read_hashed<B>(config: &Config, body: B) -> Result<(Bytes, [u8; 32]), CloudError>
where
    B: Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    let mut hasher = Sha256::new();
    let hashing = Hashing::new(body, &mut hasher);
    let bytes = match config.convention {
        Convention::Bce { .. } => {
            crate::extract::bce::read_body(hashing, config.body_limit).await?
        }
        Convention::Tencent { .. } => {
            crate::extract::tencent::read_body(hashing, config.body_limit).await?
        }
    };
    Ok((bytes, hasher.finalize().into()))
}

/// Reserves the key, waiting for a running duplicate; `Some` is a finished response to replay.
async fn reserve(
    config: &Config,
    key: &StoreKey,
    reservation: &Reservation,
    request_id: Option<&HeaderValue>,
) -> Result<Option<Arc<StoredResponse>>, CloudError> {
    let fingerprint: &Fingerprint = reservation.fingerprint();
    let deadline = tokio::time::Instant::now() + config.wait_bound;
    let mut pause = FIRST_PAUSE;
    loop {
        match config
            .store
            .reserve(key, reservation, config.reservation_ttl)
            .await
        {
            Ok(ReserveOutcome::Reserved) => return Ok(None),
            Ok(ReserveOutcome::Done(stored)) if stored.fingerprint() == fingerprint => {
                return Ok(Some(stored))
            }
            Ok(ReserveOutcome::Done(_)) => return Err(CloudError::new(config.mismatch)),
            Ok(ReserveOutcome::InFlight(held)) if held != *fingerprint => {
                return Err(CloudError::new(config.mismatch))
            }
            Ok(ReserveOutcome::InFlight(_)) => {
                let now = tokio::time::Instant::now();
                if now >= deadline {
                    tracing::warn!(
                        request_id = request_id.and_then(|id| id.to_str().ok()),
                        wait_bound = ?config.wait_bound,
                        "a duplicate request waited the wait bound for the first request with its \
                         client token; answered without running it"
                    );
                    return Err(CloudError::from_condition(Condition::Overloaded));
                }
                tokio::time::sleep(pause.min(deadline - now)).await;
                pause = (pause * 2).min(MAX_PAUSE);
            }
            Err(error) => {
                tracing::error!(
                    request_id = request_id.and_then(|id| id.to_str().ok()),
                    error = %crate::log::escaped(&error),
                    "the client token store is unavailable; answered InternalError without \
                     running the handler"
                );
                return Err(CloudError::internal().with_source(error));
            }
        }
    }
}

/// Releases a reservation the request did not complete: explicitly after a failure, or (when
/// the request's future is dropped: a panic, a client gone) from a task of its own.
struct Guard {
    store: Arc<dyn IdempotencyStore>,
    key: StoreKey,
    reservation: Reservation,
    armed: bool,
}

impl Guard {
    async fn release(&mut self) {
        self.armed = false;
        if let Err(error) = self.store.release(&self.key, &self.reservation).await {
            tracing::error!(
                error = %crate::log::escaped(&error),
                "could not release a client token after its request failed; it is free again \
                 when its reservation expires"
            );
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let (store, key, reservation) = (Arc::clone(&self.store), self.key, self.reservation);
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    let _ = store.release(&key, &reservation).await;
                });
            }
            Err(_) => tracing::warn!(
                "a client token's request ended outside a Tokio runtime; its token is free again \
                 when its reservation expires"
            ),
        }
    }
}

enum Buffered<B, E> {
    Whole(Bytes),
    /// Over the limit: what was read, and the rest.
    TooLarge(Bytes, B),
    Failed(E),
}

/// Reads a response body whole if it is at most `limit` bytes; trailers are dropped.
async fn buffer<B>(mut body: B, limit: usize) -> Buffered<B, BoxError>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    let mut bytes = BytesMut::new();
    loop {
        match body.frame().await {
            None => return Buffered::Whole(bytes.freeze()),
            Some(Err(error)) => return Buffered::Failed(error.into()),
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    bytes.extend_from_slice(&data);
                    if bytes.len() > limit {
                        return Buffered::TooLarge(bytes.freeze(), body);
                    }
                }
            }
        }
    }
}

/// Headers a replay must not repeat: hop-by-hop ones, those recomputed for every response, and
/// cookies.
fn is_replayable(name: &HeaderName) -> bool {
    !matches!(
        name.as_str(),
        "connection"
            | "keep-alive"
            | "proxy-connection"
            | "transfer-encoding"
            | "upgrade"
            | "te"
            | "trailer"
            | "content-length"
            | "date"
            | "set-cookie"
            | "x-bce-request-id"
            | "x-tc-requestid"
            | "x-request-id"
    )
}

fn replayable_headers(headers: &HeaderMap) -> Vec<(HeaderName, HeaderValue)> {
    headers
        .iter()
        .filter(|(name, _)| is_replayable(name))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

/// The stored response, with the replaying request's id in place of the first one's.
fn replay<B>(
    stored: &StoredResponse,
    request_id: Option<&HeaderValue>,
) -> Response<ClientTokenBody<B>> {
    let body = match (stored.request_id(), request_id) {
        (Some(old), Some(new)) if old != new && old.len() >= MIN_REPLACED_ID_LEN => {
            replace_all(stored.body(), old.as_bytes(), new.as_bytes())
        }
        _ => stored.body().clone(),
    };
    let mut response = Response::new(ClientTokenBody::full(body));
    *response.status_mut() = stored.status();
    let headers = response.headers_mut();
    for (name, value) in stored.headers() {
        headers.append(name.clone(), value.clone());
    }
    response
}

fn replace_all(haystack: &Bytes, needle: &[u8], with: &[u8]) -> Bytes {
    if needle.is_empty() || haystack.len() < needle.len() {
        return haystack.clone();
    }
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = &haystack[..];
    let mut replaced = false;
    while let Some(at) = rest
        .windows(needle.len())
        .position(|window| window == needle)
    {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(with);
        rest = &rest[at + needle.len()..];
        replaced = true;
    }
    if !replaced {
        return haystack.clone();
    }
    out.extend_from_slice(rest);
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_all_swaps_every_occurrence() {
        let body = Bytes::from_static(b"{\"RequestId\":\"old-id-123\",\"x\":\"old-id-123\"}");
        assert_eq!(
            replace_all(&body, b"old-id-123", b"new"),
            "{\"RequestId\":\"new\",\"x\":\"new\"}"
        );
        assert_eq!(replace_all(&body, b"absent-id", b"new"), body);
    }

    #[test]
    fn hop_by_hop_and_per_response_headers_are_not_replayed() {
        let mut headers = HeaderMap::new();
        for name in ["content-type", "etag", "location", "x-bce-custom"] {
            headers.insert(HeaderName::from_static(name), HeaderValue::from_static("v"));
        }
        for name in [
            "connection",
            "content-length",
            "date",
            "set-cookie",
            "x-bce-request-id",
        ] {
            headers.insert(HeaderName::from_static(name), HeaderValue::from_static("v"));
        }
        let replayed = replayable_headers(&headers);
        let kept: Vec<&str> = replayed.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(kept, ["content-type", "etag", "location", "x-bce-custom"]);
    }
}
