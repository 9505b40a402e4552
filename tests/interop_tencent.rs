//! The Tencent Cloud API 3.0 envelope as the official Python SDK reads it.
//!
//! `examples/tencent_tcr.rs` serves on loopback; `tests/interop/tencent_tcr_driver.py` drives it
//! through `tencentcloud.tcr.v20190924.tcr_client.TcrClient` (pinned in
//! `tests/interop/requirements.txt`) and reports every call as a JSON line. This file asserts:
//! the exact code and message in the requested language, HTTP 200 with `content-type:
//! application/json` exactly, one UUID v4 request id in the header, the body and the SDK's
//! result, the exact error envelope, and for faults that nothing internal leaks while the log
//! keeps it under the request id. The example runs the layer's [`TencentChecks`] and relies on
//! its rewrite of axum's bare 404: those answers, their order before the example's own checks,
//! and their `Connection: close` are asserted too.
//!
//! [`TencentChecks`]: tower_cloud_error::TencentChecks

#![cfg(feature = "axum")]

mod support;

#[path = "../examples/tencent_tcr.rs"]
#[allow(dead_code)]
mod tencent_tcr;

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::{json, Value};
use tower_cloud_error::tencent::{common, tcr};
use tower_cloud_error::{Code, Language};

use crate::tencent_tcr::Config;

const DRIVER: &str = "tencent_tcr_driver.py";

/// Text of the injected faults that must never reach a client.
const LEAKS: &[&str] = &["hunter2", "redis", "10.1.2.3", "checksum", "shard", "panic"];

/// One line of the driver's report.
#[derive(Debug, Deserialize)]
struct Outcome {
    case: String,
    lang: String,
    raised: bool,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    result: Option<Value>,
    status: Option<u16>,
    content_type: Option<String>,
    header_request_id: Option<String>,
    connection: Option<String>,
    body: Option<String>,
    warnings: Vec<String>,
    traceback: Option<String>,
}

