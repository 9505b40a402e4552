//! Answers that a handler hands to the layer inside an otherwise empty response, because only
//! the layer knows the request's id and style.

use bytes::Bytes;
use http::{Response, StatusCode};

use crate::error::CloudError;

/// Carried in the response extensions from a handler to the layer, which renders it with the
/// request's id and style. One type, so the success path looks up one extension.
#[derive(Clone)]
pub(crate) enum Deferred {
    /// An error: rendered as the style's envelope.
    Error(CloudError),
    /// A success's JSON object: wrapped by the style's success envelope
    /// ([`Style::success_body`](crate::Style::success_body)).
    Success(Bytes),
}

impl CloudError {
    /// A placeholder response carrying this error to the [`CloudErrorLayer`](crate::CloudErrorLayer),
    /// which replaces it with the style's envelope, the request's id and the right status.
    ///
    /// This is how handlers of any framework return an error as a response (axum handlers can
    /// simply return `CloudError`, with the `axum` feature). Without the layer, the placeholder
    /// reads as an empty `500 Internal Server Error`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use http::{Request, Response};
    /// use http_body_util::Empty;
    /// use bytes::Bytes;
    /// use tower::{service_fn, ServiceBuilder, ServiceExt};
    /// use tower_cloud_error::{bce::eip, CloudError, CloudErrorLayer};
    ///
    /// let service = ServiceBuilder::new()
    ///     .layer(CloudErrorLayer::bce())
    ///     .service(service_fn(|_: Request<()>| async {
    ///         Ok::<Response<Empty<Bytes>>, CloudError>(CloudError::new(eip::EIP_NOT_FOUND).into_response())
    ///     }));
    /// let response = service.oneshot(Request::new(())).await.unwrap();
    /// assert_eq!(response.status(), 404);
    /// # }
    /// ```
    #[must_use]
    pub fn into_response<B: Default>(self) -> Response<B> {
        let mut response = Response::new(B::default());
        *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        response.extensions_mut().insert(Deferred::Error(self));
        response
    }
}
