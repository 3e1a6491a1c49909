//! The Conversations API: create, get, list, update, delete and download a message ref.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult, json};
use crate::query::{self, path_segment, percent_encode};
use crate::state::Shared;
use crate::store::{AppData, Conversation, ConversationType, Cursor};
use crate::validate::{self, present};
use crate::{body, timestamp};

/// Most participants a conversation may be created with.
const MAX_PARTICIPANTS: usize = 10;
/// Longest `displayName` / `description`, in characters.
const MAX_TEXT: usize = 100;

#[derive(Serialize)]
struct ConversationBody<'a> {
    conversation: &'a Conversation,
}

/// A participant as given in a create body.
enum Participant {
    Id(String),
    ExternalId(String),
}

fn conversation_type(body: &Map<String, Value>) -> Result<ConversationType, ApiError> {
    match body.get("type") {
        None => Err(ApiError::bad_request("type is required")),
        Some(Value::String(s)) if s == "personal" => Ok(ConversationType::Personal),
        Some(Value::String(s)) if s == "sdkGroup" => Ok(ConversationType::SdkGroup),
        Some(_) => Err(ApiError::bad_request(
            "type must be one of: personal, sdkGroup",
        )),
    }
}

fn participants(
    body: &Map<String, Value>,
    kind: ConversationType,
) -> Result<Vec<Participant>, ApiError> {
    // Not nullable in the spec: `null` is a wrong type, not "no participants".
    let items: &[Value] = match body.get("participants") {
        None => &[],
        Some(Value::Array(items)) => items,
        Some(_) => return Err(ApiError::bad_request("participants must be an array")),
    };
    if items.len() > MAX_PARTICIPANTS {
        return Err(ApiError::bad_request(format!(
            "participants must contain at most {MAX_PARTICIPANTS} participants"
        )));
    }
    if kind == ConversationType::Personal && items.len() != 1 {
        return Err(ApiError::bad_request(
            "participants must contain exactly 1 participant for a personal conversation",
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let Value::Object(item) = item else {
                return Err(ApiError::bad_request(format!(
                    "participants[{i}] must be an object"
                )));
            };
            if let Some(v) = item.get("subscribeSDKClient")
                && !v.is_boolean()
            {
                return Err(ApiError::bad_request(format!(
                    "participants[{i}].subscribeSDKClient must be a boolean"
                )));
            }
            for key in ["userId", "userExternalId"] {
                if item.get(key).is_some_and(|v| !v.is_string()) {
                    return Err(ApiError::bad_request(format!(
                        "participants[{i}].{key} must be a string"
                    )));
                }
            }
            match (item.get("userId"), item.get("userExternalId")) {
                (Some(Value::String(id)), None) => Ok(Participant::Id(id.clone())),
                (None, Some(Value::String(ext))) => Ok(Participant::ExternalId(ext.clone())),
                _ => Err(ApiError::bad_request(format!(
                    "participants[{i}] must have exactly one of userId or userExternalId"
                ))),
            }
        })
        .collect()
}

/// The user ids of `participants`, without duplicates; 404 `user_not_found` for an unknown one.
fn resolve(data: &AppData, participants: &[Participant]) -> Result<Vec<String>, ApiError> {
    let mut ids: Vec<String> = Vec::with_capacity(participants.len());
    for participant in participants {
        let user = match participant {
            Participant::Id(id) => data.user(id),
            Participant::ExternalId(ext) => data.user_by_external_id(ext),
        }
        .ok_or_else(ApiError::user_not_found)?;
        if !ids.contains(&user.id) {
            ids.push(user.id.clone());
        }
    }
    Ok(ids)
}

fn optional<T>(
    body: &Map<String, Value>,
    field: &str,
    check: impl FnOnce(&Value) -> Result<T, ApiError>,
) -> Result<Option<T>, ApiError> {
    present(body, field).map(check).transpose()
}

/// `POST /v2/apps/{appId}/conversations`.
pub(crate) async fn create(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let app = state.authorize(&parts.headers, &path_segment(parts.uri.path(), 3))?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;

    let kind = conversation_type(&body)?;
    let participants = participants(&body, kind)?;
    let display_name = optional(&body, "displayName", |v| {
        validate::bounded_text("displayName", v, MAX_TEXT)
    })?;
    let description = optional(&body, "description", |v| {
        validate::bounded_text("description", v, MAX_TEXT)
    })?;
    let icon_url = optional(&body, "iconUrl", validate::icon_url)?;
    let metadata = optional(&body, "metadata", validate::metadata)?;

    let mut data = app.write();
    let participants = resolve(&data, &participants)?;
    let now = timestamp::format_millis(timestamp::now_millis());
    let conversation = data.insert_conversation(Conversation {
        // Taken under the app's write lock, so ids are stored in increasing order.
        id: state.ids.next_record_id(),
        kind,
        metadata,
        is_default: false,
        display_name,
        description,
        icon_url,
        business_last_read: None,
        last_updated_at: now.clone(),
        created_at: now,
        participants,
    });
    Ok(json(
        StatusCode::CREATED,
        &ConversationBody { conversation },
    ))
}

/// `GET /v2/apps/{appId}/conversations/{conversationId}`.
pub(crate) async fn get(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let path = request.uri().path();
    let app = state.authorize(request.headers(), &path_segment(path, 3))?;
    let id = path_segment(path, 5);
    let data = app.read();
    let conversation = data
        .conversation(&id)
        .ok_or_else(ApiError::conversation_not_found)?;
    Ok(json(StatusCode::OK, &ConversationBody { conversation }))
}

/// One field of an update body: left out, `null`, or a new value.
enum Change<T> {
    Keep,
    Clear,
    Set(T),
}

impl<T> Change<T> {
    fn read(
        body: &Map<String, Value>,
        field: &str,
        check: impl FnOnce(&Value) -> Result<T, ApiError>,
    ) -> Result<Self, ApiError> {
        Ok(match body.get(field) {
            None => Change::Keep,
            Some(Value::Null) => Change::Clear,
            Some(value) => Change::Set(check(value)?),
        })
    }

    fn apply(self, target: &mut Option<T>) {
        match self {
            Change::Keep => {}
            Change::Clear => *target = None,
            Change::Set(value) => *target = Some(value),
        }
    }
}

/// `PATCH /v2/apps/{appId}/conversations/{conversationId}`: absent keeps, `null` clears.
pub(crate) async fn update(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app = state.authorize(&parts.headers, &path_segment(path, 3))?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;

    let display_name = Change::read(&body, "displayName", |v| {
        validate::bounded_text("displayName", v, MAX_TEXT)
    })?;
    let description = Change::read(&body, "description", |v| {
        validate::bounded_text("description", v, MAX_TEXT)
    })?;
    let icon_url = Change::read(&body, "iconUrl", validate::icon_url)?;
    let metadata = Change::read(&body, "metadata", validate::metadata)?;

    let id = path_segment(path, 5);
    let mut data = app.write();
    let conversation = data
        .conversation_mut(&id)
        .ok_or_else(ApiError::conversation_not_found)?;
    display_name.apply(&mut conversation.display_name);
    description.apply(&mut conversation.description);
    icon_url.apply(&mut conversation.icon_url);
    metadata.apply(&mut conversation.metadata);
    conversation.last_updated_at = timestamp::format_millis(timestamp::now_millis());
    Ok(json(StatusCode::OK, &ConversationBody { conversation }))
}

/// `DELETE /v2/apps/{appId}/conversations/{conversationId}`; a default conversation stays.
pub(crate) async fn delete(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let path = request.uri().path();
    let app = state.authorize(request.headers(), &path_segment(path, 3))?;
    let id = path_segment(path, 5);
    let mut data = app.write();
    let conversation = data
        .conversation(&id)
        .ok_or_else(ApiError::conversation_not_found)?;
    if conversation.is_default {
        return Err(ApiError::bad_request(format!(
            "Conversation {id} cannot be deleted because it is the default."
        )));
    }
    data.remove_conversation(&id);
    Ok(json(StatusCode::OK, &Map::new()))
}

/// The checked `apple.interactiveDataRef` of a download body, if any.
fn interactive_data_ref(body: &Map<String, Value>) -> Result<Option<Map<String, Value>>, ApiError> {
    let Some(apple) = body.get("apple") else {
        return Ok(None);
    };
    let Value::Object(apple) = apple else {
        return Err(ApiError::bad_request("apple must be an object"));
    };
    let Some(Value::Object(reference)) = apple.get("interactiveDataRef") else {
        return Err(ApiError::bad_request(
            "apple.interactiveDataRef is required and must be an object",
        ));
    };
    for field in ["url", "bid", "key", "signature", "owner"] {
        if !reference.get(field).is_some_and(Value::is_string) {
            return Err(ApiError::bad_request(format!(
                "apple.interactiveDataRef.{field} is required and must be a string"
            )));
        }
    }
    Ok(Some(reference.clone()))
}

/// `POST /v2/apps/{appId}/conversations/{conversationId}/download`.
pub(crate) async fn download(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app = state.authorize(&parts.headers, &path_segment(path, 3))?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    let Some(Value::String(user_id)) = present(&body, "userId") else {
        return Err(ApiError::bad_request(
            "userId is required and must be a string",
        ));
    };
    let reference = interactive_data_ref(&body)?;

    let data = app.read();
    data.conversation(&path_segment(path, 5))
        .ok_or_else(ApiError::conversation_not_found)?;
    data.user(user_id).ok_or_else(ApiError::user_not_found)?;
    drop(data);

    let mut out = Map::new();
    if let Some(reference) = reference {
        let mut downloaded = Map::new();
        downloaded.insert("url".into(), reference["url"].clone());
        downloaded.insert("bid".into(), reference["bid"].clone());
        downloaded.insert("downloaded".into(), Value::Bool(true));
        out.insert("interactiveData".into(), Value::Object(downloaded));
    }
    Ok(json(StatusCode::OK, &out))
}

/// The parsed query of a list request.
struct ListQuery {
    /// `userId` or `userExternalId`.
    filter_key: &'static str,
    filter_value: String,
    size: usize,
    after: Option<String>,
    before: Option<String>,
}

fn page_error(detail: &str) -> ApiError {
    ApiError::bad_request(format!("Invalid page query parameters: {detail}"))
}

fn parse_list_query(raw: &str) -> Result<ListQuery, ApiError> {
    let (mut user_id, mut external_id, mut size, mut after, mut before) =
        (None, None, None, None, None);
    for (key, value) in query::pairs(raw) {
        match key.as_str() {
            "filter[userId]" => user_id = Some(value),
            "filter[userExternalId]" => external_id = Some(value),
            "page[size]" => size = Some(value),
            "page[after]" => after = Some(value),
            "page[before]" => before = Some(value),
            _ => {}
        }
    }
    let (filter_key, filter_value) = match (user_id, external_id) {
        (Some(v), None) => ("userId", v),
        (None, Some(v)) => ("userExternalId", v),
        (None, None) => {
            return Err(ApiError::bad_request(
                "Invalid filter query parameters: one of filter[userId] or filter[userExternalId] is required",
            ));
        }
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "Invalid filter query parameters: give only one of filter[userId] or filter[userExternalId]",
            ));
        }
    };
    if filter_value.is_empty() {
        return Err(ApiError::bad_request(format!(
            "Invalid filter query parameters: filter[{filter_key}] must not be empty"
        )));
    }
    let size = match size {
        None => 25,
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) && s.bytes().all(|b| b.is_ascii_digit()) => n,
            _ => {
                return Err(page_error(
                    "page[size] must be an integer between 1 and 100",
                ));
            }
        },
    };
    if after.is_some() && before.is_some() {
        return Err(page_error(
            "page[after] and page[before] cannot be combined",
        ));
    }
    for (name, cursor) in [("page[after]", &after), ("page[before]", &before)] {
        if let Some(cursor) = cursor
            && cursor.chars().count() != 24
        {
            return Err(page_error(&format!(
                "{name} must be a 24-character record id"
            )));
        }
    }
    Ok(ListQuery {
        filter_key,
        filter_value,
        size,
        after,
        before,
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Meta {
    has_more: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    after_cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    before_cursor: Option<String>,
}

#[derive(Serialize)]
struct Links {
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prev: Option<String>,
}

#[derive(Serialize)]
struct ListBody<'a> {
    conversations: Vec<&'a Conversation>,
    meta: Meta,
    links: Links,
}

/// `http://<Host>` of the request, or of the listening address without a `Host` header.
fn origin(headers: &HeaderMap, state: &Shared) -> String {
    match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        Some(host) if !host.is_empty() => format!("http://{host}"),
        _ => format!("http://{}", state.local_addr),
    }
}

