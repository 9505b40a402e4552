//! Tower middleware that answers every failure of a service with the documented error envelope
//! of **Baidu AI Cloud (BCE)** or **Tencent Cloud API 3.0**: the right status, content type,
//! body and request id, so that the official SDKs read the code, message and request id.
//!
//! [`CloudErrorLayer`] wraps any axum or hyper service. It converts the service's errors through
//! [`IntoCloudError`], catches its panics, attaches one request id to every request and response,
//! and never lets internal details (panic payloads, error chains) reach a client: those go to
//! [`tracing`] with the request id.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use bytes::Bytes;
//! use http::{Request, Response, StatusCode};
//! use http_body_util::{BodyExt, Full};
//! use tower::{service_fn, ServiceBuilder, ServiceExt};
//! use tower_cloud_error::{catalog::bce::eip, CloudError, CloudErrorLayer};
//!
//! let service = ServiceBuilder::new()
//!     .layer(CloudErrorLayer::bce())
//!     .service(service_fn(|_request: Request<()>| async {
//!         // Your service fails with a documented code (or any `IntoCloudError` type).
//!         Err::<Response<Full<Bytes>>, _>(CloudError::new(eip::EIP_NOT_FOUND))
//!     }));
//!
//! let response = service.oneshot(Request::new(())).await.unwrap();
//! assert_eq!(response.status(), StatusCode::NOT_FOUND);
//! assert_eq!(response.headers()["content-type"], "application/json; charset=utf-8");
//! let id = response.headers()["x-bce-request-id"].to_str().unwrap().to_owned();
//!
//! let body = response.into_body().collect().await.unwrap().to_bytes();
//! assert_eq!(
//!     body,
//!     format!(r#"{{"requestId":"{id}","code":"EipNotFound","message":"The specified eip does not exist."}}"#)
//! );
//! # }
//! ```
//!
//! # What you get
//!
//! | | |
//! |---|---|
//! | Error model | [`Code`] (checked at compile time), [`CloudError`], [`IntoCloudError`] |
//! | Catalogs | every documented code: [`catalog::bce`], [`catalog::tencent`] |
//! | Styles | [`Bce`], [`Tencent`], or your own [`Style`] |
//! | Layer | [`CloudErrorLayer`] → [`CatchCloudError`], errors **and panics** → envelope |
//! | Request ids | UUID v4 ([`MakeRequestUuidV4`]) or any [`MakeRequestId`]; in the request extensions as [`RequestId`], the response header and the error body |
//! | axum (feature `axum`) | handlers return [`CloudError`] or `HandlerError`; `CloudRequestId` extractor |
//! | JSON bodies | [`extract`]: `BceJson` / `TencentJson` (feature `axum`), `bce::from_body` / `tencent::from_body`; every parse failure answers its documented code |
//! | Bare responses | 4xx/5xx responses of the inner service that are not envelopes (axum's 404/405, rejections, tower-http limits) become the style's envelope |
//! | Protocol checks | opt-in [`BceChecks`] and [`TencentChecks`]: versions, clock skew, required headers |
//! | Conformance kit | [`conformance`]: a checker for your own tests that lists every violation |
//! | Rules | [`rules`]: every rule, its source, the test that proves it |
//!
//! # Rules the crate enforces
//!
//! - A code renders only in its own dialect: a BCE code under the Tencent style (or the other way
//!   round) is a programming error, logged, and answered with the style's `InternalError`.
//! - `InternalError` (and its sub-codes, such as `InternalError.DbError`) always renders its
//!   canonical message; custom messages on them are dropped, because they tend to carry
//!   internals.
//! - Messages are bounded to [`MAX_MESSAGE_LEN`] bytes and always render as valid JSON.
//! - Tencent errors are HTTP 200 with `content-type: application/json` exactly; BCE errors carry
//!   the code's documented status and `application/json; charset=utf-8`.
//! - An error answer to `HEAD` has no body (status and headers stay).
//! - Client-sent request ids are ignored unless
//!   [`trust_incoming_request_id`](CloudErrorLayer::trust_incoming_request_id) is on, and then
//!   used only if [valid](is_valid_request_id). An id set by an outer tower-http
//!   `SetRequestIdLayer` is reused if valid.
//!
//! # Panics
//!
//! See [`CatchCloudError`] for exactly what is caught where.

#![forbid(unsafe_code)]
#![warn(
    missing_docs,
    missing_debug_implementations,
    unreachable_pub,
    rust_2018_idioms
)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

#[cfg(feature = "axum")]
mod axum;
mod body;
pub mod catalog;
mod classify;
mod code;
mod condition;
pub mod conformance;
mod date;
mod deferred;
mod error;
pub mod extract;
mod future;
#[cfg(feature = "idempotency")]
pub mod idempotency;
mod into_cloud_error;
mod json;
mod language;
mod layer;
mod log;
mod request_id;
pub mod rules;
mod service;
mod style;

#[cfg(feature = "axum")]
pub use crate::axum::{CloudRequestId, CloudResult, HandlerError};
pub use crate::body::ResponseBody;
pub use crate::code::{Code, Dialect};
pub use crate::condition::Condition;
pub use crate::error::{CloudError, MAX_MESSAGE_LEN};
pub use crate::future::ResponseFuture;
pub use crate::into_cloud_error::{BoxError, IntoCloudError};
pub use crate::language::Language;
pub use crate::layer::CloudErrorLayer;
pub use crate::request_id::{is_valid_request_id, MakeRequestUuidV4, MAX_REQUEST_ID_LEN};
pub use crate::service::CatchCloudError;
pub use crate::style::{Bce, BceChecks, ErrorReport, RequestDate, Style, Tencent, TencentChecks};

/// The README's example, compiled and run as a doctest.
#[cfg(all(doctest, feature = "axum"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// Header names of the two conventions.
pub mod header {
    pub use crate::style::{BCE_REQUEST_ID, TENCENT_LANGUAGE, TENCENT_REQUEST_ID};
}
pub use tower_http::request_id::{MakeRequestId, RequestId};
