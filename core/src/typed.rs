//! What the generated handles in `resources.rs` share: typed arguments into a [`CallArgs`],
//! the call through the operation's descriptor, and the answer decoded into its model.

use std::marker::PhantomData;

use futures_util::{Stream, StreamExt, TryStreamExt, future::Either, stream};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::operation::{CallArgs, OperationPages};
use crate::{Client, Error, JsonObject, Result};

/// `args` with `body` as its JSON body (checked against the operation's schema when sent).
pub(crate) fn with_body<B: Serialize>(mut args: CallArgs, body: &B) -> Result<CallArgs> {
    let value = serde_json::to_value(body).map_err(|e| Error::validation("body", e.to_string()))?;
    args.body = Some(value);
    Ok(args)
}

/// `args` with the query parameters of `params` (a generated `...Params` struct).
pub(crate) fn with_query<P: Serialize>(mut args: CallArgs, params: &P) -> Result<CallArgs> {
    args.query = query_object(params)?;
    Ok(args)
}

/// The query parameters of `params` (a generated `...Params` struct) by wire name.
pub(crate) fn query_object<P: Serialize>(params: &P) -> Result<JsonObject> {
    match serde_json::to_value(params).map_err(|e| Error::validation("query", e.to_string()))? {
        Value::Object(query) => Ok(query),
        _ => Err(Error::validation(
            "query",
            "must be an object of parameters",
        )),
    }
}

/// Sends `operation_id` and decodes its answer into `R`.
pub(crate) async fn invoke<R: DeserializeOwned>(
    client: &Client,
    operation_id: &str,
    args: CallArgs,
) -> Result<R> {
    decode(client.call(operation_id, &args).await?)
}

/// Sends `operation_id`, whose answer is an empty object.
pub(crate) async fn invoke_empty(
    client: &Client,
    operation_id: &str,
    args: CallArgs,
) -> Result<()> {
    client.call(operation_id, &args).await.map(drop)
}

/// A response body as its model; a body that does not fit says where, as a decode error.
pub(crate) fn decode<R: DeserializeOwned>(body: JsonObject) -> Result<R> {
    decode_value(Value::Object(body))
}

/// `body` read into `R` and written back.
pub(crate) fn reencode<R: DeserializeOwned + Serialize>(body: JsonObject) -> Result<Value> {
    let model: R = decode(body)?;
    serde_json::to_value(&model).map_err(|e| Error::validation("response", e.to_string()))
}

fn decode_value<R: DeserializeOwned>(value: Value) -> Result<R> {
    serde_path_to_error::deserialize(&value).map_err(|e| {
        let text = serde_json::to_string(&value).unwrap_or_default();
        crate::http::decode_error(
            200,
            format!(
                "the response is not as the API documents it: {} (at `{}`)",
                e.inner(),
                e.path()
            ),
            text.as_bytes(),
        )
    })
}

/// The pages of a typed list, fetched one at a time on demand: each page decoded into `P`
/// (`MessageListResponse`, ...), each record into `T` by [`stream`](Self::into_stream).
///
/// A walk that starts from `page.after` goes forward and one from `page.before` backward;
/// without a cursor it goes the operation's way (backward for `ListMessages`).
#[derive(Debug)]
pub struct ListPages<P, T> {
    pages: OperationPages,
    _types: PhantomData<fn() -> (P, T)>,
}

impl<P, T> ListPages<P, T>
where
    P: DeserializeOwned,
    T: DeserializeOwned + Send + 'static,
{
    pub(crate) fn new(client: &Client, operation_id: &str, args: CallArgs) -> Result<Self> {
        Ok(ListPages {
            pages: client.operation_pages(operation_id, args)?,
            _types: PhantomData,
        })
    }

    /// The next page, or `None` after the last one.
    pub async fn next_page(&mut self) -> Result<Option<P>> {
        match self.pages.next_page().await? {
            Some(page) => decode(page).map(Some),
            None => Ok(None),
        }
    }

    /// The walk as JSON pages, as [`Client::operation_pages`] gives it.
    pub fn into_json(self) -> OperationPages {
        self.pages
    }

    /// Every record of every page, fetched lazily; drop the stream to stop early.
    pub fn into_stream(self) -> impl Stream<Item = Result<T>> + Send + 'static {
        self.pages
            .into_stream()
            .and_then(|record| async move { decode_value(record) })
    }
}

/// The records of `pages`, or its error as the only item.
pub(crate) fn stream<P, T>(
    pages: Result<ListPages<P, T>>,
) -> impl Stream<Item = Result<T>> + Send + 'static
where
    P: DeserializeOwned,
    T: DeserializeOwned + Send + 'static,
{
    match pages {
        Ok(pages) => Either::Left(pages.into_stream()),
        Err(e) => Either::Right(stream::once(async move { Err(e) })),
    }
    .boxed()
}
