//! Webhooks: where an integration wants events sent (`target`), which ones (`triggers`), and the
//! secret sent with them. Created with a custom integration or through the Webhooks API.

use serde::Serialize;

use crate::content::Obj;
use crate::error::ApiError;
use crate::state::Shared;
use crate::validate;

/// Most webhooks an app holds, across its integrations.
pub(crate) const MAX_PER_APP: usize = 10;

/// The triggers of the spec's Webhook Triggers table.
pub(crate) const TRIGGERS: [&str; 26] = [
    "client:add",
    "client:remove",
    "client:update",
    "conversation:create",
    "conversation:join",
    "conversation:leave",
    "conversation:remove",
    "conversation:message",
    "conversation:message:delivery:channel",
    "conversation:message:delivery:failure",
    "conversation:message:delivery:user",
    "conversation:postback",
    "conversation:read",
    "conversation:referral",
    "passthrough:messaging",
    "conversation:typing",
    "switchboard:acceptControl",
    "switchboard:acceptControl:failure",
    "switchboard:offerControl",
    "switchboard:offerControl:failure",
    "switchboard:passControl",
    "switchboard:passControl:failure",
    "switchboard:releaseControl",
    "user:merge",
    "user:update",
    "user:remove",
];

/// A webhook (the spec's `webhook`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Webhook {
    pub(crate) id: String,
    pub(crate) version: &'static str,
    pub(crate) target: String,
    pub(crate) triggers: Vec<String>,
    pub(crate) secret: String,
    pub(crate) include_full_user: bool,
    pub(crate) include_full_source: bool,
}

/// A `target`: an absolute `http` or `https` URL.
fn target(o: &Obj<'_>, required: bool) -> Result<Option<String>, ApiError> {
    let Some(target) = o.string("target", required, 1, None)? else {
        return Ok(None);
    };
    let scheme = target
        .split_once("://")
        .map(|(s, _)| s.to_ascii_lowercase());
    if !validate::is_absolute_uri(target) || !matches!(scheme.as_deref(), Some("http" | "https")) {
        return Err(ApiError::bad_request(format!(
            "{} must be an http or https URL",
            o.name("target")
        )));
    }
    Ok(Some(target.to_owned()))
}

/// `triggers`: at least one, each a trigger of the spec's table (case sensitive).
fn triggers(o: &Obj<'_>, required: bool) -> Result<Option<Vec<String>>, ApiError> {
    let Some(items) = o.array("triggers", required, 1, None)? else {
        return Ok(None);
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item.as_str() {
            Some(t) if TRIGGERS.contains(&t) => Ok(t.to_owned()),
            Some(t) => Err(ApiError::bad_request(format!(
                "{}[{i}] {t:?} is not a webhook trigger (they are case sensitive, e.g. conversation:message)",
                o.name("triggers")
            ))),
            None => Err(ApiError::bad_request(format!(
                "{}[{i}] must be a string",
                o.name("triggers")
            ))),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// A new webhook from a `webhookCreateBody` (`target` and `triggers` required,
/// `includeFullUser` and `includeFullSource` false by default), with a fresh id and secret.
pub(crate) fn create(state: &Shared, o: &Obj<'_>) -> Result<Webhook, ApiError> {
    let target = target(o, true)?.expect("required");
    let triggers = triggers(o, true)?.expect("required");
    let include_full_user = o.boolean("includeFullUser")?.unwrap_or(false);
    let include_full_source = o.boolean("includeFullSource")?.unwrap_or(false);
    Ok(Webhook {
        id: state.ids.next_record_id(),
        version: "v2",
        target,
        triggers,
        secret: state.ids.next_hex_secret(),
        include_full_user,
        include_full_source,
    })
}

/// 400 when an app holding `count` webhooks cannot take `adding` more.
pub(crate) fn check_room(count: usize, adding: usize) -> Result<(), ApiError> {
    if count + adding > MAX_PER_APP {
        return Err(ApiError::bad_request(format!(
            "An app is limited to {MAX_PER_APP} webhooks"
        )));
    }
    Ok(())
}
