//! Tencent Cloud API 3.0 codes: the common codes every API shares, and the business codes of the
//! documented products.
//!
//! Each code carries the documented Chinese message and an English message written for this
//! crate (the tables document Chinese only); Tencent errors are always sent with HTTP 200. See the
//! [rules](crate::rules#catalogs) for the sources and for which one wins where they
//! disagree.

pub mod common {
    //! Tencent Cloud API 3.0 common error codes (公共错误码): the union of the common code tables of
    //! the complete Tencent Cloud API 3.0 common error code page (undated) and of the TCR "错误码"
    //! page (updated 2024-06-18 14:31:22), plus `AuthFailure`, which the complete page lists under
    //! 业务错误码 (business codes).
    //!
    //! Chinese messages are those of the complete page, which wins where the two pages disagree; the
    //! English messages are written for this crate. Every code of the TCR page's common table is
    //! also in the complete page; [`ALL`] is in the complete page's order, [`AUTH_FAILURE`] last.

    use crate::Code;

    /// `ActionOffline`: the action has been taken offline.
    pub const ACTION_OFFLINE: Code = Code::tencent(
        "ActionOffline",
        "接口已下线。",
        "The action has been taken offline.",
    );

    /// `AuthFailure.InvalidAuthorization`: the Authorization header does not conform to the Tencent Cloud standard.
    pub const AUTH_FAILURE_INVALID_AUTHORIZATION: Code = Code::tencent(
        "AuthFailure.InvalidAuthorization",
        "请求头部的 Authorization不符合腾讯云标准。",
        "The Authorization header does not conform to the Tencent Cloud standard.",
    );

    /// `AuthFailure.InvalidSecretId`: the SecretId is invalid (it is not a Cloud API key).
    pub const AUTH_FAILURE_INVALID_SECRET_ID: Code = Code::tencent(
        "AuthFailure.InvalidSecretId",
        "密钥非法(不是云 API 密钥类型)。",
        "The SecretId is invalid (it is not a Cloud API key).",
    );

    /// `AuthFailure.MFAFailure`: MFA verification failed.
    pub const AUTH_FAILURE_MFA_FAILURE: Code = Code::tencent(
        "AuthFailure.MFAFailure",
        "MFA 错误。",
        "MFA verification failed.",
    );

    /// `AuthFailure.SecretIdNotFound`: the SecretId does not exist. Check in the console whether the key has been deleted or disabled; if it is active, check that it was entered correctly, without leading or trailing spaces.
    pub const AUTH_FAILURE_SECRET_ID_NOT_FOUND: Code = Code::tencent(
        "AuthFailure.SecretIdNotFound",
        "密钥不存在。请在控制台检查密钥是否已被删除或者禁用,如状态正常,请检查密钥是否填写正确,注意前后不得有空格。",
        "The SecretId does not exist. Check in the console whether the key has been deleted or disabled; if it is active, check that it was entered correctly, without leading or trailing spaces.",
    );

    /// `AuthFailure.SignatureExpire`: the signature has expired: the request timestamp differs from server time by more than five minutes.
    pub const AUTH_FAILURE_SIGNATURE_EXPIRE: Code = Code::tencent(
        "AuthFailure.SignatureExpire",
        "签名过期。Timestamp 和服务器时间相差不得超过五分钟,请检查本地时间是否和标准时间同步。",
        "The signature has expired: the request timestamp differs from server time by more than five minutes.",
    );

    /// `AuthFailure.SignatureFailure`: the signature is incorrect. Check the signature calculation against the signature method documentation.
    pub const AUTH_FAILURE_SIGNATURE_FAILURE: Code = Code::tencent(
        "AuthFailure.SignatureFailure",
        "签名错误。签名计算错误,请对照调用方式中的签名方法文档检查签名计算过程。",
        "The signature is incorrect. Check the signature calculation against the signature method documentation.",
    );

    /// `AuthFailure.TokenFailure`: the token is invalid.
    pub const AUTH_FAILURE_TOKEN_FAILURE: Code = Code::tencent(
        "AuthFailure.TokenFailure",
        "token 错误。",
        "The token is invalid.",
    );

