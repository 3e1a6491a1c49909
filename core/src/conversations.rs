//! [`Conversations`]: the six operations of the Conversations API for one app.

use bytes::Bytes;
use futures_util::Stream;
use serde_json::{Map, Value};

use crate::client::Client;
use crate::error::Result;
use crate::http::Call;
use crate::models::{
    Conversation, ConversationEnvelope, ConversationPage, CreateConversation, DownloadMessageRef,
    ListConversations, UpdateConversation,
};
use crate::operation::{Operation, build_path_for};
use crate::pagination::Paginator;
use crate::{body, paths, validation};

/// The conversations of one app: `client.conversations("app_id")`.
///
/// Every method validates its input first: nothing is sent when a rule is broken.
#[derive(Debug, Clone)]
pub struct Conversations {
    pub(crate) client: Client,
    pub(crate) app_id: String,
}

/// A response body exactly as the server sent it (key order, `null`s and unknown fields kept).
pub type JsonObject = Map<String, Value>;

/// What a raw body must hold for the bindings to build their results from it.
#[derive(Clone, Copy)]
pub(crate) enum Shape {
    /// `{"conversation": {...}}`.
    Conversation,
    /// `{"conversations": [{...}, ...], "meta": {...}?}`.
    Page,
}

/// Checks that a conversation object has what every result type reads: a string `id` and
/// `type`. Other fields are handed over as they are (a newer server may send new shapes).
fn conversation_shape(v: &Value, at: &str) -> std::result::Result<(), String> {
    let Some(obj) = v.as_object() else {
        return Err(format!("invalid type: `{at}` must be an object"));
    };
    for key in ["id", "type"] {
        match obj.get(key) {
            None => return Err(format!("missing field `{key}` in `{at}`")),
            Some(Value::String(_)) => {}
            Some(_) => return Err(format!("invalid type: `{at}.{key}` must be a string")),
        }
    }
    Ok(())
}