/// What a case must produce.
enum Expect {
    /// Success: the SDK's result without `RequestId`, every `CreationTime` replaced by `<time>`.
    Ok(Value),
    /// An error envelope with this code and message.
    Err(&'static str, String),
    /// A fault: `InternalError` with the canonical message, nothing leaked, logged with the id.
    Fault,
}

/// The message of a catalog code in `lang`.
fn message(code: Code, lang: Language) -> String {
    match lang {
        Language::EnUs => code.message(),
        _ => code.message_zh(),
    }
    .to_owned()
}

fn catalog(code: Code, lang: Language) -> Expect {
    Expect::Err(code.name(), message(code, lang))
}

fn namespace(name: &str, repos: u64) -> Value {
    json!({ "Namespace": name, "CreationTime": "<time>", "RepoCount": repos })
}

fn namespaces(count: u64, page: &[Value]) -> Expect {
    Expect::Ok(json!({ "Data": { "NamespaceCount": count, "NamespaceInfo": page } }))
}

/// Every case the driver runs in `lang`, in the driver's order (the scenario has state).
fn expected(lang: Language) -> Vec<(&'static str, Expect)> {
    let en = lang == Language::EnUs;
    let tag = if en { "en" } else { "zh" };
    let (apps, team, tools) = (
        format!("{tag}-apps"),
        format!("{tag}-team"),
        format!("{tag}-tools"),
    );
    let pick = |zh: String, english: String| if en { english } else { zh };
    // Parameter errors name the parameter (or, for the layer's checks, the header) in both
    // languages, in one wording; checked against literal text here, and against the catalog's
    // wire names.
    let missing = |p: &str| {
        Expect::Err(
            common::MISSING_PARAMETER.name(),
            pick(
                format!("缺少必需参数 `{p}`。"),
                format!("The request is missing a required parameter `{p}`."),
            ),
        )
    };
    let unknown = |p: &str| {
        Expect::Err(
            common::UNKNOWN_PARAMETER.name(),
            pick(
                format!("参数 `{p}` 未定义，该接口不接受此参数。"),
                format!("The parameter `{p}` is not defined by this action."),
            ),
        )
    };
    let invalid = |p: &str| {
        Expect::Err(
            common::INVALID_PARAMETER.name(),
            pick(
                format!("参数 `{p}` 的类型或格式错误。"),
                format!("The parameter `{p}` has the wrong type or format."),
            ),
        )
    };
    let invalid_value = |p: &str| {
        Expect::Err(
            common::INVALID_PARAMETER_VALUE.name(),
            pick(
                format!("参数 `{p}` 的取值无效。"),
                format!("The value of the parameter `{p}` is invalid."),
            ),
        )
    };
    let validate = |exists: bool, preserved: bool| {
        Expect::Ok(json!({ "Data": { "IsExist": exists, "IsPreserved": preserved } }))
    };
    let done = || Expect::Ok(json!({}));

    vec![
        ("validate_namespace_absent", validate(false, false)),
        ("create_namespace", done()),
        ("validate_namespace_present", validate(true, false)),
        ("validate_namespace_reserved", validate(false, true)),
        (
            "create_namespace_exists",
            catalog(tcr::INVALID_PARAMETER_ERR_NAMESPACE_EXIST, lang),
        ),
        (
            "create_namespace_reserved",
            catalog(tcr::INVALID_PARAMETER_ERR_NAMESPACE_RESERVED, lang),
        ),
        ("create_namespace_invalid_name", invalid_value("Namespace")),
        ("create_namespace_second", done()),
        ("create_namespace_third", done()),
        (
            "create_namespace_over_quota",
            catalog(tcr::LIMIT_EXCEEDED_ERR_NAMESPACE_MAX_LIMIT, lang),
        ),
        (
            "describe_namespaces",
            namespaces(
                3,
                &[
                    namespace(&apps, 0),
                    namespace(&team, 0),
                    namespace(&tools, 0),
                ],
            ),
        ),
        (
            "describe_namespaces_filtered",
            namespaces(2, &[namespace(&tools, 0)]),
        ),
        ("describe_namespaces_invalid_limit", invalid_value("Limit")),
        (
            "get_describe_namespaces",
            namespaces(3, &[namespace(&apps, 0), namespace(&team, 0)]),
        ),
        ("get_invalid_parameter", invalid("Limit")),
        ("create_repository", done()),
        (
            "describe_repository",
            Expect::Ok(json!({ "Data": {
                "RepoName": format!("{apps}/web"),
                "RepoType": "personal",
                "Server": "ccr.ccs.tencentyun.com",
                "CreationTime": "<time>",
                "Description": "front end",
                "Public": 1,
                "PullCount": 0,
                "FavorCount": 0,
                "IsUserFavor": false,
                "IsQcloudOfficial": false,
            } })),
        ),
        (
            "create_repository_exists",
            catalog(tcr::INVALID_PARAMETER_ERR_REPO_EXIST, lang),
        ),
        (
            "create_repository_no_namespace",
            catalog(tcr::RESOURCE_NOT_FOUND_ERR_NO_NAMESPACE, lang),
        ),
        ("create_repository_invalid_name", invalid_value("RepoName")),
        ("create_repository_invalid_public", invalid_value("Public")),
        (
            "describe_namespace_repo_count",
            namespaces(1, &[namespace(&apps, 1)]),
        ),
        (
            "delete_namespace_in_use",
            catalog(common::RESOURCE_IN_USE, lang),
        ),
        ("delete_repository", done()),
        (
            "delete_repository_missing",
            catalog(tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO, lang),
        ),
        (
            "describe_repository_missing",
            catalog(tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO, lang),
        ),
        ("delete_namespace", done()),
        ("delete_namespace_second", done()),
        ("delete_namespace_third", done()),
        (
            "delete_namespace_missing",
            catalog(tcr::RESOURCE_NOT_FOUND_ERR_NO_NAMESPACE, lang),
        ),
        ("describe_namespaces_empty", namespaces(0, &[])),
        ("invalid_action", catalog(common::INVALID_ACTION, lang)),
        ("unknown_path", catalog(common::INVALID_ACTION, lang)),
        ("no_such_version", catalog(common::NO_SUCH_VERSION, lang)),
        ("missing_parameter", missing("Namespace")),
        ("missing_parameter_repo_name", missing("RepoName")),
        ("unknown_parameter", unknown("Quota")),
        ("invalid_parameter_type", invalid("Limit")),
        (
            "invalid_parameter_body",
            Expect::Err(
                common::INVALID_PARAMETER.name(),
                pick(
                    "请求参数无法解析，POST 请求体须为 JSON 对象。".into(),
                    "The request parameters cannot be parsed: a POST body must be a JSON object."
                        .into(),
                ),
            ),
        ),
        (
            "invalid_parameter_body_after_misfit",
            Expect::Err(
                common::INVALID_PARAMETER.name(),
                pick(
                    "请求参数无法解析，POST 请求体须为 JSON 对象。".into(),
                    "The request parameters cannot be parsed: a POST body must be a JSON object."
                        .into(),
                ),
            ),
        ),
        (
            "invalid_parameter_not_utf8",
            Expect::Err(
                common::INVALID_PARAMETER.name(),
                pick(
                    "请求参数无法解析，POST 请求体须为 JSON 对象。".into(),
                    "The request parameters cannot be parsed: a POST body must be a JSON object."
                        .into(),
                ),
            ),
        ),
        ("missing_parameter_null", missing("Namespace")),
        (
            "invalid_content_type",
            Expect::Err(
                common::INVALID_PARAMETER.name(),
                pick(
                    "POST 请求的 Content-Type 须为 application/json。".into(),
                    "A POST request must have the content type application/json.".into(),
                ),
            ),
        ),
        (
            "signature_expire",
            catalog(common::AUTH_FAILURE_SIGNATURE_EXPIRE, lang),
        ),
        ("missing_timestamp", missing("X-TC-Timestamp")),
        ("invalid_timestamp", invalid("X-TC-Timestamp")),
        (
            "invalid_authorization",
            catalog(common::AUTH_FAILURE_INVALID_AUTHORIZATION, lang),
        ),
        (
            "unsupported_protocol",
            catalog(common::UNSUPPORTED_PROTOCOL, lang),
        ),
        ("missing_action", missing("X-TC-Action")),
        ("missing_version", missing("X-TC-Version")),
        // The layer's checks come first: an unserved version before an unknown action, a stale
        // timestamp before a bad `Authorization`.
        (
            "version_before_action",
            catalog(common::NO_SUCH_VERSION, lang),
        ),
        (
            "expired_before_authorization",
            catalog(common::AUTH_FAILURE_SIGNATURE_EXPIRE, lang),
        ),
        (
            "request_size_limit_exceeded",
            Expect::Err(
                common::REQUEST_SIZE_LIMIT_EXCEEDED.name(),
                pick(
                    "请求包超过限制大小（10485760 字节）。".into(),
                    "The request body exceeds the size limit of 10485760 bytes.".into(),
                ),
            ),
        ),
        ("fault_panic", Expect::Fault),
        ("fault_internal", Expect::Fault),
    ]
}

fn parse(output: &str) -> Vec<Outcome> {
    output
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("driver line is not a report ({e}): {line}"))
        })
        .collect()
}

