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
use crate::catalog::bce::common::{INAPPROPRIATE_JSON, INVALID_HTTP_REQUEST, MALFORMED_JSON};
use crate::code::Code;
use crate::error::CloudError;
use crate::into_cloud_error::BoxError;

/// The body limit of the `BceJson` extractor, 2 MiB. BCE documents no limit; this
/// is axum's default.
pub const DEFAULT_LIMIT: usize = 2 * 1024 * 1024;

/// Parses a BCE JSON body: `MalformedJSON` unless it is well-formed, `InappropriateJSON` unless
/// it fits `T` (unknown items ignored), then `T`'s [`Validate`] check.
///
/// ```
/// use serde::Deserialize;
/// use tower_cloud_error::bce::common;
/// use tower_cloud_error::{bce, Validate};
/// use tower_cloud_error::Language;
///
/// #[derive(Debug, Deserialize)]
/// #[serde(rename_all = "camelCase")]
/// struct ResizeEip {
///     new_bandwidth_in_mbps: u32,
/// }
/// impl Validate for ResizeEip {}
///
/// // Unknown items are ignored.
/// let ok: ResizeEip = bce::from_slice(br#"{"newBandwidthInMbps":10,"future":true}"#).unwrap();
/// assert_eq!(ok.new_bandwidth_in_mbps, 10);
///
/// // A syntax error anywhere is MalformedJSON, even after an item of the wrong type.
/// let err = bce::from_slice::<ResizeEip>(br#"{"newBandwidthInMbps":"ten","#).unwrap_err();
/// assert_eq!(err.code(), Some(&common::MALFORMED_JSON));
///
/// let err = bce::from_slice::<ResizeEip>(br#"{"newBandwidthInMbps":"ten"}"#).unwrap_err();
/// assert_eq!(err.code(), Some(&common::INAPPROPRIATE_JSON));
/// assert_eq!(
///     err.message(Language::EnUs),
///     "The JSON you provided was well-formed and valid, but not appropriate for this \
///      operation: `newBandwidthInMbps`: invalid type: string \"ten\", expected u32."
/// );
/// ```
///
/// # Errors
///
/// `InvalidHTTPRequest`, `MalformedJSON`, `InappropriateJSON` or `T`'s validation error, as
/// the [module docs](crate::bce#json-bodies) lay out.
pub fn from_slice<'de, T>(bytes: &'de [u8]) -> Result<T, CloudError>
where
    T: Deserialize<'de> + Validate,
{
    let value: T = parse::from_slice(bytes, Unknown::Ignore).map_err(problem)?;
    value.validate()?;
    Ok(value)
}

