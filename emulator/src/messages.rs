//! The Messages API: post, list (backward), delete all and delete one; and the message an end
//! user writes through `/_emulator/apps/{appId}/conversations/{conversationId}/user-messages`.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::content::{self, Obj, Sender};
use crate::conversations::UserRef;
use crate::error::{ApiError, ApiResult, json};
use crate::pages::{self, Links, Meta};
use crate::query::{self, path_segment, percent_encode};
use crate::state::Shared;
use crate::store::{self, AppData, ConversationType, Cursor, Message, User};
use crate::{body, events, timestamp, validate};

/// Page size of `ListMessages`, fixed: `page[size]` does not apply to it.
const PAGE: usize = 100;

#[derive(Serialize)]
struct MessagesBody<'a> {
    messages: [&'a Message; 1],
}

/// 404 `not_found` for a user who does not take part in the conversation (the spec's title).
pub(crate) fn not_a_member() -> ApiError {
    ApiError::not_found("not_found", "User is not a member of the conversation")
}

/// The user `user` names (of brand `brand`, if given), who must take part in conversation
/// `conversation_id`: 404 `user_not_found`, or 404 `not_found` when not a participant.
pub(crate) fn member<'a>(
    data: &'a AppData,
    conversation_id: &str,
    user: &UserRef,
    brand: Option<&str>,
) -> Result<&'a User, ApiError> {
    let found = user
        .find(data)
        .filter(|u| brand.is_none() || u.brand_id.as_deref() == brand)
        .ok_or_else(ApiError::user_not_found)?;
    let conversation = data
        .conversation(conversation_id)
        .ok_or_else(ApiError::conversation_not_found)?;
    conversation
        .participant_of(&found.id)
        .ok_or_else(not_a_member)?;
    Ok(found)
}

/// Stores a new message in conversation `conversation_id` (which must exist) and returns it:
/// 423 `locked` when the conversation is full, 400 when a form response quotes a message that
/// is not a form of this conversation. The conversation's `lastUpdatedAt` becomes the message's
/// `received`, and the switchboard's default takes control if nobody has it.
fn append<'a>(
    state: &Shared,
    data: &'a mut AppData,
    conversation_id: &str,
    author: Map<String, Value>,
    checked: content::Content,
    source: Map<String, Value>,
    metadata: Option<Map<String, Value>>,
) -> Result<&'a Message, ApiError> {
    let assignee = data.switchboard_assignee();
    let conversation = data
        .conversation_mut(conversation_id)
        .ok_or_else(ApiError::conversation_not_found)?;
    if conversation.messages.len() >= state.max_messages {
        return Err(ApiError::new(
            StatusCode::LOCKED,
            "locked",
            format!(
                "Message limit of {} per conversation reached.",
                state.max_messages
            ),
        ));
    }
    let quoted_message = match &checked.quoted_message_id {
        None => None,
        Some(id) => {
            let form = conversation
                .messages
                .get_mut(id)
                .filter(|m| m.content.get("type").and_then(Value::as_str) == Some("form"))
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "content.fields[].quotedMessageId {id} is not a form message of this conversation"
                    ))
                })?;
            form.content.insert("submitted".into(), Value::Bool(true));
            Some(json!({"type": "message", "message": form}))
        }
    };
    let message = Message {
        // Taken under the app's write lock, so messages are stored in increasing order.
        id: state.ids.next_record_id(),
        received: timestamp::format_millis(timestamp::now_millis()),
        author,
        content: checked.content,
        source,
        quoted_message,
        metadata,
    };
    conversation.last_updated_at = message.received.clone();
    // A message is activity: a conversation nobody controls goes to the switchboard's default.
    if conversation.active_switchboard_integration.is_none() {
        conversation.active_switchboard_integration = assignee;
    }
    let id = message.id.clone();
    Ok(conversation.messages.entry(id).or_insert(message))
}

/// Checks a `destination` (one of `integrationId` or `integrationType`, a string).
fn destination(body: &Map<String, Value>) -> Result<bool, ApiError> {
    let Some(value) = body.get("destination") else {
        return Ok(false);
    };
    let destination = Obj::new(value, "destination")?;
    let id = destination.string("integrationId", false, 1, None)?;
    let kind = destination.string("integrationType", false, 1, None)?;
    if id.is_some() == kind.is_some() {
        return Err(ApiError::bad_request(
            "destination must have exactly one of integrationId or integrationType",
        ));
    }
    Ok(true)
}

