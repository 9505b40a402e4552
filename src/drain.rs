//! Draining a refused request body before the answer, bounded, so that a client that sends its
//! whole body before reading (Python's `http.client`, and the official BCE SDK on it) reads the
//! answer instead of a reset connection.
//!
//! When an HTTP/1 answer leaves the request body unread, hyper closes the connection after it,
//! and closing a socket with unread data makes the kernel send a reset: a client still sending
//! gets `EPIPE`/`ECONNRESET`, and often loses the answer already delivered to it. nginx's
//! lingering close is the model: read and discard what the client still sends, within a byte and
//! a time bound. Here the layer's response future does it before it answers, so the answer knows
//! whether the connection stays open: drained to its end, the connection is kept (no
//! `Connection: close`); past a bound, or when reading fails, the answer says `Connection:
//! close`.
//!
//! Only bodies the layer tracks are drained (`request_body`: axum's `Body`, feature `axum`),
//! and only those dropped unread: the wrapper hands its inner body back when it is dropped
//! before its end (`ReadState::park`). Chunks are discarded as they come: memory stays bounded.
//!
//! The time bound uses tokio's timer (axum runs on tokio): without a current tokio runtime, or
//! on one built without timers, nothing is drained and the answer says `Connection: close` as
//! it would without draining. tokio's timer panics on a runtime without timers: the panic is
//! caught, and the runtime remembered, so that it happens once per runtime.

use std::time::Duration;

/// How much of an unread request body the layer reads and discards before answering
/// ([`CloudErrorLayer::drain_unread_bodies`](crate::CloudErrorLayer::drain_unread_bodies)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DrainBound {
    /// At most this many bytes of body are read after the inner service dropped it.
    pub(crate) max_bytes: u64,
    /// At most this long is spent reading them.
    pub(crate) max_time: Duration,
}

impl DrainBound {
    /// The default bound: 16 MiB in 10 s. 16 MiB covers the bodies the official SDKs send in one
    /// request (the BCE SDK's uploads aside); 10 s is enough for 16 MiB on any link faster than
    /// about 13 Mbit/s, and bounds how long a stalled client holds its answer.
    pub(crate) const DEFAULT: DrainBound = DrainBound {
        max_bytes: 16 * 1024 * 1024,
        max_time: Duration::from_secs(10),
    };

    /// Draining is off: unread bodies are dropped, and the answer says `Connection: close`.
    #[cfg_attr(not(feature = "axum"), allow(dead_code))] // only axum bodies are drained
    pub(crate) fn is_off(&self) -> bool {
        self.max_bytes == 0 || self.max_time.is_zero()
    }
}

impl Default for DrainBound {
    fn default() -> Self {
        DrainBound::DEFAULT
    }
}

pub(crate) use imp::Drain;

/// An answer waiting for its request body to be drained: `then` is handed back once the body
/// reached its end, a bound was hit or reading failed (the body's read state says which).
pub(crate) struct Draining<T> {
    drain: Drain,
    // In a mutex only so that holding a response does not make the future lose `Sync` (bodies
    // rarely are); only ever reached through `get_mut`, never locked.
    then: std::sync::Mutex<Option<T>>,
}

impl<T> Draining<T> {
    #[cfg_attr(not(feature = "axum"), allow(dead_code))] // only axum bodies are drained
    pub(crate) fn new(drain: Drain, then: T) -> Self {
        Draining {
            drain,
            then: std::sync::Mutex::new(Some(then)),
        }
    }

    pub(crate) fn poll(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<T> {
        std::task::ready!(self.drain.poll(cx));
        let then = self
            .then
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::task::Poll::Ready(then.take().expect("drain polled after completion"))
    }
}

#[cfg(feature = "axum")]
mod imp {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex, PoisonError};
    use std::task::{Context, Poll};

    use axum_core::body::Body;
    use http_body::Body as _;
    use tokio::runtime::{Handle, Id};
    use tokio::time::Sleep;

    use crate::guard::guarded;
    use crate::request_body::ReadState;

    /// Frames read per poll before yielding to the executor, so that a fast client cannot keep
    /// one task busy.
    const FRAMES_PER_POLL: usize = 64;

    /// Reads and discards an unread request body, within its bound.
    pub(crate) struct Drain {
        // In a mutex only to be `Sync` (axum's body is not), so that the response future stays
        // `Sync` wherever it was: only ever reached through `get_mut`, never locked.
        body: Mutex<Body>,
        deadline: Pin<Box<Sleep>>,
        bytes_left: u64,
        state: Arc<ReadState>,
    }

    impl Drain {
        /// Starts draining the body `state` holds, if it was dropped unread and may be drained:
        /// not when draining is off, when the body announces more than the bound, when the
        /// client waits for `100 Continue` that was never sent (reading would send it and invite
        /// the body), or without a tokio timer. `None`: the answer says `Connection: close`.
        pub(crate) fn start(state: &Arc<ReadState>) -> Option<Drain> {
            let body = state.take_parked()?;
            let bound = state.drain;
            if bound.is_off()
                || body.size_hint().lower() > bound.max_bytes
                || (state.expects_continue() && !state.was_started())
            {
                return None;
            }
            Some(Drain {
                body: Mutex::new(body),
                deadline: deadline(bound.max_time)?,
                bytes_left: bound.max_bytes,
                state: state.clone(),
            })
        }