fn language(tag: &str) -> Language {
    match tag {
        "zh-CN" => Language::ZhCn,
        "en-US" => Language::EnUs,
        other => panic!("driver reported an unknown language {other:?}"),
    }
}

/// Collects every failed check, so one run shows them all.
#[derive(Default)]
struct Failures(Vec<String>);

impl Failures {
    fn check(&mut self, ok: bool, case: &str, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(format!("{case}: {}", what()));
        }
    }

    fn assert_none(self, output: &str) {
        assert!(
            self.0.is_empty(),
            "{} failed checks:\n  {}\n\ndriver output:\n{output}",
            self.0.len(),
            self.0.join("\n  ")
        );
    }
}

fn is_uuid_v4(id: &str) -> bool {
    uuid::Uuid::parse_str(id)
        .is_ok_and(|uuid| uuid.get_version_num() == 4 && uuid.hyphenated().to_string() == id)
}

/// `YYYY-MM-DD HH:MM:SS`.
fn is_creation_time(text: &str) -> bool {
    text.len() == 19
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b' ',
            13 | 16 => b == b':',
            _ => b.is_ascii_digit(),
        })
}

/// Replaces every well-formed `CreationTime` with `<time>` (a malformed one stays, and fails the
/// comparison).
fn normalize(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match value {
                    Value::String(time) if key == "CreationTime" && is_creation_time(time) => {
                        *value = Value::String("<time>".into());
                    }
                    _ => normalize(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalize),
        _ => {}
    }
}

