//! The Apps API (account provisioning): list, create, get, update and delete apps.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::auth::{ACCOUNT, APP, forbidden};
use crate::content::Obj;
use crate::error::{ApiError, ApiResult, json};
use crate::pages::{self, Links, Meta};
use crate::query::{self, path_segment};
use crate::state::Shared;
use crate::store::{self, AppData, AppRecord, Cursor, default_settings};
use crate::{body, validate};

/// Default `page[size]` of `ListApps`.
const DEFAULT_PAGE: usize = 25;

/// The boolean fields of the spec's `appSettings`.
const FLAGS: [&str; 8] = [
    "maskCreditCardNumbers",
    "useAnimalNames",
    "echoPostback",
    "ignoreAutoConversationStart",
    "multiConvoEnabled",
    "appLocalizationEnabled",
    "endSessionEnabled",
    "disableConversationReopen",
];

#[derive(Serialize)]
struct AppBody<'a> {
    app: &'a AppRecord,
}

/// An app with its `subdomain` (the spec's `appResponseWithSubdomain`).
#[derive(Serialize)]
pub(crate) struct AppWithSubdomain<'a> {
    #[serde(flatten)]
    app: &'a AppRecord,
    subdomain: &'a str,
}

#[derive(Serialize)]
pub(crate) struct AppWithSubdomainBody<'a> {
    app: AppWithSubdomain<'a>,
}

impl<'a> AppWithSubdomainBody<'a> {
    pub(crate) fn new(app: &'a AppRecord) -> Self {
        AppWithSubdomainBody {
            app: AppWithSubdomain {
                app,
                subdomain: &app.subdomain,
            },
        }
    }
}

/// The `settings` of a body (`appSettings`), merged over `current`: each boolean setting,
/// `conversationRetentionSeconds` (an integer, 0 or more); other fields are ignored. The rules
/// the spec gives in prose: `multiConvoEnabled` cannot be turned off once on, and
/// `endSessionEnabled` and `disableConversationReopen` need it on.
fn settings(o: &Obj<'_>, current: &Map<String, Value>) -> Result<Map<String, Value>, ApiError> {
    let mut merged = current.clone();
    let Some(given) = o.object("settings", false)? else {
        return Ok(merged);
    };
    if let Some(seconds) = given.integer("conversationRetentionSeconds", false, 0..=i64::MAX)? {
        merged.insert("conversationRetentionSeconds".into(), Value::from(seconds));
    }
    for flag in FLAGS {
        if let Some(on) = given.boolean(flag)? {
            merged.insert(flag.into(), Value::Bool(on));
        }
    }
    let on = |map: &Map<String, Value>, flag: &str| map.get(flag) == Some(&Value::Bool(true));
    if on(current, "multiConvoEnabled") && !on(&merged, "multiConvoEnabled") {
        return Err(ApiError::bad_request(
            "settings.multiConvoEnabled cannot be turned off: enabling multiConvo is irreversible",
        ));
    }
    for flag in ["endSessionEnabled", "disableConversationReopen"] {
        if on(&merged, flag) && !on(&merged, "multiConvoEnabled") {
            return Err(ApiError::bad_request(format!(
                "settings.{flag} needs settings.multiConvoEnabled"
            )));
        }
    }
    Ok(merged)
}

/// `POST /v2/apps` (`appCreateBody`, account scope): `displayName` (1 to 100 characters) is
/// required; `settings` start from the defaults; `metadata` is flat, at most 4 KB. The new app
/// has no keys, users or anything else; account keys reach it. Answers 201 `{app}`.
pub(crate) async fn create(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    state.authenticate(&parts.headers, ACCOUNT)?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    let root = Obj::root(&body);
    let display_name = root
        .string("displayName", true, 1, Some(100))?
        .expect("required")
        .to_owned();
    let settings = settings(&root, &default_settings())?;
    let metadata = root.metadata("metadata")?;
    let id = state.ids.next_record_id();
    let record = AppRecord {
        id: id.clone(),
        display_name,
        settings,
        metadata,
        subdomain: id.clone(),
    };
    let response = json(StatusCode::CREATED, &AppBody { app: &record });
    state.insert_app(&id, AppData::new(record));
    Ok(response)
}

