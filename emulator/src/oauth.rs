//! The OAuth endpoints of marketplace partners: the browser's start of the flow (`Authorize`,
//! answered as if the user allowed the client), exchange an authorization code for an access
//! token (`GetToken`), revoke it (`RevokeAccess`), and tell which app a token is for
//! (`GetTokenInfo`); and the control endpoint that plays the user granting a code.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::apps::AppWithSubdomainBody;
use crate::auth::{Principal, forbidden};
use crate::content::Obj;
use crate::error::{ApiError, ApiResult, json};
use crate::integrations::is_channel;
use crate::query::{self, path_segment, percent_encode};
use crate::seed::Seed;
use crate::state::Shared;
use crate::store::Integration;
use crate::{body, validate};

/// Length of a token's signing secret.
const SECRET_LEN: usize = 64;

/// An OAuth client of the seed.
#[derive(Debug)]
struct Client {
    secret: String,
    name: Option<String>,
    /// Where `Authorize` may redirect; the first is the default.
    redirect_uris: Vec<String>,
    /// The app `Authorize` grants codes on.
    authorize_app: Option<String>,
}

/// The OAuth clients and the authorization codes not yet exchanged.
#[derive(Debug, Default)]
pub(crate) struct Grants {
    clients: HashMap<String, Client>,
    /// code -> (client id, app id).
    codes: HashMap<String, (String, String)>,
}

impl Grants {
    /// The seed's clients and codes.
    pub(crate) fn from_seed(seed: &Seed) -> Self {
        let mut grants = Grants::default();
        for client in &seed.oauth_clients {
            grants.clients.insert(
                client.client_id.clone(),
                Client {
                    secret: client.client_secret.clone(),
                    name: client.name.clone(),
                    redirect_uris: client.redirect_uris.clone(),
                    authorize_app: client
                        .authorize_app_id
                        .clone()
                        .or_else(|| seed.apps.first().map(|app| app.id.clone())),
                },
            );
            for code in &client.codes {
                grants.codes.insert(
                    code.code.clone(),
                    (client.client_id.clone(), code.app_id.clone()),
                );
            }
        }
        grants
    }

    /// Forgets the codes granted on app `app_id` (deleted).
    pub(crate) fn forget_app(&mut self, app_id: &str) {
        self.codes.retain(|_, (_, app)| app != app_id);
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenClaims<'a> {
    scope: &'static str,
    app_id: &'a str,
    azp: &'a str,
    iat: i64,
}

/// An HS256 JWT like the real service's access tokens: header `kid`, claims `scope`
/// (`integration`), `appId`, `azp` (the OAuth client id) and `iat`.
fn sign_access_token(kid: &str, secret: &str, app_id: &str, client_id: &str) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(kid.to_owned());
    let claims = TokenClaims {
        scope: "integration",
        app_id,
        azp: client_id,
        iat: crate::timestamp::now_millis() / 1000,
    };
    jsonwebtoken::encode(
        &header,
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("HS256 signing with a byte secret cannot fail")
}

#[derive(Serialize)]
struct TokenBody {
    access_token: String,
    token_type: &'static str,
}

/// An OAuth error in the API's error shape: 400 or 401 with an RFC 6749 code.
fn oauth_error(status: StatusCode, code: &str, title: &str) -> ApiError {
    ApiError::new(status, code, title)
}

/// `POST /oauth/token` (no auth): `code`, `grant_type` (`authorization_code`), `client_id` and
/// `client_secret`, all required strings.
///
/// A code is exchanged once. The first exchange for a client on an app installs the client's
/// integration there (`type` = the client id, `displayName` = its name); later ones reuse it.
/// The token is a JWT with integration scope for that integration, usable as
/// `Authorization: Bearer`. Answers 200 `{"access_token", "token_type": "Bearer"}`; 400
/// `unsupported_grant_type`, 401 `invalid_client`, 400 `invalid_grant` (unknown or used code,
/// or one of another client).
pub(crate) async fn token(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    let root = Obj::root(&body);
    let field = |key: &str| -> Result<String, ApiError> {
        Ok(root
            .string(key, true, 1, None)?
            .expect("required")
            .to_owned())
    };
    let (code, grant_type, client_id, client_secret) = (
        field("code")?,
        field("grant_type")?,
        field("client_id")?,
        field("client_secret")?,
    );
    if grant_type != "authorization_code" {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be authorization_code",
        ));
    }
    let (app_id, name) = {
        let mut grants = state.grants.lock().unwrap_or_else(|e| e.into_inner());
        let client = grants
            .clients
            .get(&client_id)
            .filter(|c| c.secret == client_secret)
            .ok_or_else(|| {
                oauth_error(
                    StatusCode::UNAUTHORIZED,
                    "invalid_client",
                    "Unknown client_id or wrong client_secret",
                )
            })?;
        let name = client.name.clone();
        let invalid_grant = || {
            oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "The authorization code is unknown, was already used, or belongs to another client",
            )
        };
        match grants.codes.get(&code) {
            Some((owner, _)) if *owner == client_id => {}
            _ => return Err(invalid_grant()),
        }
        let (_, app_id) = grants.codes.remove(&code).expect("checked above");
        (app_id, name)
    };
    let app = state.app(&app_id).map_err(|_| {
        oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The app of this authorization code no longer exists",
        )
    })?;
    let mut data = app.write();
    let installed = data
        .integrations()
        .find(|i| i.kind == client_id)
        .map(|i| i.id.clone());
    let integration_id = match installed {
        Some(id) => id,
        None => {
            let id = state.ids.next_record_id();
            data.insert_integration(Integration {
                id: id.clone(),
                kind: client_id.clone(),
                status: "active",
                display_name: name,
                fields: Map::new(),
                secrets: Map::new(),
                default_responder_id: None,
                webhooks: BTreeMap::new(),
                keys: Vec::new(),
            });
            data.relink_switchboard_type(&client_id, &id);
            id
        }
    };
    let kid = format!("oauth_{}", state.ids.next_record_id());
    let secret = state.ids.next_secret(SECRET_LEN);
    state.keys.insert(
        &kid,
        &secret,
        Principal::Integration {
            app: app_id.clone(),
            integration: integration_id,
        },
    );
    drop(data);
    Ok(json(
        StatusCode::OK,
        &TokenBody {
            access_token: sign_access_token(&kid, &secret, &app_id, &client_id),
            token_type: "Bearer",
        },
    ))
}

