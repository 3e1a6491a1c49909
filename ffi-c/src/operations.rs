//! Every operation of the API through one generic entry: [`sunco_call`] (an `operationId` plus
//! its arguments as JSON, answered with the response body as sent), [`sunco_operation_iter`]
//! for the cursor-paginated lists, and [`sunco_authorize_url`] for the OAuth redirect.
//!
//! The arguments are the core's `CallArgs` in JSON: `{"path": {...}, "query": {...},
//! "body": {...}}`, each part optional, in the API's wire spelling. The core checks them against
//! the operation's descriptor (generated from the spec); nothing here knows any operation.

use std::ffi::{CString, c_char};
use std::ptr;

use serde_json::Value;
use sunco::{CallArgs, Client, JsonObject, OperationPages};

use crate::boundary::{self, Failure};
use crate::client::{made_here, sunco_client};
use crate::error::sunco_error;
use crate::runtime::block_on;
use crate::status::sunco_status;

fn client<'a>(client: *const sunco_client) -> Result<&'a Client, Failure> {
    boundary::handle(client, "client")?.usable("client")
}

/// Calls any operation of the API by its `operationId` (`"PostMessage"`, `"ListUsers"`, ... as
/// in the spec and `api.json`), blocking until it is done.
///
/// `args_json` is a JSON object `{"path": {...}, "query": {...}, "body": {...}}`, each part
/// optional (`"{}"` for none), in wire spelling: `path` holds the path parameters as strings
/// (`{"appId": "...", "conversationId": "..."}`, each sent as one percent-encoded segment);
/// `query` the query parameters (`{"page": {"size": 10}, "filter": {...}, "brandId": "..."}`);
/// `body` the JSON body of the operations that take one. E.g. for `PostMessage`:
/// `{"path":{"appId":"a","conversationId":"c"},"body":{"author":{"type":"business"},
/// "content":{"type":"text","text":"Hi"}}}`.
///
/// On success `*out_json` is the response body exactly as the server sent it (key order,
/// `null`s and unknown fields kept), or `{}` when the answer has no body (`Delete*`).
/// Statuses: `SUNCO_INVALID_ARGUMENT` for NULL, non-UTF-8 or unparsable JSON text (field
/// `client`, `operation_id`, `args_json`, `out_json`); `SUNCO_VALIDATION` when the core refuses
/// before sending (field `operationId` for an unknown operation or `Authorize`; otherwise the
/// argument in wire spelling: `conversationId`, `page.size`, `filter.email`, `body`,
/// `content.text` inside a body, or `args` / `path` / `query` for a part of the wrong JSON
/// type); the API and transport statuses as for every call. `POST`s are retried only when the server cannot
/// have acted.
/// Ownership: the caller frees `*out_json` with `sunco_string_free`; the inputs are only read.
/// Threads: any thread; blocks it until done. Not from inside a tokio runtime.
///
/// # Safety
/// `client` is NULL or a live client; `operation_id` and `args_json` are NULL or NUL-terminated
/// strings; `out_json` and `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_call(
    client: *const sunco_client,
    operation_id: *const c_char,
    args_json: *const c_char,
    out_json: *mut *mut c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out_json, "out_json")?;
        let client = self::client(client)?;
        let id = boundary::text(operation_id, "operation_id")?;
        let args: CallArgs = boundary::json(args_json, "args_json", "args")?;
        out.set_json(&block_on(client.call(id, &args))??)
    })
}

/// Walks the pages of one cursor-paginated list operation (`ListMessages`,
/// `ListConversations`, `ListParticipants`, `ListApps`, `ListIntegrations`, `ListClients`).
/// Opaque; one PAGE per `sunco_operation_iter_next` call, as the server sent it; the records
/// are in the page's array named by `sunco_operation_iter_items`.
///
/// From `query.page.after` the walk goes forward (following `meta.afterCursor`); from
/// `query.page.before` backward (following `meta.beforeCursor`: the page just before the
/// cursor first, then the one before it, ...; records within each page in the server's order);
/// without a cursor it goes the operation's own way: backward for `ListMessages` (its first
/// page holds the latest messages), forward for the others. It stops when `meta.hasMore` is
/// false.
///
/// Ownership: made by `sunco_operation_iter_new`, freed by `sunco_operation_iter_free`. It
/// holds its own reference to the client's connection pool, so it may outlive the client.
/// Threads: not synchronised; use it from one thread at a time (it may move between threads).
/// Processes: like its client, it belongs to the process that made it (see `sunco_client`).
#[derive(Debug)]
pub struct sunco_operation_iter {
    pages: OperationPages,
    items: CString,
    /// The process that made the iterator.
    pid: u32,
}

