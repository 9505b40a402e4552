//! [`CloudError`]: one occurrence of an error, on its way to becoming an envelope.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use crate::code::Code;
use crate::condition::Condition;
use crate::language::Language;

/// See [`CloudError::MAX_MESSAGE_LEN`].
pub(crate) const MAX_MESSAGE_LEN: usize = 1024;

/// One occurrence of an error: a [`Code`], optionally a message of its own or arguments for the
/// code's message template, and optionally the underlying error.
///
/// The underlying error (the *source*) is kept for the server's logs and is never rendered: a
/// response only ever carries the code and its message.
///
/// ```
/// use tower_cloud_error::{bce::eip, CloudError};
///
/// let err = CloudError::new(eip::EIP_NOT_FOUND)
///     .with_source(std::io::Error::other("row 42 missing in eip_table"));
/// assert_eq!(err.code().map(|c| c.name()), Some("EipNotFound"));
/// assert_eq!(err.to_string(), "EipNotFound: The specified eip does not exist.");
/// assert!(std::error::Error::source(&err).is_some()); // for logs only
/// ```
///
/// `CloudError` is cheap to clone (the source is shared), so it can travel through
/// [`http::Extensions`] to the layer.
#[derive(Clone)]
pub struct CloudError {
    kind: Kind,
    /// What few errors have (codes of other dialects, an unread body), boxed: `CloudError`
    /// travels by value in every `Result`, and clippy's `result_large_err` wants it small.
    extra: Option<Box<Extra>>,
    message: Message,
    source: Option<Arc<dyn StdError + Send + Sync + 'static>>,
}

/// The rarely used parts of a [`CloudError`].
#[derive(Clone, Default)]
struct Extra {
    /// Codes of other dialects for the same error ([`CloudError::or_code`]).
    others: Vec<Code>,
    /// The request body was left unread (refused over its limit): the answer must close the
    /// connection.
    body_unread: bool,
}

#[derive(Clone, Copy)]
enum Kind {
    /// A documented code.
    Code(Code),
    /// A condition each style renders with its own code ([`Condition::Internal`]: InternalError).
    Condition(Condition),
}

