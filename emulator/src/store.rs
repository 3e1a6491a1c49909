//! The in-memory records of one app: users and their clients, conversations with their
//! participants and messages, who takes part in what, and the core Zendesk users that
//! `SyncUser` copies from.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::seed::SeedApp;
use crate::timestamp;

/// A user as the API returns it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct User {
    pub(crate) id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) zendesk_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) authenticated: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) brand_id: Option<String>,
    pub(crate) signed_up_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) to_be_retained: Option<bool>,
    pub(crate) profile: Map<String, Value>,
    pub(crate) metadata: Map<String, Value>,
    pub(crate) identities: Vec<Value>,
    /// The user's first `personal` conversation, which cannot be deleted.
    #[serde(skip)]
    pub(crate) default_conversation: Option<String>,
    /// The user's clients by id (ids sort in creation order).
    #[serde(skip)]
    pub(crate) clients: BTreeMap<String, Client>,
    /// The devices of the user's SDK client, by id.
    #[serde(skip)]
    pub(crate) devices: BTreeMap<String, Device>,
}

impl User {
    /// A user with only an id, a sign-up time and empty collections.
    pub(crate) fn new(id: String, signed_up_at: String) -> Self {
        User {
            id,
            external_id: None,
            zendesk_id: None,
            authenticated: None,
            brand_id: None,
            signed_up_at,
            to_be_retained: None,
            profile: Map::new(),
            metadata: Map::new(),
            identities: Vec::new(),
            default_conversation: None,
            clients: BTreeMap::new(),
            devices: BTreeMap::new(),
        }
    }

    /// The values of the user's `email` identities.
    pub(crate) fn emails(&self) -> impl Iterator<Item = &str> {
        self.identities.iter().filter_map(|identity| {
            (identity.get("type").and_then(Value::as_str) == Some("email"))
                .then(|| identity.get("value").and_then(Value::as_str))
                .flatten()
        })
    }
}

/// A client of a user (an SDK installation or a third-party channel account).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Client {
    pub(crate) id: String,
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) integration_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) last_seen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) linked_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) avatar_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) info: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) raw: Option<Map<String, Value>>,
    /// The conversation a link request attaches the client to, and whether the client becomes
    /// the participant's primary one there (`matchCriteria.primary`).
    #[serde(skip)]
    pub(crate) target_conversation: Option<(String, bool)>,
}

/// A device of a user's SDK client (a browser, an iOS or Android installation).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Device {
    pub(crate) id: String,
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) guid: String,
    pub(crate) client_id: String,
    pub(crate) status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) integration_id: Option<String>,
    pub(crate) last_seen: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) push_notification_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) info: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) app_version: Option<String>,
}

/// The conversation types the API knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum ConversationType {
    #[serde(rename = "personal")]
    Personal,
    #[serde(rename = "sdkGroup")]
    SdkGroup,
}

/// A client a participant is reached through in one conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ClientAssociation {
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) client_id: String,
}

/// A user's membership of a conversation.
#[derive(Debug, Clone)]
pub(crate) struct Participant {
    pub(crate) id: String,
    pub(crate) user_id: String,
    pub(crate) client_associations: Vec<ClientAssociation>,
    /// When the user last marked the conversation as read.
    pub(crate) last_read: Option<String>,
    /// A record id taken when the user last read the conversation: every message with a
    /// greater id arrived later, so it is unread unless the user wrote it.
    pub(crate) read_mark: Option<String>,
}

/// A participant as the API returns it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ParticipantView<'a> {
    pub(crate) id: &'a str,
    pub(crate) user_id: &'a str,
    pub(crate) unread_count: usize,
    pub(crate) client_associations: &'a [ClientAssociation],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) user_external_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) last_read: Option<&'a str>,
}

/// A message as the API returns it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Message {
    pub(crate) id: String,
    pub(crate) received: String,
    pub(crate) author: Map<String, Value>,
    pub(crate) content: Map<String, Value>,
    pub(crate) source: Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) quoted_message: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) metadata: Option<Map<String, Value>>,
}

impl Message {
    /// The id of the user who wrote the message, if a user did.
    pub(crate) fn author_user(&self) -> Option<&str> {
        self.author.get("userId").and_then(Value::as_str)
    }
}

