//! The seed: the apps, API keys and users the emulator starts with and returns to on reset.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

use crate::ids;
use crate::validate;

/// The built-in seed (the same text as `emulator/seed.json`).
const DEFAULT_SEED: &str = include_str!("../seed.json");

/// Initial state: account keys, OAuth clients, and apps with their API keys and users. Unknown
/// fields are rejected.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Account keys: they may call every app and the account routes (`/v2/apps`, app keys).
    #[serde(default, rename = "accountKeys")]
    pub account_keys: Vec<SeedKey>,
    /// OAuth clients (marketplace partners) that can exchange codes for access tokens.
    #[serde(default, rename = "oauthClients")]
    pub oauth_clients: Vec<SeedOAuthClient>,
    /// The apps, each reachable under `/v2/apps/{id}`.
    pub apps: Vec<SeedApp>,
}

/// An OAuth client of the seed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedOAuthClient {
    /// The client id (`client_id` of `GetToken`); also the `type` of the integration an
    /// exchange installs in an app, and the `integrationType` a switchboard integration uses.
    #[serde(rename = "clientId")]
    pub client_id: String,
    /// The client secret (`client_secret` of `GetToken`).
    #[serde(rename = "clientSecret")]
    pub client_secret: String,
    /// The `displayName` of the integrations it installs.
    pub name: Option<String>,
    /// The redirect URIs configured for the client (absolute `http`/`https` URIs): `Authorize`
    /// redirects to the `redirect_uri` it is given, which must be one of them, or to the first.
    #[serde(default, rename = "redirectUris")]
    pub redirect_uris: Vec<String>,
    /// The app the emulated user allows the client on when `Authorize` is called (default: the
    /// seed's first app).
    #[serde(rename = "authorizeAppId")]
    pub authorize_app_id: Option<String>,
    /// Authorization codes already granted: each can be exchanged once.
    #[serde(default)]
    pub codes: Vec<SeedOAuthCode>,
}

/// An authorization code of the seed: what a user allowing the client on an app would give.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedOAuthCode {
    /// The code.
    pub code: String,
    /// The app the user allowed the client on.
    #[serde(rename = "appId")]
    pub app_id: String,
}

/// One app of the seed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedApp {
    /// The app id used in paths.
    pub id: String,
    /// The app's `displayName` (default: its id).
    #[serde(rename = "displayName")]
    pub display_name: Option<String>,
    /// The app's `subdomain` (default: its id).
    pub subdomain: Option<String>,
    /// API keys that may call this app (Basic auth or HS256 JWT with `kid` = key id).
    pub keys: Vec<SeedKey>,
    /// Users that exist in the app from the start.
    #[serde(default)]
    pub users: Vec<SeedUser>,
    /// Custom integrations that exist from the start, with their webhooks and API keys.
    #[serde(default)]
    pub integrations: Vec<SeedIntegration>,
    /// The app's switchboard, if it has one from the start.
    pub switchboard: Option<SeedSwitchboard>,
}

/// A custom integration of the seed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedIntegration {
    /// 24 lowercase hex digits; derived from the app id and the position if absent.
    pub id: Option<String>,
    /// `custom` (channels are made through the API).
    #[serde(rename = "type")]
    pub kind: String,
    /// 1 to 100 characters.
    #[serde(rename = "displayName")]
    pub display_name: Option<String>,
    /// Webhooks as `CreateWebhook` takes them (`target`, `triggers`, `includeFullUser`,
    /// `includeFullSource`); ids and secrets are derived.
    #[serde(default)]
    pub webhooks: Vec<serde_json::Map<String, serde_json::Value>>,
    /// API keys with integration scope (ids unique across the seed).
    #[serde(default)]
    pub keys: Vec<SeedKey>,
}

/// The switchboard of a seeded app.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSwitchboard {
    /// Default: true when one switchboard integration is the `default`.
    pub enabled: Option<bool>,
    /// Its switchboard integrations.
    #[serde(default)]
    pub integrations: Vec<SeedSwitchboardIntegration>,
}