/// Hands `body` back only if it has the documented shape, so that the bindings, which build
/// their results from raw bodies, never get one their result types cannot describe.
pub(crate) fn conforming(body: JsonObject, shape: Shape) -> Result<JsonObject> {
    let problem = match shape {
        Shape::Conversation => match body.get("conversation") {
            None => Some("missing field `conversation`".to_owned()),
            Some(c) => conversation_shape(c, "conversation").err(),
        },
        Shape::Page => match body.get("conversations") {
            None => Some("missing field `conversations`".to_owned()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .find_map(|(i, c)| conversation_shape(c, &format!("conversations[{i}]")).err())
                .or_else(|| match body.get("meta") {
                    None | Some(Value::Null | Value::Object(_)) => None,
                    Some(_) => Some("invalid type: `meta` must be an object".to_owned()),
                }),
            Some(_) => Some("invalid type: `conversations` must be an array".to_owned()),
        },
    };
    match problem {
        None => Ok(body),
        Some(problem) => {
            let text = serde_json::to_string(&body).unwrap_or_default();
            Err(crate::http::decode_error(
                200,
                format!("the response is not as the API documents it: {problem}"),
                text.as_bytes(),
            ))
        }
    }
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
        let env: ConversationEnvelope = self.send(self.create_call(body)?).await?;
        Ok(env.conversation)
    }

    /// [`create`](Self::create), answering the response body as sent (`{"conversation": ...}`).
    pub async fn create_json(&self, body: &CreateConversation) -> Result<JsonObject> {
        conforming(
            self.send(self.create_call(body)?).await?,
            Shape::Conversation,
        )
    }

    fn create_call(&self, body: &CreateConversation) -> Result<Call> {
        validation::create(body)?;
        self.call("CreateConversation", None, None, Some(body::encode(body)?))
    }

    /// The request of `operation_id` from its descriptor (method, path template, auth), with
    /// this app's id and the conversation's as its path, and the query and body the typed
    /// method encoded (and validated) itself.
    fn call(
        &self,
        operation_id: &str,
        conversation_id: Option<&str>,
        query: Option<String>,
        body: Option<Bytes>,
    ) -> Result<Call> {
        let op = Operation::named(operation_id)?;
        let mut path = Map::new();
        path.insert("appId".into(), Value::String(self.app_id.clone()));
        if let Some(id) = conversation_id {
            path.insert("conversationId".into(), Value::String(id.to_owned()));
        }
        Ok(Call {
            method: op.http_method(),
            path: build_path_for(op, &path)?,
            query,
            body,
            sends_auth: op.sends_auth,
            form: None,
        })
    }

    async fn send<T: serde::de::DeserializeOwned>(&self, call: Call) -> Result<T> {
        self.client.inner.execute_json(&call).await
    }

    /// `GET /v2/apps/{appId}/conversations/{conversationId}`.
    pub async fn get(&self, conversation_id: &str) -> Result<Conversation> {
        let env: ConversationEnvelope = self.send(self.get_call(conversation_id)?).await?;
        Ok(env.conversation)
    }

    /// [`get`](Self::get), answering the response body as sent (`{"conversation": ...}`).
    pub async fn get_json(&self, conversation_id: &str) -> Result<JsonObject> {
        conforming(
            self.send(self.get_call(conversation_id)?).await?,
            Shape::Conversation,
        )
    }

    fn get_call(&self, conversation_id: &str) -> Result<Call> {
        self.call("GetConversation", Some(conversation_id), None, None)
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
        self.send(self.list_call(params)?).await
    }

    /// [`list`](Self::list), answering the page as sent (`conversations`, `meta`, `links`, ...).
    pub async fn list_json(&self, params: &ListConversations) -> Result<JsonObject> {
        conforming(self.send(self.list_call(params)?).await?, Shape::Page)
    }

    fn list_call(&self, params: &ListConversations) -> Result<Call> {
        validation::list(params)?;
        self.call(
            "ListConversations",
            None,
            Some(paths::list_query(params)),
            None,
        )
    }

    /// `PATCH /v2/apps/{appId}/conversations/{conversationId}`: fields left
    /// [`Patch::Unchanged`](crate::Patch::Unchanged) are not sent; `Patch::Clear` sends `null`.
    pub async fn update(
        &self,
        conversation_id: &str,
        body: &UpdateConversation,
    ) -> Result<Conversation> {
        let env: ConversationEnvelope = self.send(self.update_call(conversation_id, body)?).await?;
        Ok(env.conversation)
    }

    /// [`update`](Self::update), answering the response body as sent (`{"conversation": ...}`).
    pub async fn update_json(
        &self,
        conversation_id: &str,
        body: &UpdateConversation,
    ) -> Result<JsonObject> {
        let body = self.send(self.update_call(conversation_id, body)?).await?;
        conforming(body, Shape::Conversation)
    }

    fn update_call(&self, conversation_id: &str, body: &UpdateConversation) -> Result<Call> {
        validation::update(body)?;
        self.call(
            "UpdateConversation",
            Some(conversation_id),
            None,
            Some(body::encode(body)?),
        )
    }

    /// `DELETE /v2/apps/{appId}/conversations/{conversationId}`. A user's default
    /// conversation cannot be deleted (HTTP 400).
    pub async fn delete(&self, conversation_id: &str) -> Result<()> {
        let call = self.call("DeleteConversation", Some(conversation_id), None, None)?;
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
        let call = self.call(
            "DownloadMessageRef",
            Some(conversation_id),
            None,
            Some(body::encode(body)?),
        )?;
        self.client.inner.execute_json(&call).await
    }

    /// Pages of `listConversations`, fetched one at a time on demand. Starting from
    /// `page.before` walks backward (following `meta.beforeCursor`); otherwise forward.
    pub fn pages(&self, params: ListConversations) -> Paginator {
        Paginator::new(self.clone(), params)
    }

    /// Every conversation matching `params`, across all pages, fetched lazily.
    /// Drop the stream to stop early; no further page is requested.
    ///
    /// Order: forward walks yield records oldest first. A walk that starts from `page.before`
    /// goes backward: first the page just before the cursor, then the page before that, and so
    /// on; records within each page keep the server's (ascending) order.
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
