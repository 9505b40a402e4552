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
//! use tower_cloud_error::{bce, CloudError, CloudErrorLayer};
//!
//! let service = ServiceBuilder::new()
//!     .layer(CloudErrorLayer::bce())
//!     .service(service_fn(|_request: Request<()>| async {
//!         // Your service fails with a documented code (or any `IntoCloudError` type).
//!         Err::<Response<Full<Bytes>>, _>(CloudError::new(bce::eip::EIP_NOT_FOUND))
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
//! | Error model | [`Code`] (checked at compile time), [`CloudError`], [`IntoCloudError`] (implement it, or derive it with the `derive` feature) |
//! | Providers | [`bce`] and [`tencent`]: each one's style, code catalogs, protocol checks and JSON extraction |
//! | Layer | [`CloudErrorLayer`] → [`service::CatchCloudError`]: errors **and panics** → envelope |
//! | Request ids | UUID v4 or any [`MakeRequestId`](request_id::MakeRequestId); in the request extensions ([`RequestId`](request_id::RequestId)), the response header, the error body and a `tracing` span ([`request_id`]) |
//! | Styles | [`bce::Bce`], [`tencent::Tencent`], or your own [`Style`] |
//! | axum (feature `axum`) | handlers return [`CloudError`] or a derived error type; the `CloudRequestId` extractor; `bce::Json` / `tencent::Json` |
//! | Bare responses | 4xx/5xx responses of the inner service that are not envelopes (axum's 404/405, rejections, tower-http limits) become the style's envelope |
//! | Conformance kit (feature `conformance`) | a checker for your own tests that lists every violation |
//! | Rules | [`rules`]: every rule, its source, the test that proves it |
//!
//! # Which code a client sees
//!
//! **A code chosen explicitly is final; only an internal error (an unknown error, a panic,
//! [`CloudError::internal`]) is refined, taking the code of the first error in its source chain
//! that is a [`CloudError`] with a code or that a recognizer maps.** Recognizers are the crate's
//! (serde_json, body limits, timeouts, load shedding: see the [rules](rules#which-code-a-client-sees))
//! and yours ([`CloudErrorLayer::recognize`]). The layer, `BoxError`'s [`IntoCloudError`] and
//! the derive all follow this rule (one function decides: `refine`).
//!
//! # Rules the crate enforces
//!
//! - A code renders only in its own dialect: a BCE code under the Tencent style (or the other way
//!   round) is a programming error, logged, and answered with the style's `InternalError`; an
//!   error that serves both styles carries a code for each ([`CloudError::or_code`]).
//! - `InternalError` (and its sub-codes, such as `InternalError.DbError`) always renders its
//!   canonical message; custom messages on them are dropped, because they tend to carry
//!   internals.
//! - Messages are bounded to [`CloudError::MAX_MESSAGE_LEN`](crate::CloudError::MAX_MESSAGE_LEN) bytes and always render as valid
//!   JSON.
//! - Tencent errors are HTTP 200 with `content-type: application/json` exactly; BCE errors carry
//!   the code's documented status and `application/json; charset=utf-8`.
//! - An error answer to `HEAD` has no body (status and headers stay).
//! - Client-sent request ids are ignored unless
//!   [`trust_incoming_request_id`](CloudErrorLayer::trust_incoming_request_id) is on, and then
//!   used only if [valid](request_id::is_valid_request_id). An id set by an outer layer (tower-http's
//!   `SetRequestIdLayer`) is adopted if valid: see [`request_id`] for what that means for
//!   client ids.
//!
//! # Panics
//!
//! See [`service::CatchCloudError`] for exactly what is caught where.

#![forbid(unsafe_code)]
#![warn(
    missing_docs,
    missing_debug_implementations,
    unreachable_pub,
    rust_2018_idioms
)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
mod auth;
#[cfg(feature = "axum")]
mod axum;
mod bare;
mod body;
mod catalog;
mod classify;
mod code;
mod condition;
#[cfg(feature = "conformance")]
#[cfg_attr(docsrs, doc(cfg(feature = "conformance")))]
pub mod conformance;
mod date;
mod deferred;
mod drain;
mod error;
mod extract;
mod future;
mod guard;
#[cfg(feature = "idempotency")]
pub mod idempotency;
mod into_cloud_error;
mod json;
mod language;
mod layer;
mod log;
pub mod panic_hook;
mod request_body;
mod request_ids;
pub mod rules;
mod service_impl;
mod style;

pub mod bce;
pub mod tencent;

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use crate::axum::CloudRequestId;
pub use crate::code::{Code, Dialect};
pub use crate::condition::Condition;
pub use crate::error::CloudError;
pub use crate::extract::Validate;
pub use crate::into_cloud_error::{BoxError, IntoCloudError};
pub use crate::language::Language;
pub use crate::layer::CloudErrorLayer;
pub use crate::style::{ErrorReport, Style};
#[cfg(feature = "derive")]
#[cfg_attr(docsrs, doc(cfg(feature = "derive")))]
#[doc = include_str!("derive.md")]
pub use tower_cloud_error_derive::IntoCloudError;

pub mod request_id {
    //! Request ids: one per request, in the request extensions ([`RequestId`], tower-http's
    //! type), the style's response header on every response, the error body, and the
    //! `request` span of the layer's logs.
    //!
    //! # Where the id comes from
    //!
    //! 1. An id an outer layer put in the request extensions (tower-http's
    //!    `SetRequestIdLayer`), if [valid](is_valid_request_id): that layer is where you chose
    //!    your id policy, and every header then carries the same id.
    //! 2. With [`trust_incoming_request_id`](crate::CloudErrorLayer::trust_incoming_request_id),
    //!    a single valid id the client sent in the style's header.
    //! 3. Otherwise a new one from the layer's [`MakeRequestId`] (UUID v4 by default).
    //!
    //! `trust_incoming_request_id` governs the headers **this** layer reads. tower-http's
    //! `SetRequestIdLayer` keeps a client's `x-request-id` when one is sent, so with it outside,
    //! clients choose the id, whatever this layer's setting: to keep client ids out, remove the
    //! header before it (`tower::ServiceBuilder::map_request`), as the
    //! [rules](crate::rules#request-ids) show.
    pub use crate::request_ids::{is_valid_request_id, MakeRequestUuidV4, MAX_REQUEST_ID_LEN};
    pub use tower_http::request_id::{MakeRequestId, RequestId};
}

pub mod service {
    //! The types the layer builds: the service, its response future and its response body.
    //! You name them only to spell out a service's type.
    pub use crate::body::ResponseBody;
    pub use crate::future::ResponseFuture;
    pub use crate::service_impl::CatchCloudError;
}

/// The README's example, compiled and run as a doctest.
#[cfg(all(doctest, feature = "axum"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
