//! The generic entry: any operation of the API by its `operationId`, JSON in, JSON out.
//!
//! Each operation is described once, in [`OPERATIONS`](crate::OPERATIONS) (generated from the
//! spec by `make codegen`); [`Client::call`] and [`Client::operation_pages`] read the
//! descriptor to build the request: path ids percent-encoded as one segment each, query
//! parameters in the spec's style (`page[size]=10`, `filter[identities.email]=..`), the JSON
//! body checked for size, and the retry class of the method. The bindings reach every
//! operation through here; typed Rust surfaces grow on top of it.

use futures_util::stream::{self, Stream, TryStreamExt};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use crate::pagination::Direction;

use crate::models::PageMeta;
use crate::pagination::next_cursor;

use crate::client::Client;
use crate::conversations::JsonObject;
use crate::error::{Error, Result};
use crate::http::Call;
use crate::operations::OPERATIONS;
use crate::paths::encode;
use crate::validation;

/// One operation of the API, as the spec describes it.
#[derive(Debug)]
#[non_exhaustive]
pub struct Operation {
    /// The spec's `operationId` (`PostMessage`).
    pub id: &'static str,
    /// The spec's tag (`Messages`).
    pub group: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template (`/v2/apps/{appId}/conversations/{conversationId}/messages`).
    pub path: &'static str,
    /// The names of the path parameters, in template order.
    pub path_params: &'static [&'static str],
    /// The query parameters.
    pub query: &'static [Query],
    /// The request body, when the operation takes one.
    pub body: Option<Body>,
    /// The documented success status.
    pub success: u16,
    /// For a cursor-paginated list: the array field of its pages (`messages`).
    pub items: Option<&'static str>,
    /// For a list: the way a walk without a cursor goes (`ListMessages` goes backward).
    pub direction: Direction,
    /// The credential scopes the spec accepts (`app`, `account`, `integration`).
    pub scopes: &'static [&'static str],
    /// A browser redirect (`Authorize`), not a call: see [`Client::authorize_url`].
    pub redirect: bool,
    /// Whether the request carries the client's credentials (all but `GetToken`).
    pub sends_auth: bool,
}

/// A query parameter of an operation.
#[derive(Debug)]
#[non_exhaustive]
pub struct Query {
    /// Its name on the wire (`page`, `filter`, `brandId`).
    pub name: &'static str,
    /// How it is encoded.
    pub style: QueryStyle,
    /// Whether the spec requires it.
    pub required: bool,
}

/// How a query parameter is encoded.
#[derive(Debug)]
#[non_exhaustive]
pub enum QueryStyle {
    /// `name=value`.
    Form,
    /// `name[key]=value` for each key given (OpenAPI `deepObject`, exploded).
    DeepObject(&'static [Key]),
}

/// One key of a `deepObject` query parameter.
#[derive(Debug)]
#[non_exhaustive]
pub struct Key {
    /// The key (`size`, `identities.email`).
    pub name: &'static str,
    /// The type of its value.
    pub kind: KeyType,
}

/// The type of a query value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyType {
    /// A string.
    String,
    /// An integer.
    Integer,
}

/// The request body of an operation.
#[derive(Debug)]
#[non_exhaustive]
pub struct Body {
    /// Its content type.
    pub kind: BodyKind,
    /// The spec's schema name (`messagePost`).
    pub schema: &'static str,
    /// Whether the spec requires it.
    pub required: bool,
}

/// The content type of a request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyKind {
    /// `application/json`.
    Json,
    /// `multipart/form-data` (`UploadAttachment`).
    Multipart,
}

impl Operation {
    /// The operation with this `operationId`, if the spec has one.
    pub fn find(id: &str) -> Option<&'static Operation> {
        OPERATIONS.iter().find(|op| op.id == id)
    }

    /// Every operation of the spec.
    pub fn all() -> &'static [Operation] {
        OPERATIONS
    }

    /// The operation named `id`, or a validation error naming `operationId`.
    pub(crate) fn named(id: &str) -> Result<&'static Operation> {
        Self::find(id).ok_or_else(|| {
            Error::validation(
                "operationId",
                format!("{id:?} is not an operation of the API (every operationId is listed in the manifest, api.json)"),
            )
        })
    }
}

