//! Server-side logging of errors and panics, always with the request id. What is logged here
//! never reaches a response.

use std::any::Any;
use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

use http::HeaderValue;

use crate::error::CloudError;
use crate::panic_hook::{take_details, PanicDetails};
use crate::style::ErrorReport;

/// Logs a rendered error: server faults at `error` with the whole source chain, client errors at
/// `info`.
pub(crate) fn log_error(report: &ErrorReport<'_>, error: &CloudError) {
    let code = report.code();
    let status = code.status().as_u16();
    if report.is_internal() {
        tracing::error!(
            request_id = report.request_id(),
            code = code.name(),
            status,
            error = %Chain(error.source_error()),
            "request failed with a server error"
        );
    } else {
        tracing::info!(
            request_id = report.request_id(),
            code = code.name(),
            status,
            error = %Chain(error.source_error()),
            "request failed"
        );
    }
}

/// A caught panic as an internal error whose source holds the panic message: it is logged once,
/// with the request id, when the error is rendered (even for a panic in `poll_ready`, which
/// happens before the request is known).
pub(crate) fn panic_error(place: &'static str, payload: Box<dyn Any + Send>) -> CloudError {
    // The message is taken over, not copied: `panic!("text")` carries a `&'static str`,
    // `panic!("{x}")` a `String`.
    let message = match payload.downcast::<&'static str>() {
        Ok(text) => Cow::Borrowed(*text),
        Err(payload) => match payload.downcast::<String>() {
            Ok(text) => Cow::Owned(*text),
            Err(payload) => {
                drop_payload(payload);
                Cow::Borrowed(NON_STRING_PAYLOAD)
            }
        },
    };
    let details = take_details().unwrap_or_default();
    CloudError::internal().with_source(CaughtPanic {
        place,
        message,
        details,
    })
}

/// Logs a panic that the layer contains without answering InternalError for it (the response
/// head is sent, or a fallback takes over), with the request id when there is one.
pub(crate) fn log_panic(
    request_id: Option<&HeaderValue>,
    place: &'static str,
    payload: Box<dyn Any + Send>,
) {
    let details = take_details().unwrap_or_default();
    tracing::error!(
        request_id = %request_id.map_or(Cow::Borrowed("-"), |id| String::from_utf8_lossy(id.as_bytes())),
        panic = payload_text(&*payload),
        location = details.location.as_deref().unwrap_or("-"),
        backtrace = details.backtrace.as_deref().unwrap_or("-"),
        "panic caught in {place}; contained"
    );
    drop_payload(payload);
}

/// Drops a panic payload without letting a panicking `Drop` escape.
fn drop_payload(payload: Box<dyn Any + Send>) {
    if let Err(nested) = catch_unwind(AssertUnwindSafe(move || drop(payload))) {
        // The payload's Drop panicked, and its own payload might too: leak it.
        std::mem::forget(nested);
    }
}

/// The source of an internal error caused by a panic: where (the layer's step, and the source
/// location when the crate's panic hook is installed), and the panic message.
#[derive(Debug)]
struct CaughtPanic {
    place: &'static str,
    message: Cow<'static, str>,
    details: PanicDetails,
}

impl fmt::Display for CaughtPanic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "panic in {}", self.place)?;
        if let Some(location) = &self.details.location {
            write!(f, " at {location}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(backtrace) = &self.details.backtrace {
            write!(f, "\nbacktrace:\n{backtrace}")?;
        }
        Ok(())
    }
}

impl StdError for CaughtPanic {}

/// What is logged for a panic whose payload is neither `&str` nor `String`.
const NON_STRING_PAYLOAD: &str = "<non-string panic payload>";

/// The text of a panic payload: `&str` and `String` payloads, else a placeholder.
pub(crate) fn payload_text(payload: &(dyn Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&'static str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        NON_STRING_PAYLOAD
    }
}

/// Displays an error and its sources joined by `: `, or `-` when there is none.
struct Chain<'a>(Option<&'a (dyn StdError + Send + Sync + 'static)>);

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(first) = self.0 else {
            return f.write_str("-");
        };
        write!(f, "{first}")?;
        let mut next = first.source();
        while let Some(error) = next {
            write!(f, ": {error}")?;
            next = error.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_text_handles_every_payload_type() {
        assert_eq!(payload_text(&"static"), "static");
        assert_eq!(payload_text(&String::from("owned")), "owned");
        assert_eq!(payload_text(&42u32), "<non-string panic payload>");
    }

    #[test]
    fn panics_become_internal_errors_with_the_message_as_source() {
        let error = panic_error("call", Box::new("boom"));
        assert!(error.is_internal());
        assert_eq!(
            Chain(error.source_error()).to_string(),
            "panic in call: boom"
        );
    }

    #[test]
    fn chain_joins_sources() {
        let inner = std::io::Error::other("disk full");
        let outer = CloudError::internal().with_source(inner);
        assert_eq!(Chain(Some(&outer)).to_string(), "internal error: disk full");
        assert_eq!(Chain(None).to_string(), "-");
    }
}