/// A switchboard integration of the seed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSwitchboardIntegration {
    /// 1 to 128 letters, digits, `-` and `_`, unique in the switchboard.
    pub name: String,
    /// A seeded integration of the app (exactly one of this and `integrationType`).
    #[serde(rename = "integrationId")]
    pub integration_id: Option<String>,
    /// An OAuth client id or a built-in responder (`zd:agentWorkspace`, ...).
    #[serde(rename = "integrationType")]
    pub integration_type: Option<String>,
    /// Default true.
    #[serde(rename = "deliverStandbyEvents")]
    pub deliver_standby_events: Option<bool>,
    /// The switchboard's default (at most one).
    #[serde(default)]
    pub default: bool,
}

/// The fields a seeded webhook may have.
const WEBHOOK_FIELDS: [&str; 4] = ["target", "triggers", "includeFullUser", "includeFullSource"];

/// The id and secret of webhook `index` of integration `integration` in app `app`.
pub(crate) fn webhook_id_and_secret(
    app: &str,
    integration: &str,
    index: usize,
) -> (String, String) {
    let index = index.to_string();
    let id = ids::deterministic_id(&[app, integration, "webhook", &index]);
    let high = ids::deterministic_id(&[app, integration, "webhook secret", &index]);
    let low = ids::deterministic_id(&[app, integration, "webhook secret 2", &index]);
    (id, high[..16].to_owned() + &low[..16])
}

/// The id of switchboard integration `name` of app `app`.
pub(crate) fn switchboard_integration_id(app: &str, name: &str) -> String {
    ids::deterministic_id(&[app, "switchboardIntegration", name])
}

/// The id of the switchboard of app `app`.
pub(crate) fn switchboard_id(app: &str) -> String {
    ids::deterministic_id(&[app, "switchboard"])
}