/// The arguments of a generic call, as a binding hands them over: path parameters, query
/// parameters and the body, each in wire spelling.
///
/// ```
/// use serde_json::json;
/// let args = sunco::CallArgs::new()
///     .path("appId", "demo-app")
///     .path("conversationId", "5f1c6e4b3a2d1c0b9a8f7e6d")
///     .query("page", json!({"size": 50}));
/// assert_eq!(args.path["appId"], "demo-app");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CallArgs {
    /// Path parameters by name (`appId`, `conversationId`): strings.
    #[serde(default)]
    pub path: JsonObject,
    /// Query parameters by name: a string for `brandId`, an object for `page` / `filter`.
    #[serde(default)]
    pub query: JsonObject,
    /// The JSON body, for operations that take one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

/// Only a JSON object is a `CallArgs` (serde's derive would also read an array by position).
impl<'de> Deserialize<'de> for CallArgs {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> std::result::Result<Self, D::Error> {
        struct Args;
        impl<'de> serde::de::Visitor<'de> for Args {
            type Value = CallArgs;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object with `path`, `query` and `body`")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<CallArgs, A::Error> {
                let mut args = CallArgs::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "path" => {
                            args.path = map.next_value::<Option<JsonObject>>()?.unwrap_or_default()
                        }
                        "query" => {
                            args.query = map.next_value::<Option<JsonObject>>()?.unwrap_or_default()
                        }
                        "body" => args.body = map.next_value::<Option<Value>>()?,
                        other => {
                            return Err(serde::de::Error::unknown_field(
                                other,
                                &["path", "query", "body"],
                            ));
                        }
                    }
                }
                Ok(args)
            }
        }
        de.deserialize_map(Args)
    }
}

impl CallArgs {
    /// No arguments yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a path parameter.
    pub fn path(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.path.insert(name.into(), Value::String(value.into()));
        self
    }

    /// Sets a query parameter (a string, or an object for `page` / `filter`).
    pub fn query(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.query.insert(name.into(), value.into());
        self
    }

    /// Sets the JSON body.
    pub fn body(mut self, body: impl Into<Value>) -> Self {
        self.body = Some(body.into());
        self
    }
}

/// The request path: every parameter given, a string, and one percent-encoded segment.
fn build_path(op: &Operation, args: &Map<String, Value>) -> Result<String> {
    if let Some(extra) = args.keys().find(|k| !op.path_params.contains(&k.as_str())) {
        return Err(Error::validation(
            extra.clone(),
            format!(
                "is not a path parameter of {} (it takes: {})",
                op.id,
                list_or_none(op.path_params.iter().copied())
            ),
        ));
    }
    let mut path = op.path.to_owned();
    for name in op.path_params {
        let value = match args.get(*name) {
            None | Some(Value::Null) => return Err(Error::validation(*name, "is required")),
            Some(Value::String(s)) => s,
            Some(_) => return Err(Error::validation(*name, "must be a string")),
        };
        validation::path_id(name, value)?;
        path = path.replace(&format!("{{{name}}}"), &encode(value));
    }
    Ok(path)
}

fn list_or_none<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

/// One query value as text, checked against its declared type.
fn query_value(field: &str, value: &Value, kind: KeyType) -> Result<String> {
    let text = match (value, kind) {
        (Value::String(s), KeyType::String) => s.clone(),
        (Value::Number(n), KeyType::Integer) if n.is_i64() || n.is_u64() => n.to_string(),
        (_, KeyType::String) => return Err(Error::validation(field, "must be a string")),
        (_, KeyType::Integer) => return Err(Error::validation(field, "must be an integer")),
    };
    validation::url_value(field, &text)?;
    Ok(text)
}

