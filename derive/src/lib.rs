//! `#[derive(IntoCloudError)]` for [tower-cloud-error](https://docs.rs/tower-cloud-error).
//!
//! Use it through tower-cloud-error's `derive` feature, which re-exports it as
//! `tower_cloud_error::IntoCloudError`; its documentation is there. The generated code names
//! `::tower_cloud_error`, so this crate is not useful on its own.

#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub, rust_2018_idioms)]

mod attr;
mod expand;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

/// Defined in the `tower-cloud-error-derive` crate; use it through tower-cloud-error's `derive`
/// feature.
#[proc_macro_derive(IntoCloudError, attributes(cloud))]
pub fn derive_into_cloud_error(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand::derive(&input) {
        Ok(tokens) => tokens.into(),
        Err(error) => {
            let mut tokens = error.into_compile_error();
            tokens.extend(expand::fallback(&input));
            tokens.into()
        }
    }
}
