//! [`MemoryStore`]: tokens in this process, bounded by bytes and entries.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::clock::{Clock, SystemClock};
use super::fingerprint::StoreKey;
use super::store::{
    IdempotencyStore, Reservation, ReserveOutcome, StoreError, StoreFuture, StoredResponse,
};

/// What an entry costs beyond its response: the key (twice: map and order), the reservation, the
/// map and tree slots.
const ENTRY_OVERHEAD: usize = 160;

/// A token store in this process's memory, for a service that runs as one process.
///
/// It never holds more than [`max_entries`](MemoryStore::max_entries) entries nor more than
/// [`max_bytes`](MemoryStore::max_bytes) accounted bytes (each entry costs a fixed overhead plus
/// its response's [`accounted_bytes`](StoredResponse::accounted_bytes)): to make room it
/// evicts the oldest entries first (the least recently written), expired or not. Whatever the
/// clients send, memory stays bounded; the price of a flood is that old tokens are forgotten
/// early (a retry of an evicted token runs again). A response larger than the whole byte bound
/// is not stored: `complete` fails (the layer logs it) and drops the reservation, so a retry
/// runs again.
///
/// Defaults: 64 MiB and 100 000 entries.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use std::time::Duration;
/// use tower_cloud_error::idempotency::{
///     Fingerprint, IdempotencyStore, ManualClock, MemoryStore, Reservation, ReserveOutcome,
///     StoreKey,
/// };
///
/// let clock = ManualClock::new();
/// let store = MemoryStore::new().max_entries(2).clock(clock.clone());
/// let reservation = Reservation::new(Fingerprint::from_bytes([0; 32]));
/// for key in 0..3 {
///     let key = StoreKey::from_bytes([key; 32]);
///     store.reserve(&key, &reservation, Duration::from_secs(60)).await.unwrap();
/// }
/// assert_eq!(store.len(), 2); // the oldest was evicted
///
/// // After its TTL, a reservation is gone.
/// clock.advance(Duration::from_secs(61));
/// let key = StoreKey::from_bytes([2; 32]);
/// let outcome = store.reserve(&key, &reservation, Duration::from_secs(60)).await.unwrap();
/// assert!(matches!(outcome, ReserveOutcome::Reserved));
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct MemoryStore {
    state: Arc<Mutex<State>>,
    max_bytes: usize,
    max_entries: usize,
    clock: Arc<dyn Clock>,
}

#[derive(Debug, Default)]
struct State {
    entries: HashMap<StoreKey, Entry>,
    /// Entries by age: the write sequence number of each.
    order: BTreeMap<u64, StoreKey>,
    next_sequence: u64,
    bytes: usize,
}

#[derive(Debug)]
struct Entry {
    sequence: u64,
    expires_at: Duration,
    cost: usize,
    value: Value,
}

#[derive(Debug)]
enum Value {
    Reserved(Reservation),
    Done(Arc<StoredResponse>),
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::new()
    }
}

impl MemoryStore {
    /// An empty store: 64 MiB, 100 000 entries, the [`SystemClock`].
    #[must_use]
    pub fn new() -> MemoryStore {
        MemoryStore {
            state: Arc::default(),
            max_bytes: 64 * 1024 * 1024,
            max_entries: 100_000,
            clock: Arc::new(SystemClock::new()),
        }
    }

    /// Bounds the accounted bytes (at least one entry's overhead is always allowed).
    #[must_use]
    pub fn max_bytes(mut self, max_bytes: usize) -> MemoryStore {
        self.max_bytes = max_bytes.max(ENTRY_OVERHEAD);
        self
    }

    /// Bounds the number of entries (at least 1).
    #[must_use]
    pub fn max_entries(mut self, max_entries: usize) -> MemoryStore {
        self.max_entries = max_entries.max(1);
        self
    }

    /// The clock entries expire by ([`ManualClock`](super::ManualClock) in tests).
    #[must_use]
    pub fn clock(mut self, clock: impl Clock) -> MemoryStore {
        self.clock = Arc::new(clock);
        self
    }

    /// The entries held now, expired ones not yet dropped included.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether the store holds no entry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The accounted bytes held now (never above the byte bound).
    #[must_use]
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics while the lock is held; if something did, the maps are still valid.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn reserve_now(
        &self,
        key: &StoreKey,
        reservation: &Reservation,
        ttl: Duration,
    ) -> ReserveOutcome {
        let now = self.clock.now();
        let mut state = self.lock();
        if let Some(entry) = state.live(key, now) {
            return match &entry.value {
                Value::Reserved(held) => ReserveOutcome::InFlight(*held.fingerprint()),
                Value::Done(response) => ReserveOutcome::Done(Arc::clone(response)),
            };
        }
        self.insert(
            &mut state,
            *key,
            Value::Reserved(*reservation),
            ENTRY_OVERHEAD,
            now + ttl,
        );
        ReserveOutcome::Reserved
    }

