//! Each misuse of `#[derive(IntoCloudError)]` is a compile error that points at the mistake.
#![cfg(all(feature = "derive", feature = "axum"))]

#[test]
fn misuses_of_the_derive_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/derive/*.rs");
}