/// Reads a `T` from JSON that is already parsed (a form field, a message from a queue): as
/// [`from_slice`] without the syntax step.
///
/// ```
/// use serde::Deserialize;
/// use serde_json::json;
/// use tower_cloud_error::bce::common;
/// use tower_cloud_error::{bce, Validate};
///
/// #[derive(Deserialize)]
/// #[serde(rename_all = "camelCase")]
/// struct Bind {
///     instance_type: String,
///     instance_id: String,
/// }
/// impl Validate for Bind {}
///
/// let err = bce::from_value::<Bind>(&json!({ "instanceType": "BCC" })).err().unwrap();
/// assert_eq!(err.code(), Some(&common::INAPPROPRIATE_JSON));
/// assert!(err.to_string().ends_with("missing field `instanceId`."));
/// ```
///
/// # Errors
///
/// `InappropriateJSON` or `T`'s validation error.
pub fn from_value<'de, T>(value: &'de Value) -> Result<T, CloudError>
where
    T: Deserialize<'de> + Validate,
{
    let value: T = parse::from_value(value, Unknown::Ignore).map_err(misfit)?;
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
/// use tower_cloud_error::bce::common;
/// use tower_cloud_error::bce;
///
/// let body = Full::new(Bytes::from_static(br#"{"name":"web"}"#));
/// let value: Value = bce::from_body(body, bce::DEFAULT_LIMIT).await.unwrap();
/// assert_eq!(value["name"], "web");
///
/// let body = Full::new(Bytes::from(vec![b' '; 2048]));
/// let err = bce::from_body::<Value, _>(body, 1024).await.unwrap_err();
/// assert_eq!(err.code(), Some(&common::INVALID_HTTP_REQUEST));
/// assert!(err.to_string().ends_with("the body is larger than 1024 bytes."));
/// # }
/// ```
///
/// # Errors
///
/// `InvalidHTTPRequest` for a body over the limit or one that fails, then as [`from_slice`].
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
/// use tower_cloud_error::bce::common;
/// use tower_cloud_error::bce;
///
/// let body = Full::new(Bytes::from_static(b"{}"));
/// assert_eq!(bce::read_body(body, bce::DEFAULT_LIMIT).await.unwrap(), "{}");
///
/// let body = Full::new(Bytes::from(vec![b' '; 2048]));
/// let err = bce::read_body(body, 1024).await.unwrap_err();
/// assert_eq!(err.code(), Some(&common::INVALID_HTTP_REQUEST));
/// # }
/// ```
///
/// # Errors
///
/// `InvalidHTTPRequest` for a body over the limit, `InvalidHTTPRequest` for one that fails.
pub async fn read_body<B>(body: B, limit: usize) -> Result<Bytes, CloudError>
where
    B: Body,
    B::Error: Into<BoxError>,
{
    body::read(body, limit).await.map_err(|error| match error {
        ReadError::TooLarge => {
            invalid_http_request(format!("the body is larger than {limit} bytes"))
                .leaving_body_unread()
        }
        // An outer limit fired first: its number is not ours to quote.
        ReadError::OverOuterLimit => {
            invalid_http_request("the body is larger than the service accepts".to_owned())
                .leaving_body_unread()
        }
        ReadError::Failed(error) => {
            invalid_http_request("the body could not be read".to_owned()).with_source(error)
        }
    })
}

/// Checks that the request declares a JSON body: `Content-Type: application/json`, any
/// parameters, a `charset` (if any) of UTF-8.
///
/// ```
/// use http::{header::CONTENT_TYPE, HeaderMap, HeaderValue};
/// use tower_cloud_error::bce::common;
/// use tower_cloud_error::bce;
///
/// let mut headers = HeaderMap::new();
/// headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json;charset=utf-8"));
/// assert!(bce::check_content_type(&headers).is_ok());
///
/// headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
/// let err = bce::check_content_type(&headers).unwrap_err();
/// assert_eq!(err.code(), Some(&common::INVALID_HTTP_REQUEST));
/// ```
///
/// # Errors
///
/// `InvalidHTTPRequest` when the header is absent or names something else.
pub fn check_content_type(headers: &HeaderMap) -> Result<(), CloudError> {
    if content_type::is_json(headers) {
        Ok(())
    } else {
        Err(invalid_http_request(
            "the content type must be application/json (UTF-8)".to_owned(),
        ))
    }
}

/// `InappropriateJSON` with `detail` after the documented message: `The JSON you provided was
/// well-formed and valid, but not appropriate for this operation: <detail>.` For
/// [`Validate`] implementations.
///
/// `detail` is echoed bounded (384 characters) and with control, bidirectional and zero-width
/// characters replaced, since it often quotes the request.
///
/// ```
/// use tower_cloud_error::bce::common;
/// use tower_cloud_error::bce;
/// use tower_cloud_error::Language;
///
/// let err = bce::inappropriate_json("bandwidthInMbps must be from 1 to 200");
/// assert_eq!(err.code(), Some(&common::INAPPROPRIATE_JSON));
/// assert_eq!(
///     err.message(Language::EnUs),
///     "The JSON you provided was well-formed and valid, but not appropriate for this \
///      operation: bandwidthInMbps must be from 1 to 200."
/// );
/// ```
#[must_use]
pub fn inappropriate_json(detail: &str) -> CloudError {
    detailed(INAPPROPRIATE_JSON, &echo::detail(detail))
}

/// The style's code for a parse problem.
fn problem(problem: Problem) -> CloudError {
    match problem {
        Problem::Encoding(error) => invalid_http_request(format!(
            "the body is not valid UTF-8 (byte {})",
            error.valid_up_to()
        ))
        .with_source(error),
        Problem::Syntax(error) => CloudError::new(MALFORMED_JSON).with_source(error),
        Problem::Misfit(misfit) => self::misfit(misfit),
    }
}

fn misfit(misfit: Misfit) -> CloudError {
    let detail = if misfit.kind == MisfitKind::Missing {
        format!("missing field `{}`", echo::name(&misfit.path))
    } else if misfit.path.is_empty() {
        if !misfit.body_is_object
            && matches!(misfit.kind, MisfitKind::Type | MisfitKind::Null)
            && expects_object(&misfit.description)
        {
            "the body must be a JSON object".to_owned()
        } else {
            echo::detail(&without_struct_name(&misfit.description))
        }
    } else {
        format!(
            "`{}`: {}",
            echo::name(&misfit.path),
            echo::detail(&without_struct_name(&misfit.description))
        )
    };
    detailed(INAPPROPRIATE_JSON, &detail).with_source(misfit.source)
}

/// Whether serde's `invalid type: X, expected Y` expected an object.
fn expects_object(description: &str) -> bool {
    description.starts_with("invalid type: ")
        && (description.contains(", expected struct ") || description.contains(", expected a map"))
}

/// `expected struct CreateEipRequest` → `expected a JSON object`: serde's default wording
/// names the Rust type, which is none of the client's business.
fn without_struct_name(description: &str) -> std::borrow::Cow<'_, str> {
    const STRUCT: &str = "expected struct ";
    let Some(at) = description.find(STRUCT) else {
        return description.into();
    };
    let rest = &description[at + STRUCT.len()..];
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    format!(
        "{}expected a JSON object{}",
        &description[..at],
        &rest[end..]
    )
    .into()
}

