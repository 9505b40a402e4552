//! [`CloudErrorLayer`]: configuration, and the [`Layer`] that applies it.

use tower_http::request_id::MakeRequestId;
use tower_layer::Layer;

use crate::request_id::MakeRequestUuidV4;
use crate::service::CatchCloudError;
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
    trust_incoming_request_id: bool,
}

impl<St: Style> CloudErrorLayer<St> {
    /// A layer rendering `style`, with UUID v4 request ids and incoming ids ignored.
    pub fn new(style: St) -> Self {
        CloudErrorLayer {
            style,
            make_request_id: MakeRequestUuidV4,
            trust_incoming_request_id: false,
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
    /// `None` falls back to UUID v4.
    pub fn make_request_id<M2: MakeRequestId>(
        self,
        make_request_id: M2,
    ) -> CloudErrorLayer<St, M2> {
        CloudErrorLayer {
            style: self.style,
            make_request_id,
            trust_incoming_request_id: self.trust_incoming_request_id,
        }
    }

    /// Whether a request id sent by the client in the style's request-id header
    /// (`x-bce-request-id`, `X-TC-RequestId`) is reused. Off by default: clients could otherwise
    /// choose the ids in your logs. When on, only a single header value that passes
    /// [`is_valid_request_id`](crate::is_valid_request_id) is reused.
    pub fn trust_incoming_request_id(mut self, trust: bool) -> Self {
        self.trust_incoming_request_id = trust;
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
            self.trust_incoming_request_id,
        )
    }
}
