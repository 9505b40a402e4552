//! The two envelopes, exactly as PROTOCOL.md describes them, rendered through the real layer.

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use serde_json::{json, Value};
use tower::{service_fn, Layer, ServiceBuilder, ServiceExt};
use tower_cloud_error::bce::Bce;
use tower_cloud_error::tencent::Tencent;
use tower_cloud_error::{bce, tencent};
use tower_cloud_error::{BoxError, CloudError, CloudErrorLayer, Code, Language, Style};

/// Sends `request` through the layer of `style` to a service that fails with `error`.
async fn fail_with<St: Style>(
    style: St,
    request: Request<()>,
    error: CloudError,
) -> (Response<()>, Bytes) {
    let service = CloudErrorLayer::new(style).layer(service_fn(move |_: Request<()>| {
        let error = error.clone();
        async move { Err::<Response<Full<Bytes>>, _>(error) }
    }));
    let response = service.oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    (Response::from_parts(parts, ()), body)
}

fn json(body: &Bytes) -> Value {
    serde_json::from_slice(body).unwrap_or_else(|e| panic!("invalid JSON {body:?}: {e}"))
}

fn header<'a>(response: &'a Response<()>, name: &str) -> &'a str {
    response.headers()[name].to_str().unwrap()
}

#[tokio::test]
async fn bce_envelope_has_status_content_type_header_and_three_keys() {
    let (response, body) = fail_with(
        Bce::new(),
        Request::new(()),
        CloudError::new(bce::eip::EIP_NOT_FOUND),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        header(&response, "content-type"),
        "application/json; charset=utf-8"
    );
    let id = header(&response, "x-bce-request-id");
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 4);
    assert_eq!(
        json(&body),
        json!({"requestId": id, "code": "EipNotFound", "message": "The specified eip does not exist."})
    );
    // Key order and spelling exactly as documented.
    assert!(body.starts_with(br#"{"requestId":""#), "{body:?}");
}

#[tokio::test]
async fn tencent_envelope_is_http_200_with_exact_content_type() {
    let (response, body) = fail_with(
        Tencent::new(),
        Request::new(()),
        CloudError::new(tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "application/json");
    let id = header(&response, "x-tc-requestid");
    assert_eq!(
        json(&body),
        json!({"Response": {
            "Error": {
                "Code": "ResourceNotFound.ErrNoRepo",
                "Message": tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO.message_zh(),
            },
            "RequestId": id,
        }})
    );
}

#[tokio::test]
async fn tencent_language_follows_x_tc_language_then_the_default() {
    let code = tencent::common::RESOURCE_NOT_FOUND;
    let cases = [
        (Tencent::new(), Some("en-US"), code.message()),
        (Tencent::new(), Some("zh-CN"), code.message_zh()),
        (Tencent::new(), None, code.message_zh()),
        (Tencent::new(), Some("fr-FR"), code.message_zh()),
        (
            Tencent::new().default_language(Language::EnUs),
            None,
            code.message(),
        ),
        (
            Tencent::new().default_language(Language::EnUs),
            Some("zh-CN"),
            code.message_zh(),
        ),
    ];
    for (style, language, expected) in cases {
        let mut request = Request::new(());
        if let Some(language) = language {
            request
                .headers_mut()
                .insert("x-tc-language", language.parse().unwrap());
        }
        let (_, body) = fail_with(style, request, CloudError::new(code)).await;
        assert_eq!(
            json(&body)["Response"]["Error"]["Message"],
            expected,
            "{language:?}"
        );
    }
}

#[tokio::test]
async fn head_errors_have_no_body_but_keep_status_and_headers() {
    let request = Request::builder().method(Method::HEAD).body(()).unwrap();
    let (response, body) = fail_with(
        Bce::new(),
        request,
        CloudError::new(bce::common::ACCESS_DENIED),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(body.is_empty());
    // The length a GET would have received: the envelope's.
    let id_len = response.headers()["x-bce-request-id"].len();
    let get_body = format!(
        r#"{{"requestId":"{}","code":"AccessDenied","message":"Access denied."}}"#,
        "x".repeat(id_len)
    );
    assert_eq!(
        header(&response, "content-length"),
        get_body.len().to_string()
    );
    assert!(response.headers().contains_key("x-bce-request-id"));
    assert_eq!(
        header(&response, "content-type"),
        "application/json; charset=utf-8"
    );
}

#[tokio::test]
async fn messages_of_any_content_render_as_valid_bounded_json() {
    let hostile = [
        "\"}\n{\"code\":\"Injected\"".to_owned(),
        "\u{0}\u{1}\u{1f}\u{7f}\\".to_owned(),
        "中文 🦀 \u{2028}".to_owned(),
        "x".repeat(10 * CloudError::MAX_MESSAGE_LEN),
        "é".repeat(CloudError::MAX_MESSAGE_LEN),
    ];
    for message in hostile {
        let error = CloudError::new(bce::common::INAPPROPRIATE_JSON).with_message(message.clone());
        let (_, body) = fail_with(Bce::new(), Request::new(()), error.clone()).await;
        let rendered = json(&body)["message"].as_str().unwrap().to_owned();
        assert!(rendered.len() <= CloudError::MAX_MESSAGE_LEN);
        if message.len() <= CloudError::MAX_MESSAGE_LEN {
            assert_eq!(rendered, message);
        }
        assert_eq!(json(&body)["code"], "InappropriateJSON");

        let error =
            CloudError::new(tencent::common::INVALID_PARAMETER).with_message(message.clone());
        let (_, body) = fail_with(Tencent::new(), Request::new(()), error).await;
        let rendered = json(&body)["Response"]["Error"]["Message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(rendered.len() <= CloudError::MAX_MESSAGE_LEN);
    }
}

#[tokio::test]
async fn message_templates_take_arguments() {
    let error = CloudError::new(bce::common::REQUEST_EXPIRED).with_args(["2015-04-27T08:23:49Z"]);
    let (response, body) = fail_with(Bce::new(), Request::new(()), error).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        json(&body)["message"],
        "Request has expired. Timestamp date is 2015-04-27T08:23:49Z."
    );
}

#[tokio::test]
async fn internal_errors_always_render_the_canonical_message() {
    let leaky = CloudError::new(bce::common::INTERNAL_ERROR)
        .with_message("SELECT * FROM users WHERE password='hunter2'");
    let (response, body) = fail_with(Bce::new(), Request::new(()), leaky).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        json(&body)["message"],
        "We encountered an internal error. Please try again."
    );

    let sub_code = CloudError::new(tencent::tcr::INTERNAL_ERROR_DB_ERROR)
        .with_message("pq: password authentication failed for user admin");
    let (_, body) = fail_with(Tencent::new(), Request::new(()), sub_code).await;
    assert_eq!(
        json(&body)["Response"]["Error"],
        json!({"Code": "InternalError.DbError", "Message": tencent::tcr::INTERNAL_ERROR_DB_ERROR.message_zh()})
    );
}

#[tokio::test]
async fn a_code_of_the_other_dialect_is_answered_as_internal_error() {
    let (response, body) = fail_with(
        Tencent::new(),
        Request::new(()),
        CloudError::new(bce::eip::EIP_NOT_FOUND),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        json(&body)["Response"]["Error"],
        json!({"Code": "InternalError", "Message": tencent::common::INTERNAL_ERROR.message_zh()})
    );

    let (response, body) = fail_with(
        Bce::new(),
        Request::new(()),
        CloudError::new(tencent::common::INVALID_ACTION),
    )
    .await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(json(&body)["code"], "InternalError");
}

#[tokio::test]
async fn users_declare_codes_like_the_catalogs() {
    const KEYPAIR_NOT_EXIST: Code = bce::code(
        "Keypair.KeypairNotExist",
        404,
        "The keypair does not exist.",
    );
    let (response, body) = fail_with(Bce::new(), Request::new(()), KEYPAIR_NOT_EXIST.into()).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(json(&body)["code"], "Keypair.KeypairNotExist");
}

#[tokio::test]
async fn box_errors_are_searched_for_a_cloud_error_then_internal() {
    #[derive(Debug)]
    struct Context(BoxError);
    impl std::fmt::Display for Context {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("while binding")
        }
    }
    impl std::error::Error for Context {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&*self.0)
        }
    }
    let service = |error: fn() -> BoxError| {
        ServiceBuilder::new()
            .layer(CloudErrorLayer::bce())
            .service(service_fn(move |_: Request<()>| async move {
                Err::<Response<Full<Bytes>>, BoxError>(error())
            }))
    };
    let deep = service(|| {
        Box::new(Context(Box::new(Context(Box::new(Context(Box::new(
            CloudError::new(bce::eip::INSTANCE_ALREADY_BIND),
        )))))))
    });
    let response = deep.oneshot(Request::new(())).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(json(&body)["code"], "InstanceAlreadyBind");

    let opaque = service(|| "postgres://admin:s3cret@db/eip: connection refused".into());
    let response = opaque.oneshot(Request::new(())).await.unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(!String::from_utf8_lossy(&body).contains("s3cret"));
    assert_eq!(json(&body)["code"], "InternalError");
}
