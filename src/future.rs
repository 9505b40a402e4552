//! [`ResponseFuture`]: drives the inner future, or answers an error of its own.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;

use http::header::{ALLOW, CONNECTION, CONTENT_LENGTH, RETRY_AFTER, WWW_AUTHENTICATE};
use http::{HeaderMap, HeaderName, HeaderValue, Response, StatusCode};
use http_body::Body;
use pin_project_lite::pin_project;
use tracing::Span;

use crate::bare::{default_error, peek_text, BareResponse};
use crate::body::ResponseBody;
use crate::classify::refine;
use crate::deferred::Deferred;
use crate::drain::Draining;
use crate::error::CloudError;
use crate::guard::guarded;
use crate::into_cloud_error::IntoCloudError;
use crate::layer::Options;
use crate::log::{log_error, log_panic, panic_error};
use crate::request_body::RequestBody;
use crate::style::{ErrorReport, Style};

/// What the future needs to finish a response for its request.
pub(crate) struct RequestContext<St: Style> {
    pub(crate) style: St,
    pub(crate) info: St::RequestInfo,
    /// The request method's name (standard methods; see `bare::method_name`).
    pub(crate) method: &'static str,
    /// The request body: announced (HTTP/1) or not, and whether it was read.
    pub(crate) body: RequestBody,
    pub(crate) request_id: HeaderValue,
    /// An outer layer had set the request id (an outer `CloudErrorLayer` always does): our
    /// envelopes carry the mark it looks for. Alone, a layer saves the mark's cost.
    pub(crate) may_be_nested: bool,
    pub(crate) options: Options,
}

pin_project! {
    /// Response future of [`CatchCloudError`](crate::service::CatchCloudError).
    pub struct ResponseFuture<F: Future, St: Style> {
        #[pin]
        kind: Kind<F>,
        // The request's span, entered while the inner future runs, so that the handler's log
        // lines carry the request id.
        span: Option<Span>,
        context: Option<RequestContext<St>>,
        // The inner service's outcome, answered once its request body left unread is drained
        // (`drain`); `kind` is then `Error { error: None }`. A field of its own, not a variant
        // of `Kind`: a third variant cost the success path about 60 instructions.
        draining: DrainSlot<F::Output>,
    }
}

pin_project! {
    #[project = KindProj]
    enum Kind<F: Future> {
        Inner { #[pin] future: F },
        Error { error: Option<CloudError> },
    }
}

impl<F: Future, St: Style> ResponseFuture<F, St> {
    pub(crate) fn inner(future: F, span: Option<Span>, context: RequestContext<St>) -> Self {
        ResponseFuture {
            kind: Kind::Inner { future },
            span,
            context: Some(context),
            draining: None,
        }
    }

    pub(crate) fn error(
        span: Option<Span>,
        context: RequestContext<St>,
        error: CloudError,
    ) -> Self {
        ResponseFuture {
            kind: Kind::Error { error: Some(error) },
            span,
            context: Some(context),
            draining: None,
        }
    }
}

impl<F, St, B, E> Future for ResponseFuture<F, St>
where
    F: Future<Output = Result<Response<B>, E>>,
    E: IntoCloudError,
    B: Body,
    St: Style,
{
    type Output = Result<Response<ResponseBody<B>>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let _entered = this.span.as_ref().map(Span::enter);
        let mut kind = this.kind;
        let failure = match kind.as_mut().project() {
            KindProj::Inner { future } => match guarded(|| future.poll(cx)) {
                Ok(Poll::Pending) => return Poll::Pending,
                Ok(Poll::Ready(Ok(response))) => {
                    let context = this.context.take().expect("future polled after completion");
                    // A tracked body left unread is drained before the answer (`drain`).
                    // Requests without a body skip this: their body is `NotAnnounced`.
                    #[cfg(feature = "axum")]
                    if matches!(context.body, crate::request_body::RequestBody::Tracked(_)) {
                        let outcome = Ok(response);
                        return drain_first(
                            kind,
                            this.draining,
                            this.context,
                            context,
                            outcome,
                            cx,
                        );
                    }
                    // Straight into `success`: no intermediate `Result` to move the response
                    // through.
                    return Poll::Ready(Ok(context.success(response)));
                }
                Ok(Poll::Ready(Err(error))) => Failure::Error(error),
                Err(panic) => Failure::Panic(panic),
            },
            KindProj::Error { error } => match error.take() {
                Some(error) => Failure::Ready(error),
                // Out of line, like the start of a drain: the success path stays as it was.
                None => return drained(this.draining, this.context, cx),
            },
        };
        let context = this.context.take().expect("future polled after completion");
        #[cfg(feature = "axum")]
        if matches!(context.body, crate::request_body::RequestBody::Tracked(_)) {
            return drain_first(kind, this.draining, this.context, context, Err(failure), cx);
        }
        // The inner service never ran, or panicked: it may not have read the body.
        let body_unread = !matches!(failure, Failure::Error(_));
        Poll::Ready(Ok(context.render(failure.into_cloud_error(), body_unread)))
    }
}

