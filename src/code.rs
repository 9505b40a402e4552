//! [`Code`]: one documented error code, checked when it is declared.

use std::fmt;

use http::StatusCode;

/// The API convention a [`Code`] belongs to, named: [`bce::DIALECT`](crate::bce::DIALECT),
/// [`tencent::DIALECT`](crate::tencent::DIALECT), or your own for a third convention.
///
/// A code is only ever rendered by a [`Style`](crate::Style) of its own dialect. Dialects are
/// equal when their names are.
///
/// ```
/// use tower_cloud_error::{bce, Code, Dialect};
///
/// const ACME: Dialect = Dialect::new("acme");
/// const QUOTA: Code = Code::new(ACME, "QuotaExceeded", 429, "Quota exceeded.", "超出配额。");
/// assert_eq!(QUOTA.dialect(), ACME);
/// assert_ne!(ACME, bce::DIALECT);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Dialect {
    name: &'static str,
}

impl Dialect {
    /// A dialect called `name`.
    #[must_use]
    pub const fn new(name: &'static str) -> Dialect {
        Dialect { name }
    }

    /// The dialect's name (`bce`, `tencent`, ...).
    #[must_use]
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

/// The BCE dialect.
pub(crate) const BCE: Dialect = Dialect::new("bce");
/// The Tencent Cloud API 3.0 dialect.
pub(crate) const TENCENT: Dialect = Dialect::new("tencent");

/// A documented error code: its wire name, HTTP status and default message(s).
///
/// Codes are declared in `const` context, and a malformed wire name or status stops the build
/// (a `const` panic), so a typo in a code can never reach a client. The catalogs
/// ([`bce::eip`](crate::bce::eip), [`tencent::tcr`](crate::tencent::tcr), ...) are declared
/// exactly like your own codes, with [`bce::code`](crate::bce::code) and
/// [`tencent::code`](crate::tencent::code):
///
/// ```
/// use tower_cloud_error::{bce, tencent, Code};
///
/// // A BCE service code: CamelCase segments, optionally joined by dots, and its status.
/// const KEYPAIR_NOT_EXIST: Code =
///     bce::code("Keypair.KeypairNotExist", 404, "The specified keypair does not exist.");
///
/// // A Tencent code: 1-3 dot-joined segments, a Chinese and an English message.
/// const NO_REPO: Code = tencent::code(
///     "ResourceNotFound.ErrNoRepo",
///     "仓库不存在。",
///     "The repository does not exist.",
/// );
///
/// assert_eq!(KEYPAIR_NOT_EXIST.status(), 404);
/// assert_eq!(NO_REPO.status(), 200); // Tencent errors always travel with HTTP 200
/// assert_eq!(NO_REPO.name(), "ResourceNotFound.ErrNoRepo");
/// ```
///
/// A malformed name does not compile:
///
/// ```compile_fail
/// use tower_cloud_error::{bce, Code};
/// const BAD: Code = bce::code("eip_not_found", 404, "lower case and underscores");
/// ```
///
/// ```compile_fail
/// use tower_cloud_error::{tencent, Code};
/// const BAD: Code = tencent::code("A.B.C.D", "四段", "four segments");
/// ```
///
/// A third convention declares its codes with [`Code::new`] and its own [`Dialect`].
///
/// # Message templates
///
/// A message may hold `{}` placeholders, filled in order by
/// [`CloudError::with_args`](crate::CloudError::with_args) (BCE's `RequestExpired` is
/// `Request has expired. Timestamp date is {}.`).
///
/// # Equality
///
/// Two codes are equal when they have the same dialect and wire name: a service that declares
/// its own `MissingParameter` with another message still has the documented `MissingParameter`.
#[derive(Clone, Copy)]
pub struct Code {
    dialect: Dialect,
    name: &'static str,
    status: StatusCode,
    message: &'static str,
    message_zh: &'static str,
}

/// Longest wire name accepted. The longest code in the Tencent Go SDK is well under this.
const MAX_NAME_LEN: usize = 128;

impl Code {
    /// Declares a code of any dialect: `name` is 1 to 128 bytes of `[A-Za-z0-9._-]` starting
    /// with a letter, `status` the HTTP status the code is sent with (an error status, or 200
    /// for a convention that sends errors with 200, like Tencent's), `message_en` and
    /// `message_zh` its default messages (the same text twice for a single-language
    /// convention).
    ///
    /// The built-in dialects check more: use [`bce::code`](crate::bce::code) and
    /// [`tencent::code`](crate::tencent::code) for their codes.
    ///
    /// # Panics
    ///
    /// At compile time, in `const` context, when the name, status or a message is malformed.
    #[must_use]
    pub const fn new(
        dialect: Dialect,
        name: &'static str,
        status: u16,
        message_en: &'static str,
        message_zh: &'static str,
    ) -> Code {
        if !is_plain_name(name) {
            panic!("invalid error code name: expected 1-128 bytes of [A-Za-z0-9._-] starting with a letter");
        }
        let status = match StatusCode::from_u16(status) {
            Ok(status) if status.as_u16() == 200 || status.as_u16() >= 400 => status,
            _ => panic!("invalid error status: expected 200 or a 4xx or 5xx status"),
        };
        if message_en.is_empty() || message_zh.is_empty() {
            panic!("an error code needs its messages");
        }
        Code {
            dialect,
            name,
            status,
            message: message_en,
            message_zh,
        }
    }

