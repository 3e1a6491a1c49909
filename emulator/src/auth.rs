//! Authentication (Basic with an API key, or an HS256 JWT signed with its secret) and the
//! check that the key belongs to the app in the path.

use std::collections::HashMap;

use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use crate::error::ApiError;
use crate::seed::Seed;
use crate::state::{AppSlot, Shared};

/// JWT `scope` values accepted.
const SCOPES: [&str; 2] = ["app", "account"];

struct Key {
    /// Index of the owning app.
    app: usize,
    secret: String,
    decoding: DecodingKey,
}

/// All API keys of the seed, by key id.
pub(crate) struct KeyRing {
    keys: HashMap<String, Key>,
    validation: Validation,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRing")
            .field("keys", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[derive(Deserialize)]
struct Claims {
    scope: Option<String>,
}

impl KeyRing {
    pub(crate) fn new(seed: &Seed) -> Self {
        let mut keys = HashMap::new();
        for (app, seed_app) in seed.apps.iter().enumerate() {
            for key in &seed_app.keys {
                keys.insert(
                    key.id.clone(),
                    Key {
                        app,
                        secret: key.secret.clone(),
                        decoding: DecodingKey::from_secret(key.secret.as_bytes()),
                    },
                );
            }
        }
        // HS256 only; `exp` is optional but honoured when present; `aud` is not checked.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.required_spec_claims.clear();
        validation.validate_aud = false;
        KeyRing { keys, validation }
    }

    /// The index of the app owning the credentials in `headers`, or 401.
    pub(crate) fn authenticate(&self, headers: &HeaderMap) -> Result<usize, ApiError> {
        let value = headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthorized("Authorization is required"))?;
        let value = value
            .to_str()
            .map_err(|_| ApiError::unauthorized("Invalid Authorization header"))?;
        let (scheme, credentials) = value.split_once(' ').unwrap_or((value, ""));
        let credentials = credentials.trim();
        if scheme.eq_ignore_ascii_case("basic") {
            self.basic(credentials)
        } else if scheme.eq_ignore_ascii_case("bearer") {
            self.bearer(credentials)
        } else {
            Err(ApiError::unauthorized(
                "Authorization must use the Basic or Bearer scheme",
            ))
        }
    }

    fn basic(&self, credentials: &str) -> Result<usize, ApiError> {
        let invalid = || ApiError::unauthorized("Invalid Basic credentials");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(credentials)
            .map_err(|_| invalid())?;
        let decoded = std::str::from_utf8(&decoded).map_err(|_| invalid())?;
        let (key_id, secret) = decoded.split_once(':').ok_or_else(invalid)?;
        match self.keys.get(key_id) {
            Some(key) if key.secret == secret => Ok(key.app),
            Some(_) => Err(ApiError::unauthorized("Invalid API key secret")),
            None => Err(ApiError::unauthorized("Unknown API key id")),
        }
    }

    fn bearer(&self, token: &str) -> Result<usize, ApiError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|e| ApiError::unauthorized(format!("Invalid JWT: {e}")))?;
        let kid = header
            .kid
            .ok_or_else(|| ApiError::unauthorized("Invalid JWT: the header has no kid"))?;
        let key = self
            .keys
            .get(&kid)
            .ok_or_else(|| ApiError::unauthorized("Invalid JWT: unknown kid"))?;
        let data = jsonwebtoken::decode::<Claims>(token, &key.decoding, &self.validation)
            .map_err(|e| ApiError::unauthorized(format!("Invalid JWT: {e}")))?;
        match data.claims.scope.as_deref() {
            Some(scope) if SCOPES.contains(&scope) => Ok(key.app),
            _ => Err(ApiError::unauthorized(
                "Invalid JWT: scope must be app or account",
            )),
        }
    }
}

impl Shared {
    /// Authenticates the request, then resolves `app_id`: 401 for bad credentials, 404
    /// `app_not_found` for an unknown app, 403 `forbidden` for another app's key.
    pub(crate) fn authorize(
        &self,
        headers: &HeaderMap,
        app_id: &str,
    ) -> Result<&AppSlot, ApiError> {
        let key_app = self.keys.authenticate(headers)?;
        let index = self
            .app_index(app_id)
            .ok_or_else(|| ApiError::not_found("app_not_found", "App not found"))?;
        if index != key_app {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "The API key does not have access to this app",
            ));
        }
        Ok(&self.apps[index])
    }
}
