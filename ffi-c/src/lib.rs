//! # libconversations
//!
//! The C interface to [`sunco`], the Sunshine Conversations v2 client: `libconversations.so`,
//! `libconversations.a` and `include/conversations.h` (generated from this crate by cbindgen).
//!
//! The crate only converts: C strings to Rust strings, JSON text to the core's request types
//! (with [`sunco::json`]), results back to JSON text, and [`sunco::Error`] to a
//! [`sunco_status`] plus a [`sunco_error`] object. Every rule (validation, retries, pagination,
//! authentication) lives in the core.
//!
//! Every operation of the API has a function of its own, named after its path
//! (`sunco_messages_post`, generated into `generated.rs` by `codegen/c_surface.py`; the six
//! `sunco_conversations_*` are hand-written), and a page iterator per cursor-paginated list
//! (`sunco_messages_list_iter`). They all go through the generic entry (`operations.rs`):
//! `sunco_call` by `operationId` with JSON arguments, `sunco_operation_iter_*` for the pages,
//! `sunco_authorize_url` for the OAuth redirect. Uploads take a path or bytes
//! (`attachments.rs`); `sunco_webhook_parse` receives webhooks (`webhooks.rs`).
//!
//! Conventions of every exported function:
//! - fallible functions return a [`sunco_status`]; `SUNCO_OK` is 0;
//! - out-parameters are set to NULL on entry and written only on success;
//! - `sunco_error **err` may be NULL; when it is not, `*err` is set to NULL on entry and to a
//!   new error (freed with `sunco_error_free`) on failure;
//! - a Rust panic never crosses into C: it becomes `SUNCO_INTERNAL` (see `boundary.rs`).
#![allow(non_camel_case_types)]
#![warn(missing_docs)]

mod attachments;
mod boundary;
mod client;
mod conversations;
mod error;
mod generated;
mod iter;
mod operations;
mod options;
mod runtime;
mod status;
mod webhooks;

use std::ffi::{CString, c_char};

pub use client::{sunco_client, sunco_client_free, sunco_client_new, sunco_client_new_from_env};
pub use conversations::{
    sunco_conversations_create, sunco_conversations_delete,
    sunco_conversations_download_message_ref, sunco_conversations_get, sunco_conversations_list,
    sunco_conversations_update,
};
pub use error::{
    sunco_error, sunco_error_code, sunco_error_field, sunco_error_free, sunco_error_http_status,
    sunco_error_message, sunco_error_request_id, sunco_error_retry_after_ms, sunco_error_status,
    sunco_error_title,
};
pub use iter::{
    sunco_conversation_iter, sunco_conversation_iter_free, sunco_conversation_iter_new,
    sunco_conversation_iter_next,
};
pub use operations::{
    sunco_authorize_url, sunco_call, sunco_operation_iter, sunco_operation_iter_free,
    sunco_operation_iter_items, sunco_operation_iter_new, sunco_operation_iter_next,
};
pub use options::{
    sunco_options, sunco_options_free, sunco_options_new, sunco_options_set_base_url,
    sunco_options_set_basic_auth, sunco_options_set_bearer_token,
    sunco_options_set_connect_timeout_ms, sunco_options_set_jwt_auth,
    sunco_options_set_max_retries, sunco_options_set_proxy, sunco_options_set_region,
    sunco_options_set_subdomain, sunco_options_set_timeout_ms,
};
pub use status::{sunco_status, sunco_status_name};

/// The library version with its NUL terminator; the workspace gives the core the same version.
const VERSION_NUL: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// Returns the version of the library, e.g. `"0.1.0"`.
///
/// Ownership: the string is static; do not free it.
/// Threads: any thread, any time (no initialisation needed).
#[unsafe(no_mangle)]
pub extern "C" fn sunco_version() -> *const c_char {
    boundary::guard_value(std::ptr::null(), || VERSION_NUL.as_ptr().cast())
}

/// Frees a string returned by this library (the `out_json` results). NULL is a no-op.
///
/// Ownership: takes back a string this library handed out; never pass a string from
/// anywhere else, and never free the same string twice.
/// Threads: any thread.
///
/// # Safety
/// `s` is NULL or a string returned through a `char **` out-parameter of this library that
/// has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_string_free(s: *mut c_char) {
    boundary::guard_void(|| {
        if !s.is_null() {
            // SAFETY: the caller hands back a string made by `CString::into_raw` in this library.
            drop(unsafe { CString::from_raw(s) });
        }
    })
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    #[test]
    fn version_matches_the_core() {
        // SAFETY: a static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(super::sunco_version()) };
        assert_eq!(v.to_str().unwrap(), sunco::VERSION);
    }
}
