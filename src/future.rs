//! [`ResponseFuture`]: drives the inner future, or answers an error of its own.

use std::convert::Infallible;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::header::CONTENT_LENGTH;
use http::{HeaderValue, Response};
use pin_project_lite::pin_project;

use crate::body::ResponseBody;
use crate::deferred::DeferredError;
use crate::error::CloudError;
use crate::into_cloud_error::IntoCloudError;
use crate::log::{log_error, panic_error};
use crate::style::{ErrorReport, Style};

/// What the future needs to finish a response for its request.
pub(crate) struct RequestContext<St: Style> {
    pub(crate) style: St,
    pub(crate) info: St::RequestInfo,
    pub(crate) is_head: bool,
    pub(crate) request_id: HeaderValue,
}

pin_project! {
    /// Response future of [`CatchCloudError`](crate::CatchCloudError).
    pub struct ResponseFuture<F, St: Style> {
        #[pin]
        kind: Kind<F>,
        context: Option<RequestContext<St>>,
    }
}

pin_project! {
    #[project = KindProj]
    enum Kind<F> {
        Inner { #[pin] future: F },
        Error { error: Option<CloudError> },
    }
}

impl<F, St: Style> ResponseFuture<F, St> {
    pub(crate) fn inner(future: F, context: RequestContext<St>) -> Self {
        ResponseFuture {
            kind: Kind::Inner { future },
            context: Some(context),
        }
    }

    pub(crate) fn error(context: RequestContext<St>, error: CloudError) -> Self {
        ResponseFuture {
            kind: Kind::Error { error: Some(error) },
            context: Some(context),
        }
    }
}

impl<F, St, B, E> Future for ResponseFuture<F, St>
where
    F: Future<Output = Result<Response<B>, E>>,
    E: IntoCloudError,
    St: Style,
{
    type Output = Result<Response<ResponseBody<B>>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let outcome = match this.kind.project() {
            KindProj::Inner { future } => {
                match catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
                    Ok(Poll::Pending) => return Poll::Pending,
                    Ok(Poll::Ready(Ok(response))) => Ok(response),
                    Ok(Poll::Ready(Err(error))) => Err(Failure::Error(error)),
                    Err(panic) => Err(Failure::Panic(panic)),
                }
            }
            KindProj::Error { error } => Err(Failure::Ready(
                error.take().expect("future polled after completion"),
            )),
        };
        let context = this.context.take().expect("future polled after completion");
        Poll::Ready(Ok(match outcome {
            Ok(response) => context.success(response),
            Err(failure) => {
                let error = failure.into_cloud_error();
                context.render(&error)
            }
        }))
    }
}

/// Why the request failed, before conversion.
enum Failure<E> {
    Error(E),
    Panic(Box<dyn std::any::Any + Send>),
    Ready(CloudError),
}

impl<E: IntoCloudError> Failure<E> {
    fn into_cloud_error(self) -> CloudError {
        match self {
            Failure::Error(error) => catch_unwind(AssertUnwindSafe(|| error.into_cloud_error()))
                .unwrap_or_else(|panic| panic_error("into_cloud_error", panic)),
            Failure::Panic(panic) => panic_error("response future", panic),
            Failure::Ready(error) => error,
        }
    }
}

impl<St: Style> RequestContext<St> {
    /// A response from the inner service: add the id header, or render the error a handler
    /// deferred to the layer.
    fn success<B>(self, mut response: Response<B>) -> Response<ResponseBody<B>> {
        if let Some(DeferredError(error)) = response.extensions_mut().remove::<DeferredError>() {
            return self.render(&error);
        }
        response.headers_mut().insert(
            self.style.request_id_header().clone(),
            self.request_id.clone(),
        );
        response.map(|body| ResponseBody::inner(body, self.request_id))
    }

    /// Renders `error` as the style's envelope, with the id header; no body for `HEAD`.
    fn render<B>(self, error: &CloudError) -> Response<ResponseBody<B>> {
        // Ids are ASCII unless a custom generator says otherwise: check cheaply, convert rarely.
        let request_id = match std::str::from_utf8(self.request_id.as_bytes()) {
            Ok(id) => std::borrow::Cow::Borrowed(id),
            Err(_) => String::from_utf8_lossy(self.request_id.as_bytes()),
        };
        let report = ErrorReport::resolve(
            error,
            &request_id,
            self.style.dialect(),
            self.style.internal_error(),
        );
        log_error(&report, error);
        let mut response = self.style.render(&report, &self.info);
        response.headers_mut().insert(
            self.style.request_id_header().clone(),
            self.request_id.clone(),
        );
        if self.is_head {
            // No body, but the length a GET would have received, as HTTP specifies for HEAD.
            let length = HeaderValue::from(response.body().len());
            response.headers_mut().insert(CONTENT_LENGTH, length);
            return response.map(|_| ResponseBody::envelope(Bytes::new()));
        }
        response.map(ResponseBody::envelope)
    }
}