    /// `AuthFailure.UnauthorizedOperation`: the request is not authorized. See the CAM documentation on authentication.
    pub const AUTH_FAILURE_UNAUTHORIZED_OPERATION: Code = Code::tencent(
        "AuthFailure.UnauthorizedOperation",
        "请求未授权。请参考 CAM 文档对鉴权的说明。",
        "The request is not authorized. See the CAM documentation on authentication.",
    );

    /// `DryRunOperation`: the request would have succeeded, but the DryRun parameter was set.
    pub const DRY_RUN_OPERATION: Code = Code::tencent(
        "DryRunOperation",
        "DryRun 操作,代表请求将会是成功的,只是多传了 DryRun 参数。",
        "The request would have succeeded, but the DryRun parameter was set.",
    );

    /// `FailedOperation`: the operation failed.
    pub const FAILED_OPERATION: Code =
        Code::tencent("FailedOperation", "操作失败。", "The operation failed.");

    /// `InternalError`: an internal error occurred.
    pub const INTERNAL_ERROR: Code =
        Code::tencent("InternalError", "内部错误。", "An internal error occurred.");

    /// `InvalidAction`: the action does not exist.
    pub const INVALID_ACTION: Code = Code::tencent(
        "InvalidAction",
        "接口不存在。",
        "The action does not exist.",
    );

    /// `InvalidParameter`: a parameter is invalid (wrong format, type, or similar).
    pub const INVALID_PARAMETER: Code = Code::tencent(
        "InvalidParameter",
        "参数错误(包括参数格式、类型等错误)。",
        "A parameter is invalid (wrong format, type, or similar).",
    );

    /// `InvalidParameterValue`: a parameter value is invalid.
    pub const INVALID_PARAMETER_VALUE: Code = Code::tencent(
        "InvalidParameterValue",
        "参数取值错误。",
        "A parameter value is invalid.",
    );

    /// `InvalidRequest`: the multipart format of the request body is invalid.
    pub const INVALID_REQUEST: Code = Code::tencent(
        "InvalidRequest",
        "请求 body 的 multipart 格式错误。",
        "The multipart format of the request body is invalid.",
    );

    /// `IpInBlacklist`: the IP address is in the blocklist.
    pub const IP_IN_BLACKLIST: Code = Code::tencent(
        "IpInBlacklist",
        "IP 地址在黑名单中。",
        "The IP address is in the blocklist.",
    );

    /// `IpNotInWhitelist`: the IP address is not in the allowlist.
    pub const IP_NOT_IN_WHITELIST: Code = Code::tencent(
        "IpNotInWhitelist",
        "IP 地址不在白名单中。",
        "The IP address is not in the allowlist.",
    );

    /// `LimitExceeded`: the quota limit has been exceeded.
    pub const LIMIT_EXCEEDED: Code = Code::tencent(
        "LimitExceeded",
        "超过配额限制。",
        "The quota limit has been exceeded.",
    );

    /// `MissingParameter`: a required parameter is missing.
    pub const MISSING_PARAMETER: Code = Code::tencent(
        "MissingParameter",
        "缺少参数。",
        "A required parameter is missing.",
    );

    /// `NoSuchProduct`: the product does not exist.
    pub const NO_SUCH_PRODUCT: Code = Code::tencent(
        "NoSuchProduct",
        "产品不存在。",
        "The product does not exist.",
    );

    /// `NoSuchVersion`: the API version does not exist.
    pub const NO_SUCH_VERSION: Code = Code::tencent(
        "NoSuchVersion",
        "接口版本不存在。",
        "The API version does not exist.",
    );

    /// `RequestLimitExceeded`: the number of requests exceeds the rate limit.
    pub const REQUEST_LIMIT_EXCEEDED: Code = Code::tencent(
        "RequestLimitExceeded",
        "请求的次数超过了频率限制。",
        "The number of requests exceeds the rate limit.",
    );

    /// `RequestLimitExceeded.GlobalRegionUinLimitExceeded`: the root account has exceeded the rate limit.
    pub const REQUEST_LIMIT_EXCEEDED_GLOBAL_REGION_UIN_LIMIT_EXCEEDED: Code = Code::tencent(
        "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
        "主账号超过频率限制。",
        "The root account has exceeded the rate limit.",
    );