/// Checks an `override` (an object whose `apple`, `line`, `messenger` and `whatsapp` payloads
/// are objects).
fn message_override(body: &Map<String, Value>) -> Result<(), ApiError> {
    let Some(value) = body.get("override") else {
        return Ok(());
    };
    let o = Obj::new(value, "override")?;
    for channel in ["apple", "line", "messenger", "whatsapp"] {
        o.object(channel, false)?;
    }
    Ok(())
}

/// `POST /v2/apps/{appId}/conversations/{conversationId}/messages` (`messagePost`).
///
/// `author` and `content` are required. A `user` author is found by `userId` or
/// `userExternalId` (and `brandId`, when given) and must take part in the conversation. A
/// `destination` is for a `business` author in a `personal` conversation. Answers 201
/// `{"messages": [message]}` with `source.type` `api:conversations`.
pub(crate) async fn post(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app = state.authorize(&parts.headers, &path_segment(path, 3))?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;

    let author = content::author(body.get("author"))?;
    let schema = match body.get("schema") {
        None => None,
        Some(Value::String(s)) if s == "whatsapp" => Some("whatsapp"),
        Some(_) => return Err(ApiError::bad_request("schema must be whatsapp")),
    };
    let checked = content::content(body.get("content"), Sender::Api, schema)?;
    let has_destination = destination(&body)?;
    message_override(&body)?;
    let metadata = Obj::root(&body).metadata("metadata")?;

    let conversation_id = path_segment(path, 5);
    let mut data = app.write();
    let kind = data
        .conversation(&conversation_id)
        .ok_or_else(ApiError::conversation_not_found)?
        .kind;
    let mut stored_author = author.stored;
    if let Some(user) = &author.user {
        let user = member(&data, &conversation_id, user, author.brand.as_deref())?;
        stored_author.insert("userId".into(), Value::String(user.id.clone()));
    }
    if has_destination && (author.user.is_some() || kind != ConversationType::Personal) {
        return Err(ApiError::bad_request(
            "destination applies only to a business author in a personal conversation",
        ));
    }
    let mut source = Map::new();
    source.insert("type".into(), Value::String("api:conversations".into()));
    let message = append(
        &state,
        &mut data,
        &conversation_id,
        stored_author,
        checked,
        source,
        metadata,
    )?
    .clone();
    events::emit_message(&state, &data, &conversation_id, &message);
    Ok(json(
        StatusCode::CREATED,
        &MessagesBody {
            messages: [&message],
        },
    ))
}

#[derive(Serialize)]
struct ListBody<'a> {
    messages: Vec<&'a Message>,
    meta: Meta,
    links: Links,
}

/// `GET /v2/apps/{appId}/conversations/{conversationId}/messages`, paged backward.
///
/// Without a cursor the answer is the most recent page; `page[before]` walks back in time and
/// `page[after]` forward; messages within a page run oldest first. `hasMore` says whether
/// messages exist further in the direction of travel (older ones for no cursor and
/// `page[before]`). Pages hold `page[size]` messages (1 to 100), 100 when it is not given.
pub(crate) async fn list(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let headers = request.headers();
    let path = request.uri().path();
    let app_id = path_segment(path, 3);
    let app = state.authorize(headers, &app_id)?;
    let page_query = pages::parse(&query::pairs(request.uri().query().unwrap_or("")), false)?;
    let conversation_id = path_segment(path, 5);

    let data = app.read();
    let conversation = data
        .conversation(&conversation_id)
        .ok_or_else(ApiError::conversation_not_found)?;
    let cursor = page_query.cursor(Cursor::Last);
    let page = store::page(&conversation.messages, cursor, PAGE);
    let base = format!(
        "{}/v2/apps/{}/conversations/{}/messages",
        pages::origin(headers, &state),
        percent_encode(&app_id),
        percent_encode(&conversation_id),
    );
    let (meta, links) = pages::meta_and_links(&page, cursor, &base, None);
    let messages = page
        .ids
        .iter()
        .filter_map(|id| conversation.messages.get(id))
        .collect();
    Ok(json(
        StatusCode::OK,
        &ListBody {
            messages,
            meta,
            links,
        },
    ))
}

/// `DELETE /v2/apps/{appId}/conversations/{conversationId}/messages`: empties the
/// conversation, which stays; attachments uploaded `for=message` that the messages showed go.
pub(crate) async fn delete_all(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let path = request.uri().path();
    let app = state.authorize(request.headers(), &path_segment(path, 3))?;
    let mut data = app.write();
    let gone = std::mem::take(
        &mut data
            .conversation_mut(&path_segment(path, 5))
            .ok_or_else(ApiError::conversation_not_found)?
            .messages,
    );
    data.forget_attachments_of(gone.values());
    Ok(json(StatusCode::OK, &Map::new()))
}

