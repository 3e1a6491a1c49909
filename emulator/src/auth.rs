//! Authentication (Basic with an API key, or an HS256 JWT signed with its secret), who the
//! credentials speak for (an account, an app, or one integration of an app), and the check that
//! they may call an operation on the app in the path.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use crate::error::ApiError;
use crate::seed::Seed;
use crate::state::{AppSlot, Shared};

/// JWT `scope` values accepted. The access a token gives is always that of the key that signed
/// it; the claim only has to be one of these.
const SCOPES: [&str; 3] = ["app", "account", "integration"];

/// Who a request's credentials speak for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Principal {
    /// An account key: every app, and the account routes (`/v2/apps`, app keys).
    Account,
    /// An app key: that app.
    App(String),
    /// A custom integration's key or an OAuth access token: one integration of one app.
    Integration { app: String, integration: String },
}

impl Principal {
    /// The app the credentials are bound to (none for an account key).
    pub(crate) fn app(&self) -> Option<&str> {
        match self {
            Principal::Account => None,
            Principal::App(app) | Principal::Integration { app, .. } => Some(app),
        }
    }

    /// The integration the credentials are bound to, if integration-scoped.
    pub(crate) fn integration(&self) -> Option<&str> {
        match self {
            Principal::Integration { integration, .. } => Some(integration),
            _ => None,
        }
    }
}

/// The scopes an operation accepts besides `account` (the spec's `security`; an account key
/// may call every operation).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scopes {
    app: bool,
    integration: bool,
}

/// Users, conversations, messages, switchboard actions, attachments, webhooks.
pub(crate) const ANY: Scopes = Scopes {
    app: true,
    integration: true,
};
/// Integrations, their keys, switchboards, `GetApp`, `UpdateApp`.
pub(crate) const APP: Scopes = Scopes {
    app: true,
    integration: false,
};
/// Account provisioning: `ListApps`, `CreateApp`, `DeleteApp`, app keys.
pub(crate) const ACCOUNT: Scopes = Scopes {
    app: false,
    integration: false,
};

struct Key {
    owner: Principal,
    secret: String,
    decoding: DecodingKey,
}

/// Every credential the emulator accepts, by key id: the seed's account and app keys, and the
/// app keys, integration keys and OAuth tokens created since.
pub(crate) struct KeyRing {
    keys: RwLock<HashMap<String, Arc<Key>>>,
    validation: Validation,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys = self.keys.read().unwrap_or_else(|e| e.into_inner());
        f.debug_struct("KeyRing")
            .field("keys", &keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[derive(Deserialize)]
struct Claims {
    scope: Option<String>,
}

/// The seed's keys, by id.
fn seeded(seed: &Seed) -> HashMap<String, Arc<Key>> {
    let mut keys = HashMap::new();
    for key in &seed.account_keys {
        keys.insert(key.id.clone(), new_key(Principal::Account, &key.secret));
    }
    for app in &seed.apps {
        for key in &app.keys {
            keys.insert(
                key.id.clone(),
                new_key(Principal::App(app.id.clone()), &key.secret),
            );
        }
        for integration in &app.integrations {
            let id = integration
                .id
                .clone()
                .expect("resolved when the seed is loaded");
            for key in &integration.keys {
                let owner = Principal::Integration {
                    app: app.id.clone(),
                    integration: id.clone(),
                };
                keys.insert(key.id.clone(), new_key(owner, &key.secret));
            }
        }
    }
    keys
}

fn new_key(owner: Principal, secret: &str) -> Arc<Key> {
    Arc::new(Key {
        owner,
        secret: secret.to_owned(),
        decoding: DecodingKey::from_secret(secret.as_bytes()),
    })
}

impl KeyRing {
    pub(crate) fn new(seed: &Seed) -> Self {
        // HS256 only; `exp` is optional but honoured when present; `aud` is not checked.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.required_spec_claims.clear();
        validation.validate_aud = false;
        KeyRing {
            keys: RwLock::new(seeded(seed)),
            validation,
        }
    }

    /// Back to the seed's keys only.
    pub(crate) fn reset(&self, seed: &Seed) {
        *self.keys.write().unwrap_or_else(|e| e.into_inner()) = seeded(seed);
    }

    /// Adds key `id` (unique: callers make fresh ids) with `secret`, speaking for `owner`.
    pub(crate) fn insert(&self, id: &str, secret: &str, owner: Principal) {
        self.keys
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id.to_owned(), new_key(owner, secret));
    }

    /// Removes key `id`.
    pub(crate) fn remove(&self, id: &str) {
        self.keys
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(id);
    }

    /// Removes every key whose owner fails `keep`.
    pub(crate) fn retain(&self, keep: impl Fn(&Principal) -> bool) {
        self.keys
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|_, key| keep(&key.owner));
    }

