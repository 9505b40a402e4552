//! [`IdempotencyStore`]: where the layer keeps reservations and finished responses.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderName, HeaderValue, StatusCode};

use super::fingerprint::{Fingerprint, StoreKey};
use crate::into_cloud_error::BoxError;

/// The future a store's operation returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Where [`ClientTokenLayer`](super::ClientTokenLayer) keeps its tokens: in this process
/// ([`MemoryStore`](super::MemoryStore)), in Redis (`RedisStore`, feature `redis`) or anywhere
/// an implementation puts them.
///
/// Each key holds nothing, a reservation (a request is running) or a finished response. Every
/// operation is atomic with respect to the others on the same key, across every process that
/// shares the store; that is what makes a duplicate run impossible.
///
/// - [`reserve`](IdempotencyStore::reserve): if the key holds nothing (or only something
///   expired), store `reservation` for `ttl` and answer [`ReserveOutcome::Reserved`]; otherwise
///   answer what it holds.
/// - [`complete`](IdempotencyStore::complete): if the key still holds exactly `reservation`,
///   replace it by `response` for `ttl` and answer `true`; otherwise change nothing and answer
///   `false` (the reservation expired or was evicted).
/// - [`release`](IdempotencyStore::release): if the key still holds exactly `reservation`,
///   remove it and answer `true`; otherwise change nothing and answer `false`.
///
/// An `Err` means the store could not be asked (it is down, slow or answered garbage); the layer
/// then answers InternalError without running the handler.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use std::time::Duration;
/// use tower_cloud_error::idempotency::{
///     Fingerprint, IdempotencyStore, MemoryStore, Reservation, ReserveOutcome, StoreKey,
/// };
///
/// let store = MemoryStore::new();
/// let key = StoreKey::from_bytes([1; 32]);
/// let first = Reservation::new(Fingerprint::from_bytes([2; 32]));
/// let ttl = Duration::from_secs(60);
/// assert!(matches!(store.reserve(&key, &first, ttl).await, Ok(ReserveOutcome::Reserved)));
///
/// // A second request with the token finds the first one running.
/// let second = Reservation::new(Fingerprint::from_bytes([2; 32]));
/// match store.reserve(&key, &second, ttl).await {
///     Ok(ReserveOutcome::InFlight(fingerprint)) => assert_eq!(fingerprint, *first.fingerprint()),
///     other => panic!("{other:?}"),
/// }
/// // Only the owner of the reservation releases it.
/// assert!(!store.release(&key, &second).await.unwrap());
/// assert!(store.release(&key, &first).await.unwrap());
/// # }
/// ```
pub trait IdempotencyStore: fmt::Debug + Send + Sync + 'static {
    /// Reserves `key` for `reservation` if it is free, atomically.
    fn reserve<'a>(
        &'a self,
        key: &'a StoreKey,
        reservation: &'a Reservation,
        ttl: Duration,
    ) -> StoreFuture<'a, ReserveOutcome>;

    /// Replaces `reservation` by `response`, if `key` still holds `reservation`.
    fn complete<'a>(
        &'a self,
        key: &'a StoreKey,
        reservation: &'a Reservation,
        response: &'a StoredResponse,
        ttl: Duration,
    ) -> StoreFuture<'a, bool>;

    /// Removes `reservation`, if `key` still holds it.
    fn release<'a>(
        &'a self,
        key: &'a StoreKey,
        reservation: &'a Reservation,
    ) -> StoreFuture<'a, bool>;
}

/// One request's claim on a token: a random owner id (so that only this request completes or
/// releases it) and the request's [`Fingerprint`].
///
/// ```
/// use tower_cloud_error::idempotency::{Fingerprint, Reservation};
///
/// let a = Reservation::new(Fingerprint::from_bytes([1; 32]));
/// let b = Reservation::new(Fingerprint::from_bytes([1; 32]));
/// assert_ne!(a, b); // two requests, two owners
/// assert_eq!(Reservation::from_parts(*a.owner(), *a.fingerprint()), a);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reservation {
    owner: [u8; 16],
    fingerprint: Fingerprint,
}

impl Reservation {
    /// A reservation with a fresh random owner id.
    #[must_use]
    pub fn new(fingerprint: Fingerprint) -> Reservation {
        Reservation {
            owner: uuid::Uuid::new_v4().into_bytes(),
            fingerprint,
        }
    }

    /// The reservation with `owner` and `fingerprint` (stores read reservations back this way).
    #[must_use]
    pub const fn from_parts(owner: [u8; 16], fingerprint: Fingerprint) -> Reservation {
        Reservation { owner, fingerprint }
    }

    /// The owner id.
    #[must_use]
    pub const fn owner(&self) -> &[u8; 16] {
        &self.owner
    }

    /// The fingerprint of the request that holds it.
    #[must_use]
    pub const fn fingerprint(&self) -> &Fingerprint {
        &self.fingerprint
    }
}

