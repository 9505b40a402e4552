//! Serving a service safely: HTTP/1.1 and HTTP/2 (prior knowledge) on one port with hyper-util,
//! with every wait bounded. Shared by the `bce_eip` and `tencent_tcr` examples (included with
//! `#[path]`; this directory has no `main`, so cargo does not build it as an example).
//!
//! What a client meets (the defaults of [`Limits`]):
//!
//! | Limit | Default | Past it |
//! |---|---|---|
//! | [`Limits::header_read`]: time to send a request head (HTTP/1) | 10 s | the connection is closed without an answer (there is no request to answer). hyper starts this timer whenever the connection waits for a head, so it is also the keep-alive idle timeout of HTTP/1: a kept-alive connection with no new request for 10 s is closed |
//! | [`Limits::idle`]: time without a single byte read or written, on any connection | 30 s | the connection is shut down gracefully (HTTP/2 `GOAWAY`; HTTP/1 closed between requests), and dropped 1 s later if a request is still stalled on it (a body that stopped arriving, an answer the client stopped reading). This is what bounds an idle HTTP/2 connection, and a stalled upload on either protocol: hyper has no idle timeout of its own |
//! | [`Limits::max_connections`]: connections served at once | 512 | the server stops accepting: new connections wait in the kernel's listen backlog (they connect, but get no answer) and are served, in order, as soon as a connection ends; beyond the backlog the kernel drops them and clients time out |
//! | [`Limits::max_header_bytes`]: a request head (HTTP/1 buffer, HTTP/2 header list) | 64 KiB | HTTP/1: hyper answers `431` bare and closes (see `docs/hyper-bare-answers.md`); HTTP/2: the stream is refused |
//! | [`Limits::max_streams`]: requests at once on one HTTP/2 connection | 100 | the client waits for a stream (HTTP/2 `SETTINGS_MAX_CONCURRENT_STREAMS`) |
//! | [`Limits::shutdown_grace`]: after Ctrl-C, time for requests in flight | 30 s | the remaining connections are dropped |
//!
//! On Ctrl-C the listener closes at once (new connections are refused), every connection is
//! shut down gracefully (the request in flight finishes, HTTP/2 gets `GOAWAY`), and [`serve`]
//! returns when the last one has ended, or after the grace period.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};
use http_body::Body;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::time::Instant;
use tower::Service;

/// How long the server waits for clients, and how many it serves at once. The module's docs
/// say what a client meets past each one.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time for a client to send a request head over HTTP/1, counted from when the connection
    /// is ready for one (so also the keep-alive idle timeout of HTTP/1).
    pub header_read: Duration,
    /// Time a connection may move no byte at all, in either direction, before it is shut down.
    pub idle: Duration,
    /// Connections served at once; more wait in the kernel's listen backlog.
    pub max_connections: usize,
    /// The largest request head: hyper's HTTP/1 read buffer, and HTTP/2's header list.
    pub max_header_bytes: usize,
    /// Requests at once on one HTTP/2 connection.
    pub max_streams: u32,
    /// How long a shutdown waits for the connections still open.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read: Duration::from_secs(10),
            idle: Duration::from_secs(30),
            max_connections: 512,
            max_header_bytes: 64 * 1024,
            max_streams: 100,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// How long a connection whose idle timeout fired may take to close gracefully.
const IDLE_CLOSE_GRACE: Duration = Duration::from_secs(1);