/// `DELETE /v2/apps/{appId}/conversations/{conversationId}/messages/{messageId}`; 404
/// `conversation_not_found`, or `not_found` for a message the conversation does not hold.
pub(crate) async fn delete(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let path = request.uri().path();
    let app = state.authorize(request.headers(), &path_segment(path, 3))?;
    let mut data = app.write();
    let gone = data
        .conversation_mut(&path_segment(path, 5))
        .ok_or_else(ApiError::conversation_not_found)?
        .messages
        .remove(&path_segment(path, 7))
        .ok_or_else(|| ApiError::not_found("not_found", "Message not found"))?;
    data.forget_attachments_of(std::iter::once(&gone));
    Ok(json(StatusCode::OK, &Map::new()))
}

/// The `content` that the shorthand `text` (and optional `payload`, as when the user taps a
/// quick reply) of a `user-messages` body stands for; `None` without `text`. Giving both
/// `text` and `content` is a 400.
fn shorthand_content(body: &Map<String, Value>) -> Result<Option<Value>, ApiError> {
    let Some(text) = body.get("text") else {
        if body.contains_key("payload") {
            return Err(ApiError::bad_request(
                "payload goes with text (the text of the quick reply the user tapped)",
            ));
        }
        return Ok(None);
    };
    if body.contains_key("content") {
        return Err(ApiError::bad_request(
            "give either content or text (with an optional payload), not both",
        ));
    }
    let mut content = Map::new();
    content.insert("type".into(), Value::String("text".into()));
    content.insert("text".into(), text.clone());
    if let Some(payload) = body.get("payload") {
        content.insert("payload".into(), payload.clone());
    }
    Ok(Some(Value::Object(content)))
}

/// `POST /_emulator/apps/{appId}/conversations/{conversationId}/user-messages`: a message
/// written by an end user on a channel. Body: `userId` or `userExternalId` (a participant),
/// `content` (checked like `PostMessage`, but a `formResponse` is allowed and a `template`
/// is not) or the shorthand `text` with an optional quick-reply `payload`, optional
/// `metadata` and `source` (`{"type": "web", ...}` by default). The author carries the
/// user's `displayName` (`givenName surname`) and `avatarUrl` from its profile. Sends
/// `conversation:message` to the webhooks that subscribe to it.
pub(crate) async fn post_as_user(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app = state.app(&path_segment(path, 3))?;
    let bytes = body::read(body).await?;
    let body = match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return Err(ApiError::bad_request("Request body must be a JSON object")),
        Err(e) => {
            return Err(ApiError::bad_request(format!(
                "Malformed JSON in request body: {e}"
            )));
        }
    };
    let spec = crate::conversations::participant_spec(&body, "")?;
    let content_value = shorthand_content(&body)?;
    let checked = content::content(
        content_value.as_ref().or(body.get("content")),
        Sender::EndUser,
        None,
    )?;
    let root = Obj::root(&body);
    let metadata = root.metadata("metadata")?;
    let mut source = Map::new();
    source.insert("type".into(), Value::String("web".into()));
    if let Some(given) = root.object("source", false)? {
        given.string("type", false, 1, None)?;
        source.extend(given.map.clone());
    }

    let conversation_id = path_segment(path, 5);
    let mut data = app.write();
    data.conversation(&conversation_id)
        .ok_or_else(ApiError::conversation_not_found)?;
    let user = member(&data, &conversation_id, &spec.user, None)?;
    let mut author = Map::new();
    author.insert("type".into(), Value::String("user".into()));
    author.insert("userId".into(), Value::String(user.id.clone()));
    let name: Vec<&str> = ["givenName", "surname"]
        .iter()
        .filter_map(|k| user.profile.get(*k).and_then(Value::as_str))
        .collect();
    if !name.is_empty() {
        author.insert("displayName".into(), Value::String(name.join(" ")));
    }
    if let Some(url) = user.profile.get("avatarUrl") {
        author.insert("avatarUrl".into(), url.clone());
    }
    let message = append(
        &state,
        &mut data,
        &conversation_id,
        author,
        checked,
        source,
        metadata,
    )?
    .clone();
    events::emit_message(&state, &data, &conversation_id, &message);
    Ok(json(
        StatusCode::CREATED,
        &MessagesBody {
            messages: [&message],
        },
    ))
}
