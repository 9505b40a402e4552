//! Whether the request body was read: the layer wraps an announced HTTP/1 body (of axum's body
//! type, the one it can wrap without changing the request type) to learn whether the inner
//! service read it to its end, so that an answer says `Connection: close` exactly when the body
//! is left unread (hyper then closes the connection after the response). A wrapped body dropped
//! before its end hands its inner body back here, for the layer to drain (`drain`).

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

use http::Request;

use crate::drain::DrainBound;

/// What the layer knows of the request body, kept for the answer.
#[derive(Debug, Clone, Default)]
pub(crate) enum RequestBody {
    /// No body announced (or HTTP/2, where an unread body costs only its stream): nothing to
    /// close for.
    #[default]
    NotAnnounced,
    /// A body of a type the layer cannot wrap: whether it was read is not known.
    Untracked,
    /// A wrapped body: its reads are recorded here.
    #[cfg_attr(not(feature = "axum"), allow(dead_code))] // only axum bodies are wrapped
    Tracked(Arc<ReadState>),
}

impl RequestBody {
    /// Whether an error answer must say `Connection: close`. `unread_hint` is what the layer
    /// knows without tracking: the inner service never ran, panicked, or refused the body.
    pub(crate) fn error_closes(&self, unread_hint: bool) -> bool {
        match self {
            RequestBody::NotAnnounced => false,
            RequestBody::Untracked => unread_hint,
            RequestBody::Tracked(state) => !state.is_read(),
        }
    }

    /// Whether a response of the inner service (a success, or a bare error rewritten) must say
    /// `Connection: close`: the body was dropped before its end. A body still alive may yet be
    /// read (a handler streaming it into its response), so it does not count. Untracked bodies
    /// are left to hyper.
    pub(crate) fn response_closes(&self) -> bool {
        match self {
            RequestBody::Tracked(state) => state.was_dropped_unread(),
            _ => false,
        }
    }
}

/// The reads of one request body, and the body itself once dropped unread.
#[derive(Debug)]
pub(crate) struct ReadState {
    flags: AtomicU8,
    /// The layer's bound for draining this body.
    #[cfg_attr(not(feature = "axum"), allow(dead_code))]
    pub(crate) drain: DrainBound,
    /// The request says `Expect: 100-continue`: the client sends the body only once the server
    /// starts reading it.
    #[cfg_attr(not(feature = "axum"), allow(dead_code))]
    expects_continue: bool,
    /// The inner body, handed back by the wrapper dropped before its end (if draining is on).
    #[cfg(feature = "axum")]
    parked: std::sync::Mutex<Option<axum_core::body::Body>>,
}

/// The body reported its end: nothing is left unread.
const ENDED: u8 = 1;
/// Reading failed (malformed framing, a reset): hyper closes the connection.
const FAILED: u8 = 2;
/// The body was dropped before its end.
const DROPPED: u8 = 4;
/// The body was polled at least once (for `Expect: 100-continue`, hyper has then sent
/// `100 Continue`).
const STARTED: u8 = 8;

#[cfg_attr(not(feature = "axum"), allow(dead_code))] // only axum bodies are wrapped and drained
impl ReadState {
    fn new(drain: DrainBound, expects_continue: bool) -> Self {
        ReadState {
            flags: AtomicU8::new(0),
            drain,
            expects_continue,
            #[cfg(feature = "axum")]
            parked: std::sync::Mutex::new(None),
        }
    }

    /// Sets `flag`; returns the flags before.
    fn set(&self, flag: u8) -> u8 {
        self.flags.fetch_or(flag, Ordering::AcqRel)
    }

    fn get(&self) -> u8 {
        self.flags.load(Ordering::Acquire)
    }

    /// The drain read the body to its end.
    pub(crate) fn mark_ended(&self) {
        self.set(ENDED);
    }

    /// The drain failed to read the body (hyper closes the connection).
    pub(crate) fn mark_failed(&self) {
        self.set(FAILED);
    }

    /// Whether the body was ever polled.
    pub(crate) fn was_started(&self) -> bool {
        self.get() & STARTED != 0
    }

    /// Whether the client waits for `100 Continue` before sending the body.
    pub(crate) fn expects_continue(&self) -> bool {
        self.expects_continue
    }

    /// The inner body, if the wrapper was dropped before its end and handed it back.
    #[cfg(feature = "axum")]
    pub(crate) fn take_parked(&self) -> Option<axum_core::body::Body> {
        self.parked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }

    /// Whether the body was read to its end without error.
    pub(crate) fn is_read(&self) -> bool {
        self.get() & (ENDED | FAILED) == ENDED
    }

    /// Whether the body was dropped before its end (or failed).
    pub(crate) fn was_dropped_unread(&self) -> bool {
        let state = self.get();
        state & FAILED != 0 || (state & DROPPED != 0 && state & ENDED == 0)
    }
}

