//! Panics everywhere the layer can see them. Its own test binary: it silences the panic hook.

mod support;

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Once;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body::{Body, Frame};
use http_body_util::{BodyExt, Full};
use serde_json::Value;
use support::LogCapture;
use tower::{service_fn, Layer, Service, ServiceExt};
use tower_cloud_error::{bce, CloudError, CloudErrorLayer, IntoCloudError};

const CANONICAL: &str = "We encountered an internal error. Please try again.";
const SECRET: &str = "postgres://admin:hunter2@10.0.0.7/eip";

fn quiet_panics() -> LogCapture {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    LogCapture::install()
}

/// Asserts `response` is the BCE InternalError envelope without `SECRET`, and that the log has
/// a line with its request id; returns that line.
async fn assert_internal<B>(response: Response<B>, logs: &LogCapture) -> String
where
    B: Body,
    B::Error: std::fmt::Debug,
{
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let id = response.headers()["x-bce-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&body);
    assert!(!text.contains("hunter2"), "{text}");
    let json: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["code"], "InternalError");
    assert_eq!(json["message"], CANONICAL);
    assert_eq!(json["requestId"], id);
    let lines = logs.lines_with(&id);
    assert_eq!(
        lines.len(),
        1,
        "one log line per panic, with the id: {lines:?}"
    );
    assert!(lines[0].contains("panic in "), "{lines:?}");
    lines.join("\n")
}

#[tokio::test]
async fn panic_in_call_answers_internal_error() {
    let logs = quiet_panics();
    struct PanicsInCall;
    impl Service<Request<()>> for PanicsInCall {
        type Response = Response<Full<Bytes>>;
        type Error = Infallible;
        type Future = std::future::Ready<Result<Self::Response, Infallible>>;
        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
            Poll::Ready(Ok(()))
        }
        fn call(&mut self, _: Request<()>) -> Self::Future {
            panic!("{SECRET} in call")
        }
    }
    let response = CloudErrorLayer::bce()
        .layer(PanicsInCall)
        .oneshot(Request::new(()))
        .await
        .unwrap();
    let log = assert_internal(response, &logs).await;
    assert!(log.contains("panic in call"), "{log}");
    assert!(
        log.contains("hunter2"),
        "the server log keeps the panic message: {log}"
    );
}

#[tokio::test]
async fn panics_of_any_payload_type_in_the_future_answer_internal_error() {
    let logs = quiet_panics();
    #[derive(Debug)]
    struct CustomPayload(#[allow(dead_code)] &'static str);
    let payloads: Vec<fn()> = vec![
        || panic!("static str {}", "with hunter2"),
        || std::panic::panic_any("hunter2 as &'static str"),
        || std::panic::panic_any(format!("{SECRET} as String")),
        || std::panic::panic_any(CustomPayload(SECRET)),
        || std::panic::panic_any(42_u64),
    ];
    for raise in payloads {
        let service = CloudErrorLayer::bce().layer(service_fn(move |_: Request<()>| async move {
            raise();
            Ok::<_, Infallible>(Response::new(Full::new(Bytes::new())))
        }));
        let response = service.oneshot(Request::new(())).await.unwrap();
        assert_internal(response, &logs).await;
    }
}

#[tokio::test]
async fn a_panic_whose_payload_panics_on_drop_is_contained() {
    let logs = quiet_panics();
    struct PanicsOnDrop;
    impl Drop for PanicsOnDrop {
        fn drop(&mut self) {
            panic!("drop of the payload panicked too");
        }
    }
    let service = CloudErrorLayer::bce().layer(service_fn(|_: Request<()>| async {
        std::panic::panic_any(PanicsOnDrop);
        #[allow(unreachable_code)]
        Ok::<_, Infallible>(Response::new(Full::new(Bytes::new())))
    }));
    let response = service.oneshot(Request::new(())).await.unwrap();
    assert_internal(response, &logs).await;
}

#[tokio::test]
async fn panic_inside_into_cloud_error_answers_internal_error() {
    let logs = quiet_panics();
    #[derive(Debug)]
    struct Broken;
    impl IntoCloudError for Broken {
        fn into_cloud_error(self) -> CloudError {
            panic!("mapper broke on {SECRET}")
        }
    }
    let service = CloudErrorLayer::bce().layer(service_fn(|_: Request<()>| async {
        Err::<Response<Full<Bytes>>, _>(Broken)
    }));
    let response = service.oneshot(Request::new(())).await.unwrap();
    let log = assert_internal(response, &logs).await;
    assert!(log.contains("into_cloud_error"), "{log}");
}

/// A service whose `poll_ready` does what `ready` says on each call, then is ready.
struct Readiness {
    script: Vec<&'static str>,
}

impl Service<Request<()>> for Readiness {
    type Response = Response<Full<Bytes>>;
    type Error = CloudError;
    type Future = std::future::Ready<Result<Self::Response, CloudError>>;
    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), CloudError>> {
        match self.script.pop() {
            Some("panic") => panic!("{SECRET} in poll_ready"),
            Some("err") => Poll::Ready(Err(CloudError::new(bce::common::OPT_IN_REQUIRED))),
            _ => Poll::Ready(Ok(())),
        }
    }
    fn call(&mut self, _: Request<()>) -> Self::Future {
        std::future::ready(Ok(Response::new(Full::new(Bytes::from_static(b"ok")))))
    }
}

