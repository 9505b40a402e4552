//! [`Language`]: the language of a rendered message.

use http::HeaderValue;

/// The language a message is rendered in.
///
/// Tencent Cloud API 3.0 clients choose it with the `X-TC-Language` header (`zh-CN` or `en-US`);
/// BCE messages are English only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Language {
    /// Simplified Chinese, `zh-CN`: the Tencent default.
    #[default]
    ZhCn,
    /// US English, `en-US`.
    EnUs,
}

impl Language {
    /// Parses an `X-TC-Language` value (`zh-CN` or `en-US`, case-insensitive); anything else is
    /// `None`.
    ///
    /// ```
    /// use http::HeaderValue;
    /// use tower_cloud_error::Language;
    ///
    /// assert_eq!(Language::from_header(&HeaderValue::from_static("en-US")), Some(Language::EnUs));
    /// assert_eq!(Language::from_header(&HeaderValue::from_static("fr-FR")), None);
    /// ```
    #[must_use]
    pub fn from_header(value: &HeaderValue) -> Option<Language> {
        let value = value.as_bytes();
        if value.eq_ignore_ascii_case(b"zh-CN") {
            Some(Language::ZhCn)
        } else if value.eq_ignore_ascii_case(b"en-US") {
            Some(Language::EnUs)
        } else {
            None
        }
    }

    /// The header value for this language, `zh-CN` or `en-US`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::EnUs => "en-US",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_languages_case_insensitively() {
        for (text, language) in [
            ("zh-CN", Some(Language::ZhCn)),
            ("ZH-cn", Some(Language::ZhCn)),
            ("en-US", Some(Language::EnUs)),
            ("en-us", Some(Language::EnUs)),
            ("en", None),
            ("", None),
        ] {
            assert_eq!(
                Language::from_header(&HeaderValue::from_static(text)),
                language,
                "{text}"
            );
        }
        assert_eq!(Language::EnUs.as_str(), "en-US");
    }
}