/// A conversation as the API returns it; optional fields are left out when unset.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Conversation {
    pub(crate) id: String,
    #[serde(rename = "type")]
    pub(crate) kind: ConversationType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) metadata: Option<Map<String, Value>>,
    pub(crate) is_default: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) icon_url: Option<String>,
    pub(crate) business_last_read: Option<String>,
    pub(crate) last_updated_at: String,
    pub(crate) created_at: String,
    /// The switchboard integration in control of the conversation, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) active_switchboard_integration: Option<SwitchboardIntegrationRef>,
    /// The switchboard integration offered control, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) pending_switchboard_integration: Option<SwitchboardIntegrationRef>,
    /// Participants by participant id (ids sort in joining order).
    #[serde(skip)]
    pub(crate) participants: BTreeMap<String, Participant>,
    /// Messages by id (ids sort in arrival order).
    #[serde(skip)]
    pub(crate) messages: BTreeMap<String, Message>,
}

impl Conversation {
    /// The participant who is user `user_id`, if any.
    pub(crate) fn participant_of(&self, user_id: &str) -> Option<&Participant> {
        self.participants.values().find(|p| p.user_id == user_id)
    }

    pub(crate) fn participant_of_mut(&mut self, user_id: &str) -> Option<&mut Participant> {
        self.participants
            .values_mut()
            .find(|p| p.user_id == user_id)
    }

    /// How many messages `participant` has not read: those that arrived after its read mark
    /// and that someone else wrote.
    pub(crate) fn unread_count(&self, participant: &Participant) -> usize {
        let lower = match &participant.read_mark {
            Some(mark) => Bound::Excluded(mark.as_str()),
            None => Bound::Unbounded,
        };
        self.messages
            .range::<str, _>((lower, Bound::Unbounded))
            .filter(|(_, m)| m.author_user() != Some(participant.user_id.as_str()))
            .count()
    }
}

/// An integration of an app: a channel, a custom integration or an installed OAuth one.
#[derive(Debug, Clone)]
pub(crate) struct Integration {
    pub(crate) id: String,
    /// `type`: a channel, `custom`, or an OAuth client id.
    pub(crate) kind: String,
    pub(crate) status: &'static str,
    pub(crate) display_name: Option<String>,
    /// The fields answered besides the common ones, in the spec's order (as given, or the
    /// type's defaults).
    pub(crate) fields: Map<String, Value>,
    /// The write-only fields given (credentials), never answered.
    pub(crate) secrets: Map<String, Value>,
    /// The switchboard integration that responds on this channel, if chosen.
    pub(crate) default_responder_id: Option<String>,
    /// Webhooks by id (ids sort in creation order).
    pub(crate) webhooks: BTreeMap<String, crate::webhooks::Webhook>,
    /// API keys of a custom integration, oldest first.
    pub(crate) keys: Vec<ApiKey>,
}

/// An API key as the key routes answer it (the spec's `appKey` and `apiKey`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ApiKey {
    pub(crate) id: String,
    pub(crate) display_name: String,
    pub(crate) secret: String,
}

/// A switchboard (the spec's `switchboard`); an app has at most one.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Switchboard {
    pub(crate) id: String,
    pub(crate) enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) default_switchboard_integration_id: Option<String>,
    /// Its switchboard integrations by id (ids sort in creation order).
    #[serde(skip)]
    pub(crate) integrations: BTreeMap<String, SwitchboardIntegration>,
}

impl Switchboard {
    /// The switchboard integration given control of a conversation that has none: the
    /// default, while the switchboard is enabled.
    pub(crate) fn assignee(&self) -> Option<&SwitchboardIntegration> {
        self.default_switchboard_integration_id
            .as_ref()
            .filter(|_| self.enabled)
            .and_then(|id| self.integrations.get(id))
    }
}

/// A switchboard integration (the spec's `switchboardIntegration`); optional fields are left
/// out when unset.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SwitchboardIntegration {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) integration_id: String,
    pub(crate) integration_type: String,
    pub(crate) deliver_standby_events: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) next_switchboard_integration_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) message_history_count: Option<i64>,
}

impl SwitchboardIntegration {
    /// What a conversation shows of it.
    pub(crate) fn to_ref(&self) -> SwitchboardIntegrationRef {
        SwitchboardIntegrationRef {
            id: self.id.clone(),
            name: self.name.clone(),
            integration_id: self.integration_id.clone(),
            integration_type: self.integration_type.clone(),
        }
    }
}

/// A switchboard integration as a conversation shows it (the spec's
/// `switchboardIntegrationWebhook`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SwitchboardIntegrationRef {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) integration_id: String,
    pub(crate) integration_type: String,
}

/// A core Zendesk user, the record `SyncUser` copies onto the messaging user linked to it.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ZendeskUser {
    pub(crate) id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) surname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) email: Option<String>,
}

