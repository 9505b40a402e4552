//! [`RedisStore`]: tokens in Redis, shared by every replica of a service.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderName, HeaderValue, StatusCode};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, Script};

use super::fingerprint::{Fingerprint, StoreKey};
use super::store::{
    IdempotencyStore, Reservation, ReserveOutcome, StoreError, StoreFuture, StoredResponse,
};

/// `SET NX PX`: reserves a free key; otherwise answers what the key holds, atomically.
const RESERVE: &str = r"
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return false
end
return redis.call('GET', KEYS[1])
";

/// Compare-and-set: replaces the caller's own reservation by the response.
const COMPLETE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
";

/// Compare-and-delete: removes the caller's own reservation.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
";

/// Value tags: a reservation, a finished response.
const RESERVED: u8 = b'R';
const DONE: u8 = b'D';

/// A token store in Redis (feature `redis`): every process of a service that uses the same
/// Redis and [prefix](RedisStore::prefix) shares its tokens, so a retry that lands on another
/// replica gets the first replica's answer.
///
/// Each token is one Redis string at `<prefix><StoreKey hex>`: a reservation (`SET NX PX`, with
/// the reservation TTL) or a finished response (with the response TTL), written by Lua scripts
/// so that reserving, completing (compare-and-set on the request's own reservation) and
/// releasing are atomic. Redis expires the keys; nothing else needs cleaning. Bound Redis's
/// memory with its own `maxmemory` (with `volatile-ttl` or `allkeys-lru` eviction).
///
/// Every operation is bounded by the [operation timeout](RedisStore::timeout) (default 1 s).
/// When Redis is down, slow or unreachable, an operation fails, and
/// [`ClientTokenLayer`](super::ClientTokenLayer) answers InternalError **without running the
/// handler** and logs why; the connection is re-established in the background.
///
/// ```no_run
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), tower_cloud_error::idempotency::StoreError> {
/// use tower_cloud_error::idempotency::{ClientTokenLayer, RedisStore};
///
/// let store = RedisStore::connect("redis://127.0.0.1:6379/").await?.prefix("eip-service:");
/// let layer = ClientTokenLayer::bce(store);
/// # let _ = layer;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: Arc<str>,
    timeout: Duration,
    scripts: Arc<Scripts>,
}

struct Scripts {
    reserve: Script,
    complete: Script,
    release: Script,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The connection (and so the URL, which may hold a password) is left out.
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// Connects to the Redis at `url` (`redis://[:password@]host:port[/db]`), failing if it
    /// cannot be reached now.
    ///
    /// # Errors
    ///
    /// A malformed URL, or a Redis that does not answer within the timeout.
    pub async fn connect(url: &str) -> Result<RedisStore, StoreError> {
        let store = RedisStore::open(url)?;
        let mut connection = store.connection.clone();
        let command = redis::cmd("PING");
        let ping = command.query_async::<String>(&mut connection);
        match tokio::time::timeout(store.timeout, ping).await {
            Ok(Ok(_)) => Ok(store),
            Ok(Err(error)) => Err(StoreError::new(error)),
            Err(_) => Err(StoreError::new(
                "redis: no answer to PING within the timeout",
            )),
        }
    }

