//! Credentials, and the `Authorization` header they turn into.

use std::fmt;

use reqwest::header::HeaderValue;

use crate::error::{Error, Result};

/// A secret string: never shown by `Debug` or `Display`, and compared in constant time
/// (`==` takes as long wherever two secrets of one length differ).
#[derive(Clone)]
pub struct Secret(String);

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        use subtle::ConstantTimeEq;
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for Secret {}

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    /// The secret itself. Only call this to hand it to a signer or the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_owned())
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

/// The scope claim of a client-minted JWT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JwtScope {
    /// Access to one app (the default).
    #[default]
    App,
    /// Access to the whole account.
    Account,
    /// Access as an OAuth integration.
    Integration,
}

impl JwtScope {
    /// The wire value of the `scope` claim.
    pub fn as_str(self) -> &'static str {
        match self {
            JwtScope::App => "app",
            JwtScope::Account => "account",
            JwtScope::Integration => "integration",
        }
    }
}

/// How the client authenticates. `Debug` shows the key id, never a secret or token.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Auth {
    /// HTTP Basic with an API key: key id as user name, secret as password.
    Basic {
        /// The key id (`app_...` or `int_...`).
        key_id: String,
        /// The key secret.
        secret: Secret,
    },
    /// A JWT minted by the client (HS256, header `kid` = key id, claim `scope`), signed once and reused.
    Jwt {
        /// The key id, sent as the `kid` header.
        key_id: String,
        /// The key secret, used to sign.
        secret: Secret,
        /// The `scope` claim.
        scope: JwtScope,
    },
    /// A bearer token obtained elsewhere (e.g. an OAuth access token or a JWT you signed).
    Bearer(Secret),
}

impl Auth {
    /// HTTP Basic with an API key.
    pub fn basic(key_id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Auth::Basic {
            key_id: key_id.into(),
            secret: secret.into(),
        }
    }

    /// A client-minted JWT with scope `app`.
    pub fn jwt(key_id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Self::jwt_with_scope(key_id, secret, JwtScope::App)
    }

    /// A client-minted JWT with the given scope.
    pub fn jwt_with_scope(
        key_id: impl Into<String>,
        secret: impl Into<Secret>,
        scope: JwtScope,
    ) -> Self {
        Auth::Jwt {
            key_id: key_id.into(),
            secret: secret.into(),
            scope,
        }
    }

    /// A caller-supplied bearer token.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Auth::Bearer(token.into())
    }

    /// The `Authorization` header value, computed once when the client is built.
    pub(crate) fn header(&self) -> Result<HeaderValue> {
        let text = match self {
            Auth::Basic { key_id, secret } => {
                if key_id.is_empty() || secret.expose().is_empty() {
                    return Err(Error::Config(
                        "basic auth needs a non-empty key id and secret".into(),
                    ));
                }
                if key_id.contains(':') {
                    return Err(Error::Config("a key id must not contain ':'".into()));
                }
                format!(
                    "Basic {}",
                    base64_encode(format!("{key_id}:{}", secret.expose()).as_bytes())
                )
            }
            Auth::Jwt {
                key_id,
                secret,
                scope,
            } => format!("Bearer {}", mint_jwt(key_id, secret, *scope)?),
            Auth::Bearer(token) => {
                if token.expose().is_empty() {
                    return Err(Error::Config("the bearer token is empty".into()));
                }
                format!("Bearer {}", token.expose())
            }
        };
        let mut value = HeaderValue::from_str(&text).map_err(|_| {
            Error::Config("credentials contain characters not allowed in an HTTP header".into())
        })?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Basic { key_id, .. } => f
                .debug_struct("Basic")
                .field("key_id", key_id)
                .field("secret", &"***")
                .finish(),
            Auth::Jwt { key_id, scope, .. } => f
                .debug_struct("Jwt")
                .field("key_id", key_id)
                .field("secret", &"***")
                .field("scope", scope)
                .finish(),
            Auth::Bearer(_) => f.write_str("Bearer(***)"),
        }
    }
}

#[derive(serde::Serialize)]
struct Claims<'a> {
    scope: &'a str,
}

/// Signs an HS256 JWT with `kid` = key id and `scope` claim.
pub(crate) fn mint_jwt(key_id: &str, secret: &Secret, scope: JwtScope) -> Result<String> {
    if key_id.is_empty() || secret.expose().is_empty() {
        return Err(Error::Config(
            "jwt auth needs a non-empty key id and secret".into(),
        ));
    }
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some(key_id.to_owned());
    let key = jsonwebtoken::EncodingKey::from_secret(secret.expose().as_bytes());
    jsonwebtoken::encode(
        &header,
        &Claims {
            scope: scope.as_str(),
        },
        &key,
    )
    .map_err(|e| Error::Config(format!("could not sign the JWT: {e}")))
}

fn base64_encode(input: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_by_value() {
        assert_eq!(Secret::new("abc"), Secret::new("abc"));
        assert_ne!(Secret::new("abc"), Secret::new("abd"));
        assert_ne!(Secret::new("abc"), Secret::new("abcd"));
        assert_ne!(Secret::new(""), Secret::new("a"));
    }

    #[test]
    fn debug_hides_secrets() {
        for auth in [
            Auth::basic("key_1", "s3cr3t-value"),
            Auth::jwt("key_1", "s3cr3t-value"),
            Auth::bearer("s3cr3t-value"),
        ] {
            let d = format!("{auth:?}");
            assert!(!d.contains("s3cr3t"), "{d}");
            let h = auth.header().unwrap();
            assert!(h.is_sensitive());
            assert!(!format!("{h:?}").contains("s3cr3t"));
        }
    }

    #[test]
    fn basic_header() {
        let h = Auth::basic("demo-key", "demo-secret").header().unwrap();
        assert_eq!(h.to_str().unwrap(), "Basic ZGVtby1rZXk6ZGVtby1zZWNyZXQ=");
    }

    #[test]
    fn jwt_header_and_claims() {
        let token = mint_jwt("kid-1", &Secret::new("sekret"), JwtScope::App).unwrap();
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.alg, jsonwebtoken::Algorithm::HS256);
        assert_eq!(header.kid.as_deref(), Some("kid-1"));
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
        v.required_spec_claims.clear();
        v.validate_exp = false;
        let data = jsonwebtoken::decode::<serde_json::Value>(
            &token,
            &jsonwebtoken::DecodingKey::from_secret(b"sekret"),
            &v,
        )
        .unwrap();
        assert_eq!(data.claims, serde_json::json!({"scope": "app"}));
        let wrong = jsonwebtoken::decode::<serde_json::Value>(
            &token,
            &jsonwebtoken::DecodingKey::from_secret(b"other"),
            &v,
        );
        assert!(wrong.is_err());
        let account = mint_jwt("k", &Secret::new("s"), JwtScope::Account).unwrap();
        let data = jsonwebtoken::decode::<serde_json::Value>(
            &account,
            &jsonwebtoken::DecodingKey::from_secret(b"s"),
            &v,
        )
        .unwrap();
        assert_eq!(data.claims["scope"], "account");
    }

    #[test]
    fn empty_credentials_are_config_errors() {
        assert!(matches!(
            Auth::basic("", "x").header(),
            Err(Error::Config(_))
        ));
        assert!(matches!(Auth::jwt("k", "").header(), Err(Error::Config(_))));
        assert!(matches!(Auth::bearer("").header(), Err(Error::Config(_))));
        assert!(matches!(
            Auth::bearer("a\nb").header(),
            Err(Error::Config(_))
        ));
    }
}