/// An app as the Apps API answers it (the spec's `app`).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AppRecord {
    pub(crate) id: String,
    pub(crate) display_name: String,
    pub(crate) settings: Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) metadata: Option<Map<String, Value>>,
    /// Answered by `GetApp` and `GetTokenInfo` only.
    #[serde(skip)]
    pub(crate) subdomain: String,
}

/// The settings a new app starts with (those of the spec's `createApp` example).
pub(crate) fn default_settings() -> Map<String, Value> {
    let mut settings = Map::new();
    for (key, value) in [
        ("appLocalizationEnabled", true),
        ("echoPostback", false),
        ("maskCreditCardNumbers", true),
        ("multiConvoEnabled", false),
        ("useAnimalNames", false),
    ] {
        settings.insert(key.into(), Value::Bool(value));
    }
    settings
}

/// Everything one app holds. Guarded by the app's lock in [`crate::state::AppSlot`].
#[derive(Debug, Default)]
pub(crate) struct AppData {
    /// The app itself: id, name, settings, metadata.
    pub(crate) app: AppRecord,
    /// The app's API keys (the seed's, then those made by `CreateAppKey`).
    pub(crate) keys: Vec<ApiKey>,
    users: HashMap<String, User>,
    /// externalId -> user id.
    external_ids: HashMap<String, String>,
    conversations: HashMap<String, Conversation>,
    /// user id -> ids of the conversations the user takes part in; ids sort in creation order.
    by_user: HashMap<String, BTreeSet<String>>,
    /// zendeskId -> the core Zendesk user defined through the control endpoint.
    pub(crate) zendesk_users: HashMap<String, ZendeskUser>,
    /// The app's switchboard, once created.
    pub(crate) switchboard: Option<Switchboard>,
    /// Integrations by id (ids sort in creation order).
    integrations: BTreeMap<String, Integration>,
    /// Uploaded files by id.
    pub(crate) attachments: HashMap<String, Attachment>,
}

/// An uploaded file, served at its `mediaUrl`.
#[derive(Debug, Clone)]
pub(crate) struct Attachment {
    pub(crate) file_name: String,
    pub(crate) media_type: String,
    pub(crate) data: axum::body::Bytes,
    /// The `conversationId` of the upload.
    pub(crate) conversation_id: Option<String>,
    /// Uploaded `for=message`: deleted with the messages that show it, or with its
    /// conversation.
    pub(crate) for_message: bool,
}

impl Message {
    /// The `mediaUrl`s the message's content shows (its own and its items').
    pub(crate) fn media_urls(&self) -> impl Iterator<Item = &str> {
        let own = self.content.get("mediaUrl").and_then(Value::as_str);
        let items = self
            .content
            .get("items")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|item| item.get("mediaUrl").and_then(Value::as_str));
        own.into_iter().chain(items)
    }
}

/// One page of record ids, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub(crate) ids: Vec<String>,
    /// Records exist after the last id of the page.
    pub(crate) more_after: bool,
    /// Records exist before the first id of the page.
    pub(crate) more_before: bool,
}

/// Where a page starts.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cursor<'a> {
    /// The oldest records.
    First,
    /// The newest records (lists that page backward).
    Last,
    After(&'a str),
    Before(&'a str),
}

/// Ordered record ids that can be walked in either direction from a bound.
pub(crate) trait Keys {
    fn keys_in<'a>(
        &'a self,
        lower: Bound<&str>,
        upper: Bound<&str>,
    ) -> impl DoubleEndedIterator<Item = &'a String> + 'a;
}

impl Keys for BTreeSet<String> {
    fn keys_in<'a>(
        &'a self,
        lower: Bound<&str>,
        upper: Bound<&str>,
    ) -> impl DoubleEndedIterator<Item = &'a String> + 'a {
        self.range::<str, _>((lower, upper))
    }
}

impl<V> Keys for BTreeMap<String, V> {
    fn keys_in<'a>(
        &'a self,
        lower: Bound<&str>,
        upper: Bound<&str>,
    ) -> impl DoubleEndedIterator<Item = &'a String> + 'a {
        self.range::<str, _>((lower, upper)).map(|(k, _)| k)
    }
}

