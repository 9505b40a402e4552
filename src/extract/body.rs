//! Reading a body with a limit, without buffering more than the limit.

use std::error::Error as StdError;

use bytes::Bytes;
use http_body::Body;
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::into_cloud_error::BoxError;

/// Why a body could not be read.
#[derive(Debug)]
pub(super) enum ReadError {
    /// The body is larger than the limit: announced so (`Content-Length`, or any exact size
    /// hint), found so while reading, or reported so by a limit further out.
    TooLarge,
    /// The body failed (the connection broke, an outer layer refused it).
    Failed(BoxError),
}

/// Reads `body` whole, stopping as soon as more than `limit` bytes arrived.
///
/// A body whose size hint already exceeds the limit is refused before a single frame is polled;
/// otherwise [`Limited`] counts the frames as they arrive and fails on the first one past the
/// limit, so at most `limit` bytes (plus that one frame) are ever held.
pub(super) async fn read<B>(body: B, limit: usize) -> Result<Bytes, ReadError>
where
    B: Body,
    B::Error: Into<BoxError>,
{
    if body.size_hint().lower() > u64::try_from(limit).unwrap_or(u64::MAX) {
        return Err(ReadError::TooLarge);
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if is_length_limit(&*error) => Err(ReadError::TooLarge),
        Err(error) => Err(ReadError::Failed(error)),
    }
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
        let outer = Limited::new(Full::new(Bytes::from_static(b"123456")), 3);
        assert!(matches!(
            block_on(read(outer, 10)),
            Err(ReadError::TooLarge)
        ));
    }
}
