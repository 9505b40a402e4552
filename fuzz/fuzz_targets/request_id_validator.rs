//! `is_valid_request_id` never panics and agrees with a reference implementation; and an id
//! from outside (the client's header, with trust on or off, sent once or several times; a
//! custom `MakeRequestId`; an outer layer's `RequestId` extension) is used by the real layer if
//! and only if it is valid (and, for a client's, trusted and sent once). Every response, success
//! or error, in either style, has exactly one valid id header, the body's id is the header's,
//! and `conformance::Checker` finds no violation.

#![no_main]

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response};
use http_body_util::Full;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tower_cloud_error::{bce, tencent};
use tower_cloud_error::conformance::{BceConformance, Checker, TencentConformance};
use tower_cloud_error::{CloudError, CloudErrorLayer, Dialect, Style};
use tower_cloud_error::request_id::{is_valid_request_id, MakeRequestId, RequestId, MAX_REQUEST_ID_LEN};
use tower_cloud_error::bce::Bce;
use tower_cloud_error::tencent::Tencent;
use tower_cloud_error_fuzz::{is_uuid_v4, reference_is_valid_request_id, respond};
use tower_layer::Layer;

#[derive(Arbitrary, Debug)]
struct Input {
    id: Vec<u8>,
    /// Grows `id` past the length limit now and then.
    repeat: u8,
    source: Source,
    tencent_style: bool,
    fail: bool,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Source {
    Header { copies: u8, trust: bool },
    Generator,
    OuterExtension,
}

/// A generator that returns the fuzzed value.
#[derive(Clone)]
struct Fixed(Option<HeaderValue>);

impl MakeRequestId for Fixed {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        self.0.clone().map(RequestId::new)
    }
}

fuzz_target!(|input: Input| {
    let id = input.id.repeat(usize::from(input.repeat % 8) + 1);

    // The validator alone.
    let valid = is_valid_request_id(&id);
    assert_eq!(valid, reference_is_valid_request_id(&id), "{id:?}");
    assert!(!valid || id.len() <= MAX_REQUEST_ID_LEN);

    // Only what `HeaderValue` accepts can reach the layer (no CR, LF, NUL or other controls
    // but tab).
    let Ok(value) = HeaderValue::from_bytes(&id) else {
        assert!(
            id.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f),
            "HeaderValue refused {id:?}"
        );
        return;
    };
    if input.tencent_style {
        through_layer(&input, Tencent::new(), tencent::DIALECT, value, valid);
    } else {
        through_layer(&input, Bce::new(), bce::DIALECT, value, valid);
    }
});

fn through_layer<St: Style>(
    input: &Input,
    style: St,
    dialect: Dialect,
    value: HeaderValue,
    valid: bool,
) {
    let header = style.request_id_header().clone();
    let fail = input.fail;
    let inner = tower::service_fn(move |_: Request<()>| {
        let error = match dialect {
            bce::DIALECT => CloudError::new(bce::eip::EIP_NOT_FOUND),
            _ => CloudError::new(tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO),
        };
        std::future::ready(if fail {
            Err(error)
        } else {
            Ok::<_, CloudError>(Response::new(Full::new(Bytes::new())))
        })
    });
    let mut request = Request::builder().method(Method::POST).body(()).unwrap();
    let (response, reused) = match input.source {
        Source::Header { copies, trust } => {
            let copies = usize::from(copies % 3) + 1;
            for _ in 0..copies {
                request.headers_mut().append(header.clone(), value.clone());
            }
            let mut service = CloudErrorLayer::new(style)
                .trust_incoming_request_id(trust)
                .layer(inner);
            (
                respond(&mut service, request),
                trust && copies == 1 && valid,
            )
        }
        Source::Generator => {
            let mut service = CloudErrorLayer::new(style)
                .make_request_id(Fixed(Some(value.clone())))
                .layer(inner);
            (respond(&mut service, request), valid)
        }
        Source::OuterExtension => {
            request
                .extensions_mut()
                .insert(RequestId::new(value.clone()));
            let mut service = CloudErrorLayer::new(style).layer(inner);
            (respond(&mut service, request), valid)
        }
    };

    let ids: Vec<_> = response.headers().get_all(&header).iter().collect();
    assert_eq!(ids.len(), 1, "exactly one id header: {ids:?}");
    let id = ids[0];
    assert!(is_valid_request_id(id.as_bytes()), "{id:?}");
    if reused {
        assert_eq!(*id, value, "a valid id is used");
    } else {
        assert!(is_uuid_v4(id.as_bytes()), "{value:?} gave {id:?}");
    }
    let id = id.to_str().unwrap().to_owned();
    if fail {
        let json: Value = serde_json::from_slice(response.body()).expect("JSON envelope");
        let body_id = match dialect {
            bce::DIALECT => &json["requestId"],
            _ => &json["Response"]["RequestId"],
        };
        assert_eq!(body_id.as_str(), Some(id.as_str()));
    }
    if let Err(violations) = checker_for(dialect)
        .expect_request_id(id)
        .check(&Method::POST, &response)
    {
        panic!("{violations:?} for {input:?}");
    }
}

/// The checker of `dialect`'s convention, with the other built-in convention's codes foreign.
fn checker_for(dialect: Dialect) -> Checker {
    if dialect == tower_cloud_error::bce::DIALECT {
        Checker::new(BceConformance).with_foreign_convention(&TencentConformance)
    } else {
        Checker::new(TencentConformance).with_foreign_convention(&BceConformance)
    }
}
