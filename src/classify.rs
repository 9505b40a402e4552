//! The one rule for the code a client sees.
//!
//! **A code chosen explicitly is final; only an internal error is refined, taking the code of the
//! first error in its source chain that is a [`CloudError`] with a code or that a recognizer
//! maps.** "Internal" means [`CloudError::internal`] (what unknown errors and panics become) or
//! an explicit plain `InternalError` code; `InternalError.DbError` and every other code were
//! chosen and stay. Recognizers are the user's ([`CloudErrorLayer::recognize`], asked first)
//! and the crate's ([`recognize_builtin`]). [`refine`] is the only place that decides; the layer
//! and `BoxError`'s `IntoCloudError` both call it.
//!
//! [`CloudErrorLayer::recognize`]: crate::CloudErrorLayer::recognize

use std::error::Error as StdError;
use std::sync::Arc;

use crate::condition::Condition;
use crate::error::CloudError;

/// A user's recognizer: maps an error of one type (found anywhere in a chain) to a CloudError.
pub(crate) type Recognizer =
    Arc<dyn Fn(&(dyn StdError + 'static)) -> Option<CloudError> + Send + Sync>;

/// `error`, or, if it is internal, the first error its source chain stands for (keeping
/// `error`'s source, the whole chain, for the logs).
pub(crate) fn refine(error: CloudError, recognizers: &[Recognizer]) -> CloudError {
    if !error.is_refinable() {
        return error;
    }
    let Some(source) = error.source_error() else {
        return error;
    };
    let first: &(dyn StdError + 'static) = source;
    let found = refinement(std::iter::successors(Some(first), next_link), recognizers);
    match found {
        Some(found) => found.with_source_of(&error),
        None => error,
    }
}

/// The next link of a `source()` chain.
fn next_link<'a>(link: &&'a (dyn StdError + 'static)) -> Option<&'a (dyn StdError + 'static)> {
    (*link).source()
}

/// What the first link of `chain` that stands for something stands for (see [`refine`]): for
/// chains that are not a plain `source()` walk, such as `anyhow::Error::chain`.
pub(crate) fn refinement<'a>(
    chain: impl Iterator<Item = &'a (dyn StdError + 'static)>,
    recognizers: &[Recognizer],
) -> Option<CloudError> {
    chain
        .into_iter()
        .find_map(|link| stands_for(link, recognizers))
}

/// What one link of a chain stands for: itself if it is a CloudError that is not internal
/// (an internal one passes the search on to its own source), else what the user's recognizers,
/// then the crate's, make of it.
fn stands_for(link: &(dyn StdError + 'static), recognizers: &[Recognizer]) -> Option<CloudError> {
    if let Some(own) = link.downcast_ref::<CloudError>() {
        return (!own.is_refinable()).then(|| own.clone());
    }
    recognizers
        .iter()
        .filter_map(|recognize| recognize(link))
        .find(|found| !found.is_refinable())
        .or_else(|| recognize_builtin(link).map(CloudError::from_condition))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{bce, tencent};
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
    fn an_internal_error_takes_the_code_three_levels_deep() {
        let found = refine(
            wrapped(CloudError::new(
                tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO,
            )),
            &[],
        );
        assert_eq!(
            found.code(),
            Some(&tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO)
        );
        assert_eq!(
            found.source_error().unwrap().to_string(),
            "context",
            "the full chain stays for the logs"
        );
    }

    #[test]
    fn an_explicit_code_is_final_whatever_its_sources_say() {
        for outer in [bce::common::INVALID_URI, bce::common::ACCESS_DENIED] {
            let error =
                CloudError::new(outer).with_source(CloudError::new(bce::eip::EIP_NOT_FOUND));
            assert_eq!(refine(error, &[]).code(), Some(&outer));
        }
        // An explicit InternalError.* sub-code was chosen too.
        let db =
            crate::code::Code::tencent("InternalError.DbError", "数据库错误。", "Database error.");
        let json = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
        assert_eq!(
            refine(CloudError::new(db).with_source(json), &[]).code(),
            Some(&db)
        );
        // A condition other than Internal was chosen as well.
        let error = CloudError::from_condition(Condition::NotFound)
            .with_source(CloudError::new(bce::eip::EIP_NOT_FOUND));
        assert_eq!(refine(error, &[]).condition(), Some(Condition::NotFound));
    }

    #[test]
    fn the_first_link_wins_and_internal_links_pass_the_search_on() {
        let error = CloudError::internal().with_source(Context(Box::new(
            CloudError::new(bce::eip::PREPAY_EIP)
                .with_source(CloudError::new(bce::eip::EIP_NOT_FOUND)),
        )));
        assert_eq!(refine(error, &[]).code(), Some(&bce::eip::PREPAY_EIP));

        let error = CloudError::internal().with_source(
            CloudError::internal().with_source(CloudError::new(bce::eip::EIP_NOT_FOUND)),
        );
        assert_eq!(refine(error, &[]).code(), Some(&bce::eip::EIP_NOT_FOUND));
        // A plain InternalError code is an internal error too.
        let error = CloudError::new(bce::common::INTERNAL_ERROR)
            .with_source(CloudError::new(bce::eip::EIP_NOT_FOUND));
        assert_eq!(refine(error, &[]).code(), Some(&bce::eip::EIP_NOT_FOUND));
    }

    #[test]
    fn ecosystem_errors_are_recognized() {
        let json = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
        let found = refine(CloudError::internal().with_source(json), &[]);
        assert_eq!(found.condition(), Some(Condition::MalformedJson));

        let data = serde_json::from_str::<u32>("\"x\"").unwrap_err();
        let found = refine(CloudError::internal().with_source(data), &[]);
        assert_eq!(found.condition(), Some(Condition::InappropriateJson));

        let found = refine(
            CloudError::internal().with_source(Context(length_limit_error())),
            &[],
        );
        assert_eq!(found.condition(), Some(Condition::PayloadTooLarge));

        let timeout = std::io::Error::new(std::io::ErrorKind::TimedOut, "upstream");
        let found = refine(CloudError::internal().with_source(timeout), &[]);
        assert_eq!(found.condition(), Some(Condition::Timeout));

        let other = std::io::Error::other("disk full");
        let found = refine(CloudError::internal().with_source(other), &[]);
        assert!(found.is_internal());
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
    fn user_recognizers_see_every_link_and_come_before_the_crates() {
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
        let found = refine(error, std::slice::from_ref(&recognizer));
        assert_eq!(found.code(), Some(&bce::eip::EXCEED_LIMIT));

        let timeout: Recognizer = Arc::new(|e: &(dyn StdError + 'static)| {
            e.is::<std::io::Error>()
                .then(|| CloudError::new(bce::common::REQUEST_EXPIRED))
        });
        let io = std::io::Error::new(std::io::ErrorKind::TimedOut, "slow");
        let found = refine(CloudError::internal().with_source(io), &[timeout]);
        assert_eq!(found.code(), Some(&bce::common::REQUEST_EXPIRED));
    }
}