/// Completes on Ctrl-C (never, if the signal cannot be listened for).
pub async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Serves `service` on `listener` with `limits` until `shutdown` completes, then stops
/// accepting, shuts every connection down gracefully and returns when they have ended (at most
/// `limits.shutdown_grace` later).
pub async fn serve<S, B>(
    listener: TcpListener,
    service: S,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()>
where
    S: Service<Request<Incoming>, Response = Response<B>, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: Body<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .max_buf_size(limits.max_header_bytes);
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(limits.max_streams)
        .max_header_list_size(u32::try_from(limits.max_header_bytes).unwrap_or(u32::MAX));
    let max_connections = u32::try_from(limits.max_connections.max(1)).unwrap_or(u32::MAX);
    let slots = Arc::new(Semaphore::new(max_connections as usize));
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        // A slot first, then accept: past the bound, connections wait in the listen backlog.
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(error) => {
                    // Out of file descriptors, usually: back off instead of spinning.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let (io, activity) = ActivityIo::new(stream);
        let connection = builder
            .serve_connection(TokioIo::new(io), TowerToHyperService::new(service.clone()))
            .into_owned();
        let stopping = stopping.clone();
        let idle = limits.idle;
        tokio::spawn(async move {
            drive(pin!(connection), &activity, idle, stopping).await;
            drop(slot);
        });
    }
    drop(listener);
    let _ = stop.send(true);
    let all_ended = slots.acquire_many(max_connections);
    if tokio::time::timeout(limits.shutdown_grace, all_ended)
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the grace period were dropped");
    }
    Ok(())
}

/// Drives one connection to its end: closes it gracefully on shutdown or when it has moved no
/// byte for `idle`, and drops it if an idle close does not end it within [`IDLE_CLOSE_GRACE`].
async fn drive<I, S, E, B>(
    mut connection: Pin<&mut auto::Connection<'static, I, S, E>>,
    activity: &Activity,
    idle: Duration,
    mut stopping: watch::Receiver<bool>,
) where
    S: hyper::service::Service<Request<Incoming>, Response = Response<B>>,
    S::Future: 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    I: hyper::rt::Read + hyper::rt::Write + Unpin + 'static,
    B: Body + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    E: auto::HttpServerConnExec<S::Future, B>,
{
    let mut shutting_down = false;
    let mut idle_closing_since: Option<Instant> = None;
    loop {
        let deadline = match idle_closing_since {
            Some(since) => since + IDLE_CLOSE_GRACE,
            None => activity.last() + idle,
        };
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(%error, "connection ended with an error");
                }
                return;
            }
            changed = stopping.changed(), if !shutting_down => {
                // A dropped sender means the server is gone: stop too.
                if changed.is_err() || *stopping.borrow() {
                    shutting_down = true;
                    if idle_closing_since.is_none() {
                        connection.as_mut().graceful_shutdown();
                    }
                }
            }
            () = tokio::time::sleep_until(deadline) => {
                if idle_closing_since.is_some() {
                    tracing::debug!("connection dropped: still busy after its idle timeout");
                    return;
                }
                // Bytes moved since the deadline was computed: wait for the new one.
                if activity.last() + idle <= Instant::now() {
                    if !shutting_down {
                        connection.as_mut().graceful_shutdown();
                    }
                    idle_closing_since = Some(Instant::now());
                }
            }
        }
    }
}

/// When a connection last moved a byte, shared between its IO and its watchdog.
#[derive(Clone)]
struct Activity {
    start: Instant,
    /// Milliseconds from `start` to the last read or write that moved bytes.
    last_ms: Arc<AtomicU64>,
}

impl Activity {
    fn touch(&self) {
        let elapsed = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(elapsed, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed))
    }
}

/// A TCP stream that records when it last moved bytes.
struct ActivityIo {
    stream: TcpStream,
    activity: Activity,
}

impl ActivityIo {
    fn new(stream: TcpStream) -> (Self, Activity) {
        let activity = Activity {
            start: Instant::now(),
            last_ms: Arc::new(AtomicU64::new(0)),
        };
        let io = ActivityIo {
            stream,
            activity: activity.clone(),
        };
        (io, activity)
    }
}

impl AsyncRead for ActivityIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        result
    }
}

impl AsyncWrite for ActivityIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.stream).poll_write(cx, buf);
        if matches!(result, Poll::Ready(Ok(written)) if written > 0) {
            self.activity.touch();
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(written)) if written > 0) {
            self.activity.touch();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
