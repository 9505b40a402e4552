//! The most specific code wins: every error in a source chain is a candidate.
//!
//! A layer answers with the most specific code found in the error and its whole source chain:
//! a [`CloudError`] anywhere in the chain, an error of a type registered with
//! [`CloudErrorLayer::recognize`](crate::CloudErrorLayer::recognize), and the ecosystem's errors
//! the crate knows (see [`recognize_builtin`]). Specificity, highest first:
//!
//! 1. anything beats an internal error (the style's `InternalError`, `InternalError.*`);
//! 2. a service or business code beats a common code (one of the style's common catalog);
//! 3. a dotted sub-code beats an undotted one (`ResourceNotFound.ErrNoRepo` beats
//!    `ResourceNotFound`).
//!
//! Among equals, the outermost error wins, so an explicit code is only ever replaced by a
//! strictly more specific one.

use std::error::Error as StdError;
use std::sync::Arc;

use crate::catalog;
use crate::code::{Code, Dialect};
use crate::condition::Condition;
use crate::error::CloudError;
use crate::style::Style;

/// A user's recognizer: maps an error of one type (found anywhere in a chain) to a CloudError.
pub(crate) type Recognizer =
    Arc<dyn Fn(&(dyn StdError + 'static)) -> Option<CloudError> + Send + Sync>;

/// `error`, or the more specific error found in its source chain (keeping `error`'s source for
/// the logs).
pub(crate) fn most_specific<St: Style>(
    error: CloudError,
    style: &St,
    recognizers: &[Recognizer],
) -> CloudError {
    let Some(source) = error.source_error() else {
        return error;
    };
    let mut best: Option<(u8, CloudError)> = None;
    let mut best_score = specificity(&error, style);
    let mut link: Option<&(dyn StdError + 'static)> = Some(source);
    while let Some(current) = link {
        for candidate in candidates(current, recognizers) {
            let score = specificity(&candidate, style);
            if score > best_score {
                best_score = score;
                best = Some((score, candidate));
            }
        }
        link = current.source();
    }
    match best {
        Some((_, found)) => found.with_source_of(&error),
        None => error,
    }
}

/// The errors `link` stands for: itself if it is a CloudError, what the built-in and the
/// user's recognizers make of it.
fn candidates(
    link: &(dyn StdError + 'static),
    recognizers: &[Recognizer],
) -> impl Iterator<Item = CloudError> {
    let own = link.downcast_ref::<CloudError>().cloned();
    let builtin = recognize_builtin(link).map(CloudError::from_condition);
    let users: Vec<CloudError> = recognizers.iter().filter_map(|r| r(link)).collect();
    own.into_iter().chain(builtin).chain(users)
}

/// The conditions of the ecosystem's errors:
/// - `serde_json::Error`: syntax or early end → [`Condition::MalformedJson`], data →
///   [`Condition::InappropriateJson`];
/// - `http_body_util::LengthLimitError` → [`Condition::PayloadTooLarge`];
/// - `std::io::Error` of kind `TimedOut` → [`Condition::Timeout`];
/// - with the `tower` feature, tower's `timeout::error::Elapsed` → [`Condition::Timeout`] and
///   `load_shed::error::Overloaded` → [`Condition::Overloaded`].
pub(crate) fn recognize_builtin(link: &(dyn StdError + 'static)) -> Option<Condition> {
    if let Some(json) = link.downcast_ref::<serde_json::Error>() {
        return match json.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                Some(Condition::MalformedJson)
            }
            serde_json::error::Category::Data => Some(Condition::InappropriateJson),
            serde_json::error::Category::Io => None,
        };
    }
    if link.is::<http_body_util::LengthLimitError>() {
        return Some(Condition::PayloadTooLarge);
    }
    if let Some(io) = link.downcast_ref::<std::io::Error>() {
        return (io.kind() == std::io::ErrorKind::TimedOut).then_some(Condition::Timeout);
    }
    #[cfg(feature = "tower")]
    {
        if link.is::<tower::timeout::error::Elapsed>() {
            return Some(Condition::Timeout);
        }
        if link.is::<tower::load_shed::error::Overloaded>() {
            return Some(Condition::Overloaded);
        }
    }
    None
}

/// How specific `error` is once the style resolves it (higher is more specific).
fn specificity<St: Style>(error: &CloudError, style: &St) -> u8 {
    let code = match (
        error.code_in(style.dialect()),
        error.code(),
        error.condition(),
    ) {
        (Some(code), _, _) => *code,
        (None, None, Some(condition)) => style.code_for(condition),
        _ => return 0,
    };
    let internal = code == style.internal_error() || code.category() == "InternalError";
    let service = !is_common(&code);
    let dotted = code.name().contains('.');
    (u8::from(!internal) << 2) | (u8::from(service) << 1) | u8::from(dotted)
}

/// Whether `code` is one of its dialect's common codes.
fn is_common(code: &Code) -> bool {
    match code.dialect() {
        Dialect::Bce => catalog::bce::common::ALL.contains(code),
        Dialect::Tencent => catalog::tencent::common::ALL.contains(code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{bce, tencent};
    use crate::{Bce, Tencent};
    use std::fmt;

    #[derive(Debug)]
    struct Context(Box<dyn StdError + Send + Sync>);
    impl fmt::Display for Context {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("context")
        }
    }
    impl StdError for Context {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&*self.0)
        }
    }

    fn wrapped(inner: CloudError) -> CloudError {
        CloudError::internal().with_source(Context(Box::new(Context(Box::new(Context(Box::new(
            inner,
        )))))))
    }

    #[test]
    fn a_code_three_levels_deep_beats_internal() {
        let found = most_specific(
            wrapped(CloudError::new(
                tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO,
            )),
            &Tencent::new(),
            &[],
        );
        assert_eq!(
            found.code(),
            Some(&tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO)
        );
        assert!(
            found.source_error().is_some(),
            "the full chain stays for the logs"
        );
    }

    #[test]
    fn a_sub_code_beats_its_category_and_a_business_code_beats_a_common_one() {
        let outer =
            CloudError::new(tencent::common::RESOURCE_NOT_FOUND).with_source(Context(Box::new(
                CloudError::new(tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO),
            )));
        let found = most_specific(outer, &Tencent::new(), &[]);
        assert_eq!(found.code().unwrap().name(), "ResourceNotFound.ErrNoRepo");

        let outer = CloudError::new(bce::common::INVALID_URI)
            .with_source(CloudError::new(bce::eip::EIP_NOT_FOUND));
        let found = most_specific(outer, &Bce::new(), &[]);
        assert_eq!(found.code(), Some(&bce::eip::EIP_NOT_FOUND));
    }

    #[test]
    fn equals_keep_the_outermost_and_less_specific_never_wins() {
        let outer = CloudError::new(bce::eip::PREPAY_EIP)
            .with_source(CloudError::new(bce::eip::EIP_NOT_FOUND));
        assert_eq!(
            most_specific(outer, &Bce::new(), &[]).code(),
            Some(&bce::eip::PREPAY_EIP)
        );
        let outer = CloudError::new(bce::eip::PREPAY_EIP)
            .with_source(CloudError::new(bce::common::ACCESS_DENIED));
        assert_eq!(
            most_specific(outer, &Bce::new(), &[]).code(),
            Some(&bce::eip::PREPAY_EIP)
        );
    }

    #[test]
    fn ecosystem_errors_are_recognized() {
        let json = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
        let found = most_specific(CloudError::internal().with_source(json), &Bce::new(), &[]);
        assert_eq!(found.condition(), Some(Condition::MalformedJson));

        let data = serde_json::from_str::<u32>("\"x\"").unwrap_err();
        let found = most_specific(CloudError::internal().with_source(data), &Bce::new(), &[]);
        assert_eq!(found.condition(), Some(Condition::InappropriateJson));

        let found = most_specific(
            CloudError::internal().with_source(Context(length_limit_error())),
            &Tencent::new(),
            &[],
        );
        assert_eq!(found.condition(), Some(Condition::PayloadTooLarge));

        let timeout = std::io::Error::new(std::io::ErrorKind::TimedOut, "upstream");
        let found = most_specific(
            CloudError::internal().with_source(timeout),
            &Tencent::new(),
            &[],
        );
        assert_eq!(found.condition(), Some(Condition::Timeout));
    }

    /// The error `http_body_util::Limited` yields past its limit.
    fn length_limit_error() -> Box<dyn StdError + Send + Sync> {
        use http_body::Body;
        let mut body = http_body_util::Limited::new(
            http_body_util::Full::new(bytes::Bytes::from_static(b"too long")),
            1,
        );
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match std::pin::Pin::new(&mut body).poll_frame(&mut cx) {
            std::task::Poll::Ready(Some(Err(error))) => error,
            _ => unreachable!("a body over its limit fails at once"),
        }
    }

    #[test]
    fn user_recognizers_see_every_link() {
        #[derive(Debug)]
        struct Quota;
        impl fmt::Display for Quota {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("quota")
            }
        }
        impl StdError for Quota {}
        let recognizer: Recognizer = Arc::new(|e: &(dyn StdError + 'static)| {
            e.is::<Quota>()
                .then(|| CloudError::new(bce::eip::EXCEED_LIMIT))
        });
        let error = CloudError::internal().with_source(Context(Box::new(Quota)));
        let found = most_specific(error, &Bce::new(), &[recognizer]);
        assert_eq!(found.code(), Some(&bce::eip::EXCEED_LIMIT));
    }
}