/// What [`IdempotencyStore::reserve`] found.
///
/// ```
/// use tower_cloud_error::idempotency::{Fingerprint, ReserveOutcome};
///
/// let outcome = ReserveOutcome::InFlight(Fingerprint::from_bytes([0; 32]));
/// assert!(matches!(outcome, ReserveOutcome::InFlight(_)));
/// ```
#[derive(Debug, Clone)]
pub enum ReserveOutcome {
    /// The key was free and now holds the caller's reservation: run the request.
    Reserved,
    /// Another request with this fingerprint holds the key and is still running.
    InFlight(Fingerprint),
    /// A request with this fingerprint finished with this response.
    Done(Arc<StoredResponse>),
}

/// A finished successful response, as replayed: its status, the headers worth replaying, its
/// body, and the request id it was first sent with (replaced by the replaying request's id
/// wherever it occurs in the body).
///
/// ```
/// use bytes::Bytes;
/// use http::StatusCode;
/// use tower_cloud_error::idempotency::{Fingerprint, StoredResponse};
///
/// let response = StoredResponse::new(
///     Fingerprint::from_bytes([3; 32]),
///     StatusCode::OK,
///     vec![(http::header::CONTENT_TYPE, "application/json".parse().unwrap())],
///     Bytes::from_static(br#"{"eip":"100.88.0.1"}"#),
///     None,
/// );
/// assert_eq!(response.status(), StatusCode::OK);
/// assert_eq!(response.body(), r#"{"eip":"100.88.0.1"}"#);
/// assert!(response.accounted_bytes() > response.body().len());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    fingerprint: Fingerprint,
    status: StatusCode,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
    request_id: Option<HeaderValue>,
}

/// What a stored response costs beyond its bytes (the `Vec`, the `Arc`, the map entry): counted
/// so that a flood of tiny responses is bounded too.
const RESPONSE_OVERHEAD: usize = 128;
/// What each stored header costs beyond its name and value.
const HEADER_OVERHEAD: usize = 48;

impl StoredResponse {
    /// A response of the request with `fingerprint`, first sent with `request_id`.
    #[must_use]
    pub fn new(
        fingerprint: Fingerprint,
        status: StatusCode,
        headers: Vec<(HeaderName, HeaderValue)>,
        body: Bytes,
        request_id: Option<HeaderValue>,
    ) -> StoredResponse {
        StoredResponse {
            fingerprint,
            status,
            headers,
            body,
            // A copy of its own: a generated id is a view of a batch of ids
            // (`MakeRequestUuidV4`), which a stored response would otherwise keep alive.
            request_id: request_id.map(|id| HeaderValue::from_bytes(id.as_bytes()).unwrap_or(id)),
        }
    }

    /// The fingerprint of the request that produced it.
    #[must_use]
    pub fn fingerprint(&self) -> &Fingerprint {
        &self.fingerprint
    }

    /// The status.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The replayed headers.
    #[must_use]
    pub fn headers(&self) -> &[(HeaderName, HeaderValue)] {
        &self.headers
    }

    /// The body.
    #[must_use]
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The request id the response was first sent with.
    #[must_use]
    pub fn request_id(&self) -> Option<&HeaderValue> {
        self.request_id.as_ref()
    }

    /// The bytes a store accounts for this response: body, headers, request id and a fixed
    /// overhead per response and per header.
    #[must_use]
    pub fn accounted_bytes(&self) -> usize {
        RESPONSE_OVERHEAD
            + self.body.len()
            + self.request_id.as_ref().map_or(0, HeaderValue::len)
            + self
                .headers
                .iter()
                .map(|(name, value)| HEADER_OVERHEAD + name.as_str().len() + value.len())
                .sum::<usize>()
    }
}

/// A store could not be asked: it is down, too slow, or answered something unreadable.
///
/// Its text goes to the server's log, never to a client.
///
/// ```
/// use tower_cloud_error::idempotency::StoreError;
///
/// let error = StoreError::new("redis: connection refused");
/// assert_eq!(error.to_string(), "client token store: redis: connection refused");
/// ```
#[derive(Debug)]
pub struct StoreError {
    source: BoxError,
}

impl StoreError {
    /// A store error caused by `source`.
    pub fn new(source: impl Into<BoxError>) -> StoreError {
        StoreError {
            source: source.into(),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "client token store: {}", self.source)
    }
}

impl StdError for StoreError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// A shared store is a store (so that one store can be chosen at run time as an
/// `Arc<dyn IdempotencyStore>`).
impl<T: IdempotencyStore + ?Sized> IdempotencyStore for Arc<T> {
    fn reserve<'a>(
        &'a self,
        key: &'a StoreKey,
        reservation: &'a Reservation,
        ttl: Duration,
    ) -> StoreFuture<'a, ReserveOutcome> {
        (**self).reserve(key, reservation, ttl)
    }

    fn complete<'a>(
        &'a self,
        key: &'a StoreKey,
        reservation: &'a Reservation,
        response: &'a StoredResponse,
        ttl: Duration,
    ) -> StoreFuture<'a, bool> {
        (**self).complete(key, reservation, response, ttl)
    }

    fn release<'a>(
        &'a self,
        key: &'a StoreKey,
        reservation: &'a Reservation,
    ) -> StoreFuture<'a, bool> {
        (**self).release(key, reservation)
    }
}