#[derive(Clone)]
enum Message {
    /// The code's default message.
    Default,
    /// The code's message template with these arguments, in order.
    Args(Box<[Cow<'static, str>]>),
    /// A message of its own, in every language.
    Custom(Cow<'static, str>),
    /// A message of its own per language (boxed: keeps `CloudError`, and every `Result` that
    /// carries it, small).
    Localized(Box<Localized>),
}

/// A message per language.
#[derive(Clone)]
struct Localized {
    zh: Cow<'static, str>,
    en: Cow<'static, str>,
}

impl CloudError {
    /// The longest message, in bytes, that is rendered; longer ones are cut at a character
    /// boundary and end with `…`. Messages may echo user input: this keeps every envelope small.
    pub const MAX_MESSAGE_LEN: usize = MAX_MESSAGE_LEN;

    /// An error with `code` and its default message.
    #[must_use]
    pub fn new(code: Code) -> Self {
        CloudError {
            kind: Kind::Code(code),
            extra: None,
            message: Message::Default,
            source: None,
        }
    }

    /// The last resort: a server fault for which no specific code applies. Every style renders
    /// it as its own `InternalError` with the canonical message.
    #[must_use]
    pub fn internal() -> Self {
        CloudError::from_condition(Condition::Internal)
    }

    /// An error for a [`Condition`]: each style renders its own code for it (for example
    /// [`Condition::NotFound`] is BCE's `InvalidURI` and Tencent's `InvalidAction`).
    #[must_use]
    pub fn from_condition(condition: Condition) -> Self {
        CloudError {
            kind: Kind::Condition(condition),
            extra: None,
            message: Message::Default,
            source: None,
        }
    }

    /// Adds the code this error has in another dialect, so that one error serves several
    /// styles: each style renders the code of its own dialect (the first one given, if several
    /// share it). Messages and arguments apply to whichever code is rendered.
    ///
    /// ```
    /// use tower_cloud_error::{bce, tencent, CloudError};
    ///
    /// let err = CloudError::new(bce::eip::EIP_NOT_FOUND)
    ///     .or_code(tencent::common::RESOURCE_NOT_FOUND);
    /// assert_eq!(err.code_for(bce::DIALECT), Some(&bce::eip::EIP_NOT_FOUND));
    /// assert_eq!(err.code_for(tencent::DIALECT), Some(&tencent::common::RESOURCE_NOT_FOUND));
    /// ```
    #[must_use]
    pub fn or_code(mut self, code: Code) -> Self {
        match &mut self.kind {
            Kind::Code(_) => self.extra_mut().others.push(code),
            // A condition renders under every style already: the code takes its place.
            Kind::Condition(_) => self.kind = Kind::Code(code),
        }
        self
    }

    /// The code this error renders with under a style of `dialect`, if it has one.
    #[must_use]
    pub fn code_for(&self, dialect: crate::code::Dialect) -> Option<&Code> {
        let Kind::Code(code) = &self.kind else {
            return None;
        };
        std::iter::once(code)
            .chain(self.extra.iter().flat_map(|extra| extra.others.iter()))
            .find(|code| code.dialect() == dialect)
    }

    /// Replaces the message, in every language. Ignored for `InternalError` codes, which always
    /// render their canonical message.
    #[must_use]
    pub fn with_message(mut self, message: impl Into<Cow<'static, str>>) -> Self {
        self.message = Message::Custom(message.into());
        self
    }

    /// Replaces the message with one per language: `zh` for `zh-CN`, `en` for `en-US` (and for
    /// BCE, which is English only). Ignored for `InternalError` codes.
    ///
    /// ```
    /// use tower_cloud_error::{tencent::common, CloudError, Language};
    ///
    /// let err = CloudError::new(common::MISSING_PARAMETER)
    ///     .with_messages("缺少参数 `Namespace`。", "The parameter `Namespace` is missing.");
    /// assert_eq!(err.message(Language::ZhCn), "缺少参数 `Namespace`。");
    /// assert_eq!(err.message(Language::EnUs), "The parameter `Namespace` is missing.");
    /// ```
    #[must_use]
    pub fn with_messages(
        mut self,
        zh: impl Into<Cow<'static, str>>,
        en: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.message = Message::Localized(Box::new(Localized {
            zh: zh.into(),
            en: en.into(),
        }));
        self
    }

    /// Fills the `{}` placeholders of the code's message template, in order.
    ///
    /// ```
    /// use tower_cloud_error::{bce::common, CloudError, Language};
    ///
    /// let err = CloudError::new(common::REQUEST_EXPIRED).with_args(["2015-04-27T08:23:49Z"]);
    /// assert_eq!(
    ///     err.message(Language::EnUs),
    ///     "Request has expired. Timestamp date is 2015-04-27T08:23:49Z."
    /// );
    /// ```
    #[must_use]
    pub fn with_args<I>(mut self, args: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Cow<'static, str>>,
    {
        self.message = Message::Args(args.into_iter().map(Into::into).collect());
        self
    }

    /// Keeps `source` for the server's logs. It is never rendered into a response.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        self.source = Some(Arc::from(source.into()));
        self
    }

    /// The documented code (the first one, if it has one per dialect), or `None` for
    /// [`CloudError::internal`] and conditions, whose code depends on the style that renders it.
    #[must_use]
    pub fn code(&self) -> Option<&Code> {
        match &self.kind {
            Kind::Code(code) => Some(code),
            Kind::Condition(_) => None,
        }
    }

    /// The condition, for an error made with [`CloudError::from_condition`] or
    /// [`CloudError::internal`].
    #[must_use]
    pub fn condition(&self) -> Option<Condition> {
        match self.kind {
            Kind::Code(_) => None,
            Kind::Condition(condition) => Some(condition),
        }
    }

    /// Whether this is a server fault: [`CloudError::internal`], or a code whose category is
    /// `InternalError` (`InternalError`, `InternalError.DbError`, ...).
    #[must_use]
    pub fn is_internal(&self) -> bool {
        match &self.kind {
            Kind::Code(code) => code.category() == "InternalError",
            Kind::Condition(condition) => *condition == Condition::Internal,
        }
    }

    /// The message as rendered in `language`, bounded to [`CloudError::MAX_MESSAGE_LEN`](crate::CloudError::MAX_MESSAGE_LEN) bytes.
    ///
    /// For an error without a code ([`CloudError::internal`], [`CloudError::from_condition`])
    /// the default is empty: the style supplies the message of the code it renders.
    #[must_use]
    pub fn message(&self, language: Language) -> Cow<'_, str> {
        match &self.kind {
            Kind::Code(code) => self.message_for(code, language),
            Kind::Condition(_) => self.message_from_templates("", "", language),
        }
    }

    /// The message as rendered with `code` (the code the style resolved this error to): a
    /// custom message if there is one, else `code`'s template filled with the arguments.
    pub(crate) fn message_for(&self, code: &Code, language: Language) -> Cow<'_, str> {
        self.message_from_templates(code.message_zh(), code.message(), language)
    }

    fn message_from_templates<'a>(
        &'a self,
        zh: &'a str,
        en: &'a str,
        language: Language,
    ) -> Cow<'a, str> {
        let template = match language {
            Language::ZhCn => zh,
            Language::EnUs => en,
        };
        let message = match &self.message {
            Message::Default => Cow::Borrowed(template),
            Message::Custom(message) => Cow::Borrowed(message.as_ref()),
            Message::Localized(localized) => Cow::Borrowed(match language {
                Language::ZhCn => localized.zh.as_ref(),
                Language::EnUs => localized.en.as_ref(),
            }),
            Message::Args(args) => Cow::Owned(fill_template(template, args)),
        };
        bound(message)
    }

    /// Whether the crate may refine this error from its source chain: an internal error that
    /// nobody chose a code for ([`CloudError::internal`], or a plain `InternalError` code). See
    /// `classify::refine`.
    pub(crate) fn is_refinable(&self) -> bool {
        match &self.kind {
            Kind::Code(code) => code.name() == "InternalError",
            Kind::Condition(condition) => *condition == Condition::Internal,
        }
    }

    /// This error with `other`'s source (a longer chain, for the logs).
    pub(crate) fn with_source_of(mut self, other: &CloudError) -> Self {
        if other.source.is_some() {
            self.source = other.source.clone();
        }
        if other.leaves_body_unread() {
            self = self.leaving_body_unread();
        }
        self
    }

    /// Marks that the request body was left unread, so the answer says `Connection: close`.
    pub(crate) fn leaving_body_unread(mut self) -> Self {
        self.extra_mut().body_unread = true;
        self
    }

    /// Whether the request body was left unread.
    pub(crate) fn leaves_body_unread(&self) -> bool {
        self.extra.as_ref().is_some_and(|extra| extra.body_unread)
    }

    fn extra_mut(&mut self) -> &mut Extra {
        self.extra.get_or_insert_with(Box::default)
    }

    /// Whether the message is the code's default (no custom message, no arguments).
    pub(crate) fn has_default_message(&self) -> bool {
        matches!(self.message, Message::Default)
    }

    /// The source error, for logs.
    pub(crate) fn source_error(&self) -> Option<&(dyn StdError + Send + Sync + 'static)> {
        self.source.as_deref()
    }
}

