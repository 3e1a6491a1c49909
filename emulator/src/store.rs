//! The in-memory records of one app: users, conversations and who takes part in what.

use std::collections::{BTreeSet, HashMap};
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
}

/// The conversation types the API knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum ConversationType {
    #[serde(rename = "personal")]
    Personal,
    #[serde(rename = "sdkGroup")]
    SdkGroup,
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
    /// Ids of the participating users.
    #[serde(skip)]
    pub(crate) participants: Vec<String>,
}

/// Everything one app holds. Guarded by the app's lock in [`crate::state::AppSlot`].
#[derive(Debug, Default)]
pub(crate) struct AppData {
    users: HashMap<String, User>,
    /// externalId -> user id.
    external_ids: HashMap<String, String>,
    conversations: HashMap<String, Conversation>,
    /// user id -> ids of the conversations the user takes part in; ids sort in creation order.
    by_user: HashMap<String, BTreeSet<String>>,
}

/// One page of a user's conversation ids, oldest first.
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
    First,
    After(&'a str),
    Before(&'a str),
}

impl AppData {
    /// The records of a freshly seeded app (no conversations).
    pub(crate) fn from_seed(app: &SeedApp) -> Self {
        let now = timestamp::format_millis(timestamp::now_millis());
        let mut data = AppData::default();
        for user in &app.users {
            data.insert_user(User {
                id: user
                    .id
                    .clone()
                    .expect("seed ids are resolved when the seed is loaded"),
                external_id: user.external_id.clone(),
                brand_id: None,
                signed_up_at: now.clone(),
                to_be_retained: None,
                profile: user.profile.clone().unwrap_or_default(),
                metadata: user.metadata.clone().unwrap_or_default(),
                identities: Vec::new(),
                default_conversation: None,
            });
        }
        data
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

    pub(crate) fn user_by_external_id(&self, external_id: &str) -> Option<&User> {
        self.external_ids
            .get(external_id)
            .and_then(|id| self.users.get(id))
    }

    pub(crate) fn insert_user(&mut self, user: User) {
        if let Some(ext) = &user.external_id {
            self.external_ids.insert(ext.clone(), user.id.clone());
        }
        self.users.insert(user.id.clone(), user);
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
            && let [user_id] = conversation.participants.as_slice()
            && let Some(user) = self.users.get_mut(user_id)
            && user.default_conversation.is_none()
        {
            user.default_conversation = Some(conversation.id.clone());
            conversation.is_default = true;
        }
        for user_id in &conversation.participants {
            self.by_user
                .entry(user_id.clone())
                .or_default()
                .insert(conversation.id.clone());
        }
        let id = conversation.id.clone();
        self.conversations.entry(id).or_insert(conversation)
    }

    /// Removes a conversation and its participations.
    pub(crate) fn remove_conversation(&mut self, id: &str) -> Option<Conversation> {
        let conversation = self.conversations.remove(id)?;
        for user_id in &conversation.participants {
            if let Some(set) = self.by_user.get_mut(user_id) {
                set.remove(id);
            }
        }
        Some(conversation)
    }

    /// Up to `size` ids of `user_id`'s conversations around `cursor`, oldest first.
    ///
    /// `After(x)` gives the first `size` ids greater than `x`; `Before(x)` the last `size` ids
    /// less than `x`. The cursor record need not exist any more.
    pub(crate) fn page(&self, user_id: &str, cursor: Cursor<'_>, size: usize) -> Page {
        let Some(set) = self.by_user.get(user_id) else {
            return Page::default();
        };
        match cursor {
            Cursor::First | Cursor::After(_) => {
                let lower = match cursor {
                    Cursor::After(x) => Bound::Excluded(x),
                    _ => Bound::Unbounded,
                };
                let mut iter = set.range::<str, _>((lower, Bound::Unbounded));
                let ids: Vec<String> = iter.by_ref().take(size).cloned().collect();
                let more_after = iter.next().is_some();
                let more_before = ids.first().is_some_and(|first| {
                    set.range::<str, _>((Bound::Unbounded, Bound::Excluded(first.as_str())))
                        .next()
                        .is_some()
                });
                Page {
                    ids,
                    more_after,
                    more_before,
                }
            }
            Cursor::Before(x) => {
                let mut iter = set
                    .range::<str, _>((Bound::Unbounded, Bound::Excluded(x)))
                    .rev();
                let mut ids: Vec<String> = iter.by_ref().take(size).cloned().collect();
                let more_before = iter.next().is_some();
                ids.reverse();
                let more_after = ids.last().is_some_and(|last| {
                    set.range::<str, _>((Bound::Excluded(last.as_str()), Bound::Unbounded))
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
}