#[derive(Serialize)]
struct ListBody {
    apps: Vec<AppRecord>,
    meta: Meta,
    links: Links,
}

/// `GET /v2/apps` (account scope): every app in id order, paged like the other lists
/// (`page[size]` 1 to 100, default 25; cursors are app ids: 24 characters, as the spec's
/// `page` says, or one of the seed's app ids, which may be any string). `filter[serviceAccountId]` is 403:
/// the emulator has no service accounts.
pub(crate) async fn list(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let headers = request.headers();
    state.authenticate(headers, ACCOUNT)?;
    let pairs = query::pairs(request.uri().query().unwrap_or(""));
    let page_query = pages::parse_app_cursor(&pairs, &|cursor| state.is_seed_app(cursor))?;
    if pairs.iter().any(|(k, _)| k == "filter[serviceAccountId]") {
        return Err(forbidden(
            "The serviceAccountId provided does not match supplied credentials",
        ));
    }
    let size = page_query.size.unwrap_or(DEFAULT_PAGE);
    let ids = state.app_ids();
    let cursor = page_query.cursor(Cursor::First);
    let page = store::page(&ids, cursor, size);
    let base = format!("{}/v2/apps", pages::origin(headers, &state));
    let (meta, links) = pages::meta_and_links(&page, cursor, &base, Some(size));
    let apps = page
        .ids
        .iter()
        .filter_map(|id| state.app(id).ok())
        .map(|slot| slot.read().app.clone())
        .collect();
    Ok(json(StatusCode::OK, &ListBody { apps, meta, links }))
}

/// `GET /v2/apps/{appId}` (account scope, or the app's own key): `{app}` with its `subdomain`.
pub(crate) async fn get(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (app, _) = state.authorize_as(
        request.headers(),
        &path_segment(request.uri().path(), 3),
        APP,
    )?;
    let data = app.read();
    Ok(json(StatusCode::OK, &AppWithSubdomainBody::new(&data.app)))
}

/// `PATCH /v2/apps/{appId}` (`appUpdateBody`; account scope, or the app's own key):
/// `displayName` (1 to 100 characters), `settings` (merged field by field over the current
/// ones) and `metadata` (replaced; `null` clears it), each optional. Answers `{app}`.
pub(crate) async fn update(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let (app, _) = state.authorize_as(&parts.headers, &path_segment(parts.uri.path(), 3), APP)?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    let root = Obj::root(&body);
    let display_name = root
        .string("displayName", false, 1, Some(100))?
        .map(str::to_owned);
    let metadata = match body.get("metadata") {
        None => None,
        Some(_) => Some(root.metadata("metadata")?),
    };
    let mut data = app.write();
    let settings = settings(&root, &data.app.settings)?;
    let record = &mut data.app;
    if let Some(name) = display_name {
        record.display_name = name;
    }
    record.settings = settings;
    if let Some(metadata) = metadata {
        record.metadata = metadata;
    }
    Ok(json(StatusCode::OK, &AppBody { app: record }))
}

/// `DELETE /v2/apps/{appId}` (account scope): the app with everything in it; its keys and
/// its integrations' keys stop authenticating. 404 `app_not_found`.
pub(crate) async fn delete(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, _) = request.into_parts();
    state.authorize_as(&parts.headers, &path_segment(parts.uri.path(), 3), ACCOUNT)?;
    if !state.remove_app(&path_segment(parts.uri.path(), 3)) {
        return Err(ApiError::not_found("app_not_found", "App not found"));
    }
    Ok(json(StatusCode::OK, &Map::<String, Value>::new()))
}