/// Up to `size` ids of `keys` around `cursor`, oldest first.
///
/// `First` gives the first `size` ids, `Last` the last `size`; `After(x)` the first `size` ids
/// greater than `x`; `Before(x)` the last `size` ids less than `x`. The cursor record need not
/// exist any more.
pub(crate) fn page<K: Keys>(keys: &K, cursor: Cursor<'_>, size: usize) -> Page {
    match cursor {
        Cursor::First | Cursor::After(_) => {
            let lower = match cursor {
                Cursor::After(x) => Bound::Excluded(x),
                _ => Bound::Unbounded,
            };
            let mut iter = keys.keys_in(lower, Bound::Unbounded);
            let ids: Vec<String> = iter.by_ref().take(size).cloned().collect();
            let more_after = iter.next().is_some();
            let more_before = ids.first().is_some_and(|first| {
                keys.keys_in(Bound::Unbounded, Bound::Excluded(first.as_str()))
                    .next()
                    .is_some()
            });
            Page {
                ids,
                more_after,
                more_before,
            }
        }
        Cursor::Last | Cursor::Before(_) => {
            let upper = match cursor {
                Cursor::Before(x) => Bound::Excluded(x),
                _ => Bound::Unbounded,
            };
            let mut iter = keys.keys_in(Bound::Unbounded, upper).rev();
            let mut ids: Vec<String> = iter.by_ref().take(size).cloned().collect();
            let more_before = iter.next().is_some();
            ids.reverse();
            let more_after = ids.last().is_some_and(|last| {
                keys.keys_in(Bound::Excluded(last.as_str()), Bound::Unbounded)
                    .next()
                    .is_some()
            });
            Page {
                ids,
                more_after,
                more_before,
            }
        }
    }
}

impl AppData {
    /// The records of a freshly seeded app (no conversations).
    pub(crate) fn from_seed(app: &SeedApp) -> Self {
        let now = timestamp::format_millis(timestamp::now_millis());
        let mut data = AppData::new(AppRecord {
            id: app.id.clone(),
            display_name: app.display_name.clone().unwrap_or_else(|| app.id.clone()),
            settings: default_settings(),
            metadata: None,
            subdomain: app.subdomain.clone().unwrap_or_else(|| app.id.clone()),
        });
        data.keys = app
            .keys
            .iter()
            .map(|key| ApiKey {
                id: key.id.clone(),
                display_name: key.display_name.clone().unwrap_or_else(|| key.id.clone()),
                secret: key.secret.clone(),
            })
            .collect();
        for seeded in &app.users {
            let mut user = User::new(
                seeded
                    .id
                    .clone()
                    .expect("seed ids are resolved when the seed is loaded"),
                now.clone(),
            );
            user.external_id = seeded.external_id.clone();
            user.zendesk_id = seeded.zendesk_id.clone();
            user.profile = seeded.profile.clone().unwrap_or_default();
            user.metadata = seeded.metadata.clone().unwrap_or_default();
            user.identities = seeded.identities.clone().unwrap_or_default();
            data.insert_user(user);
        }
        data.seed_integrations(app);
        data
    }

    /// The seed's custom integrations (with webhooks and keys) and switchboard of `app`,
    /// checked when the seed was loaded.
    fn seed_integrations(&mut self, app: &SeedApp) {
        for seeded in &app.integrations {
            let id = seeded.id.clone().expect("resolved when the seed is loaded");
            let webhooks = seeded
                .webhooks
                .iter()
                .enumerate()
                .map(|(i, hook)| {
                    let (hook_id, secret) = crate::seed::webhook_id_and_secret(&app.id, &id, i);
                    let webhook =
                        crate::webhooks::build(&crate::content::Obj::root(hook), hook_id, secret)
                            .expect("checked when the seed is loaded");
                    (webhook.id.clone(), webhook)
                })
                .collect();
            let keys = seeded
                .keys
                .iter()
                .map(|key| ApiKey {
                    id: key.id.clone(),
                    display_name: key.display_name.clone().unwrap_or_else(|| key.id.clone()),
                    secret: key.secret.clone(),
                })
                .collect();
            self.insert_integration(Integration {
                id,
                kind: seeded.kind.clone(),
                status: "active",
                display_name: seeded.display_name.clone(),
                fields: Map::new(),
                secrets: Map::new(),
                default_responder_id: None,
                webhooks,
                keys,
            });
        }
        let Some(seeded) = &app.switchboard else {
            return;
        };
        let mut switchboard = Switchboard {
            id: crate::seed::switchboard_id(&app.id),
            enabled: false,
            default_switchboard_integration_id: None,
            integrations: BTreeMap::new(),
        };
        for sbi in &seeded.integrations {
            let id = crate::seed::switchboard_integration_id(&app.id, &sbi.name);
            let (integration_id, integration_type) =
                match (&sbi.integration_id, &sbi.integration_type) {
                    (Some(linked), _) => (linked.clone(), "custom".to_owned()),
                    (None, Some(kind)) => (
                        crate::ids::deterministic_id(&[&app.id, "integrationType", kind]),
                        kind.clone(),
                    ),
                    (None, None) => unreachable!("checked when the seed is loaded"),
                };
            if sbi.default {
                switchboard.default_switchboard_integration_id = Some(id.clone());
            }
            switchboard.integrations.insert(
                id.clone(),
                SwitchboardIntegration {
                    id,
                    name: sbi.name.clone(),
                    integration_id,
                    integration_type,
                    deliver_standby_events: sbi.deliver_standby_events.unwrap_or(true),
                    next_switchboard_integration_id: None,
                    message_history_count: None,
                },
            );
        }
        switchboard.enabled = seeded
            .enabled
            .unwrap_or(switchboard.default_switchboard_integration_id.is_some());
        self.switchboard = Some(switchboard);
    }