/// The query string, in the order the caller gave the parameters and keys.
fn build_query(op: &Operation, args: &Map<String, Value>) -> Result<Option<String>> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (name, value) in args {
        let Some(param) = op.query.iter().find(|q| q.name == name) else {
            return Err(Error::validation(
                name.clone(),
                format!(
                    "is not a query parameter of {} (it takes: {})",
                    op.id,
                    list_or_none(op.query.iter().map(|q| q.name))
                ),
            ));
        };
        if value.is_null() {
            continue;
        }
        match &param.style {
            QueryStyle::Form => {
                pairs.push((name.clone(), query_value(name, value, KeyType::String)?))
            }
            QueryStyle::DeepObject(keys) => {
                let Value::Object(object) = value else {
                    return Err(Error::validation(
                        name.clone(),
                        "must be an object of its keys (deepObject style)",
                    ));
                };
                for (key, v) in object {
                    let field = format!("{name}.{key}");
                    let Some(k) = keys.iter().find(|k| k.name == key) else {
                        return Err(Error::validation(
                            field,
                            format!(
                                "is not a key of `{name}` (it takes: {})",
                                list_or_none(keys.iter().map(|k| k.name))
                            ),
                        ));
                    };
                    if !v.is_null() {
                        pairs.push((format!("{name}[{key}]"), query_value(&field, v, k.kind)?));
                    }
                }
            }
        }
    }
    for q in op.query.iter().filter(|q| q.required) {
        if args.get(q.name).is_none_or(Value::is_null) {
            return Err(Error::validation(q.name, "is required"));
        }
    }
    rules::query(op, args)?;
    if pairs.is_empty() {
        return Ok(None);
    }
    let mut out = String::new();
    for (key, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&key);
        out.push('=');
        out.push_str(&encode(&value));
    }
    Ok(Some(out))
}

/// Rules the spec gives in prose, keyed by operation; each names the field it checks.
mod rules {
    use super::*;

