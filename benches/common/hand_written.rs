//! The floor for the success path: a middleware written by hand for the benchmark, with only the
//! three duties every request pays (a request id made by this crate's default generator, stored
//! in the request extensions, copied into the response's `x-bce-request-id` header) and a
//! `catch_unwind` around the inner call and poll. No error envelope, no body tracking, no dates,
//! no span, no rewriting of bare errors: what the layer does beyond this is its bookkeeping.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};

use http::{HeaderName, HeaderValue, Request, Response, StatusCode};
use tower::Service;
use tower_cloud_error::request_id::{MakeRequestId, MakeRequestUuidV4};

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