    /// `RequestLimitExceeded.IPLimitExceeded`: the IP address is rate limited.
    pub const REQUEST_LIMIT_EXCEEDED_IP_LIMIT_EXCEEDED: Code = Code::tencent(
        "RequestLimitExceeded.IPLimitExceeded",
        "IP 限频。",
        "The IP address is rate limited.",
    );

    /// `RequestLimitExceeded.UinLimitExceeded`: the root account is rate limited.
    pub const REQUEST_LIMIT_EXCEEDED_UIN_LIMIT_EXCEEDED: Code = Code::tencent(
        "RequestLimitExceeded.UinLimitExceeded",
        "主账号限频。",
        "The root account is rate limited.",
    );

    /// `RequestSizeLimitExceeded`: the request exceeds the size limit.
    pub const REQUEST_SIZE_LIMIT_EXCEEDED: Code = Code::tencent(
        "RequestSizeLimitExceeded",
        "请求包超过限制大小。",
        "The request exceeds the size limit.",
    );

    /// `ResourceInUse`: the resource is in use.
    pub const RESOURCE_IN_USE: Code =
        Code::tencent("ResourceInUse", "资源被占用。", "The resource is in use.");

    /// `ResourceInsufficient`: the resources are insufficient.
    pub const RESOURCE_INSUFFICIENT: Code = Code::tencent(
        "ResourceInsufficient",
        "资源不足。",
        "The resources are insufficient.",
    );

    /// `ResourceNotFound`: the resource does not exist.
    pub const RESOURCE_NOT_FOUND: Code = Code::tencent(
        "ResourceNotFound",
        "资源不存在。",
        "The resource does not exist.",
    );

    /// `ResourceUnavailable`: the resource is unavailable.
    pub const RESOURCE_UNAVAILABLE: Code = Code::tencent(
        "ResourceUnavailable",
        "资源不可用。",
        "The resource is unavailable.",
    );

    /// `ResponseSizeLimitExceeded`: the response exceeds the size limit.
    pub const RESPONSE_SIZE_LIMIT_EXCEEDED: Code = Code::tencent(
        "ResponseSizeLimitExceeded",
        "返回包超过限制大小。",
        "The response exceeds the size limit.",
    );

    /// `ServiceUnavailable`: the service is temporarily unavailable.
    pub const SERVICE_UNAVAILABLE: Code = Code::tencent(
        "ServiceUnavailable",
        "当前服务暂时不可用。",
        "The service is temporarily unavailable.",
    );

    /// `UnauthorizedOperation`: the operation is not authorized.
    pub const UNAUTHORIZED_OPERATION: Code = Code::tencent(
        "UnauthorizedOperation",
        "未授权操作。",
        "The operation is not authorized.",
    );

    /// `UnknownParameter`: the request passed a parameter that the API does not define.
    pub const UNKNOWN_PARAMETER: Code = Code::tencent(
        "UnknownParameter",
        "未知参数错误,用户多传未定义的参数会导致错误。",
        "The request passed a parameter that the API does not define.",
    );

    /// `UnsupportedOperation`: the operation is not supported.
    pub const UNSUPPORTED_OPERATION: Code = Code::tencent(
        "UnsupportedOperation",
        "操作不支持。",
        "The operation is not supported.",
    );

    /// `UnsupportedProtocol`: unsupported HTTP(S) request: only GET and POST requests are supported.
    pub const UNSUPPORTED_PROTOCOL: Code = Code::tencent(
        "UnsupportedProtocol",
        "http(s) 请求协议错误,只支持 GET 和 POST 请求。",
        "Unsupported HTTP(S) request: only GET and POST requests are supported.",
    );

    /// `UnsupportedRegion`: the action does not support the requested region.
    pub const UNSUPPORTED_REGION: Code = Code::tencent(
        "UnsupportedRegion",
        "接口不支持所传地域。",
        "The action does not support the requested region.",
    );

    /// `AuthFailure`: CAM signature or authentication failed.
    pub const AUTH_FAILURE: Code = Code::tencent(
        "AuthFailure",
        "CAM签名/鉴权错误。",
        "CAM signature or authentication failed.",
    );