/// `GET /oauth/authorize` (no auth; a browser redirect): `client_id` and `response_type`
/// (required), `state`, `redirect_uri`.
///
/// The emulator plays the user who is logged in and allows the client on the client's
/// `authorizeAppId` (seed; default the seed's first app): it answers 302 `Found` with
/// `Location: {redirect_uri}?code={code}[&state={state}]` and a `text/plain` body
/// `Found. Redirecting to {url}`; the code is exchanged once by `GetToken`. `redirect_uri`
/// must be one of the client's `redirectUris`; without it the first is used.
///
/// As RFC 6749 4.1.2.1 says, errors about the client or the redirect URI are not redirected
/// (400 with the API's error body): `invalid_request` (`client_id` missing or empty, a
/// parameter given twice, `redirect_uri` not one of the client's, no redirect URI configured),
/// `invalid_client` (unknown `client_id`). The others are redirected to the redirect URI with
/// `error` (and `state`): `invalid_request` (`response_type` missing),
/// `unsupported_response_type` (anything but `code`), `access_denied` (the client's app no
/// longer exists).
pub(crate) async fn authorize(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let invalid_request =
        |title: &str| oauth_error(StatusCode::BAD_REQUEST, "invalid_request", title);
    let (mut client_id, mut response_type, mut user_state, mut redirect_uri) =
        (None, None, None, None);
    for (key, value) in query::pairs(request.uri().query().unwrap_or("")) {
        let slot = match key.as_str() {
            "client_id" => &mut client_id,
            "response_type" => &mut response_type,
            "state" => &mut user_state,
            "redirect_uri" => &mut redirect_uri,
            _ => continue,
        };
        if slot.replace(value).is_some() {
            return Err(invalid_request(&format!("{key} must not be given twice")));
        }
    }
    let client_id = client_id
        .filter(|id| !id.is_empty())
        .ok_or_else(|| invalid_request("client_id is required"))?;
    let mut grants = state.grants.lock().unwrap_or_else(|e| e.into_inner());
    let client = grants.clients.get(&client_id).ok_or_else(|| {
        oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_client",
            "Unknown client_id",
        )
    })?;
    let target = match redirect_uri {
        Some(uri) if client.redirect_uris.contains(&uri) => uri,
        Some(_) => {
            return Err(invalid_request(
                "redirect_uri is not one of the redirect URIs configured for the client",
            ));
        }
        None => client.redirect_uris.first().cloned().ok_or_else(|| {
            invalid_request("The client has no redirect URI configured (the seed's redirectUris)")
        })?,
    };
    let app_id = client.authorize_app.clone();
    let mut params = Vec::new();
    match response_type.as_deref() {
        Some("code") => match app_id.filter(|app| state.app(app).is_ok()) {
            Some(app_id) => {
                let code = state.ids.next_secret(24);
                grants.codes.insert(code.clone(), (client_id, app_id));
                params.push(("code", code));
            }
            None => params.push(("error", "access_denied".to_owned())),
        },
        None | Some("") => params.push(("error", "invalid_request".to_owned())),
        Some(_) => params.push(("error", "unsupported_response_type".to_owned())),
    }
    drop(grants);
    if let Some(user_state) = user_state {
        params.push(("state", user_state));
    }
    Ok(redirect(&with_query(&target, &params)))
}

