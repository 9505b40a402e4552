//! Typed catalogs of every documented error code.
//!
//! Each module mirrors one table of the providers' documentation: one `pub const`
//! [`Code`](crate::Code) per row, carrying the documented wire name, status and message, and a
//! `pub const ALL: &[Code]` listing the table's codes in table order. The codes are ordinary
//! [`Code`](crate::Code) values, declared with [`Code::bce`](crate::Code::bce) and
//! [`Code::tencent`](crate::Code::tencent) exactly like a service's own codes.
//!
//! | Module | Source table |
//! |---|---|
//! | [`bce::common`] | BCE "错误码" page (updated 2025-06-06), 公共错误码 (14 codes) |
//! | [`bce::dev_machine`] | BCE "错误码" page (updated 2025-06-06), 开发机错误码 (3 codes) |
//! | [`bce::eip`] | BCE EIP "Error code" page (updated 2025-10-16), EIP service error code (8 codes) |
//! | [`bce::eip_group`] | the same page, EIPGROUP service error code (6 codes) |
//! | [`bce::bandwidth_package`] | the same page, Bandwidth package service error code (7 codes) |
//! | [`tencent::common`] | Tencent Cloud API 3.0 common error code page (undated), 公共错误码, merged with the TCR "错误码" page (updated 2024-06-18), plus `AuthFailure` (39 codes) |
//! | [`tencent::tcr`] | Tencent Container Registry "错误码" page (updated 2024-06-18), 业务错误码 (40 codes) |
//!
//! # Constant names
//!
//! A constant is named after its wire name in `SCREAMING_SNAKE_CASE`: the name is split at its
//! dots, each segment is split into words before every capital that follows a lower-case letter
//! or a digit, and before the last capital of a run of capitals that is followed by a lower-case
//! letter (so an acronym stays one word); the words are upper-cased and everything is joined with
//! `_`. For example:
//!
//! | Wire name | Constant |
//! |---|---|
//! | `EipNotFound` | `EIP_NOT_FOUND` |
//! | `InvalidHTTPAuthHeader` | `INVALID_HTTP_AUTH_HEADER` |
//! | `EIPGroupPayFailed` | `EIP_GROUP_PAY_FAILED` |
//! | `AuthFailure.SignatureExpire` | `AUTH_FAILURE_SIGNATURE_EXPIRE` |
//! | `InternalError.DbError` | `INTERNAL_ERROR_DB_ERROR` |
//! | `InvalidParameter.ErrNSMisMatch` | `INVALID_PARAMETER_ERR_NS_MIS_MATCH` |
//! | `RequestLimitExceeded.IPLimitExceeded` | `REQUEST_LIMIT_EXCEEDED_IP_LIMIT_EXCEEDED` |
//!
//! Wire names are kept exactly as documented, typos included (`ResourceNotExit`).
//!
//! # Where the sources disagree
//!
//! BCE's common codes are documented three times: in the Chinese "错误码" page (2025-06-06), in
//! the English EIP "Error code" page (2025-10-16) and in the Kafka "错误返回" page (2022-06-15).
//! Codes, statuses and order agree; the messages do not quite:
//!
//! - The 2025-06-06 table wins. Its messages are used exactly, e.g. `PreconditionFailed` with the
//!   ASCII apostrophe of "doesn't" (the other two write "doesn’t").
//! - `InvalidHTTPAuthHeader` is "The HTTP authorization header is invalid. Consult the service
//!   documentation for details." The two older tables copy `InvalidAccessKeyId`'s message by
//!   mistake.
//! - `InternalError` is "We encountered an internal error. Please try again." The Kafka table
//!   drops the first full stop; it also drops spaces between words ("forthis", "doesnot").
//! - `RequestExpired`'s message is the template "Request has expired. Timestamp date is {}.";
//!   the tables write the placeholder as `XXX` or `<Data>`.
//! - The dev-machine table documents `NotFound` with 403 Forbidden; the catalog keeps 403.
//!
//! Tencent's common codes are documented in the complete common error code page and, as a
//! shorter table, in the TCR "错误码" page. Every common code of the TCR page is also in the
//! complete page; [`tencent::common`] is the union of both, plus `AuthFailure`, which the
//! complete page lists under 业务错误码.
//!
//! - The complete page wins where the two differ (`AuthFailure.SignatureFailure`,
//!   `AuthFailure.UnauthorizedOperation`, `InvalidParameter`, `MissingParameter`,
//!   `UnknownParameter`, and the spacing of `UnsupportedProtocol`).
//! - A space between two Chinese characters or Chinese punctuation marks is a table artefact and
//!   is removed (`请在 控制台 检查` becomes `请在控制台检查`, `不存在。 请在` becomes
//!   `不存在。请在`). Spaces between Chinese and Latin text are kept as documented
//!   (`MFA 错误。`, `请求头部的 Authorization不符合腾讯云标准。`), and so is the documented
//!   punctuation (ASCII commas and parentheses).
//! - `NoSuchProduct` ("产品不存在") is the only message without a closing full stop; the catalog
//!   adds `。` like every other message.
//! - The tables document Chinese messages only. The English messages, and both messages of the
//!   TCR business codes (which the table lists without a description), are written for this crate.
//!
//! Tencent messages are free text that clients must not parse; the code is the contract.
//!
//! # Example
//!
//! ```
//! use tower_cloud_error::catalog::{bce, tencent};
//!
//! assert_eq!(bce::eip::EIP_NOT_FOUND.status(), 404);
//! assert_eq!(bce::eip::EIP_NOT_FOUND.name(), "EipNotFound");
//! assert_eq!(bce::dev_machine::NOT_FOUND.status(), 403); // as documented
//! assert_eq!(
//!     bce::common::REQUEST_EXPIRED.message(),
//!     "Request has expired. Timestamp date is {}.",
//! );
//!
//! let no_repo = tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO;
//! assert_eq!(no_repo.status(), 200); // Tencent errors travel with HTTP 200
//! assert_eq!(no_repo.message_zh(), "仓库不存在。");
//! assert_eq!(no_repo.message(), "The repository does not exist.");
//! assert_eq!(no_repo.category(), "ResourceNotFound");
//!
//! // Common codes listed by the TCR table are re-exports, and still part of `tcr::ALL`.
//! assert_eq!(tencent::tcr::INTERNAL_ERROR, tencent::common::INTERNAL_ERROR);
//! assert!(tencent::tcr::ALL.contains(&tencent::common::INTERNAL_ERROR));
//! assert_eq!(tencent::tcr::ALL.len(), 40);
//! ```

pub mod bce;
pub mod tencent;
