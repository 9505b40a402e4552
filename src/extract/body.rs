//! Reading a body with a limit, without buffering more than the limit.

use std::error::Error as StdError;

use bytes::{Buf, Bytes, BytesMut};
use http_body::Body;
use http_body_util::{BodyExt, LengthLimitError};

use crate::into_cloud_error::BoxError;

/// Why a body could not be read.
#[derive(Debug)]
pub(super) enum ReadError {
    /// The body is larger than the limit: announced so (`Content-Length`, or any exact size
    /// hint), or found so while reading.
    TooLarge,
    /// A limit further out (tower-http's `RequestBodyLimitLayer`, axum's `DefaultBodyLimit`)
    /// refused the body before ours was reached: its limit, not ours, is the one that fired.
    OverOuterLimit,
    /// The body failed (the connection broke, an outer layer refused it).
    Failed(BoxError),
}

/// Reads `body` whole, stopping as soon as more than `limit` bytes arrived.
///
/// A body whose size hint already exceeds the limit is refused before a single frame is polled;
/// otherwise the frames are counted as they arrive and reading stops at the first one past the
/// limit, so at most `limit` bytes (plus that one frame) are ever held. A body of one frame is
/// not copied.
pub(super) async fn read<B>(body: B, limit: usize) -> Result<Bytes, ReadError>
where
    B: Body,
    B::Error: Into<BoxError>,
{
    if body.size_hint().lower() > u64::try_from(limit).unwrap_or(u64::MAX) {
        return Err(ReadError::TooLarge);
    }
    let mut body = std::pin::pin!(body);
    let mut first: Option<Bytes> = None;
    let mut rest = BytesMut::new();
    let mut len = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|error| {
            let error: BoxError = error.into();
            if is_length_limit(&*error) {
                ReadError::OverOuterLimit
            } else {
                ReadError::Failed(error)
            }
        })?;
        let Ok(mut data) = frame.into_data() else {
            continue; // trailers carry nothing to parse
        };
        len = len.saturating_add(data.remaining());
        if len > limit {
            return Err(ReadError::TooLarge);
        }
        match &first {
            None => first = Some(data.copy_to_bytes(data.remaining())),
            Some(_) => rest.extend_from_slice(&data.copy_to_bytes(data.remaining())),
        }
    }
    Ok(match first {
        None => Bytes::new(),
        Some(first) if rest.is_empty() => first,
        Some(first) => {
            let mut whole = BytesMut::with_capacity(len);
            whole.extend_from_slice(&first);
            whole.extend_from_slice(&rest);
            whole.freeze()
        }
    })
}

/// Whether `error` or one of its sources is http-body-util's [`LengthLimitError`] (ours, or
/// that of a limit further out, such as axum's `DefaultBodyLimit` or tower-http's
/// `RequestBodyLimit`).
fn is_length_limit(error: &(dyn StdError + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.is::<LengthLimitError>() {
            return true;
        }
        current = error.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use http_body_util::Full;

    use super::*;

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn reads_up_to_the_limit() {
        let body = Full::new(Bytes::from_static(b"12345"));
        assert_eq!(block_on(read(body, 5)).unwrap(), "12345");
        let body = Full::new(Bytes::from_static(b"123456"));
        assert!(matches!(block_on(read(body, 5)), Err(ReadError::TooLarge)));
    }

    #[test]
    fn a_size_hint_over_the_limit_is_refused_unread() {
        struct Announced;
        impl Body for Announced {
            type Data = Bytes;
            type Error = Infallible;
            fn poll_frame(
                self: std::pin::Pin<&mut Self>,
                _: &mut std::task::Context<'_>,
            ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
                panic!("polled a body announced larger than the limit")
            }
            fn size_hint(&self) -> http_body::SizeHint {
                http_body::SizeHint::with_exact(1 << 40)
            }
        }
        assert!(matches!(
            block_on(read(Announced, 1024)),
            Err(ReadError::TooLarge)
        ));
    }

    #[test]
    fn failures_keep_their_error_and_outer_limits_count_as_too_large() {
        struct Failing;
        impl Body for Failing {
            type Data = Bytes;
            type Error = BoxError;
            fn poll_frame(
                self: std::pin::Pin<&mut Self>,
                _: &mut std::task::Context<'_>,
            ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
                std::task::Poll::Ready(Some(Err("connection reset".into())))
            }
        }
        match block_on(read(Failing, 10)) {
            Err(ReadError::Failed(error)) => assert_eq!(error.to_string(), "connection reset"),
            other => panic!("{other:?}"),
        }
        // An outer limit that fires first is reported as its own, not as ours.
        let outer = http_body_util::Limited::new(Full::new(Bytes::from_static(b"123456")), 3);
        assert!(matches!(
            block_on(read(outer, 10)),
            Err(ReadError::OverOuterLimit)
        ));
    }

    /// A body of several data frames.
    struct Chunks(std::collections::VecDeque<Bytes>);

    impl Body for Chunks {
        type Data = Bytes;
        type Error = Infallible;
        fn poll_frame(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
            std::task::Poll::Ready(
                self.0
                    .pop_front()
                    .map(|data| Ok(http_body::Frame::data(data))),
            )
        }
    }

    #[test]
    fn frames_are_joined_in_order_and_counted_against_the_limit() {
        let chunks =
            |parts: &[&'static str]| Chunks(parts.iter().map(|p| Bytes::from(*p)).collect());
        assert_eq!(
            block_on(read(chunks(&["ab", "cd", "e"]), 5)).unwrap(),
            "abcde"
        );
        assert_eq!(block_on(read(chunks(&["abcde"]), 5)).unwrap(), "abcde");
        assert_eq!(block_on(read(chunks(&[]), 5)).unwrap(), "");
        assert!(matches!(
            block_on(read(chunks(&["ab", "cd", "ef"]), 5)),
            Err(ReadError::TooLarge)
        ));
    }
}