/// `GET /v2/apps/{appId}/conversations?filter[userId]=..&page[size]=..&page[after]=..`.
///
/// Pages run oldest first. `hasMore` tells whether records exist further in the direction of
/// travel (later for `page[after]` or no cursor, earlier for `page[before]`); `afterCursor` and
/// `links.next` are given when later records exist, `beforeCursor` and `links.prev` when earlier
/// ones do.
pub(crate) async fn list(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let headers = request.headers();
    let app_id = path_segment(request.uri().path(), 3);
    let app = state.authorize(headers, &app_id)?;
    let query = parse_list_query(request.uri().query().unwrap_or(""))?;

    let data = app.read();
    let user = match query.filter_key {
        "userId" => data.user(&query.filter_value),
        _ => data.user_by_external_id(&query.filter_value),
    }
    .ok_or_else(ApiError::user_not_found)?;
    let cursor = match (&query.after, &query.before) {
        (Some(after), _) => Cursor::After(after),
        (_, Some(before)) => Cursor::Before(before),
        _ => Cursor::First,
    };
    let page = data.page(&user.id, cursor, query.size);
    let has_more = match cursor {
        Cursor::Before(_) => page.more_before,
        _ => page.more_after,
    };
    let after_cursor = page.ids.last().filter(|_| page.more_after).cloned();
    let before_cursor = page.ids.first().filter(|_| page.more_before).cloned();

    let base = format!(
        "{}/v2/apps/{}/conversations?filter[{}]={}",
        origin(headers, &state),
        percent_encode(&app_id),
        query.filter_key,
        percent_encode(&query.filter_value)
    );
    let link = |direction: &str, cursor: &str| {
        format!(
            "{base}&page[{direction}]={}&page[size]={}",
            percent_encode(cursor),
            query.size
        )
    };
    let links = Links {
        next: after_cursor.as_deref().map(|c| link("after", c)),
        prev: before_cursor.as_deref().map(|c| link("before", c)),
    };
    let conversations = page
        .ids
        .iter()
        .filter_map(|id| data.conversation(id))
        .collect();
    let body = ListBody {
        conversations,
        meta: Meta {
            has_more,
            after_cursor,
            before_cursor,
        },
        links,
    };
    Ok(json(StatusCode::OK, &body))
}
