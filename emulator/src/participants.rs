//! The Participants API: join and leave a conversation, list its participants.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::content::Obj;
use crate::conversations::{self, MAX_PARTICIPANTS, UserRef, new_participant};
use crate::error::{ApiError, ApiResult, json};
use crate::messages::not_a_member;
use crate::pages::{self, Links, Meta};
use crate::query::{self, path_segment, percent_encode};
use crate::state::Shared;
use crate::store::{self, ClientAssociation, ConversationType, Cursor, ParticipantView};
use crate::{body, events, validate};

/// Default `page[size]` of `ListParticipants`.
const DEFAULT_PAGE: usize = 25;

#[derive(Serialize)]
struct ParticipantBody<'a> {
    participant: ParticipantView<'a>,
}

/// `POST /v2/apps/{appId}/conversations/{conversationId}/join` (`participantJoinBody`).
///
/// Exactly one of `userId` or `userExternalId`; `subscribeSDKClient: true` subscribes the
/// user's SDK client (created if the user has none). Only `sdkGroup` conversations take new
/// participants, at most 10 in all (400 `Too many participants`). A user who already takes part
/// gets its participant back (subscribed, if asked). Answers 201 `{participant}`.
pub(crate) async fn join(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app = state.authorize(&parts.headers, &path_segment(path, 3))?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    let spec = conversations::participant_spec(&body, "")?;
    let subscribe = spec.subscribe_sdk_client == Some(true);

    let conversation_id = path_segment(path, 5);
    let mut data = app.write();
    let conversation = data
        .conversation(&conversation_id)
        .ok_or_else(ApiError::conversation_not_found)?;
    let (kind, count) = (conversation.kind, conversation.participants.len());
    let user_id = spec
        .user
        .find(&data)
        .ok_or_else(ApiError::user_not_found)?
        .id
        .clone();
    if kind == ConversationType::Personal {
        return Err(ApiError::bad_request(format!(
            "Only sdkGroup conversations can be joined: conversation {conversation_id} is personal"
        )));
    }
    let existing = data
        .conversation(&conversation_id)
        .and_then(|c| c.participant_of(&user_id))
        .map(|p| {
            let subscribed = p.client_associations.iter().any(|a| a.kind == "sdk");
            (p.id.clone(), subscribed)
        });
    let participant_id = match existing {
        Some((id, subscribed)) => {
            if subscribe && !subscribed {
                let client_id = data
                    .sdk_client(&user_id, || state.ids.next_record_id())
                    .expect("the user exists");
                let conversation = data.conversation_mut(&conversation_id).expect("found");
                let participant = conversation.participants.get_mut(&id).expect("found");
                participant.client_associations.insert(
                    0,
                    ClientAssociation {
                        kind: "sdk".into(),
                        client_id,
                    },
                );
            }
            id
        }
        None if count >= MAX_PARTICIPANTS => {
            return Err(ApiError::bad_request(format!(
                "Too many participants: an sdkGroup conversation has at most {MAX_PARTICIPANTS}"
            )));
        }
        None => {
            let participant = new_participant(&state, &mut data, &user_id, subscribe);
            let id = participant.id.clone();
            data.add_participant(&conversation_id, participant);
            emit_membership(
                &state,
                &data,
                &conversation_id,
                &user_id,
                "conversation:join",
            );
            id
        }
    };
    let conversation = data.conversation(&conversation_id).expect("found");
    let participant = &conversation.participants[&participant_id];
    Ok(json(
        StatusCode::CREATED,
        &ParticipantBody {
            participant: data.participant_view(conversation, participant),
        },
    ))
}

/// Queues `conversation:join` or `conversation:leave` for user `user_id`.
fn emit_membership(
    state: &Shared,
    data: &store::AppData,
    conversation_id: &str,
    user_id: &str,
    kind: &'static str,
) {
    let Some(user) = data.user(user_id) else {
        return;
    };
    events::emit_conversation(state, data, conversation_id, kind, |view| {
        let mut extra = Map::new();
        extra.insert("user".into(), events::user(user, view));
        extra
    });
}