    fn complete_now(
        &self,
        key: &StoreKey,
        reservation: &Reservation,
        response: &StoredResponse,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        let now = self.clock.now();
        let cost = ENTRY_OVERHEAD + response.accounted_bytes();
        let mut state = self.lock();
        if !state.holds(key, reservation, now) {
            return Ok(false);
        }
        state.remove(key);
        if cost > self.max_bytes {
            return Err(StoreError::new(format!(
                "a response of {cost} accounted bytes does not fit a memory store of {} bytes",
                self.max_bytes
            )));
        }
        let value = Value::Done(Arc::new(response.clone()));
        self.insert(&mut state, *key, value, cost, now + ttl);
        Ok(true)
    }

    fn release_now(&self, key: &StoreKey, reservation: &Reservation) -> bool {
        let now = self.clock.now();
        let mut state = self.lock();
        let held = state.holds(key, reservation, now);
        if held {
            state.remove(key);
        }
        held
    }

    /// Inserts an entry as the newest, then evicts the oldest until both bounds hold.
    fn insert(
        &self,
        state: &mut State,
        key: StoreKey,
        value: Value,
        cost: usize,
        expires_at: Duration,
    ) {
        state.remove(&key);
        let sequence = state.next_sequence;
        state.next_sequence += 1;
        state.order.insert(sequence, key);
        state.bytes += cost;
        state.entries.insert(
            key,
            Entry {
                sequence,
                expires_at,
                cost,
                value,
            },
        );
        while state.bytes > self.max_bytes || state.entries.len() > self.max_entries {
            let Some((_, oldest)) = state.order.pop_first() else {
                break;
            };
            if let Some(entry) = state.entries.remove(&oldest) {
                state.bytes -= entry.cost;
            }
        }
    }
}

impl State {
    /// The entry at `key` unless it expired (an expired one is dropped).
    fn live(&mut self, key: &StoreKey, now: Duration) -> Option<&Entry> {
        let expired = self.entries.get(key)?.expires_at <= now;
        if expired {
            self.remove(key);
            return None;
        }
        self.entries.get(key)
    }

    fn holds(&mut self, key: &StoreKey, reservation: &Reservation, now: Duration) -> bool {
        matches!(
            self.live(key, now),
            Some(Entry { value: Value::Reserved(held), .. }) if held == reservation
        )
    }

    fn remove(&mut self, key: &StoreKey) {
        if let Some(entry) = self.entries.remove(key) {
            self.order.remove(&entry.sequence);
            self.bytes -= entry.cost;
        }
    }
}

