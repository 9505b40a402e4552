//! # Rules
//!
//! Every rule the crate enforces, the source it implements, and the test that proves it.
//! (Being completed: see the sections below.)
//!
//! ## Conditions
//!
//! | Condition | BCE code | Tencent code |
//! |---|---|---|
//! | `BadRequest` (400) | `InvalidHTTPRequest` | `InvalidParameter` |
//! | `Unauthenticated` (401) | `InvalidHTTPAuthHeader` | `AuthFailure` |
//! | `Forbidden` (403) | `AccessDenied` | `UnauthorizedOperation` |
//! | `NotFound` (404) | `InvalidURI` | `InvalidAction` |
//! | `MethodNotAllowed` (405) | `InvalidURI` | `UnsupportedProtocol` |
//! | `Timeout` (408, 504, tower `Elapsed`) | `InternalError` | `ServiceUnavailable` |
//! | `PreconditionFailed` (412) | `PreconditionFailed` | `FailedOperation` |
//! | `PayloadTooLarge` (413) | `InvalidHTTPRequest` | `RequestSizeLimitExceeded` |
//! | `UriTooLong` (414, 431) | `InvalidURI` | `RequestSizeLimitExceeded` |
//! | `UnsupportedMediaType` (415) | `InvalidHTTPRequest` | `InvalidParameter` |
//! | `MalformedJson` | `MalformedJSON` | `InvalidParameter` |
//! | `InappropriateJson` (422) | `InappropriateJSON` | `InvalidParameter` |
//! | `TooManyRequests` (429) | `InternalError` | `RequestLimitExceeded` |
//! | `Overloaded` (503, tower `Overloaded`) | `InternalError` | `ServiceUnavailable` |
//! | `Internal` (other 5xx) | `InternalError` | `InternalError` |
//!
//! ## The most specific code wins
//!
//! See [`CloudErrorLayer::recognize`](crate::CloudErrorLayer::recognize).
