//! The Clients and Devices APIs: link a user to a channel (create a pending client), list and
//! remove its clients, list and get the devices of its SDK client.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::content::{self, Obj, Sender};
use crate::conversations::UserRef;
use crate::error::{ApiError, ApiResult, json};
use crate::messages::member;
use crate::pages::{self, Links, Meta};
use crate::query::{self, path_segment, percent_encode};
use crate::state::Shared;
use crate::store::{self, Client, Cursor, Device};
use crate::users::{brand_query, lookup};
use crate::{body, events, validate};

/// Default `page[size]` of `ListClients`.
const DEFAULT_PAGE: usize = 25;

/// The channels `CreateClient` can link (the spec's `matchCriteria` oneOf).
const LINKABLE: [&str; 4] = ["mailgun", "messagebird", "twilio", "whatsapp"];

#[derive(Serialize)]
struct ClientBody<'a> {
    client: &'a Client,
}

/// True for a phone number as the spec describes it: a `+`, the country code and the number,
/// with optional spaces, dashes or parentheses (`+1 212-555-2368`, `+12125552368`).
fn is_phone_number(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('+') else {
        return false;
    };
    let digits = rest.bytes().filter(u8::is_ascii_digit).count();
    rest.starts_with(|c: char| c.is_ascii_digit())
        && (7..=15).contains(&digits)
        && rest
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'-' | b'(' | b')'))
}

/// Checks a `matchCriteria`; returns its channel type, integration id and `primary` (default
/// true).
fn match_criteria(body: &Obj<'_>) -> Result<(String, String, bool), ApiError> {
    let criteria = body.object("matchCriteria", true)?.expect("required");
    let kind = criteria
        .one_of("type", true, &LINKABLE)?
        .expect("required")
        .to_owned();
    let integration_id = criteria
        .string("integrationId", true, 1, None)?
        .expect("required")
        .to_owned();
    let primary = criteria.boolean("primary")?.unwrap_or(true);
    if kind == "mailgun" {
        let address = criteria
            .string("address", true, 1, None)?
            .expect("required");
        if !validate::is_email(address) {
            return Err(ApiError::bad_request(
                "matchCriteria.address must be an email address",
            ));
        }
        criteria.string("subject", false, 0, None)?;
    } else {
        let phone = criteria
            .string("phoneNumber", true, 1, None)?
            .expect("required");
        if !is_phone_number(phone) {
            return Err(ApiError::bad_request(
                "matchCriteria.phoneNumber must start with + and the country code (e.g. +1 212-555-2368)",
            ));
        }
    }
    Ok((kind, integration_id, primary))
}

/// Checks a `confirmation`: `type` required; `message` a `messagePost` of type `text` or
/// `image` whose actions, if any, are links.
fn confirmation(body: &Obj<'_>) -> Result<(), ApiError> {
    let confirmation = body.object("confirmation", true)?.expect("required");
    confirmation.one_of("type", true, &["immediate", "userActivity", "prompt"])?;
    let Some(message) = confirmation.object("message", false)? else {
        return Ok(());
    };
    content::author(message.map.get("author"))
        .map_err(|e| ApiError::bad_request(format!("confirmation.message.{}", e.title)))?;
    let checked = content::content(message.map.get("content"), Sender::Api, None)
        .map_err(|e| ApiError::bad_request(format!("confirmation.message.{}", e.title)))?;
    let kind = checked.content.get("type").and_then(Value::as_str);
    if !matches!(kind, Some("text" | "image")) {
        return Err(ApiError::bad_request(
            "confirmation.message.content.type must be text or image",
        ));
    }
    let actions = checked.content.get("actions").and_then(Value::as_array);
    if actions
        .into_iter()
        .flatten()
        .any(|a| a.get("type").and_then(Value::as_str) != Some("link"))
    {
        return Err(ApiError::bad_request(
            "confirmation.message.content.actions may only be of type link",
        ));
    }
    Ok(())
}

/// `POST /v2/apps/{appId}/users/{userIdOrExternalId}/clients` (`clientCreate`).
///
/// `matchCriteria` (a `mailgun` address or a `messagebird`, `twilio` or `whatsapp` phone
/// number, with its `integrationId`), `confirmation` and `target.conversationId` (a
/// conversation the user takes part in) are required. The client is created `pending`, as the
/// real service does until the channel confirms the link (the control endpoint
/// `PATCH /_emulator/apps/{appId}/users/{userIdOrExternalId}/clients/{clientId}` plays the
/// channel). Answers 201 `{client}`.
pub(crate) async fn create(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app = state.authorize(&parts.headers, &path_segment(path, 3))?;
    let brand = brand_query(parts.uri.query())?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    let root = Obj::root(&body);
    let (kind, integration_id, primary) = match_criteria(&root)?;
    confirmation(&root)?;
    let target = root.object("target", true)?.expect("required");
    let conversation_id = target
        .string("conversationId", true, 1, None)?
        .expect("required")
        .to_owned();

    let mut data = app.write();
    let user_id = lookup(&data, &path_segment(path, 5), brand.as_deref())?
        .id
        .clone();
    member(&data, &conversation_id, &UserRef::Id(user_id.clone()), None)?;
    let client = Client {
        id: state.ids.next_record_id(),
        kind,
        status: "pending".into(),
        integration_id: Some(integration_id),
        external_id: None,
        last_seen: None,
        linked_at: None,
        display_name: None,
        avatar_url: None,
        info: None,
        raw: None,
        target_conversation: Some((conversation_id, primary)),
    };
    let response = json(StatusCode::CREATED, &ClientBody { client: &client });
    events::emit_client(
        &state,
        &data,
        &user_id,
        &client,
        "client:add",
        "channelLinking",
    );
    data.user_mut(&user_id)
        .expect("just found")
        .clients
        .insert(client.id.clone(), client);
    Ok(response)
}

