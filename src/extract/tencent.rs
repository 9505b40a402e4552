//! See the provider module for the rules and messages (docs live there).

use bytes::Bytes;
use http::HeaderMap;
use http_body::Body;
use serde::de::{Deserialize, DeserializeOwned};
use serde_json::Value;

use super::body::{self, ReadError};
use super::content_type;
use super::echo;
use super::parse::{self, Misfit, MisfitKind, Problem, Unknown};
use super::validate::Validate;
use crate::catalog::tencent::common;
use crate::code::Code;
use crate::error::CloudError;
use crate::into_cloud_error::BoxError;

/// The body limit of the `TencentJson` extractor, 10 MiB, the documented limit
/// of a Tencent Cloud API 3.0 POST JSON request.
pub const DEFAULT_LIMIT: usize = 10 * 1024 * 1024;

// The catalog's wire names, with messages that name the parameter (`Code` equality is by wire
// name: these are the documented codes).
const MISSING_PARAMETER: Code = Code::tencent(
    "MissingParameter",
    "缺少必需参数 `{}`。",
    "The request is missing a required parameter `{}`.",
);
const UNKNOWN_PARAMETER: Code = Code::tencent(
    "UnknownParameter",
    "参数 `{}` 未定义，该接口不接受此参数。",
    "The parameter `{}` is not defined by this action.",
);
const INVALID_PARAMETER: Code = Code::tencent(
    "InvalidParameter",
    "参数 `{}` 的类型或格式错误。",
    "The parameter `{}` has the wrong type or format.",
);
const INVALID_PARAMETER_VALUE: Code = Code::tencent(
    "InvalidParameterValue",
    "参数 `{}` 的取值无效。",
    "The value of the parameter `{}` is invalid.",
);
const UNPARSEABLE: Code = Code::tencent(
    "InvalidParameter",
    "请求参数无法解析，POST 请求体须为 JSON 对象。",
    "The request parameters cannot be parsed: a POST body must be a JSON object.",
);
const NOT_JSON: Code = Code::tencent(
    "InvalidParameter",
    "POST 请求的 Content-Type 须为 application/json。",
    "A POST request must have the content type application/json.",
);
const UNREADABLE: Code = Code::tencent(
    "InvalidParameter",
    "请求体读取失败。",
    "The request body could not be read.",
);
const TOO_LARGE: Code = Code::tencent(
    "RequestSizeLimitExceeded",
    "请求包超过限制大小（{} 字节）。",
    "The request body exceeds the size limit of {} bytes.",
);

const TOO_LARGE_FOR_THE_SERVICE: Code = Code::tencent(
    "RequestSizeLimitExceeded",
    "请求包超过服务允许的大小。",
    "The request body exceeds the size the service accepts.",
);

/// Parses a Tencent Cloud API 3.0 JSON body into `T`, reporting unknown, missing and invalid
/// parameters by name, then runs `T`'s [`Validate`] check.
///
/// ```
/// use serde::Deserialize;
/// use tower_cloud_error::tencent::common;
/// use tower_cloud_error::{tencent, Validate};
/// use tower_cloud_error::Language;
///
/// #[derive(Debug, Deserialize)]
/// #[serde(rename_all = "PascalCase")]
/// struct DescribeInstances {
///     limit: Option<u32>,
///     filters: Option<Vec<Filter>>,
/// }
///
/// #[derive(Debug, Deserialize)]
/// #[serde(rename_all = "PascalCase")]
/// struct Filter {
///     name: String,
///     values: Vec<String>,
/// }
/// impl Validate for DescribeInstances {}
///
/// let ok: DescribeInstances = tencent::from_slice(br#"{"Limit":10}"#).unwrap();
/// assert_eq!(ok.limit, Some(10));
///
/// let err = tencent::from_slice::<DescribeInstances>(
///     br#"{"Filters":[{"Name":"zone","Values":[],"Bogus":1}]}"#,
/// )
/// .unwrap_err();
/// assert_eq!(err.code(), Some(&common::UNKNOWN_PARAMETER));
/// assert_eq!(
///     err.message(Language::EnUs),
///     "The parameter `Filters.0.Bogus` is not defined by this action."
/// );
/// assert_eq!(err.message(Language::ZhCn), "参数 `Filters.0.Bogus` 未定义，该接口不接受此参数。");
///
/// let err = tencent::from_slice::<DescribeInstances>(br#"{"Filters":[{"Name":"zone"}]}"#)
///     .unwrap_err();
/// assert_eq!(err.code(), Some(&common::MISSING_PARAMETER));
/// assert!(err.message(Language::EnUs).contains("`Filters.0.Values`"));
///
/// let err = tencent::from_slice::<DescribeInstances>(br#"{"Limit":"ten"}"#).unwrap_err();
/// assert_eq!(err.code(), Some(&common::INVALID_PARAMETER));
///
/// let err = tencent::from_slice::<DescribeInstances>(br#"{"Limit":-1}"#).unwrap_err();
/// assert_eq!(err.code(), Some(&common::INVALID_PARAMETER_VALUE));
/// ```
///
/// # Errors
///
/// `InvalidParameter`, `UnknownParameter`, `MissingParameter`, `InvalidParameterValue` or
/// `T`'s validation error, as the [module docs](crate::tencent#json-bodies) lay out.
pub fn from_slice<'de, T>(bytes: &'de [u8]) -> Result<T, CloudError>
where
    T: Deserialize<'de> + Validate,
{
    let value: T = parse::from_slice(bytes, Unknown::Report).map_err(problem)?;
    value.validate()?;
    Ok(value)
}