fn invalid_http_request(detail: String) -> CloudError {
    detailed(INVALID_HTTP_REQUEST, &detail)
}

/// `code`'s documented message, its full stop replaced by `: <detail>.`
fn detailed(code: Code, detail: &str) -> CloudError {
    let message = code.message().trim_end_matches('.');
    let detail = detail.trim_end_matches('.');
    CloudError::new(code).with_message(format!("{message}: {detail}."))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;
    use crate::Language;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Create {
        bandwidth_in_mbps: u32,
        billing: Billing,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Billing {
        payment_timing: Timing,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    enum Timing {
        Prepaid,
        Postpaid,
    }

    impl Validate for Create {}

    fn failure(json: &str) -> (Code, String) {
        let err = from_slice::<Create>(json.as_bytes()).unwrap_err();
        (
            *err.code().unwrap(),
            err.message(Language::EnUs).into_owned(),
        )
    }

    const PREFIX: &str =
        "The JSON you provided was well-formed and valid, but not appropriate for this operation: ";

    #[test]
    fn inappropriate_messages_name_the_item() {
        for (json, detail) in [
            (r#"{"billing":{"paymentTiming":"Postpaid"}}"#, "missing field `bandwidthInMbps`."),
            (r#"{"bandwidthInMbps":1,"billing":{}}"#, "missing field `billing.paymentTiming`."),
            (
                r#"{"bandwidthInMbps":1,"billing":{"paymentTiming":"Weekly"}}"#,
                "`billing.paymentTiming`: unknown variant `Weekly`, expected `Prepaid` or `Postpaid`.",
            ),
            (
                r#"{"bandwidthInMbps":1,"billing":["Postpaid"]}"#,
                "`billing`: invalid type: sequence, expected a JSON object.",
            ),
            (r#"[1,{"paymentTiming":"Postpaid"}]"#, "the body must be a JSON object."),
            ("null", "the body must be a JSON object."),
        ] {
            let (code, message) = failure(json);
            assert_eq!(code, INAPPROPRIATE_JSON, "{json}");
            assert_eq!(message, format!("{PREFIX}{detail}"), "{json}");
        }
    }

    #[test]
    fn echoed_text_is_cleaned() {
        // serde escapes the value it quotes; the item's name is raw request text.
        let (_, message) = failure("{\"bandwidthInMbps\":\"\\u001b[31mred\\u202e\"}");
        assert!(message.contains(r#""\u{1b}[31mred\u{202e}""#), "{message}");
        let (_, message) = failure("{\"bandwidthInMbps\":1,\"billing\":{\"x\\u001b\\u202e`\":{}}}");
        assert!(
            message.ends_with("missing field `billing.paymentTiming`."),
            "{message}"
        );
        #[derive(Debug, Deserialize)]
        #[serde(transparent)]
        struct Counts(#[allow(dead_code)] std::collections::HashMap<String, u8>);
        impl Validate for Counts {}
        let err = from_slice::<Counts>("{\"a\\u001b\\u202e`\":\"x\"}".as_bytes());
        let message = err.unwrap_err().message(Language::EnUs).into_owned();
        assert!(
            message.contains("`a\u{FFFD}\u{FFFD}\u{FFFD}`: invalid type"),
            "{message}"
        );
    }

    #[test]
    fn other_problems() {
        assert_eq!(failure(r#"{"bandwidthInMbps":"#).0, MALFORMED_JSON);
        let (code, text) = failure("{\"a\":\"\u{e9}\"}");
        assert_eq!(code, INAPPROPRIATE_JSON, "{text}");
        let err = from_slice::<Create>(b"{\"a\":\"\xe9\"}").unwrap_err();
        assert_eq!(err.code(), Some(&INVALID_HTTP_REQUEST));
        assert_eq!(
            err.message(Language::EnUs),
            "There was an error in the body of your HTTP request: the body is not valid UTF-8 \
             (byte 6)."
        );
    }

    #[test]
    fn struct_names_are_not_echoed() {
        assert_eq!(
            without_struct_name("invalid type: sequence, expected struct Billing_2 here"),
            "invalid type: sequence, expected a JSON object here"
        );
        assert_eq!(without_struct_name("no struct"), "no struct");
    }
}