/// Checks the integrations and the switchboard of `app` and fills in integration ids.
fn resolve_integrations(
    app: &mut SeedApp,
    check_key: &mut dyn FnMut(&SeedKey) -> Result<(), String>,
) -> Result<(), String> {
    let app_id = app.id.clone();
    let mut integration_ids = HashSet::new();
    let mut webhooks = 0;
    for (index, integration) in app.integrations.iter_mut().enumerate() {
        let at = format!("integration {index} of app {app_id:?}");
        if integration.kind != "custom" {
            return Err(format!(
                "{at}: type must be custom (make channels through the API)"
            ));
        }
        let id = match &integration.id {
            Some(id) if ids::is_record_id(id) => id.clone(),
            Some(id) => return Err(format!("{at}: id {id:?} is not 24 lowercase hex digits")),
            None => ids::deterministic_id(&[&app_id, "integration", &index.to_string()]),
        };
        if !integration_ids.insert(id.clone()) {
            return Err(format!("{at}: duplicate integration id {id:?}"));
        }
        if let Some(name) = &integration.display_name
            && (name.is_empty() || name.chars().count() > 100)
        {
            return Err(format!(
                "{at}: displayName must be 1 to 100 characters long"
            ));
        }
        for (i, hook) in integration.webhooks.iter().enumerate() {
            if let Some(key) = hook.keys().find(|k| !WEBHOOK_FIELDS.contains(&k.as_str())) {
                return Err(format!("{at}: unknown field {key:?} in webhook {i}"));
            }
            let (hook_id, secret) = webhook_id_and_secret(&app_id, &id, i);
            crate::webhooks::build(&crate::content::Obj::root(hook), hook_id, secret)
                .map_err(|e| format!("{at}: webhook {i}: {}", e.title))?;
        }
        webhooks += integration.webhooks.len();
        if integration.keys.len() > 10 {
            return Err(format!("{at}: at most 10 keys"));
        }
        for key in &integration.keys {
            check_key(key)?;
        }
        integration.id = Some(id);
    }
    if webhooks > 10 {
        return Err(format!("app {app_id:?}: at most 10 webhooks in all"));
    }
    let Some(switchboard) = &app.switchboard else {
        return Ok(());
    };
    let at = format!("switchboard of app {app_id:?}");
    if switchboard.integrations.len() > 10 {
        return Err(format!("{at}: at most 10 switchboard integrations"));
    }
    let (mut names, mut linked, mut defaults) = (HashSet::new(), HashSet::new(), 0);
    for sbi in &switchboard.integrations {
        let name = &sbi.name;
        if name.is_empty()
            || name.chars().count() > 128
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(format!(
                "{at}: name {name:?} must be 1 to 128 letters, digits, - and _"
            ));
        }
        if !names.insert(name.clone()) {
            return Err(format!("{at}: duplicate name {name:?}"));
        }
        let link = match (&sbi.integration_id, &sbi.integration_type) {
            (Some(id), None) if integration_ids.contains(id) => id.clone(),
            (Some(id), None) => {
                return Err(format!(
                    "{at}: integrationId {id:?} is not a seeded integration of the app"
                ));
            }
            (None, Some(kind))
                if kind.is_empty() || kind == "custom" || crate::integrations::is_channel(kind) =>
            {
                return Err(format!(
                    "{at}: integrationType {kind:?} must name an OAuth client or a built-in responder, not custom or a channel"
                ));
            }
            (None, Some(kind)) => format!("type:{kind}"),
            _ => {
                return Err(format!(
                    "{at}: {name:?} needs exactly one of integrationId or integrationType"
                ));
            }
        };
        if !linked.insert(link) {
            return Err(format!("{at}: an integration is linked twice"));
        }
        defaults += usize::from(sbi.default);
    }
    if defaults > 1 {
        return Err(format!("{at}: at most one default"));
    }
    if switchboard.enabled == Some(true) && defaults == 0 {
        return Err(format!(
            "{at}: an enabled switchboard needs a default switchboard integration"
        ));
    }
    Ok(())
}

/// An API key: its id and secret.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedKey {
    /// Key id (Basic user name, JWT `kid`); unique across all apps.
    pub id: String,
    /// Key secret (Basic password, JWT HS256 secret).
    pub secret: String,
    /// The key's `displayName` in `ListAppKeys` (default: its id).
    #[serde(rename = "displayName")]
    pub display_name: Option<String>,
}

/// A user of the seed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    /// 24 lowercase hex digits; derived from the app id and external id (or position) if absent.
    pub id: Option<String>,
    /// The user's external id, unique within the app.
    #[serde(rename = "externalId")]
    pub external_id: Option<String>,
    /// Profile object returned as is.
    pub profile: Option<serde_json::Map<String, serde_json::Value>>,
    /// Flat metadata (strings, numbers, booleans; at most 4 KB).
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    /// The id of the core Zendesk user the user is linked to (what `SyncUser` looks up).
    #[serde(rename = "zendeskId")]
    pub zendesk_id: Option<String>,
    /// Connected identities, e.g. `{"type": "email", "value": "sue@example.org"}` (what
    /// `ListUsers` filters on).
    pub identities: Option<Vec<serde_json::Value>>,
}

impl Default for Seed {
    fn default() -> Self {
        Seed::from_json(DEFAULT_SEED).expect("the built-in seed is valid")
    }
}

impl Seed {
    /// Parses and checks seed JSON text.
    pub fn from_json(text: &str) -> Result<Seed, String> {
        let mut seed: Seed =
            serde_json::from_str(text).map_err(|e| format!("invalid seed: {e}"))?;
        seed.resolve()?;
        Ok(seed)
    }

