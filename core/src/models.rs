//! Wire models of the Conversations API, written from the official OpenAPI spec.
//!
//! Responses keep fields this crate does not know yet in `extra`, and unknown
//! enum values decode to an `Unknown` variant, so a newer server never breaks
//! an older client and nothing is lost on a round trip.

use serde::de::Deserializer;
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::patch::Patch;

/// Fields of an object that this crate has no typed slot for, kept verbatim.
pub type Extra = Map<String, Value>;

/// Conversation metadata: a flat map of strings, numbers and booleans (at most 4 KB as JSON).
pub type Metadata = indexmap::IndexMap<String, MetadataValue>;

/// One metadata value: the API accepts strings, numbers and booleans only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MetadataValue {
    /// A boolean.
    Bool(bool),
    /// A number (integer or float), kept exactly as sent.
    Number(serde_json::Number),
    /// A string.
    String(String),
}

impl From<&str> for MetadataValue {
    fn from(v: &str) -> Self {
        MetadataValue::String(v.to_owned())
    }
}
impl From<String> for MetadataValue {
    fn from(v: String) -> Self {
        MetadataValue::String(v)
    }
}
impl From<bool> for MetadataValue {
    fn from(v: bool) -> Self {
        MetadataValue::Bool(v)
    }
}
impl From<i64> for MetadataValue {
    fn from(v: i64) -> Self {
        MetadataValue::Number(v.into())
    }
}
impl From<i32> for MetadataValue {
    fn from(v: i32) -> Self {
        MetadataValue::Number(i64::from(v).into())
    }
}
impl From<u64> for MetadataValue {
    fn from(v: u64) -> Self {
        MetadataValue::Number(v.into())
    }
}
impl TryFrom<f64> for MetadataValue {
    type Error = crate::Error;
    /// Fails for NaN and infinities, which JSON cannot carry.
    fn try_from(v: f64) -> Result<Self, Self::Error> {
        serde_json::Number::from_f64(v)
            .map(MetadataValue::Number)
            .ok_or_else(|| crate::Error::validation("metadata", "numbers must be finite"))
    }
}

/// The type of a conversation. Values the crate does not know yet decode to `Unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ConversationType {
    /// A one-to-one conversation between a user and the business.
    Personal,
    /// A group conversation of SDK users.
    SdkGroup,
    /// A type this version of the crate has not heard of, as sent by the server.
    Unknown(String),
}

impl ConversationType {
    /// The wire spelling (`personal`, `sdkGroup`, or the unknown value).
    pub fn as_str(&self) -> &str {
        match self {
            ConversationType::Personal => "personal",
            ConversationType::SdkGroup => "sdkGroup",
            ConversationType::Unknown(s) => s,
        }
    }
}

impl From<&str> for ConversationType {
    fn from(s: &str) -> Self {
        match s {
            "personal" => ConversationType::Personal,
            "sdkGroup" => ConversationType::SdkGroup,
            other => ConversationType::Unknown(other.to_owned()),
        }
    }
}

impl std::fmt::Display for ConversationType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ConversationType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ConversationType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(ConversationType::from(s.as_str()))
    }
}

/// A switchboard integration attached to a conversation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SwitchboardIntegration {
    /// The switchboard integration id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its name (used in control transfer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The integration that delivers its events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_id: Option<String>,
    /// The type of that integration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_type: Option<String>,
    /// Fields unknown to this crate.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A conversation as returned by the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Conversation {
    /// The conversation id (24 hex characters).
    pub id: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: ConversationType,
    /// Custom metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// The switchboard integration in control, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_switchboard_integration: Option<SwitchboardIntegration>,
    /// The switchboard integration awaiting control, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_switchboard_integration: Option<SwitchboardIntegration>,
    /// Whether this is the user's default conversation (the first `personal` one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_default: Option<bool>,
    /// A friendly name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// A short description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// An icon URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    /// When the business last read it (`YYYY-MM-DDThh:mm:ss.SSSZ`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_last_read: Option<String>,
    /// When the last message arrived, or the creation time (`YYYY-MM-DDThh:mm:ss.SSSZ`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_at: Option<String>,
    /// When it was created (`YYYY-MM-DDThh:mm:ss.SSSZ`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Fields unknown to this crate, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A participant of a new conversation: exactly one of `user_id` / `user_external_id`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Participant {
    /// The user's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The user's external id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_external_id: Option<String>,
    /// Subscribe the user's SDK client to the conversation right away.
    #[serde(
        default,
        rename = "subscribeSDKClient",
        skip_serializing_if = "Option::is_none"
    )]
    pub subscribe_sdk_client: Option<bool>,
}

