//! Requests signed by the official SDKs (the vectors of `src/auth/sdk_vectors.rs`: bce-python-sdk
//! 0.9.79 and tencentcloud-sdk-python-common 3.1.195 at 2025-12-01T00:00:00Z), and the
//! verifying layers with a clock stopped at that time, for the verification benchmarks.

use std::convert::Infallible;
use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::Full;
use tower_cloud_error::bce::{Credential, InMemoryCredentials, ManualClock};
use tower_cloud_error::{bce, tencent};

use super::Body;

fn clock() -> ManualClock {
    ManualClock::new(UNIX_EPOCH + Duration::from_secs(1_764_547_200))
}

/// The `bce-auth-v1` verifier knowing the vectors' key.
pub fn bce_layer() -> bce::SignatureLayer<InMemoryCredentials> {
    let store = InMemoryCredentials::new().with(Credential::new("AKIDbce0001", "bce-secret-0001"));
    bce::SignatureLayer::new(store).clock(clock())
}

/// The `TC3-HMAC-SHA256` verifier knowing the vectors' key.
pub fn tencent_layer() -> tencent::SignatureLayer<InMemoryCredentials> {
    let store = InMemoryCredentials::new().with(Credential::new("AKIDtc0001", "tc-secret-0001"));
    tencent::SignatureLayer::new(store).clock(clock())
}

/// The BCE SDK's `PUT /v1/eip/1.2.3.4?bind=`, signed with the default header set; `tamper`
/// changes the path after signing.
pub fn bce_signed(tamper: bool) -> Request<()> {
    Request::put(if tamper { "/v1/eip/1.2.3.5?bind=" } else { "/v1/eip/1.2.3.4?bind=" })
        .header("host", "127.0.0.1:8080")
        .header("content-type", "application/json; charset=utf-8")
        .header("content-length", "27")
        .header("x-bce-date", "2025-12-01T00:00:01Z")
        .header("authorization", "bce-auth-v1/AKIDbce0001/2025-12-01T00:00:00Z/1800//f0d7b5c7af511b0db523f26cbb95a16aa3d5819e87fc91a8364e50e24e7c1973")
        .body(())
        .unwrap()
}

/// The Tencent SDK's `POST /` `DescribeInstances` with a 35-byte JSON body.
pub fn tencent_signed() -> Request<Body> {
    Request::post("/")
        .header("content-type", "application/json")
        .header("host", "tcr.tencentcloudapi.com")
        .header("x-tc-action", "DescribeInstances")
        .header("x-tc-timestamp", "1764547200")
        .header("x-tc-version", "2019-09-24")
        .header("x-tc-region", "ap-guangzhou")
        .header("x-tc-language", "zh-CN")
        .header("authorization", "TC3-HMAC-SHA256 Credential=AKIDtc0001/2025-12-01/tcr/tc3_request, SignedHeaders=content-type;host, Signature=d08fa356ee58b8774c3f3deea1dc8e2f0dfa597c1675ccf70e1e99bb08089303")
        .body(Full::new(Bytes::from_static(b"{\"RegistryId\": \"tcr-1\", \"Limit\": 2}")))
        .unwrap()
}

/// The bare inner service for full-body requests: an empty 200.
pub fn ok_full(_: Request<Body>) -> std::future::Ready<Result<Response<Body>, Infallible>> {
    std::future::ready(Ok(Response::new(Full::new(Bytes::new()))))
}
