//! Server-side logging of errors and panics, always with the request id. What is logged here
//! never reaches a response.
//!
//! Every field that can hold text a client influenced (error chains, rejection texts, parameter
//! names, dates, panic messages) is written through [`Escaped`]: one log event stays one line
//! whatever the client sent, nothing in it can pass for another line, drive a terminal or hide
//! text, and no field is longer than [`MAX_FIELD_BYTES`].

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
            error = %escaped(Chain(error.source_error())),
            backtrace = backtrace_of(error).map(tracing::field::display),
            "request failed with a server error"
        );
    } else {
        tracing::info!(
            request_id = report.request_id(),
            code = code.name(),
            status,
            error = %escaped(Chain(error.source_error())),
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
        request_id = %escaped(request_id.map_or(Cow::Borrowed("-"), |id| String::from_utf8_lossy(id.as_bytes()))),
        panic = %escaped(payload_text(&*payload)),
        location = %escaped(details.location.as_deref().unwrap_or("-")),
        backtrace = details
            .backtrace
            .as_deref()
            .map(|backtrace| tracing::field::display(escaped_backtrace(backtrace))),
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
        // The backtrace is a field of its own (see `log_error`), with its own bound.
        write!(f, ": {}", self.message)
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

/// The backtrace of a caught panic in `error`'s source chain, escaped, if one was captured.
fn backtrace_of(error: &CloudError) -> Option<Escaped<&str>> {
    let mut next = error.source_error().map(|e| e as &(dyn StdError + 'static));
    while let Some(source) = next {
        if let Some(panic) = source.downcast_ref::<CaughtPanic>() {
            return panic.details.backtrace.as_deref().map(escaped_backtrace);
        }
        next = source.source();
    }
    None
}

/// The most bytes one client-influenced log field takes once escaped (1 KiB); the rest is
/// replaced by `…(N more bytes)`, counting the bytes of the original text left out.
pub(crate) const MAX_FIELD_BYTES: usize = 1024;

/// The most bytes of a backtrace's log field (16 KiB): it holds no client text, but one line
/// per frame would break "one event, one line".
pub(crate) const MAX_BACKTRACE_BYTES: usize = 16 * 1024;

/// `value`'s text made safe for a log field, bounded by [`MAX_FIELD_BYTES`]: see [`Escaped`].
pub(crate) fn escaped<T: fmt::Display>(value: T) -> Escaped<T> {
    Escaped {
        value,
        max_bytes: MAX_FIELD_BYTES,
    }
}

/// A backtrace for a log field: escaped like any field, bounded by [`MAX_BACKTRACE_BYTES`].
fn escaped_backtrace(backtrace: &str) -> Escaped<&str> {
    Escaped {
        value: backtrace,
        max_bytes: MAX_BACKTRACE_BYTES,
    }
}

/// Displays a value's text escaped and bounded, without building it first (a 5 MiB rejection
/// text costs no allocation): `\` as `\\`, newline, carriage return and tab as `\n`, `\r`,
/// `\t`, and every other hidden character (controls such as ESC, format characters, line and
/// paragraph separators, private use, unassigned: see
/// [`is_hidden`](crate::extract::echo::is_hidden)) as `\u{…}`. Past `max_bytes` of output the
/// text is cut at a character, followed by `…(N more bytes)`.
pub(crate) struct Escaped<T> {
    value: T,
    max_bytes: usize,
}

impl<T: fmt::Display> fmt::Display for Escaped<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut writer = EscapingWriter {
            out: f,
            room: self.max_bytes,
            left_out: 0,
        };
        fmt::write(&mut writer, format_args!("{}", self.value))?;
        let left_out = writer.left_out;
        if left_out > 0 {
            write!(f, "…({left_out} more bytes)")?;
        }
        Ok(())
    }
}

/// Writes escaped text to `out` while `room` lasts, then only counts what it leaves out.
struct EscapingWriter<'a, 'b> {
    out: &'a mut fmt::Formatter<'b>,
    room: usize,
    left_out: usize,
}

impl fmt::Write for EscapingWriter<'_, '_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let mut rest = text;
        while !rest.is_empty() {
            if self.left_out > 0 {
                self.left_out += rest.len();
                return Ok(());
            }
            let plain = rest
                .char_indices()
                .find(|&(_, c)| needs_escape(c))
                .map_or(rest.len(), |(at, _)| at);
            if plain > 0 {
                let fits = floor_char_boundary(rest, plain.min(self.room));
                self.out.write_str(&rest[..fits])?;
                self.room -= fits;
                if fits < plain {
                    self.left_out = rest.len() - fits;
                    return Ok(());
                }
                rest = &rest[plain..];
                continue;
            }
            let Some(c) = rest.chars().next() else {
                break;
            };
            let short = match c {
                '\\' => Some("\\\\"),
                '\n' => Some("\\n"),
                '\r' => Some("\\r"),
                '\t' => Some("\\t"),
                _ => None,
            };
            let len = short.map_or_else(|| c.escape_unicode().len(), str::len);
            if len > self.room {
                self.left_out = rest.len();
                return Ok(());
            }
            match short {
                Some(text) => self.out.write_str(text)?,
                None => write!(self.out, "{}", c.escape_unicode())?,
            }
            self.room -= len;
            rest = &rest[c.len_utf8()..];
        }
        Ok(())
    }
}

