//! Cost of the layer per request, against the bare service and the tower-http stack users would
//! otherwise assemble (SetRequestId + PropagateRequestId + CatchPanic).
//!
//! Run with `env -u RUST_BACKTRACE cargo bench --bench layer` (a backtrace per caught panic makes
//! the panic path ~20x slower).

use std::convert::Infallible;
use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion};
use http::{HeaderName, Request, Response};
use http_body_util::Full;
use tower::{service_fn, Layer, Service, ServiceBuilder};
use tower_cloud_error::{catalog::bce::eip, CloudError, CloudErrorLayer};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

/// Polls a future that is ready without waiting (every service here is).
fn now<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("benchmarked services are always ready"),
    }
}

fn bench<S>(c: &mut Criterion, name: &str, mut service: S, make_request: fn() -> Request<()>)
where
    S: Service<Request<()>>,
    S::Error: std::fmt::Debug,
{
    c.bench_function(name, |b| {
        b.iter_batched(
            make_request,
            |request| {
                let _ = now(std::future::poll_fn(|cx| service.poll_ready(cx)));
                black_box(now(service.call(request)))
            },
            criterion::BatchSize::SmallInput,
        )
    });
}

fn ok_service(
) -> impl Service<Request<()>, Response = Response<Full<Bytes>>, Error = Infallible> + Clone {
    service_fn(|_: Request<()>| async {
        Ok::<_, Infallible>(Response::new(Full::new(Bytes::new())))
    })
}

fn failing(request: Request<()>) -> std::future::Ready<Result<Response<Full<Bytes>>, CloudError>> {
    if request.uri().path() == "/panic" {
        panic!("benchmark panic");
    }
    std::future::ready(Err(CloudError::new(eip::EIP_NOT_FOUND)))
}

fn plain() -> Request<()> {
    Request::new(())
}

fn panic_request() -> Request<()> {
    Request::builder().uri("/panic").body(()).unwrap()
}

fn benches(c: &mut Criterion) {
    std::panic::set_hook(Box::new(|_| {}));

    bench(c, "success/bare", ok_service(), plain);
    let x_request_id = HeaderName::from_static("x-request-id");
    bench(
        c,
        "success/tower-http stack",
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(
                x_request_id.clone(),
                MakeRequestUuid,
            ))
            .layer(PropagateRequestIdLayer::new(x_request_id))
            .layer(CatchPanicLayer::new())
            .service(ok_service()),
        plain,
    );
    bench(
        c,
        "success/layer bce",
        CloudErrorLayer::bce().layer(ok_service()),
        plain,
    );
    bench(
        c,
        "success/layer tencent",
        CloudErrorLayer::tencent().layer(ok_service()),
        plain,
    );
    bench(
        c,
        "error/layer bce",
        CloudErrorLayer::bce().layer(service_fn(failing)),
        plain,
    );
    bench(
        c,
        "panic/layer bce",
        CloudErrorLayer::bce().layer(service_fn(failing)),
        panic_request,
    );
    c.bench_function("panic/raw catch_unwind", |b| {
        b.iter(|| black_box(std::panic::catch_unwind(|| failing(panic_request()))).is_err())
    });
}

criterion_group!(layer, benches);
criterion_main!(layer);
