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
//! | Messages of any content render as valid JSON, bounded to [`MAX_MESSAGE_LEN`](crate::MAX_MESSAGE_LEN) bytes | issue: "messages that echo user input are bounded in length and never break the JSON" | `envelopes::messages_of_any_content_render_as_valid_bounded_json`, `json::tests::every_string_round_trips`, `error::tests::long_messages_are_bounded_at_a_char_boundary` |
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
//! ## The most specific code wins
//!
//! InternalError "must not be used where a specific common or service code applies"
//! (PROTOCOL, BCE; the table's 说明 for InternalError). The layer looks through the error's whole
//! source chain (errors wrapped in context, tower `BoxError`s) for every error it knows: a
//! [`CloudError`](crate::CloudError), an error of a type registered with
//! [`CloudErrorLayer::recognize`](crate::CloudErrorLayer::recognize), and the ecosystem's errors
//! (`serde_json::Error`, `http_body_util::LengthLimitError`, `std::io::Error` of kind
//! `TimedOut`, and with the `tower` feature tower's `Elapsed` and `Overloaded`). Among them,
//! most specific first:
//!
//! 1. anything beats an internal error (the style's `InternalError`, `InternalError.*`);
//! 2. a service or business code beats a common code (one of the style's common catalog);
//! 3. a dotted sub-code beats an undotted one (`ResourceNotFound.ErrNoRepo` beats
//!    `ResourceNotFound`).
//!
//! Among equals the outermost wins, so an explicit code is only replaced by a strictly more
//! specific one. Proved by `most_specific::an_error_three_levels_deep_answers_its_own_code`,
//! `most_specific::a_sub_code_deep_in_the_chain_beats_its_category_on_top`,
//! `most_specific::registered_user_errors_are_recognized_anywhere_in_the_chain`,
//! `most_specific::tower_timeouts_are_recognized`, `most_specific::tower_load_shedding_is_recognized`,
//! `classify::tests::equals_keep_the_outermost_and_less_specific_never_wins`.
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
//! | Every response passes the [conformance checker](crate::conformance) for arbitrary inner outcomes | issue | `conformance_properties` (7 properties, both styles) |
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
//!
//! ## Protocol checks (opt-in)
//!
//! | Rule | Source | Proved by |
//! |---|---|---|
//! | BCE: a `/v{N}/` version not served → `InvalidVersion` (404) | PROTOCOL, BCE: "a version the service does not serve → InvalidVersion (404)" | `protocol_checks::bce_checks_answer_before_the_inner_service`, `style::bce_checks::tests::versions_are_checked_on_versioned_paths_only` |
//! | BCE: `x-bce-date` (else `Date`) more than 30 minutes off → `RequestExpired` | PROTOCOL, BCE: "Clock skew above 30 minutes is answered with RequestExpired" | `style::bce_checks::tests::stale_dates_are_request_expired_quoting_the_bce_date` |
//! | Tencent: method other than GET/POST → `UnsupportedProtocol`; `X-TC-Timestamp` more than 5 minutes off → `AuthFailure.SignatureExpire`; missing `X-TC-Action` → `MissingParameter`; version not served → `NoSuchVersion` | PROTOCOL, Tencent: "Timestamp off by more than 5 minutes → …" | `protocol_checks::tencent_checks_answer_before_the_inner_service`, `style::tencent_checks::tests::each_check_answers_its_documented_code` |