    /// Every common code, in table order (`AuthFailure` last).
    pub const ALL: &[Code] = &[
        ACTION_OFFLINE,
        AUTH_FAILURE_INVALID_AUTHORIZATION,
        AUTH_FAILURE_INVALID_SECRET_ID,
        AUTH_FAILURE_MFA_FAILURE,
        AUTH_FAILURE_SECRET_ID_NOT_FOUND,
        AUTH_FAILURE_SIGNATURE_EXPIRE,
        AUTH_FAILURE_SIGNATURE_FAILURE,
        AUTH_FAILURE_TOKEN_FAILURE,
        AUTH_FAILURE_UNAUTHORIZED_OPERATION,
        DRY_RUN_OPERATION,
        FAILED_OPERATION,
        INTERNAL_ERROR,
        INVALID_ACTION,
        INVALID_PARAMETER,
        INVALID_PARAMETER_VALUE,
        INVALID_REQUEST,
        IP_IN_BLACKLIST,
        IP_NOT_IN_WHITELIST,
        LIMIT_EXCEEDED,
        MISSING_PARAMETER,
        NO_SUCH_PRODUCT,
        NO_SUCH_VERSION,
        REQUEST_LIMIT_EXCEEDED,
        REQUEST_LIMIT_EXCEEDED_GLOBAL_REGION_UIN_LIMIT_EXCEEDED,
        REQUEST_LIMIT_EXCEEDED_IP_LIMIT_EXCEEDED,
        REQUEST_LIMIT_EXCEEDED_UIN_LIMIT_EXCEEDED,
        REQUEST_SIZE_LIMIT_EXCEEDED,
        RESOURCE_IN_USE,
        RESOURCE_INSUFFICIENT,
        RESOURCE_NOT_FOUND,
        RESOURCE_UNAVAILABLE,
        RESPONSE_SIZE_LIMIT_EXCEEDED,
        SERVICE_UNAVAILABLE,
        UNAUTHORIZED_OPERATION,
        UNKNOWN_PARAMETER,
        UNSUPPORTED_OPERATION,
        UNSUPPORTED_PROTOCOL,
        UNSUPPORTED_REGION,
        AUTH_FAILURE,
    ];
}

pub mod tcr {
    //! Tencent Container Registry (TCR) business error codes (业务错误码), from the TCR "错误码"
    //! page (updated 2024-06-18 14:31:22).
    //!
    //! The table lists codes only; the Chinese and English messages are written for this crate. Rows
    //! that are common codes (`InternalError`, `InvalidParameter`, `MissingParameter`,
    //! `ResourceNotFound`, `UnauthorizedOperation`, `UnknownParameter`, `UnsupportedOperation`) are
    //! re-exported from [`common`](super::common) and appear in [`ALL`] all the same.

    use crate::Code;

    /// `InternalError.DbError`: a database error occurred.
    pub const INTERNAL_ERROR_DB_ERROR: Code = Code::tencent(
        "InternalError.DbError",
        "数据库错误。",
        "A database error occurred.",
    );

    /// `ResourceNotFound.ErrNoCommit`: the commit does not exist.
    pub const RESOURCE_NOT_FOUND_ERR_NO_COMMIT: Code = Code::tencent(
        "ResourceNotFound.ErrNoCommit",
        "提交记录不存在。",
        "The commit does not exist.",
    );

    pub use super::common::RESOURCE_NOT_FOUND;

    /// `LimitExceeded.ErrNamespaceMaxLimit`: the namespace quota has been reached.
    pub const LIMIT_EXCEEDED_ERR_NAMESPACE_MAX_LIMIT: Code = Code::tencent(
        "LimitExceeded.ErrNamespaceMaxLimit",
        "命名空间数量已达到配额。",
        "The namespace quota has been reached.",
    );

    /// `InvalidParameter.ErrNSMisMatch`: the request does not match its namespace.
    pub const INVALID_PARAMETER_ERR_NS_MIS_MATCH: Code = Code::tencent(
        "InvalidParameter.ErrNSMisMatch",
        "请求中的信息与命名空间不匹配。",
        "The request does not match its namespace.",
    );