/// The inner service's outcome `O` (or the layer's error), held while the request body is drained.
type DrainSlot<O> = Option<Box<Draining<Result<O, CloudError>>>>;

/// Drains the request body before answering, if it was left unread and may be drained
/// (`Drain::start`); answers at once otherwise.
#[cfg(feature = "axum")]
#[cold]
#[inline(never)]
fn drain_first<F, St, B, E>(
    mut kind: Pin<&mut Kind<F>>,
    draining: &mut DrainSlot<Result<Response<B>, E>>,
    slot: &mut Option<RequestContext<St>>,
    context: RequestContext<St>,
    outcome: Result<Response<B>, Failure<E>>,
    cx: &mut Context<'_>,
) -> Poll<Result<Response<ResponseBody<B>>, Infallible>>
where
    F: Future<Output = Result<Response<B>, E>>,
    E: IntoCloudError,
    B: Body,
    St: Style,
{
    // The inner future goes first: a body it still holds is handed back.
    kind.set(Kind::Error { error: None });
    let crate::request_body::RequestBody::Tracked(state) = &context.body else {
        return Poll::Ready(Ok(context.answer(outcome)));
    };
    let Some(drain) = crate::drain::Drain::start(state) else {
        return Poll::Ready(Ok(context.answer(outcome)));
    };
    let then = match outcome {
        Ok(response) => Ok(Ok(response)),
        Err(Failure::Error(error)) => Ok(Err(error)),
        Err(failure) => Err(failure.into_cloud_error()),
    };
    *draining = Some(Box::new(Draining::new(drain, then)));
    *slot = Some(context);
    drained(draining, slot, cx)
}

/// Polls the drain; once it is over, answers (`Connection: close` if the body is still unread).
#[cold]
#[inline(never)]
fn drained<St, B, E>(
    draining: &mut DrainSlot<Result<Response<B>, E>>,
    slot: &mut Option<RequestContext<St>>,
    cx: &mut Context<'_>,
) -> Poll<Result<Response<ResponseBody<B>>, Infallible>>
where
    E: IntoCloudError,
    B: Body,
    St: Style,
{
    let held = draining.as_mut().expect("future polled after completion");
    let outcome = match std::task::ready!(held.poll(cx)) {
        Ok(Ok(response)) => Ok(response),
        Ok(Err(error)) => Err(Failure::Error(error)),
        Err(error) => Err(Failure::Ready(error)),
    };
    // The body goes now (hyper closes the read side of a body left unread), not with the future.
    *draining = None;
    let context = slot.take().expect("future polled after completion");
    Poll::Ready(Ok(context.answer(outcome)))
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
            Failure::Error(error) => guarded(|| error.into_cloud_error())
                .unwrap_or_else(|panic| panic_error("into_cloud_error", panic)),
            Failure::Panic(panic) => panic_error("response future", panic),
            Failure::Ready(error) => error,
        }
    }
}

impl<St: Style> RequestContext<St> {
    /// The answer to the request: the inner service's response, or the envelope of its failure.
    #[inline(always)] // the success path as it was before draining existed
    fn answer<B: Body, E: IntoCloudError>(
        self,
        outcome: Result<Response<B>, Failure<E>>,
    ) -> Response<ResponseBody<B>> {
        match outcome {
            Ok(response) => self.success(response),
            Err(failure) => {
                // The inner service never ran, or panicked: it may not have read the body.
                let body_unread = !matches!(failure, Failure::Error(_));
                self.render(failure.into_cloud_error(), body_unread)
            }
        }
    }

