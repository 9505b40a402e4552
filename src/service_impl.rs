//! [`CatchCloudError`]: the service the layer builds.

use std::convert::Infallible;
use std::task::{Context, Poll};

use http::header::{CONTENT_LENGTH, TRANSFER_ENCODING};
use http::{HeaderValue, Request, Response, Version};
use tower_http::request_id::{MakeRequestId, RequestId};
use tower_service::Service;

use crate::bare::method_name;
use crate::body::ResponseBody;
use crate::drain::DrainBound;
use crate::error::CloudError;
use crate::future::{RequestContext, ResponseFuture};
use crate::guard::guarded;
use crate::into_cloud_error::IntoCloudError;
use crate::layer::Options;
use crate::log::{log_panic, panic_error};
use crate::request_body::{track, RequestBody};
use crate::request_ids::{is_valid_request_id, new_uuid_v4, MakeRequestUuidV4};
use crate::style::Style;

/// Middleware that renders every error and panic of the inner service as the style's error
/// envelope, and attaches one request id to each request and response. Built by
/// [`CloudErrorLayer`](crate::CloudErrorLayer).
///
/// # Panics and `poll_ready`
///
/// A panic in the inner `poll_ready`, `call` or response future answers `InternalError`.
///
/// An `Err` from the inner `poll_ready` (converted through [`IntoCloudError`]), or a panic in
/// it, follows tower's contract: a service that failed to become ready is to be discarded, so
/// the inner service is never polled or called again. The layer keeps the failure, reports
/// itself ready, and answers this and **every later request** with that error (each answer
/// logged with its own request id), at the cost of one `CloudError` clone per answer. Nothing
/// changes on the success path. A clone of the layer's service (as axum and `tower::make::Shared`
/// make per request or connection) clones the inner service and starts without the failure.
/// (The other shape, axum's `HandleError` — report ready and drive a fresh clone of the inner
/// service per request — would clone the inner service on every request.)
///
/// The user code the layer runs is guarded the same way: a panic in an [`IntoCloudError`] impl,
/// a style's `check_request`, `request_info`, `code_for` or `render`, a
/// [`recognize`](crate::CloudErrorLayer::recognize) or
/// [`map_bare_status`](crate::CloudErrorLayer::map_bare_status) mapper answers `InternalError`
/// (a bare 500 if even the style's `InternalError` cannot be rendered); a panicking
/// [`MakeRequestId`] falls back to UUID v4; a source whose `Display` panics while being logged
/// costs the log line, not the answer.
///
/// # Connections
///
/// When an HTTP/1 answer leaves the request body unread, hyper closes the connection after it,
/// and closing a socket with unread data resets it: a client that sends its whole body before
/// reading (Python's `http.client`, the official BCE SDK on it) gets a broken pipe instead of
/// the answer, and a keep-alive client that is not told sends its next request into a closing
/// connection. So the layer **drains** a body left unread before it answers (an error before
/// the handler read it: a handler error, a panic, a failed check, a rewritten bare error such as
/// a body refused over its limit by axum's `DefaultBodyLimit` or tower-http's
/// `RequestBodyLimitLayer`; or a success whose handler dropped the body): it reads the rest and
/// discards it, within a bound (16 MiB in 10 s by default, see
/// [`drain_unread_bodies`](crate::CloudErrorLayer::drain_unread_bodies)), and then answers
/// without `Connection: close`: the connection serves the next request, as nginx's lingering
/// close lets it. The answer says `Connection: close` exactly when the body is left unread and
/// not drained:
///
/// - the body announces more than the byte bound (`Content-Length`): answered at once;
/// - the client sent `Expect: 100-continue` and nothing read the body (draining would make
///   hyper send `100 Continue` and invite the body): answered at once, no `100` sent;
/// - the byte or time bound is reached while draining (a client that stalls mid-body gets its
///   answer after the time bound, never later), or reading fails (malformed framing);
/// - draining is off, or no tokio runtime with timers is current (see below);
/// - the body is still held elsewhere when the answer is ready (e.g. moved into a task).
///
/// An answer after the body was read (or drained) to its end never says it, whatever failed
/// after (a panic included). The layer learns this by wrapping the body when it is axum's
/// `Body` (feature `axum`: axum apps and `axum::serve`), at one small allocation for requests
/// with a body (`Content-Length` above 0, or `Transfer-Encoding`) and none for the others;
/// HTTP/2 requests are not wrapped (an unread body costs only its stream). For other body types
/// it cannot wrap without changing the request type, nothing is drained: it says `close` when
/// the inner service did not run to a handler error (a panic, a failed check, a bare error
/// rewritten) or an extractor refused the body, and leaves a handler's own error and successes
/// to hyper.
///
/// The time bound uses tokio's timer (the `axum` feature depends on tokio, as axum does).
/// Without a current tokio runtime, or on one built without timers, nothing is drained and the
/// answer says `Connection: close`; tokio's "timers are disabled" panic is caught (once per
/// runtime) and never reaches the caller. Chunks are discarded as they arrive: draining holds no
/// more memory than one chunk.
///
/// # `CONNECT`
///
/// An envelope never answers `CONNECT` with a 2xx status: HTTP gives a 2xx answer to `CONNECT`
/// the meaning "tunnel open" (RFC 9110 §9.3.6), and hyper then drops the body and stops reading
/// requests from the connection. The error envelopes of a style whose errors are HTTP 200
/// (Tencent) therefore answer `CONNECT` with `405 Method Not Allowed`, body unchanged.
///
/// A panic while the response body streams (after the head was sent) ends the body with an
/// error, which the server turns into a reset connection or stream: the client sees a failed
/// transfer, never a truncated success. Every panic is logged with the request id.
#[derive(Debug)]
pub struct CatchCloudError<S, St, M = MakeRequestUuidV4> {
    inner: S,
    style: St,
    make_request_id: M,
    options: Options,
    /// The error (or panic) of the inner `poll_ready`, once it failed: answered to every
    /// request from then on, the inner service never polled again.
    failed: Option<CloudError>,
    /// How much of an unread request body is drained (`drain`); not in `options`, which is
    /// cloned per request.
    drain: DrainBound,
}

