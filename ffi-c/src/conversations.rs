//! The six operations of the Conversations API, as blocking C functions.
//!
//! Each one reads its arguments, runs the core call on the library runtime, and writes the
//! result: the server's JSON exactly as it was sent (key order, `null`s and unknown fields kept). All of them block the calling thread until the call (with its
//! retries) is over, and must not be called from inside a tokio runtime.

use std::ffi::c_char;

use sunco::{
    Conversations, CreateConversation, DownloadMessageRef, ListConversations, UpdateConversation,
};

use crate::boundary::{self, Failure};
use crate::client::sunco_client;
use crate::error::sunco_error;
use crate::runtime::block_on;
use crate::status::sunco_status;

/// The conversations of `app_id` through `client`.
pub(crate) fn conversations(
    client: *const sunco_client,
    app_id: *const c_char,
) -> Result<Conversations, Failure> {
    let client = boundary::handle(client, "client")?.usable("client")?;
    let app_id = boundary::text(app_id, "app_id")?;
    Ok(client.conversations(app_id))
}

/// `POST /v2/apps/{app_id}/conversations`: creates a conversation.
///
/// `body_json` is the request body in wire form, e.g.
/// `{"type":"personal","participants":[{"userExternalId":"alice"}],"displayName":"Support"}`.
/// On success `*out_json` is the new conversation as JSON (`{"id":...,"type":...,...}`), as the
/// server sent it: key order, `null`s and unknown fields kept. Fields the API accepts that this
/// version does not model go in `"extra": {...}`: they are sent as top-level fields of the
/// body. Statuses: `SUNCO_VALIDATION` (nothing sent), `SUNCO_NOT_FOUND` (`user_not_found`,
/// `app_not_found`), the other API and transport statuses.
/// Ownership: the caller frees `*out_json` with `sunco_string_free`; the inputs are only read.
/// Threads: any thread; blocks it until done. Not from inside a tokio runtime.
///
/// # Safety
/// `client` is NULL or a live client; `app_id` and `body_json` are NULL or NUL-terminated
/// strings; `out_json` and `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_conversations_create(
    client: *const sunco_client,
    app_id: *const c_char,
    body_json: *const c_char,
    out_json: *mut *mut c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out_json, "out_json")?;
        let convs = conversations(client, app_id)?;
        let body: CreateConversation = boundary::json(body_json, "body_json", "body")?;
        out.set_conversation(block_on(convs.create_json(&body))??)
    })
}

/// `GET /v2/apps/{app_id}/conversations/{conversation_id}`: fetches one conversation.
///
/// On success `*out_json` is the conversation as JSON, as sent. Ids are sent percent-encoded as
/// one path segment; an id that is empty, `.`, `..` or over 1024 bytes is `SUNCO_VALIDATION`.
/// An unknown id is `SUNCO_NOT_FOUND` with code `conversation_not_found`.
/// Ownership: the caller frees `*out_json` with `sunco_string_free`.
/// Threads: any thread; blocks it until done. Not from inside a tokio runtime.
///
/// # Safety
/// `client` is NULL or a live client; `app_id` and `conversation_id` are NULL or
/// NUL-terminated strings; `out_json` and `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_conversations_get(
    client: *const sunco_client,
    app_id: *const c_char,
    conversation_id: *const c_char,
    out_json: *mut *mut c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out_json, "out_json")?;
        let convs = conversations(client, app_id)?;
        let id = boundary::text(conversation_id, "conversation_id")?;
        out.set_conversation(block_on(convs.get_json(id))??)
    })
}

