//! Webhook events: which webhooks want an event, and the parts of its payload (the spec's
//! `conversationTruncated`, `userTruncated` or full `user`, `authorWebhook`, `sourceWebhook`).
//!
//! Handlers call [`emit`] while they still hold the app's write lock, right after the change
//! that causes the event, so events are queued in the order the changes happened.

use serde_json::{Map, Value, json};

use crate::delivery::Job;
use crate::state::Shared;
use crate::store::{AppData, Conversation, Message, User};
use crate::timestamp;

/// What a webhook asked to see in its payloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct View {
    /// `includeFullUser`: the whole user (profile, metadata, identities) instead of its ids.
    pub(crate) full_user: bool,
    /// `includeFullSource`: the client (and device) a user wrote from, in `source`.
    pub(crate) full_source: bool,
}

impl View {
    /// Ids only, whatever the webhook asked (for payloads whose schema is `userTruncated`).
    pub(crate) const TRUNCATED: View = View {
        full_user: false,
        full_source: false,
    };
}

/// True when some webhook of the app subscribes to `kind` (so a caller can skip building a
/// payload nobody wants).
pub(crate) fn wanted(data: &AppData, kind: &str) -> bool {
    data.integrations()
        .flat_map(|i| i.webhooks.values())
        .any(|w| w.triggers.iter().any(|t| t == kind))
}

/// Queues event `kind` for every webhook of the app that subscribes to it; `key` is the
/// conversation (or user) whose events keep their order. `payload` builds the event's
/// `payload` for a webhook's [`View`] (at most once per distinct view). Never waits.
pub(crate) fn emit(
    state: &Shared,
    data: &AppData,
    key: &str,
    kind: &'static str,
    payload: impl Fn(View) -> Value,
) {
    emit_except(state, data, key, kind, &[], payload);
}

/// [`emit`], except to the webhooks of the integrations `skipped`.
fn emit_except(
    state: &Shared,
    data: &AppData,
    key: &str,
    kind: &'static str,
    skipped: &[&str],
    payload: impl Fn(View) -> Value,
) {
    let mut built: [Option<Value>; 4] = Default::default();
    let mut event_id = None;
    for integration in data.integrations() {
        if skipped.contains(&integration.id.as_str()) {
            continue;
        }
        for webhook in integration.webhooks.values() {
            if !webhook.triggers.iter().any(|t| t == kind) {
                continue;
            }
            let view = View {
                full_user: webhook.include_full_user,
                full_source: webhook.include_full_source,
            };
            let slot = usize::from(view.full_user) * 2 + usize::from(view.full_source);
            let payload = built[slot].get_or_insert_with(|| payload(view));
            let (id, created_at) = event_id.get_or_insert_with(|| {
                (
                    state.ids.next_record_id(),
                    timestamp::format_millis(timestamp::now_millis()),
                )
            });
            let body = json!({
                "app": {"id": data.app.id},
                "webhook": {"id": webhook.id, "version": webhook.version},
                "events": [{
                    "id": id,
                    "createdAt": created_at,
                    "type": kind,
                    "payload": payload,
                }],
            });
            state.delivery.enqueue(Job {
                webhook_id: webhook.id.clone(),
                target: webhook.target.clone(),
                secret: webhook.secret.clone(),
                key: key.to_owned(),
                event_id: id.clone(),
                event_type: kind,
                body: serde_json::to_vec(&body)
                    .expect("JSON values serialise")
                    .into(),
            });
        }
    }
}

/// A conversation as webhooks show it (the spec's `conversationTruncated`).
pub(crate) fn conversation(c: &Conversation) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), Value::String(c.id.clone()));
    out.insert("type".into(), json!(c.kind));
    if let Some(metadata) = &c.metadata {
        out.insert("metadata".into(), Value::Object(metadata.clone()));
    }
    if let Some(active) = &c.active_switchboard_integration {
        out.insert("activeSwitchboardIntegration".into(), json!(active));
    }
    if let Some(pending) = &c.pending_switchboard_integration {
        out.insert("pendingSwitchboardIntegration".into(), json!(pending));
    }
    Value::Object(out)
}

/// A user as webhooks show it: the whole user with `includeFullUser`, else its ids
/// (`userTruncated`).
pub(crate) fn user(u: &User, view: View) -> Value {
    let mut out = if view.full_user {
        match serde_json::to_value(u) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    } else {
        let mut out = Map::new();
        out.insert("id".into(), Value::String(u.id.clone()));
        for (key, value) in [
            ("externalId", &u.external_id),
            ("zendeskId", &u.zendesk_id),
            ("brandId", &u.brand_id),
        ] {
            if let Some(value) = value {
                out.insert(key.into(), Value::String(value.clone()));
            }
        }
        out
    };
    out.insert(
        "authenticated".into(),
        Value::Bool(u.authenticated.unwrap_or(false)),
    );
    Value::Object(out)
}

