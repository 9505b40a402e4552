//! The floor for the success path: a middleware written by hand for the benchmark, with only the
//! three duties every request pays (a request id made by this crate's default generator, stored
//! in the request extensions, copied into the response's `x-bce-request-id` header) and a
//! `catch_unwind` around the inner call and poll. No error envelope, no body tracking, no dates,
//! no span, no rewriting of bare errors: what the layer does beyond this is its bookkeeping.
//!
//! [`HandWrittenErrors`] is the same with the least an error answer needs on top: the inner
//! `CloudError`'s code and English message written by hand into a BCE-shaped JSON body (no
//! escaping, no templates, no refinement, no log line), with its status, `Content-Type` and the
//! id header.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderName, HeaderValue, Request, Response, StatusCode};
use http_body_util::Full;
use tower::Service;
use tower_cloud_error::request_id::{MakeRequestId, MakeRequestUuidV4};
use tower_cloud_error::{CloudError, Language};

use super::Body;

const ID_HEADER: HeaderName = HeaderName::from_static("x-bce-request-id");

/// The hand-written middleware around `S`.
pub struct HandWritten<S>(pub S);

impl<S, E> Service<Request<()>> for HandWritten<S>
where
    S: Service<Request<()>, Response = Response<Body>, Error = E>,
{
    type Response = Response<Body>;
    type Error = E;
    type Future = HandWrittenFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), E>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<()>) -> Self::Future {
        let id = MakeRequestUuidV4::default()
            .make_request_id(&request)
            .expect("the default generator always makes an id");
        let value = id.header_value().clone();
        request.extensions_mut().insert(id);
        let future = catch_unwind(AssertUnwindSafe(|| self.0.call(request))).ok();
        HandWrittenFuture {
            future,
            id: Some(value),
        }
    }
}

pin_project_lite::pin_project! {
    /// Its response future.
    pub struct HandWrittenFuture<F> {
        #[pin]
        future: Option<F>,
        id: Option<HeaderValue>,
    }
}

impl<F: Future<Output = Result<Response<Body>, E>>, E> Future for HandWrittenFuture<F> {
    type Output = Result<Response<Body>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let polled = match this.future.as_pin_mut() {
            Some(future) => catch_unwind(AssertUnwindSafe(|| future.poll(cx))),
            None => Err(Box::new(()) as Box<dyn std::any::Any + Send>),
        };
        let mut response = match polled {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(result)) => result?,
            Err(_) => {
                let mut response = Response::new(Body::default());
                *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                response
            }
        };
        let id = this.id.take().expect("polled after completion");
        response.headers_mut().insert(ID_HEADER, id);
        Poll::Ready(Ok(response))
    }
}

/// The hand-written middleware that also answers the inner service's `CloudError`s.
pub struct HandWrittenErrors<S>(pub S);

impl<S> Service<Request<()>> for HandWrittenErrors<S>
where
    S: Service<Request<()>, Response = Response<Body>, Error = CloudError>,
{
    type Response = Response<Body>;
    type Error = std::convert::Infallible;
    type Future = HandWrittenErrorsFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        let _ = self.0.poll_ready(cx);
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut request: Request<()>) -> Self::Future {
        let id = MakeRequestUuidV4::default()
            .make_request_id(&request)
            .expect("the default generator always makes an id");
        let value = id.header_value().clone();
        request.extensions_mut().insert(id);
        let future = catch_unwind(AssertUnwindSafe(|| self.0.call(request))).ok();
        HandWrittenErrorsFuture {
            future,
            id: Some(value),
        }
    }
}

pin_project_lite::pin_project! {
    /// Its response future.
    pub struct HandWrittenErrorsFuture<F> {
        #[pin]
        future: Option<F>,
        id: Option<HeaderValue>,
    }
}

impl<F: Future<Output = Result<Response<Body>, CloudError>>> Future for HandWrittenErrorsFuture<F> {
    type Output = Result<Response<Body>, std::convert::Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let polled = match this.future.as_pin_mut() {
            Some(future) => catch_unwind(AssertUnwindSafe(|| future.poll(cx))),
            None => Err(Box::new(()) as Box<dyn std::any::Any + Send>),
        };
        let id = this.id.take().expect("polled after completion");
        let mut response = match polled {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(Ok(response))) => response,
            Ok(Poll::Ready(Err(error))) => envelope(&error, &id),
            Err(_) => {
                let mut response = Response::new(Body::default());
                *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                response
            }
        };
        response.headers_mut().insert(ID_HEADER, id);
        Poll::Ready(Ok(response))
    }
}

/// `{"requestId":"…","code":"…","message":"…"}` with the code's status and JSON content type.
fn envelope(error: &CloudError, id: &HeaderValue) -> Response<Body> {
    let code = error.code().expect("the benchmark's errors have a code");
    let message = error.message(Language::EnUs);
    let mut body = Vec::with_capacity(64 + message.len());
    body.extend_from_slice(b"{\"requestId\":\"");
    body.extend_from_slice(id.as_bytes());
    body.extend_from_slice(b"\",\"code\":\"");
    body.extend_from_slice(code.name().as_bytes());
    body.extend_from_slice(b"\",\"message\":\"");
    body.extend_from_slice(message.as_bytes());
    body.extend_from_slice(b"\"}");
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = code.status();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}
