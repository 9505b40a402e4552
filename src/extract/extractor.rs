//! The axum extractors (feature `axum`): [`BceJson`] and [`TencentJson`].

use std::ops::{Deref, DerefMut};

use axum_core::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use super::validate::Validate;
use super::{bce, tencent};
use crate::error::CloudError;

/// Extracts a JSON request body under the BCE conventions: a `T` (unknown items ignored) that
/// passed its [`Validate`] check, or the documented error (`InvalidHTTPRequest`,
/// `MalformedJSON`, `InappropriateJSON`), which [`CloudErrorLayer`](crate::CloudErrorLayer)
/// renders.
///
/// It reads at most `LIMIT` bytes ([`bce::read_body`](crate::bce::read_body); [`bce::DEFAULT_LIMIT`](crate::bce::DEFAULT_LIMIT), 2 MiB, unless
/// set), checks the content type ([`bce::check_content_type`](crate::bce::check_content_type), whose error comes first) and
/// parses with [`bce::from_slice`](crate::bce::from_slice); see the [`bce`](crate::bce#json-bodies) module for every rule. The body is read
/// even when the content type is wrong, so that a keep-alive connection survives the refusal
/// (hyper closes one whose request body was left unread). The limit is the extractor's own:
/// axum's `DefaultBodyLimit` does not change it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use axum::{body::Body, routing::put, Router};
/// use http::Request;
/// use http_body_util::BodyExt;
/// use serde::Deserialize;
/// use tower::ServiceExt;
/// use tower_cloud_error::{bce, Validate};
/// use tower_cloud_error::bce::Json as BceJson;
/// use tower_cloud_error::{CloudError, CloudErrorLayer};
///
/// #[derive(Deserialize)]
/// #[serde(rename_all = "camelCase")]
/// struct Resize {
///     new_bandwidth_in_mbps: u32,
/// }
///
/// impl Validate for Resize {
///     fn validate(&self) -> Result<(), CloudError> {
///         if (1..=200).contains(&self.new_bandwidth_in_mbps) {
///             Ok(())
///         } else {
///             Err(bce::inappropriate_json("newBandwidthInMbps must be from 1 to 200"))
///         }
///     }
/// }
///
/// async fn resize(BceJson(resize): BceJson<Resize>) -> String {
///     resize.new_bandwidth_in_mbps.to_string()
/// }
///
/// // A smaller limit: `BceJson<Resize, 4096>`.
/// let app = Router::new()
///     .route("/v1/eip/{ip}", put(resize))
///     .layer(CloudErrorLayer::bce());
///
/// let request = Request::put("/v1/eip/100.88.0.1?resize")
///     .header("content-type", "application/json; charset=utf-8")
///     .body(Body::from(r#"{"newBandwidthInMbps": 500}"#))
///     .unwrap();
/// let response = app.oneshot(request).await.unwrap();
/// assert_eq!(response.status(), 400);
/// let body = response.into_body().collect().await.unwrap().to_bytes();
/// let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
/// assert_eq!(body["code"], "InappropriateJSON");
/// assert_eq!(
///     body["message"],
///     "The JSON you provided was well-formed and valid, but not appropriate for this \
///      operation: newBandwidthInMbps must be from 1 to 200."
/// );
/// # }
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BceJson<T, const LIMIT: usize = { bce::DEFAULT_LIMIT }>(pub T);