/// Replaces each `{}` in `template` with the next argument; missing arguments render empty.
fn fill_template(template: &str, args: &[Cow<'static, str>]) -> String {
    let mut out =
        String::with_capacity(template.len() + args.iter().map(|a| a.len()).sum::<usize>());
    let mut args = args.iter();
    let mut rest = template;
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        if let Some(arg) = args.next() {
            out.push_str(arg);
        }
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// Cuts `message` to at most [`CloudError::MAX_MESSAGE_LEN`](crate::CloudError::MAX_MESSAGE_LEN) bytes at a character boundary.
fn bound(message: Cow<'_, str>) -> Cow<'_, str> {
    if message.len() <= CloudError::MAX_MESSAGE_LEN {
        return message;
    }
    const ELLIPSIS: &str = "…";
    let mut end = CloudError::MAX_MESSAGE_LEN - ELLIPSIS.len();
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}{ELLIPSIS}", &message[..end]))
}

impl From<Code> for CloudError {
    fn from(code: Code) -> Self {
        CloudError::new(code)
    }
}

impl fmt::Debug for CloudError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("CloudError");
        match &self.kind {
            Kind::Code(code) => d.field("code", &code.name()),
            Kind::Condition(condition) => d.field("condition", condition),
        };
        match &self.message {
            Message::Default => {}
            Message::Args(args) => {
                d.field("args", args);
            }
            Message::Custom(message) => {
                d.field("message", message);
            }
            Message::Localized(localized) => {
                d.field("message_zh", &localized.zh)
                    .field("message_en", &localized.en);
            }
        }
        d.field("source", &self.source).finish()
    }
}

