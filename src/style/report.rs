//! [`ErrorReport`]: the resolved error a [`Style`](super::Style) renders.

use std::borrow::Cow;

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
    /// Resolves `error` for a style of `dialect` whose internal error is `internal`: a code of
    /// that dialect is rendered as is; an error without a code, or with another dialect's code,
    /// is rendered as `internal`. Internal errors always show their canonical message.
    pub(crate) fn resolve(
        error: &'a CloudError,
        request_id: &'a str,
        dialect: crate::code::Dialect,
        internal: Code,
    ) -> Self {
        let code = match error.code() {
            Some(code) if code.dialect() == dialect => *code,
            Some(code) => {
                tracing::error!(
                    request_id,
                    code = code.name(),
                    dialect = ?code.dialect(),
                    layer_dialect = ?dialect,
                    "error code of another dialect rendered as InternalError"
                );
                internal
            }
            None => internal,
        };
        ErrorReport {
            code,
            error,
            request_id,
            // Substituted codes, the style's internal error and `InternalError.*` are server
            // faults: they render their canonical message only.
            internal: error.code() != Some(&code)
                || code == internal
                || code.category() == "InternalError",
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
        self.error.message(language)
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
