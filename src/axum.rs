//! axum integration (feature `axum`): handlers return [`CloudError`] (or a type that derives
//! `IntoCloudError`), and extract the request id with [`CloudRequestId`].

use std::fmt;

use axum_core::body::Body;
use axum_core::extract::FromRequestParts;
use axum_core::response::{IntoResponse, Response};
use http::request::Parts;
use http::HeaderValue;
use tower_http::request_id::RequestId;

use crate::error::CloudError;

/// Handlers can return `Result<T, CloudError>`: the layer renders the error with the request's
/// id and style (the handler's response is a placeholder the layer replaces). `?` converts a
/// [`Code`](crate::Code) too: `Err(bce::eip::EIP_NOT_FOUND)?`.
impl IntoResponse for CloudError {
    fn into_response(self) -> Response {
        CloudError::into_response::<Body>(self)
    }
}

/// Extracts the request's id, the same one as in the response header, the error body and the
/// layer's log lines.
///
/// Needs [`CloudErrorLayer`](crate::CloudErrorLayer) around the handler; without it the
/// extraction fails with `InternalError` (and a log line saying why).
///
/// ```
/// use tower_cloud_error::CloudRequestId;
///
/// async fn handler(request_id: CloudRequestId) -> String {
///     format!("your request id is {request_id}")
/// }
/// # let _ = handler;
/// ```
#[derive(Debug, Clone)]
pub struct CloudRequestId(HeaderValue);

impl CloudRequestId {
    /// The id as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Ids the layer sets are ASCII; a custom generator's non-ASCII id reads as empty.
        self.0.to_str().unwrap_or_default()
    }

    /// The id as a header value.
    #[must_use]
    pub fn header_value(&self) -> &HeaderValue {
        &self.0
    }
}

impl fmt::Display for CloudRequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<S: Sync> FromRequestParts<S> for CloudRequestId {
    type Rejection = CloudError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<RequestId>() {
            Some(id) => Ok(CloudRequestId(id.header_value().clone())),
            None => {
                tracing::error!(
                    "CloudRequestId extracted without CloudErrorLayer around the handler"
                );
                Err(CloudError::internal())
            }
        }
    }
}