#[tokio::test]
async fn poll_ready_panics_and_errors_answer_every_later_request_without_polling_again() {
    let logs = quiet_panics();
    // Popped from the end: a panic (then nothing: the failed service is not polled again).
    let mut service = CloudErrorLayer::bce().layer(Readiness {
        script: vec!["ok", "panic"],
    });
    for _ in 0..2 {
        let response = service
            .ready()
            .await
            .unwrap()
            .call(Request::new(()))
            .await
            .unwrap();
        assert_internal(response, &logs).await;
    }
    assert_eq!(
        service.get_ref().script,
        ["ok"],
        "not polled after the panic"
    );

    // An error: answered to every request, the inner service not polled again.
    let mut service = CloudErrorLayer::bce().layer(Readiness {
        script: vec!["ok", "err"],
    });
    for _ in 0..2 {
        let response = service
            .ready()
            .await
            .unwrap()
            .call(Request::new(()))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(
            serde_json::from_slice::<Value>(&body).unwrap()["code"],
            "OptInRequired"
        );
    }
    assert_eq!(
        service.get_ref().script,
        ["ok"],
        "not polled after the error"
    );
}

/// Yields one frame, then panics.
struct PanickingBody {
    sent: bool,
}

impl Body for PanickingBody {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.sent {
            panic!("{SECRET} while streaming");
        }
        self.sent = true;
        Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b"first")))))
    }
}

#[tokio::test]
async fn panic_in_the_body_stream_ends_the_body_with_an_error_and_logs_the_id() {
    let logs = quiet_panics();
    let service = CloudErrorLayer::bce().layer(service_fn(|_: Request<()>| async {
        Ok::<_, Infallible>(Response::new(PanickingBody { sent: false }))
    }));
    let response = service.oneshot(Request::new(())).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let id = response.headers()["x-bce-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let mut body = response.into_body();
    let first = body.frame().await.unwrap().unwrap();
    assert_eq!(first.into_data().unwrap(), Bytes::from_static(b"first"));
    let error = body.frame().await.unwrap().unwrap_err();
    assert_eq!(error.to_string(), "response body panicked");
    assert!(body.frame().await.is_none(), "the body ends after a panic");
    assert!(body.is_end_stream());
    let lines = logs.lines_with(&id);
    assert!(
        lines.iter().any(|l| l.contains("response body")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn a_panicking_service_keeps_serving() {
    let _logs = quiet_panics();
    let mut service = CloudErrorLayer::bce().layer(service_fn(|request: Request<()>| async move {
        if request.uri().path() == "/panic" {
            panic!("boom");
        }
        Ok::<_, Infallible>(Response::new(Full::new(Bytes::from_static(b"ok"))))
    }));
    for i in 0..20 {
        let path = if i % 2 == 0 { "/panic" } else { "/fine" };
        let request = Request::builder().uri(path).body(()).unwrap();
        let response = service.ready().await.unwrap().call(request).await.unwrap();
        let expected = if i % 2 == 0 { 500 } else { 200 };
        assert_eq!(response.status(), expected);
    }
}

// Keep the future type nameable for the Send check below.
#[allow(dead_code)]
fn response_future_is_send() {
    fn send<T: Send>(_: T) {}
    let mut service = CloudErrorLayer::bce().layer(service_fn(|_: Request<()>| async {
        Ok::<_, Infallible>(Response::new(Full::new(Bytes::new())))
    }));
    let future: Pin<Box<dyn Future<Output = _> + Send>> = Box::pin(service.call(Request::new(())));
    send(future);
}
