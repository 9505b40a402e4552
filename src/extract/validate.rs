//! [`Validate`]: the checks a request runs once it parsed.

use crate::error::CloudError;

/// The checks a request type runs once the body parsed into it: values out of range, fields
/// that only make sense together. Every extraction in [`bce`](crate::bce) and [`tencent`](crate::tencent) calls it, so
/// a handler never sees a request that failed it.
///
/// Types then only describe the *shape* of the request; the rules about *values* live in one
/// place, with the documented code and a message naming the parameter:
/// [`tencent::invalid_parameter_value`](crate::tencent::invalid_parameter_value) for
/// Tencent (`InvalidParameterValue`), [`bce::inappropriate_json`](crate::bce::inappropriate_json)
/// for BCE (`InappropriateJSON`). Any other [`CloudError`] is rendered as it is (a business
/// code such as `InvalidParameter.ErrNSMisMatch`).
///
/// The method has a default that accepts everything, so a type with nothing to check needs one
/// line: `impl Validate for MyRequest {}`. The trait is required rather than optional on
/// purpose: forgetting a check then takes a decision, not an oversight.
///
/// ```
/// use serde::Deserialize;
/// use tower_cloud_error::{tencent, Validate};
/// use tower_cloud_error::{tencent::common, CloudError};
///
/// #[derive(Deserialize)]
/// #[serde(rename_all = "PascalCase")]
/// struct DescribeNamespaces {
///     limit: Option<i64>,
/// }
///
/// impl Validate for DescribeNamespaces {
///     fn validate(&self) -> Result<(), CloudError> {
///         match self.limit {
///             Some(limit) if !(1..=100).contains(&limit) => {
///                 Err(tencent::invalid_parameter_value("Limit"))
///             }
///             _ => Ok(()),
///         }
///     }
/// }
///
/// let err = tencent::from_slice::<DescribeNamespaces>(br#"{"Limit":0}"#).err().unwrap();
/// assert_eq!(err.code(), Some(&common::INVALID_PARAMETER_VALUE));
/// assert!(tencent::from_slice::<DescribeNamespaces>(br#"{"Limit":20}"#).is_ok());
///
/// // Nothing to check.
/// #[derive(Deserialize)]
/// #[serde(rename_all = "PascalCase")]
/// struct DeleteNamespace {
///     namespace: String,
/// }
/// impl Validate for DeleteNamespace {}
/// ```
///
/// A validation error is a [`CloudError`] of one style: a type validated with Tencent codes is
/// meant for the Tencent extraction (under the BCE style the layer would answer
/// `InternalError`, as for any code of the other dialect).
pub trait Validate {
    /// Checks the parsed request; the default accepts everything.
    ///
    /// # Errors
    ///
    /// The error to answer instead of running the handler.
    fn validate(&self) -> Result<(), CloudError> {
        Ok(())
    }
}

/// Raw JSON: nothing to check.
impl Validate for serde_json::Value {}

/// A raw JSON object: nothing to check.
impl Validate for serde_json::Map<String, serde_json::Value> {}