    /// `InvalidParameter.ErrNamespaceReserved`: the namespace name is reserved or already taken.
    pub const INVALID_PARAMETER_ERR_NAMESPACE_RESERVED: Code = Code::tencent(
        "InvalidParameter.ErrNamespaceReserved",
        "命名空间名称已被占用。",
        "The namespace name is reserved or already taken.",
    );

    pub use super::common::MISSING_PARAMETER;

    /// `InternalError.ErrorTcrInternal`: an internal error occurred in the TCR instance.
    pub const INTERNAL_ERROR_ERROR_TCR_INTERNAL: Code = Code::tencent(
        "InternalError.ErrorTcrInternal",
        "TCR 实例内部错误。",
        "An internal error occurred in the TCR instance.",
    );

    pub use super::common::UNSUPPORTED_OPERATION;

    /// `InternalError.ErrUnauthorized`: authentication failed.
    pub const INTERNAL_ERROR_ERR_UNAUTHORIZED: Code = Code::tencent(
        "InternalError.ErrUnauthorized",
        "鉴权失败。",
        "Authentication failed.",
    );

    /// `LimitExceeded.ErrTriggerMaxLimit`: the trigger quota has been reached.
    pub const LIMIT_EXCEEDED_ERR_TRIGGER_MAX_LIMIT: Code = Code::tencent(
        "LimitExceeded.ErrTriggerMaxLimit",
        "触发器数量已达到配额。",
        "The trigger quota has been reached.",
    );

    /// `InternalError.ErrAuthAssigned`: the authorization has already been assigned.
    pub const INTERNAL_ERROR_ERR_AUTH_ASSIGNED: Code = Code::tencent(
        "InternalError.ErrAuthAssigned",
        "授权已存在。",
        "The authorization has already been assigned.",
    );

    /// `InternalError.ErrorTcrUnauthorized`: the TCR operation is not permitted.
    pub const INTERNAL_ERROR_ERROR_TCR_UNAUTHORIZED: Code = Code::tencent(
        "InternalError.ErrorTcrUnauthorized",
        "没有 TCR 操作权限。",
        "The TCR operation is not permitted.",
    );

    /// `ResourceNotFound.ErrNoRepo`: the repository does not exist.
    pub const RESOURCE_NOT_FOUND_ERR_NO_REPO: Code = Code::tencent(
        "ResourceNotFound.ErrNoRepo",
        "仓库不存在。",
        "The repository does not exist.",
    );

    /// `ResourceNotFound.TcrResourceNotFound`: the resource was not found in the TCR instance.
    pub const RESOURCE_NOT_FOUND_TCR_RESOURCE_NOT_FOUND: Code = Code::tencent(
        "ResourceNotFound.TcrResourceNotFound",
        "TCR 实例中的资源不存在。",
        "The resource was not found in the TCR instance.",
    );

    /// `ResourceNotFound.ErrNoNamespace`: the namespace does not exist.
    pub const RESOURCE_NOT_FOUND_ERR_NO_NAMESPACE: Code = Code::tencent(
        "ResourceNotFound.ErrNoNamespace",
        "命名空间不存在。",
        "The namespace does not exist.",
    );

    /// `InternalError.ErrConflict`: the target conflicts with an existing one.
    pub const INTERNAL_ERROR_ERR_CONFLICT: Code = Code::tencent(
        "InternalError.ErrConflict",
        "目标冲突。",
        "The target conflicts with an existing one.",
    );

    pub use super::common::INVALID_PARAMETER;

    /// `InternalError.ErrorConflict`: the resource already exists.
    pub const INTERNAL_ERROR_ERROR_CONFLICT: Code = Code::tencent(
        "InternalError.ErrorConflict",
        "资源已存在。",
        "The resource already exists.",
    );

    pub use super::common::UNAUTHORIZED_OPERATION;

    /// `InternalError.ErrMustAdmin`: administrator permission is required.
    pub const INTERNAL_ERROR_ERR_MUST_ADMIN: Code = Code::tencent(
        "InternalError.ErrMustAdmin",
        "需要管理员权限。",
        "Administrator permission is required.",
    );

