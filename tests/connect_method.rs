//! `CONNECT` never gets a 2xx envelope: a 2xx answer to `CONNECT` opens a tunnel (hyper drops
//! the body and reads no further request), so Tencent's HTTP 200 errors answer it with 405.

mod raw_http;

use axum::routing::get;
use bytes::Bytes;
use http::{Method, Request, Response};
use http_body_util::{BodyExt, Full};
use raw_http::{serve, Connection};
use tower::{service_fn, Layer, ServiceExt};
use tower_cloud_error::{bce, tencent, CloudError, CloudErrorLayer, Style};

fn app<St: Style>(layer: CloudErrorLayer<St>) -> axum::Router {
    axum::Router::new()
        .route("/ping", get(|| async { "pong" }))
        .layer(layer)
}

/// A pipelined `CONNECT` and `GET /ping` on one connection: the envelope to `CONNECT` is not a
/// 2xx, and the `GET` after it is answered on the same connection.
async fn connect_then_get(app: axum::Router) -> (raw_http::Answer, raw_http::Answer) {
    let addr = serve(app).await;
    let mut connection = Connection::open(addr).await;
    assert!(
        connection
            .send(
                b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\
                  GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n",
            )
            .await
    );
    let connect = connection
        .answer("CONNECT")
        .await
        .expect("an answer to CONNECT");
    assert!(
        !(200..300).contains(&connect.status),
        "a 2xx to CONNECT opens a tunnel: {connect:?}"
    );
    let ping = connection
        .answer("GET")
        .await
        .expect("the pipelined request is answered");
    assert_eq!(ping.status, 200);
    (connect, ping)
}

#[tokio::test]
async fn tencent_answers_connect_with_405_and_the_next_request_is_served() {
    let (connect, ping) = connect_then_get(app(CloudErrorLayer::tencent())).await;
    assert_eq!(ping.body, b"pong");
    assert_eq!(connect.status, 405);
    assert_eq!(
        connect.header("content-type").as_deref(),
        Some("application/json")
    );
    let json = connect.json();
    let id = connect.header("x-tc-requestid").unwrap();
    assert_eq!(json["Response"]["RequestId"], id.as_str());
    assert!(json["Response"]["Error"]["Code"].is_string(), "{json}");

    // With the protocol checks, CONNECT is UnsupportedProtocol, still not a 2xx.
    let checked = app(CloudErrorLayer::new(
        tencent::Tencent::new().checks(tencent::Checks::new(&["2019-09-24"])),
    ));
    let (connect, ping) = connect_then_get(checked).await;
    assert_eq!(ping.json()["Response"]["Error"]["Code"], "MissingParameter");
    assert_eq!(connect.status, 405);
    assert_eq!(
        connect.json()["Response"]["Error"]["Code"],
        "UnsupportedProtocol"
    );
}

#[tokio::test]
async fn bce_answers_connect_with_its_documented_status_and_the_next_request_is_served() {
    let (connect, ping) = connect_then_get(app(CloudErrorLayer::bce())).await;
    assert_eq!(ping.body, b"pong");
    assert_eq!(connect.status, 400, "InvalidURI's documented status");
    assert_eq!(connect.json()["code"], "InvalidURI");
}

/// Every error, from either style, to a `CONNECT` request: never 2xx; other methods keep the
/// style's status (Tencent: 200).
#[tokio::test]
async fn no_error_answers_connect_with_a_2xx() {
    let errors = [
        CloudError::internal(),
        CloudError::new(tencent::common::INVALID_PARAMETER),
        CloudError::new(bce::common::ACCESS_DENIED),
    ];
    for error in errors {
        for method in [Method::CONNECT, Method::POST] {
            let request = || {
                Request::builder()
                    .method(method.clone())
                    .uri("/")
                    .body(())
                    .unwrap()
            };
            let failing = {
                let error = error.clone();
                service_fn(move |_: Request<()>| {
                    let error = error.clone();
                    async move { Err::<Response<Full<Bytes>>, _>(error) }
                })
            };
            let tencent = CloudErrorLayer::tencent()
                .layer(failing.clone())
                .oneshot(request())
                .await
                .unwrap();
            let bce = CloudErrorLayer::bce()
                .layer(failing)
                .oneshot(request())
                .await
                .unwrap();
            if method == Method::CONNECT {
                assert_eq!(tencent.status(), 405);
            } else {
                assert_eq!(tencent.status(), 200);
            }
            assert!(!bce.status().is_success(), "{}", bce.status());
            let body = tencent.into_body().collect().await.unwrap().to_bytes();
            let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert!(json["Response"]["Error"]["Code"].is_string());
        }
    }
}