/// The checks every response passes, success or error: HTTP 200, `application/json` exactly,
/// a UUID v4 in `X-TC-RequestId`, and the SDK saw the same id.
fn check_transport(failures: &mut Failures, name: &str, outcome: &Outcome) -> Option<String> {
    if let Some(traceback) = &outcome.traceback {
        failures.check(false, name, || format!("driver error:\n{traceback}"));
    }
    // The SDK's models warn about fields they do not define: every response matches them.
    failures.check(outcome.warnings.is_empty(), name, || {
        format!("the SDK's models warned: {:?}", outcome.warnings)
    });
    failures.check(outcome.status == Some(200), name, || {
        format!("HTTP status {:?}, expected 200", outcome.status)
    });
    failures.check(
        outcome.content_type.as_deref() == Some("application/json"),
        name,
        || {
            format!(
                "content-type {:?}, expected exactly application/json",
                outcome.content_type
            )
        },
    );
    let Some(header_id) = outcome.header_request_id.clone() else {
        failures.check(false, name, || "no X-TC-RequestId header".into());
        return None;
    };
    failures.check(is_uuid_v4(&header_id), name, || {
        format!("X-TC-RequestId {header_id:?} is not a lower-case UUID v4")
    });
    failures.check(
        outcome.request_id.as_deref() == Some(header_id.as_str()),
        name,
        || {
            format!(
                "the SDK's request id {:?} differs from X-TC-RequestId {header_id:?}",
                outcome.request_id
            )
        },
    );
    Some(header_id)
}

fn check_success(failures: &mut Failures, name: &str, outcome: &Outcome, expected: &Value) {
    failures.check(!outcome.raised, name, || {
        format!(
            "expected success, the SDK raised {:?}: {:?}",
            outcome.code, outcome.message
        )
    });
    let Some(mut result) = outcome.result.clone() else {
        return;
    };
    // The SDK model's RequestId was compared with the header in `check_transport`.
    let model_id = result
        .as_object_mut()
        .and_then(|map| map.remove("RequestId"));
    failures.check(
        model_id.as_ref().and_then(Value::as_str) == outcome.header_request_id.as_deref(),
        name,
        || format!("the model's RequestId {model_id:?} differs from the header"),
    );
    normalize(&mut result);
    failures.check(&result == expected, name, || {
        format!("result {result}, expected {expected}")
    });
    let body: Option<Value> = outcome
        .body
        .as_deref()
        .and_then(|body| serde_json::from_str(body).ok());
    let body_id = body
        .as_ref()
        .and_then(|body| body.pointer("/Response/RequestId"))
        .and_then(Value::as_str);
    failures.check(
        body_id == outcome.header_request_id.as_deref(),
        name,
        || {
            format!(
                "body {:?} lacks Response.RequestId = header id",
                outcome.body
            )
        },
    );
}

fn check_error(
    failures: &mut Failures,
    name: &str,
    outcome: &Outcome,
    code: &str,
    message: &str,
    id: Option<&str>,
) {
    failures.check(outcome.raised, name, || {
        format!(
            "expected error {code}, the SDK returned {:?}",
            outcome.result
        )
    });
    failures.check(outcome.code.as_deref() == Some(code), name, || {
        format!("code {:?}, expected {code:?}", outcome.code)
    });
    failures.check(outcome.message.as_deref() == Some(message), name, || {
        format!("message {:?}, expected {message:?}", outcome.message)
    });
    let Some(id) = id else { return };
    // The raw body is exactly the documented envelope, nothing more.
    let envelope =
        json!({ "Response": { "Error": { "Code": code, "Message": message }, "RequestId": id } });
    let body: Option<Value> = outcome
        .body
        .as_deref()
        .and_then(|body| serde_json::from_str(body).ok());
    failures.check(body.as_ref() == Some(&envelope), name, || {
        format!("body {:?}, expected {envelope}", outcome.body)
    });
}

