//! Baidu AI Cloud (BCE) codes: the common codes every BCE service shares, and the service codes
//! of the documented services.
//!
//! Each code carries its documented HTTP status and English message. See the
//! [rules](crate::rules#catalogs) for the sources and for which one wins where they
//! disagree.

pub mod common {
    //! BCE common error codes (公共错误码), from the BCE error code page "错误码" (updated 2025-06-06).
    //!
    //! The same table appears in the English EIP "Error code" page (updated 2025-10-16, "BCE global
    //! error codes") and in the Kafka "错误返回" page (updated 2022-06-15, "公共错误码"); where they
    //! disagree, the 2025-06-06 table wins (see the [rules](crate::rules#catalogs)).
    //!
    //! Messages are the documented ones. [`REQUEST_EXPIRED`]'s message is a template: its `{}` (`XXX` /
    //! `<Data>` in the tables) stands for the request's `x-bce-date` and is filled in at run time.

    use crate::Code;

    /// `AccessDenied` (403): no permission to access the resource.
    pub const ACCESS_DENIED: Code = Code::bce("AccessDenied", 403, "Access denied.");

    /// `InappropriateJSON` (400): the JSON is well-formed but semantically wrong (a required item is missing, a value has the wrong type); unrecognised items are ignored, never this error.
    pub const INAPPROPRIATE_JSON: Code = Code::bce(
        "InappropriateJSON",
        400,
        "The JSON you provided was well-formed and valid, but not appropriate for this operation.",
    );

    /// `InternalError` (500): every other, undefined error; never used where a more specific common or service code applies.
    pub const INTERNAL_ERROR: Code = Code::bce(
        "InternalError",
        500,
        "We encountered an internal error. Please try again.",
    );

    /// `InvalidAccessKeyId` (403): the access key ID does not exist.
    pub const INVALID_ACCESS_KEY_ID: Code = Code::bce(
        "InvalidAccessKeyId",
        403,
        "The Access Key ID you provided does not exist in our records.",
    );

    /// `InvalidHTTPAuthHeader` (400): the `Authorization` header is malformed.
    pub const INVALID_HTTP_AUTH_HEADER: Code = Code::bce(
        "InvalidHTTPAuthHeader",
        400,
        "The HTTP authorization header is invalid. Consult the service documentation for details.",
    );

    /// `InvalidHTTPRequest` (400): the HTTP body is malformed, e.g. not in the required encoding.
    pub const INVALID_HTTP_REQUEST: Code = Code::bce(
        "InvalidHTTPRequest",
        400,
        "There was an error in the body of your HTTP request.",
    );

    /// `InvalidURI` (400): the URI is malformed, e.g. a service keyword does not match (an unknown ID needs a more specific code, such as `NoSuchKey`).
    pub const INVALID_URI: Code =
        Code::bce("InvalidURI", 400, "Could not parse the specified URI.");

    /// `MalformedJSON` (400): the JSON is not well-formed.
    pub const MALFORMED_JSON: Code = Code::bce(
        "MalformedJSON",
        400,
        "The JSON you provided was not well-formed.",
    );

    /// `InvalidVersion` (404): the version in the URI is invalid.
    pub const INVALID_VERSION: Code = Code::bce(
        "InvalidVersion",
        404,
        "The API version specified was invalid.",
    );

    /// `OptInRequired` (403): the service has not been activated.
    pub const OPT_IN_REQUIRED: Code = Code::bce(
        "OptInRequired",
        403,
        "A subscription for the service is required.",
    );

    /// `PreconditionFailed` (412): the `If-Match` header does not match the resource's ETag.
    pub const PRECONDITION_FAILED: Code = Code::bce(
        "PreconditionFailed",
        412,
        "The specified If-Match header doesn't match the ETag header.",
    );

    /// `RequestExpired` (400): the request has expired; the message template's `{}` is the request's `x-bce-date` (a `Date` header is first converted to that format).
    pub const REQUEST_EXPIRED: Code = Code::bce(
        "RequestExpired",
        400,
        "Request has expired. Timestamp date is {}.",
    );

    /// `IdempotentParameterMismatch` (403): the `clientToken` was already used with different API parameters.
    pub const IDEMPOTENT_PARAMETER_MISMATCH: Code = Code::bce(
        "IdempotentParameterMismatch",
        403,
        "The request uses the same client token as a previous, but non-identical request.",
    );

    /// `SignatureDoesNotMatch` (400): the signature in the `Authorization` header does not match the one the server computed.
    pub const SIGNATURE_DOES_NOT_MATCH: Code = Code::bce(
        "SignatureDoesNotMatch",
        400,
        "The request signature we calculated does not match the signature you provided. Check your Secret Access Key and signing method. Consult the service documentation for details.",
    );

