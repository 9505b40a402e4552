//! Helpers shared by the fuzz targets: the layer driven synchronously (every inner service of
//! the targets is ready at once, so no runtime is needed), and reference implementations of the
//! crate's rules, written independently of `src/`, that the targets check the crate against.

use std::fmt::Debug;
use std::future::Future;
use std::pin::pin;
use std::sync::Once;
use std::task::{Context, Poll, Waker};

use bytes::{Bytes, BytesMut};
use http::{Request, Response};
use http_body::Body;
use tower_cloud_error::{bce, tencent, Code};
use tower_service::Service;

/// Polls a future that must complete without waiting.
///
/// # Panics
///
/// If the future is pending: the targets' services never wait.
pub fn now<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("a fuzzed service must not wait"),
    }
}

/// Collects a body that is ready at once.
///
/// # Panics
///
/// If the body waits or fails.
pub fn collect<B>(body: B) -> Bytes
where
    B: Body,
    B::Error: Debug,
{
    let mut body = pin!(body);
    let mut out = BytesMut::new();
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        match body.as_mut().poll_frame(&mut cx) {
            Poll::Ready(None) => return out.freeze(),
            Poll::Ready(Some(Ok(frame))) => {
                if let Ok(mut data) = frame.into_data() {
                    while bytes::Buf::has_remaining(&data) {
                        let chunk = bytes::Buf::chunk(&data);
                        out.extend_from_slice(chunk);
                        let len = chunk.len();
                        bytes::Buf::advance(&mut data, len);
                    }
                }
            }
            Poll::Ready(Some(Err(error))) => panic!("an envelope body failed: {error:?}"),
            Poll::Pending => panic!("an envelope body must not wait"),
        }
    }
}

/// One request through `service`: `poll_ready`, `call`, the future, the body collected.
pub fn respond<S, B>(service: &mut S, request: Request<()>) -> Response<Bytes>
where
    S: Service<Request<()>, Response = Response<B>>,
    S::Error: Debug,
    B: Body,
    B::Error: Debug,
{
    now(std::future::poll_fn(|cx| service.poll_ready(cx))).expect("the layer is infallible");
    let response = now(service.call(request)).expect("the layer is infallible");
    let (parts, body) = response.into_parts();
    Response::from_parts(parts, collect(body))
}

/// The payload of the panics the targets inject on purpose.
#[derive(Debug)]
pub struct InjectedPanic;

/// libfuzzer-sys aborts on every panic, even a caught one. Injected panics (payload
/// [`InjectedPanic`]) are let through silently; any other panic still aborts, as a crash.
pub fn tolerate_injected_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.payload().is::<InjectedPanic>() {
                return;
            }
            previous(info);
        }));
    });
}

/// The crate's rule for ids that come from outside, restated: 1 to 128 bytes of
/// `A-Z a-z 0-9 - _ . :`.
pub fn reference_is_valid_request_id(id: &[u8]) -> bool {
    const ALLOWED: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:";
    (1..=128).contains(&id.len()) && id.iter().all(|b| ALLOWED.contains(b))
}

/// Whether `id` is a lower-case hyphenated UUID v4 (version 4, RFC 4122 variant).
pub fn is_uuid_v4(id: &[u8]) -> bool {
    id.len() == 36
        && id.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            14 => b == b'4',
            19 => matches!(b, b'8' | b'9' | b'a' | b'b'),
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
}

/// The crate's message bound, restated: at most `max` bytes; a longer message is cut at a
/// character boundary and ends with `…`.
pub fn reference_bound(message: &str, max: usize) -> String {
    if message.len() <= max {
        return message.to_owned();
    }
    let mut out = String::new();
    for c in message.chars() {
        if out.len() + c.len_utf8() > max - '…'.len_utf8() {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Fills each `{}` of `template` with the next argument (missing ones render empty).
pub fn reference_fill(template: &str, args: &[String]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let mut pieces = template.split("{}").peekable();
    while let Some(piece) = pieces.next() {
        out.push_str(piece);
        if pieces.peek().is_some() {
            if let Some(arg) = args.next() {
                out.push_str(arg);
            }
        }
    }
    out
}

/// Every catalog code of the BCE dialect.
pub fn bce_codes() -> Vec<Code> {
    use bce::{bandwidth_package, common, dev_machine, eip, eip_group};
    [
        common::ALL,
        dev_machine::ALL,
        eip::ALL,
        eip_group::ALL,
        bandwidth_package::ALL,
    ]
    .concat()
}

/// Every catalog code of the Tencent dialect.
pub fn tencent_codes() -> Vec<Code> {
    use tencent::{common, tcr};
    [common::ALL, tcr::ALL].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_agree_with_the_crate_on_examples() {
        assert!(reference_is_valid_request_id(b"a-b_c.d:e"));
        assert!(!reference_is_valid_request_id(b""));
        assert!(is_uuid_v4(b"ae2225f7-1c2e-427a-a1ad-5413b762957d"));
        assert_eq!(reference_fill("a {} b {}", &["1".into()]), "a 1 b ");
        let cut = reference_bound(&"é".repeat(1000), 1024);
        assert!(cut.len() <= 1024 && cut.ends_with('…'));
    }
}
