//! [`ResponseBody`]: the inner service's body, untouched, or an envelope of ours.

use std::error::Error as StdError;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::HeaderValue;
use http_body::{Body, Frame, SizeHint};
use pin_project_lite::pin_project;

use crate::guard::guarded;
use crate::into_cloud_error::BoxError;
use crate::log::log_panic;

pin_project! {
    /// Response body of [`CatchCloudError`](crate::CatchCloudError): the inner body streamed
    /// through untouched, or a rendered envelope.
    ///
    /// A panic while the inner body streams ends the body with an error (logged with the request
    /// id); the body reports its end from then on.
    pub struct ResponseBody<B> {
        #[pin]
        kind: Kind<B>,
    }
}

pin_project! {
    #[project = KindProj]
    enum Kind<B> {
        Inner {
            #[pin]
            body: B,
            request_id: HeaderValue,
            panicked: bool,
        },
        Envelope { data: Option<Bytes> },
    }
}

impl<B> ResponseBody<B> {
    pub(crate) fn inner(body: B, request_id: HeaderValue) -> Self {
        ResponseBody {
            kind: Kind::Inner {
                body,
                request_id,
                panicked: false,
            },
        }
    }

    pub(crate) fn envelope(data: Bytes) -> Self {
        ResponseBody {
            kind: Kind::Envelope {
                data: (!data.is_empty()).then_some(data),
            },
        }
    }
}

impl<B> fmt::Debug for ResponseBody<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Inner { .. } => f.write_str("ResponseBody::Inner"),
            Kind::Envelope { data } => f
                .debug_struct("ResponseBody::Envelope")
                .field("len", &data.as_ref().map_or(0, Bytes::len))
                .finish(),
        }
    }
}

impl<B> Body for ResponseBody<B>
where
    B: Body,
    B::Data: From<Bytes>,
    B::Error: Into<BoxError>,
{
    type Data = B::Data;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        match self.project().kind.project() {
            KindProj::Inner {
                body,
                request_id,
                panicked,
            } => {
                if *panicked {
                    return Poll::Ready(None);
                }
                match guarded(|| body.poll_frame(cx)) {
                    Ok(polled) => {
                        polled.map(|frame| frame.map(|result| result.map_err(Into::into)))
                    }
                    Err(panic) => {
                        *panicked = true;
                        log_panic(Some(request_id), "the response body", panic);
                        Poll::Ready(Some(Err(Box::new(BodyPanicked))))
                    }
                }
            }
            KindProj::Envelope { data } => {
                Poll::Ready(data.take().map(|data| Ok(Frame::data(B::Data::from(data)))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Inner {
                body,
                panicked,
                request_id,
            } => {
                // A panic here says "not ended": the next poll_frame finds out (and is caught).
                *panicked
                    || guarded(|| body.is_end_stream()).unwrap_or_else(|panic| {
                        log_panic(Some(request_id), "the response body's is_end_stream", panic);
                        false
                    })
            }
            Kind::Envelope { data } => data.is_none(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            Kind::Inner {
                body,
                panicked,
                request_id,
            } => {
                if *panicked {
                    SizeHint::with_exact(0)
                } else {
                    // A panic here means "size unknown".
                    guarded(|| body.size_hint()).unwrap_or_else(|panic| {
                        log_panic(Some(request_id), "the response body's size_hint", panic);
                        SizeHint::default()
                    })
                }
            }
            Kind::Envelope { data } => {
                SizeHint::with_exact(data.as_ref().map_or(0, |data| data.len() as u64))
            }
        }
    }
}

/// The error a response body ends with when the inner body panicked.
#[derive(Debug)]
struct BodyPanicked;

impl fmt::Display for BodyPanicked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("response body panicked")
    }
}

impl StdError for BodyPanicked {}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::{BodyExt, Empty};

    #[tokio::test]
    async fn an_envelope_is_one_frame_with_an_exact_size() {
        let body = ResponseBody::<Empty<Bytes>>::envelope(Bytes::from_static(b"{}"));
        assert_eq!(body.size_hint().exact(), Some(2));
        assert!(!body.is_end_stream());
        let collected = body.collect().await.unwrap().to_bytes();
        assert_eq!(&collected[..], b"{}");
    }

    #[tokio::test]
    async fn an_empty_envelope_has_ended_already() {
        let body = ResponseBody::<Empty<Bytes>>::envelope(Bytes::new());
        assert!(body.is_end_stream());
        assert_eq!(body.size_hint().exact(), Some(0));
    }

    #[test]
    fn public_types_are_send_and_sync() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<ResponseBody<Empty<Bytes>>>();
        send_sync::<crate::CloudError>();
        send_sync::<crate::CloudErrorLayer<crate::bce::Bce>>();
        send_sync::<crate::service::CatchCloudError<(), crate::tencent::Tencent>>();
        send_sync::<crate::Code>();
    }
}