    /// An app with nothing in it yet.
    pub(crate) fn new(app: AppRecord) -> Self {
        AppData {
            app,
            ..AppData::default()
        }
    }

    /// A user by id, or else by external id.
    pub(crate) fn find_user(&self, id_or_external_id: &str) -> Option<&User> {
        self.users
            .get(id_or_external_id)
            .or_else(|| self.user_by_external_id(id_or_external_id))
    }

    pub(crate) fn user(&self, id: &str) -> Option<&User> {
        self.users.get(id)
    }

    pub(crate) fn user_mut(&mut self, id: &str) -> Option<&mut User> {
        self.users.get_mut(id)
    }

    pub(crate) fn user_by_external_id(&self, external_id: &str) -> Option<&User> {
        self.external_ids
            .get(external_id)
            .and_then(|id| self.users.get(id))
    }

    /// Every user, in id order.
    pub(crate) fn users_sorted(&self) -> Vec<&User> {
        let mut users: Vec<&User> = self.users.values().collect();
        users.sort_by(|a, b| a.id.cmp(&b.id));
        users
    }

    pub(crate) fn insert_user(&mut self, user: User) {
        if let Some(ext) = &user.external_id {
            self.external_ids.insert(ext.clone(), user.id.clone());
        }
        self.users.insert(user.id.clone(), user);
    }

    /// Gives `user_id` the external id `external_id` (or none), keeping the index in step.
    /// The caller makes sure no other user holds it.
    pub(crate) fn set_external_id(&mut self, user_id: &str, external_id: Option<String>) {
        let Some(user) = self.users.get_mut(user_id) else {
            return;
        };
        if let Some(old) = user.external_id.take() {
            self.external_ids.remove(&old);
        }
        if let Some(new) = &external_id {
            self.external_ids.insert(new.clone(), user_id.to_owned());
        }
        user.external_id = external_id;
    }

    /// Deletes a user with its clients and its conversation history: its `personal`
    /// conversations go with all their messages; in the other conversations it stops being a
    /// participant and the messages it wrote are removed.
    pub(crate) fn remove_user(&mut self, user_id: &str) -> Option<User> {
        let user = self.users.remove(user_id)?;
        if let Some(ext) = &user.external_id {
            self.external_ids.remove(ext);
        }
        for conversation_id in self.by_user.remove(user_id).unwrap_or_default() {
            let personal = self
                .conversations
                .get(&conversation_id)
                .is_some_and(|c| c.kind == ConversationType::Personal);
            if personal {
                self.remove_conversation(&conversation_id);
            } else if let Some(conversation) = self.conversations.get_mut(&conversation_id) {
                conversation
                    .participants
                    .retain(|_, p| p.user_id != user_id);
                let written: Vec<Message> = conversation
                    .messages
                    .values()
                    .filter(|m| m.author_user() == Some(user_id))
                    .cloned()
                    .collect();
                conversation
                    .messages
                    .retain(|_, m| m.author_user() != Some(user_id));
                self.forget_attachments_of(written.iter());
            }
        }
        Some(user)
    }

