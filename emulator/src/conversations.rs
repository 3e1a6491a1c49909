//! The Conversations API: create, get, list, update, delete and download a message ref.

use std::sync::Arc;

use std::collections::BTreeMap;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult, json};
use crate::pages::{self, Links, Meta};
use crate::query::{self, path_segment, percent_encode};
use crate::state::Shared;
use crate::store::{
    self, AppData, ClientAssociation, Conversation, ConversationType, Cursor, Participant,
};
use crate::validate::{self, present};
use crate::{body, events, timestamp};

/// Most participants a conversation may have.
pub(crate) const MAX_PARTICIPANTS: usize = 10;
/// Longest `displayName` / `description`, in characters.
const MAX_TEXT: usize = 100;

#[derive(Serialize)]
struct ConversationBody<'a> {
    conversation: &'a Conversation,
}

/// A user as named in a body: by id or by external id.
#[derive(Debug, Clone)]
pub(crate) enum UserRef {
    Id(String),
    ExternalId(String),
}

impl UserRef {
    /// The user named, if it exists.
    pub(crate) fn find<'a>(&self, data: &'a AppData) -> Option<&'a store::User> {
        match self {
            UserRef::Id(id) => data.user(id),
            UserRef::ExternalId(ext) => data.user_by_external_id(ext),
        }
    }
}

/// A participant as given in a create or join body (the spec's `participantSubSchema`).
pub(crate) struct ParticipantSpec {
    pub(crate) user: UserRef,
    pub(crate) subscribe_sdk_client: Option<bool>,
}

/// Reads a `participantSubSchema` object; `prefix` (`participants[0].` or empty) is put
/// before field names in error titles.
pub(crate) fn participant_spec(
    item: &Map<String, Value>,
    prefix: &str,
) -> Result<ParticipantSpec, ApiError> {
    let subscribe_sdk_client = match item.get("subscribeSDKClient") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            return Err(ApiError::bad_request(format!(
                "{prefix}subscribeSDKClient must be a boolean"
            )));
        }
    };
    for key in ["userId", "userExternalId"] {
        if item.get(key).is_some_and(|v| !v.is_string()) {
            return Err(ApiError::bad_request(format!(
                "{prefix}{key} must be a string"
            )));
        }
    }
    let user = match (item.get("userId"), item.get("userExternalId")) {
        (Some(Value::String(id)), None) => UserRef::Id(id.clone()),
        (None, Some(Value::String(ext))) => UserRef::ExternalId(ext.clone()),
        _ => {
            let whole = prefix.trim_end_matches('.');
            let whole = if whole.is_empty() { "body" } else { whole };
            return Err(ApiError::bad_request(format!(
                "{whole} must have exactly one of userId or userExternalId"
            )));
        }
    };
    Ok(ParticipantSpec {
        user,
        subscribe_sdk_client,
    })
}

/// A new participant for `user_id`, subscribed through the user's SDK client (created if
/// needed) when `subscribe` is true. Takes ids, so call it under the app's write lock.
pub(crate) fn new_participant(
    state: &Shared,
    data: &mut AppData,
    user_id: &str,
    subscribe: bool,
) -> Participant {
    let client_associations = if subscribe {
        data.sdk_client(user_id, || state.ids.next_record_id())
            .map(|client_id| ClientAssociation {
                kind: "sdk".into(),
                client_id,
            })
            .into_iter()
            .collect()
    } else {
        Vec::new()
    };
    Participant {
        id: state.ids.next_record_id(),
        user_id: user_id.to_owned(),
        client_associations,
        last_read: None,
        read_mark: None,
    }
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
) -> Result<Vec<ParticipantSpec>, ApiError> {
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
            participant_spec(item, &format!("participants[{i}]."))
        })
        .collect()
}

