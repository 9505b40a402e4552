//! The most specific code in an error's chain wins, through the real layer.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use serde_json::Value;
use tower::{service_fn, BoxError, Layer, Service, ServiceBuilder, ServiceExt};
use tower_cloud_error::{bce, tencent};
use tower_cloud_error::{CloudError, CloudErrorLayer, Style};

#[derive(Debug)]
struct Context(&'static str, BoxError);
impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}
impl StdError for Context {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.1)
    }
}

async fn body_json<B: http_body::Body>(response: Response<B>) -> Value
where
    B::Error: fmt::Debug,
{
    let body = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&body).unwrap()
}

async fn fail<St: Style>(
    layer: CloudErrorLayer<St>,
    error: fn() -> BoxError,
) -> (StatusCode, Value) {
    let response = layer
        .layer(service_fn(move |_: Request<()>| async move {
            Err::<Response<Full<Bytes>>, BoxError>(error())
        }))
        .oneshot(Request::new(()))
        .await
        .unwrap();
    (response.status(), body_json(response).await)
}

#[tokio::test]
async fn an_error_three_levels_deep_answers_its_own_code() {
    let (status, json) = fail(CloudErrorLayer::bce(), || {
        Box::new(Context(
            "handling the request",
            Box::new(Context(
                "releasing the eip",
                Box::new(Context(
                    "checking billing",
                    Box::new(CloudError::new(bce::eip::PREPAY_EIP)),
                )),
            )),
        ))
    })
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(json["code"], "PrepayEip");
}

#[tokio::test]
async fn an_explicit_code_is_never_replaced_by_its_source() {
    // The handler chose `ResourceNotFound`; the sub-code in its source is for the logs.
    let (_, json) = fail(CloudErrorLayer::tencent(), || {
        Box::new(
            CloudError::new(tencent::common::RESOURCE_NOT_FOUND).with_source(Context(
                "looking up the repository",
                Box::new(CloudError::new(
                    tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO,
                )),
            )),
        )
    })
    .await;
    assert_eq!(json["Response"]["Error"]["Code"], "ResourceNotFound");
}

#[tokio::test]
async fn serde_json_errors_in_a_chain_are_recognized() {
    let (status, json) = fail(CloudErrorLayer::bce(), || {
        Box::new(Context(
            "parsing the body",
            Box::new(serde_json::from_str::<Value>("{\"a\":").unwrap_err()),
        ))
    })
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(json["code"], "MalformedJSON");
}

#[tokio::test]
async fn registered_user_errors_are_recognized_anywhere_in_the_chain() {
    #[derive(Debug)]
    struct QuotaExceeded;
    impl fmt::Display for QuotaExceeded {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("quota exceeded")
        }
    }
    impl StdError for QuotaExceeded {}

    let layer = CloudErrorLayer::bce()
        .recognize(|_: &QuotaExceeded| CloudError::new(bce::eip::EXCEED_LIMIT));
    let (status, json) = fail(layer, || {
        Box::new(Context("creating the eip", Box::new(QuotaExceeded)))
    })
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json["code"], "ExceedLimit");
}

#[tokio::test]
async fn tower_timeouts_are_recognized() {
    let slow = service_fn(|_: Request<()>| async {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        Ok::<_, BoxError>(Response::new(Full::new(Bytes::new())))
    });
    let service = ServiceBuilder::new()
        .layer(CloudErrorLayer::tencent())
        .timeout(Duration::from_millis(1))
        .service(slow);
    let response = service.oneshot(Request::new(())).await.unwrap();
    let json = body_json(response).await;
    assert_eq!(json["Response"]["Error"]["Code"], "ServiceUnavailable");

    let slow = service_fn(|_: Request<()>| async {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        Ok::<_, BoxError>(Response::new(Full::new(Bytes::new())))
    });
    let service = ServiceBuilder::new()
        .layer(CloudErrorLayer::bce())
        .timeout(Duration::from_millis(1))
        .service(slow);
    let response = service.oneshot(Request::new(())).await.unwrap();
    assert_eq!(response.status(), 500, "BCE documents no timeout code");
    assert_eq!(body_json(response).await["code"], "InternalError");
}

#[tokio::test]
async fn tower_load_shedding_is_recognized() {
    // A concurrency limit of 1 behind load shedding: the second request is shed.
    let (release, held) = tokio::sync::oneshot::channel::<()>();
    let held = std::sync::Arc::new(tokio::sync::Mutex::new(Some(held)));
    let inner = service_fn(move |_: Request<()>| {
        let held = held.clone();
        async move {
            // The first request holds the only slot until released.
            if let Some(held) = held.lock().await.take() {
                let _ = held.await;
            }
            Ok::<_, BoxError>(Response::new(Full::new(Bytes::new())))
        }
    });
    let mut service = ServiceBuilder::new()
        .layer(CloudErrorLayer::tencent())
        .load_shed()
        .concurrency_limit(1)
        .service(inner);
    let first = service.ready().await.unwrap().call(Request::new(()));
    let first = tokio::spawn(first);
    let shed = service
        .ready()
        .await
        .unwrap()
        .call(Request::new(()))
        .await
        .unwrap();
    let json = body_json(shed).await;
    assert_eq!(json["Response"]["Error"]["Code"], "ServiceUnavailable");
    drop(release);
    first.await.unwrap().unwrap();
}