    /// Every code of this table, in table order.
    pub const ALL: &[Code] = &[
        ACCESS_DENIED,
        INAPPROPRIATE_JSON,
        INTERNAL_ERROR,
        INVALID_ACCESS_KEY_ID,
        INVALID_HTTP_AUTH_HEADER,
        INVALID_HTTP_REQUEST,
        INVALID_URI,
        MALFORMED_JSON,
        INVALID_VERSION,
        OPT_IN_REQUIRED,
        PRECONDITION_FAILED,
        REQUEST_EXPIRED,
        IDEMPOTENT_PARAMETER_MISMATCH,
        SIGNATURE_DOES_NOT_MATCH,
    ];
}

pub mod dev_machine {
    //! BCE dev-machine error codes (开发机错误码), from the BCE error code page "错误码" (updated
    //! 2025-06-06).
    //!
    //! [`NOT_FOUND`] is documented with status 403 Forbidden, not 404; the catalog keeps the
    //! documented status.

    use crate::Code;

    /// `NotFound` (403): the resource could not be found (documented with 403, not 404).
    pub const NOT_FOUND: Code = Code::bce("NotFound", 403, "Resource could not be found");

    /// `Forbidden` (403): the operation is not allowed, or the caller lacks permission.
    pub const FORBIDDEN: Code = Code::bce("Forbidden", 403, "Operation is not allowed");

    /// `InvalidParameter` (400): a parameter is invalid.
    pub const INVALID_PARAMETER: Code = Code::bce("InvalidParameter", 400, "Invalid parameter");

    /// Every code of this table, in table order.
    pub const ALL: &[Code] = &[NOT_FOUND, FORBIDDEN, INVALID_PARAMETER];
}

pub mod eip {
    //! BCE EIP service error codes, from the English EIP page "Error code" (updated 2025-10-16), table
    //! "EIP service error code".

    use crate::Code;

    /// `InstanceNotFound` (404): the specified instance does not exist.
    pub const INSTANCE_NOT_FOUND: Code = Code::bce(
        "InstanceNotFound",
        404,
        "The specified instance does not exist.",
    );

    /// `EipNotFound` (404): the specified EIP does not exist.
    pub const EIP_NOT_FOUND: Code =
        Code::bce("EipNotFound", 404, "The specified eip does not exist.");

    /// `InstanceAlreadyBind` (400): the specified instance has already been bound.
    pub const INSTANCE_ALREADY_BIND: Code = Code::bce(
        "InstanceAlreadyBind",
        400,
        "The specified instance is already binded.",
    );

    /// `UnsupportedEipOperation` (400): the specified EIP status does not support this type of operation.
    pub const UNSUPPORTED_EIP_OPERATION: Code = Code::bce(
        "UnsupportedEipOperation",
        400,
        "The status of specified eip does not support this operation.",
    );

    /// `RealNameQualify` (403): the current user has not passed certification.
    pub const REAL_NAME_QUALIFY: Code = Code::bce(
        "RealNameQualify",
        403,
        "The login user is not pass real name qualify",
    );

    /// `ExceedLimit` (413): EIP count exceeds user quota limit.
    pub const EXCEED_LIMIT: Code = Code::bce("ExceedLimit", 413, "The amount of eip exceed limit");

    /// `PrepayEip` (400): prepaid EIPs cannot be released via API.
    pub const PREPAY_EIP: Code = Code::bce("PrepayEip", 400, "The specified eip is prepay");

    /// `PayFailed` (400): payment failed when creating EIP.
    pub const PAY_FAILED: Code = Code::bce("PayFailed", 400, "Pay failed when create EIP");

    /// Every code of this table, in table order.
    pub const ALL: &[Code] = &[
        INSTANCE_NOT_FOUND,
        EIP_NOT_FOUND,
        INSTANCE_ALREADY_BIND,
        UNSUPPORTED_EIP_OPERATION,
        REAL_NAME_QUALIFY,
        EXCEED_LIMIT,
        PREPAY_EIP,
        PAY_FAILED,
    ];
}

pub mod eip_group {
    //! BCE EIP group service error codes, from the English EIP page "Error code" (updated 2025-10-16),
    //! table "EIPGROUP service error code".
    //!
    //! These are the EIP group service's own codes: [`INSTANCE_NOT_FOUND`] and [`REAL_NAME_QUALIFY`] share
    //! their names with codes of [`eip`](super::eip) and are declared again here with this table's
    //! messages.

    use crate::Code;

    /// `InstanceNotFound` (404): the specified instance does not exist.
    pub const INSTANCE_NOT_FOUND: Code = Code::bce(
        "InstanceNotFound",
        404,
        "The specified instance does not exist.",
    );

