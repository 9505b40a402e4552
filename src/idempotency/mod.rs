//! Retries that are safe across replicas: the client-token idempotency layer
//! ([`ClientTokenLayer`]) and its stores ([`MemoryStore`], and `RedisStore` with feature
//! `redis`).
//!
//! A create API that takes a client token (BCE's `clientToken` query parameter, Tencent's
//! per-API `ClientToken` field) promises: the same token with the same request returns the first
//! result again; the same token with a different request is refused. The official SDKs retry
//! server errors, so without this rule a retried create makes a second resource, and when the
//! service runs as several replicas the rule only holds if they share the store.
//!
//! See [`ClientTokenLayer`] for the rules, [`Fingerprint`] for what "the same request" means and
//! [`IdempotencyStore`] for what a store guarantees.

mod body;
mod clock;
mod fingerprint;
mod layer;
mod memory;
#[cfg(feature = "redis")]
mod redis;
mod service;
mod store;
mod token;

pub use self::body::ClientTokenBody;
pub use self::clock::{Clock, ManualClock, SystemClock};
pub use self::fingerprint::{Fingerprint, StoreKey};
pub use self::layer::ClientTokenLayer;
pub use self::memory::MemoryStore;
#[cfg(feature = "redis")]
pub use self::redis::RedisStore;
pub use self::service::{ClientTokenFuture, ClientTokenService};
pub use self::store::{
    IdempotencyStore, Reservation, ReserveOutcome, StoreError, StoreFuture, StoredResponse,
};
