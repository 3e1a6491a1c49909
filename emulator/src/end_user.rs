//! Controls that act for the outside world on a conversation, each sending the webhook events
//! the real service would: an end user's postback, typing, read receipt and referral; a
//! channel's delivery report; a failed switchboard action. (An end user's message is
//! `messages::post_as_user`.) No auth.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde_json::{Map, Value};

use crate::content::Obj;
use crate::conversations::participant_spec;
use crate::error::{ApiError, ApiResult, json};
use crate::events::{self, View};
use crate::messages::member;
use crate::query::path_segment;
use crate::state::Shared;
use crate::store::AppData;
use crate::{body, timestamp};

/// The JSON object of a control request's body.
async fn control_object(raw: axum::body::Body) -> Result<Map<String, Value>, ApiError> {
    match body::read_json(raw).await? {
        Value::Object(map) => Ok(map),
        _ => Err(ApiError::bad_request("Request body must be a JSON object")),
    }
}

/// The optional `source` of a body: `{"type": "web"}` unless given (an object with a string
/// `type`).
fn source_of(root: &Obj<'_>) -> Result<Map<String, Value>, ApiError> {
    let mut source = events::default_source();
    if let Some(given) = root.object("source", false)? {
        given.string("type", false, 1, None)?;
        given.string("integrationId", false, 1, None)?;
        source.extend(given.map.clone());
    }
    Ok(source)
}

/// The app, the conversation id and the body of a control request on
/// `/_emulator/apps/{appId}/conversations/{conversationId}/...`, with the participant its
/// `userId` or `userExternalId` names (checked under the caller's lock).
async fn read(
    state: &Shared,
    request: Request,
) -> Result<(Arc<crate::state::AppSlot>, String, Map<String, Value>), ApiError> {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app = state.app(&path_segment(path, 3))?;
    let conversation_id = path_segment(path, 5);
    Ok((app, conversation_id, control_object(body).await?))
}

/// The id of the participant `body` names (`userId` or `userExternalId`) in the conversation.
fn participant(
    data: &AppData,
    conversation_id: &str,
    body: &Map<String, Value>,
) -> Result<String, ApiError> {
    data.conversation(conversation_id)
        .ok_or_else(ApiError::conversation_not_found)?;
    let spec = participant_spec(body, "")?;
    Ok(member(data, conversation_id, &spec.user, None)?.id.clone())
}

fn done() -> ApiResult {
    Ok(json(StatusCode::OK, &Map::<String, Value>::new()))
}

/// `POST /_emulator/apps/{appId}/conversations/{conversationId}/user-postbacks`: the end user
/// taps a postback button. Body: `userId` or `userExternalId` (a participant), `payload`
/// (the action's payload, a string), optional `metadata` (the action's) and `source`. Sends
/// `conversation:postback`; stores nothing.
pub(crate) async fn postback(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (app, conversation_id, body) = read(&state, request).await?;
    let root = Obj::root(&body);
    let payload = root
        .string("payload", true, 0, None)?
        .expect("required")
        .to_owned();
    let metadata = root.metadata("metadata")?;
    let source = source_of(&root)?;
    let data = app.read();
    let user_id = participant(&data, &conversation_id, &body)?;
    let user = data.user(&user_id).expect("a participant's user exists");
    events::emit_conversation(
        &state,
        &data,
        &conversation_id,
        "conversation:postback",
        |view| {
            let mut postback = Map::new();
            postback.insert("payload".into(), Value::String(payload.clone()));
            if let Some(metadata) = &metadata {
                postback.insert("metadata".into(), Value::Object(metadata.clone()));
            }
            let mut extra = Map::new();
            extra.insert("postback".into(), Value::Object(postback));
            extra.insert("user".into(), events::user(user, view));
            extra.insert("source".into(), events::source(&source, Some(user), view));
            extra
        },
    );
    done()
}

/// `POST /_emulator/apps/{appId}/conversations/{conversationId}/user-activity`: the end user
/// starts or stops typing, or reads the conversation. Body: `userId` or `userExternalId`,
/// `type` (`typing:start`, `typing:stop` or `conversation:read`), optional `source`. Sends
/// `conversation:typing` or `conversation:read`; a read also sets the participant's
/// `lastRead` and clears its `unreadCount`, as `PostActivity` does.
pub(crate) async fn activity(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (app, conversation_id, body) = read(&state, request).await?;
    let root = Obj::root(&body);
    let kind = root
        .one_of(
            "type",
            true,
            &["typing:start", "typing:stop", "conversation:read"],
        )?
        .expect("required")
        .to_owned();
    let source = source_of(&root)?;
    let mut data = app.write();
    let user_id = participant(&data, &conversation_id, &body)?;
    let event = if kind == "conversation:read" {
        let now = timestamp::format_millis(timestamp::now_millis());
        let mark = state.ids.next_record_id();
        let participant = data
            .conversation_mut(&conversation_id)
            .and_then(|c| c.participant_of_mut(&user_id))
            .expect("checked by participant");
        participant.last_read = Some(now);
        participant.read_mark = Some(mark);
        "conversation:read"
    } else {
        "conversation:typing"
    };
    let user = data.user(&user_id).expect("a participant's user exists");
    events::emit_conversation(&state, &data, &conversation_id, event, |view| {
        let mut extra = Map::new();
        extra.insert(
            "activity".into(),
            events::activity(&kind, user, &source, view),
        );
        extra
    });
    done()
}