    /// Reads, parses and checks a seed file.
    pub fn from_file(path: &Path) -> Result<Seed, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read seed file {}: {e}", path.display()))?;
        Seed::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Checks uniqueness and formats, and fills in missing user ids deterministically.
    fn resolve(&mut self) -> Result<(), String> {
        let mut app_ids = HashSet::new();
        let mut key_ids = HashSet::new();
        let check_key = |key: &SeedKey, key_ids: &mut HashSet<String>| {
            if key.id.is_empty() || key.id.contains(':') {
                return Err(format!(
                    "invalid key id {:?} (empty or contains ':')",
                    key.id
                ));
            }
            if !key_ids.insert(key.id.clone()) {
                return Err(format!("duplicate key id {:?}", key.id));
            }
            Ok(())
        };
        for key in &self.account_keys {
            check_key(key, &mut key_ids)?;
        }
        for app in &mut self.apps {
            if app.id.is_empty() || app.id.contains('/') {
                return Err(format!("invalid app id {:?}", app.id));
            }
            if !app_ids.insert(app.id.clone()) {
                return Err(format!("duplicate app id {:?}", app.id));
            }
            for key in &app.keys {
                check_key(key, &mut key_ids)?;
            }
            resolve_integrations(app, &mut |key| check_key(key, &mut key_ids))?;
            if let Some(name) = &app.display_name
                && (name.is_empty() || name.chars().count() > 100)
            {
                return Err(format!(
                    "displayName of app {:?} must be 1 to 100 characters long",
                    app.id
                ));
            }
            let mut user_ids = HashSet::new();
            let mut external_ids = HashSet::new();
            for (index, user) in app.users.iter_mut().enumerate() {
                let id = match &user.id {
                    Some(id) if ids::is_record_id(id) => id.clone(),
                    Some(id) => {
                        return Err(format!(
                            "user id {id:?} in app {:?} is not 24 lowercase hex digits",
                            app.id
                        ));
                    }
                    None => match &user.external_id {
                        Some(ext) => ids::deterministic_id(&[&app.id, "externalId", ext]),
                        None => ids::deterministic_id(&[&app.id, "index", &index.to_string()]),
                    },
                };
                if !user_ids.insert(id.clone()) {
                    return Err(format!("duplicate user id {id:?} in app {:?}", app.id));
                }
                user.id = Some(id);
                if let Some(ext) = &user.external_id {
                    if ext.is_empty() {
                        return Err(format!("empty externalId in app {:?}", app.id));
                    }
                    if !external_ids.insert(ext.clone()) {
                        return Err(format!("duplicate externalId {ext:?} in app {:?}", app.id));
                    }
                }
                if let Some(zendesk_id) = &user.zendesk_id
                    && zendesk_id.is_empty()
                {
                    return Err(format!("empty zendeskId in app {:?}", app.id));
                }
                for identity in user.identities.iter().flatten() {
                    crate::validate::identity(identity).map_err(|e| {
                        format!("user {:?} in app {:?}: {}", user.id, app.id, e.title)
                    })?;
                }
                if let Some(metadata) = &user.metadata {
                    validate::check_metadata_map(metadata).map_err(|e| {
                        format!("user {:?} in app {:?}: {}", user.id, app.id, e.title)
                    })?;
                }
            }
        }
        let mut client_ids = HashSet::new();
        let mut codes = HashSet::new();
        for client in &self.oauth_clients {
            if client.client_id.is_empty() || client.client_secret.is_empty() {
                return Err("an OAuth client needs a non-empty clientId and clientSecret".into());
            }
            if client.client_id == "custom" || crate::integrations::is_channel(&client.client_id) {
                return Err(format!(
                    "OAuth clientId {:?} is an integration type of the API",
                    client.client_id
                ));
            }
            if !client_ids.insert(client.client_id.clone()) {
                return Err(format!("duplicate OAuth clientId {:?}", client.client_id));
            }
            for uri in &client.redirect_uris {
                if !is_redirect_uri(uri) {
                    return Err(format!(
                        "redirect URI {uri:?} of OAuth client {:?} is not an absolute ASCII http(s) URI without a fragment",
                        client.client_id
                    ));
                }
            }
            if let Some(app_id) = &client.authorize_app_id
                && !app_ids.contains(app_id)
            {
                return Err(format!(
                    "authorizeAppId {app_id:?} of OAuth client {:?} names an unknown app",
                    client.client_id
                ));
            }
            for code in &client.codes {
                if code.code.is_empty() || !codes.insert(code.code.clone()) {
                    return Err(format!("empty or duplicate OAuth code {:?}", code.code));
                }
                if !app_ids.contains(&code.app_id) {
                    return Err(format!(
                        "OAuth code {:?} names unknown app {:?}",
                        code.code, code.app_id
                    ));
                }
            }
        }
        Ok(())
    }
}

