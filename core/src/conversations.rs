//! [`Conversations`]: the six operations of the Conversations API for one app.

use bytes::Bytes;
use futures_util::Stream;
use reqwest::Method;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::http::Call;
use crate::models::{
    Conversation, ConversationEnvelope, ConversationPage, CreateConversation, DownloadMessageRef,
    ListConversations, UpdateConversation,
};
use crate::pagination::Paginator;
use crate::{paths, validation};

/// The conversations of one app: `client.conversations("app_id")`.
///
/// Every method validates its input first: nothing is sent when a rule is broken.
#[derive(Debug, Clone)]
pub struct Conversations {
    client: Client,
    app_id: String,
}

fn json_body<T: Serialize>(body: &T) -> Result<Bytes> {
    let bytes = serde_json::to_vec(body)
        .map_err(|e| Error::validation("body", format!("cannot be encoded as JSON: {e}")))?;
    validation::body_size(&bytes)?;
    Ok(Bytes::from(bytes))
}

impl Conversations {
    pub(crate) fn new(client: Client, app_id: String) -> Self {
        Conversations { client, app_id }
    }

    /// The app these conversations belong to.
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// `POST /v2/apps/{appId}/conversations`: creates a conversation.
    ///
    /// Retried only when the server cannot have acted (429, or no connection).
    ///
    /// ```no_run
    /// # async fn demo(client: sunco::Client) -> sunco::Result<()> {
    /// use sunco::{CreateConversation, Participant};
    /// let conv = client
    ///     .conversations("demo-app")
    ///     .create(&CreateConversation::personal(Participant::user_external_id("alice")))
    ///     .await?;
    /// println!("{} is_default={:?}", conv.id, conv.is_default);
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, body: &CreateConversation) -> Result<Conversation> {
        validation::create(body)?;
        let call = Call {
            method: Method::POST,
            path: paths::conversations(&self.app_id)?,
            query: None,
            body: Some(json_body(body)?),
        };
        let env: ConversationEnvelope = self.client.inner.execute_json(&call).await?;
        Ok(env.conversation)
    }

    /// `GET /v2/apps/{appId}/conversations/{conversationId}`.
    pub async fn get(&self, conversation_id: &str) -> Result<Conversation> {
        let call = Call {
            method: Method::GET,
            path: paths::conversation(&self.app_id, conversation_id)?,
            query: None,
            body: None,
        };
        let env: ConversationEnvelope = self.client.inner.execute_json(&call).await?;
        Ok(env.conversation)
    }

    /// `GET /v2/apps/{appId}/conversations?filter[...]&page[...]`: one page.
    ///
    /// ```no_run
    /// # async fn demo(client: sunco::Client) -> sunco::Result<()> {
    /// let page = client
    ///     .conversations("demo-app")
    ///     .list(&sunco::ListConversations::user_external_id("alice").size(50))
    ///     .await?;
    /// println!("{} conversations, more: {}", page.conversations.len(), page.meta.has_more);
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, params: &ListConversations) -> Result<ConversationPage> {
        validation::list(params)?;
        let call = Call {
            method: Method::GET,
            path: paths::conversations(&self.app_id)?,
            query: Some(paths::list_query(params)),
            body: None,
        };
        self.client.inner.execute_json(&call).await
    }

    /// `PATCH /v2/apps/{appId}/conversations/{conversationId}`: fields left
    /// [`Patch::Unchanged`](crate::Patch::Unchanged) are not sent; `Patch::Clear` sends `null`.
    pub async fn update(
        &self,
        conversation_id: &str,
        body: &UpdateConversation,
    ) -> Result<Conversation> {
        validation::update(body)?;
        let call = Call {
            method: Method::PATCH,
            path: paths::conversation(&self.app_id, conversation_id)?,
            query: None,
            body: Some(json_body(body)?),
        };
        let env: ConversationEnvelope = self.client.inner.execute_json(&call).await?;
        Ok(env.conversation)
    }

    /// `DELETE /v2/apps/{appId}/conversations/{conversationId}`. A user's default
    /// conversation cannot be deleted (HTTP 400).
    pub async fn delete(&self, conversation_id: &str) -> Result<()> {
        let call = Call {
            method: Method::DELETE,
            path: paths::conversation(&self.app_id, conversation_id)?,
            query: None,
            body: None,
        };
        self.client.inner.execute(&call).await.map(drop)
    }

    /// `POST /v2/apps/{appId}/conversations/{conversationId}/download`: fetches the
    /// full data behind a third-party message ref; the answer is free-form JSON.
    pub async fn download_message_ref(
        &self,
        conversation_id: &str,
        body: &DownloadMessageRef,
    ) -> Result<Map<String, Value>> {
        validation::download(body)?;
        let call = Call {
            method: Method::POST,
            path: format!(
                "{}/download",
                paths::conversation(&self.app_id, conversation_id)?
            ),
            query: None,
            body: Some(json_body(body)?),
        };
        self.client.inner.execute_json(&call).await
    }

    /// Pages of `listConversations`, fetched one at a time on demand.
    pub fn pages(&self, params: ListConversations) -> Paginator {
        Paginator::new(self.clone(), params)
    }

    /// Every conversation matching `params`, across all pages, fetched lazily.
    /// Drop the stream to stop early; no further page is requested.
    ///
    /// ```no_run
    /// # async fn demo(client: sunco::Client) -> sunco::Result<()> {
    /// use futures_util::TryStreamExt;
    /// let convs = client.conversations("demo-app");
    /// let mut all = std::pin::pin!(convs.stream(sunco::ListConversations::user_external_id("alice")));
    /// while let Some(c) = all.try_next().await? {
    ///     println!("{}", c.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream(
        &self,
        params: ListConversations,
    ) -> impl Stream<Item = Result<Conversation>> + Send + 'static {
        self.pages(params).into_stream()
    }
}
