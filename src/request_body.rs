//! Whether the request body was read: the layer wraps an announced HTTP/1 body (of axum's body
//! type, the one it can wrap without changing the request type) to learn whether the inner
//! service read it to its end, so that an answer says `Connection: close` exactly when the body
//! is left unread (hyper then closes the connection after the response).

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

use http::Request;

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

/// The reads of one request body.
#[derive(Debug, Default)]
pub(crate) struct ReadState(AtomicU8);

/// The body reported its end: nothing is left unread.
const ENDED: u8 = 1;
/// Reading failed (malformed framing, a reset): hyper closes the connection.
const FAILED: u8 = 2;
/// The body was dropped before its end.
const DROPPED: u8 = 4;

impl ReadState {
    #[cfg_attr(not(feature = "axum"), allow(dead_code))]
    fn set(&self, flag: u8) {
        self.0.fetch_or(flag, Ordering::Release);
    }

    fn get(&self) -> u8 {
        self.0.load(Ordering::Acquire)
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
/// `axum`). `ReqBody` is named at run time only: the request keeps its type.
pub(crate) fn track<B: 'static>(request: &mut Request<B>) -> RequestBody {
    #[cfg(feature = "axum")]
    {
        use axum_core::body::Body;
        if let Some(body) = (request.body_mut() as &mut dyn std::any::Any).downcast_mut::<Body>() {
            let state = Arc::new(ReadState::default());
            let inner = std::mem::replace(body, Body::empty());
            *body = Body::new(tracked::TrackedBody::new(inner, state.clone()));
            return RequestBody::Tracked(state);
        }
    }
    let _ = request;
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
    use pin_project_lite::pin_project;

    use super::{ReadState, DROPPED, ENDED, FAILED};

    /// Marks the state dropped when the body goes (read to the end or not).
    struct DropMark(Arc<ReadState>);

    impl Drop for DropMark {
        fn drop(&mut self) {
            self.0.set(DROPPED);
        }
    }

    pin_project! {
        /// An axum body that records its end, its failure and its drop.
        pub(super) struct TrackedBody {
            #[pin]
            inner: Body,
            mark: DropMark,
        }
    }

    impl TrackedBody {
        pub(super) fn new(inner: Body, state: Arc<ReadState>) -> Self {
            TrackedBody {
                inner,
                mark: DropMark(state),
            }
        }
    }

    impl http_body::Body for TrackedBody {
        type Data = Bytes;
        type Error = axum_core::Error;

        fn poll_frame(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, axum_core::Error>>> {
            let mut this = self.project();
            let polled = this.inner.as_mut().poll_frame(cx);
            let state = &this.mark.0;
            match &polled {
                Poll::Ready(None) => state.set(ENDED),
                Poll::Ready(Some(Err(_))) => state.set(FAILED),
                Poll::Ready(Some(Ok(_))) => {
                    // Readers that stop at the last frame (they check `is_end_stream`) have
                    // read everything too.
                    if this.inner.is_end_stream() {
                        state.set(ENDED);
                    }
                }
                Poll::Pending => {}
            }
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
        let RequestBody::Tracked(state) = track(&mut request) else {
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
    }

    #[test]
    fn other_bodies_are_untracked() {
        let mut request = Request::new(String::from("abc"));
        assert!(matches!(track(&mut request), RequestBody::Untracked));
        assert_eq!(request.body(), "abc");
    }
}
