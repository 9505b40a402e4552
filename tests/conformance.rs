//! The conformance checker on hand-built responses: compliant envelopes pass, and every kind of
//! violation is caught, precisely and all at once. A checker that cannot fail is a defect.

use bytes::Bytes;
use http::{Method, Response, StatusCode};
use tower_cloud_error::conformance::{
    check, BceConformance, Checker, Convention, TencentConformance, Violation,
};
use tower_cloud_error::{bce, tencent};
use tower_cloud_error::{CloudError, Code, Language};

const ID: &str = "ae2225f7-1c2e-427a-a1ad-5413b762957d";
const BCE_JSON: &str = "application/json; charset=utf-8";
const TC_JSON: &str = "application/json";
const BCE_CANONICAL: &str = "We encountered an internal error. Please try again.";

/// A response with `status`, the given headers and `body`.
fn build(status: u16, headers: &[(&str, &str)], body: impl Into<Bytes>) -> Response<Bytes> {
    let mut builder = Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body.into()).unwrap()
}

/// A BCE error with the right headers and the body `body`.
fn bce_error(status: u16, body: &str) -> Response<Bytes> {
    build(
        status,
        &[("content-type", BCE_JSON), ("x-bce-request-id", ID)],
        body.to_owned(),
    )
}

fn bce_body(code: &str, message: &str) -> String {
    serde_json::json!({"requestId": ID, "code": code, "message": message}).to_string()
}

/// A Tencent error with the right status and headers and the body `body`.
fn tencent_error(body: &str) -> Response<Bytes> {
    build(
        200,
        &[("content-type", TC_JSON), ("x-tc-requestid", ID)],
        body.to_owned(),
    )
}

fn tencent_body(code: &str, message: &str) -> String {
    serde_json::json!({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": ID}})
        .to_string()
}

/// A BCE checker that also knows the Tencent catalogs, to tell a Tencent code in a BCE
/// envelope.
fn bce_checker() -> Checker {
    Checker::new(BceConformance).with_foreign_convention(&TencentConformance)
}

/// A Tencent checker that also knows the BCE catalogs.
fn tencent_checker() -> Checker {
    Checker::new(TencentConformance).with_foreign_convention(&BceConformance)
}

fn bce_violations(response: &Response<Bytes>) -> Vec<Violation> {
    bce_checker()
        .check(&Method::GET, response)
        .err()
        .unwrap_or_default()
}

fn tencent_violations(response: &Response<Bytes>) -> Vec<Violation> {
    tencent_checker()
        .check(&Method::POST, response)
        .err()
        .unwrap_or_default()
}

fn all_bce_codes() -> impl Iterator<Item = &'static Code> {
    [
        bce::common::ALL,
        bce::dev_machine::ALL,
        bce::eip::ALL,
        bce::eip_group::ALL,
        bce::bandwidth_package::ALL,
    ]
    .into_iter()
    .flatten()
}

fn all_tencent_codes() -> impl Iterator<Item = &'static Code> {
    [tencent::common::ALL, tencent::tcr::ALL]
        .into_iter()
        .flatten()
}

// ---------------------------------------------------------------------------------------------
// Compliant responses pass.

#[test]
fn every_documented_bce_code_with_its_status_and_message_passes() {
    let checker = bce_checker().require_known_codes(true);
    for code in all_bce_codes() {
        let response = bce_error(
            code.status().as_u16(),
            &bce_body(code.name(), code.message()),
        );
        assert_eq!(checker.check(&Method::GET, &response), Ok(()), "{code:?}");
        // And the bodiless answer to HEAD.
        let head = bce_error(code.status().as_u16(), "");
        assert_eq!(checker.check(&Method::HEAD, &head), Ok(()), "{code:?}");
    }
}

#[test]
fn every_documented_tencent_code_passes_in_its_language() {
    for code in all_tencent_codes() {
        for (language, message) in [
            (Language::ZhCn, code.message_zh()),
            (Language::EnUs, code.message()),
        ] {
            let response = tencent_error(&tencent_body(code.name(), message));
            let checker = tencent_checker()
                .require_known_codes(true)
                .expect_language(language);
            assert_eq!(checker.check(&Method::POST, &response), Ok(()), "{code:?}");
            assert_eq!(tencent_checker().check(&Method::POST, &response), Ok(()));
        }
    }
}

