//! [`Success`]: a Tencent Cloud API 3.0 success answer, `{"Response":{...,"RequestId"}}`.

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderValue, Response};
use serde::Serialize;

use crate::deferred::Deferred;
use crate::error::CloudError;

/// A successful answer in the Tencent Cloud API 3.0 envelope: the handler's fields inside
/// `Response`, with the request's `RequestId` beside them, as the SDKs read it
/// (`{"Response":{"TotalCount":1,"RequestId":"<id>"}}`).
///
/// The layer adds the request id, so the handler does not need it: with the `axum` feature a
/// handler returns `Success(fields)`; elsewhere, [`Success::into_response`]. The value must
/// serialize to a JSON object; anything else (or a serialization error) answers InternalError.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use bytes::Bytes;
/// use http::Request;
/// use http_body_util::{BodyExt, Empty};
/// use serde::Serialize;
/// use tower::{service_fn, ServiceBuilder, ServiceExt};
/// use tower_cloud_error::{tencent, CloudError, CloudErrorLayer};
///
/// #[derive(Serialize)]
/// #[serde(rename_all = "PascalCase")]
/// struct DescribeNamespaces {
///     total_count: u32,
/// }
///
/// let service = ServiceBuilder::new()
///     .layer(CloudErrorLayer::tencent())
///     .service(service_fn(|_: Request<()>| async {
///         let fields = DescribeNamespaces { total_count: 1 };
///         Ok::<_, CloudError>(tencent::Success(fields).into_response::<Empty<Bytes>>())
///     }));
/// let response = service.oneshot(Request::new(())).await.unwrap();
/// let id = response.headers()["x-tc-requestid"].to_str().unwrap().to_owned();
/// assert_eq!(response.headers()["content-type"], "application/json");
/// let body = response.into_body().collect().await.unwrap().to_bytes();
/// assert_eq!(body, format!(r#"{{"Response":{{"TotalCount":1,"RequestId":"{id}"}}}}"#));
/// # }
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Success<T>(pub T);

const CONTENT_TYPE_JSON: HeaderValue = HeaderValue::from_static("application/json");

impl<T: Serialize> Success<T> {
    /// A placeholder response carrying the fields to [`CloudErrorLayer`](crate::CloudErrorLayer),
    /// which writes the envelope with the request id. Without the layer the body is empty.
    #[must_use]
    pub fn into_response<B: Default>(self) -> Response<B> {
        let fields = match serde_json::to_vec(&self.0) {
            Ok(fields) if fields.first() == Some(&b'{') => fields,
            Ok(_) => {
                return CloudError::internal()
                    .with_source("tencent::Success needs fields that serialize to a JSON object")
                    .into_response()
            }
            Err(error) => return CloudError::internal().with_source(error).into_response(),
        };
        let mut response = Response::new(B::default());
        response
            .headers_mut()
            .insert(CONTENT_TYPE, CONTENT_TYPE_JSON);
        response
            .extensions_mut()
            .insert(Deferred::Success(Bytes::from(fields)));
        response
    }
}

#[cfg(feature = "axum")]
impl<T: Serialize> axum_core::response::IntoResponse for Success<T> {
    fn into_response(self) -> axum_core::response::Response {
        Success::into_response::<axum_core::body::Body>(self)
    }
}