    /// A response from the inner service: add the id header; or render the error or success
    /// a handler deferred to the layer; or replace a bare error response with an envelope.
    // Inlined into `poll`: the response is then not copied in and out of a call.
    #[inline(always)]
    fn success<B: Body>(self, mut response: Response<B>) -> Response<ResponseBody<B>> {
        // Most responses carry no extension at all: skip the map lookup for them.
        let deferred = if response.extensions().is_empty() {
            None
        } else {
            response.extensions_mut().remove::<Deferred>()
        };
        match deferred {
            Some(Deferred::Error(error)) => {
                // A handler's placeholder may carry headers the client needs (`Retry-After`).
                let kept = kept_headers(response.headers());
                let mut envelope = self.render(error, false);
                envelope.headers_mut().extend(kept);
                return envelope;
            }
            Some(Deferred::Success(fields)) => return self.render_success(response, fields),
            None => {}
        }
        let status = response.status();
        if (status.is_client_error() || status.is_server_error())
            && self.options.rewrite_bare_errors
            && !self.is_inner_envelope(&response)
        {
            return self.rewrite_bare(response);
        }
        response.headers_mut().insert(
            self.style.request_id_header().clone(),
            self.request_id.clone(),
        );
        if self.body.response_closes() {
            // The inner service dropped the body unread: hyper closes after this response.
            response
                .headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
        }
        response.map(|body| ResponseBody::inner(body, self.request_id))
    }

    /// A success a handler deferred to the layer: the style wraps its JSON object in the success
    /// envelope with the request id ([`Style::success_body`]).
    fn render_success<B>(self, response: Response<B>, fields: Bytes) -> Response<ResponseBody<B>> {
        let request_id = String::from_utf8_lossy(self.request_id.as_bytes());
        let body = match guarded(|| self.style.success_body(fields, &request_id)) {
            Ok(body) => body,
            Err(panic) => return self.render(panic_error("success_body", panic), false),
        };
        let (mut parts, _placeholder) = response.into_parts();
        parts.headers.remove(CONTENT_LENGTH);
        parts.headers.insert(
            self.style.request_id_header().clone(),
            self.request_id.clone(),
        );
        if self.body.response_closes() {
            parts
                .headers
                .insert(CONNECTION, HeaderValue::from_static("close"));
        }
        if self.method == "HEAD" {
            parts
                .headers
                .insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
            return Response::from_parts(parts, ResponseBody::envelope(Bytes::new()));
        }
        Response::from_parts(parts, ResponseBody::envelope(body))
    }

    /// Whether an error response is an envelope rendered by an inner layer: it carries the
    /// [`RenderedEnvelope`] mark `render` sets, and its id header is this request's id (nested
    /// layers share it; an envelope of another style, under another header, is rewritten). A
    /// handler that copies the id onto its own responses (from `CloudRequestId`, or tower-http's
    /// `PropagateRequestIdLayer`) cannot set the mark, so its bare errors are still rewritten;
    /// a layer that marks the id header sensitive changes nothing.
    fn is_inner_envelope<B>(&self, response: &Response<B>) -> bool {
        response.extensions().get::<RenderedEnvelope>().is_some()
            && response
                .headers()
                .get(self.style.request_id_header())
                .is_some_and(|id| *id == self.request_id)
    }

    /// Replaces a bare error response of the inner service with the envelope of its status,
    /// keeping the headers a client needs.
    fn rewrite_bare<B: Body>(self, response: Response<B>) -> Response<ResponseBody<B>> {
        let status = response.status();
        let kept = kept_headers(response.headers());
        let text = peek_text(response.into_body());
        let mapped = self.options.status_mapper.as_ref().map(|mapper| {
            guarded(|| mapper(status))
                .unwrap_or_else(|panic| Some(panic_error("map_bare_status", panic)))
        });
        let error = mapped
            .flatten()
            .unwrap_or_else(|| default_error(status, self.method, text.as_deref()))
            .with_source(BareResponse { status, text });
        // Bare errors (an unknown route, a rejected method or body) leave the body unread.
        let mut envelope = self.render(error, true);
        envelope.headers_mut().extend(kept);
        envelope
    }

