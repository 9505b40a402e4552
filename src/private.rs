//! Hooks for the code `#[derive(IntoCloudError)]` generates. Not public API: no semver promise.

use crate::code::{Code, Dialect, BCE, TENCENT};

#[cfg(feature = "axum")]
pub use axum_core::response::{IntoResponse, Response};

/// Expands to its input with the `axum` feature of this crate and to nothing without it, so the
/// derive can make a type an axum handler error only when this crate has axum support.
#[cfg(feature = "axum")]
#[doc(hidden)]
#[macro_export]
macro_rules! __tower_cloud_error_axum_handler_error {
    ($($tokens:tt)*) => { $($tokens)* };
}

/// Expands to its input with the `axum` feature of this crate and to nothing without it, so the
/// derive can make a type an axum handler error only when this crate has axum support.
#[cfg(not(feature = "axum"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __tower_cloud_error_axum_handler_error {
    ($($tokens:tt)*) => {};
}

pub use crate::__tower_cloud_error_axum_handler_error as axum_handler_error;

/// The placeholder response that carries `error` to the layer.
#[cfg(feature = "axum")]
#[must_use]
pub fn into_response(error: crate::CloudError) -> Response {
    crate::CloudError::into_response::<axum_core::body::Body>(error)
}

/// A template argument: the field's `Display`.
#[must_use]
pub fn arg<T: std::fmt::Display + ?Sized>(field: &T) -> String {
    field.to_string()
}

/// `code`, if it is a BCE code; evaluated in a `const`, so `#[cloud(bce = ...)]` with a code of
/// another dialect does not compile.
#[must_use]
pub const fn bce_code(code: Code) -> Code {
    if !same_dialect(code.dialect(), BCE) {
        panic!("`#[cloud(bce = ...)]` needs a BCE code, such as one from `bce::eip`");
    }
    code
}

/// `code`, if it is a Tencent code; evaluated in a `const`, so `#[cloud(tencent = ...)]` with a
/// code of another dialect does not compile.
#[must_use]
pub const fn tencent_code(code: Code) -> Code {
    if !same_dialect(code.dialect(), TENCENT) {
        panic!("`#[cloud(tencent = ...)]` needs a Tencent code, such as one from `tencent::tcr`");
    }
    code
}

/// `a == b` in `const` context (`str` equality is not `const`).
const fn same_dialect(a: Dialect, b: Dialect) -> bool {
    let (a, b) = (a.name().as_bytes(), b.name().as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// What a derived type needs to keep itself as its error's source (for the logs).
#[diagnostic::on_unimplemented(
    message = "`{Self}` must be `std::error::Error + Send + Sync + 'static` to derive `IntoCloudError`",
    label = "not `std::error::Error + Send + Sync + 'static`",
    note = "the derive keeps the value as the error's source, logged with the request id: derive `thiserror::Error` too"
)]
pub trait KeepsSource {
    /// The value as a source.
    fn into_source(self) -> crate::BoxError;
}

impl<T: std::error::Error + Send + Sync + 'static> KeepsSource for T {
    fn into_source(self) -> crate::BoxError {
        Box::new(self)
    }
}
