//! Where the verifiers find secrets: the [`CredentialStore`] trait, an in-memory store, the
//! zeroizing [`Secret`] and the [`Principal`] a verified request carries.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// A secret (secret access key, session token): zeroized when dropped, never printed.
///
/// ```
/// use tower_cloud_error::bce::Secret;
///
/// let secret = Secret::new("my-secret-key");
/// assert_eq!(format!("{secret:?}"), "Secret(..)");
/// assert!(secret.matches(b"my-secret-key"));
/// ```
#[derive(Clone)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Wraps the secret's text.
    pub fn new(secret: impl Into<String>) -> Secret {
        Secret(Zeroizing::new(secret.into().into_bytes()))
    }

    /// The secret's bytes, for the signers.
    pub(crate) fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Whether `candidate` is this secret, compared in constant time.
    #[must_use]
    pub fn matches(&self, candidate: &[u8]) -> bool {
        self.0.as_slice().ct_eq(candidate).into()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// Who signed a verified request. The verifying layers put it in the request extensions, for
/// handlers (and for idempotency keys, which are per caller).
///
/// ```
/// use tower_cloud_error::bce::Principal;
///
/// let principal = Principal::new("AKIDEXAMPLE").with_account("tenant-42");
/// assert_eq!(principal.access_key_id(), "AKIDEXAMPLE");
/// assert_eq!(principal.account(), Some("tenant-42"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Principal {
    access_key_id: Arc<str>,
    account: Option<Arc<str>>,
}

impl Principal {
    /// The principal of the access key `access_key_id`, with no account.
    pub fn new(access_key_id: impl Into<Arc<str>>) -> Principal {
        Principal {
            access_key_id: access_key_id.into(),
            account: None,
        }
    }

    /// The same principal, belonging to `account` (a tenant, user or role id of your choice).
    #[must_use]
    pub fn with_account(mut self, account: impl Into<Arc<str>>) -> Principal {
        self.account = Some(account.into());
        self
    }

    /// The access key (BCE) or SecretId (Tencent) that signed the request.
    #[must_use]
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The account the store gave the key, if any.
    #[must_use]
    pub fn account(&self) -> Option<&str> {
        self.account.as_deref()
    }
}

/// What a [`CredentialStore`] knows about one access key: its secret, the session token that
/// must come with it (temporary credentials), and the [`Principal`] it stands for.
///
/// ```
/// use tower_cloud_error::bce::{Credential, Principal};
///
/// let permanent = Credential::new("AKIDEXAMPLE", "secret");
/// assert_eq!(permanent.principal().access_key_id(), "AKIDEXAMPLE");
/// let temporary = Credential::new("AKIDTEMP", "secret").with_session_token("token");
/// assert!(temporary.accepts_session_token(Some("token")));
/// assert!(!temporary.accepts_session_token(None));
/// assert!(!permanent.accepts_session_token(Some("token")));
/// ```
#[derive(Debug, Clone)]
pub struct Credential {
    secret: Secret,
    session_token: Option<Secret>,
    principal: Principal,
}

impl Credential {
    /// A permanent credential: the access key `access_key_id` and its secret.
    pub fn new(access_key_id: impl Into<Arc<str>>, secret: impl Into<String>) -> Credential {
        Credential {
            secret: Secret::new(secret),
            session_token: None,
            principal: Principal::new(access_key_id),
        }
    }

    /// A temporary credential: requests must also carry `token` (`X-TC-Token`,
    /// `x-bce-security-token`).
    #[must_use]
    pub fn with_session_token(mut self, token: impl Into<String>) -> Credential {
        self.session_token = Some(Secret::new(token));
        self
    }

    /// Another principal than the bare access key.
    #[must_use]
    pub fn with_principal(mut self, principal: Principal) -> Credential {
        self.principal = principal;
        self
    }

    /// The principal verified requests carry.
    #[must_use]
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// The secret key.
    pub(crate) fn secret(&self) -> &Secret {
        &self.secret
    }