/// The user ids of `participants` with their `subscribeSDKClient`, without duplicates; 404
/// `user_not_found` for an unknown one.
fn resolve(
    data: &AppData,
    participants: &[ParticipantSpec],
) -> Result<Vec<(String, bool)>, ApiError> {
    let mut ids: Vec<(String, bool)> = Vec::with_capacity(participants.len());
    for participant in participants {
        let user = participant
            .user
            .find(data)
            .ok_or_else(ApiError::user_not_found)?;
        let subscribe = participant.subscribe_sdk_client == Some(true);
        match ids.iter_mut().find(|(id, _)| *id == user.id) {
            Some((_, seen)) => *seen |= subscribe,
            None => ids.push((user.id.clone(), subscribe)),
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
    let resolved = resolve(&data, &participants)?;
    // Ids are taken under the app's write lock, so they are stored in increasing order.
    let id = state.ids.next_record_id();
    let participants: BTreeMap<String, Participant> = resolved
        .iter()
        .map(|(user_id, subscribe)| {
            let participant = new_participant(&state, &mut data, user_id, *subscribe);
            (participant.id.clone(), participant)
        })
        .collect();
    let now = timestamp::format_millis(timestamp::now_millis());
    let active_switchboard_integration = data.switchboard_assignee();
    let conversation = data.insert_conversation(Conversation {
        id,
        kind,
        metadata,
        is_default: false,
        display_name,
        description,
        icon_url,
        business_last_read: None,
        last_updated_at: now.clone(),
        created_at: now,
        active_switchboard_integration,
        pending_switchboard_integration: None,
        participants,
        messages: BTreeMap::new(),
    });
    let id = conversation.id.clone();
    let first_user = resolved.first().map(|(user_id, _)| user_id.clone());
    emit_created(&state, &data, &id, first_user.as_deref());
    let conversation = data.conversation(&id).expect("just stored");
    Ok(json(
        StatusCode::CREATED,
        &ConversationBody { conversation },
    ))
}

/// Queues `conversation:create` for conversation `id`, with its first participant's user.
fn emit_created(state: &Shared, data: &AppData, id: &str, user_id: Option<&str>) {
    let user = user_id.and_then(|u| data.user(u));
    events::emit_conversation(state, data, id, "conversation:create", |view| {
        let mut extra = Map::new();
        if let Some(user) = user {
            extra.insert("user".into(), events::user(user, view));
        }
        extra
    });
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
    // Sent before the conversation goes, so the event can still show it.
    events::emit_conversation(&state, &data, &id, "conversation:remove", |_| Map::new());
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
    page: pages::PageQuery,
}

fn parse_list_query(raw: &str) -> Result<ListQuery, ApiError> {
    let pairs = query::pairs(raw);
    let (mut user_id, mut external_id) = (None, None);
    for (key, value) in &pairs {
        match key.as_str() {
            "filter[userId]" => user_id = Some(value.clone()),
            "filter[userExternalId]" => external_id = Some(value.clone()),
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
    Ok(ListQuery {
        filter_key,
        filter_value,
        page: pages::parse(&pairs, true)?,
    })
}

#[derive(Serialize)]
struct ListBody<'a> {
    conversations: Vec<&'a Conversation>,
    meta: Meta,
    links: Links,
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
    let size = query.page.size.unwrap_or(25);

    let data = app.read();
    let user = match query.filter_key {
        "userId" => data.user(&query.filter_value),
        _ => data.user_by_external_id(&query.filter_value),
    }
    .ok_or_else(ApiError::user_not_found)?;
    let cursor = query.page.cursor(Cursor::First);
    let page = match data.conversations_of(&user.id) {
        Some(set) => store::page(set, cursor, size),
        None => store::Page::default(),
    };
    let base = format!(
        "{}/v2/apps/{}/conversations?filter[{}]={}",
        pages::origin(headers, &state),
        percent_encode(&app_id),
        query.filter_key,
        percent_encode(&query.filter_value)
    );
    let (meta, links) = pages::meta_and_links(&page, cursor, &base, Some(size));
    let conversations = page
        .ids
        .iter()
        .filter_map(|id| data.conversation(id))
        .collect();
    let body = ListBody {
        conversations,
        meta,
        links,
    };
    Ok(json(StatusCode::OK, &body))
}

/// The channels `PostConversionEvents` forwards to (the spec's `conversionEventsBody`).
const CONVERSION_CHANNELS: [&str; 3] = ["messenger", "instagram", "whatsapp"];

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConversionEvents {
    dataset_id: String,
    events_received: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConversionEventsBody {
    conversion_events: ConversionEvents,
}

/// `POST /v2/apps/{appId}/conversations/{conversationId}/conversionEvents`.
///
/// The body names exactly one channel (`messenger`, `instagram` or `whatsapp`) whose
/// `payload.data` is an array of event objects, passed on as they are. Answers 200
/// `{"conversionEvents": {"datasetId", "eventsReceived"}}`; the dataset id is a stable number
/// derived from the app and the channel.
pub(crate) async fn conversion_events(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app_id = path_segment(path, 3);
    let app = state.authorize(&parts.headers, &app_id)?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    let given: Vec<&str> = CONVERSION_CHANNELS
        .into_iter()
        .filter(|c| body.contains_key(*c))
        .collect();
    let [channel] = given.as_slice() else {
        return Err(ApiError::bad_request(
            "body must have exactly one of messenger, instagram or whatsapp",
        ));
    };
    let root = crate::content::Obj::root(&body);
    let event = root.object(channel, true)?.expect("present");
    let payload = event.object("payload", true)?.expect("required");
    let data = payload.array("data", true, 0, None)?.expect("required");
    if let Some(i) = data.iter().position(|item| !item.is_object()) {
        return Err(ApiError::bad_request(format!(
            "{channel}.payload.data[{i}] must be an object"
        )));
    }

    app.read()
        .conversation(&path_segment(path, 5))
        .ok_or_else(ApiError::conversation_not_found)?;
    let dataset_id = crate::ids::mix(crate::ids::fnv(&[&app_id, channel])) % 10u64.pow(16);
    Ok(json(
        StatusCode::OK,
        &ConversionEventsBody {
            conversion_events: ConversionEvents {
                dataset_id: format!("{:016}", dataset_id.max(10u64.pow(15))),
                events_received: data.len(),
            },
        },
    ))
}
