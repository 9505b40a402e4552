//! The error of the verifying services: a rejection, or the inner service's own error.

use std::error::Error as StdError;
use std::fmt;

use crate::error::CloudError;
use crate::into_cloud_error::IntoCloudError;

/// The error of a signature-verifying service: the request was rejected (its documented code
/// is in the [`CloudError`]), or the inner service failed. The `CloudErrorLayer` outside turns
/// either into the style's envelope.
///
/// ```
/// use std::convert::Infallible;
/// use tower_cloud_error::{bce::common, CloudError, IntoCloudError};
/// use tower_cloud_error::bce::SignatureError;
///
/// let rejected: SignatureError<Infallible> =
///     SignatureError::Rejected(CloudError::new(common::SIGNATURE_DOES_NOT_MATCH));
/// assert_eq!(rejected.into_cloud_error().code(), Some(&common::SIGNATURE_DOES_NOT_MATCH));
/// ```
#[derive(Debug)]
pub enum SignatureError<E> {
    /// Authentication failed, with this documented code.
    Rejected(CloudError),
    /// The request was authentic; the inner service failed.
    Inner(E),
}

impl<E: IntoCloudError> IntoCloudError for SignatureError<E> {
    fn into_cloud_error(self) -> CloudError {
        match self {
            SignatureError::Rejected(error) => error,
            SignatureError::Inner(error) => error.into_cloud_error(),
        }
    }
}

impl<E: fmt::Display> fmt::Display for SignatureError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Rejected(error) => write!(f, "request rejected: {error}"),
            SignatureError::Inner(error) => error.fmt(f),
        }
    }
}

impl<E: StdError + 'static> StdError for SignatureError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SignatureError::Rejected(error) => Some(error),
            SignatureError::Inner(error) => Some(error),
        }
    }
}
