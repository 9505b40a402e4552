//! Logging: a span per request carries the id into the handler's own lines, and with the
//! crate's panic hook a caught panic is one log line (id, location, message) and nothing from
//! std's hook. Its own test binary: it installs panic hooks.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::Full;
use support::LogCapture;
use tower::{service_fn, Layer, ServiceExt};
use tower_cloud_error::{CloudError, CloudErrorLayer};

/// How often the hook that was installed before ours ran.
static PREVIOUS_HOOK_CALLS: AtomicUsize = AtomicUsize::new(0);

/// The threads the previous hook ran on: tests run in parallel, so each checks its own thread.
static PREVIOUS_HOOK_THREADS: std::sync::Mutex<Vec<std::thread::ThreadId>> =
    std::sync::Mutex::new(Vec::new());

fn install_hooks() -> LogCapture {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let std_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PREVIOUS_HOOK_CALLS.fetch_add(1, Ordering::SeqCst);
            PREVIOUS_HOOK_THREADS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(std::thread::current().id());
            std_hook(info);
        }));
        tower_cloud_error::panic_hook::install();
    });
    LogCapture::install()
}

async fn send(
    handler: fn(&str) -> Result<Response<Full<Bytes>>, CloudError>,
    tag: &'static str,
) -> String {
    let service =
        CloudErrorLayer::bce().layer(service_fn(
            move |_: Request<()>| async move { handler(tag) },
        ));
    let response = service.oneshot(Request::new(())).await.unwrap();
    response.headers()["x-bce-request-id"]
        .to_str()
        .unwrap()
        .to_owned()
}

fn logs_and_succeeds(tag: &str) -> Result<Response<Full<Bytes>>, CloudError> {
    tracing::info!("handler line {tag}");
    Ok(Response::new(Full::default()))
}

fn panics(tag: &str) -> Result<Response<Full<Bytes>>, CloudError> {
    panic!("handler exploded {tag}")
}

#[tokio::test]
async fn the_handlers_own_log_lines_carry_the_request_id() {
    let logs = install_hooks();
    let id = send(logs_and_succeeds, "span-1").await;
    let lines = logs.lines_with("handler line span-1");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].contains(&format!("request{{request_id={id}}}")),
        "the handler's line lacks the request span: {}",
        lines[0]
    );
}

#[tokio::test]
async fn a_caught_panic_is_one_line_with_id_location_and_message() {
    let logs = install_hooks();
    let id = send(panics, "hook-1").await;
    let lines = logs.lines_with("handler exploded hook-1");
    assert_eq!(lines.len(), 1, "one line per panic: {lines:#?}");
    let line = &lines[0];
    assert!(line.contains(&id), "no request id: {line}");
    assert!(line.contains("tests/logging.rs:"), "no location: {line}");
    assert!(
        !line.contains("backtrace"),
        "no backtrace unless asked: {line}"
    );
    // The test's runtime is current-thread: the handler panicked on this thread.
    let this_thread = std::thread::current().id();
    assert!(
        !PREVIOUS_HOOK_THREADS.lock().unwrap().contains(&this_thread),
        "std's (the previous) hook ran for a panic the layer caught"
    );
}

#[tokio::test]
async fn panics_outside_the_layer_still_reach_the_previous_hook() {
    install_hooks();
    let before = PREVIOUS_HOOK_CALLS.load(Ordering::SeqCst);
    let result = std::panic::catch_unwind(|| panic!("outside any layer"));
    assert!(result.is_err());
    assert!(PREVIOUS_HOOK_CALLS.load(Ordering::SeqCst) > before);
}