/// Reads a `T` from parameters that are already JSON: as [`from_slice`] without the syntax
/// step. For parameters that arrived in another form, such as a `GET` query turned into a JSON
/// object.
///
/// ```
/// use serde::Deserialize;
/// use serde_json::json;
/// use tower_cloud_error::tencent::common;
/// use tower_cloud_error::{tencent, Validate};
///
/// #[derive(Deserialize)]
/// #[serde(rename_all = "PascalCase")]
/// struct DeleteNamespace {
///     namespace: String,
/// }
/// impl Validate for DeleteNamespace {}
///
/// let err = tencent::from_value::<DeleteNamespace>(&json!({ "Namespace": "a", "Force": true }))
///     .err()
///     .unwrap();
/// assert_eq!(err.code(), Some(&common::UNKNOWN_PARAMETER));
/// ```
///
/// # Errors
///
/// `UnknownParameter`, `MissingParameter`, `InvalidParameter`, `InvalidParameterValue` or `T`'s
/// validation error.
pub fn from_value<'de, T>(value: &'de Value) -> Result<T, CloudError>
where
    T: Deserialize<'de> + Validate,
{
    let value: T = parse::from_value(value, Unknown::Report).map_err(misfit)?;
    value.validate()?;
    Ok(value)
}

/// Reads `body` (at most `limit` bytes, refused as soon as it is known to be larger) and parses
/// it with [`from_slice`]: the extraction for hyper and other `http_body::Body` users.
///
/// It does not look at the headers: call [`check_content_type`] first.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use bytes::Bytes;
/// use http_body_util::Full;
/// use serde_json::Value;
/// use tower_cloud_error::tencent::common;
/// use tower_cloud_error::tencent;
/// use tower_cloud_error::Language;
///
/// let body = Full::new(Bytes::from_static(br#"{"Namespace":"apps"}"#));
/// let value: Value = tencent::from_body(body, tencent::DEFAULT_LIMIT).await.unwrap();
/// assert_eq!(value["Namespace"], "apps");
///
/// let body = Full::new(Bytes::from(vec![b' '; 2048]));
/// let err = tencent::from_body::<Value, _>(body, 1024).await.unwrap_err();
/// assert_eq!(err.code(), Some(&common::REQUEST_SIZE_LIMIT_EXCEEDED));
/// assert_eq!(
///     err.message(Language::EnUs),
///     "The request body exceeds the size limit of 1024 bytes."
/// );
/// # }
/// ```
///
/// # Errors
///
/// `RequestSizeLimitExceeded` for a body over the limit, `InvalidParameter` for one that
/// fails, then as [`from_slice`].
pub async fn from_body<T, B>(body: B, limit: usize) -> Result<T, CloudError>
where
    T: DeserializeOwned + Validate,
    B: Body,
    B::Error: Into<BoxError>,
{
    let bytes = read_body(body, limit).await?;
    from_slice(&bytes)
}

/// Reads `body` whole, at most `limit` bytes (refused as soon as it is known to be larger):
/// the first half of [`from_body`], with the same codes.
///
/// For a service that learns the request's type only after reading it (a dispatch on the
/// query), or that answers some requests without parsing the body: read it anyway, so that the
/// connection can carry the next request (hyper closes a keep-alive connection whose request
/// body was left unread), then parse with [`from_slice`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use bytes::Bytes;
/// use http_body_util::Full;
/// use tower_cloud_error::tencent::common;
/// use tower_cloud_error::tencent;
///
/// let body = Full::new(Bytes::from_static(b"{}"));
/// assert_eq!(tencent::read_body(body, tencent::DEFAULT_LIMIT).await.unwrap(), "{}");
///
/// let body = Full::new(Bytes::from(vec![b' '; 2048]));
/// let err = tencent::read_body(body, 1024).await.unwrap_err();
/// assert_eq!(err.code(), Some(&common::REQUEST_SIZE_LIMIT_EXCEEDED));
/// # }
/// ```
///
/// # Errors
///
/// `RequestSizeLimitExceeded` for a body over the limit, `InvalidParameter` for one that fails.
pub async fn read_body<B>(body: B, limit: usize) -> Result<Bytes, CloudError>
where
    B: Body,
    B::Error: Into<BoxError>,
{
    body::read(body, limit).await.map_err(|error| match error {
        ReadError::TooLarge => CloudError::new(TOO_LARGE)
            .with_args([limit.to_string()])
            .leaving_body_unread(),
        // An outer limit fired first: its number is not ours to quote.
        ReadError::OverOuterLimit => {
            CloudError::new(TOO_LARGE_FOR_THE_SERVICE).leaving_body_unread()
        }
        ReadError::Failed(error) => CloudError::new(UNREADABLE).with_source(error),
    })
}

