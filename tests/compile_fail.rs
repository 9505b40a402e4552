//! A malformed code in a `const` does not compile, with a message that says what is wrong.

#[test]
fn malformed_codes_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail/*.rs");
}
