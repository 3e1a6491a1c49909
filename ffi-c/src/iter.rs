//! [`sunco_conversation_iter`]: every page of a list, one page per call.

use std::ffi::c_char;
use std::ptr;

use sunco::{ListConversations, Paginator};

use crate::boundary;
use crate::client::{made_here, sunco_client};
use crate::conversations::conversations;
use crate::error::sunco_error;
use crate::runtime::block_on;
use crate::status::sunco_status;

/// Walks the pages of a conversation list. Opaque; one PAGE per `sunco_conversation_iter_next`
/// call. Without a cursor or from `page.after` it walks forward, following `meta.afterCursor`;
/// from `page.before` it walks backward, following `meta.beforeCursor` (the page just before the
/// cursor first, then the one before it, ...); each page is as the server sent it (oldest
/// first). It stops when `meta.hasMore` is false.
///
/// Ownership: made by `sunco_conversation_iter_new`, freed by `sunco_conversation_iter_free`.
/// It holds its own reference to the client's connection pool, so it may outlive the
/// `sunco_client` it was made from.
/// Threads: not synchronised; use it from one thread at a time (it may move between threads).
/// Processes: like its client, it belongs to the process that made it (see `sunco_client`).
#[derive(Debug)]
pub struct sunco_conversation_iter {
    pages: Paginator,
    /// The process that made the iterator.
    pid: u32,
}

/// Makes an iterator over every page of `listConversations`. No request is sent yet.
///
/// `params_json` is as for `sunco_conversations_list`; `page.after`/`page.before` give the
/// starting point, `page.size` the size of every page. JSON of the wrong shape fails here
/// (`SUNCO_VALIDATION`); rules on values (page size 1..100, filter present) are checked by
/// the first `sunco_conversation_iter_next`.
/// Ownership: the caller owns `*out` (free with `sunco_conversation_iter_free`).
/// Threads: any thread.
///
/// # Safety
/// `client` is NULL or a live client; `app_id` and `params_json` are NULL or NUL-terminated
/// strings; `out` and `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_conversation_iter_new(
    client: *const sunco_client,
    app_id: *const c_char,
    params_json: *const c_char,
    out: *mut *mut sunco_conversation_iter,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out, "out")?;
        let convs = conversations(client, app_id)?;
        let params: ListConversations = boundary::json(params_json, "params_json", "params")?;
        let iter = sunco_conversation_iter {
            pages: convs.pages(params),
            pid: std::process::id(),
        };
        out.set(Box::into_raw(Box::new(iter)));
        Ok(())
    })
}

/// Fetches the next page.
///
/// Returns `SUNCO_OK` with `*out_page_json` set to the page JSON (as `sunco_conversations_list`
/// gives it), or `SUNCO_OK` with `*out_page_json` NULL once the last page has been returned
/// (and on every call after that). On failure nothing is consumed: calling again retries the
/// same page. In a child made by `fork()`, an iterator made by the parent fails at once with
/// `SUNCO_INVALID_ARGUMENT` (field `iter`).
/// Ownership: the caller frees `*out_page_json` with `sunco_string_free`.
/// Threads: the thread currently using `iter`; blocks it until done. Not from inside a tokio
/// runtime.
///
/// # Safety
/// `iter` is NULL or a live iterator not used by another thread meanwhile; `out_page_json` and
/// `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_conversation_iter_next(
    iter: *mut sunco_conversation_iter,
    out_page_json: *mut *mut c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out_page_json, "out_page_json")?;
        let iter = boundary::handle_mut(iter, "iter")?;
        made_here(iter.pid, "iter")?;
        match block_on(iter.pages.next_page_json())?? {
            Some(page) => out.set_json(&page),
            None => {
                out.set(ptr::null_mut());
                Ok(())
            }
        }
    })
}

/// Frees an iterator. NULL is a no-op.
///
/// Threads: any thread, once no other thread uses the iterator.
///
/// # Safety
/// `iter` is NULL or a live iterator of this library, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_conversation_iter_free(iter: *mut sunco_conversation_iter) {
    boundary::guard_void(|| {
        if !iter.is_null() {
            // SAFETY: made by `Box::into_raw` in `sunco_conversation_iter_new`; freed once.
            drop(unsafe { Box::from_raw(iter) });
        }
    })
}