    /// Renders `error` (refined from its source chain if it is internal) as the style's
    /// envelope, with the id header; no body for `HEAD`; never a 2xx for `CONNECT`;
    /// `Connection: close` when the request's body is left unread (`body_unread`: the layer's
    /// guess when the body is not tracked; see `RequestBody`).
    fn render<B>(self, error: CloudError, body_unread: bool) -> Response<ResponseBody<B>> {
        // Ids are ASCII unless a custom generator says otherwise: check cheaply, convert rarely.
        let request_id = match std::str::from_utf8(self.request_id.as_bytes()) {
            Ok(id) => std::borrow::Cow::Borrowed(id),
            Err(_) => String::from_utf8_lossy(self.request_id.as_bytes()),
        };
        let close = self
            .body
            .error_closes(body_unread || error.leaves_body_unread());
        // User code runs here (recognizers, a style's code_for and render, sources' Display
        // while logging): a panic answers the style's InternalError, or a bare 500 if even that
        // cannot be rendered.
        let mut response = guarded(|| self.envelope(error, &request_id)).unwrap_or_else(|panic| {
            // The style's own InternalError code, so that a panicking code_for is not asked.
            let error = panic_error("rendering an envelope", panic);
            guarded(|| {
                let internal = CloudError::new(self.style.internal_error());
                self.envelope(internal.with_source_of(&error), &request_id)
            })
            .unwrap_or_else(|panic| {
                log_panic(Some(&self.request_id), "the style's render", panic);
                let mut bare = Response::new(Bytes::new());
                *bare.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                bare
            })
        });
        // The mark of a rendered envelope, for outer layers (see `is_inner_envelope`): an
        // extension, so it costs nothing on the success path and no header flag stands for it;
        // set only where an outer layer may look (its allocations are most of its cost).
        if self.may_be_nested {
            response.extensions_mut().insert(RenderedEnvelope);
        }
        response.headers_mut().insert(
            self.style.request_id_header().clone(),
            self.request_id.clone(),
        );
        if self.method == "CONNECT" && response.status().is_success() {
            // A 2xx answer to CONNECT opens a tunnel: hyper sends no body and hands the
            // connection over, so the envelope would be lost and a pipelined request never
            // answered. A style whose errors are HTTP 200 (Tencent) answers CONNECT with 405.
            *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
        }
        if close {
            response
                .headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
        }
        if self.method == "HEAD" {
            // No body, but the length a GET would have received, as HTTP specifies for HEAD.
            let length = HeaderValue::from(response.body().len());
            response.headers_mut().insert(CONTENT_LENGTH, length);
            return response.map(|_| ResponseBody::envelope(Bytes::new()));
        }
        response.map(ResponseBody::envelope)
    }

    /// The style's envelope for `error` (refined from its source chain if it is internal), logged.
    fn envelope(&self, error: CloudError, request_id: &str) -> Response<Bytes> {
        let recognizers = self.options.recognizers.as_deref().unwrap_or_default();
        let error = refine(error, recognizers);
        let report = ErrorReport::new(&error, request_id, &self.style);
        if guarded(|| log_error(&report, &error)).is_err() {
            // A source whose Display panicked: the answer stands, the log says less.
            tracing::error!(request_id, "an error's source panicked while being logged");
        }
        self.style.render(&report, &self.info)
    }
}

/// The mark of an envelope rendered by this crate, in the response's extensions: an outer layer
/// passes such an envelope through instead of rewriting it (see
/// `RequestContext::is_inner_envelope`). Private, so no handler or other layer can set it.
#[derive(Debug, Clone, Copy)]
struct RenderedEnvelope;

/// The headers of `headers` that an envelope replacing their response keeps.
fn kept_headers(headers: &HeaderMap) -> HeaderMap {
    let mut kept = HeaderMap::new();
    for name in KEPT_HEADERS {
        for value in headers.get_all(&name) {
            kept.append(name.clone(), value.clone());
        }
    }
    kept
}

/// Response headers kept when a bare error response is rewritten: a client needs them to act on
/// the error (which methods to use, when to retry, how to authenticate).
const KEPT_HEADERS: [HeaderName; 3] = [ALLOW, RETRY_AFTER, WWW_AUTHENTICATE];
