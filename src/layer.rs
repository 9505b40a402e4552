//! [`CloudErrorLayer`]: configuration, and the [`Layer`] that applies it.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use http::StatusCode;
use tower_http::request_id::MakeRequestId;
use tower_layer::Layer;

use crate::classify::Recognizer;
use crate::drain::DrainBound;
use crate::error::CloudError;

use crate::request_ids::MakeRequestUuidV4;
use crate::service_impl::CatchCloudError;
use crate::style::{Bce, Style, Tencent};

/// Wraps a service so that every failure answers the style's documented error envelope, and
/// every response carries the request id. See the [crate docs](crate) for an example.
///
/// - the inner service's `Err`s are converted through [`IntoCloudError`](crate::IntoCloudError);
/// - panics in `poll_ready`, `call`, the response future and the response body are caught;
/// - a request id is attached to every request (extensions) and response (header, and error
///   body).
#[derive(Debug, Clone)]
#[must_use]
pub struct CloudErrorLayer<St, M = MakeRequestUuidV4> {
    style: St,
    make_request_id: M,
    options: Options,
    // Not in `Options`, which is cloned per request: only requests with a body need it.
    drain: DrainBound,
}

/// A user's mapping of a bare inner status to an error.
pub(crate) type StatusMapper = Arc<dyn Fn(StatusCode) -> Option<CloudError> + Send + Sync>;

/// The layer's settings besides the style and the id generator; cloned per request, so every
/// field is cheap to clone (flags, and `Arc`s that are `None` unless the user set them).
#[derive(Clone)]
pub(crate) struct Options {
    pub(crate) trust_incoming_request_id: bool,
    pub(crate) rewrite_bare_errors: bool,
    pub(crate) status_mapper: Option<StatusMapper>,
    pub(crate) recognizers: Option<Arc<[Recognizer]>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            trust_incoming_request_id: false,
            rewrite_bare_errors: true,
            status_mapper: None,
            recognizers: None,
        }
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("trust_incoming_request_id", &self.trust_incoming_request_id)
            .field("rewrite_bare_errors", &self.rewrite_bare_errors)
            .field("status_mapper", &self.status_mapper.is_some())
            .field(
                "recognizers",
                &self.recognizers.as_ref().map_or(0, |r| r.len()),
            )
            .finish()
    }
}

impl<St: Style> CloudErrorLayer<St> {
    /// A layer rendering `style`, with UUID v4 request ids and incoming ids ignored.
    pub fn new(style: St) -> Self {
        CloudErrorLayer {
            style,
            make_request_id: MakeRequestUuidV4,
            options: Options::default(),
            drain: DrainBound::DEFAULT,
        }
    }
}

impl CloudErrorLayer<Bce> {
    /// A layer rendering the [`Bce`] style.
    pub fn bce() -> Self {
        CloudErrorLayer::new(Bce::new())
    }
}

impl CloudErrorLayer<Tencent> {
    /// A layer rendering the [`Tencent`] style, default language `zh-CN`.
    pub fn tencent() -> Self {
        CloudErrorLayer::new(Tencent::new())
    }
}

impl<St, M> CloudErrorLayer<St, M> {
    /// Generates request ids with `make_request_id` instead of UUID v4. A generator that returns
    /// `None`, or an id that is not [valid](crate::request_id::is_valid_request_id), falls back to UUID v4.
    pub fn make_request_id<M2: MakeRequestId>(
        self,
        make_request_id: M2,
    ) -> CloudErrorLayer<St, M2> {
        CloudErrorLayer {
            style: self.style,
            make_request_id,
            options: self.options,
            drain: self.drain,
        }
    }

    /// Whether a request id sent by the client in the style's request-id header
    /// (`x-bce-request-id`, `X-TC-RequestId`) is reused. Off by default: clients could otherwise
    /// choose the ids in your logs. When on, only a single header value that passes
    /// [`is_valid_request_id`](crate::request_id::is_valid_request_id) is reused.
    pub fn trust_incoming_request_id(mut self, trust: bool) -> Self {
        self.options.trust_incoming_request_id = trust;
        self
    }

    /// Whether 4xx and 5xx responses of the inner service that are not envelopes of this crate
    /// (axum's empty 404 and 405, its text rejections, tower-http's 408 and 413, ...) are
    /// replaced by the style's envelope. On by default: with the layer outermost, no error
    /// leaves the service in another shape.
    ///
    /// An envelope rendered by an inner layer passes through (nested layers share the id).
    /// Error responses built by hand, even well-formed ones, are rewritten: build them with
    /// [`CloudError`] instead.
    ///
    /// A rewritten response keeps the headers a client needs (`Allow`, `Retry-After`,
    /// `WWW-Authenticate`); its body is dropped unread. The code comes from
    /// [`map_bare_status`](Self::map_bare_status), else from
    /// [`Condition::from_status`](crate::Condition::from_status) and the style.
    pub fn rewrite_bare_errors(mut self, rewrite: bool) -> Self {
        self.options.rewrite_bare_errors = rewrite;
        self
    }

