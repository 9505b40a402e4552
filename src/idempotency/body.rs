//! [`ClientTokenBody`]: the body the layer hands on (a buffered or replayed one, or the original
//! stream), and the hashing wrapper the request body is read through.

use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use pin_project_lite::pin_project;
use sha2::{Digest, Sha256};

pin_project! {
    /// A request or response body that passed through
    /// [`ClientTokenLayer`](super::ClientTokenLayer): bytes the layer holds (a request body it
    /// read to fingerprint, a replayed response), the original body, or the bytes the layer
    /// already read followed by the rest of the original body.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use bytes::Bytes;
    /// use http_body_util::{BodyExt, Empty};
    /// use tower_cloud_error::idempotency::ClientTokenBody;
    ///
    /// let body = ClientTokenBody::<Empty<Bytes>>::full(Bytes::from_static(b"hello"));
    /// assert_eq!(body.collect().await.unwrap().to_bytes(), "hello");
    /// # }
    /// ```
    #[derive(Debug)]
    pub struct ClientTokenBody<B> {
        prefix: Option<Bytes>,
        #[pin]
        rest: Option<B>,
    }
}

impl<B> ClientTokenBody<B> {
    /// A body of exactly `bytes`.
    #[must_use]
    pub fn full(bytes: Bytes) -> ClientTokenBody<B> {
        ClientTokenBody {
            prefix: Some(bytes).filter(|bytes| !bytes.is_empty()),
            rest: None,
        }
    }

    /// The original `body`, untouched.
    #[must_use]
    pub fn original(body: B) -> ClientTokenBody<B> {
        ClientTokenBody {
            prefix: None,
            rest: Some(body),
        }
    }

    /// `prefix`, then the rest of `body`.
    pub(crate) fn chained(prefix: Bytes, body: B) -> ClientTokenBody<B> {
        ClientTokenBody {
            prefix: Some(prefix).filter(|bytes| !bytes.is_empty()),
            rest: Some(body),
        }
    }
}

impl<B: Body<Data = Bytes>> Body for ClientTokenBody<B> {
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        let this = self.project();
        if let Some(prefix) = this.prefix.take() {
            return Poll::Ready(Some(Ok(Frame::data(prefix))));
        }
        match this.rest.as_pin_mut() {
            Some(rest) => rest.poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.prefix.is_none() && self.rest.as_ref().is_none_or(Body::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        let prefix = self.prefix.as_ref().map_or(0, |bytes| bytes.len() as u64);
        let rest = self
            .rest
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), Body::size_hint);
        let mut hint = SizeHint::new();
        // Upper first: `set_lower` must never exceed the upper bound already set.
        if let Some(upper) = rest.upper() {
            hint.set_upper(upper.saturating_add(prefix));
        }
        hint.set_lower(rest.lower().saturating_add(prefix));
        hint
    }
}

pin_project! {
    /// Feeds every data frame of `body` to `hasher` as it passes, so the body is hashed while
    /// it is read and buffered once.
    pub(crate) struct Hashing<'h, B> {
        #[pin]
        body: B,
        hasher: &'h mut Sha256,
    }
}

impl<'h, B> Hashing<'h, B> {
    pub(crate) fn new(body: B, hasher: &'h mut Sha256) -> Hashing<'h, B> {
        Hashing { body, hasher }
    }
}

impl<B: Body<Data = Bytes>> Body for Hashing<'_, B> {
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        let this = self.project();
        let frame = ready!(this.body.poll_frame(cx));
        if let Some(Ok(frame)) = &frame {
            if let Some(data) = frame.data_ref() {
                this.hasher.update(data);
            }
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::convert::Infallible;

    use http_body_util::{BodyExt, Full};

    use super::*;

    /// A body of several data frames.
    struct Frames(VecDeque<Bytes>);

    impl Body for Frames {
        type Data = Bytes;
        type Error = Infallible;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
            Poll::Ready(self.0.pop_front().map(|data| Ok(Frame::data(data))))
        }
    }

    #[tokio::test]
    async fn hashing_sees_every_data_frame_once() {
        let frames = Frames(VecDeque::from([
            Bytes::from_static(b"ab"),
            Bytes::from_static(b"cd"),
        ]));
        let mut hasher = Sha256::new();
        let bytes = Hashing::new(frames, &mut hasher)
            .collect()
            .await
            .unwrap()
            .to_bytes();
        assert_eq!(bytes, "abcd");
        assert_eq!(hasher.finalize()[..], Sha256::digest(b"abcd")[..]);
    }

    #[tokio::test]
    async fn a_chained_body_yields_its_prefix_then_the_rest() {
        let body = ClientTokenBody::chained(
            Bytes::from_static(b"head-"),
            Full::new(Bytes::from_static(b"tail")),
        );
        assert_eq!(body.size_hint().exact(), Some(9));
        assert_eq!(body.collect().await.unwrap().to_bytes(), "head-tail");
        let empty = ClientTokenBody::<Full<Bytes>>::full(Bytes::new());
        assert!(empty.is_end_stream());
    }
}