#[test]
fn a_name_documented_in_two_tables_passes_with_either_declaration() {
    // InstanceNotFound: eip and eip_group, 404 both. RealNameQualify: two messages, 403 both.
    let checker = bce_checker().require_known_codes(true);
    for code in [
        bce::eip::INSTANCE_NOT_FOUND,
        bce::eip_group::INSTANCE_NOT_FOUND,
        bce::eip::REAL_NAME_QUALIFY,
        bce::eip_group::REAL_NAME_QUALIFY,
    ] {
        let response = bce_error(
            code.status().as_u16(),
            &bce_body(code.name(), code.message()),
        );
        assert_eq!(checker.check(&Method::GET, &response), Ok(()), "{code:?}");
    }
    let response = bce_error(400, &bce_body("InstanceNotFound", "gone"));
    assert_eq!(
        bce_violations(&response),
        [Violation::StatusMismatch {
            code: "InstanceNotFound".into(),
            documented: vec![StatusCode::NOT_FOUND],
            actual: StatusCode::BAD_REQUEST,
        }]
    );
}

#[test]
fn custom_messages_and_unknown_codes_pass_by_default() {
    let response = bce_error(404, &bce_body("EipNotFound", "eip 100.88.1.1 \u{0} \"x\""));
    assert_eq!(bce_violations(&response), []);
    let response = bce_error(409, &bce_body("Keypair.KeypairInUse", "in use"));
    assert_eq!(bce_violations(&response), []);
    let response = tencent_error(&tencent_body("ResourceInUse.Mine", "任意"));
    assert_eq!(tencent_violations(&response), []);
}

