//! Server-side logging of errors and panics, always with the request id. What is logged here
//! never reaches a response.

use std::any::Any;
use std::error::Error as StdError;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

use http::HeaderValue;

use crate::error::CloudError;
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

/// Logs a caught panic with its payload, then drops the payload without letting a panicking
/// `Drop` escape.
pub(crate) fn log_panic(
    request_id: Option<&HeaderValue>,
    place: &str,
    payload: Box<dyn Any + Send>,
) {
    let request_id = request_id.map(|id| String::from_utf8_lossy(id.as_bytes()));
    tracing::error!(
        request_id = request_id.as_deref().unwrap_or("-"),
        place,
        panic = payload_text(&*payload),
        "panic caught; answering InternalError"
    );
    if let Err(nested) = catch_unwind(AssertUnwindSafe(move || drop(payload))) {
        // The payload's Drop panicked, and its own payload might too: leak it.
        std::mem::forget(nested);
    }
}

/// The text of a panic payload: `&str` and `String` payloads, else a placeholder.
pub(crate) fn payload_text(payload: &(dyn Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&'static str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        "<non-string panic payload>"
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
    fn chain_joins_sources() {
        let inner = std::io::Error::other("disk full");
        let outer = CloudError::internal().with_source(inner);
        assert_eq!(Chain(Some(&outer)).to_string(), "internal error: disk full");
        assert_eq!(Chain(None).to_string(), "-");
    }
}
