//! tower's contract for `poll_ready`: once the inner service failed to become ready (an `Err`
//! or a panic), it is never polled or called again; the layer answers every later request with
//! that failure.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, Full};
use serde_json::Value;
use tower::{Layer, Service, ServiceExt};
use tower_cloud_error::{bce, CloudError, CloudErrorLayer};

#[derive(Clone, Copy)]
enum Failure {
    Err,
    Panic,
}

/// Fails its first `poll_ready` (counted over all clones), then is ready; counts polls and
/// calls.
#[derive(Clone)]
struct FailsOnce {
    failure: Failure,
    polls: Arc<AtomicUsize>,
    calls: Arc<AtomicUsize>,
}

impl Service<Request<()>> for FailsOnce {
    type Response = Response<Full<Bytes>>;
    type Error = CloudError;
    type Future = std::future::Ready<Result<Self::Response, CloudError>>;
    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), CloudError>> {
        if self.polls.fetch_add(1, Ordering::SeqCst) == 0 {
            match self.failure {
                Failure::Err => {
                    return Poll::Ready(Err(CloudError::new(bce::common::OPT_IN_REQUIRED)))
                }
                Failure::Panic => panic!("poll_ready panicked"),
            }
        }
        Poll::Ready(Ok(()))
    }
    fn call(&mut self, _: Request<()>) -> Self::Future {
        self.calls.fetch_add(1, Ordering::SeqCst);
        std::future::ready(Ok(Response::new(Full::new(Bytes::from_static(b"ok")))))
    }
}

async fn code<S>(service: &mut S) -> (u16, String)
where
    S: Service<Request<()>, Error = Infallible>,
    S::Response: Into<Response<tower_cloud_error::service::ResponseBody<Full<Bytes>>>>,
{
    let response: Response<_> = service
        .ready()
        .await
        .unwrap()
        .call(Request::new(()))
        .await
        .unwrap()
        .into();
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    if status == 200 {
        return (status, String::from_utf8(body.to_vec()).unwrap());
    }
    let json: Value = serde_json::from_slice(&body).unwrap();
    (status, json["code"].as_str().unwrap().to_owned())
}

async fn a_failed_service_is_never_polled_again(failure: Failure, expected: (u16, &str)) {
    let inner = FailsOnce {
        failure,
        polls: Arc::default(),
        calls: Arc::default(),
    };
    let (polls, calls) = (inner.polls.clone(), inner.calls.clone());
    let mut service = CloudErrorLayer::bce().layer(inner);
    let fresh_clone = service.clone();
    for _ in 0..5 {
        let (status, code) = code(&mut service).await;
        assert_eq!((status, code.as_str()), expected);
    }
    assert_eq!(polls.load(Ordering::SeqCst), 1, "polled once, never again");
    assert_eq!(calls.load(Ordering::SeqCst), 0, "never called");

    // A clone has its own inner service, which has not failed: it serves.
    let mut clone = fresh_clone;
    assert_eq!(code(&mut clone).await, (200, "ok".to_owned()));
    assert_eq!(polls.load(Ordering::SeqCst), 2);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // And the failed one still answers its failure without polling.
    assert_eq!(code(&mut service).await.0, expected.0);
    assert_eq!(polls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_service_whose_poll_ready_errs_once_is_never_polled_again() {
    a_failed_service_is_never_polled_again(Failure::Err, (403, "OptInRequired")).await;
}

#[tokio::test]
async fn a_service_whose_poll_ready_panics_once_is_never_polled_again() {
    std::panic::set_hook(Box::new(|_| {}));
    a_failed_service_is_never_polled_again(Failure::Panic, (500, "InternalError")).await;
}