#[derive(Serialize)]
struct ListBody<'a> {
    clients: Vec<&'a Client>,
    meta: Meta,
    links: Links,
}

/// `GET /v2/apps/{appId}/users/{userIdOrExternalId}/clients`: linked and pending clients,
/// oldest first, paged like the other lists (`page[size]` 1 to 100, default 25).
pub(crate) async fn list(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let headers = request.headers();
    let path = request.uri().path();
    let app_id = path_segment(path, 3);
    let app = state.authorize(headers, &app_id)?;
    let brand = brand_query(request.uri().query())?;
    let page_query = pages::parse(&query::pairs(request.uri().query().unwrap_or("")), true)?;
    let size = page_query.size.unwrap_or(DEFAULT_PAGE);
    let named = path_segment(path, 5);

    let data = app.read();
    let user = lookup(&data, &named, brand.as_deref())?;
    let cursor = page_query.cursor(Cursor::First);
    let page = store::page(&user.clients, cursor, size);
    let mut base = format!(
        "{}/v2/apps/{}/users/{}/clients",
        pages::origin(headers, &state),
        percent_encode(&app_id),
        percent_encode(&named),
    );
    if let Some(brand) = &brand {
        base.push_str(&format!("?brandId={}", percent_encode(brand)));
    }
    let (meta, links) = pages::meta_and_links(&page, cursor, &base, Some(size));
    let clients = page
        .ids
        .iter()
        .filter_map(|id| user.clients.get(id))
        .collect();
    Ok(json(
        StatusCode::OK,
        &ListBody {
            clients,
            meta,
            links,
        },
    ))
}

/// `DELETE /v2/apps/{appId}/users/{userIdOrExternalId}/clients/{clientId}`: removes the
/// client and its associations with the user's conversations. 404 `client_not_found`; an
/// `sdk` client cannot be removed (400).
pub(crate) async fn remove(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let path = request.uri().path();
    let app = state.authorize(request.headers(), &path_segment(path, 3))?;
    let brand = brand_query(request.uri().query())?;
    let client_id = path_segment(path, 7);
    let mut data = app.write();
    let user = lookup(&data, &path_segment(path, 5), brand.as_deref())?;
    let client = user
        .clients
        .get(&client_id)
        .ok_or_else(|| ApiError::not_found("client_not_found", "Client not found"))?;
    if client.kind == "sdk" {
        return Err(ApiError::bad_request(
            "Cannot remove a client of type 'sdk'",
        ));
    }
    let user_id = user.id.clone();
    if let Some(gone) = data.remove_client(&user_id, &client_id) {
        events::emit_client(&state, &data, &user_id, &gone, "client:remove", "api");
    }
    Ok(json(StatusCode::OK, &Map::<String, Value>::new()))
}

#[derive(Serialize)]
struct DeviceListBody<'a> {
    devices: Vec<&'a Device>,
}

#[derive(Serialize)]
struct DeviceBody<'a> {
    device: &'a Device,
}

/// `GET /v2/apps/{appId}/users/{userIdOrExternalId}/devices`: the user's devices, most
/// recently seen first. Not paged.
pub(crate) async fn list_devices(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let path = request.uri().path();
    let app = state.authorize(request.headers(), &path_segment(path, 3))?;
    let brand = brand_query(request.uri().query())?;
    let data = app.read();
    let user = lookup(&data, &path_segment(path, 5), brand.as_deref())?;
    let mut devices: Vec<&Device> = user.devices.values().collect();
    devices.sort_by(|a, b| b.last_seen.cmp(&a.last_seen).then(b.id.cmp(&a.id)));
    Ok(json(StatusCode::OK, &DeviceListBody { devices }))
}

/// `GET /v2/apps/{appId}/users/{userIdOrExternalId}/devices/{deviceId}`; 404
/// `device_not_found`.
pub(crate) async fn get_device(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let path = request.uri().path();
    let app = state.authorize(request.headers(), &path_segment(path, 3))?;
    let brand = brand_query(request.uri().query())?;
    let data = app.read();
    let user = lookup(&data, &path_segment(path, 5), brand.as_deref())?;
    let device = user
        .devices
        .get(&path_segment(path, 7))
        .ok_or_else(|| ApiError::not_found("device_not_found", "Device not found"))?;
    Ok(json(StatusCode::OK, &DeviceBody { device }))
}

#[cfg(test)]
mod tests {
    use super::is_phone_number;

    #[test]
    fn phone_numbers_as_the_spec_describes_them() {
        for ok in [
            "+1 212-555-2368",
            "+12125552368",
            "+1 212 555 2368",
            "+44 (20) 7946 0958",
        ] {
            assert!(is_phone_number(ok), "{ok:?}");
        }
        for bad in [
            "212 555 2368",
            "1 212 555 2368",
            "+",
            "+1 212",
            "+1 212 555 2368 x",
            "+ 1212555236",
        ] {
            assert!(!is_phone_number(bad), "{bad:?}");
        }
    }
}