/// Makes an iterator over every page of a cursor-paginated list operation. No request is sent
/// yet, but the arguments are checked now.
///
/// `args_json` is as for `sunco_call`; `query.page.after` / `query.page.before` give the
/// starting point and `query.page.size` the size of every page, e.g. for `ListMessages`
/// `{"path":{"appId":"a","conversationId":"c"},"query":{"page":{"size":50}}}`.
/// Statuses: `SUNCO_INVALID_ARGUMENT` as for `sunco_call`; `SUNCO_VALIDATION` for an argument
/// the core refuses, or field `operationId` when the operation is unknown or not a
/// cursor-paginated list.
/// Ownership: the caller owns `*out` (free with `sunco_operation_iter_free`).
/// Threads: any thread.
///
/// # Safety
/// `client` is NULL or a live client; `operation_id` and `args_json` are NULL or
/// NUL-terminated strings; `out` and `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_operation_iter_new(
    client: *const sunco_client,
    operation_id: *const c_char,
    args_json: *const c_char,
    out: *mut *mut sunco_operation_iter,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out, "out")?;
        let client = self::client(client)?;
        let id = boundary::text(operation_id, "operation_id")?;
        let args: CallArgs = boundary::json(args_json, "args_json", "args")?;
        out.set(new_iter(client, id, args)?);
        Ok(())
    })
}

/// A new iterator over the pages of `id` (a cursor-paginated list), owned by the caller.
fn new_iter(
    client: &Client,
    id: &str,
    args: CallArgs,
) -> Result<*mut sunco_operation_iter, Failure> {
    let pages = client.operation_pages(id, args)?;
    let items = CString::new(pages.items())
        .map_err(|_| Failure::Internal("an items name contained a NUL byte".into()))?;
    Ok(Box::into_raw(Box::new(sunco_operation_iter {
        pages,
        items,
        pid: std::process::id(),
    })))
}

/// One path argument of a generated per-operation function (`generated.rs`): its wire name
/// (`conversationId`), the C parameter that carries it (`conversation_id`), and its value.
pub(crate) type PathArg = (&'static str, &'static str, *const c_char);

/// The arguments of a generated per-operation function, read into the core's `CallArgs`:
/// every path argument must be a string (NULL names its C parameter); `query_json` and
/// `body_json`, where the operation has them, may be NULL for "none" (the core then refuses a
/// missing required body, naming `body`).
fn read_args(
    path: &[PathArg],
    query_json: Option<*const c_char>,
    body_json: Option<*const c_char>,
) -> Result<CallArgs, Failure> {
    let mut args = CallArgs::new();
    for &(wire, param, value) in path {
        args = args.path(wire, boundary::text(value, param)?);
    }
    if let Some(query) = query_json.filter(|p| !p.is_null()) {
        args.query = boundary::json(query, "query_json", "query")?;
    }
    if let Some(body) = body_json.filter(|p| !p.is_null()) {
        args.body = Some(boundary::json::<Value>(body, "body_json", "body")?);
    }
    Ok(args)
}

/// The whole body of a generated per-operation function: the same as `sunco_call` with the
/// operation fixed and the arguments given one by one. No rule of any operation is here.
pub(crate) fn invoke(
    client: *const sunco_client,
    operation_id: &'static str,
    path: &[PathArg],
    query_json: Option<*const c_char>,
    body_json: Option<*const c_char>,
    out_json: *mut *mut c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out_json, "out_json")?;
        let client = self::client(client)?;
        let args = read_args(path, query_json, body_json)?;
        out.set_json(&block_on(client.call(operation_id, &args))??)
    })
}