    /// Declares a BCE code: `name` is CamelCase segments optionally joined by dots
    /// (`EipNotFound`, `Keypair.KeypairNotExist`), `status` a 4xx or 5xx status, `message` the
    /// documented English message.
    ///
    /// # Panics
    ///
    /// At compile time, in `const` context, when the name, status or message is malformed.
    #[must_use]
    pub(crate) const fn bce(name: &'static str, status: u16, message: &'static str) -> Code {
        if !is_bce_name(name) {
            panic!("invalid BCE error code name: expected CamelCase segments joined by dots, like `EipNotFound` or `Keypair.KeypairNotExist`");
        }
        if status < 400 || status > 599 {
            panic!("invalid BCE error status: an error code needs a 4xx or 5xx status");
        }
        let status = match StatusCode::from_u16(status) {
            Ok(status) => status,
            Err(_) => panic!("invalid BCE error status"),
        };
        if message.is_empty() {
            panic!("a BCE error code needs a message");
        }
        Code {
            dialect: BCE,
            name,
            status,
            message,
            message_zh: message,
        }
    }

    /// Declares a Tencent Cloud API 3.0 code: `name` is 1 to 3 dot-joined segments of
    /// `[A-Za-z0-9_]`, each starting with a capital letter (`ResourceNotFound.ErrNoRepo`), with a
    /// Chinese and an English message. Tencent errors are always sent with HTTP 200.
    ///
    /// # Panics
    ///
    /// At compile time, in `const` context, when the name or a message is malformed.
    #[must_use]
    pub(crate) const fn tencent(
        name: &'static str,
        message_zh: &'static str,
        message_en: &'static str,
    ) -> Code {
        if !is_tencent_name(name) {
            panic!("invalid Tencent error code name: expected 1-3 dot-joined segments of [A-Za-z0-9_] starting with a capital, like `ResourceNotFound.ErrNoRepo`");
        }
        if message_zh.is_empty() || message_en.is_empty() {
            panic!("a Tencent error code needs a Chinese and an English message");
        }
        Code {
            dialect: TENCENT,
            name,
            status: StatusCode::OK,
            message: message_en,
            message_zh,
        }
    }

    /// The wire name, e.g. `EipNotFound`.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The dialect this code belongs to.
    #[must_use]
    pub const fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The HTTP status the code is sent with: the documented one for BCE, 200 for Tencent.
    #[must_use]
    pub const fn status(&self) -> StatusCode {
        self.status
    }

    /// The default English message (for BCE, the documented message).
    #[must_use]
    pub const fn message(&self) -> &'static str {
        self.message
    }

    /// The default Chinese message (for BCE codes, which document only English, the English one).
    #[must_use]
    pub const fn message_zh(&self) -> &'static str {
        self.message_zh
    }

    /// The category of a dotted code: `ResourceNotFound` for `ResourceNotFound.ErrNoRepo`, the
    /// whole name for a code without a dot.
    #[must_use]
    pub fn category(&self) -> &'static str {
        // A byte search: names are ASCII, and this runs for every error rendered.
        match self.name.bytes().position(|b| b == b'.') {
            Some(dot) => &self.name[..dot],
            None => self.name,
        }
    }
}

impl PartialEq for Code {
    fn eq(&self, other: &Self) -> bool {
        self.dialect == other.dialect && self.name == other.name
    }
}