    /// `UnsupportedInstanceOperation` (400): the specified instance status does not support this type of operation.
    pub const UNSUPPORTED_INSTANCE_OPERATION: Code = Code::bce(
        "UnsupportedInstanceOperation",
        400,
        "The status of specified instance does not support this operation.",
    );

    /// `RealNameQualify` (403): the current user has not passed certification.
    pub const REAL_NAME_QUALIFY: Code = Code::bce(
        "RealNameQualify",
        403,
        "The login user is not pass real name qualify.",
    );

    /// `ExceedEIPGroupLimit` (413): the count of EIPGROUPs exceeds the quota limit of the user.
    pub const EXCEED_EIP_GROUP_LIMIT: Code = Code::bce(
        "ExceedEIPGroupLimit",
        413,
        "The amount of eip group exceed limit.",
    );

    /// `EIPGroupPayFailed` (400): payment failed when creating EIPGROUP.
    pub const EIP_GROUP_PAY_FAILED: Code = Code::bce(
        "EIPGroupPayFailed",
        400,
        "Pay failed when create eip group.",
    );

    /// `ExceedEIPLimitInGroup` (400): the count of EIPs in EIPGROUP exceeds the quota limit of the user.
    pub const EXCEED_EIP_LIMIT_IN_GROUP: Code = Code::bce(
        "ExceedEIPLimitInGroup",
        400,
        "The amount of eip exceed the group bandwidth limit",
    );

    /// Every code of this table, in table order.
    pub const ALL: &[Code] = &[
        INSTANCE_NOT_FOUND,
        UNSUPPORTED_INSTANCE_OPERATION,
        REAL_NAME_QUALIFY,
        EXCEED_EIP_GROUP_LIMIT,
        EIP_GROUP_PAY_FAILED,
        EXCEED_EIP_LIMIT_IN_GROUP,
    ];
}

pub mod bandwidth_package {
    //! BCE bandwidth package service error codes, from the English EIP page "Error code" (updated
    //! 2025-10-16), table "Bandwidth package service error code".
    //!
    //! Names are kept as documented, typos included ([`RESOURCE_NOT_EXIT`] is `ResourceNotExit`).

    use crate::Code;

    /// `TypeNotMatchError` (400): the resource type bound to the bandwidth package does not match the actual resource type.
    pub const TYPE_NOT_MATCH_ERROR: Code = Code::bce(
        "TypeNotMatchError",
        400,
        "The bandwidth-packet's binding type is not match the instance type.",
    );

    /// `BandwidthOverrun` (400): the total bandwidth of the bandwidth package and its bound bandwidth exceeds the allowable limit.
    pub const BANDWIDTH_OVERRUN: Code = Code::bce(
        "BandwidthOverrun",
        400,
        "The sum of bandwidth-packet and bandwidth of the bound bandwidth exceed the limit.",
    );

    /// `InstanceProductPayTypeError` (400): only the prepay billing type is supported for resources bound to the bandwidth package.
    pub const INSTANCE_PRODUCT_PAY_TYPE_ERROR: Code = Code::bce(
        "InstanceProductPayTypeError",
        400,
        "Bandwidth-packet bound resource payment method only supports prepaid.",
    );

    /// `ResourceNotExit` (400): the bandwidth package either does not exist or has been deleted.
    pub const RESOURCE_NOT_EXIT: Code = Code::bce(
        "ResourceNotExit",
        400,
        "The resource or instance of the bandwidth-packet is not exist or has been deleted.",
    );

    /// `RepeatBindingError` (400): the resource you are trying to bind is already bound to a bandwidth package.
    pub const REPEAT_BINDING_ERROR: Code = Code::bce(
        "RepeatBindingError",
        400,
        "The bandwidth-packet is being repeated bound.",
    );

    /// `TimeFormatIllegal` (400): invalid time format.
    pub const TIME_FORMAT_ILLEGAL: Code =
        Code::bce("TimeFormatIllegal", 400, "Time format is illegal.");

    /// `TimeUnreasonableError` (400): the specified time is outside the allowable range.
    pub const TIME_UNREASONABLE_ERROR: Code =
        Code::bce("TimeUnreasonableError", 400, "Time is not allowed.");

    /// Every code of this table, in table order.
    pub const ALL: &[Code] = &[
        TYPE_NOT_MATCH_ERROR,
        BANDWIDTH_OVERRUN,
        INSTANCE_PRODUCT_PAY_TYPE_ERROR,
        RESOURCE_NOT_EXIT,
        REPEAT_BINDING_ERROR,
        TIME_FORMAT_ILLEGAL,
        TIME_UNREASONABLE_ERROR,
    ];
}