#[test]
fn official_sdk_reads_every_tcr_outcome_in_both_languages() {
    let logs = support::LogCapture::install();
    let server = support::Server::start(tencent_tcr::app(Config {
        faults: true,
        ..Config::default()
    }));
    let output = support::run_driver(DRIVER, &[&server.url()]);
    let outcomes = parse(&output);

    let mut expectations = BTreeMap::new();
    for lang in ["zh-CN", "en-US"] {
        for (case, expect) in expected(language(lang)) {
            expectations.insert((lang.to_owned(), case.to_owned()), expect);
        }
    }

    // Exactly the expected cases, each once: a driver that skips or repeats fails here.
    let ran: Vec<_> = outcomes
        .iter()
        .map(|o| (o.lang.clone(), o.case.clone()))
        .collect();
    let ran_set: BTreeSet<_> = ran.iter().cloned().collect();
    let expected_set: BTreeSet<_> = expectations.keys().cloned().collect();
    assert_eq!(ran.len(), ran_set.len(), "a case was reported twice");
    assert!(
        ran_set == expected_set,
        "cases run differ from the cases expected\nmissing: {:?}\nunexpected: {:?}",
        expected_set.difference(&ran_set).collect::<Vec<_>>(),
        ran_set.difference(&expected_set).collect::<Vec<_>>()
    );

    let mut failures = Failures::default();
    let mut ids = BTreeSet::new();
    for outcome in &outcomes {
        let lang = language(&outcome.lang);
        let name = format!("{}/{}", outcome.lang, outcome.case);
        let id = check_transport(&mut failures, &name, outcome);
        // No answer says `Connection: close`: the bodies the layer's checks, its rewrite of
        // axum's bare 404 and the extractor's limit leave unread are drained before the answer.
        failures.check(outcome.connection.is_none(), &name, || {
            format!("Connection {:?}, expected none", outcome.connection)
        });
        if let Some(id) = &id {
            failures.check(ids.insert(id.clone()), &name, || {
                format!("request id {id} was used twice")
            });
        }
        match &expectations[&(outcome.lang.clone(), outcome.case.clone())] {
            Expect::Ok(expected) => check_success(&mut failures, &name, outcome, expected),
            Expect::Err(code, message) => {
                check_error(&mut failures, &name, outcome, code, message, id.as_deref())
            }
            Expect::Fault => {
                let internal = common::INTERNAL_ERROR;
                let canonical = message(internal, lang);
                check_error(
                    &mut failures,
                    &name,
                    outcome,
                    internal.name(),
                    &canonical,
                    id.as_deref(),
                );
                let body = outcome.body.as_deref().unwrap_or_default();
                for leak in LEAKS {
                    failures.check(!body.contains(leak), &name, || {
                        format!("body leaks {leak:?}: {body}")
                    });
                }
                if let Some(id) = &id {
                    // The fault's detail is in the log, under the request id.
                    let lines = logs.lines_with(id);
                    failures.check(
                        lines.iter().any(|line| line.contains("hunter2")),
                        &name,
                        || format!("no log line with request id {id} and the fault: {lines:?}"),
                    );
                }
            }
        }
    }

    // A few messages as literal text, independent of the catalog.
    for (lang, case, text) in [
        ("zh-CN", "delete_repository_missing", "仓库不存在。"),
        (
            "en-US",
            "delete_repository_missing",
            "The repository does not exist.",
        ),
        ("zh-CN", "invalid_action", "接口不存在。"),
        (
            "en-US",
            "no_such_version",
            "The API version does not exist.",
        ),
        ("zh-CN", "fault_panic", "内部错误。"),
        ("en-US", "fault_internal", "An internal error occurred."),
    ] {
        let outcome = outcomes
            .iter()
            .find(|o| o.lang == lang && o.case == case)
            .expect("every expected case ran");
        failures.check(
            outcome.message.as_deref() == Some(text),
            &format!("{lang}/{case}"),
            || {
                format!(
                    "message {:?}, expected the literal {text:?}",
                    outcome.message
                )
            },
        );
    }
    failures.assert_none(&output);
}

#[test]
fn fault_header_is_ignored_without_faults() {
    let _logs = support::LogCapture::install();
    let server = support::Server::start(tencent_tcr::app(Config {
        faults: false,
        ..Config::default()
    }));
    let output = support::run_driver(DRIVER, &[&server.url(), "no-faults"]);
    let outcomes = parse(&output);

    let ran: Vec<_> = outcomes.iter().map(|o| o.case.as_str()).collect();
    assert_eq!(
        ran,
        ["fault_panic_ignored", "fault_internal_ignored"],
        "cases run"
    );
    let mut failures = Failures::default();
    let empty = json!({ "Data": { "NamespaceCount": 0, "NamespaceInfo": [] } });
    for outcome in &outcomes {
        let name = format!("{}/{}", outcome.lang, outcome.case);
        check_transport(&mut failures, &name, outcome);
        check_success(&mut failures, &name, outcome, &empty);
    }
    failures.assert_none(&output);
}