/// Checks that the request declares a JSON body: `Content-Type: application/json`, any
/// parameters, a `charset` (if any) of UTF-8.
///
/// ```
/// use http::{header::CONTENT_TYPE, HeaderMap, HeaderValue};
/// use tower_cloud_error::tencent::common;
/// use tower_cloud_error::tencent;
///
/// let mut headers = HeaderMap::new();
/// headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
/// assert!(tencent::check_content_type(&headers).is_ok());
///
/// headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
/// let err = tencent::check_content_type(&headers).unwrap_err();
/// assert_eq!(err.code(), Some(&common::INVALID_PARAMETER));
/// ```
///
/// # Errors
///
/// `InvalidParameter` when the header is absent or names something else.
pub fn check_content_type(headers: &HeaderMap) -> Result<(), CloudError> {
    if content_type::is_json(headers) {
        Ok(())
    } else {
        Err(CloudError::new(NOT_JSON))
    }
}

/// `MissingParameter` naming `parameter`, in both languages: ``The request is missing a
/// required parameter `X-TC-Timestamp`.`` For parameters read elsewhere (headers, the query).
///
/// Like every name here, `parameter` is echoed bounded and cleaned (see the
/// [module docs](crate::tencent#json-bodies)).
///
/// ```
/// use tower_cloud_error::tencent::common;
/// use tower_cloud_error::tencent;
/// use tower_cloud_error::Language;
///
/// let err = tencent::missing_parameter("X-TC-Timestamp");
/// assert_eq!(err.code(), Some(&common::MISSING_PARAMETER));
/// assert_eq!(err.message(Language::ZhCn), "缺少必需参数 `X-TC-Timestamp`。");
/// ```
#[must_use]
pub fn missing_parameter(parameter: &str) -> CloudError {
    named(MISSING_PARAMETER, parameter)
}

/// `UnknownParameter` naming `parameter`, in both languages: ``The parameter `Quota` is not
/// defined by this action.``
///
/// ```
/// use tower_cloud_error::tencent::common;
/// use tower_cloud_error::tencent;
///
/// let err = tencent::unknown_parameter("Quota");
/// assert_eq!(err.code(), Some(&common::UNKNOWN_PARAMETER));
/// ```
#[must_use]
pub fn unknown_parameter(parameter: &str) -> CloudError {
    named(UNKNOWN_PARAMETER, parameter)
}

/// `InvalidParameter` naming `parameter`, in both languages: ``The parameter `Limit` has the
/// wrong type or format.``
///
/// ```
/// use tower_cloud_error::tencent::common;
/// use tower_cloud_error::tencent;
/// use tower_cloud_error::Language;
///
/// let err = tencent::invalid_parameter("Limit");
/// assert_eq!(err.code(), Some(&common::INVALID_PARAMETER));
/// assert_eq!(err.message(Language::EnUs), "The parameter `Limit` has the wrong type or format.");
/// ```
#[must_use]
pub fn invalid_parameter(parameter: &str) -> CloudError {
    named(INVALID_PARAMETER, parameter)
}

/// `InvalidParameterValue` naming `parameter`, in both languages: ``The value of the parameter
/// `Limit` is invalid.`` For [`Validate`] implementations.
///
/// ```
/// use tower_cloud_error::tencent::common;
/// use tower_cloud_error::tencent;
/// use tower_cloud_error::Language;
///
/// let err = tencent::invalid_parameter_value("Filters.0.Values");
/// assert_eq!(err.code(), Some(&common::INVALID_PARAMETER_VALUE));
/// assert_eq!(err.message(Language::ZhCn), "参数 `Filters.0.Values` 的取值无效。");
/// ```
#[must_use]
pub fn invalid_parameter_value(parameter: &str) -> CloudError {
    named(INVALID_PARAMETER_VALUE, parameter)
}

