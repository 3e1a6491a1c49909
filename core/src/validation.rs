//! The API's limits, checked before anything is sent. Each failure names the field and the rule.

use crate::error::{Error, Result};
use crate::models::{
    ConversationType, CreateConversation, DownloadMessageRef, ListConversations, Metadata,
    Participant, UpdateConversation,
};
use crate::patch::Patch;

/// Most participants a conversation may be created with.
pub const MAX_PARTICIPANTS: usize = 10;
/// Length bounds (in characters) of `displayName` and `description`.
pub const TEXT_MAX_CHARS: usize = 100;
/// Longest `iconUrl`, in characters.
pub const ICON_URL_MAX_CHARS: usize = 2048;
/// Largest metadata object, in bytes of JSON.
pub const METADATA_MAX_BYTES: usize = 4096;
/// Largest JSON request body, in bytes.
pub const BODY_MAX_BYTES: usize = 100 * 1024;
/// Length of a page cursor (a record id).
pub const CURSOR_LEN: usize = 24;
/// Longest id (app, conversation, user id or external id) that goes into a URL, in bytes of UTF-8.
/// Longer ones cannot form a valid URL once percent-encoded, so they are refused before sending.
pub const ID_MAX_BYTES: usize = 1024;
/// Bounds of `page[size]`.
pub const PAGE_SIZE_RANGE: std::ops::RangeInclusive<u32> = 1..=100;

fn fail<T>(field: impl Into<String>, rule: impl Into<String>) -> Result<T> {
    Err(Error::validation(field, rule))
}

/// A path segment (app id, conversation id): non-empty, not a dot segment.
pub(crate) fn path_id(field: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return fail(field, "must not be empty");
    }
    if value == "." || value == ".." {
        return fail(field, "must not be `.` or `..`");
    }
    url_value(field, value)
}

/// A value that travels in the URL (a path id or a filter): short enough to form a valid URL.
pub(crate) fn url_value(field: &str, value: &str) -> Result<()> {
    if value.len() > ID_MAX_BYTES {
        return fail(
            field,
            format!(
                "must be at most {ID_MAX_BYTES} bytes (got {}): longer values cannot be sent in a URL",
                value.len()
            ),
        );
    }
    Ok(())
}

fn text(field: &str, value: &str) -> Result<()> {
    let n = value.chars().count();
    if !(1..=TEXT_MAX_CHARS).contains(&n) {
        return fail(
            field,
            format!("must be 1 to {TEXT_MAX_CHARS} characters long (got {n})"),
        );
    }
    Ok(())
}

fn icon_url(value: &str) -> Result<()> {
    let n = value.chars().count();
    if !(1..=ICON_URL_MAX_CHARS).contains(&n) {
        return fail(
            "iconUrl",
            format!("must be 1 to {ICON_URL_MAX_CHARS} characters long (got {n})"),
        );
    }
    match url::Url::parse(value) {
        Ok(u) if u.has_host() || !u.cannot_be_a_base() => Ok(()),
        _ => fail(
            "iconUrl",
            "must be an absolute URI such as https://example.com/icon.png",
        ),
    }
}

fn metadata(value: &Metadata) -> Result<()> {
    // Values are typed as string / number / boolean, so flatness holds by construction.
    within_metadata_limit("metadata", value)
}

/// Metadata is at most [`METADATA_MAX_BYTES`] as JSON.
fn within_metadata_limit(field: &str, value: &impl serde::Serialize) -> Result<()> {
    let size = serde_json::to_vec(value)
        .map(|v| v.len())
        .unwrap_or(usize::MAX);
    if size > METADATA_MAX_BYTES {
        return fail(
            field,
            format!("must be at most {METADATA_MAX_BYTES} bytes as JSON (got {size})"),
        );
    }
    Ok(())
}

/// Metadata given as JSON: a flat object of strings, numbers and booleans, at most
/// 4 KB as JSON. `field` names it (`metadata`, `content.actions[0].metadata`).
pub(crate) fn flat_metadata(
    field: &str,
    entries: &serde_json::Map<String, serde_json::Value>,
) -> Result<()> {
    use serde_json::Value;
    for (key, value) in entries {
        if matches!(value, Value::Object(_) | Value::Array(_) | Value::Null) {
            return fail(
                format!("{field}.{key}"),
                "metadata values must be strings, numbers or booleans (metadata is flat)",
            );
        }
    }
    within_metadata_limit(field, entries)
}