        /// Ready when the body reached its end (marked read), a bound was hit, or reading
        /// failed (left unread: the answer says `Connection: close`).
        pub(crate) fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
            // A panic in tokio's timer (a runtime shutting down) ends the drain like the bound.
            match guarded(|| self.deadline.as_mut().poll(cx)) {
                Ok(Poll::Pending) => {}
                Ok(Poll::Ready(())) | Err(_) => return Poll::Ready(()),
            }
            let body = self.body.get_mut().unwrap_or_else(PoisonError::into_inner);
            for _ in 0..FRAMES_PER_POLL {
                match guarded(|| Pin::new(&mut *body).poll_frame(cx)) {
                    Ok(Poll::Pending) => return Poll::Pending,
                    Ok(Poll::Ready(None)) => {
                        self.state.mark_ended();
                        return Poll::Ready(());
                    }
                    Ok(Poll::Ready(Some(Ok(frame)))) => {
                        let length = frame.data_ref().map_or(0, |data| data.len() as u64);
                        match self.bytes_left.checked_sub(length) {
                            Some(left) => self.bytes_left = left,
                            None => return Poll::Ready(()),
                        }
                        if body.is_end_stream() {
                            self.state.mark_ended();
                            return Poll::Ready(());
                        }
                    }
                    Ok(Poll::Ready(Some(Err(_)))) | Err(_) => {
                        self.state.mark_failed();
                        return Poll::Ready(());
                    }
                }
            }
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    /// Whether some runtime was found without timers (then `TIMERLESS` says which): saves the
    /// lock on every other drain.
    static ANY_TIMERLESS: AtomicBool = AtomicBool::new(false);
    /// The runtimes found without timers.
    static TIMERLESS: Mutex<Vec<Id>> = Mutex::new(Vec::new());

    /// A timer for `time` on the current tokio runtime; `None` without a runtime or timers.
    fn deadline(time: std::time::Duration) -> Option<Pin<Box<Sleep>>> {
        let runtime = Handle::try_current().ok()?;
        let id = runtime.id();
        let timerless = || TIMERLESS.lock().unwrap_or_else(PoisonError::into_inner);
        if ANY_TIMERLESS.load(Ordering::Acquire) && timerless().contains(&id) {
            return None;
        }
        // tokio panics when the runtime has no timers: caught, and remembered.
        match guarded(|| Box::pin(tokio::time::sleep(time))) {
            Ok(sleep) => Some(sleep),
            Err(_) => {
                let mut timerless = timerless();
                if !timerless.contains(&id) {
                    timerless.push(id);
                }
                ANY_TIMERLESS.store(true, Ordering::Release);
                None
            }
        }
    }
}

#[cfg(not(feature = "axum"))]
mod imp {
    use std::task::{Context, Poll};

    /// Without the `axum` feature no body is tracked, so none is drained.
    pub(crate) enum Drain {}

    impl Drain {
        pub(crate) fn poll(&mut self, _: &mut Context<'_>) -> Poll<()> {
            match *self {}
        }
    }
}

#[cfg(all(test, feature = "axum"))]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use axum_core::body::Body;
    use http::Request;

    use super::{Drain, DrainBound};
    use crate::request_body::{track, ReadState, RequestBody};

    /// A tracked request body of `text`, dropped unread; its state.
    fn dropped_unread(text: &'static str, expect: bool, bound: DrainBound) -> Arc<ReadState> {
        let mut request = Request::new(Body::from(text));
        if expect {
            request
                .headers_mut()
                .insert(http::header::EXPECT, "100-Continue".parse().unwrap());
        }
        let RequestBody::Tracked(state) = track(&mut request, bound) else {
            panic!("an axum body is tracked");
        };
        drop(request);
        state
    }

    async fn drain(state: &Arc<ReadState>) -> bool {
        let Some(mut drain) = Drain::start(state) else {
            return false;
        };
        std::future::poll_fn(|cx| drain.poll(cx)).await;
        true
    }

    #[tokio::test]
    async fn a_body_dropped_unread_is_drained_to_its_end() {
        let state = dropped_unread("abc", false, DrainBound::DEFAULT);
        assert!(drain(&state).await);
        assert!(state.is_read());
        assert!(!state.was_dropped_unread());
    }

    #[tokio::test]
    async fn a_body_larger_than_the_byte_bound_is_not_drained() {
        let bound = DrainBound {
            max_bytes: 2,
            max_time: Duration::from_secs(10),
        };
        let state = dropped_unread("abc", false, bound);
        assert!(!drain(&state).await, "its size is known: not started");
        assert!(!state.is_read());
    }

    #[tokio::test]
    async fn draining_off_keeps_nothing() {
        let off = DrainBound {
            max_bytes: 0,
            max_time: Duration::ZERO,
        };
        let state = dropped_unread("abc", false, off);
        assert!(state.take_parked().is_none());
        assert!(!drain(&state).await);
        assert!(state.was_dropped_unread());
    }

    #[tokio::test]
    async fn a_body_waiting_for_100_continue_is_not_drained() {
        let state = dropped_unread("abc", true, DrainBound::DEFAULT);
        assert!(!drain(&state).await);
        assert!(!state.is_read());
    }

    #[test]
    fn a_drain_is_send_and_sync() {
        // The response future holds one: it must not lose `Send` or `Sync`.
        fn send_and_sync<T: Send + Sync>() {}
        send_and_sync::<Drain>();
        // Whatever it holds, if that is `Send` (axum's body is not `Sync`).
        send_and_sync::<super::Draining<http::Response<Body>>>();
    }

    #[test]
    fn without_a_tokio_runtime_nothing_is_drained() {
        let state = dropped_unread("abc", false, DrainBound::DEFAULT);
        assert!(Drain::start(&state).is_none());
    }
}