/// `GET /v2/apps/{app_id}/conversations?filter[...]&page[...]`: fetches ONE page.
///
/// `params_json` is `{"filter":{"userId"|"userExternalId":...},"page":{"after"|"before":...,
/// "size":N}}` (the filter is required; page size 1..100). On success `*out_json` is the page as
/// sent:
/// `{"conversations":[...],"meta":{"hasMore":...,"afterCursor":...,"beforeCursor":...},
/// "links":{...}}`. To walk every page use `sunco_conversation_iter_new`.
/// Ownership: the caller frees `*out_json` with `sunco_string_free`.
/// Threads: any thread; blocks it until done. Not from inside a tokio runtime.
///
/// # Safety
/// `client` is NULL or a live client; `app_id` and `params_json` are NULL or NUL-terminated
/// strings; `out_json` and `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_conversations_list(
    client: *const sunco_client,
    app_id: *const c_char,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out_json, "out_json")?;
        let convs = conversations(client, app_id)?;
        let params: ListConversations = boundary::json(params_json, "params_json", "params")?;
        out.set_json(&block_on(convs.list_json(&params))??)
    })
}

/// `PATCH /v2/apps/{app_id}/conversations/{conversation_id}`: changes some fields.
///
/// `body_json` may hold `displayName`, `description`, `iconUrl` and `metadata`: a value sets
/// the field, `null` clears it, a missing key leaves it unchanged (`{}` changes nothing).
/// On success `*out_json` is the updated conversation as JSON, as sent. `"extra": {...}` fields
/// are sent as top-level fields of the body.
/// Ownership: the caller frees `*out_json` with `sunco_string_free`.
/// Threads: any thread; blocks it until done. Not from inside a tokio runtime.
///
/// # Safety
/// `client` is NULL or a live client; `app_id`, `conversation_id` and `body_json` are NULL or
/// NUL-terminated strings; `out_json` and `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_conversations_update(
    client: *const sunco_client,
    app_id: *const c_char,
    conversation_id: *const c_char,
    body_json: *const c_char,
    out_json: *mut *mut c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out_json, "out_json")?;
        let convs = conversations(client, app_id)?;
        let id = boundary::text(conversation_id, "conversation_id")?;
        let body: UpdateConversation = boundary::json(body_json, "body_json", "body")?;
        out.set_conversation(block_on(convs.update_json(id, &body))??)
    })
}

/// `DELETE /v2/apps/{app_id}/conversations/{conversation_id}`: deletes a conversation.
///
/// A user's default conversation cannot be deleted (`SUNCO_API_ERROR`, HTTP 400,
/// `bad_request`); an unknown id is `SUNCO_NOT_FOUND`.
/// Threads: any thread; blocks it until done. Not from inside a tokio runtime.
///
/// # Safety
/// `client` is NULL or a live client; `app_id` and `conversation_id` are NULL or
/// NUL-terminated strings; `err` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_conversations_delete(
    client: *const sunco_client,
    app_id: *const c_char,
    conversation_id: *const c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let convs = conversations(client, app_id)?;
        let id = boundary::text(conversation_id, "conversation_id")?;
        block_on(convs.delete(id))??;
        Ok(())
    })
}

/// `POST /v2/apps/{app_id}/conversations/{conversation_id}/download`: fetches the data behind
/// a third-party message ref.
///
/// `body_json` is `{"userId":"...","apple":{"interactiveDataRef":{"url","bid","key",
/// "signature","owner"}}}` (`userId` required). On success `*out_json` is the server's
/// free-form JSON object.
/// Ownership: the caller frees `*out_json` with `sunco_string_free`.
/// Threads: any thread; blocks it until done. Not from inside a tokio runtime.
///
/// # Safety
/// `client` is NULL or a live client; `app_id`, `conversation_id` and `body_json` are NULL or
/// NUL-terminated strings; `out_json` and `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_conversations_download_message_ref(
    client: *const sunco_client,
    app_id: *const c_char,
    conversation_id: *const c_char,
    body_json: *const c_char,
    out_json: *mut *mut c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out_json, "out_json")?;
        let convs = conversations(client, app_id)?;
        let id = boundary::text(conversation_id, "conversation_id")?;
        let body: DownloadMessageRef = boundary::json(body_json, "body_json", "body")?;
        let data = block_on(convs.download_message_ref(id, &body))??;
        out.set_json(&data)
    })
}