fn needs_escape(c: char) -> bool {
    c == '\\' || crate::extract::echo::is_hidden(c)
}

/// The largest index `<= at` that is a character boundary of `text`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
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
    fn fields_cannot_break_lines_or_carry_escape_sequences() {
        let forged = "k\n2026-12-01T21:30:00Z ERROR tower_cloud_error::log: forged\r\x1b[31m\x1b[8m\\n\u{2028}\u{202E}\t";
        assert_eq!(
            escaped(forged).to_string(),
            "k\\n2026-12-01T21:30:00Z ERROR tower_cloud_error::log: forged\\r\\u{1b}[31m\\u{1b}[8m\\\\n\\u{2028}\\u{202e}\\t"
        );
        assert_eq!(escaped("名称 plain").to_string(), "名称 plain");
    }

    #[test]
    fn fields_are_bounded_with_the_count_of_bytes_left_out() {
        let long = "x".repeat(5 * 1024 * 1024);
        let text = escaped(&long).to_string();
        assert_eq!(
            text,
            format!(
                "{}…({} more bytes)",
                "x".repeat(MAX_FIELD_BYTES),
                long.len() - MAX_FIELD_BYTES
            )
        );
        // The cut falls on a character boundary, and an escape is never split.
        let wide = format!("{}名名", "x".repeat(MAX_FIELD_BYTES - 4));
        assert_eq!(
            escaped(&wide).to_string(),
            format!("{}名…(3 more bytes)", "x".repeat(MAX_FIELD_BYTES - 4))
        );
        let escapes = "\x1b".repeat(MAX_FIELD_BYTES);
        let text = escaped(&escapes).to_string();
        let kept = MAX_FIELD_BYTES / 6;
        assert_eq!(
            text,
            format!(
                "{}…({} more bytes)",
                "\\u{1b}".repeat(kept),
                MAX_FIELD_BYTES - kept
            )
        );
        // A value written in many pieces is bounded as a whole.
        let chain = Chain(Some(
            &CloudError::internal().with_source(std::io::Error::other(long)),
        ));
        assert!(escaped(chain).to_string().len() < MAX_FIELD_BYTES + 32);
    }

    #[test]
    fn chain_joins_sources() {
        let inner = std::io::Error::other("disk full");
        let outer = CloudError::internal().with_source(inner);
        assert_eq!(Chain(Some(&outer)).to_string(), "internal error: disk full");
        assert_eq!(Chain(None).to_string(), "-");
    }
}