impl Participant {
    /// A participant named by user id.
    pub fn user_id(id: impl Into<String>) -> Self {
        Participant {
            user_id: Some(id.into()),
            ..Default::default()
        }
    }

    /// A participant named by external id.
    pub fn user_external_id(id: impl Into<String>) -> Self {
        Participant {
            user_external_id: Some(id.into()),
            ..Default::default()
        }
    }

    /// Sets `subscribeSDKClient`.
    pub fn subscribe_sdk_client(mut self, yes: bool) -> Self {
        self.subscribe_sdk_client = Some(yes);
        self
    }
}

/// The body of `createConversation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct CreateConversation {
    /// The conversation type (required).
    #[serde(rename = "type")]
    pub kind: ConversationType,
    /// Participants: exactly one for `personal`, at most 10 for `sdkGroup`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<Participant>,
    /// A friendly name, 1..100 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// A description, 1..100 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// An icon URL, at most 2048 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    /// Flat metadata, at most 4 KB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// Fields the API accepts that this crate does not model yet, sent as top-level fields
    /// of the body (set them with [`extra`](Self::extra)). A name this body already has is refused.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extra: Extra,
}

impl CreateConversation {
    /// A new body of the given type and nothing else.
    pub fn new(kind: ConversationType) -> Self {
        CreateConversation {
            kind,
            participants: Vec::new(),
            display_name: None,
            description: None,
            icon_url: None,
            metadata: None,
            extra: Extra::new(),
        }
    }

    /// Adds a field this crate does not model yet (e.g. one the API added later); it is sent
    /// as a top-level field of the body.
    pub fn extra(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }

    /// A `personal` conversation for one participant.
    pub fn personal(participant: Participant) -> Self {
        Self::new(ConversationType::Personal).participant(participant)
    }

    /// An `sdkGroup` conversation, participants to be added.
    pub fn sdk_group() -> Self {
        Self::new(ConversationType::SdkGroup)
    }

    /// Adds a participant.
    pub fn participant(mut self, p: Participant) -> Self {
        self.participants.push(p);
        self
    }

    /// Sets the display name.
    pub fn display_name(mut self, v: impl Into<String>) -> Self {
        self.display_name = Some(v.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, v: impl Into<String>) -> Self {
        self.description = Some(v.into());
        self
    }

    /// Sets the icon URL.
    pub fn icon_url(mut self, v: impl Into<String>) -> Self {
        self.icon_url = Some(v.into());
        self
    }

    /// Sets one metadata entry.
    pub fn metadata_entry(mut self, key: impl Into<String>, v: impl Into<MetadataValue>) -> Self {
        self.metadata
            .get_or_insert_with(Metadata::new)
            .insert(key.into(), v.into());
        self
    }
}

/// The body of `updateConversation`: every field is tri-state (see [`Patch`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct UpdateConversation {
    /// The display name.
    #[serde(default, skip_serializing_if = "Patch::is_unchanged")]
    pub display_name: Patch<String>,
    /// The description.
    #[serde(default, skip_serializing_if = "Patch::is_unchanged")]
    pub description: Patch<String>,
    /// The icon URL.
    #[serde(default, skip_serializing_if = "Patch::is_unchanged")]
    pub icon_url: Patch<String>,
    /// The metadata (replaced as a whole).
    #[serde(default, skip_serializing_if = "Patch::is_unchanged")]
    pub metadata: Patch<Metadata>,
    /// Fields the API accepts that this crate does not model yet, sent as top-level fields
    /// of the body (set them with [`extra`](Self::extra)). A name this body already has is refused.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extra: Extra,
}

