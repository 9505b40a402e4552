//! # The rules
//!
//! Every rule the crate enforces, the fact of the source documents it implements, and the test
//! that proves it. "PROTOCOL" is the project's page of wire facts (verified against the
//! providers' documentation and by running the official SDKs); the tables are the providers'
//! error-code pages, copied into `tests/data/spec/`. Test names are `file::function` under
//! `tests/`, or `module::tests::function` for unit tests in `src/`.
//!
//! ## Envelopes
//!
//! | Rule | Source | Proved by |
//! |---|---|---|
//! | A BCE error has the code's documented status, `content-type: application/json; charset=utf-8`, the `x-bce-request-id` header and the body `{"requestId","code","message"}`, all three keys | PROTOCOL, BCE: "Envelope, for every error"; "All three body keys must be present, spelled exactly so" | `envelopes::bce_envelope_has_status_content_type_header_and_three_keys`, `style::bce::tests::renders_the_exact_documented_bytes`, `interop_bce` (the official `EipClient` reads every case) |
//! | A Tencent error is HTTP **200** with `content-type: application/json` exactly and `{"Response":{"Error":{"Code","Message"},"RequestId"}}` | PROTOCOL, Tencent: "The status is **200** for errors too"; "`Content-Type` must be exactly `application/json`" | `envelopes::tencent_envelope_is_http_200_with_exact_content_type`, `style::tencent::tests::renders_the_exact_documented_bytes_in_both_languages`, `interop_tencent` (the official `TcrClient`) |
//! | The same request id in the body, the response header (on **every** response), the request extensions and the log lines | PROTOCOL, both styles: "One request, one id"; BCE: "on every response, success or error" | `request_ids::success_responses_carry_the_id_the_handler_saw`, `request_ids::error_body_and_header_carry_the_same_id`, `axum_handlers::the_extractor_sees_the_id_of_the_response_header`, `panics::panic_in_call_answers_internal_error` (log line) |
//! | An error answer to `HEAD` has no body; status, headers and the would-be `content-length` stay | PROTOCOL, BCE: "An error answer to `HEAD` has no body" | `envelopes::head_errors_have_no_body_but_keep_status_and_headers` |
//! | Messages of any content render as valid JSON, bounded to [`CloudError::MAX_MESSAGE_LEN`](crate::CloudError::MAX_MESSAGE_LEN) bytes | issue: "messages that echo user input are bounded in length and never break the JSON" | `envelopes::messages_of_any_content_render_as_valid_bounded_json`, `json::tests::every_string_round_trips`, `error::tests::long_messages_are_bounded_at_a_char_boundary` |
//! | Tencent messages follow `X-TC-Language` (`zh-CN`, `en-US`), else the configured default (`zh-CN`, what the SDKs send) | PROTOCOL, Tencent: "`X-TC-Language` (`zh-CN` or `en-US`; the SDKs send `zh-CN` by default)" | `envelopes::tencent_language_follows_x_tc_language_then_the_default`, `interop_tencent` (both languages) |
//! | A third convention is a new [`Style`](crate::Style); the layer's rules hold for it | issue: "a third style can be added without touching the layer" | `custom_style::a_custom_style_renders_with_the_layer_rules` |
//!
//! ## Codes and messages
//!
//! | Rule | Source | Proved by |
//! |---|---|---|
//! | Every row of the source tables is in the catalogs with its documented status and message | the tables | `catalog::row_counts`, `catalog::bce_newest_tables_match_exactly`, `catalog::tencent_common_is_the_union_of_both_pages`, `catalog::tencent_tcr_business_codes` |
//! | Where the documents disagree, PROTOCOL's choice (InvalidHTTPAuthHeader's and InternalError's messages) | PROTOCOL, BCE: "The source documents disagree on two messages" | `catalog::bce_eip_page_matches`, `catalog::bce_kafka_page_matches` |
//! | A malformed wire name (BCE: CamelCase segments joined by dots; Tencent: 1–3 segments of `[A-Za-z0-9_]` starting with a capital) does not compile | PROTOCOL, Tencent: "Codes are CamelCase segments joined by dots" | `compile_fail::malformed_codes_do_not_compile`, `code::tests::bce_names`, `code::tests::tencent_names` |
//! | A documented code keeps its documented status: a [`Code`](crate::Code) has no status setter, a BCE code must be 4xx/5xx, a Tencent code is always 200 | issue; PROTOCOL, BCE: "The dev-machine table documents `NotFound` as 403 Forbidden. Keep the documented status" | `compile_fail` (`bce_success_status`), `conformance::eip_not_found_with_a_wrong_status`, `conformance::the_dev_machine_not_found_is_403_unless_you_declare_your_own` |
//! | `InternalError` (and `InternalError.*`) always carries its canonical message; custom messages on it are dropped | PROTOCOL, BCE: InternalError "We encountered an internal error. Please try again."; both: "Never put internal details … in a response" | `envelopes::internal_errors_always_render_the_canonical_message`, `custom_style::a_custom_style_renders_with_the_layer_rules` |
//! | A code of the other dialect is a programming error: logged, answered as InternalError | issue: "the user picks the BCE or the Tencent envelope style" | `envelopes::a_code_of_the_other_dialect_is_answered_as_internal_error` |
//! | `RequestExpired` says `Request has expired. Timestamp date is <x-bce-date>.`, quoting the request's `x-bce-date`, or its `Date` converted to that format | PROTOCOL, BCE: "RequestExpired's message is …"; table: "XXX要改成x-bce-date的值" | `protocol_checks::request_expired_from_a_handler_quotes_the_request_date`, `date::tests::an_http_date_is_quoted_in_the_bce_format` |
//!
//! ## Which code a client sees
//!
//! **A code chosen explicitly is final; only an internal error is refined, taking the code of
//! the first error in its source chain that is a [`CloudError`](crate::CloudError) with a code
//! or that a recognizer maps.**
//!
//! - *Internal* means [`CloudError::internal`](crate::CloudError::internal) — what an unknown
//!   error (`BoxError`, `anyhow::Error`, `#[cloud(internal)]`) and a panic become — or a plain
//!   `InternalError` code. Every other code, `InternalError.DbError` included, and every other
//!   [`Condition`](crate::Condition) was chosen, and stays: a source added with `with_source` is
//!   for the logs and never changes it.
//! - *Recognizers*: yours, registered with
//!   [`CloudErrorLayer::recognize`](crate::CloudErrorLayer::recognize), asked first; then the
//!   crate's: `serde_json::Error` (syntax → `MalformedJson`, data → `InappropriateJson`),
//!   `http_body_util::LengthLimitError` (→ `PayloadTooLarge`), `std::io::Error` of kind
//!   `TimedOut` (→ `Timeout`), and with the `tower` feature tower's `Elapsed` (→ `Timeout`) and
//!   `Overloaded` (→ `Overloaded`).
//! - The chain is searched outermost first; an internal `CloudError` in it passes the search on
//!   to its own sources. Nothing found: InternalError.
//! - The refined error keeps the whole original chain as its source, so the log line shows
//!   every context.
//!
//! InternalError "must not be used where a specific common or service code applies"
//! (PROTOCOL, BCE; the table's 说明 for InternalError): refining internal errors is how the
//! crate keeps to it without second-guessing a code the service chose.
//!
//! Proved by `classify::tests::an_internal_error_takes_the_code_three_levels_deep`,
//! `classify::tests::an_explicit_code_is_final_whatever_its_sources_say`,
//! `classify::tests::the_first_link_wins_and_internal_links_pass_the_search_on`,
//! `classify::tests::user_recognizers_see_every_link_and_come_before_the_crates`,
//! `most_specific::an_error_three_levels_deep_answers_its_own_code`,
//! `most_specific::an_explicit_code_is_never_replaced_by_its_source`,
//! `most_specific::registered_user_errors_are_recognized_anywhere_in_the_chain`,
//! `most_specific::tower_timeouts_are_recognized`, `most_specific::tower_load_shedding_is_recognized`.
//!
//! ## Conditions
//!
//! What the crate recognises without a code of its own is a [`Condition`](crate::Condition);
//! each style maps it to its documented code. Where a style documents no code for a condition,
//! the choice is marked *choice*.
//!
//! | Condition | BCE code | Tencent code |
//! |---|---|---|
//! | `BadRequest` (other 4xx) | `InvalidHTTPRequest` | `InvalidParameter` |
//! | `Unauthenticated` (401, 407) | `InvalidHTTPAuthHeader` | `AuthFailure` |
//! | `Forbidden` (403) | `AccessDenied` | `UnauthorizedOperation` |
//! | `NotFound` (404, 410) | `InvalidURI` | `InvalidAction` |
//! | `MethodNotAllowed` (405) | `InvalidURI` (*choice*: BCE documents no method code) | `UnsupportedProtocol` |
//! | `Timeout` (408, 504, tower `Elapsed`, io `TimedOut`) | `InternalError` (*choice*: no timeout code; 500 is retried by the SDKs) | `ServiceUnavailable` (*choice*) |
//! | `PreconditionFailed` (412) | `PreconditionFailed` | `FailedOperation` (*choice*) |
//! | `PayloadTooLarge` (413, body length limits) | `InvalidHTTPRequest` (*choice*: no size code) | `RequestSizeLimitExceeded` |
//! | `UriTooLong` (414, 431) | `InvalidURI` | `RequestSizeLimitExceeded` |
//! | `UnsupportedMediaType` (415) | `InvalidHTTPRequest` | `InvalidParameter` |
//! | `MalformedJson` (serde_json syntax) | `MalformedJSON` | `InvalidParameter` |
//! | `InappropriateJson` (422, serde_json data) | `InappropriateJSON` | `InvalidParameter` |
//! | `TooManyRequests` (429) | `InternalError` (*choice*: no rate code; retried with back-off) | `RequestLimitExceeded` |
//! | `Overloaded` (503, tower `Overloaded`) | `InternalError` (*choice*) | `ServiceUnavailable` |
//! | `Internal` (other 5xx) | `InternalError` | `InternalError` |
//!
//! Proved by `style::bce` and `style::tencent` through `bare_responses::bce_statuses_map_to_documented_codes`,
//! `bare_responses::tencent_rewrites_are_http_200`, `condition::tests::statuses_map_to_conditions`.
//!
//! ## No non-compliant error leaves the service
//!
//! | Rule | Source | Proved by |
//! |---|---|---|
//! | The inner service's `Err` becomes the style's envelope through [`IntoCloudError`](crate::IntoCloudError) | issue | `envelopes::box_errors_are_searched_for_a_cloud_error_then_internal`, `conformance_properties::cloud_errors_conform`, `conformance_properties::boxed_error_chains_conform` |
//! | Any 4xx/5xx response of the inner service that is not an envelope of this crate is replaced by the style's envelope (the table above), keeping `Allow`, `Retry-After`, `WWW-Authenticate`; rendered envelopes of an inner layer pass through | PROTOCOL: a non-JSON BCE error body crashes the SDK; a Tencent non-200 is `ServerNetworkError` | `bare_responses::*`, `conformance_properties::bare_error_responses_are_rewritten`, `conformance_properties::bare_error_responses_with_the_request_id_are_rewritten` |
//! | A panic in `poll_ready`, `call`, the response future, an `IntoCloudError` impl or a style's request check answers InternalError; a panic in the body stream ends the body with an error | issue; PROTOCOL: "Never put … panic payloads … in a response" | `panics::*`, `conformance_properties::panics_conform` |
//! | Panic payloads, error chains and sources are logged with the request id, never rendered | PROTOCOL, both styles: "Log them server-side with the request id" | `panics::panic_in_call_answers_internal_error`, `axum_handlers::internal_handler_errors_leak_nothing`, `interop_bce` and `interop_tencent` (fault cases) |
//! | Every response passes the conformance checker (feature `conformance`) for arbitrary inner outcomes | issue | `conformance_properties` (7 properties, both styles) |
//! | A body refused by an outer limit does not quote the extractor's limit; axum's path and query rejections are URI errors (BCE `InvalidURI`, Tencent `InvalidParameter`); a rewritten 405 names the method in both languages; the replaced response's text is logged, escaped | issue 8: "no message contradicts the request" | `truthful_messages::an_outer_limit_is_not_reported_as_the_extractors`, `truthful_messages::a_path_that_does_not_parse_is_a_uri_error_not_a_body_error`, `truthful_messages::a_wrong_method_is_named_in_both_languages`, `bare::tests::logged_text_is_escaped` |
//! | A handler's deferred error keeps `Retry-After`, `Allow`, `WWW-Authenticate` | issue 8 (recipes) | `bare_responses::a_handlers_error_response_keeps_retry_after` |
//! | One error serves every style: each renders the code of its own dialect ([`CloudError::or_code`](crate::CloudError::or_code), `#[cloud(bce = …, tencent = …)]`); a third style has a dialect of its own | issue 8 | `custom_style::one_error_serves_the_third_style_beside_bce`, `derive::one_enum_renders_its_own_code_under_each_style`, `conformance_convention` |
//!
//! ## JSON bodies
//!
//! | Rule | Source | Proved by |
//! |---|---|---|
//! | BCE: unparseable JSON → `MalformedJSON`, whatever comes first in the body | table: MalformedJSON "JSON格式不合法"; PROTOCOL, BCE: "Unparseable JSON → MalformedJSON" | `extract::bce_malformed_json`, `extract::bce_syntax_wins_whatever_comes_first`, `interop_bce` (`create_malformed_json`) |
//! | BCE: well-formed but missing a required item or of the wrong type → `InappropriateJSON`, naming the item | table: InappropriateJSON "如缺少某个必需项,或者值类型不匹配等" | `extract::bce_inappropriate_json_names_the_item`, `interop_bce` (`create_missing_field`, `create_wrong_type`) |
//! | BCE: unknown items are ignored, at any depth, never an error | table: "出于兼容性考虑,对于所有无法识别的项应直接忽略,不应该返回这个错误" | `extract::bce_accepts_valid_bodies_and_ignores_unknown_items_at_any_depth`, `interop_bce` (`create_unknown_fields_ignored`) |
//! | BCE: a body that is not UTF-8 → `InvalidHTTPRequest` | table: InvalidHTTPRequest "HTTP body格式错误。例如不符合指定的Encoding等" | `extract::bce_encoding_is_invalid_http_request` |
//! | Tencent: an unparseable body → `InvalidParameter`; a required parameter absent (or null) → `MissingParameter`; a parameter the API does not define → `UnknownParameter` (nested too); wrong type or format → `InvalidParameter`; value out of range → `InvalidParameterValue` (through `Validate`); each message names the parameter, in both languages | PROTOCOL, Tencent: "Parameter errors are distinct codes … unlike BCE, unknown fields ARE an error" | `extract::tencent_unparseable_bodies_are_invalid_parameter`, `extract::tencent_unknown_parameters_at_any_depth`, `extract::tencent_missing_parameters`, `extract::tencent_invalid_parameters`, `extract::tencent_invalid_parameter_values`, `interop_tencent` |
//! | Body limits are enforced while reading, never by buffering past them: Tencent 10 MiB → `RequestSizeLimitExceeded`; BCE 2 MiB → `InvalidHTTPRequest` (*choice*: BCE documents no size code) | PROTOCOL, Tencent: "body over the limit (10 MB for POST JSON …) → RequestSizeLimitExceeded" | `extract::an_endless_body_is_refused_after_the_limit`, `extract::a_body_announced_too_large_is_not_read_at_all`, `extract::bce_extractor_stops_reading_an_endless_body` |
//! | Deeply nested JSON (100 000 `[`) gets its documented code without a stack overflow | issue | `extract::deep_nesting_never_overflows_the_stack` |
//! | Arbitrary bytes never panic and always get one of the documented codes | issue | `extract::arbitrary_bytes_never_panic_and_get_a_documented_code`, `extract::generated_bodies_reach_every_code` |
//!
//! ## Request ids
//!
//! | Rule | Source | Proved by |
//! |---|---|---|
//! | The server generates a UUID v4 per request | PROTOCOL, BCE: "The server generates it (UUID v4)" | `request_id::tests::uuids_are_well_formed_and_distinct`, `request_ids::every_request_gets_a_fresh_id` |
//! | Client ids are ignored unless the user opts in, then reused only if valid (1–128 bytes of `A-Za-z0-9-_.:`, one header value) | issue | `request_ids::client_ids_are_ignored_by_default`, `request_ids::trusted_client_ids_are_reused_only_when_valid` |
//! | An outer tower-http `RequestId` is reused if valid, replaced everywhere if not; a custom generator's invalid id falls back to UUID v4 | issue | `request_ids::an_outer_tower_http_request_id_is_reused`, `request_ids::an_invalid_outer_id_is_replaced_everywhere`, `request_ids::a_pluggable_generator_is_used_and_none_falls_back_to_uuid` |
//! | With an outer tower-http 0.7 `SetRequestIdLayer` + `PropagateRequestIdLayer`: one id in the body, the style's header, `x-request-id` and the handler's `Extension<RequestId>` | issue 8 | `tower_http_request_id::one_id_in_the_body_both_headers_and_the_handlers_extension` |
//! | `trust_incoming_request_id` governs the headers this layer reads; an outer layer that keeps a client's `x-request-id` decides for clients (*choice*, documented in [`request_id`](crate::request_id)); stripping the header in front keeps client ids out | issue 8 | `tower_http_request_id::an_outer_layer_that_keeps_a_client_id_decides_for_clients`, `tower_http_request_id::stripping_x_request_id_in_front_keeps_client_ids_out` |
//! | A `request{request_id=…}` span is entered while the inner service and its future run: handlers' own log lines carry the id | issue 8 | `logging::the_handlers_own_log_lines_carry_the_request_id` |
//! | With [`panic_hook::install`](crate::panic_hook::install), a caught panic is one log line (id, location, message, no backtrace unless asked); panics elsewhere reach the previous hook | issue 8 | `logging::a_caught_panic_is_one_line_with_id_location_and_message`, `logging::panics_outside_the_layer_still_reach_the_previous_hook` |
//!
//! ## Protocol checks (opt-in)
//!
//! | Rule | Source | Proved by |
//! |---|---|---|
//! | BCE: a `/v{N}/` version not served → `InvalidVersion` (404) | PROTOCOL, BCE: "a version the service does not serve → InvalidVersion (404)" | `protocol_checks::bce_checks_answer_before_the_inner_service`, `style::bce_checks::tests::versions_are_checked_on_versioned_paths_only` |
//! | BCE: `x-bce-date` (else `Date`) more than 30 minutes off → `RequestExpired` | PROTOCOL, BCE: "Clock skew above 30 minutes is answered with RequestExpired" | `style::bce_checks::tests::stale_dates_are_request_expired_quoting_the_bce_date` |
//! | Tencent: method other than GET/POST → `UnsupportedProtocol`; `X-TC-Timestamp` more than 5 minutes off → `AuthFailure.SignatureExpire`; missing `X-TC-Action` → `MissingParameter`; version not served → `NoSuchVersion` | PROTOCOL, Tencent: "Timestamp off by more than 5 minutes → …" | `protocol_checks::tencent_checks_answer_before_the_inner_service`, `style::tencent_checks::tests::each_check_answers_its_documented_code` |
//!
//! ## Catalogs
//!
//! Typed catalogs of every documented error code.
//!
//! Each module mirrors one table of the providers' documentation: one `pub const`
//! [`Code`](crate::Code) per row, carrying the documented wire name, status and message, and a
//! `pub const ALL: &[Code]` listing the table's codes in table order. The codes are ordinary
//! [`Code`](crate::Code) values, declared with [`bce::code`](crate::bce::code) and
//! [`tencent::code`](crate::tencent::code) exactly like a service's own codes.
//!
//! | Module | Source table |
//! |---|---|
//! | [`bce::common`](crate::bce::common) | BCE "错误码" page (updated 2025-06-06), 公共错误码 (14 codes) |
//! | [`bce::dev_machine`](crate::bce::dev_machine) | BCE "错误码" page (updated 2025-06-06), 开发机错误码 (3 codes) |
//! | [`bce::eip`](crate::bce::eip) | BCE EIP "Error code" page (updated 2025-10-16), EIP service error code (8 codes) |
//! | [`bce::eip_group`](crate::bce::eip_group) | the same page, EIPGROUP service error code (6 codes) |
//! | [`bce::bandwidth_package`](crate::bce::bandwidth_package) | the same page, Bandwidth package service error code (7 codes) |
//! | [`tencent::common`](crate::tencent::common) | Tencent Cloud API 3.0 common error code page (undated), 公共错误码, merged with the TCR "错误码" page (updated 2024-06-18), plus `AuthFailure` (39 codes) |
//! | [`tencent::tcr`](crate::tencent::tcr) | Tencent Container Registry "错误码" page (updated 2024-06-18), 业务错误码 (40 codes) |
//!
//! ## Constant names
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
//! ## Where the sources disagree
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
//! complete page; [`tencent::common`](crate::tencent::common) is the union of both, plus `AuthFailure`, which the
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
//! ## Example
//!
//! ```
//! use tower_cloud_error::{bce, tencent};
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
//!
//!
//! ## JSON request bodies
//!
//! | | BCE | Tencent Cloud API 3.0 |
//! |---|---|---|
//! | axum extractor (feature `axum`) | `bce::Json` | `tencent::Json` |
//! | a body (hyper, any `http_body::Body`) | [`bce::from_body`](crate::bce::from_body) | [`tencent::from_body`](crate::tencent::from_body) |
//! | a body, read now and parsed later | [`bce::read_body`](crate::bce::read_body) | [`tencent::read_body`](crate::tencent::read_body) |
//! | bytes | [`bce::from_slice`](crate::bce::from_slice) | [`tencent::from_slice`](crate::tencent::from_slice) |
//! | parsed JSON | [`bce::from_value`](crate::bce::from_value) | [`tencent::from_value`](crate::tencent::from_value) |
//! | the `Content-Type` check | [`bce::check_content_type`](crate::bce::check_content_type) | [`tencent::check_content_type`](crate::tencent::check_content_type) |
//! | default limit | [`bce::DEFAULT_LIMIT`](crate::bce::DEFAULT_LIMIT) (2 MiB) | [`tencent::DEFAULT_LIMIT`](crate::tencent::DEFAULT_LIMIT) (10 MiB) |
//!
//! A request type derives `Deserialize` and implements [`Validate`](crate::Validate) (the checks on values; an
//! empty `impl` when there are none). The extraction returns `Result<T, CloudError>`: in an
//! axum handler the rejection is rendered by [`CloudErrorLayer`](crate::CloudErrorLayer) with
//! the request id and language; elsewhere, return the [`CloudError`](crate::CloudError) through
//! your service's error type.
//!
//! ```
//! use serde::Deserialize;
//! use tower_cloud_error::{bce, tencent, Validate};
//!
//! #[derive(Debug, Deserialize)]
//! struct Request {
//!     #[serde(rename = "Name", alias = "name")]
//!     name: String,
//! }
//! impl Validate for Request {}
//!
//! let body = br#"{"Name": "web", "Extra": 1}"#;
//! // BCE ignores unknown items; Tencent refuses unknown parameters.
//! assert_eq!(bce::from_slice::<Request>(body).unwrap().name, "web");
//! let err = tencent::from_slice::<Request>(body).unwrap_err();
//! assert_eq!(err.code(), Some(&tencent::common::UNKNOWN_PARAMETER));
//!
//! // A syntax error is found wherever it is, even after a misfit.
//! let body = br#"{"Name": 42, "Extra": }"#;
//! let err = bce::from_slice::<Request>(body).unwrap_err();
//! assert_eq!(err.code(), Some(&bce::common::MALFORMED_JSON));
//! ```
//!
//! ### Order of the checks
//!
//! Each failure has one code; when a request has several, the first check that fails answers:
//!
//! 1. **`Content-Type`** (extractors and `check_content_type`): `application/json`, parameters
//!    allowed, a `charset` only if UTF-8. Its error comes first, but the extractors read the
//!    body (within the limit) even so: hyper closes a keep-alive connection whose request body
//!    was left unread, and the client would find it closed on its next request.
//! 2. **Size**: a body announced larger than the limit (`Content-Length`, or an exact size
//!    hint) is refused before it is read; otherwise reading stops at the first frame past the
//!    limit, so at most the limit is ever buffered. A `LengthLimitError` from a limit further
//!    out (tower-http's `RequestBodyLimitLayer`) counts the same. axum's `DefaultBodyLimit`
//!    does not apply: the extractors have their own limit.
//! 3. **Encoding**: the body must be UTF-8 (RFC 8259 §8.1).
//! 4. **Syntax**: the body must be one well-formed JSON value (an empty body is not). A syntax
//!    error anywhere wins over a misfit anywhere, whatever their order: a valid body is read
//!    once, straight into the type, and only when that fails is it scanned again
//!    ([`serde::de::IgnoredAny`]: no allocation, no recursion, so any nesting depth is safe) to
//!    tell a syntax error from a misfit.
//! 5. **Fit**: the body against the type. A struct is only ever read from a JSON object (serde
//!    would also read it from an array, by position); for Tencent every item the type ignores
//!    is reported (serde_ignored). The first misfit in the body's order is reported; to name
//!    it, the body is typed once more with serde_path_to_error, which allocates a string per
//!    key and is therefore kept off the success path.
//! 6. **[`Validate`](crate::Validate)**: the type's own checks on values.
//!
//! | Failure | BCE | Tencent |
//! |---|---|---|
//! | 1. not `application/json` | `InvalidHTTPRequest` | `InvalidParameter` |
//! | 2. over the limit | `InvalidHTTPRequest` | `RequestSizeLimitExceeded` |
//! | 2. the body fails | `InvalidHTTPRequest` | `InvalidParameter` |
//! | 3. not UTF-8 | `InvalidHTTPRequest` | `InvalidParameter` |
//! | 4. not well-formed | `MalformedJSON` | `InvalidParameter` |
//! | 5. unknown item | ignored | `UnknownParameter` |
//! | 5. missing (or, Tencent, `null`) required item | `InappropriateJSON` | `MissingParameter` |
//! | 5. wrong type or shape | `InappropriateJSON` | `InvalidParameter` |
//! | 5. value the type rejects | `InappropriateJSON` | `InvalidParameterValue` |
//! | 6. [`Validate`](crate::Validate) | its error | its error |
//!
//! The [`bce`](crate::bce) and [`tencent`](crate::tencent) modules quote the spec line behind each row, the messages, and
//! the decisions taken where the providers document nothing (BCE's size and content-type
//! codes, nesting depth).
//!
//! ### Cost
//!
//! A valid BCE body costs about what `serde_json::from_slice` costs (UTF-8 is checked once
//! for the whole body, then strings are not checked again). A valid Tencent body costs about
//! one and a half times that: serde_ignored keeps the name of every key it passes, to report
//! the path of an unknown one. A refused body costs up to three reads (typed, scanned, typed
//! with its path), each bounded by the limit.
//!
//! ### Messages
//!
//! Messages name the item (`billing.paymentTiming`, `Filters.0.Values`); Tencent's in Chinese
//! and English. Names and any other request text they quote are bounded and stripped of
//! control, bidirectional and zero-width characters; the parser's own error goes to the log
//! as the error's source, never to the client.
//!
//! ## Signatures (the front door)
//!
//! `bce::SignatureLayer` (`bce-auth-v1`) and `tencent::SignatureLayer` (`TC3-HMAC-SHA256`),
//! opt-in, inside the `CloudErrorLayer`. SDK sources: bce-python-sdk 0.9.79
//! `baidubce/auth/bce_v1_signer.py` and `baidubce/utils.py`; `@baiducloud/sdk` 1.0.7
//! `src/auth.js`; tencentcloud-sdk-python-common 3.1.195 `tencentcloud/common/abstract_client.py`
//! and `sign.py`.
//!
//! | Rule | Source | Proved by |
//! |---|---|---|
//! | BCE: no `Authorization` header (and no `authorization` query parameter) → `AccessDenied` (403) (*choice*: the tables give no rule) | PROTOCOL, front door: "no header → `AccessDenied` 403 \[choice\]" | `auth::sdk_vectors::bce_failures_answer_their_documented_codes`, `interop_auth_bce` (`unsigned`) |
//! | BCE: `Authorization` not `bce-auth-v1/{ak}/{timestamp}/{expiration}/{signedHeaders}/{64 hex}` → `InvalidHTTPAuthHeader` (400) | PROTOCOL, BCE: "Malformed → InvalidHTTPAuthHeader (400)" | `auth::sdk_vectors::bce_failures_answer_their_documented_codes` |
//! | BCE: an access key the store does not know → `InvalidAccessKeyId` (403) | PROTOCOL, BCE: "unknown access key → InvalidAccessKeyId (403)" | `auth::sdk_vectors::bce_failures_answer_their_documented_codes`, `interop_auth_bce` (`unknown_key`) |
//! | BCE: any other signature than the SDKs' (wrong secret; query, path, signed header, Content-Length changed after signing) → `SignatureDoesNotMatch` (400); the body itself is not signed by the scheme | PROTOCOL, front door: "no payload hash (the body is covered only through `Content-Length`)" | `auth::sdk_vectors::bce_python_sdk_vectors_verify`, `auth_properties::bce_signed_requests_verify_and_any_change_is_a_mismatch`, `interop_auth_bce` (`wrong_secret`, `tampered_*`) |
//! | BCE: timestamp + expiration in the past, or the timestamp more than 30 minutes (configurable) from the server clock → `RequestExpired` (400) quoting `x-bce-date` (else `Date`, else the signed timestamp) | PROTOCOL, BCE: "Clock skew above 30 minutes is answered with RequestExpired"; "RequestExpired's message is …" | `auth::sdk_vectors::request_expired_quotes_the_request_date`, `interop_auth_bce` (`clock_behind`, `clock_ahead`) |
//! | BCE: presigned URLs (`?authorization=…`, bos_client.py `generate_pre_signed_url`) verify until timestamp + expiration, the window bounding only timestamps ahead; an `x-bce-security-token` (header, or query of a presigned URL) that the store does not hold for the key, or none for a temporary key → `AccessDenied` (403) (*choice*: no code is documented) | bos_client.py `generate_pre_signed_url` | `auth::sdk_vectors::bce_presigned_urls_verify_until_they_expire`, `auth::sdk_vectors::bce_session_tokens_must_match_the_store` |
//! | BCE canonical request as the SDKs: path segments and query decoded then encoded (`A-Za-z0-9.~-_` bare, uppercase hex), `k=` for empty values, pairs sorted, `authorization` left out; signed headers = the list (or `host`, `content-md5`, `content-length`, `content-type`) plus every `x-bce-*`, trimmed, empty ones dropped, sorted | PROTOCOL, front door, BCE; bce_v1_signer.py `_get_canonical_headers`, utils.py `get_canonical_querystring`; auth.js `headersCanonicalization` | `auth::sdk_vectors::bce_python_sdk_vectors_verify` (Node-style lowercase escapes, `?bind`), `auth::encode::tests::*` |
//! | Tencent: `Authorization` absent or not `TC3-HMAC-SHA256 Credential={id}/{date}/{service}/tc3_request, SignedHeaders={… content-type;host …}, Signature={64 hex}` → `AuthFailure.InvalidAuthorization` | PROTOCOL, front door: "missing/malformed → `AuthFailure.InvalidAuthorization`" | `auth::sdk_vectors::tencent_failures_answer_their_documented_codes` |
//! | Tencent: unknown SecretId → `AuthFailure.SecretIdNotFound` | PROTOCOL, front door | `auth::sdk_vectors::tencent_failures_answer_their_documented_codes`, `interop_auth_tencent` (`unknown_key`) |
//! | Tencent: a mismatching signature (wrong secret; query, path, body changed after signing), a scope date that is not the UTC date of `X-TC-Timestamp`, or another service than a pinned one → `AuthFailure.SignatureFailure` | PROTOCOL, front door: "the scope date is the UTC date of the timestamp" | `auth::sdk_vectors::tencent_failures_answer_their_documented_codes`, `auth_properties::tc3_signed_requests_verify_and_any_change_is_a_mismatch`, `interop_auth_tencent` (`wrong_secret`, `tampered_*`) |
//! | Tencent: `X-TC-Timestamp` more than 5 minutes (configurable) off → `AuthFailure.SignatureExpire` | PROTOCOL, Tencent: "Timestamp off by more than 5 minutes → `AuthFailure.SignatureExpire`" | `auth::sdk_vectors::tencent_failures_answer_their_documented_codes`, `interop_auth_tencent` (`clock_behind`, `clock_ahead`) |
//! | Tencent: an `X-TC-Token` the store does not hold for the key (or one sent for a permanent key) → `AuthFailure.TokenFailure` | PROTOCOL, front door: "bad `X-TC-Token` → `AuthFailure.TokenFailure`" | `auth::sdk_vectors::tencent_failures_answer_their_documented_codes`, `interop_auth_tencent` (`token_for_a_permanent_key`) |
//! | Tencent canonical request as the SDKs: path and query as sent (GET: the SDK's unsorted urlencoded query, `+` for spaces), the listed headers lowercased and trimmed (the Python SDK's verbatim values and the Node SDK's port-less host accepted too), `hex(sha256(body))`, or of the literal `UNSIGNED-PAYLOAD` | PROTOCOL, front door, Tencent; abstract_client.py `_get_tc3_signature` | `auth::sdk_vectors::tencent_python_sdk_vectors_verify`, `interop_auth_tencent` (`get_describe_namespaces`, `unsigned_payload`) |
//! | Both: HTTP/2 requests sign the URI authority as `host`; repeated headers are joined with `,`; signatures compared in constant time; a replay inside the window is served (no nonce rule is documented); the principal reaches the handler in the request extensions; secrets and signatures are never logged | issue 10 | `auth::sdk_vectors::http2_requests_sign_their_authority_as_host`, `auth::headers::tests::repeated_headers_join_with_commas`, `interop_auth_bce` (`replay_list`, logs), `interop_auth_tencent` (`replay`, logs) |
//! | The parsers and canonicalizers never panic, and reject only with documented codes | issue 10 | fuzz target `signature_verification` |
//!
//! ## Client tokens (feature `idempotency`)
//!
//! | Rule | Source | Proved by |
//! |---|---|---|
//! | The same token with the same request answers the first success again, without running the handler, with the new request's id (header and body) | PROTOCOL, front door: "same token + identical request → the first result again" | `client_token::a_retry_replays_the_first_response_with_its_own_request_id`, `interop_bce_replicas` |
//! | The same token with a different request (query, fingerprinted headers, body) answers `IdempotentParameterMismatch` (403, the documented message) | PROTOCOL, BCE: "same token with a different request (path, query, body) → IdempotentParameterMismatch (403)" | `client_token::the_same_token_with_another_request_is_a_mismatch`, `interop_bce_replicas` |
//! | A token is 1 to 64 ASCII characters; another answers `InvalidURI` (BCE documents no code for it) | PROTOCOL: "`clientToken` (query string, ASCII, at most 64 chars)" | `client_token::bad_tokens_answer_invalid_uri_without_running_the_handler`, `idempotency::token::tests::query_tokens_are_decoded_and_validated` |
//! | Finished responses are replayed for 24 hours by default | PROTOCOL: "honoured for at least 24 hours" | `idempotency::memory::tests::reservations_expire_after_their_ttl_and_responses_after_theirs`, `client_token_redis::redis_expires_reservations_and_responses_after_their_ttls` |
//! | Concurrent duplicates run the handler once; the others wait (at most the wait bound) and get its answer | issue 11: "a concurrent duplicate … waits for the first to finish (bounded)" | `client_token::concurrent_duplicates_run_once_and_all_get_the_first_answer`, `client_token::a_duplicate_waits_at_most_the_wait_bound`, `client_token_redis::two_services_on_one_redis_answer_a_retry_alike_and_create_once` |
//! | A failed request (error, non-2xx, panic) releases its token: the retry runs | issue 11: "a failed request releases the reservation"; PROTOCOL: the SDKs retry 500s | `client_token::a_failed_request_releases_its_token_so_the_retry_runs`, `client_token::a_panicking_request_releases_its_token`, `interop_bce_replicas` |
//! | Tokens are scoped by caller and route | issue 11 | `client_token::tokens_are_scoped_by_caller_and_route`, `idempotency::fingerprint::tests::keys_separate_callers_routes_and_tokens` |
//! | An unreachable store answers InternalError without running the handler, and logs why | issue 11: "never a duplicate create" | `client_token_redis::a_redis_outage_answers_internal_error_without_running_the_handler`, `interop_bce_replicas` |
//! | The in-memory store stays within its byte and entry bounds under any input | issue 11 | `client_token_flood::a_flood_of_unique_tokens_with_large_bodies_stays_within_the_byte_bound`, `idempotency::memory::tests::bytes_are_bounded_and_a_completion_counts_as_the_newest_write` |
//!
//! ## Connections, readiness and nesting
//!
//! | Rule | Source | Proved by |
//! |---|---|---|
//! | An envelope of an inner layer passes an outer layer by a private response-extension mark (and the same id); a layer that marks the id header sensitive or rebuilds it changes nothing, and a handler's own 4xx carrying the id (even marked sensitive) is still rewritten | issue 9: "inner envelopes recognised by a response-extension marker" | `inner_envelopes::a_layer_marking_the_id_header_sensitive_keeps_nested_envelopes`, `inner_envelopes::a_layer_rebuilding_the_id_header_keeps_nested_envelopes`, `inner_envelopes::a_handlers_own_4xx_with_a_sensitive_id_header_is_still_rewritten` |
//! | No envelope answers `CONNECT` with a 2xx: Tencent's HTTP 200 errors answer it with 405 (*choice*: a 2xx to `CONNECT` opens a tunnel, RFC 9110 §9.3.6, so hyper drops the body and reads no further request); BCE's statuses are never 2xx | issue 9: "no 2xx for `CONNECT`" | `connect_method::tencent_answers_connect_with_405_and_the_next_request_is_served`, `connect_method::bce_answers_connect_with_its_documented_status_and_the_next_request_is_served`, `connect_method::no_error_answers_connect_with_a_2xx` |
//! | After the inner `poll_ready` fails (`Err` or panic), the inner service is never polled or called again; every later request answers that failure (*choice*: kept failure rather than a clone of the inner service per request, which would cost every request) | tower `Service::poll_ready`: "the service should be discarded"; issue 9 | `poll_ready::a_service_whose_poll_ready_errs_once_is_never_polled_again`, `poll_ready::a_service_whose_poll_ready_panics_once_is_never_polled_again`, `panics::poll_ready_panics_and_errors_answer_every_later_request_without_polling_again` |
//! | `Connection: close` exactly when an announced HTTP/1 request body is left unread and not drained (announced over the drain bound, refused `Expect: 100-continue`, drain bound reached, failed body read, draining off or no tokio timer), never after the body was read or drained to its end; without it, the next request on the connection is answered (axum bodies are tracked; other body types: the layer's guess) | issue 9: "connection handling is exact"; hyper closes a connection whose request body was left unread | `connections::*` (real sockets), `bare_responses::answers_that_leave_a_body_unread_drain_it_or_close_the_connection`, `drain_bodies::*`, `request_body::tests::*` |
//! | A body left unread (handler error or panic before reading, failed check, bare error rewritten, a success that dropped it) is read and discarded before the answer, within 16 MiB and 10 s by default (`drain_unread_bodies`), so that a client that sends its whole body before reading gets the envelope | issue 9: "refused bodies are drained, bounded"; nginx's lingering close; closing a socket with unread data resets it | `drain_bodies::*` (real sockets), `drain_interop::*` (`http.client` and the official BCE SDK, 30 attempts per size) |