impl Eq for Code {}

impl std::hash::Hash for Code {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.dialect.hash(state);
        self.name.hash(state);
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Code")
            .field("dialect", &self.dialect)
            .field("name", &self.name)
            .field("status", &self.status.as_u16())
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// A letter, then `[A-Za-z0-9._-]`, at most [`MAX_NAME_LEN`] bytes.
const fn is_plain_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_NAME_LEN || !bytes[0].is_ascii_alphabetic() {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-') {
            return false;
        }
        i += 1;
    }
    true
}

/// `[A-Z][A-Za-z0-9]*` segments joined by single dots.
pub(crate) const fn is_bce_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_NAME_LEN {
        return false;
    }
    let mut i = 0;
    let mut segment_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        if segment_start {
            if !b.is_ascii_uppercase() {
                return false;
            }
            segment_start = false;
        } else if b == b'.' {
            segment_start = true;
        } else if !b.is_ascii_alphanumeric() {
            return false;
        }
        i += 1;
    }
    !segment_start
}

/// 1 to 3 segments of `[A-Z][A-Za-z0-9_]*` joined by single dots.
pub(crate) const fn is_tencent_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_NAME_LEN {
        return false;
    }
    let mut i = 0;
    let mut segments = 1;
    let mut segment_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        if segment_start {
            if !b.is_ascii_uppercase() {
                return false;
            }
            segment_start = false;
        } else if b == b'.' {
            segments += 1;
            segment_start = true;
        } else if !(b.is_ascii_alphanumeric() || b == b'_') {
            return false;
        }
        i += 1;
    }
    !segment_start && segments <= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bce_names() {
        for ok in [
            "EipNotFound",
            "Keypair.KeypairNotExist",
            "InvalidHTTPAuthHeader",
            "A",
            "A.B.C.D",
        ] {
            assert!(is_bce_name(ok), "{ok}");
        }
        for bad in [
            "",
            "eipNotFound",
            "Eip_NotFound",
            "Eip.",
            ".Eip",
            "Eip..NotFound",
            "Eip.notFound",
            "Eip NotFound",
            "EipNotFound\n",
            "Ü",
        ] {
            assert!(!is_bce_name(bad), "{bad:?}");
        }
        assert!(!is_bce_name(&"A".repeat(MAX_NAME_LEN + 1)));
    }

    #[test]
    fn tencent_names() {
        for ok in [
            "InternalError",
            "ResourceNotFound.ErrNoRepo",
            "A.B_c.C9",
            "MissingParameter.MissingParameter",
        ] {
            assert!(is_tencent_name(ok), "{ok}");
        }
        for bad in [
            "",
            "A.B.C.D",
            "internalError",
            "A._b",
            "A.",
            "A..B",
            "A-B",
            "A.B c",
        ] {
            assert!(!is_tencent_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn constructors_keep_what_they_are_given() {
        const C: Code = Code::bce("EipNotFound", 404, "The specified eip does not exist.");
        assert_eq!(C.name(), "EipNotFound");
        assert_eq!(C.status(), StatusCode::NOT_FOUND);
        assert_eq!(C.dialect(), BCE);
        assert_eq!(C.message(), "The specified eip does not exist.");
        assert_eq!(C.category(), "EipNotFound");

        const T: Code = Code::tencent("ResourceNotFound.ErrNoRepo", "仓库不存在。", "No repo.");
        assert_eq!(T.status(), StatusCode::OK);
        assert_eq!(T.dialect(), TENCENT);
        assert_eq!(T.message_zh(), "仓库不存在。");
        assert_eq!(T.message(), "No repo.");
        assert_eq!(T.category(), "ResourceNotFound");
        assert_eq!(T.to_string(), "ResourceNotFound.ErrNoRepo");
    }

    #[test]
    fn equality_is_dialect_and_name() {
        let documented = Code::tencent("MissingParameter", "缺少参数。", "Missing parameter.");
        let own = Code::tencent("MissingParameter", "缺少参数 `Name`。", "Missing `Name`.");
        let bce = Code::bce("MissingParameter", 400, "Missing parameter.");
        assert_eq!(documented, own);
        assert_ne!(documented, bce);
    }

    #[test]
    #[should_panic(expected = "4xx or 5xx")]
    fn bce_success_status_is_rejected() {
        let _ = Code::bce("Fine", 200, "not an error");
    }
}