    /// `ResourceNotFound.ErrNoTrigger`: the trigger does not exist.
    pub const RESOURCE_NOT_FOUND_ERR_NO_TRIGGER: Code = Code::tencent(
        "ResourceNotFound.ErrNoTrigger",
        "触发器不存在。",
        "The trigger does not exist.",
    );

    pub use super::common::UNKNOWN_PARAMETER;

    /// `InvalidParameter.ErrNamespaceExist`: the namespace already exists.
    pub const INVALID_PARAMETER_ERR_NAMESPACE_EXIST: Code = Code::tencent(
        "InvalidParameter.ErrNamespaceExist",
        "命名空间已存在。",
        "The namespace already exists.",
    );

    /// `MissingParameter.MissingParameter`: a required parameter is missing.
    pub const MISSING_PARAMETER_MISSING_PARAMETER: Code = Code::tencent(
        "MissingParameter.MissingParameter",
        "缺少参数。",
        "A required parameter is missing.",
    );

    /// `ResourceNotFound.ErrNoAuth`: the authorization does not exist.
    pub const RESOURCE_NOT_FOUND_ERR_NO_AUTH: Code = Code::tencent(
        "ResourceNotFound.ErrNoAuth",
        "授权不存在。",
        "The authorization does not exist.",
    );

    /// `InternalError.Unknown`: an unknown error occurred.
    pub const INTERNAL_ERROR_UNKNOWN: Code = Code::tencent(
        "InternalError.Unknown",
        "未知错误。",
        "An unknown error occurred.",
    );

    /// `InternalError.ErrNotExist`: the target does not exist.
    pub const INTERNAL_ERROR_ERR_NOT_EXIST: Code = Code::tencent(
        "InternalError.ErrNotExist",
        "目标不存在。",
        "The target does not exist.",
    );

    pub use super::common::INTERNAL_ERROR;

    /// `ResourceNotFound.ErrNoTag`: the tag does not exist.
    pub const RESOURCE_NOT_FOUND_ERR_NO_TAG: Code = Code::tencent(
        "ResourceNotFound.ErrNoTag",
        "Tag 不存在。",
        "The tag does not exist.",
    );

    /// `InvalidParameter.ErrorTcrInvalidParameter`: the TCR request is invalid.
    pub const INVALID_PARAMETER_ERROR_TCR_INVALID_PARAMETER: Code = Code::tencent(
        "InvalidParameter.ErrorTcrInvalidParameter",
        "无效的 TCR 请求。",
        "The TCR request is invalid.",
    );

    /// `InvalidParameter.ErrUserExist`: the user already exists.
    pub const INVALID_PARAMETER_ERR_USER_EXIST: Code = Code::tencent(
        "InvalidParameter.ErrUserExist",
        "用户已存在。",
        "The user already exists.",
    );

    /// `InternalError.ErrorTcrInvalidMediaType`: the request to the TCR instance has an invalid media type.
    pub const INTERNAL_ERROR_ERROR_TCR_INVALID_MEDIA_TYPE: Code = Code::tencent(
        "InternalError.ErrorTcrInvalidMediaType",
        "TCR 实例请求的媒体类型无效。",
        "The request to the TCR instance has an invalid media type.",
    );

    /// `InternalError.ErrGitApi`: a call to the Git platform API failed.
    pub const INTERNAL_ERROR_ERR_GIT_API: Code = Code::tencent(
        "InternalError.ErrGitApi",
        "代码仓库平台 API 调用失败。",
        "A call to the Git platform API failed.",
    );

    /// `InternalError.ErrorOverLimit`: the resource quota has been exceeded.
    pub const INTERNAL_ERROR_ERROR_OVER_LIMIT: Code = Code::tencent(
        "InternalError.ErrorOverLimit",
        "资源超过配额。",
        "The resource quota has been exceeded.",
    );

    /// `ResourceNotFound.ErrNoUser`: the user does not exist.
    pub const RESOURCE_NOT_FOUND_ERR_NO_USER: Code = Code::tencent(
        "ResourceNotFound.ErrNoUser",
        "用户不存在。",
        "The user does not exist.",
    );

