//! A panic hook that makes a panic the layer catches cost one log line.
//!
//! Rust's default hook prints every panic to stderr, caught or not, before the layer sees it:
//! without a request id, and with a full backtrace when `RUST_BACKTRACE=1` (capturing one costs
//! far more than the rest of the request). The layer then logs the panic again, with the id.
//! [`install`] replaces the default hook so that a panic inside the layer's guards prints
//! nothing by itself: its location (and, if asked, a backtrace) joins the layer's one log line,
//! with the request id and the panic message. Panics anywhere else (a background task, `main`)
//! still reach the previous hook unchanged.
//!
//! ```
//! // In `main`, once, before serving:
//! tower_cloud_error::panic_hook::install();
//! ```
//!
//! The layer's log line for a caught panic then reads like
//! `ERROR request{request_id=…}: tower_cloud_error::log: request failed with a server error
//! request_id=… code="InternalError" error=panic in call at src/handlers.rs:42:9: index out of
//! bounds…`.

use std::backtrace::Backtrace;
use std::cell::RefCell;
use std::sync::Once;

use crate::guard::is_guarded;

/// What the hook keeps of a caught panic for the layer's log line.
#[derive(Debug, Default)]
pub(crate) struct PanicDetails {
    /// `file:line:column`.
    pub(crate) location: Option<String>,
    /// Only with [`PanicHook::backtraces`].
    pub(crate) backtrace: Option<String>,
}

thread_local! {
    /// The details of the panic this thread is unwinding from, until the layer takes them.
    static CAUGHT: RefCell<Option<PanicDetails>> = const { RefCell::new(None) };
}

/// The details the hook recorded for the panic just caught on this thread, if it is installed.
pub(crate) fn take_details() -> Option<PanicDetails> {
    CAUGHT.with(|caught| caught.borrow_mut().take())
}

/// The panic hook, configured. [`install`] installs the default configuration.
#[derive(Debug, Clone, Copy, Default)]
#[must_use]
pub struct PanicHook {
    backtraces: bool,
}

impl PanicHook {
    /// The hook without backtraces for caught panics.
    pub const fn new() -> Self {
        PanicHook { backtraces: false }
    }

    /// Whether a caught panic's log line carries a backtrace. Off by default: capturing one
    /// costs more than serving many requests, and a client who can trigger panics could make
    /// every request pay for it.
    pub const fn backtraces(mut self, on: bool) -> Self {
        self.backtraces = on;
        self
    }

    /// Installs the hook for the whole process, keeping the previous hook for panics outside
    /// the layer. Only the first call in a process installs anything.
    ///
    /// ```
    /// use tower_cloud_error::panic_hook::PanicHook;
    ///
    /// PanicHook::new().backtraces(false).install();
    /// ```
    pub fn install(self) {
        static INSTALL: Once = Once::new();
        let backtraces = self.backtraces;
        INSTALL.call_once(move || {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                if !is_guarded() {
                    return previous(info);
                }
                let details = PanicDetails {
                    location: info
                        .location()
                        .map(|at| format!("{}:{}:{}", at.file(), at.line(), at.column())),
                    backtrace: backtraces.then(|| Backtrace::force_capture().to_string()),
                };
                CAUGHT.with(|caught| *caught.borrow_mut() = Some(details));
            }));
        });
    }
}

/// Installs [`PanicHook::new`]: caught panics print nothing by themselves and are logged once,
/// by the layer, with the request id, location and message, without a backtrace.
pub fn install() {
    PanicHook::new().install();
}
