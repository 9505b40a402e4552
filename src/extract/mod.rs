//! Compliant JSON extraction (docs: the `rules` page, section JSON request bodies, and the
//! provider modules).
mod body;
mod content_type;
pub(crate) mod echo;
#[cfg(feature = "axum")]
mod extractor;
mod parse;
mod strict;
mod validate;

pub(crate) mod bce;
pub(crate) mod tencent;

#[cfg(feature = "axum")]
pub use self::extractor::{BceJson, TencentJson};
pub use self::validate::Validate;

#[cfg(all(test, feature = "axum"))]
mod tests {
    use super::*;

    /// The extractors are Send and Sync, so they work in any handler.
    #[test]
    fn traits() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<BceJson<serde_json::Value>>();
        send_sync::<TencentJson<serde_json::Value, 1024>>();
    }
}