/// The whole body of a generated page iterator constructor (`sunco_<group>_list_iter`): the
/// same as `sunco_operation_iter_new` with the operation fixed.
pub(crate) fn iter(
    client: *const sunco_client,
    operation_id: &'static str,
    path: &[PathArg],
    query_json: *const c_char,
    out: *mut *mut sunco_operation_iter,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out, "out")?;
        let client = self::client(client)?;
        let args = read_args(path, Some(query_json), None)?;
        out.set(new_iter(client, operation_id, args)?);
        Ok(())
    })
}

/// Fetches the next page.
///
/// Returns `SUNCO_OK` with `*out_page_json` set to the page as the server sent it (e.g.
/// `{"messages":[...],"meta":{"hasMore":...,"beforeCursor":...},"links":{...}}`), or
/// `SUNCO_OK` with `*out_page_json` NULL once the last page has been returned (and on every
/// call after that). A failed page can be asked for again by calling again. In a child made by
/// `fork()`, an iterator made by the parent fails at once with `SUNCO_INVALID_ARGUMENT` (field
/// `iter`).
/// Ownership: the caller frees `*out_page_json` with `sunco_string_free`.
/// Threads: the thread currently using `iter`; blocks it until done. Not from inside a tokio
/// runtime.
///
/// # Safety
/// `iter` is NULL or a live iterator not used by another thread meanwhile; `out_page_json` and
/// `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_operation_iter_next(
    iter: *mut sunco_operation_iter,
    out_page_json: *mut *mut c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out_page_json, "out_page_json")?;
        let iter = boundary::handle_mut(iter, "iter")?;
        made_here(iter.pid, "iter")?;
        match block_on(iter.pages.next_page())?? {
            Some(page) => out.set_json(&page),
            None => {
                out.set(ptr::null_mut());
                Ok(())
            }
        }
    })
}

/// Returns the name of the array that holds the records in each page of this walk
/// (`"messages"` for `ListMessages`, `"conversations"`, `"participants"`, ...), or NULL when
/// `iter` is NULL.
///
/// Ownership: the string belongs to the iterator and lives until `sunco_operation_iter_free`.
/// Threads: the thread currently using `iter`.
///
/// # Safety
/// `iter` is NULL or a live iterator of this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_operation_iter_items(
    iter: *const sunco_operation_iter,
) -> *const c_char {
    boundary::guard_value(ptr::null(), || {
        // SAFETY: the caller promises `iter` is NULL or a live iterator.
        unsafe { iter.as_ref() }.map_or(ptr::null(), |it| it.items.as_ptr())
    })
}

/// Frees an iterator. NULL is a no-op.
///
/// Threads: any thread, once no other thread uses the iterator.
///
/// # Safety
/// `iter` is NULL or a live iterator of this library, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_operation_iter_free(iter: *mut sunco_operation_iter) {
    boundary::guard_void(|| {
        if !iter.is_null() {
            // SAFETY: made by `Box::into_raw` in `sunco_operation_iter_new`; freed once.
            drop(unsafe { Box::from_raw(iter) });
        }
    })
}