    /// A store for the Redis at `url` that connects on first use (and reconnects after a
    /// failure): a service starts even while its Redis is down, and answers InternalError to
    /// requests with a token until Redis is back.
    ///
    /// Must be called inside a Tokio runtime.
    ///
    /// # Errors
    ///
    /// A malformed URL.
    pub fn open(url: &str) -> Result<RedisStore, StoreError> {
        let timeout = Duration::from_secs(1);
        let client = Client::open(url).map_err(StoreError::new)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(500));
        let connection =
            ConnectionManager::new_lazy_with_config(client, config).map_err(StoreError::new)?;
        Ok(RedisStore {
            connection,
            prefix: Arc::from("tower-cloud-error:client-token:"),
            timeout,
            scripts: Arc::new(Scripts {
                reserve: Script::new(RESERVE),
                complete: Script::new(COMPLETE),
                release: Script::new(RELEASE),
            }),
        })
    }

    /// The prefix of every key (default `tower-cloud-error:client-token:`); services that share
    /// one Redis but not their tokens use different prefixes.
    #[must_use]
    pub fn prefix(mut self, prefix: &str) -> RedisStore {
        self.prefix = Arc::from(prefix);
        self
    }

    /// The longest an operation may take (default 1 s); a slower Redis counts as down. The
    /// connection's own connect and response timeouts stay at 1 s, so a longer bound only helps
    /// an operation that has to reconnect first.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> RedisStore {
        self.timeout = timeout;
        self
    }

    fn key(&self, key: &StoreKey) -> String {
        format!("{}{}", self.prefix, key.to_hex())
    }

    async fn run<T: redis::FromRedisValue>(
        &self,
        script: &Script,
        key: &StoreKey,
        args: &[&[u8]],
    ) -> Result<T, StoreError> {
        let mut invocation = script.key(self.key(key));
        for arg in args {
            invocation.arg(*arg);
        }
        let mut connection = self.connection.clone();
        match tokio::time::timeout(self.timeout, invocation.invoke_async(&mut connection)).await {
            Ok(result) => result.map_err(StoreError::new),
            Err(_) => Err(StoreError::new(format!(
                "redis: no answer within {:?}",
                self.timeout
            ))),
        }
    }
}

fn millis(ttl: Duration) -> Vec<u8> {
    ttl.as_millis()
        .clamp(1, i64::MAX as u128)
        .to_string()
        .into_bytes()
}

impl IdempotencyStore for RedisStore {
    fn reserve<'a>(
        &'a self,
        key: &'a StoreKey,
        reservation: &'a Reservation,
        ttl: Duration,
    ) -> StoreFuture<'a, ReserveOutcome> {
        Box::pin(async move {
            let value = encode_reservation(reservation);
            let held: Option<Vec<u8>> = self
                .run(&self.scripts.reserve, key, &[&value, &millis(ttl)])
                .await?;
            match held {
                None => Ok(ReserveOutcome::Reserved),
                Some(held) => decode(&held),
            }
        })
    }

    fn complete<'a>(
        &'a self,
        key: &'a StoreKey,
        reservation: &'a Reservation,
        response: &'a StoredResponse,
        ttl: Duration,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let expected = encode_reservation(reservation);
            let value = encode_response(response)?;
            let done: i64 = self
                .run(
                    &self.scripts.complete,
                    key,
                    &[&expected, &value, &millis(ttl)],
                )
                .await?;
            Ok(done == 1)
        })
    }

    fn release<'a>(
        &'a self,
        key: &'a StoreKey,
        reservation: &'a Reservation,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let expected = encode_reservation(reservation);
            let done: i64 = self.run(&self.scripts.release, key, &[&expected]).await?;
            Ok(done == 1)
        })
    }
}

// The value format: a tag byte, then
// - reservation: owner (16 bytes), fingerprint (32 bytes);
// - response: fingerprint (32), status (u16), header count (u16), each header as name length
//   (u16), name, value length (u32), value; request id length (u16, 0 for none), request id;
//   body length (u32), body. Integers are big-endian.

fn encode_reservation(reservation: &Reservation) -> Vec<u8> {
    let mut out = Vec::with_capacity(49);
    out.push(RESERVED);
    out.extend_from_slice(reservation.owner());
    out.extend_from_slice(reservation.fingerprint().as_bytes());
    out
}

fn encode_response(response: &StoredResponse) -> Result<Vec<u8>, StoreError> {
    let too_large = || StoreError::new("a response too large to encode for Redis");
    let mut out = Vec::with_capacity(64 + response.accounted_bytes());
    out.push(DONE);
    out.extend_from_slice(response.fingerprint().as_bytes());
    out.extend_from_slice(&response.status().as_u16().to_be_bytes());
    let count = u16::try_from(response.headers().len()).map_err(|_| too_large())?;
    out.extend_from_slice(&count.to_be_bytes());
    for (name, value) in response.headers() {
        let name_len = u16::try_from(name.as_str().len()).map_err(|_| too_large())?;
        out.extend_from_slice(&name_len.to_be_bytes());
        out.extend_from_slice(name.as_str().as_bytes());
        let value_len = u32::try_from(value.len()).map_err(|_| too_large())?;
        out.extend_from_slice(&value_len.to_be_bytes());
        out.extend_from_slice(value.as_bytes());
    }
    let id = response.request_id().map_or(&[][..], HeaderValue::as_bytes);
    let id_len = u16::try_from(id.len()).map_err(|_| too_large())?;
    out.extend_from_slice(&id_len.to_be_bytes());
    out.extend_from_slice(id);
    let body_len = u32::try_from(response.body().len()).map_err(|_| too_large())?;
    out.extend_from_slice(&body_len.to_be_bytes());
    out.extend_from_slice(response.body());
    Ok(out)
}