#[test]
fn successes_pass() {
    let bce_ok = [
        build(200, &[("x-bce-request-id", ID)], ""),
        build(201, &[("x-bce-request-id", ID)], r#"{"eip":"100.88.1.1"}"#),
        build(204, &[("x-bce-request-id", ID)], ""),
        // Redirects are not API answers: only the id header is checked.
        build(302, &[("x-bce-request-id", ID)], "<html>moved</html>"),
    ];
    for ok in &bce_ok {
        assert_eq!(bce_violations(ok), [], "{ok:?}");
    }
    // The body of an answer to HEAD never reaches the client.
    let head = build(200, &[("x-bce-request-id", ID)], "not json");
    assert_eq!(bce_checker().check(&Method::HEAD, &head), Ok(()));

    let tencent_ok = [
        build(200, &[("x-tc-requestid", ID)], ""),
        build(
            200,
            &[
                ("x-tc-requestid", ID),
                ("content-type", "application/json; charset=utf-8"),
            ],
            format!(r#"{{"Response":{{"TotalCount":0,"RequestId":"{ID}"}}}}"#),
        ),
        build(
            200,
            &[
                ("x-tc-requestid", ID),
                ("content-type", "text/event-stream"),
            ],
            "data: {\"Delta\":\"x\"}\n\n",
        ),
    ];
    for ok in &tencent_ok {
        assert_eq!(tencent_violations(ok), [], "{ok:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Each violation kind.

#[test]
fn tencent_error_with_status_400() {
    let mut response = tencent_error(&tencent_body("InvalidAction", "接口不存在。"));
    *response.status_mut() = StatusCode::BAD_REQUEST;
    assert_eq!(
        tencent_violations(&response),
        [Violation::TencentStatusNot200 {
            status: StatusCode::BAD_REQUEST
        }]
    );
    // Any non-200, success or not, is a network error to the SDKs.
    let created = response_with_status(201);
    assert_eq!(
        tencent_violations(&created),
        [Violation::TencentStatusNot200 {
            status: StatusCode::CREATED
        }]
    );
}

fn response_with_status(status: u16) -> Response<Bytes> {
    build(status, &[("x-tc-requestid", ID)], "")
}

#[test]
fn tencent_error_with_a_charset() {
    let response = build(
        200,
        &[("content-type", BCE_JSON), ("x-tc-requestid", ID)],
        tencent_body("InvalidAction", "接口不存在。"),
    );
    assert_eq!(
        tencent_violations(&response),
        [Violation::ContentType {
            expected: "application/json",
            actual: Some(BCE_JSON.into()),
        }]
    );
}

#[test]
fn bce_error_without_the_charset_or_without_content_type() {
    let body = bce_body("EipNotFound", "The specified eip does not exist.");
    let plain = build(
        404,
        &[("content-type", TC_JSON), ("x-bce-request-id", ID)],
        body.clone(),
    );
    assert_eq!(
        bce_violations(&plain),
        [Violation::ContentType {
            expected: BCE_JSON,
            actual: Some(TC_JSON.into()),
        }]
    );
    let upper = build(
        404,
        &[
            ("content-type", "application/json; charset=UTF-8"),
            ("x-bce-request-id", ID),
        ],
        body.clone(),
    );
    assert_eq!(bce_violations(&upper).len(), 1, "exactly, byte for byte");
    let missing = build(404, &[("x-bce-request-id", ID)], body);
    assert_eq!(
        bce_violations(&missing),
        [Violation::ContentType {
            expected: BCE_JSON,
            actual: None,
        }]
    );
}

#[test]
fn missing_request_id_in_the_body() {
    let response = bce_error(404, r#"{"code":"EipNotFound","message":"m"}"#);
    assert_eq!(
        bce_violations(&response),
        [Violation::MissingKey { key: "requestId" }]
    );
    let response =
        tencent_error(r#"{"Response":{"Error":{"Code":"InvalidAction","Message":"m"}}}"#);
    assert_eq!(
        tencent_violations(&response),
        [Violation::MissingKey {
            key: "Response.RequestId"
        }]
    );
}

#[test]
fn missing_request_id_header() {
    let body = bce_body("EipNotFound", "m");
    let response = build(404, &[("content-type", BCE_JSON)], body);
    assert_eq!(
        bce_violations(&response),
        [Violation::MissingRequestIdHeader {
            header: "x-bce-request-id"
        }]
    );
    let bare_success = response_with_status(200);
    assert_eq!(
        bce_violations(&bare_success),
        [Violation::MissingRequestIdHeader {
            header: "x-bce-request-id"
        }]
    );
}

#[test]
fn ids_differing_between_header_and_body() {
    let response = build(
        404,
        &[("content-type", BCE_JSON), ("x-bce-request-id", "other-id")],
        bce_body("EipNotFound", "m"),
    );
    assert_eq!(
        bce_violations(&response),
        [Violation::RequestIdMismatch {
            header: "other-id".into(),
            body: ID.into(),
        }]
    );
    let response = build(
        200,
        &[("content-type", TC_JSON), ("x-tc-requestid", "other-id")],
        tencent_body("InvalidAction", "m"),
    );
    assert_eq!(
        tencent_violations(&response),
        [Violation::RequestIdMismatch {
            header: "other-id".into(),
            body: ID.into(),
        }]
    );
    // A Tencent success body too.
    let success = build(
        200,
        &[("x-tc-requestid", "other-id")],
        format!(r#"{{"Response":{{"RequestId":"{ID}"}}}}"#),
    );
    assert_eq!(
        tencent_violations(&success),
        [Violation::RequestIdMismatch {
            header: "other-id".into(),
            body: ID.into(),
        }]
    );
}

#[test]
fn an_unexpected_or_invalid_request_id() {
    let response = build(200, &[("x-bce-request-id", "id with spaces")], "");
    assert_eq!(
        bce_violations(&response),
        [Violation::InvalidRequestId {
            id: "id with spaces".into()
        }]
    );
    let response = build(200, &[("x-bce-request-id", ID)], "");
    assert_eq!(
        bce_checker()
            .expect_request_id("client-id-1")
            .check(&Method::GET, &response),
        Err(vec![Violation::UnexpectedRequestId {
            expected: "client-id-1".into(),
            actual: ID.into(),
        }])
    );
    assert_eq!(
        bce_checker()
            .expect_request_id(ID)
            .check(&Method::GET, &response),
        Ok(())
    );
}

#[test]
fn extra_keys() {
    let response = bce_error(
        404,
        &format!(
            r#"{{"requestId":"{ID}","code":"EipNotFound","message":"m","detail":"x","stack":[]}}"#
        ),
    );
    assert_eq!(
        bce_violations(&response),
        [
            Violation::ExtraKey {
                key: "detail".into()
            },
            Violation::ExtraKey {
                key: "stack".into()
            },
        ]
    );
    let response = tencent_error(&format!(
        r#"{{"Extra":1,"Response":{{"Error":{{"Code":"InvalidAction","Message":"m","Detail":"x"}},"RequestId":"{ID}","Data":{{}}}}}}"#
    ));
    assert_eq!(
        tencent_violations(&response),
        [
            Violation::ExtraKey {
                key: "Extra".into()
            },
            Violation::ExtraKey {
                key: "Response.Data".into()
            },
            Violation::ExtraKey {
                key: "Response.Error.Detail".into()
            },
        ]
    );
}

#[test]
fn duplicate_keys() {
    let response = bce_error(
        404,
        &format!(
            r#"{{"requestId":"{ID}","code":"EipNotFound","code":"InternalError","message":"m"}}"#
        ),
    );
    // The last value wins, as in JSON parsers: InternalError with a non-canonical message, on 404.
    let violations = bce_violations(&response);
    assert_eq!(
        violations[0],
        Violation::DuplicateKey { key: "code".into() }
    );
    assert!(violations.contains(&Violation::StatusMismatch {
        code: "InternalError".into(),
        documented: vec![StatusCode::INTERNAL_SERVER_ERROR],
        actual: StatusCode::NOT_FOUND,
    }));
    let response = tencent_error(&format!(
        r#"{{"Response":{{"Error":{{"Code":"InvalidAction","Message":"m"}},"RequestId":"{ID}","RequestId":"{ID}"}}}}"#
    ));
    assert_eq!(
        tencent_violations(&response),
        [Violation::DuplicateKey {
            key: "Response.RequestId".into()
        }]
    );
}

#[test]
fn wrong_key_types() {
    let response = bce_error(
        404,
        &format!(r#"{{"requestId":"{ID}","code":404,"message":null}}"#),
    );
    assert_eq!(
        bce_violations(&response),
        [
            Violation::WrongKeyType {
                key: "code",
                expected: "string",
                actual: "number"
            },
            Violation::WrongKeyType {
                key: "message",
                expected: "string",
                actual: "null"
            },
        ]
    );
    let response = tencent_error(&format!(
        r#"{{"Response":{{"Error":"InvalidAction","RequestId":"{ID}"}}}}"#
    ));
    assert_eq!(
        tencent_violations(&response),
        [Violation::WrongKeyType {
            key: "Response.Error",
            expected: "object",
            actual: "string"
        }]
    );
    let response = build(200, &[("x-tc-requestid", ID)], r#"{"Response":[]}"#);
    assert_eq!(
        tencent_violations(&response),
        [Violation::WrongKeyType {
            key: "Response",
            expected: "object",
            actual: "array"
        }]
    );
}

#[test]
fn non_canonical_internal_error_messages() {
    let response = bce_error(500, &bce_body("InternalError", "pq: connection refused"));
    assert_eq!(
        bce_violations(&response),
        [Violation::InternalErrorMessageNotCanonical {
            code: "InternalError".into(),
            actual: "pq: connection refused".into(),
            expected: vec![BCE_CANONICAL],
        }]
    );
    // The Kafka table's variant, without the first full stop, is not the canonical message.
    let kafka = bce_error(
        500,
        &bce_body(
            "InternalError",
            "We encountered an internal error Please try again.",
        ),
    );
    assert_eq!(bce_violations(&kafka).len(), 1);

    let internal = tencent::common::INTERNAL_ERROR;
    let response = tencent_error(&tencent_body("InternalError", "panic: index out of range"));
    assert_eq!(
        tencent_violations(&response),
        [Violation::InternalErrorMessageNotCanonical {
            code: "InternalError".into(),
            actual: "panic: index out of range".into(),
            expected: vec![internal.message_zh(), internal.message()],
        }]
    );
    // With an expected language, only that language's canonical message.
    let zh = tencent_error(&tencent_body("InternalError", internal.message_zh()));
    assert_eq!(
        tencent_checker()
            .expect_language(Language::EnUs)
            .check(&Method::POST, &zh),
        Err(vec![Violation::InternalErrorMessageNotCanonical {
            code: "InternalError".into(),
            actual: internal.message_zh().into(),
            expected: vec![internal.message()],
        }])
    );
    // A known InternalError.* sub-code has its own canonical message.
    let db = tencent::tcr::INTERNAL_ERROR_DB_ERROR;
    let response = tencent_error(&tencent_body(db.name(), "duplicate key value"));
    assert_eq!(
        tencent_violations(&response),
        [Violation::InternalErrorMessageNotCanonical {
            code: db.name().into(),
            actual: "duplicate key value".into(),
            expected: vec![db.message_zh(), db.message()],
        }]
    );
}

#[test]
fn eip_not_found_with_a_wrong_status() {
    let response = bce_error(
        500,
        &bce_body("EipNotFound", "The specified eip does not exist."),
    );
    assert_eq!(
        bce_violations(&response),
        [Violation::StatusMismatch {
            code: "EipNotFound".into(),
            documented: vec![StatusCode::NOT_FOUND],
            actual: StatusCode::INTERNAL_SERVER_ERROR,
        }]
    );
}

#[test]
fn the_dev_machine_not_found_is_403_unless_you_declare_your_own() {
    let response = bce_error(404, &bce_body("NotFound", "Resource could not be found"));
    assert_eq!(
        bce_violations(&response),
        [Violation::StatusMismatch {
            code: "NotFound".into(),
            documented: vec![StatusCode::FORBIDDEN],
            actual: StatusCode::NOT_FOUND,
        }]
    );
    const MY_NOT_FOUND: Code = bce::code("NotFound", 404, "Not found.");
    assert_eq!(
        bce_checker()
            .with_codes(&[MY_NOT_FOUND])
            .check(&Method::GET, &response),
        Ok(())
    );
}

#[test]
fn a_body_on_a_head_error() {
    let response = bce_error(404, &bce_body("EipNotFound", "m"));
    let len = response.body().len();
    assert_eq!(
        bce_checker().check(&Method::HEAD, &response),
        Err(vec![Violation::BodyOnHeadResponse { len }])
    );
    let response = tencent_error(&tencent_body("InvalidAction", "m"));
    let len = response.body().len();
    assert_eq!(
        tencent_checker().check(&Method::HEAD, &response),
        Err(vec![Violation::BodyOnHeadResponse { len }])
    );
}

#[test]
fn error_bodies_that_are_not_envelopes() {
    assert_eq!(
        bce_violations(&bce_error(404, "")),
        [Violation::EmptyErrorBody]
    );
    assert!(matches!(
        &bce_violations(&bce_error(404, "<html>Not Found</html>"))[..],
        [Violation::BodyNotJson { .. }]
    ));
    assert_eq!(
        bce_violations(&bce_error(404, "[]")),
        [Violation::BodyNotObject { actual: "array" }]
    );
    assert_eq!(
        bce_violations(&bce_error(404, "{}")),
        [
            Violation::MissingKey { key: "requestId" },
            Violation::MissingKey { key: "code" },
            Violation::MissingKey { key: "message" },
        ]
    );
    assert_eq!(
        tencent_violations(&tencent_error(r#"{"Response":{"Error":{}}}"#)),
        [
            Violation::MissingKey {
                key: "Response.RequestId"
            },
            Violation::MissingKey {
                key: "Response.Error.Code"
            },
            Violation::MissingKey {
                key: "Response.Error.Message"
            },
        ]
    );
}

#[test]
fn invalid_code_names() {
    let response = bce_error(404, &bce_body("eip_not_found", "m"));
    assert_eq!(
        bce_violations(&response),
        [Violation::InvalidCodeName {
            code: "eip_not_found".into(),
            dialect: bce::DIALECT,
            syntax: BceConformance.code_name_syntax(),
        }]
    );
    for bad in [
        "A.B.C.D",
        "resourceNotFound",
        "ResourceNotFound.",
        "Auth-Failure",
        "",
    ] {
        let response = tencent_error(&tencent_body(bad, "m"));
        assert_eq!(
            tencent_violations(&response),
            [Violation::InvalidCodeName {
                code: bad.into(),
                dialect: tencent::DIALECT,
                syntax: TencentConformance.code_name_syntax(),
            }],
            "{bad:?}"
        );
    }
}

#[test]
fn unknown_codes_when_known_codes_are_required() {
    let response = bce_error(404, &bce_body("Keypair.KeypairNotExist", "m"));
    let checker = bce_checker().require_known_codes(true);
    assert_eq!(
        checker.check(&Method::GET, &response),
        Err(vec![Violation::UnknownCode {
            code: "Keypair.KeypairNotExist".into()
        }])
    );
    const MINE: Code = bce::code("Keypair.KeypairNotExist", 404, "No such keypair.");
    assert_eq!(
        checker.with_codes(&[MINE]).check(&Method::GET, &response),
        Ok(())
    );
}

#[test]
fn codes_of_the_other_dialect() {
    let response = tencent_error(&tencent_body("EipNotFound", "m"));
    assert_eq!(
        tencent_violations(&response),
        [Violation::CodeOfOtherDialect {
            code: "EipNotFound".into(),
            dialect: bce::DIALECT
        }]
    );
    let response = bce_error(404, &bce_body("ResourceNotFound.ErrNoRepo", "m"));
    assert_eq!(
        bce_violations(&response),
        [Violation::CodeOfOtherDialect {
            code: "ResourceNotFound.ErrNoRepo".into(),
            dialect: tencent::DIALECT
        }]
    );
    // Names in both dialects (InternalError, InvalidParameter, ...) are this dialect's.
    let response = tencent_error(&tencent_body("InvalidParameter", "m"));
    assert_eq!(tencent_violations(&response), []);
    // Your own codes of the other dialect count too.
    const THEIRS: Code = tencent::code("ResourceNotFound.Keypair", "不存在。", "Not found.");
    let response = bce_error(404, &bce_body("ResourceNotFound.Keypair", "m"));
    assert_eq!(bce_violations(&response), []);
    assert_eq!(
        bce_checker()
            .with_codes(&[THEIRS])
            .check(&Method::GET, &response)
            .unwrap_err()
            .len(),
        1
    );
}

#[test]
fn default_messages_in_the_wrong_language() {
    let code = tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO;
    let response = tencent_error(&tencent_body(code.name(), code.message()));
    assert_eq!(
        tencent_checker()
            .expect_language(Language::ZhCn)
            .check(&Method::POST, &response),
        Err(vec![Violation::MessageNotInExpectedLanguage {
            code: code.name().into(),
            expected: Language::ZhCn,
        }])
    );
    // Custom messages cannot be judged.
    let custom = tencent_error(&tencent_body(code.name(), "repo `x` is gone"));
    assert_eq!(
        tencent_checker()
            .expect_language(Language::ZhCn)
            .check(&Method::POST, &custom),
        Ok(())
    );
}

#[test]
fn messages_too_long() {
    let long = "x".repeat(CloudError::MAX_MESSAGE_LEN + 1);
    assert_eq!(
        bce_violations(&bce_error(404, &bce_body("EipNotFound", &long))),
        [Violation::MessageTooLong {
            len: CloudError::MAX_MESSAGE_LEN + 1,
            max: CloudError::MAX_MESSAGE_LEN
        }]
    );
    let exact = "é".repeat(CloudError::MAX_MESSAGE_LEN / 2);
    assert_eq!(
        tencent_violations(&tencent_error(&tencent_body("InvalidAction", &exact))),
        []
    );
}

#[test]
fn headers_that_contradict_the_body() {
    let body = bce_body("EipNotFound", "m");
    let stale_length = build(
        404,
        &[
            ("content-type", BCE_JSON),
            ("x-bce-request-id", ID),
            ("content-length", "9"),
        ],
        body.clone(),
    );
    assert_eq!(
        bce_violations(&stale_length),
        [Violation::ContentLengthMismatch {
            header: "9".into(),
            body_len: body.len(),
        }]
    );
    // For HEAD the length is the GET answer's.
    let head = build(
        404,
        &[
            ("content-type", BCE_JSON),
            ("x-bce-request-id", ID),
            ("content-length", "120"),
        ],
        "",
    );
    assert_eq!(bce_checker().check(&Method::HEAD, &head), Ok(()));

    let gzip = build(
        200,
        &[
            ("content-type", TC_JSON),
            ("x-tc-requestid", ID),
            ("content-encoding", "gzip"),
        ],
        tencent_body("InvalidAction", "m"),
    );
    assert_eq!(
        tencent_violations(&gzip),
        [Violation::ContentEncoding {
            encoding: "gzip".into()
        }]
    );
    let repeated = build(
        200,
        &[("x-tc-requestid", ID), ("x-tc-requestid", "second")],
        "",
    );
    assert_eq!(
        tencent_violations(&repeated),
        [Violation::RepeatedHeader {
            header: "x-tc-requestid",
            count: 2
        }]
    );
}

#[test]
fn bce_successes_that_are_not_json_or_hide_an_error() {
    let text = build(200, &[("x-bce-request-id", ID)], "OK");
    assert!(matches!(
        &bce_violations(&text)[..],
        [Violation::SuccessBodyNotJson { .. }]
    ));
    let hidden = build(
        200,
        &[("content-type", BCE_JSON), ("x-bce-request-id", ID)],
        bce_body("EipNotFound", "m"),
    );
    assert_eq!(
        bce_violations(&hidden),
        [Violation::ErrorEnvelopeOnSuccess {
            status: StatusCode::OK
        }]
    );
}

#[test]
fn tencent_json_successes_without_a_request_id() {
    let no_response = build(200, &[("x-tc-requestid", ID)], r#"{"TotalCount":1}"#);
    assert_eq!(
        tencent_violations(&no_response),
        [Violation::MissingKey { key: "Response" }]
    );
    let no_id = build(
        200,
        &[("x-tc-requestid", ID)],
        r#"{"Response":{"TotalCount":1}}"#,
    );
    assert_eq!(
        tencent_violations(&no_id),
        [Violation::MissingKey {
            key: "Response.RequestId"
        }]
    );
    let scalar = build(200, &[("x-tc-requestid", ID)], "42");
    assert_eq!(
        tencent_violations(&scalar),
        [Violation::BodyNotObject { actual: "number" }]
    );
}

#[test]
fn a_bare_error_response_breaks_every_rule_at_once() {
    // What an inner service answers when nothing renders its errors.
    let bare = build(
        404,
        &[("content-type", "text/plain"), ("content-length", "9")],
        "not found",
    );
    let violations = bce_violations(&bare);
    assert_eq!(violations.len(), 3, "{violations:#?}");
    assert_eq!(
        violations[..2],
        [
            Violation::MissingRequestIdHeader {
                header: "x-bce-request-id"
            },
            Violation::ContentType {
                expected: BCE_JSON,
                actual: Some("text/plain".into()),
            },
        ]
    );
    assert!(matches!(violations[2], Violation::BodyNotJson { .. }));

    assert_eq!(
        tencent_violations(&bare)[..3],
        [
            Violation::TencentStatusNot200 {
                status: StatusCode::NOT_FOUND
            },
            Violation::MissingRequestIdHeader {
                header: "x-tc-requestid"
            },
            Violation::ContentType {
                expected: TC_JSON,
                actual: Some("text/plain".into()),
            },
        ]
    );
}

#[test]
fn every_violation_of_one_envelope_is_reported() {
    let response = build(
        503,
        &[
            ("content-type", "application/json"),
            ("x-bce-request-id", "header id"),
            ("content-encoding", "br"),
        ],
        format!(
            r#"{{"requestId":"body-id","code":"InternalError","message":"{}","trace":"at main.rs:1"}}"#,
            "x".repeat(CloudError::MAX_MESSAGE_LEN + 1)
        ),
    );
    let violations = bce_checker()
        .expect_request_id("expected-id")
        .check(&Method::GET, &response)
        .unwrap_err();
    let kinds: Vec<&str> = violations.iter().map(kind).collect();
    assert_eq!(
        kinds,
        [
            "InvalidRequestId",
            "UnexpectedRequestId",
            "ContentType",
            "ContentEncoding",
            "ExtraKey",
            "RequestIdMismatch",
            "StatusMismatch",
            "InternalErrorMessageNotCanonical",
            "MessageTooLong",
        ],
        "{violations:#?}"
    );
}

/// The variant name of a violation.
fn kind(violation: &Violation) -> &'static str {
    match violation {
        Violation::TencentStatusNot200 { .. } => "TencentStatusNot200",
        Violation::StatusMismatch { .. } => "StatusMismatch",
        Violation::ContentType { .. } => "ContentType",
        Violation::ContentEncoding { .. } => "ContentEncoding",
        Violation::ContentLengthMismatch { .. } => "ContentLengthMismatch",
        Violation::RepeatedHeader { .. } => "RepeatedHeader",
        Violation::MissingRequestIdHeader { .. } => "MissingRequestIdHeader",
        Violation::InvalidRequestId { .. } => "InvalidRequestId",
        Violation::UnexpectedRequestId { .. } => "UnexpectedRequestId",
        Violation::RequestIdMismatch { .. } => "RequestIdMismatch",
        Violation::EmptyErrorBody => "EmptyErrorBody",
        Violation::BodyNotJson { .. } => "BodyNotJson",
        Violation::BodyNotObject { .. } => "BodyNotObject",
        Violation::MissingKey { .. } => "MissingKey",
        Violation::ExtraKey { .. } => "ExtraKey",
        Violation::DuplicateKey { .. } => "DuplicateKey",
        Violation::WrongKeyType { .. } => "WrongKeyType",
        Violation::InvalidCodeName { .. } => "InvalidCodeName",
        Violation::UnknownCode { .. } => "UnknownCode",
        Violation::CodeOfOtherDialect { .. } => "CodeOfOtherDialect",
        Violation::InternalErrorMessageNotCanonical { .. } => "InternalErrorMessageNotCanonical",
        Violation::MessageNotInExpectedLanguage { .. } => "MessageNotInExpectedLanguage",
        Violation::MessageTooLong { .. } => "MessageTooLong",
        Violation::BodyOnHeadResponse { .. } => "BodyOnHeadResponse",
        Violation::SuccessBodyNotJson { .. } => "SuccessBodyNotJson",
        Violation::ErrorEnvelopeOnSuccess { .. } => "ErrorEnvelopeOnSuccess",
        _ => "other",
    }
}

// ---------------------------------------------------------------------------------------------
// The API around the rules.

#[test]
fn display_says_what_was_found_and_what_was_expected() {
    let text = Violation::StatusMismatch {
        code: "EipNotFound".into(),
        documented: vec![StatusCode::NOT_FOUND],
        actual: StatusCode::INTERNAL_SERVER_ERROR,
    }
    .to_string();
    assert!(text.contains("500 Internal Server Error"), "{text}");
    assert!(text.contains("404 Not Found"), "{text}");
    let text = Violation::ContentType {
        expected: TC_JSON,
        actual: Some(BCE_JSON.into()),
    }
    .to_string();
    assert_eq!(
        text,
        r#"content-type is "application/json; charset=utf-8", expected exactly "application/json""#
    );
    let text = Violation::InternalErrorMessageNotCanonical {
        code: "InternalError".into(),
        actual: "db".into(),
        expected: vec![BCE_CANONICAL],
    }
    .to_string();
    assert!(
        text.contains(r#""db""#) && text.contains(BCE_CANONICAL),
        "{text}"
    );
}

#[test]
fn assert_conforms_lists_every_violation() {
    let bare = build(404, &[], "not found");
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        bce_checker().assert_conforms(&Method::GET, &bare)
    }))
    .unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    for violation in bce_violations(&bare) {
        assert!(message.contains(&violation.to_string()), "{message}");
    }
    assert!(message.contains("3 way(s)"), "{message}");
    assert!(message.contains("not found"), "{message}");
    // A conforming response does not panic.
    bce_checker().assert_conforms(&Method::GET, &bce_error(404, &bce_body("EipNotFound", "m")));
}

#[test]
fn the_function_the_parts_and_the_checker_agree() {
    let response = build(418, &[("content-type", "text/plain")], "teapot");
    let by_checker = bce_checker().check(&Method::GET, &response);
    assert_eq!(
        check(BceConformance, &Method::GET, &response),
        Checker::new(BceConformance).check(&Method::GET, &response)
    );
    let (parts, body) = response.into_parts();
    assert_eq!(
        bce_checker().check_parts(&Method::GET, &parts, &body),
        by_checker
    );
    // Any body that is bytes: Vec, String, &str.
    let owned = Response::new(String::from("x"));
    assert_eq!(
        check(TencentConformance, &Method::GET, &owned),
        Err(vec![Violation::MissingRequestIdHeader {
            header: "x-tc-requestid"
        }])
    );
}

#[test]
fn public_types_are_send_sync_and_errors() {
    fn send_sync<T: Send + Sync + 'static>() {}
    fn error<T: std::error::Error>() {}
    send_sync::<Checker>();
    send_sync::<Violation>();
    error::<Violation>();
    let checker = tencent_checker().require_known_codes(true);
    assert_eq!(checker.clone().dialect(), tencent::DIALECT);
    assert!(format!("{checker:?}").contains("tencent"));
}

#[test]
fn a_tencent_error_to_connect_conforms_with_405_only() {
    use tower_cloud_error::conformance::TencentConformance;
    let envelope = |status: u16| {
        Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .header("x-tc-requestid", ID)
            .body(Bytes::from(format!(
                r#"{{"Response":{{"Error":{{"Code":"UnsupportedProtocol","Message":"HTTP(S)请求协议错误，只支持GET和POST请求。"}},"RequestId":"{ID}"}}}}"#
            )))
            .unwrap()
    };
    let checker = Checker::new(TencentConformance);
    // The layer answers CONNECT errors with 405: a 2xx would open a tunnel.
    assert_eq!(checker.check(&Method::CONNECT, &envelope(405)), Ok(()));
    // Any other method keeps the rule: errors travel with 200.
    assert_eq!(
        checker.check(&Method::GET, &envelope(405)),
        Err(vec![Violation::TencentStatusNot200 {
            status: StatusCode::METHOD_NOT_ALLOWED
        }])
    );
}