/// True for an absolute `http` or `https` URI with a host and no fragment (RFC 6749 3.1.2), in
/// ASCII (it goes into a `Location` header as is).
fn is_redirect_uri(uri: &str) -> bool {
    let rest = uri
        .strip_prefix("https://")
        .or_else(|| uri.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        !rest.is_empty()
            && !rest.starts_with(['/', '?'])
            && !uri.contains('#')
            && uri.is_ascii()
            && !uri.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

#[cfg(test)]
mod tests {
    use super::Seed;

    #[test]
    fn default_seed_has_stable_ids() {
        let a = Seed::default();
        let b = Seed::default();
        assert_eq!(a.apps.len(), 2);
        assert_eq!(a.apps[0].users[0].id, b.apps[0].users[0].id);
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let err = Seed::from_json(r#"{"apps":[],"extra":1}"#).unwrap_err();
        assert!(err.contains("extra"), "{err}");
        let err = Seed::from_json(r#"{"apps":[{"id":"a","keys":[],"users":[{"nick":"x"}]}]}"#)
            .unwrap_err();
        assert!(err.contains("nick"), "{err}");
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let text = r#"{"apps":[{"id":"a","keys":[{"id":"k","secret":"s"}]},{"id":"b","keys":[{"id":"k","secret":"t"}]}]}"#;
        assert!(Seed::from_json(text).unwrap_err().contains("duplicate key"));
        let text = r#"{"accountKeys":[{"id":"k","secret":"s"}],"apps":[{"id":"a","keys":[{"id":"k","secret":"t"}]}]}"#;
        assert!(Seed::from_json(text).unwrap_err().contains("duplicate key"));
    }

    #[test]
    fn oauth_codes_name_known_apps() {
        let text = r#"{"oauthClients":[{"clientId":"c","clientSecret":"s","codes":[{"code":"x","appId":"nope"}]}],"apps":[]}"#;
        assert!(Seed::from_json(text).unwrap_err().contains("unknown app"));
        let default = Seed::default();
        assert_eq!(default.account_keys.len(), 1);
        assert_eq!(default.oauth_clients[0].codes[0].app_id, "demo-app");
    }

    #[test]
    fn oauth_redirect_uris_and_authorize_app_are_checked() {
        for uri in [
            "/callback",
            "ftp://x/y",
            "https://",
            "https://x/#f",
            "https://x/ y",
            "https://é.example/",
        ] {
            let text = format!(
                r#"{{"oauthClients":[{{"clientId":"c","clientSecret":"s","redirectUris":["{uri}"]}}],"apps":[]}}"#
            );
            let err = Seed::from_json(&text).unwrap_err();
            assert!(err.contains("redirect URI"), "{uri}: {err}");
        }
        let text = r#"{"oauthClients":[{"clientId":"c","clientSecret":"s","authorizeAppId":"nope"}],"apps":[]}"#;
        assert!(
            Seed::from_json(text)
                .unwrap_err()
                .contains("authorizeAppId")
        );
        let default = Seed::default();
        assert!(default.oauth_clients[0].redirect_uris[0].starts_with("https://"));
    }
}