/// A reader over a value that fails, never panics, on a short or malformed value.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], StoreError> {
        if self.0.len() < n {
            return Err(malformed());
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], StoreError> {
        self.take(N)?.try_into().map_err(|_| malformed())
    }

    fn u16(&mut self) -> Result<usize, StoreError> {
        Ok(u16::from_be_bytes(self.array()?).into())
    }

    fn u32(&mut self) -> Result<usize, StoreError> {
        usize::try_from(u32::from_be_bytes(self.array()?)).map_err(|_| malformed())
    }
}

fn malformed() -> StoreError {
    StoreError::new("redis: a client-token value that is not one this store wrote")
}

fn decode(value: &[u8]) -> Result<ReserveOutcome, StoreError> {
    let mut reader = Reader(value);
    match reader.array::<1>()? {
        [RESERVED] => {
            let _owner: [u8; 16] = reader.array()?;
            Ok(ReserveOutcome::InFlight(Fingerprint::from_bytes(
                reader.array()?,
            )))
        }
        [DONE] => {
            decode_response(&mut reader).map(|response| ReserveOutcome::Done(Arc::new(response)))
        }
        _ => Err(malformed()),
    }
}

fn decode_response(reader: &mut Reader<'_>) -> Result<StoredResponse, StoreError> {
    let fingerprint = Fingerprint::from_bytes(reader.array()?);
    let status =
        StatusCode::from_u16(u16::from_be_bytes(reader.array()?)).map_err(|_| malformed())?;
    let count = reader.u16()?;
    let mut headers = Vec::with_capacity(count.min(64));
    for _ in 0..count {
        let len = reader.u16()?;
        let name = HeaderName::from_bytes(reader.take(len)?).map_err(|_| malformed())?;
        let len = reader.u32()?;
        let value = HeaderValue::from_bytes(reader.take(len)?).map_err(|_| malformed())?;
        headers.push((name, value));
    }
    let len = reader.u16()?;
    let request_id = match reader.take(len)? {
        [] => None,
        id => Some(HeaderValue::from_bytes(id).map_err(|_| malformed())?),
    };
    let len = reader.u32()?;
    let body = Bytes::copy_from_slice(reader.take(len)?);
    if !reader.0.is_empty() {
        return Err(malformed());
    }
    Ok(StoredResponse::new(
        fingerprint,
        status,
        headers,
        body,
        request_id,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_round_trip_and_garbage_is_an_error() {
        let response = StoredResponse::new(
            Fingerprint::from_bytes([9; 32]),
            StatusCode::CREATED,
            vec![
                (
                    http::header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (http::header::ETAG, HeaderValue::from_static("\"abc\"")),
            ],
            Bytes::from_static(b"{\"eip\":\"100.88.0.1\"}"),
            Some(HeaderValue::from_static(
                "0b1c2d3e-aaaa-4bbb-8ccc-123456789abc",
            )),
        );
        let encoded = encode_response(&response).unwrap();
        match decode(&encoded).unwrap() {
            ReserveOutcome::Done(decoded) => assert_eq!(*decoded, response),
            other => panic!("{other:?}"),
        }
        let reservation = Reservation::new(Fingerprint::from_bytes([4; 32]));
        match decode(&encode_reservation(&reservation)).unwrap() {
            ReserveOutcome::InFlight(fingerprint) => {
                assert_eq!(fingerprint, *reservation.fingerprint());
            }
            other => panic!("{other:?}"),
        }
        // Every truncation, and trailing bytes, are errors, never panics.
        for len in 0..encoded.len() {
            assert!(decode(&encoded[..len]).is_err(), "truncated at {len}");
        }
        let mut longer = encoded.clone();
        longer.push(0);
        assert!(decode(&longer).is_err());
        assert!(decode(b"X").is_err());
    }
}