/// Who a leave body names (the spec's `participantLeaveBody`, one of three shapes).
enum Leaver {
    User(UserRef),
    Participant(String),
}

/// `POST /v2/apps/{appId}/conversations/{conversationId}/leave` (`participantLeaveBody`).
///
/// Exactly one of `userId`, `userExternalId` or `participantId`. 404 `user_not_found` for an
/// unknown user, `not_found` ("User is not a member of the conversation") when the user or
/// participant does not take part; a `personal` conversation keeps its participant (400).
/// Answers 200 `{}`.
pub(crate) async fn leave(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app = state.authorize(&parts.headers, &path_segment(path, 3))?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    let root = Obj::root(&body);
    let given: Vec<(&str, &str)> = ["userId", "userExternalId", "participantId"]
        .into_iter()
        .map(|key| Ok(root.string(key, false, 0, None)?.map(|v| (key, v))))
        .collect::<Result<Vec<_>, ApiError>>()?
        .into_iter()
        .flatten()
        .collect();
    let leaver = match given.as_slice() {
        [("userId", id)] => Leaver::User(UserRef::Id((*id).to_owned())),
        [("userExternalId", ext)] => Leaver::User(UserRef::ExternalId((*ext).to_owned())),
        [(_, participant)] => Leaver::Participant((*participant).to_owned()),
        _ => {
            return Err(ApiError::bad_request(
                "body must have exactly one of userId, userExternalId or participantId",
            ));
        }
    };

    let conversation_id = path_segment(path, 5);
    let mut data = app.write();
    let conversation = data
        .conversation(&conversation_id)
        .ok_or_else(ApiError::conversation_not_found)?;
    let participant_id = match &leaver {
        Leaver::User(user) => {
            let user = user.find(&data).ok_or_else(ApiError::user_not_found)?;
            conversation
                .participant_of(&user.id)
                .ok_or_else(not_a_member)?
                .id
                .clone()
        }
        Leaver::Participant(id) => conversation
            .participants
            .get(id)
            .ok_or_else(not_a_member)?
            .id
            .clone(),
    };
    if conversation.kind == ConversationType::Personal {
        return Err(ApiError::bad_request(format!(
            "Only sdkGroup conversations can be left: conversation {conversation_id} is personal"
        )));
    }
    let user_id = conversation.participants[&participant_id].user_id.clone();
    data.remove_participant(&conversation_id, &participant_id);
    emit_membership(
        &state,
        &data,
        &conversation_id,
        &user_id,
        "conversation:leave",
    );
    Ok(json(StatusCode::OK, &Map::<String, Value>::new()))
}

#[derive(Serialize)]
struct ListBody<'a> {
    participants: Vec<ParticipantView<'a>>,
    meta: Meta,
    links: Links,
}

/// `GET /v2/apps/{appId}/conversations/{conversationId}/participants`, paged by
/// `page[after]` / `page[before]` / `page[size]` (1 to 100, default 25), in joining order.
pub(crate) async fn list(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let headers = request.headers();
    let path = request.uri().path();
    let app_id = path_segment(path, 3);
    let app = state.authorize(headers, &app_id)?;
    let page_query = pages::parse(&query::pairs(request.uri().query().unwrap_or("")), true)?;
    let size = page_query.size.unwrap_or(DEFAULT_PAGE);
    let conversation_id = path_segment(path, 5);

    let data = app.read();
    let conversation = data
        .conversation(&conversation_id)
        .ok_or_else(ApiError::conversation_not_found)?;
    let cursor = page_query.cursor(Cursor::First);
    let page = store::page(&conversation.participants, cursor, size);
    let base = format!(
        "{}/v2/apps/{}/conversations/{}/participants",
        pages::origin(headers, &state),
        percent_encode(&app_id),
        percent_encode(&conversation_id),
    );
    let (meta, links) = pages::meta_and_links(&page, cursor, &base, Some(size));
    let participants = page
        .ids
        .iter()
        .filter_map(|id| conversation.participants.get(id))
        .map(|p| data.participant_view(conversation, p))
        .collect();
    Ok(json(
        StatusCode::OK,
        &ListBody {
            participants,
            meta,
            links,
        },
    ))
}