    /// Merges user `from` into user `into`, which survives: `from`'s conversations, messages
    /// and clients become `into`'s, then `from` is deleted. Its external id is dropped.
    pub(crate) fn merge_user(&mut self, from: &str, into: &str) {
        if from == into || !self.users.contains_key(into) {
            return;
        }
        let Some(gone) = self.users.remove(from) else {
            return;
        };
        if let Some(ext) = &gone.external_id {
            self.external_ids.remove(ext);
        }
        let moved = self.by_user.remove(from).unwrap_or_default();
        for conversation_id in &moved {
            let Some(conversation) = self.conversations.get_mut(conversation_id) else {
                continue;
            };
            let already_in = conversation.participant_of(into).is_some();
            if already_in {
                conversation.participants.retain(|_, p| p.user_id != from);
            } else if let Some(participant) = conversation.participant_of_mut(from) {
                participant.user_id = into.to_owned();
            }
            for message in conversation.messages.values_mut() {
                if message.author_user() == Some(from) {
                    message
                        .author
                        .insert("userId".into(), Value::String(into.to_owned()));
                }
            }
        }
        self.by_user
            .entry(into.to_owned())
            .or_default()
            .extend(moved);
        let survivor = self.users.get_mut(into).expect("checked above");
        survivor.clients.extend(gone.clients);
        survivor.devices.extend(gone.devices);
        match (&survivor.default_conversation, gone.default_conversation) {
            (None, Some(default)) => survivor.default_conversation = Some(default),
            (Some(_), Some(other)) => {
                if let Some(conversation) = self.conversations.get_mut(&other) {
                    conversation.is_default = false;
                }
            }
            _ => {}
        }
    }

    pub(crate) fn conversation(&self, id: &str) -> Option<&Conversation> {
        self.conversations.get(id)
    }

    pub(crate) fn conversation_mut(&mut self, id: &str) -> Option<&mut Conversation> {
        self.conversations.get_mut(id)
    }

    /// Stores a new conversation, making it the default of its only participant when it is that
    /// user's first `personal` conversation.
    pub(crate) fn insert_conversation(&mut self, mut conversation: Conversation) -> &Conversation {
        if conversation.kind == ConversationType::Personal
            && conversation.participants.len() == 1
            && let Some(participant) = conversation.participants.values().next()
            && let Some(user) = self.users.get_mut(&participant.user_id)
            && user.default_conversation.is_none()
        {
            user.default_conversation = Some(conversation.id.clone());
            conversation.is_default = true;
        }
        for participant in conversation.participants.values() {
            self.by_user
                .entry(participant.user_id.clone())
                .or_default()
                .insert(conversation.id.clone());
        }
        let id = conversation.id.clone();
        self.conversations.entry(id).or_insert(conversation)
    }

    /// Removes a conversation with its messages and participations, and the attachments
    /// uploaded `for=message` into it or shown by its messages.
    pub(crate) fn remove_conversation(&mut self, id: &str) -> Option<Conversation> {
        let conversation = self.conversations.remove(id)?;
        self.attachments
            .retain(|_, a| !(a.for_message && a.conversation_id.as_deref() == Some(id)));
        self.forget_attachments_of(conversation.messages.values());
        for participant in conversation.participants.values() {
            if let Some(set) = self.by_user.get_mut(&participant.user_id) {
                set.remove(id);
            }
            if let Some(user) = self.users.get_mut(&participant.user_id)
                && user.default_conversation.as_deref() == Some(id)
            {
                user.default_conversation = None;
            }
        }
        Some(conversation)
    }