/// Wraps the body of `request` to track its reads, if the layer can: an axum body (feature
/// `axum`). `ReqBody` is named at run time only: the request keeps its type. `drain` bounds the
/// draining of the body if it is dropped unread.
pub(crate) fn track<B: 'static>(request: &mut Request<B>, drain: DrainBound) -> RequestBody {
    #[cfg(feature = "axum")]
    {
        use axum_core::body::Body;
        let expects_continue = request
            .headers()
            .get(http::header::EXPECT)
            .is_some_and(|expect| expect.as_bytes().eq_ignore_ascii_case(b"100-continue"));
        if let Some(body) = (request.body_mut() as &mut dyn std::any::Any).downcast_mut::<Body>() {
            let state = Arc::new(ReadState::new(drain, expects_continue));
            let inner = std::mem::replace(body, Body::empty());
            *body = Body::new(tracked::TrackedBody::new(inner, state.clone()));
            return RequestBody::Tracked(state);
        }
    }
    let _ = (request, drain);
    RequestBody::Untracked
}

#[cfg(feature = "axum")]
mod tracked {
    use std::pin::Pin;
    use std::sync::Arc;
    use std::task::{Context, Poll};

    use axum_core::body::Body;
    use bytes::Bytes;
    use http_body::{Frame, SizeHint};

    use super::{ReadState, DROPPED, ENDED, FAILED, STARTED};

    /// An axum body that records its start, its end, its failure and its drop; dropped before
    /// its end, it hands its inner body back to the state, to be drained.
    pub(super) struct TrackedBody {
        inner: Body,
        state: Arc<ReadState>,
    }

    impl TrackedBody {
        pub(super) fn new(inner: Body, state: Arc<ReadState>) -> Self {
            TrackedBody { inner, state }
        }
    }

    impl Drop for TrackedBody {
        fn drop(&mut self) {
            let before = self.state.set(DROPPED);
            if before & (ENDED | FAILED) == 0 && !self.state.drain.is_off() {
                // `Body::empty` boxes a zero-sized body: no allocation.
                let body = std::mem::replace(&mut self.inner, Body::empty());
                *self
                    .state
                    .parked
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(body);
            }
        }
    }

    impl http_body::Body for TrackedBody {
        type Data = Bytes;
        type Error = axum_core::Error;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, axum_core::Error>>> {
            let this = &mut *self;
            let polled = Pin::new(&mut this.inner).poll_frame(cx);
            let state = &this.state;
            match &polled {
                Poll::Ready(None) => state.set(ENDED | STARTED),
                Poll::Ready(Some(Err(_))) => state.set(FAILED | STARTED),
                Poll::Ready(Some(Ok(_))) => {
                    // Readers that stop at the last frame (they check `is_end_stream`) have
                    // read everything too.
                    if this.inner.is_end_stream() {
                        state.set(ENDED | STARTED)
                    } else {
                        state.set(STARTED)
                    }
                }
                Poll::Pending => state.set(STARTED),
            };
            polled
        }

        fn is_end_stream(&self) -> bool {
            self.inner.is_end_stream()
        }

        fn size_hint(&self) -> SizeHint {
            self.inner.size_hint()
        }
    }
}

#[cfg(all(test, feature = "axum"))]
mod tests {
    use super::*;
    use axum_core::body::Body;
    use http_body_util::BodyExt;

    fn tracked(body: Body) -> (Request<Body>, Arc<ReadState>) {
        let mut request = Request::new(body);
        let RequestBody::Tracked(state) = track(&mut request, DrainBound::DEFAULT) else {
            panic!("an axum body is tracked");
        };
        (request, state)
    }

    #[tokio::test]
    async fn a_body_read_to_its_end_is_read() {
        let (request, state) = tracked(Body::from("abc"));
        assert!(!state.is_read());
        let bytes = request.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&bytes[..], b"abc");
        assert!(state.is_read());
        assert!(!state.was_dropped_unread());
    }

    #[test]
    fn a_body_dropped_unread_is_not_read() {
        let (request, state) = tracked(Body::from("abc"));
        drop(request);
        assert!(!state.is_read());
        assert!(state.was_dropped_unread());
        // Handed back, to be drained.
        assert!(state.take_parked().is_some());
    }

    #[tokio::test]
    async fn a_body_read_to_its_end_is_not_handed_back() {
        let (request, state) = tracked(Body::from("abc"));
        let _ = request.into_body().collect().await.unwrap();
        assert!(state.take_parked().is_none());
    }

    #[test]
    fn other_bodies_are_untracked() {
        let mut request = Request::new(String::from("abc"));
        assert!(matches!(
            track(&mut request, DrainBound::DEFAULT),
            RequestBody::Untracked
        ));
        assert_eq!(request.body(), "abc");
    }
}
