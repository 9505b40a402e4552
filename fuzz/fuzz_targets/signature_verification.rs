//! The signature verifiers never panic, whatever the request: arbitrary `Authorization` values
//! (raw, or built from arbitrary parts of the documented form with a known key and a fresh
//! timestamp, so the canonicalizer runs), paths, queries, headers and bodies; every rejection
//! carries one of the scheme's documented codes.

#![no_main]

use std::convert::Infallible;
use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::Full;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;
use tower_cloud_error::bce::{Credential, InMemoryCredentials, ManualClock, SignatureError};
use tower_cloud_error::{bce, tencent};
use tower_cloud_error_fuzz::now;
use tower_layer::Layer;

/// 2025-12-01T00:00:00Z.
const NOW: u64 = 1_764_547_200;

#[derive(Arbitrary, Debug)]
struct Input {
    tencent: bool,
    method: u8,
    path: String,
    query: String,
    authorization: Authorization,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
enum Authorization {
    Raw(Vec<u8>),
    /// `bce-auth-v1/AK/2025-12-01T00:00:00Z/{expiration}/{signed}/{signature}` or
    /// `TC3-HMAC-SHA256 Credential=AK/2025-12-01/{service}/tc3_request, SignedHeaders={signed}, Signature={signature}`.
    Shaped {
        expiration: String,
        service: String,
        signed: String,
        signature: String,
    },
}

fuzz_target!(|input: Input| {
    let method = ["GET", "POST", "PUT", "DELETE", "HEAD"][usize::from(input.method % 5)];
    let uri = if input.query.is_empty() {
        format!("/{}", input.path)
    } else {
        format!("/{}?{}", input.path, input.query)
    };
    let mut builder = Request::builder().method(method).uri(uri);
    for (name, value) in &input.headers {
        builder = builder.header(name.as_str(), value.as_slice());
    }
    let authorization: Vec<u8> = match &input.authorization {
        Authorization::Raw(bytes) => bytes.clone(),
        Authorization::Shaped { expiration, service, signed, signature } if input.tencent => format!(
            "TC3-HMAC-SHA256 Credential=AK/2025-12-01/{service}/tc3_request, SignedHeaders={signed}, Signature={signature}"
        )
        .into_bytes(),
        Authorization::Shaped { expiration, signed, signature, .. } => {
            format!("bce-auth-v1/AK/2025-12-01T00:00:00Z/{expiration}/{signed}/{signature}").into_bytes()
        }
    };
    builder = builder
        .header("authorization", authorization.as_slice())
        .header("x-tc-timestamp", NOW.to_string());
    let Ok(request) = builder.body(Full::new(Bytes::from(input.body))) else {
        return;
    };

    let store = InMemoryCredentials::new().with(Credential::new("AK", "SK"));
    let clock = ManualClock::new(UNIX_EPOCH + Duration::from_secs(NOW));
    let inner = tower::service_fn(|_: Request<Full<Bytes>>| async {
        Ok::<_, Infallible>(Response::new(()))
    });
    let outcome = if input.tencent {
        let layer = tencent::SignatureLayer::new(store)
            .clock(clock)
            .body_limit(1 << 16);
        now(layer.layer(inner).oneshot(request))
    } else {
        now(bce::SignatureLayer::new(store)
            .clock(clock)
            .layer(inner)
            .oneshot(request))
    };
    if let Err(SignatureError::Rejected(error)) = outcome {
        let code = error.code().expect("rejections carry a documented code");
        let documented = if input.tencent {
            tencent::common::ALL.contains(code)
        } else {
            bce::common::ALL.contains(code)
        };
        assert!(documented, "undocumented rejection code {code:?}");
    }
});
