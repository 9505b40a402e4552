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
    canonical_message: bool,
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
            canonical_message: code == internal
                || error.is_internal()
                || error.code() != Some(&code),
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
        if self.canonical_message {
            return Cow::Borrowed(match language {
                Language::ZhCn => self.code.message_zh(),
                Language::EnUs => self.code.message(),
            });
        }
        self.error.message(language)
    }

    /// The request id, the same as in the response header.
    #[must_use]
    pub fn request_id(&self) -> &'a str {
        self.request_id
    }
}