    /// Whether a request's session token (`None`: the request sent none) fits this credential:
    /// a temporary credential needs its token, a permanent one takes none.
    #[must_use]
    pub fn accepts_session_token(&self, token: Option<&str>) -> bool {
        match (&self.session_token, token) {
            (None, None) => true,
            (Some(expected), Some(sent)) => expected.matches(sent.as_bytes()),
            _ => false,
        }
    }
}

/// Looks up the credential of an access key. Implement it over your key database; the verifying
/// layers call it once per request, after the `Authorization` header parsed and the request is
/// fresh.
///
/// ```
/// use std::future::Future;
/// use tower_cloud_error::bce::{Credential, CredentialStore};
///
/// struct OneKey;
/// impl CredentialStore for OneKey {
///     fn credential(&self, access_key_id: &str) -> impl Future<Output = Option<Credential>> + Send {
///         let found = (access_key_id == "AKIDEXAMPLE").then(|| Credential::new("AKIDEXAMPLE", "secret"));
///         async move { found }
///     }
/// }
/// ```
pub trait CredentialStore: Send + Sync + 'static {
    /// The credential of `access_key_id`, or `None` if the key is unknown (answered with
    /// `InvalidAccessKeyId` / `AuthFailure.SecretIdNotFound`).
    fn credential(&self, access_key_id: &str) -> impl Future<Output = Option<Credential>> + Send;
}

/// A [`CredentialStore`] in memory, for demos and tests.
///
/// ```
/// use tower_cloud_error::bce::{Credential, InMemoryCredentials};
///
/// let store = InMemoryCredentials::new()
///     .with(Credential::new("AK1", "SK1"))
///     .with(Credential::new("AK2", "SK2"));
/// assert_eq!(store.len(), 2);
///
/// let parsed = InMemoryCredentials::parse_pairs("AK1:SK1,AK2:SK2").unwrap();
/// assert_eq!(parsed.len(), 2);
/// assert!(InMemoryCredentials::parse_pairs("AK1").is_err());
/// ```
#[derive(Debug, Clone, Default)]
pub struct InMemoryCredentials {
    by_key: HashMap<Arc<str>, Credential>,
}

impl InMemoryCredentials {
    /// An empty store.
    #[must_use]
    pub fn new() -> InMemoryCredentials {
        InMemoryCredentials::default()
    }

    /// The store with `credential` added (replacing one of the same access key).
    #[must_use]
    pub fn with(mut self, credential: Credential) -> InMemoryCredentials {
        let key = Arc::clone(&credential.principal.access_key_id);
        self.by_key.insert(key, credential);
        self
    }

    /// Parses `AK:SK[,AK2:SK2...]` (as in the examples' `DEMO_CREDENTIALS`).
    ///
    /// # Errors
    ///
    /// A message naming the malformed entry by position (never its text: it holds a secret).
    pub fn parse_pairs(text: &str) -> Result<InMemoryCredentials, String> {
        let mut store = InMemoryCredentials::new();
        for (index, pair) in text.split(',').enumerate() {
            match pair.trim().split_once(':') {
                Some((key, secret)) if !key.is_empty() && !secret.is_empty() => {
                    store = store.with(Credential::new(key, secret));
                }
                _ => {
                    return Err(format!(
                        "credential pair {} is not ACCESS_KEY:SECRET_KEY",
                        index + 1
                    ))
                }
            }
        }
        Ok(store)
    }

    /// The access keys the store knows, in no particular order.
    ///
    /// ```
    /// use tower_cloud_error::bce::{Credential, InMemoryCredentials};
    ///
    /// let store = InMemoryCredentials::new().with(Credential::new("AK1", "SK1"));
    /// assert_eq!(store.access_key_ids().collect::<Vec<_>>(), ["AK1"]);
    /// ```
    pub fn access_key_ids(&self) -> impl Iterator<Item = &str> {
        self.by_key.keys().map(|key| &**key)
    }

    /// How many credentials the store holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// Whether the store is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

impl CredentialStore for InMemoryCredentials {
    fn credential(&self, access_key_id: &str) -> impl Future<Output = Option<Credential>> + Send {
        std::future::ready(self.by_key.get(access_key_id).cloned())
    }
}
