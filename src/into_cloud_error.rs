//! [`IntoCloudError`]: how an error becomes a [`CloudError`].

use std::convert::Infallible;
use std::error::Error as StdError;

use crate::classify::refine;
#[cfg(feature = "anyhow")]
use crate::classify::refinement;
use crate::code::Code;
use crate::error::CloudError;

/// A type-erased error, as tower middleware produces it (`tower::BoxError`).
pub type BoxError = Box<dyn StdError + Send + Sync>;

/// Converts an error into the [`CloudError`] the layer renders.
///
/// Implement it on your domain errors so that the inner service (or an axum handler) can return
/// them directly:
///
/// ```
/// use tower_cloud_error::{bce::eip, CloudError, IntoCloudError};
///
/// #[derive(Debug)]
/// enum EipError {
///     NotFound(String),
///     Database(std::io::Error),
/// }
///
/// impl IntoCloudError for EipError {
///     fn into_cloud_error(self) -> CloudError {
///         match self {
///             EipError::NotFound(_) => CloudError::new(eip::EIP_NOT_FOUND),
///             // Kept for the logs, never rendered: the client sees InternalError.
///             EipError::Database(e) => CloudError::internal().with_source(e),
///         }
///     }
/// }
///
/// let err = EipError::NotFound("100.88.1.1".into()).into_cloud_error();
/// assert_eq!(err.code(), Some(&eip::EIP_NOT_FOUND));
/// ```
pub trait IntoCloudError {
    /// Performs the conversion.
    fn into_cloud_error(self) -> CloudError;
}

impl IntoCloudError for CloudError {
    fn into_cloud_error(self) -> CloudError {
        self
    }
}

impl IntoCloudError for Code {
    fn into_cloud_error(self) -> CloudError {
        CloudError::new(self)
    }
}

/// Services that never fail, such as an `axum::Router`.
impl IntoCloudError for Infallible {
    fn into_cloud_error(self) -> CloudError {
        match self {}
    }
}

/// A boxed error is an unknown error: an internal error, refined by the crate's one rule (see
/// [the crate docs](crate#which-code-a-client-sees)): the first error in its
/// [`source`](StdError::source) chain that is a [`CloudError`] with a code, or that the crate
/// recognises, gives the code. The whole chain is kept for the logs.
///
/// ```
/// use tower_cloud_error::{bce::eip, BoxError, CloudError, IntoCloudError};
///
/// #[derive(Debug)]
/// struct Context(CloudError);
/// impl std::fmt::Display for Context {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         f.write_str("while releasing the eip")
///     }
/// }
/// impl std::error::Error for Context {
///     fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
///         Some(&self.0)
///     }
/// }
///
/// let wrapped: BoxError = Box::new(Context(CloudError::new(eip::PREPAY_EIP)));
/// assert_eq!(wrapped.into_cloud_error().code(), Some(&eip::PREPAY_EIP));
///
/// let opaque: BoxError = "connection reset".into();
/// assert!(opaque.into_cloud_error().is_internal());
/// ```
impl IntoCloudError for BoxError {
    fn into_cloud_error(self) -> CloudError {
        match self.downcast::<CloudError>() {
            Ok(error) => *error,
            Err(error) => refine(CloudError::internal().with_source(error), &[]),
        }
    }
}

/// An `anyhow::Error` is an unknown error (feature `anyhow`): an internal error refined by the
/// crate's one rule over [`anyhow::Error::chain`] (the error and every context around it), so a
/// [`CloudError`] under `.context(...)` keeps its code. The whole error, every context included,
/// is kept as the source for the log line; none of it is rendered.
///
/// ```
/// use anyhow::Context;
/// use tower_cloud_error::{bce, CloudError, IntoCloudError};
///
/// let err = Err::<(), _>(CloudError::new(bce::eip::EIP_NOT_FOUND))
///     .context("releasing 100.88.0.1")
///     .unwrap_err();
/// let cloud = err.into_cloud_error();
/// assert_eq!(cloud.code(), Some(&bce::eip::EIP_NOT_FOUND));
/// // The log line shows the context too.
/// let logged = std::error::Error::source(&cloud).unwrap().to_string();
/// assert_eq!(logged, "releasing 100.88.0.1");
///
/// let opaque = anyhow::anyhow!("connection reset").context("loading the table");
/// assert!(opaque.into_cloud_error().is_internal());
/// ```
#[cfg(feature = "anyhow")]
#[cfg_attr(docsrs, doc(cfg(feature = "anyhow")))]
impl IntoCloudError for anyhow::Error {
    fn into_cloud_error(self) -> CloudError {
        let found = refinement(self.chain(), &[]);
        found.unwrap_or_else(CloudError::internal).with_source(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tencent::common::INTERNAL_ERROR;

    #[derive(Debug)]
    struct Wrap(Box<dyn StdError + Send + Sync>);
    impl std::fmt::Display for Wrap {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("context")
        }
    }
    impl StdError for Wrap {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&*self.0)
        }
    }

    const DEEP: Code = Code::tencent("ResourceNotFound.ErrNoRepo", "仓库不存在。", "No repo.");

    #[test]
    fn finds_a_cloud_error_three_levels_deep() {
        let err: BoxError = Box::new(Wrap(Box::new(Wrap(Box::new(Wrap(Box::new(
            CloudError::new(DEEP),
        )))))));
        assert_eq!(err.into_cloud_error().code(), Some(&DEEP));
    }

    #[test]
    fn a_boxed_cloud_error_is_itself() {
        let err: BoxError = Box::new(CloudError::new(DEEP));
        assert_eq!(err.into_cloud_error().code(), Some(&DEEP));
    }

    #[test]
    fn anything_else_is_internal_with_the_error_kept_as_source() {
        let err: BoxError = Box::new(Wrap("db: postgres://u:secret@h".into()));
        let cloud = err.into_cloud_error();
        assert!(cloud.is_internal());
        assert_eq!(cloud.code(), None);
        assert_eq!(cloud.source_error().unwrap().to_string(), "context");
    }

    #[test]
    fn codes_convert() {
        assert_eq!(
            INTERNAL_ERROR.into_cloud_error().code(),
            Some(&INTERNAL_ERROR)
        );
    }
}
