//! The front door: `bce-auth-v1` and `TC3-HMAC-SHA256` signature verification, as the
//! official SDKs sign. Public through `bce::` and `tencent::`.

mod bce_layer;
mod bce_sign;
mod clock;
mod credentials;
mod encode;
mod error;
mod headers;
mod tc3_layer;
mod tc3_sign;

pub use clock::{Clock, ManualClock, SystemClock};
pub use credentials::{Credential, CredentialStore, InMemoryCredentials, Principal, Secret};
pub use error::SignatureError;

/// The `bce-auth-v1` verifier and what it shares with the Tencent one.
pub(crate) mod bce {
    pub use super::bce_layer::{SignatureLayer, SignatureService};
    pub use super::{
        Clock, Credential, CredentialStore, InMemoryCredentials, ManualClock, Principal, Secret,
        SignatureError, SystemClock,
    };
}

/// The `TC3-HMAC-SHA256` verifier and what it shares with the BCE one.
pub(crate) mod tencent {
    pub use super::tc3_layer::{SignatureLayer, SignatureService};
    pub use super::{
        Clock, Credential, CredentialStore, InMemoryCredentials, ManualClock, Principal, Secret,
        SignatureError, SystemClock,
    };
}
#[cfg(test)]
mod sdk_vectors;
