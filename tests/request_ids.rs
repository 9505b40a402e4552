//! One request, one id: generated, validated, shared by extensions, header and body.

use std::convert::Infallible;

use bytes::Bytes;
use http::{HeaderValue, Request, Response};
use http_body_util::{BodyExt, Full};
use serde_json::Value;
use tower::{service_fn, Layer, ServiceBuilder, ServiceExt};
use tower_cloud_error::request_id::{MakeRequestId, RequestId, MAX_REQUEST_ID_LEN};
use tower_cloud_error::{bce, CloudError, CloudErrorLayer};
use tower_http::request_id::SetRequestIdLayer;

/// A service that echoes the id it finds in its request extensions, or fails when asked.
fn echo_id(request: Request<()>) -> std::future::Ready<Result<Response<Full<Bytes>>, CloudError>> {
    if request.uri().path() == "/fail" {
        return std::future::ready(Err(CloudError::new(bce::eip::EIP_NOT_FOUND)));
    }
    let id = request
        .extensions()
        .get::<RequestId>()
        .map(|id| id.header_value().as_bytes().to_vec())
        .unwrap_or_default();
    std::future::ready(Ok(Response::new(Full::new(Bytes::from(id)))))
}

async fn send(
    layer: CloudErrorLayer<tower_cloud_error::bce::Bce, impl MakeRequestId + Clone + 'static>,
    request: Request<()>,
) -> (String, Bytes) {
    let response = layer
        .layer(service_fn(echo_id))
        .oneshot(request)
        .await
        .unwrap();
    let header = response.headers()["x-bce-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        response
            .headers()
            .get_all("x-bce-request-id")
            .iter()
            .count(),
        1
    );
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (header, body)
}

fn with_header(name: &str, value: &[u8]) -> Request<()> {
    let mut request = Request::new(());
    request.headers_mut().append(
        name.to_owned().parse::<http::HeaderName>().unwrap(),
        HeaderValue::from_bytes(value).unwrap(),
    );
    request
}

#[tokio::test]
async fn success_responses_carry_the_id_the_handler_saw() {
    let (header, body) = send(CloudErrorLayer::bce(), Request::new(())).await;
    assert_eq!(header.as_bytes(), &body[..]);
    assert_eq!(uuid::Uuid::parse_str(&header).unwrap().get_version_num(), 4);
}

#[tokio::test]
async fn error_body_and_header_carry_the_same_id() {
    let request = Request::builder().uri("/fail").body(()).unwrap();
    let (header, body) = send(CloudErrorLayer::bce(), request).await;
    let json: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["requestId"], header);
}

#[tokio::test]
async fn every_request_gets_a_fresh_id() {
    let mut seen = std::collections::HashSet::new();
    for _ in 0..100 {
        let (header, _) = send(CloudErrorLayer::bce(), Request::new(())).await;
        assert!(seen.insert(header));
    }
}

#[tokio::test]
async fn client_ids_are_ignored_by_default() {
    let request = with_header("x-bce-request-id", b"client-chosen-id");
    let (header, body) = send(CloudErrorLayer::bce(), request).await;
    assert_ne!(header, "client-chosen-id");
    assert_eq!(header.as_bytes(), &body[..]);
}

#[tokio::test]
async fn trusted_client_ids_are_reused_only_when_valid() {
    let layer = CloudErrorLayer::bce().trust_incoming_request_id(true);
    let (header, body) = send(
        layer.clone(),
        with_header("x-bce-request-id", b"client-id-1.a_b:c"),
    )
    .await;
    assert_eq!(header, "client-id-1.a_b:c");
    assert_eq!(&body[..], b"client-id-1.a_b:c");

    let long = vec![b'a'; MAX_REQUEST_ID_LEN + 1];
    let hostile: [&[u8]; 5] = [
        b"with space",
        b"semi;colon",
        b"caf\xc3\xa9",
        &long,
        b"tab\there",
    ];
    for value in hostile {
        let (header, body) = send(layer.clone(), with_header("x-bce-request-id", value)).await;
        assert_ne!(header.as_bytes(), value);
        assert_eq!(uuid::Uuid::parse_str(&header).unwrap().get_version_num(), 4);
        assert_eq!(header.as_bytes(), &body[..]);
    }

    // The same header twice is ambiguous: neither is used.
    let mut request = with_header("x-bce-request-id", b"first");
    request
        .headers_mut()
        .append("x-bce-request-id", HeaderValue::from_static("second"));
    let (header, _) = send(layer, request).await;
    assert!(header != "first" && header != "second");
}

#[tokio::test]
async fn an_outer_tower_http_request_id_is_reused() {
    #[derive(Clone)]
    struct Fixed;
    impl MakeRequestId for Fixed {
        fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
            Some(RequestId::new(HeaderValue::from_static("outer-layer-id")))
        }
    }
    let service = ServiceBuilder::new()
        .layer(SetRequestIdLayer::x_request_id(Fixed))
        .layer(CloudErrorLayer::bce())
        .service(service_fn(echo_id));
    let response = service.oneshot(Request::new(())).await.unwrap();
    assert_eq!(response.headers()["x-bce-request-id"], "outer-layer-id");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], b"outer-layer-id");
}

#[tokio::test]
async fn an_invalid_outer_id_is_replaced_everywhere() {
    #[derive(Clone)]
    struct Hostile;
    impl MakeRequestId for Hostile {
        fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
            Some(RequestId::new(HeaderValue::from_static(
                "has spaces; and=stuff",
            )))
        }
    }
    let service = ServiceBuilder::new()
        .layer(SetRequestIdLayer::x_request_id(Hostile))
        .layer(CloudErrorLayer::bce())
        .service(service_fn(echo_id));
    let response = service.oneshot(Request::new(())).await.unwrap();
    let header = response.headers()["x-bce-request-id"].clone();
    assert_ne!(header, "has spaces; and=stuff");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        header.as_bytes(),
        &body[..],
        "the handler saw the replacement id"
    );
}

#[tokio::test]
async fn a_pluggable_generator_is_used_and_none_falls_back_to_uuid() {
    #[derive(Clone, Default)]
    struct Counter(u64);
    impl MakeRequestId for Counter {
        fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
            self.0 += 1;
            Some(RequestId::new(
                HeaderValue::from_str(&format!("req-{}", self.0)).unwrap(),
            ))
        }
    }
    let (header, _) = send(
        CloudErrorLayer::bce().make_request_id(Counter::default()),
        Request::new(()),
    )
    .await;
    assert_eq!(header, "req-1");

    #[derive(Clone)]
    struct Declines;
    impl MakeRequestId for Declines {
        fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
            None
        }
    }
    let (header, _) = send(
        CloudErrorLayer::bce().make_request_id(Declines),
        Request::new(()),
    )
    .await;
    assert_eq!(uuid::Uuid::parse_str(&header).unwrap().get_version_num(), 4);
}

#[tokio::test]
async fn tencent_responses_carry_x_tc_requestid() {
    let service = CloudErrorLayer::tencent().layer(service_fn(|_: Request<()>| async {
        Ok::<_, Infallible>(Response::new(Full::new(Bytes::new())))
    }));
    let response = service.oneshot(Request::new(())).await.unwrap();
    let id = response.headers()["x-tc-requestid"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok());
    assert!(!response.headers().contains_key("x-bce-request-id"));
}