/// `Code: English message`; the source is returned by [`source`](StdError::source), not printed.
impl fmt::Display for CloudError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Code(code) => write!(f, "{}: {}", code.name(), self.message(Language::EnUs)),
            Kind::Condition(Condition::Internal) => f.write_str("internal error"),
            Kind::Condition(condition) => write!(f, "{condition:?}"),
        }
    }
}

impl StdError for CloudError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: Code = Code::tencent("A.B", "{}和{}", "{} and {}");

    #[test]
    fn stays_small_enough_to_return_in_a_result() {
        // clippy's result_large_err threshold: handlers and extractors return it by value.
        assert!(
            std::mem::size_of::<CloudError>() < 128,
            "{}",
            std::mem::size_of::<CloudError>()
        );
    }

    #[test]
    fn templates_fill_in_order_and_tolerate_missing_args() {
        let err = CloudError::new(TEMPLATE).with_args(["x", "y"]);
        assert_eq!(err.message(Language::EnUs), "x and y");
        assert_eq!(err.message(Language::ZhCn), "x和y");
        let err = CloudError::new(TEMPLATE).with_args(["x"]);
        assert_eq!(err.message(Language::EnUs), "x and ");
    }

    #[test]
    fn custom_message_wins_in_every_language() {
        let err = CloudError::new(TEMPLATE).with_message("mine");
        assert_eq!(err.message(Language::EnUs), "mine");
        assert_eq!(err.message(Language::ZhCn), "mine");
    }

    #[test]
    fn long_messages_are_bounded_at_a_char_boundary() {
        let err = CloudError::new(TEMPLATE).with_message("é".repeat(CloudError::MAX_MESSAGE_LEN));
        let message = err.message(Language::EnUs);
        assert!(
            message.len() <= CloudError::MAX_MESSAGE_LEN,
            "{}",
            message.len()
        );
        assert!(message.ends_with('…'));
    }

    #[test]
    fn internal_is_detected_by_category() {
        assert!(CloudError::internal().is_internal());
        let db = Code::tencent("InternalError.DbError", "数据库错误。", "Database error.");
        assert!(CloudError::new(db).is_internal());
        assert!(!CloudError::new(TEMPLATE).is_internal());
    }

    #[test]
    fn source_is_kept_but_not_displayed() {
        let err = CloudError::new(TEMPLATE).with_source("password=hunter2");
        assert!(!err.to_string().contains("hunter2"));
        assert_eq!(err.source().unwrap().to_string(), "password=hunter2");
    }
}
