//! The Activities API: typing indicators and read receipts.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde_json::{Map, Value};

use crate::content::{self, Obj};
use crate::error::{ApiError, ApiResult, json};
use crate::messages::member;
use crate::query::path_segment;
use crate::state::Shared;
use crate::{body, events, timestamp, validate};

/// The activity types of the spec's `activityTypes`.
const TYPES: [&str; 3] = ["conversation:read", "typing:start", "typing:stop"];

/// `POST /v2/apps/{appId}/conversations/{conversationId}/activity` (`activityPost`).
///
/// `author` (as for messages) and `type` are required. A `user` author must take part in the
/// conversation and may only send `conversation:read`, which sets its participant's `lastRead`
/// to now and its `unreadCount` to 0; from a `business` author it sets the conversation's
/// `businessLastRead`. Typing activities change nothing stored. Answers 200 `{}`.
pub(crate) async fn post(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app = state.authorize(&parts.headers, &path_segment(path, 3))?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    let author = content::author(body.get("author"))?;
    let kind = Obj::root(&body)
        .one_of("type", true, &TYPES)?
        .expect("required");
    if author.user.is_some() && kind != "conversation:read" {
        return Err(ApiError::bad_request(
            "If the author type is user, only conversation:read is supported",
        ));
    }

    let conversation_id = path_segment(path, 5);
    let mut data = app.write();
    data.conversation(&conversation_id)
        .ok_or_else(ApiError::conversation_not_found)?;
    let user_id = match &author.user {
        Some(user) => Some(
            member(&data, &conversation_id, user, author.brand.as_deref())?
                .id
                .clone(),
        ),
        None => None,
    };
    if kind == "conversation:read" {
        let now = timestamp::format_millis(timestamp::now_millis());
        // A fresh id sorts after every message so far and before every later one.
        let mark = state.ids.next_record_id();
        let conversation = data
            .conversation_mut(&conversation_id)
            .expect("checked above");
        match user_id {
            Some(user_id) => {
                let participant = conversation
                    .participant_of_mut(&user_id)
                    .expect("checked by member");
                participant.last_read = Some(now);
                participant.read_mark = Some(mark);
                let user = data.user(&user_id).expect("checked by member");
                let mut source = Map::new();
                source.insert("type".into(), Value::String("api:conversations".into()));
                events::emit_conversation(
                    &state,
                    &data,
                    &conversation_id,
                    "conversation:read",
                    |view| {
                        let mut extra = Map::new();
                        extra.insert(
                            "activity".into(),
                            events::activity("conversation:read", user, &source, view),
                        );
                        extra
                    },
                );
            }
            None => conversation.business_last_read = Some(now),
        }
    }
    Ok(json(StatusCode::OK, &Map::<String, Value>::new()))
}