/// `uri` with `params` appended to its query.
fn with_query(uri: &str, params: &[(&str, String)]) -> String {
    let mut out = uri.to_owned();
    let mut separator = if uri.contains('?') { '&' } else { '?' };
    for (key, value) in params {
        out.push(separator);
        out.push_str(key);
        out.push('=');
        out.push_str(&percent_encode(value));
        separator = '&';
    }
    out
}

/// 302 to `location`, with the `text/plain` body the spec shows.
fn redirect(location: &str) -> Response {
    let mut response = (
        StatusCode::FOUND,
        format!("Found. Redirecting to {location}"),
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    // The seed's URIs have no control characters and the query is percent-encoded.
    if let Ok(value) = HeaderValue::from_str(location) {
        headers.insert(header::LOCATION, value);
    }
    response
}

/// True for an integration an OAuth client installed (its type is neither `custom` nor a
/// channel).
pub(crate) fn is_oauth(kind: &str) -> bool {
    kind != "custom" && !is_channel(kind)
}

/// `DELETE /oauth/authorization` (an OAuth access token): removes the client's integration
/// from the app, as if the user removed it: its webhooks and switchboard integrations go, and
/// every token issued for it stops working. 403 for other credentials.
pub(crate) async fn revoke(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let principal = state.keys.authenticate(request.headers())?;
    let Principal::Integration { app, integration } = principal else {
        return Err(forbidden("Only an OAuth access token can revoke access"));
    };
    let slot = state.app(&app)?;
    let mut data = slot.write();
    if !data
        .integration(&integration)
        .is_some_and(|i| is_oauth(&i.kind))
    {
        return Err(forbidden("Only an OAuth access token can revoke access"));
    }
    data.remove_integration(&integration);
    state.keys.retain(|owner| {
        !matches!(owner, Principal::Integration { app: a, integration: i } if *a == app && *i == integration)
    });
    Ok(json(StatusCode::OK, &Map::<String, Value>::new()))
}

/// `GET /v2/tokenInfo`: the app the credentials are for, with its `subdomain` (an OAuth access
/// token, or any app or integration key); 401 without credentials, 403 for an account key,
/// which is for no one app.
pub(crate) async fn token_info(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let principal = state.keys.authenticate(request.headers())?;
    let app_id = principal
        .app()
        .ok_or_else(|| forbidden("An account key is not bound to one app"))?;
    let app = state.app(app_id)?;
    let data = app.read();
    Ok(json(StatusCode::OK, &AppWithSubdomainBody::new(&data.app)))
}

#[derive(Serialize)]
struct CodeBody {
    code: String,
}

/// `POST /_emulator/apps/{appId}/oauth-codes` (control): what a user allowing `clientId` on the
/// app in the browser gives the partner: a fresh authorization code. 400 for an unknown client,
/// 404 `app_not_found`. Answers 201 `{"code"}`.
pub(crate) async fn grant_code(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let app_id = path_segment(parts.uri.path(), 3);
    state.app(&app_id)?;
    let bytes = body::read(body).await?;
    let body = match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => map,
        _ => return Err(ApiError::bad_request("Request body must be a JSON object")),
    };
    let client_id = Obj::root(&body)
        .string("clientId", true, 1, None)?
        .expect("required")
        .to_owned();
    let code = state.ids.next_secret(24);
    let mut grants = state.grants.lock().unwrap_or_else(|e| e.into_inner());
    if !grants.clients.contains_key(&client_id) {
        return Err(ApiError::bad_request(format!(
            "Unknown OAuth clientId {client_id:?} (the seed's oauthClients)"
        )));
    }
    grants.codes.insert(code.clone(), (client_id, app_id));
    Ok(json(StatusCode::CREATED, &CodeBody { code }))
}