    fn get(&self, id: &str) -> Option<Arc<Key>> {
        self.keys
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .cloned()
    }

    /// Whom the credentials in `headers` speak for, or 401.
    pub(crate) fn authenticate(&self, headers: &HeaderMap) -> Result<Principal, ApiError> {
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

    fn basic(&self, credentials: &str) -> Result<Principal, ApiError> {
        let invalid = || ApiError::unauthorized("Invalid Basic credentials");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(credentials)
            .map_err(|_| invalid())?;
        let decoded = std::str::from_utf8(&decoded).map_err(|_| invalid())?;
        let (key_id, secret) = decoded.split_once(':').ok_or_else(invalid)?;
        match self.get(key_id) {
            Some(key) if key.secret == secret => Ok(key.owner.clone()),
            Some(_) => Err(ApiError::unauthorized("Invalid API key secret")),
            None => Err(ApiError::unauthorized("Unknown API key id")),
        }
    }

    fn bearer(&self, token: &str) -> Result<Principal, ApiError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|e| ApiError::unauthorized(format!("Invalid JWT: {e}")))?;
        let kid = header
            .kid
            .ok_or_else(|| ApiError::unauthorized("Invalid JWT: the header has no kid"))?;
        let key = self
            .get(&kid)
            .ok_or_else(|| ApiError::unauthorized("Invalid JWT: unknown kid"))?;
        let data = jsonwebtoken::decode::<Claims>(token, &key.decoding, &self.validation)
            .map_err(|e| ApiError::unauthorized(format!("Invalid JWT: {e}")))?;
        match data.claims.scope.as_deref() {
            Some(scope) if SCOPES.contains(&scope) => Ok(key.owner.clone()),
            _ => Err(ApiError::unauthorized(
                "Invalid JWT: scope must be app, account or integration",
            )),
        }
    }
}

/// 403 `forbidden` with `title`.
pub(crate) fn forbidden(title: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", title)
}

impl Shared {
    /// Authenticates the request and checks that its scope may call an operation accepting
    /// `scopes`: 401 for bad credentials, 403 `forbidden` for a scope the operation refuses.
    pub(crate) fn authenticate(
        &self,
        headers: &HeaderMap,
        scopes: Scopes,
    ) -> Result<Principal, ApiError> {
        let principal = self.keys.authenticate(headers)?;
        let allowed = match principal {
            Principal::Account => true,
            Principal::App(_) => scopes.app,
            Principal::Integration { .. } => scopes.integration,
        };
        if !allowed {
            return Err(forbidden(match principal {
                Principal::App(_) => "This operation needs an account key",
                _ => "Integration keys and OAuth tokens cannot call this operation",
            }));
        }
        Ok(principal)
    }

    /// Authenticates the request, then resolves `app_id`: 401 for bad credentials, 403
    /// `forbidden` for a scope the operation refuses, 404 `app_not_found` for an unknown app,
    /// 403 `forbidden` for another app's key. Every scope may call the operation.
    pub(crate) fn authorize(
        &self,
        headers: &HeaderMap,
        app_id: &str,
    ) -> Result<Arc<AppSlot>, ApiError> {
        self.authorize_as(headers, app_id, ANY).map(|(app, _)| app)
    }

    /// [`Shared::authorize`] for an operation that accepts `scopes`; also returns whom the
    /// credentials speak for.
    pub(crate) fn authorize_as(
        &self,
        headers: &HeaderMap,
        app_id: &str,
        scopes: Scopes,
    ) -> Result<(Arc<AppSlot>, Principal), ApiError> {
        let principal = self.authenticate(headers, scopes)?;
        let app = self.app(app_id)?;
        if principal.app().is_some_and(|own| own != app_id) {
            return Err(forbidden("The API key does not have access to this app"));
        }
        Ok((app, principal))
    }
}