fn named(code: Code, parameter: &str) -> CloudError {
    CloudError::new(code).with_args([echo::name(parameter)])
}

/// The style's code for a parse problem.
fn problem(problem: Problem) -> CloudError {
    match problem {
        Problem::Encoding(error) => CloudError::new(UNPARSEABLE).with_source(error),
        Problem::Syntax(error) => CloudError::new(UNPARSEABLE).with_source(error),
        Problem::Misfit(misfit) => self::misfit(misfit),
    }
}

fn misfit(misfit: Misfit) -> CloudError {
    let code = match misfit.kind {
        MisfitKind::Missing | MisfitKind::Null => MISSING_PARAMETER,
        MisfitKind::Unknown => UNKNOWN_PARAMETER,
        MisfitKind::Type => INVALID_PARAMETER,
        MisfitKind::Value => INVALID_PARAMETER_VALUE,
    };
    let error = if !misfit.path.is_empty() {
        named(code, &misfit.path)
    } else if misfit.body_is_object {
        // An item serde could not locate (inside `#[serde(flatten)]`): the catalog's message.
        CloudError::new(match misfit.kind {
            MisfitKind::Missing | MisfitKind::Null => common::MISSING_PARAMETER,
            MisfitKind::Unknown => common::UNKNOWN_PARAMETER,
            MisfitKind::Type => common::INVALID_PARAMETER,
            MisfitKind::Value => common::INVALID_PARAMETER_VALUE,
        })
    } else {
        // The body itself (`[]`, `"text"`, `null`) is not the parameters' object.
        CloudError::new(UNPARSEABLE)
    };
    error.with_source(misfit.source)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;
    use crate::Language;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    #[allow(dead_code)]
    struct Create {
        namespace: String,
        limit: Option<u8>,
    }

    impl Validate for Create {}

    fn err(json: &[u8]) -> CloudError {
        from_slice::<Create>(json).unwrap_err()
    }

    #[test]
    fn every_code_is_the_documented_one() {
        for (json, code) in [
            (
                &br#"{"Namespace":"a","Limit":"x"}"#[..],
                common::INVALID_PARAMETER,
            ),
            (
                br#"{"Namespace":"a","Limit":300}"#,
                common::INVALID_PARAMETER_VALUE,
            ),
            (br#"{"Limit":1}"#, common::MISSING_PARAMETER),
            (br#"{"Namespace":null}"#, common::MISSING_PARAMETER),
            (br#"{"Namespace":"a","Quota":1}"#, common::UNKNOWN_PARAMETER),
            (br#"{"Namespace":"a""#, common::INVALID_PARAMETER),
            (b"\xff", common::INVALID_PARAMETER),
            (b"[]", common::INVALID_PARAMETER),
        ] {
            assert_eq!(
                err(json).code(),
                Some(&code),
                "{}",
                String::from_utf8_lossy(json)
            );
        }
        assert_eq!(
            CloudError::new(TOO_LARGE).code(),
            Some(&common::REQUEST_SIZE_LIMIT_EXCEEDED)
        );
        assert_eq!(
            CloudError::new(NOT_JSON).code(),
            Some(&common::INVALID_PARAMETER)
        );
        assert_eq!(
            CloudError::new(UNREADABLE).code(),
            Some(&common::INVALID_PARAMETER)
        );
    }

    #[test]
    fn messages_name_the_parameter_in_both_languages() {
        let e = err(br#"{"Namespace":"a","Limit":"x"}"#);
        assert_eq!(
            e.message(Language::EnUs),
            "The parameter `Limit` has the wrong type or format."
        );
        assert_eq!(e.message(Language::ZhCn), "参数 `Limit` 的类型或格式错误。");
        let e = err(br#"{"Namespace":null}"#);
        assert_eq!(
            e.message(Language::EnUs),
            "The request is missing a required parameter `Namespace`."
        );
        let e = err(b"[]");
        assert_eq!(
            e.message(Language::EnUs),
            "The request parameters cannot be parsed: a POST body must be a JSON object."
        );
    }

    #[test]
    fn echoed_names_are_bounded_and_cleaned() {
        let long = format!(r#"{{"Namespace":"a","{}\n\u202e`":1}}"#, "N".repeat(500));
        let message = err(long.as_bytes()).message(Language::EnUs).into_owned();
        assert!(message.len() < 300, "{message}");
        assert!(
            message.contains(&format!("`{}…`", "N".repeat(128))),
            "{message}"
        );
        let short = r#"{"Namespace":"a","A\n\u202e`":1}"#;
        let message = err(short.as_bytes()).message(Language::EnUs).into_owned();
        assert!(message.contains("`A\u{FFFD}\u{FFFD}\u{FFFD}`"), "{message}");
    }
}