/// Extracts a JSON request body under the Tencent Cloud API 3.0 conventions: a `T` with no
/// unknown, missing or invalid parameter that passed its [`Validate`] check, or the documented
/// error (`InvalidParameter`, `UnknownParameter`, `MissingParameter`, `InvalidParameterValue`,
/// `RequestSizeLimitExceeded`) naming the parameter in both languages, which
/// [`CloudErrorLayer`](crate::CloudErrorLayer) renders in the request's language.
///
/// It reads at most `LIMIT` bytes ([`tencent::read_body`](crate::tencent::read_body); [`tencent::DEFAULT_LIMIT`](crate::tencent::DEFAULT_LIMIT), the
/// documented 10 MiB, unless set), checks the content type ([`tencent::check_content_type`](crate::tencent::check_content_type),
/// whose error comes first) and parses with [`tencent::from_slice`](crate::tencent::from_slice); see the [`tencent`](crate::tencent#json-bodies)
/// module for every rule. The body is read even when the content type is wrong, so that a
/// keep-alive connection survives the refusal. It reads `POST` bodies; `GET` parameters are in
/// the query. The limit is the extractor's own: axum's `DefaultBodyLimit` does not change it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use axum::{body::Body, routing::post, Router};
/// use http::Request;
/// use http_body_util::BodyExt;
/// use serde::Deserialize;
/// use tower::ServiceExt;
/// use tower_cloud_error::Validate;
/// use tower_cloud_error::tencent::Json as TencentJson;
/// use tower_cloud_error::CloudErrorLayer;
///
/// #[derive(Deserialize)]
/// #[serde(rename_all = "PascalCase")]
/// struct CreateNamespace {
///     namespace: String,
/// }
/// impl Validate for CreateNamespace {}
///
/// // At most 64 KiB for this action.
/// async fn create(TencentJson(request): TencentJson<CreateNamespace, 65536>) -> String {
///     request.namespace
/// }
///
/// let app = Router::new().route("/", post(create)).layer(CloudErrorLayer::tencent());
///
/// let request = Request::post("/")
///     .header("content-type", "application/json")
///     .header("x-tc-language", "en-US")
///     .body(Body::from(r#"{"Namespace": "apps", "Quota": 5}"#))
///     .unwrap();
/// let response = app.oneshot(request).await.unwrap();
/// assert_eq!(response.status(), 200); // Tencent errors travel with HTTP 200
/// let body = response.into_body().collect().await.unwrap().to_bytes();
/// let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
/// assert_eq!(body["Response"]["Error"]["Code"], "UnknownParameter");
/// assert_eq!(
///     body["Response"]["Error"]["Message"],
///     "The parameter `Quota` is not defined by this action."
/// );
/// # }
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TencentJson<T, const LIMIT: usize = { tencent::DEFAULT_LIMIT }>(pub T);

impl<T, S, const LIMIT: usize> FromRequest<S> for BceJson<T, LIMIT>
where
    T: DeserializeOwned + Validate,
    S: Send + Sync,
{
    type Rejection = CloudError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, CloudError> {
        let (parts, body) = request.into_parts();
        // Read before judging: an unread body would cost the client its connection.
        let body = bce::read_body(body, LIMIT).await;
        bce::check_content_type(&parts.headers)?;
        bce::from_slice(&body?).map(BceJson)
    }
}

impl<T, S, const LIMIT: usize> FromRequest<S> for TencentJson<T, LIMIT>
where
    T: DeserializeOwned + Validate,
    S: Send + Sync,
{
    type Rejection = CloudError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, CloudError> {
        let (parts, body) = request.into_parts();
        // Read before judging: an unread body would cost the client its connection.
        let body = tencent::read_body(body, LIMIT).await;
        tencent::check_content_type(&parts.headers)?;
        tencent::from_slice(&body?).map(TencentJson)
    }
}

/// Forwards `Deref`, `DerefMut`, `From<T>` and `into_inner` for a wrapper.
macro_rules! wrapper {
    ($name:ident) => {
        impl<T, const LIMIT: usize> $name<T, LIMIT> {
            /// The extracted value.
            pub fn into_inner(self) -> T {
                self.0
            }
        }

        impl<T, const LIMIT: usize> Deref for $name<T, LIMIT> {
            type Target = T;

            fn deref(&self) -> &T {
                &self.0
            }
        }

        impl<T, const LIMIT: usize> DerefMut for $name<T, LIMIT> {
            fn deref_mut(&mut self) -> &mut T {
                &mut self.0
            }
        }

        impl<T, const LIMIT: usize> From<T> for $name<T, LIMIT> {
            fn from(value: T) -> Self {
                $name(value)
            }
        }
    };
}

wrapper!(BceJson);
wrapper!(TencentJson);