    /// The `page` rules of every cursor-paginated list, and the filter rule of
    /// `ListConversations` (exactly one of `userId` / `userExternalId`).
    pub(super) fn query(op: &Operation, args: &Map<String, Value>) -> Result<()> {
        if let Some(Value::Object(page)) = args.get("page") {
            let text = |k: &str| page.get(k).and_then(Value::as_str);
            let size = page
                .get("size")
                .and_then(|v| v.as_i64().or_else(|| v.as_u64().map(|_| i64::MAX)));
            validation::page_rules(text("after"), text("before"), size)?;
        }
        if op.id == "ListConversations" {
            // The typed list's rule, on the same values (types were checked above).
            let filter = args.get("filter").and_then(Value::as_object);
            let given = |k: &str| {
                filter
                    .and_then(|f| f.get(k))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            validation::exactly_one_user("filter", &given("userId"), &given("userExternalId"))?;
        }
        Ok(())
    }

    /// Body rules of the spec's prose: `metadata` is flat and at most 4 KB wherever it
    /// appears; a switchboard integration's `name` is letters, digits, `-` and `_`; a new
    /// one names exactly one of `integrationId` / `integrationType`.
    pub(super) fn body(op: &Operation, body: &Value) -> Result<()> {
        metadata("", body, 0)?;
        if let (
            "CreateSwitchboardIntegration" | "UpdateSwitchboardIntegration",
            Some(Value::String(name)),
        ) = (op.id, body.get("name"))
        {
            validation::switchboard_name("name", name)?;
        }
        if op.id == "CreateSwitchboardIntegration" {
            let given = |k: &str| body.get(k).is_some_and(|v| !v.is_null());
            match (given("integrationId"), given("integrationType")) {
                (true, true) => {
                    return Err(Error::validation(
                        "integrationId",
                        "give integrationId or integrationType, not both",
                    ));
                }
                (false, false) => {
                    return Err(Error::validation(
                        "integrationId",
                        "exactly one of integrationId or integrationType is required",
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Every `metadata` object in `value`: flat (strings, numbers, booleans) and small.
    fn metadata(at: &str, value: &Value, depth: usize) -> Result<()> {
        if depth > crate::json::MAX_DEPTH {
            return Ok(());
        }
        let child = |k: &str| {
            if at.is_empty() {
                k.to_owned()
            } else {
                format!("{at}.{k}")
            }
        };
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    if let ("metadata", Value::Object(entries)) = (k.as_str(), v) {
                        validation::flat_metadata(&child(k), entries)?;
                    }
                    metadata(&child(k), v, depth + 1)?;
                }
                Ok(())
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    metadata(&format!("{at}[{i}]"), v, depth + 1)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// The JSON body, checked against what the operation takes and the size limit.
fn build_body(op: &Operation, body: Option<&Value>) -> Result<Option<bytes::Bytes>> {
    let body = body.filter(|b| !b.is_null());
    match (&op.body, body) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(Error::validation(
            "body",
            format!("{} takes no body", op.id),
        )),
        (Some(spec), _) if spec.kind == BodyKind::Multipart => Err(Error::validation(
            "operationId",
            format!(
                "{} sends a file (multipart/form-data), which a JSON call cannot carry: use the upload function",
                op.id
            ),
        )),
        (Some(spec), None) if spec.required => Err(Error::validation("body", "is required")),
        (Some(_), None) => Ok(None),
        (Some(_), Some(value)) => {
            if !value.is_object() {
                return Err(Error::validation("body", "must be a JSON object"));
            }
            let bytes = serde_json::to_vec(value).map_err(|e| {
                Error::validation("body", format!("cannot be encoded as JSON: {e}"))
            })?;
            validation::body_size(&bytes)?;
            if let Some(schema) = crate::schemas::request_body(op.id) {
                crate::schema::check(schema, value)?;
            }
            rules::body(op, value)?;
            Ok(Some(bytes::Bytes::from(bytes)))
        }
    }
}

impl Operation {
    /// The HTTP method as reqwest spells it.
    pub(crate) fn http_method(&self) -> Method {
        match self.method {
            "GET" => Method::GET,
            "POST" => Method::POST,
            "PUT" => Method::PUT,
            "PATCH" => Method::PATCH,
            "DELETE" => Method::DELETE,
            _ => Method::GET,
        }
    }
}

/// The path of `op` from its path arguments (for calls built elsewhere, such as uploads).
pub(crate) fn build_path_for(op: &Operation, args: &Map<String, Value>) -> Result<String> {
    build_path(op, args)
}

/// The query of `op` from its query arguments.
pub(crate) fn build_query_for(op: &Operation, args: &Map<String, Value>) -> Result<Option<String>> {
    build_query(op, args)
}

fn build_call(op: &Operation, args: &CallArgs) -> Result<Call> {
    if op.redirect {
        return Err(Error::validation(
            "operationId",
            format!(
                "{} is a browser redirect, not a call: build its URL with authorize_url",
                op.id
            ),
        ));
    }
    Ok(Call {
        method: op.http_method(),
        path: build_path(op, &args.path)?,
        query: build_query(op, &args.query)?,
        body: build_body(op, args.body.as_ref())?,
        sends_auth: op.sends_auth,
        form: None,
    })
}

impl Client {
    /// Calls any operation of the API by its `operationId`, answering the response body
    /// exactly as the server sent it (an empty object for an empty body).
    ///
    /// Nothing is sent when an argument is missing, unknown, of the wrong type, or breaks a
    /// rule (ids, cursors, page size, the body size limit): the error names the argument in
    /// wire spelling. `POST`s are retried only when the server cannot have acted.
    ///
    /// ```no_run
    /// # async fn demo(client: sunco::Client) -> sunco::Result<()> {
    /// use serde_json::json;
    /// let sent = client
    ///     .call(
    ///         "PostMessage",
    ///         &sunco::CallArgs::new()
    ///             .path("appId", "demo-app")
    ///             .path("conversationId", "5f1c6e4b3a2d1c0b9a8f7e6d")
    ///             .body(json!({
    ///                 "author": {"type": "business"},
    ///                 "content": {"type": "text", "text": "Hello!"}
    ///             })),
    ///     )
    ///     .await?;
    /// println!("{}", sent["messages"][0]["id"]);
    /// # Ok(()) }
    /// ```
    pub async fn call(&self, operation_id: &str, args: &CallArgs) -> Result<JsonObject> {
        let op = Operation::named(operation_id)?;
        let call = build_call(op, args)?;
        let body = self.inner.execute(&call).await?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(JsonObject::new());
        }
        serde_json::from_slice(&body)
            .map_err(|e| crate::http::decode_error(200, e.to_string(), &body))
    }

    /// Pages of a cursor-paginated list operation (`ListMessages`, `ListParticipants`, ...),
    /// fetched one at a time on demand. A walk that starts from `page.after` goes forward and
    /// one from `page.before` backward; without a cursor it goes the operation's way
    /// ([`Operation::direction`]: backward for `ListMessages`, whose first page is the latest).
    pub fn operation_pages(&self, operation_id: &str, args: CallArgs) -> Result<OperationPages> {
        let op = Operation::named(operation_id)?;
        let Some(items) = op.items else {
            return Err(Error::validation(
                "operationId",
                format!("{} is not a cursor-paginated list", op.id),
            ));
        };
        // Checked now, so a bad argument fails before the first page is asked for.
        build_call(op, &args)?;
        let page = args.query.get("page").and_then(Value::as_object);
        let has = |k: &str| page.is_some_and(|p| p.get(k).is_some_and(|v| !v.is_null()));
        let direction = if has("before") {
            Direction::Backward
        } else if has("after") {
            Direction::Forward
        } else {
            op.direction
        };
        Ok(OperationPages {
            client: self.clone(),
            op,
            args,
            items,
            direction,
            done: false,
        })
    }

    /// The URL of an operation that is a browser redirect (`Authorize`), with its query
    /// parameters (`client_id`, `response_type`, `state`, `redirect_uri`) encoded and checked.
    pub fn authorize_url(&self, query: &JsonObject) -> Result<String> {
        let op = Operation::named("Authorize")?;
        let mut url = format!("{}{}", self.base_url(), op.path);
        if let Some(q) = build_query(op, query)? {
            url.push('?');
            url.push_str(&q);
        }
        Ok(url)
    }
}

/// The pages of one list operation, walked along its cursors until `meta.hasMore` is false.
#[derive(Debug, Clone)]
pub struct OperationPages {
    client: Client,
    op: &'static Operation,
    args: CallArgs,
    items: &'static str,
    direction: Direction,
    done: bool,
}

impl OperationPages {
    /// The operation being walked (its `items` names the array of each page).
    pub fn operation(&self) -> &'static Operation {
        self.op
    }

    /// The direction of this walk.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The array field of each page (`messages`, `conversations`, ...).
    pub fn items(&self) -> &'static str {
        self.items
    }

    /// Whether the last page has been returned.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The next page as the server sent it, or `None` after the last one.
    pub async fn next_page(&mut self) -> Result<Option<JsonObject>> {
        if self.done {
            return Ok(None);
        }
        let page = self.client.call(self.op.id, &self.args).await?;
        if !page.get(self.items).is_some_and(Value::is_array) {
            self.done = true;
            let text = serde_json::to_string(&page).unwrap_or_default();
            return Err(crate::http::decode_error(
                200,
                format!("the page has no `{}` array", self.items),
                text.as_bytes(),
            ));
        }
        // The same reading of `meta` as the typed walk; fields of the wrong type count as absent.
        let meta = page.get("meta").and_then(Value::as_object);
        let text = |k: &str| {
            meta.and_then(|m| m.get(k))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let meta = PageMeta {
            has_more: meta
                .and_then(|m| m.get("hasMore"))
                .and_then(Value::as_bool)
                .unwrap_or(false),
            after_cursor: text("afterCursor"),
            before_cursor: text("beforeCursor"),
            extra: Map::new(),
        };
        let (key, other) = match self.direction {
            Direction::Forward => ("after", "before"),
            Direction::Backward => ("before", "after"),
        };
        let query_page = self
            .args
            .query
            .entry("page")
            .or_insert_with(|| Value::Object(Map::new()));
        if !query_page.is_object() {
            *query_page = Value::Object(Map::new());
        }
        let Value::Object(query_page) = query_page else {
            return Ok(Some(page));
        };
        let current = query_page.get(key).and_then(Value::as_str);
        match next_cursor(self.direction, &meta, current) {
            Ok(Some(next)) => {
                query_page.insert(key.to_owned(), Value::String(next.to_owned()));
                query_page.remove(other);
                Ok(Some(page))
            }
            Ok(None) => {
                self.done = true;
                Ok(Some(page))
            }
            Err(e) => {
                self.done = true;
                Err(e)
            }
        }
    }

    /// Every record of every page, fetched lazily; drop the stream to stop early. Pages come
    /// in walk order; records keep the server's order within each page.
    pub fn into_stream(self) -> impl Stream<Item = Result<Value>> + Send + 'static {
        let items = self.items;
        stream::try_unfold(self, |mut pages| async move {
            Ok(pages.next_page().await?.map(|page| (page, pages)))
        })
        .map_ok(move |mut page| {
            let records = match page.remove(items) {
                Some(Value::Array(records)) => records,
                _ => Vec::new(),
            };
            stream::iter(records.into_iter().map(Ok))
        })
        .try_flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(id: &str, args: CallArgs) -> Result<Call> {
        build_call(Operation::named(id)?, &args)
    }

    fn field(r: Result<Call>) -> String {
        match r {
            Err(Error::Validation { field, .. }) => field,
            Err(other) => panic!("{other:?}"),
            Ok(c) => panic!("sent {} {:?}", c.path, c.query),
        }
    }

    #[test]
    fn every_operation_of_the_spec_is_described_once() {
        assert_eq!(OPERATIONS.len(), 68);
        let mut ids: Vec<_> = OPERATIONS.iter().map(|o| o.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 68);
        for op in OPERATIONS {
            for p in op.path_params {
                assert!(op.path.contains(&format!("{{{p}}}")), "{}", op.id);
            }
        }
        let lists: Vec<_> = OPERATIONS
            .iter()
            .filter(|o| o.items.is_some())
            .map(|o| o.id)
            .collect();
        assert_eq!(
            lists,
            [
                "ListApps",
                "ListConversations",
                "ListParticipants",
                "ListMessages",
                "ListIntegrations",
                "ListClients"
            ]
        );
        assert_eq!(
            Operation::find("ListMessages").unwrap().direction,
            Direction::Backward
        );
        assert!(!Operation::find("GetToken").unwrap().sends_auth);
    }

    #[test]
    fn paths_and_queries_in_wire_form() {
        let c = call(
            "ListMessages",
            CallArgs::new()
                .path("appId", "a/b")
                .path("conversationId", "..x")
                .query("page", json!({"before": "c".repeat(24), "size": 10})),
        )
        .unwrap();
        assert_eq!(c.method, Method::GET);
        assert_eq!(c.path, "/v2/apps/a%2Fb/conversations/..x/messages");
        assert_eq!(
            c.query.unwrap(),
            format!("page[before]={}&page[size]=10", "c".repeat(24))
        );

        let c = call(
            "ListUsers",
            CallArgs::new()
                .path("appId", "app")
                .query("filter", json!({"identities.email": "a+b@x.io"}))
                .query("brandId", "9477922990333"),
        )
        .unwrap();
        assert_eq!(
            c.query.unwrap(),
            "filter[identities.email]=a%2Bb%40x.io&brandId=9477922990333"
        );
        let token = json!({"code": "x", "grant_type": "authorization_code", "client_id": "c", "client_secret": "s"});
        let c = call("GetToken", CallArgs::new().body(token)).unwrap();
        assert!(!c.sends_auth && c.method == Method::POST);
    }

    #[test]
    fn bad_arguments_are_named_and_nothing_is_built() {
        let app = || CallArgs::new().path("appId", "app");
        assert_eq!(field(call("NoSuchOp", app())), "operationId");
        assert_eq!(field(call("Authorize", CallArgs::new())), "operationId");
        assert_eq!(field(call("ListMessages", app())), "conversationId");
        assert_eq!(
            field(call("GetApp", app().path("conversationId", "x"))),
            "conversationId"
        );
        assert_eq!(
            field(call("GetApp", CallArgs::new().path("appId", ".."))),
            "appId"
        );
        assert_eq!(
            field(call(
                "GetApp",
                CallArgs::new().path("appId", "y".repeat(70_000))
            )),
            "appId"
        );
        let mut bad = app();
        bad.path.insert("appId".into(), json!(5));
        assert_eq!(field(call("GetApp", bad)), "appId");
        assert_eq!(field(call("ListUsers", app())), "filter");
        assert_eq!(
            field(call(
                "ListUsers",
                app().query("filter", json!({"email": "x"}))
            )),
            "filter.email"
        );
        assert_eq!(
            field(call("ListUsers", app().query("filter", "x"))),
            "filter"
        );
        assert_eq!(
            field(call("GetApp", app().query("brandId", "1"))),
            "brandId"
        );
        assert_eq!(
            field(call(
                "ListApps",
                CallArgs::new().query("page", json!({"size": 0}))
            )),
            "page.size"
        );
        assert_eq!(
            field(call(
                "ListApps",
                CallArgs::new().query("page", json!({"size": "10"}))
            )),
            "page.size"
        );
        assert_eq!(
            field(call(
                "ListApps",
                CallArgs::new().query("page", json!({"after": "x"}))
            )),
            "page.after"
        );
        assert_eq!(field(call("ListConversations", app())), "filter");
        assert_eq!(field(call("GetApp", app().body(json!({"a": 1})))), "body");
        assert_eq!(field(call("CreateApp", CallArgs::new())), "body");
        assert_eq!(
            field(call("CreateApp", CallArgs::new().body(json!([1])))),
            "body"
        );
        let big = json!({"displayName": "x".repeat(200 * 1024)});
        assert_eq!(field(call("CreateApp", CallArgs::new().body(big))), "body");
        assert_eq!(
            field(call("UploadAttachment", app().query("access", "public"))),
            "operationId"
        );
    }

    #[test]
    fn call_args_from_binding_json() {
        let args: CallArgs = crate::json::from_str(
            "args",
            r#"{"path": {"appId": "a"}, "query": {"page": {"size": 5}}, "body": null}"#,
        )
        .unwrap();
        assert_eq!(args.path["appId"], "a");
        let e = crate::json::from_str::<CallArgs>("args", r#"{"paths": {}}"#).unwrap_err();
        assert!(matches!(e, Error::Validation { field, .. } if field == "paths"));
        for not_an_object in ["[]", r#"[{"appId": "a"}]"#, "5", "\"x\""] {
            let e = crate::json::from_str::<CallArgs>("args", not_an_object).unwrap_err();
            assert!(
                matches!(&e, Error::Validation { field, .. } if field == "args"),
                "{e:?}"
            );
        }
        let e = crate::json::from_str::<CallArgs>("args", r#"{"path": {"appId": 5}}"#);
        assert!(e.is_ok(), "types inside are checked when calling");
        let e = crate::json::from_str::<CallArgs>("args", r#"{"path": []}"#).unwrap_err();
        assert!(
            matches!(&e, Error::Validation { field, .. } if field == "path"),
            "{e:?}"
        );
    }
}