    /// Chooses the error for a bare inner error status; `None` falls back to the default
    /// mapping.
    ///
    /// ```
    /// use http::StatusCode;
    /// use tower_cloud_error::{bce::common, CloudError, CloudErrorLayer};
    ///
    /// // Behind this service, a bare 404 means an unknown resource, not an unknown route.
    /// let layer = CloudErrorLayer::bce().map_bare_status(|status| {
    ///     (status == StatusCode::NOT_FOUND).then(|| CloudError::new(common::ACCESS_DENIED))
    /// });
    /// # let _ = layer;
    /// ```
    pub fn map_bare_status<F>(mut self, mapper: F) -> Self
    where
        F: Fn(StatusCode) -> Option<CloudError> + Send + Sync + 'static,
    {
        self.options.status_mapper = Some(Arc::new(mapper));
        self
    }

    /// Recognises errors of type `E` anywhere in an error's source chain (wrapped in context,
    /// boxed by tower middleware) and maps them with `mapper`. The most specific code found in
    /// the chain wins (see the [rules](crate::rules#the-most-specific-code-wins)).
    ///
    /// ```
    /// use tower_cloud_error::{bce::eip, CloudError, CloudErrorLayer};
    ///
    /// #[derive(Debug)]
    /// struct QuotaExceeded;
    /// impl std::fmt::Display for QuotaExceeded {
    ///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    ///         f.write_str("quota exceeded")
    ///     }
    /// }
    /// impl std::error::Error for QuotaExceeded {}
    ///
    /// let layer = CloudErrorLayer::bce()
    ///     .recognize(|_: &QuotaExceeded| CloudError::new(eip::EXCEED_LIMIT));
    /// # let _ = layer;
    /// ```
    pub fn recognize<E, F>(mut self, mapper: F) -> Self
    where
        E: StdError + 'static,
        F: Fn(&E) -> CloudError + Send + Sync + 'static,
    {
        let recognizer: Recognizer = Arc::new(move |error: &(dyn StdError + 'static)| {
            error.downcast_ref::<E>().map(&mapper)
        });
        let mut recognizers: Vec<Recognizer> = self
            .options
            .recognizers
            .as_deref()
            .map(<[Recognizer]>::to_vec)
            .unwrap_or_default();
        recognizers.push(recognizer);
        self.options.recognizers = Some(recognizers.into());
        self
    }
}

impl<St, M> CloudErrorLayer<St, M> {
    /// Bounds how much of a request body left unread the layer reads and discards before it
    /// answers: at most `max_bytes` bytes within `max_time`. The default is 16 MiB in 10 s;
    /// `drain_unread_bodies(0, Duration::ZERO)` (or either bound zero) turns draining off.
    ///
    /// Python's `http.client` (and the official BCE SDK on it) sends the whole request body
    /// before it reads the answer. When a service answers without reading the body (a handler
    /// error, a body refused over its limit, a failed check, a panic), an HTTP/1 server closes
    /// the connection, and closing a socket with unread data resets it: such a client gets a
    /// broken pipe instead of the error. So when an HTTP/1 answer leaves a body the layer tracks
    /// unread (axum's `Body`, feature `axum`), the layer first reads the rest of the body and
    /// discards it, then answers, and keeps the connection open (nginx's lingering close is the
    /// model). It does not drain, and answers at once with `Connection: close`, when the body
    /// announces more than `max_bytes` (`Content-Length`), or the client waits for
    /// `100 Continue` that was never sent; it answers with `Connection: close` when `max_bytes`
    /// are read or `max_time` passes before the body's end, or reading fails. Memory stays
    /// bounded: chunks are discarded as they come. The time bound uses tokio's timer: without a
    /// tokio runtime with timers, nothing is drained. See [`CatchCloudError`'s
    /// connections](crate::service::CatchCloudError#connections).
    ///
    /// ```
    /// use std::time::Duration;
    /// use tower_cloud_error::CloudErrorLayer;
    ///
    /// // Bodies up to 64 MiB, within 30 s.
    /// let layer = CloudErrorLayer::bce().drain_unread_bodies(64 << 20, Duration::from_secs(30));
    /// // Never drain: refused bodies close the connection.
    /// let layer = CloudErrorLayer::tencent().drain_unread_bodies(0, Duration::ZERO);
    /// # let _ = layer;
    /// ```
    pub fn drain_unread_bodies(mut self, max_bytes: u64, max_time: std::time::Duration) -> Self {
        self.drain = DrainBound {
            max_bytes,
            max_time,
        };
        self
    }
}

impl<S, St: Clone, M: Clone> Layer<S> for CloudErrorLayer<St, M> {
    type Service = CatchCloudError<S, St, M>;

    fn layer(&self, inner: S) -> Self::Service {
        CatchCloudError::new(
            inner,
            self.style.clone(),
            self.make_request_id.clone(),
            self.options.clone(),
        )
        .with_drain(self.drain)
    }
}