/// A switchboard integration's name: letters, digits, `-` and `_` only (it is how control
/// is passed by name).
pub(crate) fn switchboard_name(field: &str, name: &str) -> Result<()> {
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return fail(
            field,
            format!("may use only letters, digits, '-' and '_' (got {c:?})"),
        );
    }
    Ok(())
}

/// Exactly one of `userId` / `userExternalId`, non-empty (filters and participants).
pub(crate) fn exactly_one_user(
    field: &str,
    id: &Option<String>,
    external: &Option<String>,
) -> Result<()> {
    match (id, external) {
        (Some(_), Some(_)) => fail(field, "give userId or userExternalId, not both"),
        (None, None) => fail(field, "exactly one of userId or userExternalId is required"),
        (Some(v), None) if v.is_empty() => fail(format!("{field}.userId"), "must not be empty"),
        (None, Some(v)) if v.is_empty() => {
            fail(format!("{field}.userExternalId"), "must not be empty")
        }
        _ => Ok(()),
    }
}

fn participant(index: usize, p: &Participant) -> Result<()> {
    exactly_one_user(
        &format!("participants[{index}]"),
        &p.user_id,
        &p.user_external_id,
    )
}

/// Checks a `createConversation` body.
pub fn create(body: &CreateConversation) -> Result<()> {
    if let ConversationType::Unknown(t) = &body.kind {
        return fail(
            "type",
            format!("must be `personal` or `sdkGroup` (got {t:?})"),
        );
    }
    if body.participants.len() > MAX_PARTICIPANTS {
        return fail(
            "participants",
            format!(
                "at most {MAX_PARTICIPANTS} participants are allowed (got {})",
                body.participants.len()
            ),
        );
    }
    if body.kind == ConversationType::Personal && body.participants.len() != 1 {
        return fail(
            "participants",
            format!(
                "a personal conversation needs exactly 1 participant (got {})",
                body.participants.len()
            ),
        );
    }
    for (i, p) in body.participants.iter().enumerate() {
        participant(i, p)?;
    }
    if let Some(v) = &body.display_name {
        text("displayName", v)?;
    }
    if let Some(v) = &body.description {
        text("description", v)?;
    }
    if let Some(v) = &body.icon_url {
        icon_url(v)?;
    }
    if let Some(v) = &body.metadata {
        metadata(v)?;
    }
    Ok(())
}

/// Checks an `updateConversation` body. `Clear` is always allowed.
pub fn update(body: &UpdateConversation) -> Result<()> {
    if let Patch::Set(v) = &body.display_name {
        text("displayName", v)?;
    }
    if let Patch::Set(v) = &body.description {
        text("description", v)?;
    }
    if let Patch::Set(v) = &body.icon_url {
        icon_url(v)?;
    }
    if let Patch::Set(v) = &body.metadata {
        metadata(v)?;
    }
    Ok(())
}

/// Checks the parameters of `listConversations`.
pub fn list(params: &ListConversations) -> Result<()> {
    exactly_one_user(
        "filter",
        &params.filter.user_id,
        &params.filter.user_external_id,
    )?;
    for (field, value) in [
        ("filter.userId", &params.filter.user_id),
        ("filter.userExternalId", &params.filter.user_external_id),
    ] {
        if let Some(v) = value {
            url_value(field, v)?;
        }
    }
    let page = &params.page;
    page_rules(
        page.after.as_deref(),
        page.before.as_deref(),
        page.size.map(i64::from),
    )
}

/// The `page` rules of every cursor-paginated list: at most one of `after` / `before`, each
/// a record id of 24 characters, and a size from 1 to 100.
pub(crate) fn page_rules(
    after: Option<&str>,
    before: Option<&str>,
    size: Option<i64>,
) -> Result<()> {
    if after.is_some() && before.is_some() {
        return fail("page", "give at most one of after or before");
    }
    for (field, cursor) in [("page.after", after), ("page.before", before)] {
        if let Some(c) = cursor {
            let n = c.chars().count();
            if n != CURSOR_LEN {
                return fail(
                    field,
                    format!("a cursor is a record id of {CURSOR_LEN} characters (got {n})"),
                );
            }
        }
    }
    if let Some(size) = size
        && !(i64::from(*PAGE_SIZE_RANGE.start())..=i64::from(*PAGE_SIZE_RANGE.end()))
            .contains(&size)
    {
        return fail(
            "page.size",
            format!(
                "must be between {} and {} (got {size})",
                PAGE_SIZE_RANGE.start(),
                PAGE_SIZE_RANGE.end()
            ),
        );
    }
    Ok(())
}