/// A `source` as webhooks show it: as stored, plus (with `includeFullSource`) the user's
/// client on that channel, the most recently created when there are several.
pub(crate) fn source(source: &Map<String, Value>, u: Option<&User>, view: View) -> Value {
    let mut out = source.clone();
    if view.full_source
        && let Some(u) = u
    {
        let kind = source.get("type").and_then(Value::as_str);
        let integration = source.get("integrationId").and_then(Value::as_str);
        let client = u
            .clients
            .values()
            .rev()
            .find(|c| {
                integration.is_some_and(|i| c.integration_id.as_deref() == Some(i))
                    || Some(c.kind.as_str()) == kind
            })
            .or_else(|| u.clients.values().next_back());
        if let Some(client) = client {
            out.insert("client".into(), json!(client));
        }
    }
    Value::Object(out)
}

/// A message as webhooks show it (the spec's `messageWebhook`): a user author carries its
/// `user`.
pub(crate) fn message(m: &Message, author: Option<&User>, view: View) -> Value {
    let mut out = match serde_json::to_value(m) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    if let Some(u) = author
        && let Some(Value::Object(a)) = out.get_mut("author")
    {
        a.insert("user".into(), user(u, view));
    }
    out.insert("source".into(), source(&m.source, author, view));
    Value::Object(out)
}

/// An end user's activity (`typing:start`, `typing:stop`, `conversation:read`) as webhooks
/// show it (the spec's `activity`).
pub(crate) fn activity(kind: &str, u: &User, source_map: &Map<String, Value>, view: View) -> Value {
    json!({
        "type": kind,
        "author": {"type": "user", "userId": u.id, "user": user(u, view)},
        "source": source(source_map, Some(u), view),
    })
}

/// `{"type": "web"}`: the channel an end user acts on when nothing else is said.
pub(crate) fn default_source() -> Map<String, Value> {
    let mut source = Map::new();
    source.insert("type".into(), Value::String("web".into()));
    source
}

/// Queues `kind` with payload `{"conversation": ..}` plus `extra` for conversation
/// `conversation_id` (nothing when it does not exist or nobody subscribes).
pub(crate) fn emit_conversation(
    state: &Shared,
    data: &AppData,
    conversation_id: &str,
    kind: &'static str,
    extra: impl Fn(View) -> Map<String, Value>,
) {
    if !wanted(data, kind) {
        return;
    }
    let Some(c) = data.conversation(conversation_id) else {
        return;
    };
    let shown = conversation(c);
    let standby = standby_only(data, c, kind);
    emit_except(state, data, conversation_id, kind, &standby, |view| {
        let mut payload = Map::new();
        payload.insert("conversation".into(), shown.clone());
        payload.extend(extra(view));
        Value::Object(payload)
    });
}

/// The events the real service sends only to the switchboard integration in control, and to
/// the others that ask for standby events.
const STANDBY_EVENTS: [&str; 4] = [
    "conversation:message",
    "conversation:postback",
    "conversation:typing",
    "conversation:read",
];

/// The integrations that must not get `kind` in conversation `c`: with an enabled switchboard,
/// those of its switchboard integrations not in control whose `deliverStandbyEvents` is false.
fn standby_only<'a>(data: &'a AppData, c: &Conversation, kind: &str) -> Vec<&'a str> {
    let Some(switchboard) = data.switchboard.as_ref().filter(|s| s.enabled) else {
        return Vec::new();
    };
    if !STANDBY_EVENTS.contains(&kind) {
        return Vec::new();
    }
    let active = c
        .active_switchboard_integration
        .as_ref()
        .map(|a| a.id.as_str());
    switchboard
        .integrations
        .values()
        .filter(|s| !s.deliver_standby_events && Some(s.id.as_str()) != active)
        .map(|s| s.integration_id.as_str())
        .collect()
}

/// Queues `conversation:message` for message `m` of conversation `conversation_id`.
pub(crate) fn emit_message(state: &Shared, data: &AppData, conversation_id: &str, m: &Message) {
    if !wanted(data, "conversation:message") {
        return;
    }
    let author = m.author_user().and_then(|id| data.user(id));
    emit_conversation(
        state,
        data,
        conversation_id,
        "conversation:message",
        |view| {
            let mut extra = Map::new();
            extra.insert("message".into(), message(m, author, view));
            extra
        },
    );
}

/// Queues `client:add`, `client:update` or `client:remove` for client `client_id` of user
/// `user_id`, with `reason`; in order with the events of the conversation the client was
/// linked for, if any, else with the user's.
pub(crate) fn emit_client(
    state: &Shared,
    data: &AppData,
    user_id: &str,
    client: &crate::store::Client,
    kind: &'static str,
    reason: &'static str,
) {
    let Some(u) = data.user(user_id) else {
        return;
    };
    let conversation_shown = client
        .target_conversation
        .as_ref()
        .and_then(|(id, _)| data.conversation(id))
        .map(conversation);
    let key = client
        .target_conversation
        .as_ref()
        .map_or(user_id, |(id, _)| id.as_str());
    emit(state, data, key, kind, |_| {
        let mut payload = Map::new();
        if let Some(shown) = &conversation_shown {
            payload.insert("conversation".into(), shown.clone());
        }
        payload.insert("user".into(), user(u, View::TRUNCATED));
        payload.insert("client".into(), json!(client));
        payload.insert("reason".into(), Value::String(reason.into()));
        Value::Object(payload)
    });
}