    /// Deletes the attachments uploaded `for=message` that `messages` (being deleted) show.
    pub(crate) fn forget_attachments_of<'a>(
        &mut self,
        messages: impl Iterator<Item = &'a Message>,
    ) {
        for message in messages {
            for url in message.media_urls() {
                if let Some((app, id)) = crate::attachments::parse_media_url(url)
                    && app == self.app.id
                    && self.attachments.get(&id).is_some_and(|a| a.for_message)
                {
                    self.attachments.remove(&id);
                }
            }
        }
    }

    /// Adds `participant` to conversation `conversation_id` (which must exist).
    pub(crate) fn add_participant(&mut self, conversation_id: &str, participant: Participant) {
        self.by_user
            .entry(participant.user_id.clone())
            .or_default()
            .insert(conversation_id.to_owned());
        if let Some(conversation) = self.conversations.get_mut(conversation_id) {
            conversation
                .participants
                .insert(participant.id.clone(), participant);
        }
    }

    /// Removes participant `participant_id` from conversation `conversation_id`.
    pub(crate) fn remove_participant(&mut self, conversation_id: &str, participant_id: &str) {
        let Some(conversation) = self.conversations.get_mut(conversation_id) else {
            return;
        };
        if let Some(participant) = conversation.participants.remove(participant_id)
            && let Some(set) = self.by_user.get_mut(&participant.user_id)
        {
            set.remove(conversation_id);
        }
    }

    /// `participant` of `conversation` as the API returns it.
    pub(crate) fn participant_view<'a>(
        &'a self,
        conversation: &'a Conversation,
        participant: &'a Participant,
    ) -> ParticipantView<'a> {
        ParticipantView {
            id: &participant.id,
            user_id: &participant.user_id,
            unread_count: conversation.unread_count(participant),
            client_associations: &participant.client_associations,
            user_external_id: self
                .users
                .get(&participant.user_id)
                .and_then(|u| u.external_id.as_deref()),
            last_read: participant.last_read.as_deref(),
        }
    }

    /// The id of `user_id`'s SDK client, created (`active`, linked now) when the user has none;
    /// `None` for an unknown user.
    pub(crate) fn sdk_client(
        &mut self,
        user_id: &str,
        new_id: impl FnOnce() -> String,
    ) -> Option<String> {
        let user = self.users.get_mut(user_id)?;
        if let Some(client) = user.clients.values().find(|c| c.kind == "sdk") {
            return Some(client.id.clone());
        }
        let id = new_id();
        user.clients.insert(
            id.clone(),
            Client {
                id: id.clone(),
                kind: "sdk".into(),
                status: "active".into(),
                integration_id: None,
                external_id: None,
                last_seen: None,
                linked_at: Some(timestamp::format_millis(timestamp::now_millis())),
                display_name: None,
                avatar_url: None,
                info: None,
                raw: None,
                target_conversation: None,
            },
        );
        Some(id)
    }

    /// Removes client `client_id` of user `user_id` and its associations with the user's
    /// conversations.
    pub(crate) fn remove_client(&mut self, user_id: &str, client_id: &str) -> Option<Client> {
        let client = self.users.get_mut(user_id)?.clients.remove(client_id)?;
        for conversation_id in self.by_user.get(user_id).into_iter().flatten() {
            if let Some(conversation) = self.conversations.get_mut(conversation_id)
                && let Some(participant) = conversation.participant_of_mut(user_id)
            {
                participant
                    .client_associations
                    .retain(|a| a.client_id != client_id);
            }
        }
        Some(client)
    }

    /// Completes the link request of client `client_id` of user `user_id`: the client is
    /// associated with the user's participant in the target conversation (first when it is to
    /// be the primary client), if the user still takes part there.
    pub(crate) fn complete_link(&mut self, user_id: &str, client_id: &str) {
        let Some(client) = self
            .users
            .get_mut(user_id)
            .and_then(|u| u.clients.get_mut(client_id))
        else {
            return;
        };
        let Some((conversation_id, primary)) = client.target_conversation.take() else {
            return;
        };
        let association = ClientAssociation {
            kind: client.kind.clone(),
            client_id: client.id.clone(),
        };
        if let Some(participant) = self
            .conversations
            .get_mut(&conversation_id)
            .and_then(|c| c.participant_of_mut(user_id))
            && !participant.client_associations.contains(&association)
        {
            if primary {
                participant.client_associations.insert(0, association);
            } else {
                participant.client_associations.push(association);
            }
        }
    }

    pub(crate) fn integration(&self, id: &str) -> Option<&Integration> {
        self.integrations.get(id)
    }

    pub(crate) fn integration_mut(&mut self, id: &str) -> Option<&mut Integration> {
        self.integrations.get_mut(id)
    }

    /// Integrations by id, for paging.
    pub(crate) fn integration_map(&self) -> &BTreeMap<String, Integration> {
        &self.integrations
    }

    pub(crate) fn insert_integration(&mut self, integration: Integration) -> &Integration {
        let id = integration.id.clone();
        self.integrations.entry(id).or_insert(integration)
    }

    /// Links the switchboard integrations of `integration_type` to integration `id` (an OAuth
    /// client's integration, just installed: before, they linked a stand-in id).
    pub(crate) fn relink_switchboard_type(&mut self, integration_type: &str, id: &str) {
        let Some(switchboard) = &mut self.switchboard else {
            return;
        };
        let mut changed = Vec::new();
        for linked in switchboard.integrations.values_mut() {
            if linked.integration_type == integration_type && linked.integration_id != id {
                linked.integration_id = id.to_owned();
                changed.push(linked.clone());
            }
        }
        for linked in &changed {
            self.refresh_switchboard_refs(linked);
        }
    }

    /// How many webhooks the app's integrations hold.
    pub(crate) fn webhook_count(&self) -> usize {
        self.integrations.values().map(|i| i.webhooks.len()).sum()
    }

    /// Removes an integration with its webhooks, and the switchboard integrations linked to
    /// it (see [`AppData::remove_switchboard_integrations`]).
    pub(crate) fn remove_integration(&mut self, id: &str) -> Option<Integration> {
        let integration = self.integrations.remove(id)?;
        let linked: Vec<String> = self
            .switchboard
            .iter()
            .flat_map(|s| s.integrations.values())
            .filter(|s| s.integration_id == id)
            .map(|s| s.id.clone())
            .collect();
        self.remove_switchboard_integrations(&linked);
        Some(integration)
    }

    /// Removes switchboard integrations `gone` whatever refers to them: another's
    /// `nextSwitchboardIntegrationId` naming one is cleared; a switchboard whose default goes
    /// loses it and is disabled (an enabled switchboard needs a default); conversations and
    /// integrations forget them.
    pub(crate) fn remove_switchboard_integrations(&mut self, gone: &[String]) {
        if gone.is_empty() {
            return;
        }
        if let Some(switchboard) = &mut self.switchboard {
            switchboard.integrations.retain(|id, _| !gone.contains(id));
            for other in switchboard.integrations.values_mut() {
                if other
                    .next_switchboard_integration_id
                    .as_ref()
                    .is_some_and(|next| gone.contains(next))
                {
                    other.next_switchboard_integration_id = None;
                }
            }
            if switchboard
                .default_switchboard_integration_id
                .as_ref()
                .is_some_and(|d| gone.contains(d))
            {
                switchboard.default_switchboard_integration_id = None;
                switchboard.enabled = false;
            }
        }
        self.forget_switchboard_integrations(gone);
    }

    /// Every integration, oldest first.
    pub(crate) fn integrations(&self) -> impl Iterator<Item = &Integration> {
        self.integrations.values()
    }

    /// Shows switchboard integration `current` under its current name and links wherever a
    /// conversation refers to it.
    pub(crate) fn refresh_switchboard_refs(&mut self, current: &SwitchboardIntegration) {
        let fresh = current.to_ref();
        for conversation in self.conversations.values_mut() {
            for slot in [
                &mut conversation.active_switchboard_integration,
                &mut conversation.pending_switchboard_integration,
            ] {
                if let Some(shown) = slot
                    && shown.id == fresh.id
                {
                    *shown = fresh.clone();
                }
            }
        }
    }

    /// Forgets switchboard integrations `gone` in every conversation and integration: where
    /// one was active or pending, the conversation no longer has one (the default takes control
    /// at the next message); an integration whose default responder it was has none.
    pub(crate) fn forget_switchboard_integrations(&mut self, gone: &[String]) {
        for integration in self.integrations.values_mut() {
            if integration
                .default_responder_id
                .as_ref()
                .is_some_and(|id| gone.contains(id))
            {
                integration.default_responder_id = None;
            }
        }
        for conversation in self.conversations.values_mut() {
            for slot in [
                &mut conversation.active_switchboard_integration,
                &mut conversation.pending_switchboard_integration,
            ] {
                if slot.as_ref().is_some_and(|shown| gone.contains(&shown.id)) {
                    *slot = None;
                }
            }
        }
    }

    /// The switchboard integration that takes control of a conversation without one (the
    /// enabled switchboard's default), as conversations show it.
    pub(crate) fn switchboard_assignee(&self) -> Option<SwitchboardIntegrationRef> {
        self.switchboard
            .as_ref()
            .and_then(Switchboard::assignee)
            .map(SwitchboardIntegration::to_ref)
    }

    /// The ids of `user_id`'s conversations, oldest first.
    pub(crate) fn conversations_of(&self, user_id: &str) -> Option<&BTreeSet<String>> {
        self.by_user.get(user_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(n: usize) -> BTreeSet<String> {
        (0..n).map(|i| format!("{i:024x}")).collect()
    }

    fn ids(page: &Page) -> Vec<usize> {
        page.ids
            .iter()
            .map(|id| usize::from_str_radix(id, 16).unwrap())
            .collect()
    }

    #[test]
    fn pages_in_both_directions() {
        let set = keys(7);
        let first = page(&set, Cursor::First, 3);
        assert_eq!(ids(&first), [0, 1, 2]);
        assert!(first.more_after && !first.more_before);
        let last = page(&set, Cursor::Last, 3);
        assert_eq!(ids(&last), [4, 5, 6]);
        assert!(!last.more_after && last.more_before);
        let before = page(&set, Cursor::Before(&format!("{:024x}", 4)), 3);
        assert_eq!(ids(&before), [1, 2, 3]);
        assert!(before.more_after && before.more_before);
        let after = page(&set, Cursor::After(&format!("{:024x}", 4)), 3);
        assert_eq!(ids(&after), [5, 6]);
        assert!(!after.more_after && after.more_before);
        let empty = page(&BTreeSet::new(), Cursor::Last, 3);
        assert!(empty.ids.is_empty() && !empty.more_after && !empty.more_before);
    }
}
