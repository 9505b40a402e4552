//! Successful responses pass through untouched but for the request-id header.

use std::convert::Infallible;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body::Body;
use http_body_util::BodyExt;
use tower::{service_fn, Layer, ServiceExt};
use tower_cloud_error::CloudErrorLayer;

#[tokio::test]
async fn status_headers_and_streamed_body_pass_through() {
    let service = CloudErrorLayer::bce().layer(service_fn(|_: Request<()>| async {
        let mut response = Response::new(Chunks(vec!["three", "two", "one"]));
        *response.status_mut() = StatusCode::ACCEPTED;
        response
            .headers_mut()
            .insert("etag", "\"v1\"".parse().unwrap());
        response
            .headers_mut()
            .insert("content-type", "application/json".parse().unwrap());
        // A handler's own id header is replaced: one request, one id.
        response
            .headers_mut()
            .insert("x-bce-request-id", "handler-made-up".parse().unwrap());
        Ok::<_, Infallible>(response)
    }));
    let response = service.oneshot(Request::new(())).await.unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(response.headers()["etag"], "\"v1\"");
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_ne!(response.headers()["x-bce-request-id"], "handler-made-up");
    assert_eq!(response.headers().len(), 3);

    let mut body = response.into_body();
    let mut chunks = Vec::new();
    while let Some(frame) = body.frame().await {
        chunks.push(frame.unwrap().into_data().unwrap());
    }
    assert_eq!(chunks, ["one", "two", "three"]);
    assert!(body.is_end_stream());
}

#[tokio::test]
async fn informational_redirect_and_success_statuses_pass_through() {
    for status in [200, 201, 204, 301, 304] {
        let service = CloudErrorLayer::bce().layer(service_fn(move |_: Request<()>| async move {
            let mut response = Response::new(Chunks(vec!["body"]));
            *response.status_mut() = StatusCode::from_u16(status).unwrap();
            Ok::<_, Infallible>(response)
        }));
        let response = service.oneshot(Request::new(())).await.unwrap();
        assert_eq!(response.status(), status);
        assert!(response.headers().contains_key("x-bce-request-id"));
    }
}

/// A body that streams its chunks one frame at a time (popped from the end).
struct Chunks(Vec<&'static str>);

impl Body for Chunks {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        std::task::Poll::Ready(
            self.0
                .pop()
                .map(|chunk| Ok(http_body::Frame::data(Bytes::from_static(chunk.as_bytes())))),
        )
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_empty()
    }
}