/// `POST /_emulator/apps/{appId}/conversations/{conversationId}/user-referrals`: the end user
/// arrives through a referral (an ad, a QR code). Body: `userId` or `userExternalId`,
/// `referral` (`code`, optional `details`), optional `source`. Sends
/// `conversation:referral`.
pub(crate) async fn referral(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (app, conversation_id, body) = read(&state, request).await?;
    let root = Obj::root(&body);
    let referral = root.object("referral", true)?.expect("required");
    referral.string("code", true, 1, None)?;
    referral.object("details", false)?;
    let referral = Value::Object(referral.map.clone());
    let source = source_of(&root)?;
    let data = app.read();
    let user_id = participant(&data, &conversation_id, &body)?;
    let user = data.user(&user_id).expect("a participant's user exists");
    events::emit_conversation(
        &state,
        &data,
        &conversation_id,
        "conversation:referral",
        |view| {
            let mut extra = Map::new();
            extra.insert("user".into(), events::user(user, view));
            extra.insert("source".into(), events::source(&source, Some(user), view));
            extra.insert("referral".into(), referral.clone());
            extra
        },
    );
    done()
}

/// `POST /_emulator/apps/{appId}/conversations/{conversationId}/messages/{messageId}/delivery`:
/// the channel reports on a business message. Body: `status` (`channel`: the channel accepted
/// it; `user`: it reached the user's device; `failure`: it could not be delivered), optional
/// `userId` or `userExternalId` (default: the conversation's first participant), `destination`
/// (`{"type": .., "integrationId": ..}`, default `{"type": "web"}`), `externalMessageId`,
/// `error` (`{"code", "message"}`, for `failure`; a default is used otherwise). Sends
/// `conversation:message:delivery:channel`, `:user` or `:failure`.
pub(crate) async fn delivery_report(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let message_id = path_segment(request.uri().path(), 7);
    let (app, conversation_id, body) = read(&state, request).await?;
    let root = Obj::root(&body);
    let status = root
        .one_of("status", true, &["channel", "user", "failure"])?
        .expect("required")
        .to_owned();
    let destination = match root.object("destination", false)? {
        Some(given) => {
            given.string("type", true, 1, None)?;
            given.string("integrationId", false, 1, None)?;
            Value::Object(given.map.clone())
        }
        None => serde_json::json!({"type": "web"}),
    };
    let external = root
        .string("externalMessageId", false, 1, None)?
        .map(str::to_owned);
    let error = match root.object("error", false)? {
        Some(given) if status == "failure" => {
            given.string("code", true, 1, None)?;
            given.string("message", true, 0, None)?;
            Value::Object(given.map.clone())
        }
        Some(_) => {
            return Err(ApiError::bad_request(
                "error applies only to status failure",
            ));
        }
        None => serde_json::json!({
            "code": "uncategorized_error",
            "message": "The channel could not deliver the message",
        }),
    };
    let data = app.read();
    let conversation = data
        .conversation(&conversation_id)
        .ok_or_else(ApiError::conversation_not_found)?;
    if !conversation.messages.contains_key(&message_id) {
        return Err(ApiError::not_found("not_found", "Message not found"));
    }
    let user_id = if body.contains_key("userId") || body.contains_key("userExternalId") {
        participant(&data, &conversation_id, &body)?
    } else {
        conversation
            .participants
            .values()
            .next()
            .map(|p| p.user_id.clone())
            .ok_or_else(|| {
                ApiError::bad_request("the conversation has no participant to deliver to")
            })?
    };
    let user = data.user(&user_id).expect("a participant's user exists");
    let event = match status.as_str() {
        "channel" => "conversation:message:delivery:channel",
        "user" => "conversation:message:delivery:user",
        _ => "conversation:message:delivery:failure",
    };
    events::emit_conversation(&state, &data, &conversation_id, event, |view: View| {
        let mut extra = Map::new();
        extra.insert("user".into(), events::user(user, view));
        extra.insert("destination".into(), destination.clone());
        if status == "failure" {
            extra.insert("error".into(), error.clone());
        } else {
            let id = external
                .clone()
                .unwrap_or_else(|| format!("ext-{message_id}"));
            extra.insert("externalMessages".into(), serde_json::json!([{ "id": id }]));
        }
        extra.insert("message".into(), serde_json::json!({ "id": message_id }));
        extra.insert("isFinalEvent".into(), Value::Bool(true));
        extra
    });
    done()
}

/// `POST /_emulator/apps/{appId}/conversations/{conversationId}/switchboard-failures`: a
/// switchboard action taken outside the API (by a channel or Zendesk) fails. Body: `action`
/// (`passControl`, `offerControl` or `acceptControl`), optional `error` (`{"code",
/// "message"}`, default `switchboard_invalid_target`) and `metadata`. Sends
/// `switchboard:<action>:failure`; changes nothing.
pub(crate) async fn switchboard_failure(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let (app, conversation_id, body) = read(&state, request).await?;
    let root = Obj::root(&body);
    let action = root
        .one_of(
            "action",
            true,
            &["passControl", "offerControl", "acceptControl"],
        )?
        .expect("required");
    let event = match action {
        "passControl" => "switchboard:passControl:failure",
        "offerControl" => "switchboard:offerControl:failure",
        _ => "switchboard:acceptControl:failure",
    };
    let error = match root.object("error", false)? {
        Some(given) => {
            given.string("code", true, 1, None)?;
            given.string("message", true, 0, None)?;
            Value::Object(given.map.clone())
        }
        None => serde_json::json!({
            "code": "switchboard_invalid_target",
            "message": "Switchboard invalid target",
        }),
    };
    let metadata = root.metadata("metadata")?;
    let data = app.read();
    data.conversation(&conversation_id)
        .ok_or_else(ApiError::conversation_not_found)?;
    events::emit_conversation(&state, &data, &conversation_id, event, |_| {
        let mut extra = Map::new();
        extra.insert("error".into(), error.clone());
        if let Some(metadata) = &metadata {
            extra.insert("metadata".into(), Value::Object(metadata.clone()));
        }
        extra
    });
    done()
}