/// Checks a `downloadMessageRef` body.
pub fn download(body: &DownloadMessageRef) -> Result<()> {
    if body.user_id.is_empty() {
        return fail("userId", "must not be empty");
    }
    Ok(())
}

/// Checks the size of a serialised JSON body.
pub(crate) fn body_size(bytes: &[u8]) -> Result<()> {
    if bytes.len() > BODY_MAX_BYTES {
        return fail(
            "body",
            format!(
                "the JSON body must be at most {BODY_MAX_BYTES} bytes (got {})",
                bytes.len()
            ),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::MetadataValue;

    fn field_of(r: Result<()>) -> String {
        match r {
            Err(Error::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn create_rules() {
        let ok = CreateConversation::personal(Participant::user_external_id("a"));
        assert!(create(&ok).is_ok());
        assert_eq!(
            field_of(create(&CreateConversation::new(ConversationType::Personal))),
            "participants"
        );
        let mut group = CreateConversation::sdk_group();
        for i in 0..11 {
            group = group.participant(Participant::user_id(format!("u{i}")));
        }
        assert_eq!(field_of(create(&group)), "participants");
        let both = CreateConversation::sdk_group().participant(Participant {
            user_id: Some("a".into()),
            user_external_id: Some("b".into()),
            subscribe_sdk_client: None,
        });
        assert_eq!(field_of(create(&both)), "participants[0]");
        let neither = CreateConversation::sdk_group()
            .participant(Participant::user_id("x"))
            .participant(Participant::default());
        assert_eq!(field_of(create(&neither)), "participants[1]");
        assert_eq!(
            field_of(create(&ok.clone().display_name(""))),
            "displayName"
        );
        assert_eq!(
            field_of(create(&ok.clone().description("x".repeat(101)))),
            "description"
        );
        assert!(create(&ok.clone().description("é".repeat(100))).is_ok());
        assert_eq!(
            field_of(create(&ok.clone().icon_url("not a url"))),
            "iconUrl"
        );
        let long = format!("https://e.com/{}", "a".repeat(2040));
        assert_eq!(field_of(create(&ok.clone().icon_url(long))), "iconUrl");
        assert!(create(&ok.clone().icon_url("https://e.com/i.png")).is_ok());
        let big = ok
            .clone()
            .metadata_entry("k", MetadataValue::from("v".repeat(4100)));
        assert_eq!(field_of(create(&big)), "metadata");
        let unknown = CreateConversation::new(ConversationType::Unknown("x".into()));
        assert_eq!(field_of(create(&unknown)), "type");
    }

    #[test]
    fn update_rules() {
        assert!(update(&UpdateConversation::new().display_name(Patch::Clear)).is_ok());
        assert_eq!(
            field_of(update(&UpdateConversation::new().display_name(""))),
            "displayName"
        );
        assert_eq!(
            field_of(update(&UpdateConversation::new().icon_url("nope"))),
            "iconUrl"
        );
    }

    #[test]
    fn list_rules() {
        assert!(list(&ListConversations::user_id("u").size(100)).is_ok());
        assert_eq!(field_of(list(&ListConversations::default())), "filter");
        let mut both = ListConversations::user_id("u");
        both.filter.user_external_id = Some("e".into());
        assert_eq!(field_of(list(&both)), "filter");
        assert_eq!(
            field_of(list(&ListConversations::user_id("u").size(0))),
            "page.size"
        );
        assert_eq!(
            field_of(list(&ListConversations::user_id("u").size(101))),
            "page.size"
        );
        assert_eq!(
            field_of(list(&ListConversations::user_id("u").after("short"))),
            "page.after"
        );
        let c = "a".repeat(24);
        assert_eq!(
            field_of(list(
                &ListConversations::user_id("u").after(c.clone()).before(c)
            )),
            "page"
        );
    }

    #[test]
    fn ids_and_body() {
        assert_eq!(field_of(path_id("appId", "")), "appId");
        assert_eq!(field_of(path_id("conversationId", "..")), "conversationId");
        assert!(path_id("conversationId", "../x").is_ok());
        assert!(body_size(&vec![b'a'; BODY_MAX_BYTES]).is_ok());
        assert_eq!(field_of(body_size(&vec![b'a'; BODY_MAX_BYTES + 1])), "body");
    }
}