/// Builds the URL of the OAuth `Authorize` operation, a browser redirect rather than a call:
/// send the user's browser there. Nothing is sent.
///
/// `query_json` is a JSON object of its query parameters: `client_id` and `response_type`
/// (required), `state` and `redirect_uri`, e.g. `{"client_id":"my-app","response_type":"code",
/// "state":"xyz"}`; the core encodes and checks them (`SUNCO_VALIDATION` naming a missing,
/// unknown or mistyped one). On success `*out_url` is the full URL on the client's base URL,
/// e.g. `https://api.smooch.io/oauth/authorize?client_id=my-app&response_type=code&state=xyz`.
/// Ownership: the caller frees `*out_url` with `sunco_string_free`.
/// Threads: any thread; does not block.
///
/// # Safety
/// `client` is NULL or a live client; `query_json` is NULL or a NUL-terminated string;
/// `out_url` and `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_authorize_url(
    client: *const sunco_client,
    query_json: *const c_char,
    out_url: *mut *mut c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out_url, "out_url")?;
        let client = self::client(client)?;
        let query: JsonObject = boundary::json(query_json, "query_json", "query")?;
        out.set_string(client.authorize_url(&query)?)
    })
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    use super::*;
    use crate::error::{sunco_error_field, sunco_error_free};
    use crate::options::{
        sunco_options_free, sunco_options_new, sunco_options_set_base_url,
        sunco_options_set_bearer_token,
    };
    use crate::{sunco_client_free, sunco_client_new, sunco_string_free};

    fn client() -> *mut sunco_client {
        let mut c = ptr::null_mut();
        // SAFETY: fresh options and a client, each freed once below or by the caller.
        unsafe {
            let o = sunco_options_new();
            sunco_options_set_base_url(o, c"http://127.0.0.1:9".as_ptr(), ptr::null_mut());
            sunco_options_set_bearer_token(o, c"t".as_ptr(), ptr::null_mut());
            assert_eq!(
                sunco_client_new(o, &mut c, ptr::null_mut()),
                sunco_status::SUNCO_OK
            );
            sunco_options_free(o);
        }
        c
    }

    fn field(e: *const sunco_error) -> String {
        // SAFETY: a live error with a field.
        unsafe { CStr::from_ptr(sunco_error_field(e)) }
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn refusals_send_nothing_and_name_the_argument() {
        let c = client();
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        for (id, args, status, name) in [
            (
                c"NoSuchOp",
                c"{}",
                sunco_status::SUNCO_VALIDATION,
                "operationId",
            ),
            (
                c"GetApp",
                c"{\"paths\":{}}",
                sunco_status::SUNCO_VALIDATION,
                "paths",
            ),
            (c"GetApp", c"{}", sunco_status::SUNCO_VALIDATION, "appId"),
            (
                c"GetApp",
                c"{\"path\":",
                sunco_status::SUNCO_INVALID_ARGUMENT,
                "args_json",
            ),
        ] {
            // SAFETY: live client, NUL-terminated strings, valid out-parameters.
            let s = unsafe { sunco_call(c, id.as_ptr(), args.as_ptr(), &mut out, &mut err) };
            assert_eq!(s, status, "{id:?} {args:?}");
            assert!(out.is_null());
            assert_eq!(field(err), name);
            // SAFETY: made by the call, freed once.
            unsafe { sunco_error_free(err) };
        }
        let mut iter = ptr::null_mut();
        // SAFETY: as above.
        let s = unsafe {
            sunco_operation_iter_new(
                c,
                c"GetApp".as_ptr(),
                c"{\"path\":{\"appId\":\"a\"}}".as_ptr(),
                &mut iter,
                &mut err,
            )
        };
        assert_eq!(s, sunco_status::SUNCO_VALIDATION);
        assert!(iter.is_null());
        assert_eq!(field(err), "operationId");
        // SAFETY: as above.
        unsafe {
            sunco_error_free(err);
            let s = sunco_operation_iter_new(
                c,
                c"ListMessages".as_ptr(),
                c"{\"path\":{\"appId\":\"a\",\"conversationId\":\"b\"}}".as_ptr(),
                &mut iter,
                &mut err,
            );
            assert_eq!(s, sunco_status::SUNCO_OK);
            assert_eq!(
                CStr::from_ptr(sunco_operation_iter_items(iter)).to_str(),
                Ok("messages")
            );
            assert!(sunco_operation_iter_items(ptr::null()).is_null());
            sunco_operation_iter_free(iter);

            let s = sunco_authorize_url(
                c,
                c"{\"client_id\":\"a b\",\"response_type\":\"code\"}".as_ptr(),
                &mut out,
                &mut err,
            );
            assert_eq!(s, sunco_status::SUNCO_OK);
            assert_eq!(
                CStr::from_ptr(out).to_str(),
                Ok("http://127.0.0.1:9/oauth/authorize?client_id=a%20b&response_type=code")
            );
            sunco_string_free(out);
            sunco_client_free(c);
        }
    }
}