impl IdempotencyStore for MemoryStore {
    fn reserve<'a>(
        &'a self,
        key: &'a StoreKey,
        reservation: &'a Reservation,
        ttl: Duration,
    ) -> StoreFuture<'a, ReserveOutcome> {
        let outcome = self.reserve_now(key, reservation, ttl);
        Box::pin(std::future::ready(Ok(outcome)))
    }

    fn complete<'a>(
        &'a self,
        key: &'a StoreKey,
        reservation: &'a Reservation,
        response: &'a StoredResponse,
        ttl: Duration,
    ) -> StoreFuture<'a, bool> {
        Box::pin(std::future::ready(self.complete_now(
            key,
            reservation,
            response,
            ttl,
        )))
    }

    fn release<'a>(
        &'a self,
        key: &'a StoreKey,
        reservation: &'a Reservation,
    ) -> StoreFuture<'a, bool> {
        Box::pin(std::future::ready(Ok(self.release_now(key, reservation))))
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use http::StatusCode;

    use super::super::clock::ManualClock;
    use super::super::fingerprint::Fingerprint;
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);
    const DAY: Duration = Duration::from_secs(24 * 3600);

    fn key(n: u32) -> StoreKey {
        let mut bytes = [0; 32];
        bytes[..4].copy_from_slice(&n.to_be_bytes());
        StoreKey::from_bytes(bytes)
    }

    fn reservation(n: u8) -> Reservation {
        Reservation::new(Fingerprint::from_bytes([n; 32]))
    }

    fn response(reservation: &Reservation, body_len: usize) -> StoredResponse {
        StoredResponse::new(
            *reservation.fingerprint(),
            StatusCode::OK,
            vec![(
                http::header::CONTENT_TYPE,
                "application/json".parse().unwrap(),
            )],
            Bytes::from(vec![b'x'; body_len]),
            Some("req-1".parse().unwrap()),
        )
    }

    #[test]
    fn reserve_complete_and_replay() {
        let store = MemoryStore::new();
        let first = reservation(1);
        assert!(matches!(
            store.reserve_now(&key(1), &first, MINUTE),
            ReserveOutcome::Reserved
        ));
        let stored = response(&first, 10);
        assert!(store.complete_now(&key(1), &first, &stored, DAY).unwrap());
        match store.reserve_now(&key(1), &reservation(1), MINUTE) {
            ReserveOutcome::Done(found) => assert_eq!(*found, stored),
            other => panic!("{other:?}"),
        }
        // Completing or releasing twice, or with another owner, changes nothing.
        assert!(!store.complete_now(&key(1), &first, &stored, DAY).unwrap());
        assert!(!store.release_now(&key(1), &first));
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn reservations_expire_after_their_ttl_and_responses_after_theirs() {
        let clock = ManualClock::new();
        let store = MemoryStore::new().clock(clock.clone());
        let first = reservation(1);
        store.reserve_now(&key(1), &first, MINUTE);
        clock.advance(MINUTE - Duration::from_millis(1));
        assert!(matches!(
            store.reserve_now(&key(1), &reservation(1), MINUTE),
            ReserveOutcome::InFlight(_)
        ));
        clock.advance(Duration::from_millis(1));
        // A crashed request's reservation expired: the retry runs, and the late completion of
        // the crashed one cannot overwrite the retry's reservation.
        let retry = reservation(1);
        assert!(matches!(
            store.reserve_now(&key(1), &retry, MINUTE),
            ReserveOutcome::Reserved
        ));
        assert!(!store
            .complete_now(&key(1), &first, &response(&first, 1), DAY)
            .unwrap());
        assert!(store
            .complete_now(&key(1), &retry, &response(&retry, 1), DAY)
            .unwrap());
        clock.advance(DAY - Duration::from_millis(1));
        assert!(matches!(
            store.reserve_now(&key(1), &reservation(1), MINUTE),
            ReserveOutcome::Done(_)
        ));
        clock.advance(Duration::from_millis(1));
        assert!(matches!(
            store.reserve_now(&key(1), &reservation(1), MINUTE),
            ReserveOutcome::Reserved
        ));
    }

    #[test]
    fn completion_after_expiry_fails_and_release_frees_the_token() {
        let clock = ManualClock::new();
        let store = MemoryStore::new().clock(clock.clone());
        let first = reservation(1);
        store.reserve_now(&key(1), &first, MINUTE);
        assert!(store.release_now(&key(1), &first));
        assert!(store.is_empty());
        assert_eq!(store.bytes(), 0);
        store.reserve_now(&key(1), &first, MINUTE);
        clock.advance(MINUTE);
        assert!(!store
            .complete_now(&key(1), &first, &response(&first, 1), DAY)
            .unwrap());
        assert!(store.is_empty());
    }

    #[test]
    fn entries_are_bounded_and_the_oldest_go_first() {
        let store = MemoryStore::new().max_entries(3);
        for n in 0..10 {
            store.reserve_now(&key(n), &reservation(1), DAY);
            assert!(store.len() <= 3);
        }
        for n in 0..7 {
            assert!(matches!(
                store.reserve_now(&key(n), &reservation(1), DAY),
                ReserveOutcome::Reserved
            ));
        }
        assert_eq!(store.len(), 3);
    }

    #[test]
    fn bytes_are_bounded_and_a_completion_counts_as_the_newest_write() {
        let limit = 4 * 1024;
        let store = MemoryStore::new().max_bytes(limit);
        let old = reservation(1);
        store.reserve_now(&key(0), &old, DAY);
        for n in 1..200 {
            let reservation = reservation(2);
            store.reserve_now(&key(n), &reservation, DAY);
            store
                .complete_now(&key(n), &reservation, &response(&reservation, 900), DAY)
                .unwrap();
            assert!(store.bytes() <= limit, "{} > {limit}", store.bytes());
        }
        // The first reservation was the oldest: evicted long ago.
        assert!(!store.release_now(&key(0), &old));
        // The newest responses are there.
        assert!(matches!(
            store.reserve_now(&key(199), &reservation(2), DAY),
            ReserveOutcome::Done(_)
        ));
        // The accounting matches the entries held.
        let state = store.lock();
        let sum: usize = state.entries.values().map(|entry| entry.cost).sum();
        assert_eq!(sum, state.bytes);
        assert_eq!(state.order.len(), state.entries.len());
    }

    #[test]
    fn a_response_larger_than_the_store_is_refused_and_frees_its_token() {
        let store = MemoryStore::new().max_bytes(1024);
        let first = reservation(1);
        store.reserve_now(&key(1), &first, DAY);
        let error = store
            .complete_now(&key(1), &first, &response(&first, 4096), DAY)
            .unwrap_err();
        assert!(error.to_string().contains("does not fit"), "{error}");
        assert!(store.is_empty());
        assert_eq!(store.bytes(), 0);
    }
}