impl UpdateConversation {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets or clears (`Patch::Clear`) the display name.
    pub fn display_name(mut self, v: impl Into<Patch<String>>) -> Self {
        self.display_name = v.into();
        self
    }

    /// Sets or clears the description.
    pub fn description(mut self, v: impl Into<Patch<String>>) -> Self {
        self.description = v.into();
        self
    }

    /// Sets or clears the icon URL.
    pub fn icon_url(mut self, v: impl Into<Patch<String>>) -> Self {
        self.icon_url = v.into();
        self
    }

    /// Replaces or clears the metadata.
    pub fn metadata(mut self, v: impl Into<Patch<Metadata>>) -> Self {
        self.metadata = v.into();
        self
    }

    /// Adds a field this crate does not model yet (e.g. one the API added later); it is sent
    /// as a top-level field of the body.
    pub fn extra(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }
}

/// The `filter` of `listConversations`: exactly one of the two.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConversationFilter {
    /// The user's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The user's external id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_external_id: Option<String>,
}

/// The `page` of a list call: cursor (at most one of after/before) and size.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PageRequest {
    /// Records after this id (24 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Records before this id (24 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// Page size, 1..100 (the server's default is 25).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u32>,
}

/// Parameters of `listConversations`, mirroring the wire's `filter[...]` and `page[...]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct ListConversations {
    /// Whose conversations to list.
    #[serde(default)]
    pub filter: ConversationFilter,
    /// Which page.
    #[serde(default)]
    pub page: PageRequest,
}

impl ListConversations {
    /// Conversations of the user with this id.
    pub fn user_id(id: impl Into<String>) -> Self {
        let mut p = Self::default();
        p.filter.user_id = Some(id.into());
        p
    }

    /// Conversations of the user with this external id.
    pub fn user_external_id(id: impl Into<String>) -> Self {
        let mut p = Self::default();
        p.filter.user_external_id = Some(id.into());
        p
    }

    /// Sets the page size (1..100).
    pub fn size(mut self, size: u32) -> Self {
        self.page.size = Some(size);
        self
    }

    /// Starts after this cursor.
    pub fn after(mut self, cursor: impl Into<String>) -> Self {
        self.page.after = Some(cursor.into());
        self
    }

    /// Ends before this cursor.
    pub fn before(mut self, cursor: impl Into<String>) -> Self {
        self.page.before = Some(cursor.into());
        self
    }
}

/// The `meta` of a page.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageMeta {
    /// Whether more records follow.
    #[serde(default)]
    pub has_more: bool,
    /// The cursor for the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_cursor: Option<String>,
    /// The cursor for the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_cursor: Option<String>,
    /// Fields unknown to this crate.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The `links` of a page.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PageLinks {
    /// Absolute URL of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    /// Absolute URL of the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Fields unknown to this crate.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One page of `listConversations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConversationPage {
    /// The conversations on this page.
    #[serde(default)]
    pub conversations: Vec<Conversation>,
    /// Cursor information.
    #[serde(default)]
    pub meta: PageMeta,
    /// Links to neighbouring pages.
    #[serde(default)]
    pub links: PageLinks,
    /// Fields unknown to this crate.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The `interactiveDataRef` of an Apple message ref.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InteractiveDataRef {
    /// Where the data lives.
    pub url: String,
    /// Bundle id.
    pub bid: String,
    /// Decryption key.
    pub key: String,
    /// Signature.
    pub signature: String,
    /// Owner.
    pub owner: String,
}

