//! Envelopes rendered by an inner layer are recognised by a private response-extension mark,
//! not by a header flag: layers between the two that touch the id header change nothing.

use std::convert::Infallible;

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use serde_json::Value;
use tower::{service_fn, Layer, ServiceBuilder, ServiceExt};
use tower_cloud_error::{bce, tencent, CloudError, CloudErrorLayer};
use tower_http::request_id::RequestId;
use tower_http::sensitive_headers::SetSensitiveResponseHeadersLayer;

async fn body_json(
    response: Response<impl http_body::Body<Error = impl std::fmt::Debug>>,
) -> Value {
    let body = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&body).unwrap()
}

/// An inner layer's envelope with a message of its own: rewriting it would lose the message.
macro_rules! inner_envelope {
    () => {
        CloudErrorLayer::bce().layer(service_fn(|_: Request<()>| async {
            Err::<Response<Full<Bytes>>, _>(
                CloudError::new(bce::eip::EIP_NOT_FOUND).with_message("eip-7 is gone"),
            )
        }))
    };
}

#[tokio::test]
async fn a_layer_marking_the_id_header_sensitive_keeps_nested_envelopes() {
    let service = ServiceBuilder::new()
        .layer(CloudErrorLayer::bce())
        .layer(SetSensitiveResponseHeadersLayer::new([
            bce::REQUEST_ID_HEADER,
        ]))
        .service(inner_envelope!());
    let response = service.oneshot(Request::new(())).await.unwrap();
    assert_eq!(response.status(), 404);
    let id = response.headers()["x-bce-request-id"].clone();
    let json = body_json(response).await;
    assert_eq!(json["code"], "EipNotFound");
    assert_eq!(json["message"], "eip-7 is gone");
    assert_eq!(json["requestId"], id.to_str().unwrap());
}

#[tokio::test]
async fn a_layer_rebuilding_the_id_header_keeps_nested_envelopes() {
    // The header value copied into a fresh `HeaderValue` (not sensitive): still recognised.
    let service = ServiceBuilder::new()
        .layer(CloudErrorLayer::bce())
        .map_response(|mut response: Response<_>| {
            let name = HeaderName::from_static("x-bce-request-id");
            let copied = HeaderValue::from_bytes(response.headers()[&name].as_bytes()).unwrap();
            assert!(!copied.is_sensitive());
            response.headers_mut().insert(name, copied);
            response
        })
        .service(inner_envelope!());
    let response = service.oneshot(Request::new(())).await.unwrap();
    assert_eq!(response.status(), 404);
    let json = body_json(response).await;
    assert_eq!(json["code"], "EipNotFound");
    assert_eq!(json["message"], "eip-7 is gone");
}

/// A handler's own 4xx carrying the request id (copied from the extensions), with a body of its
/// own, in the given style's header.
fn handler_own_4xx(
    header: HeaderName,
) -> impl tower::Service<Request<()>, Response = Response<Full<Bytes>>, Error = Infallible> + Clone
{
    service_fn(move |request: Request<()>| {
        let header = header.clone();
        async move {
            let id = request.extensions().get::<RequestId>().unwrap().clone();
            let mut response = Response::new(Full::new(Bytes::from_static(b"not json")));
            *response.status_mut() = StatusCode::NOT_FOUND;
            response
                .headers_mut()
                .insert(header, id.into_header_value());
            Ok::<_, Infallible>(response)
        }
    })
}

#[tokio::test]
async fn a_handlers_own_4xx_with_a_sensitive_id_header_is_still_rewritten() {
    let service = ServiceBuilder::new()
        .layer(CloudErrorLayer::bce())
        .layer(SetSensitiveResponseHeadersLayer::new([
            bce::REQUEST_ID_HEADER,
        ]))
        .service(handler_own_4xx(bce::REQUEST_ID_HEADER));
    let response = service.oneshot(Request::new(())).await.unwrap();
    assert_eq!(response.status(), 400, "BCE's InvalidURI for a bare 404");
    let id = response.headers()["x-bce-request-id"].clone();
    let json = body_json(response).await;
    assert_eq!(json["code"], "InvalidURI");
    assert_eq!(json["requestId"], id.to_str().unwrap());

    let service = ServiceBuilder::new()
        .layer(CloudErrorLayer::tencent())
        .layer(SetSensitiveResponseHeadersLayer::new([
            tencent::REQUEST_ID_HEADER,
        ]))
        .service(handler_own_4xx(tencent::REQUEST_ID_HEADER));
    let response = service.oneshot(Request::new(())).await.unwrap();
    assert_eq!(response.status(), 200, "Tencent errors are HTTP 200");
    let json = body_json(response).await;
    assert_eq!(json["Response"]["Error"]["Code"], "InvalidAction");
}
