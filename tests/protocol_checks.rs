//! Opt-in protocol checks and date-quoting messages, through the real layer.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use serde_json::Value;
use tower::{service_fn, Layer, ServiceExt};
use tower_cloud_error::bce::common::REQUEST_EXPIRED;
use tower_cloud_error::bce::{Bce, Checks as BceChecks};
use tower_cloud_error::tencent::{Checks as TencentChecks, Tencent};
use tower_cloud_error::{CloudError, CloudErrorLayer, Style};

/// Sends `request` through the layer to a service that counts its calls and succeeds, or fails
/// with RequestExpired (without arguments) on `/expired`.
async fn send<St: Style>(style: St, request: Request<()>) -> (StatusCode, Value, usize) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    let service = CloudErrorLayer::new(style).layer(service_fn(move |request: Request<()>| {
        counted.fetch_add(1, Ordering::SeqCst);
        async move {
            if request.uri().path() == "/v1/expired" {
                return Err(CloudError::new(REQUEST_EXPIRED));
            }
            Ok::<_, CloudError>(Response::new(Full::new(Bytes::from_static(b"{}"))))
        }
    }));
    let response = service.oneshot(request).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&body).unwrap(),
        calls.load(Ordering::SeqCst),
    )
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn bce_checks_answer_before_the_inner_service() {
    let style = Bce::new().checks(BceChecks::new(&[1]));
    let request = Request::builder().uri("/v2/eip").body(()).unwrap();
    let (status, json, calls) = send(style.clone(), request).await;
    assert_eq!((status, calls), (StatusCode::NOT_FOUND, 0));
    assert_eq!(json["code"], "InvalidVersion");

    // The inner service never ran, so a body was left unread: the answer closes.
    let request = Request::builder()
        .method("POST")
        .uri("/v2/eip")
        .header("content-length", "2")
        .body(())
        .unwrap();
    let response = CloudErrorLayer::new(style.clone())
        .layer(service_fn(|_: Request<()>| async {
            Ok::<_, CloudError>(Response::new(Full::new(Bytes::new())))
        }))
        .oneshot(request)
        .await
        .unwrap();
    assert_eq!(response.headers()["connection"], "close");

    let request = Request::builder()
        .uri("/v1/eip")
        .header("date", "Wed, 06 Apr 2016 06:34:40 GMT")
        .body(())
        .unwrap();
    let (status, json, calls) = send(style.clone(), request).await;
    assert_eq!((status, calls), (StatusCode::BAD_REQUEST, 0));
    assert_eq!(json["code"], "RequestExpired");
    assert_eq!(
        json["message"],
        "Request has expired. Timestamp date is 2016-04-06T06:34:40Z."
    );

    let request = Request::builder().uri("/v1/eip").body(()).unwrap();
    let (status, _, calls) = send(style, request).await;
    assert_eq!((status, calls), (StatusCode::OK, 1));
}

#[tokio::test]
async fn request_expired_from_a_handler_quotes_the_request_date() {
    let request = Request::builder()
        .uri("/v1/expired")
        .header("x-bce-date", "2015-04-27T08:23:49Z")
        .header("date", "Wed, 06 Apr 2016 06:34:40 GMT")
        .body(())
        .unwrap();
    let (_, json, _) = send(Bce::new(), request).await;
    assert_eq!(
        json["message"],
        "Request has expired. Timestamp date is 2015-04-27T08:23:49Z."
    );

    let request = Request::builder()
        .uri("/v1/expired")
        .header("date", "Sun, 06 Nov 1994 08:49:37 GMT")
        .body(())
        .unwrap();
    let (_, json, _) = send(Bce::new(), request).await;
    assert_eq!(
        json["message"],
        "Request has expired. Timestamp date is 1994-11-06T08:49:37Z."
    );
}

#[tokio::test]
async fn tencent_checks_answer_before_the_inner_service() {
    let style = Tencent::new().checks(TencentChecks::new(&["2019-09-24"]));
    let now = unix_now().to_string();
    let stale = (unix_now() - 10 * 60).to_string();
    let build = |method: &str, timestamp: &str, version: &str| {
        Request::builder()
            .method(method)
            .uri("/")
            .header("x-tc-action", "DescribeNamespacePersonal")
            .header("x-tc-version", version)
            .header("x-tc-timestamp", timestamp)
            .header("x-tc-language", "en-US")
            .body(())
            .unwrap()
    };
    for (request, code) in [
        (build("PUT", &now, "2019-09-24"), "UnsupportedProtocol"),
        (
            build("POST", &stale, "2019-09-24"),
            "AuthFailure.SignatureExpire",
        ),
        (build("POST", &now, "2017-03-12"), "NoSuchVersion"),
    ] {
        let (status, json, calls) = send(style.clone(), request).await;
        assert_eq!((status, calls), (StatusCode::OK, 0));
        assert_eq!(json["Response"]["Error"]["Code"], code);
    }
    let (_, json, calls) = send(style, build("POST", &now, "2019-09-24")).await;
    assert_eq!(calls, 1);
    assert_eq!(json, serde_json::json!({}));
}

#[tokio::test]
async fn checks_are_off_by_default() {
    let request = Request::builder()
        .method("PUT")
        .uri("/v9/x")
        .body(())
        .unwrap();
    let (status, _, calls) = send(Tencent::new(), request).await;
    assert_eq!((status, calls), (StatusCode::OK, 1));
}
