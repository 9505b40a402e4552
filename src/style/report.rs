//! [`ErrorReport`]: the resolved error a [`Style`](super::Style) renders.

use std::borrow::Cow;

use super::Style;
use crate::code::Code;
use crate::error::CloudError;
use crate::language::Language;

/// An error ready to render: the code the style must render, its message policy and the
/// request id. Built by the layer; styles read it.
#[derive(Debug)]
pub struct ErrorReport<'a> {
    code: Code,
    error: &'a CloudError,
    request_id: &'a str,
    internal: bool,
}

impl<'a> ErrorReport<'a> {
    /// Resolves `error` for `style`:
    /// - the error's code of the style's dialect is rendered as is (see
    ///   [`CloudError::or_code`]);
    /// - a [`Condition`](crate::Condition) is rendered as the style's code for it;
    /// - a code of another dialect is a programming error: logged, and rendered as the style's
    ///   internal error.
    ///
    /// The style's internal error and `InternalError.*` codes always show their canonical
    /// message.
    pub fn new<St: Style>(error: &'a CloudError, request_id: &'a str, style: &St) -> Self {
        let internal_error = style.internal_error();
        let dialect = style.dialect();
        let (code, substituted) = match (error.code_for(dialect), error.code(), error.condition()) {
            (Some(code), _, _) => (*code, false),
            (None, Some(code), _) => {
                tracing::error!(
                    request_id,
                    code = code.name(),
                    dialect = code.dialect().name(),
                    style_dialect = dialect.name(),
                    "an error without a code of the style's dialect is answered InternalError: \
                     add one with CloudError::or_code"
                );
                (internal_error, true)
            }
            (None, None, Some(condition)) => {
                let code = style.code_for(condition);
                if code.dialect() == dialect {
                    (code, false)
                } else {
                    (internal_error, true)
                }
            }
            (None, None, None) => (internal_error, true),
        };
        ErrorReport {
            code,
            error,
            request_id,
            // Substituted codes, the style's internal error and `InternalError.*` are server
            // faults: they render their canonical message only.
            internal: substituted || code == internal_error || is_internal_error_category(&code),
        }
    }

    /// The code to render.
    #[must_use]
    pub fn code(&self) -> &Code {
        &self.code
    }

    /// The message to render in `language`. Internal errors (`InternalError` and its sub-codes)
    /// always give the code's canonical message: a custom message could carry internals.
    #[must_use]
    pub fn message(&self, language: Language) -> Cow<'a, str> {
        if self.internal {
            return Cow::Borrowed(match language {
                Language::ZhCn => self.code.message_zh(),
                Language::EnUs => self.code.message(),
            });
        }
        self.error.message_for(&self.code, language)
    }

    /// Whether the message is the code's own (no custom message, no template arguments), so a
    /// style may fill the template from the request, as BCE's `RequestExpired` does.
    #[must_use]
    pub fn has_default_message(&self) -> bool {
        self.internal || self.error.has_default_message()
    }

    /// Whether this is a server fault (the style's internal error, an `InternalError.*` code, or
    /// an error that had no code of the style's dialect). Its message is always canonical.
    #[must_use]
    pub fn is_internal(&self) -> bool {
        self.internal
    }

    /// The request id, the same as in the response header.
    #[must_use]
    pub fn request_id(&self) -> &'a str {
        self.request_id
    }
}

/// Whether `code` is `InternalError` or one of its sub-codes (`InternalError.*`): its category
/// is `InternalError`, found without searching the whole name for a dot.
fn is_internal_error_category(code: &Code) -> bool {
    code.name()
        .strip_prefix("InternalError")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Dialect;

    #[test]
    fn the_internal_error_category_is_the_one_category_reports() {
        for name in [
            "InternalError",
            "InternalError.DbError",
            "InternalError.",
            "InternalErrorX",
            "InternalErro",
            "Internal",
            "FailedOperation.InternalError",
            "AuthFailure",
        ] {
            let code = Code::new(Dialect::new("test"), name, 500, "m", "m");
            assert_eq!(
                is_internal_error_category(&code),
                code.category() == "InternalError",
                "{name}"
            );
        }
    }
}