    /// `InternalError.ErrorTcrResourceConflict`: a resource conflict occurred in the TCR instance.
    pub const INTERNAL_ERROR_ERROR_TCR_RESOURCE_CONFLICT: Code = Code::tencent(
        "InternalError.ErrorTcrResourceConflict",
        "TCR 实例资源冲突。",
        "A resource conflict occurred in the TCR instance.",
    );

    /// `InvalidParameter.ErrTriggerExist`: the trigger already exists.
    pub const INVALID_PARAMETER_ERR_TRIGGER_EXIST: Code = Code::tencent(
        "InvalidParameter.ErrTriggerExist",
        "触发器已存在。",
        "The trigger already exists.",
    );

    /// `InternalError.ErrRegistry`: the registry service returned an error.
    pub const INTERNAL_ERROR_ERR_REGISTRY: Code = Code::tencent(
        "InternalError.ErrRegistry",
        "镜像仓库服务错误。",
        "The registry service returned an error.",
    );

    /// `InvalidParameter.ErrRepoExist`: the repository already exists.
    pub const INVALID_PARAMETER_ERR_REPO_EXIST: Code = Code::tencent(
        "InvalidParameter.ErrRepoExist",
        "仓库已存在。",
        "The repository already exists.",
    );

    /// Every code of the TCR business code table, in table order (re-exported common codes included).
    pub const ALL: &[Code] = &[
        INTERNAL_ERROR_DB_ERROR,
        RESOURCE_NOT_FOUND_ERR_NO_COMMIT,
        RESOURCE_NOT_FOUND,
        LIMIT_EXCEEDED_ERR_NAMESPACE_MAX_LIMIT,
        INVALID_PARAMETER_ERR_NS_MIS_MATCH,
        INVALID_PARAMETER_ERR_NAMESPACE_RESERVED,
        MISSING_PARAMETER,
        INTERNAL_ERROR_ERROR_TCR_INTERNAL,
        UNSUPPORTED_OPERATION,
        INTERNAL_ERROR_ERR_UNAUTHORIZED,
        LIMIT_EXCEEDED_ERR_TRIGGER_MAX_LIMIT,
        INTERNAL_ERROR_ERR_AUTH_ASSIGNED,
        INTERNAL_ERROR_ERROR_TCR_UNAUTHORIZED,
        RESOURCE_NOT_FOUND_ERR_NO_REPO,
        RESOURCE_NOT_FOUND_TCR_RESOURCE_NOT_FOUND,
        RESOURCE_NOT_FOUND_ERR_NO_NAMESPACE,
        INTERNAL_ERROR_ERR_CONFLICT,
        INVALID_PARAMETER,
        INTERNAL_ERROR_ERROR_CONFLICT,
        UNAUTHORIZED_OPERATION,
        INTERNAL_ERROR_ERR_MUST_ADMIN,
        RESOURCE_NOT_FOUND_ERR_NO_TRIGGER,
        UNKNOWN_PARAMETER,
        INVALID_PARAMETER_ERR_NAMESPACE_EXIST,
        MISSING_PARAMETER_MISSING_PARAMETER,
        RESOURCE_NOT_FOUND_ERR_NO_AUTH,
        INTERNAL_ERROR_UNKNOWN,
        INTERNAL_ERROR_ERR_NOT_EXIST,
        INTERNAL_ERROR,
        RESOURCE_NOT_FOUND_ERR_NO_TAG,
        INVALID_PARAMETER_ERROR_TCR_INVALID_PARAMETER,
        INVALID_PARAMETER_ERR_USER_EXIST,
        INTERNAL_ERROR_ERROR_TCR_INVALID_MEDIA_TYPE,
        INTERNAL_ERROR_ERR_GIT_API,
        INTERNAL_ERROR_ERROR_OVER_LIMIT,
        RESOURCE_NOT_FOUND_ERR_NO_USER,
        INTERNAL_ERROR_ERROR_TCR_RESOURCE_CONFLICT,
        INVALID_PARAMETER_ERR_TRIGGER_EXIST,
        INTERNAL_ERROR_ERR_REGISTRY,
        INVALID_PARAMETER_ERR_REPO_EXIST,
    ];
}