/// The Apple part of a message ref.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppleMessageRef {
    /// The reference found in the passthrough webhook.
    pub interactive_data_ref: InteractiveDataRef,
}

/// The body of `downloadMessageRef`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct DownloadMessageRef {
    /// The user the ref belongs to (required).
    pub user_id: String,
    /// The Apple message ref.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apple: Option<AppleMessageRef>,
    /// Fields the API accepts that this crate does not model yet, sent as top-level fields
    /// of the body (set them with [`extra`](Self::extra)). A name this body already has is refused.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extra: Extra,
}

impl DownloadMessageRef {
    /// A body for this user, with no channel ref yet.
    pub fn new(user_id: impl Into<String>) -> Self {
        DownloadMessageRef {
            user_id: user_id.into(),
            apple: None,
            extra: Extra::new(),
        }
    }

    /// Adds a field this crate does not model yet (e.g. one the API added later); it is sent
    /// as a top-level field of the body.
    pub fn extra(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }

    /// Sets the Apple ref.
    pub fn apple(mut self, r: InteractiveDataRef) -> Self {
        self.apple = Some(AppleMessageRef {
            interactive_data_ref: r,
        });
        self
    }
}

#[derive(Deserialize)]
pub(crate) struct ConversationEnvelope {
    pub(crate) conversation: Conversation,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn conversation_round_trip_keeps_unknown_fields_and_types() {
        let wire = json!({
            "id": "5f1c6e4b3a2d1c0b9a8f7e6d",
            "type": "brandNewType",
            "metadata": {"lang": "en", "n": 3, "vip": true, "ratio": 0.5},
            "isDefault": false,
            "displayName": "Hi",
            "createdAt": "2020-06-20T11:26:07.001Z",
            "futureField": {"nested": [1, 2]},
            "activeSwitchboardIntegration": {"id": "x", "name": "bot", "newThing": 1}
        });
        let c: Conversation = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(c.kind, ConversationType::Unknown("brandNewType".into()));
        assert_eq!(c.extra["futureField"], json!({"nested": [1, 2]}));
        assert_eq!(
            c.metadata.as_ref().unwrap()["vip"],
            MetadataValue::Bool(true)
        );
        assert_eq!(serde_json::to_value(&c).unwrap(), wire);
    }

    #[test]
    fn known_types_decode() {
        for (s, t) in [
            ("personal", ConversationType::Personal),
            ("sdkGroup", ConversationType::SdkGroup),
        ] {
            let c: Conversation = serde_json::from_value(json!({"id": "a", "type": s})).unwrap();
            assert_eq!(c.kind, t);
            assert_eq!(t.as_str(), s);
        }
    }

    #[test]
    fn nested_metadata_is_refused() {
        let r: Result<CreateConversation, _> =
            serde_json::from_value(json!({"type": "personal", "metadata": {"a": {"b": 1}}}));
        assert!(r.is_err());
    }

    #[test]
    fn update_serialises_three_states() {
        let u = UpdateConversation::new()
            .display_name("x")
            .description(Patch::Clear);
        assert_eq!(
            serde_json::to_value(&u).unwrap(),
            json!({"displayName": "x", "description": null})
        );
        let back: UpdateConversation =
            serde_json::from_value(json!({"iconUrl": null, "metadata": {"a": 1}})).unwrap();
        assert_eq!(back.icon_url, Patch::Clear);
        assert_eq!(back.display_name, Patch::Unchanged);
        assert!(matches!(back.metadata, Patch::Set(_)));
    }

    #[test]
    fn create_builder_serialises_wire_names() {
        let c = CreateConversation::personal(
            Participant::user_external_id("alice").subscribe_sdk_client(true),
        )
        .display_name("D")
        .metadata_entry("k", 1);
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            json!({"type": "personal", "participants": [{"userExternalId": "alice", "subscribeSDKClient": true}],
                   "displayName": "D", "metadata": {"k": 1}})
        );
    }
}