impl<S, St, M> CatchCloudError<S, St, M> {
    pub(crate) fn new(inner: S, style: St, make_request_id: M, options: Options) -> Self {
        CatchCloudError {
            inner,
            style,
            make_request_id,
            options,
            failed: None,
            drain: DrainBound::DEFAULT,
        }
    }

    pub(crate) fn with_drain(mut self, drain: DrainBound) -> Self {
        self.drain = drain;
        self
    }

    /// The inner service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The inner service, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// Consumes the middleware, returning the inner service.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

/// A clone starts without the original's `poll_ready` failure: it has its own clone of the inner
/// service, which has not failed.
impl<S: Clone, St: Clone, M: Clone> Clone for CatchCloudError<S, St, M> {
    fn clone(&self) -> Self {
        CatchCloudError::new(
            self.inner.clone(),
            self.style.clone(),
            self.make_request_id.clone(),
            self.options.clone(),
        )
        .with_drain(self.drain)
    }
}

impl<S, St, M> CatchCloudError<S, St, M>
where
    St: Style,
    M: MakeRequestId + 'static,
{
    /// The request's id: an outer layer's (if valid), the client's (if trusted and valid), or a
    /// new one. Stored in the request extensions, where handlers find it. The flag says whether
    /// an outer layer had set an id (an outer `CloudErrorLayer` always has): only then may an
    /// outer layer look for the mark of our envelopes (`RequestContext::is_inner_envelope`).
    fn request_id<B>(&mut self, request: &mut Request<B>) -> (HeaderValue, bool) {
        let outer = request.extensions().get::<RequestId>();
        let nested = outer.is_some();
        if let Some(outer) = outer {
            if is_valid_request_id(outer.header_value().as_bytes()) {
                return (outer.header_value().clone(), true);
            }
        }
        (self.new_request_id(request), nested)
    }

    /// A new id for the request (the client's, if trusted and valid), stored in its extensions.
    fn new_request_id<B>(&mut self, request: &mut Request<B>) -> HeaderValue {
        // The default generator's ids are UUIDs by construction: no need to check them.
        let is_default_generator =
            (&self.make_request_id as &dyn std::any::Any).is::<MakeRequestUuidV4>();
        let id = self
            .incoming_request_id(request)
            .or_else(|| {
                if is_default_generator {
                    return Some(new_uuid_v4());
                }
                // A custom generator's id must be as safe as a client's to use everywhere; a
                // generator that panics falls back to UUID v4 too.
                guarded(|| self.make_request_id.make_request_id(request))
                    .unwrap_or_else(|panic| {
                        log_panic(None, "make_request_id", panic);
                        None
                    })
                    .map(RequestId::into_header_value)
                    .filter(|id| is_valid_request_id(id.as_bytes()))
            })
            .unwrap_or_else(new_uuid_v4);
        request.extensions_mut().insert(RequestId::new(id.clone()));
        id
    }

    /// The client's id, if the layer trusts it and exactly one valid value was sent.
    fn incoming_request_id<B>(&self, request: &Request<B>) -> Option<HeaderValue> {
        if !self.options.trust_incoming_request_id {
            return None;
        }
        let mut values = request
            .headers()
            .get_all(self.style.request_id_header())
            .iter();
        match (values.next(), values.next()) {
            (Some(id), None) if is_valid_request_id(id.as_bytes()) => Some(id.clone()),
            _ => None,
        }
    }
}

/// The request's span, `request{request_id=…}`. Without any `tracing` subscriber in the process
/// it is not even built: a span costs more than the rest of the layer's bookkeeping when
/// `tracing`'s `log` fallback is compiled in.
#[inline]
fn request_span(request_id: &HeaderValue) -> Option<tracing::Span> {
    if !tracing::dispatcher::has_been_set() {
        return None;
    }
    Some(new_request_span(request_id))
}

#[cold]
fn new_request_span(request_id: &HeaderValue) -> tracing::Span {
    tracing::info_span!(
        "request",
        request_id = %std::str::from_utf8(request_id.as_bytes()).unwrap_or("-")
    )
}

/// Whether an HTTP/1 request announces a body: if an answer leaves it unread, hyper closes the
/// connection after the response, so such answers say `Connection: close` (a pooling client
/// would otherwise send its next request on a connection that is going away). Only such bodies
/// are tracked (`request_body`): requests without one cost nothing.
fn may_have_body<B>(request: &Request<B>) -> bool {
    let headers = request.headers();
    request.version() <= Version::HTTP_11
        && (headers.contains_key(TRANSFER_ENCODING)
            || headers
                .get(CONTENT_LENGTH)
                .is_some_and(|length| length.as_bytes() != b"0"))
}

impl<S, St, M, ReqBody, ResBody> Service<Request<ReqBody>> for CatchCloudError<S, St, M>
where
    ReqBody: 'static,
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    S::Error: IntoCloudError,
    ResBody: http_body::Body,
    St: Style,
    M: MakeRequestId + 'static,
{
    type Response = Response<ResponseBody<ResBody>>;
    type Error = Infallible;
    type Future = ResponseFuture<S::Future, St>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        if self.failed.is_some() {
            // tower's contract: a service that failed to become ready is not polled again.
            return Poll::Ready(Ok(()));
        }
        match guarded(|| self.inner.poll_ready(cx)) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(Ok(()))) => Poll::Ready(Ok(())),
            Ok(Poll::Ready(Err(error))) => {
                self.failed = Some(
                    guarded(|| error.into_cloud_error())
                        .unwrap_or_else(|panic| panic_error("into_cloud_error", panic)),
                );
                Poll::Ready(Ok(()))
            }
            Err(panic) => {
                // No request yet, so no request id: logged when each request is answered.
                self.failed = Some(panic_error("poll_ready", panic));
                Poll::Ready(Ok(()))
            }
        }
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        let (request_id, may_be_nested) = self.request_id(&mut request);
        // Handlers' own log lines carry the id: the span is entered while the inner service
        // runs (here and in every poll of its future). Free when no subscriber wants it.
        let span = request_span(&request_id);
        let entered = span.as_ref().map(tracing::Span::enter);
        // A style that panics capturing its information answers InternalError.
        let (info, info_panic) = match guarded(|| self.style.request_info(&request)) {
            Ok(info) => (info, None),
            Err(panic) => (St::RequestInfo::default(), Some(panic)),
        };
        let context = RequestContext {
            info,
            style: self.style.clone(),
            method: method_name(request.method()),
            body: if may_have_body(&request) {
                track(&mut request, self.drain)
            } else {
                RequestBody::NotAnnounced
            },
            request_id,
            may_be_nested,
            options: self.options.clone(),
        };
        let error = if let Some(error) = &self.failed {
            error.clone()
        } else if let Some(panic) = info_panic {
            panic_error("request_info", panic)
        } else {
            match guarded(|| self.style.check_request(&request)) {
                Ok(Ok(())) => match guarded(|| self.inner.call(request)) {
                    Ok(future) => {
                        drop(entered);
                        // Built in place: no intermediate `Result` to move the future through.
                        return ResponseFuture::inner(future, span, context);
                    }
                    Err(panic) => panic_error("call", panic),
                },
                Ok(Err(error)) => error,
                Err(panic) => panic_error("check_request", panic),
            }
        };
        drop(entered);
        ResponseFuture::error(span, context, error)
    }
}
