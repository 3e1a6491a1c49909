//! `UploadAttachment` in C: a file streamed as `multipart/form-data` from a path or from bytes.

use std::ffi::c_char;

use sunco::Upload;

use crate::boundary::{self, Failure, Outcome};
use crate::client::sunco_client;
use crate::error::sunco_error;
use crate::runtime::block_on;
use crate::status::sunco_status;

/// An optional C string argument: NULL is `None`.
fn optional<'a>(p: *const c_char, param: &'static str) -> Result<Option<&'a str>, Failure> {
    if p.is_null() {
        Ok(None)
    } else {
        boundary::text(p, param).map(Some)
    }
}

/// Sends `file` with the query of `query_json` and writes the answer (the core does the rest).
fn upload(
    client: *const sunco_client,
    app_id: *const c_char,
    query_json: *const c_char,
    file: impl FnOnce() -> Result<Upload, Failure>,
    file_name: *const c_char,
    content_type: *const c_char,
    out: boundary::OutParam<c_char>,
) -> Outcome {
    let client = boundary::handle(client, "client")?.usable("client")?;
    let app_id = boundary::text(app_id, "app_id")?;
    let query: sunco::JsonObject = boundary::json(query_json, "query_json", "query")?;
    let mut file = file()?;
    if let Some(name) = optional(file_name, "file_name")? {
        file = file.file_name(name);
    }
    if let Some(mime) = optional(content_type, "content_type")? {
        file = file.content_type(mime);
    }
    out.set_json(&block_on(client.upload_attachment(app_id, &query, file))??)
}

/// Upload Attachment: `POST /v2/apps/{appId}/attachments` (`UploadAttachment`), streaming the
/// file at `path` as `multipart/form-data`.
///
/// `query_json` is a JSON object of the query parameters: `access` (required; `"public"`),
/// `for` (`"message"`) and `conversationId`, e.g. `{"access":"public"}`. `file_name` is the
/// name sent with the file (NULL: the path's file name); `content_type` its MIME type (NULL:
/// guessed from the name). A file over 50 MB, a path that is not a readable file, or a query the
/// operation does not take is `SUNCO_VALIDATION` (field `source` or the query parameter), and
/// nothing is sent. On success `*out_json` is the answer as sent, `{"attachment":{"mediaUrl":...,
/// "mediaType":...}}`: put its `mediaUrl` in an image, file or carousel message. Retried only
/// when the server cannot have acted.
/// Ownership: the caller frees `*out_json` with `sunco_string_free`; the inputs are only read.
/// Threads: any thread; blocks it until done. Not from inside a tokio runtime.
///
/// # Safety
/// `client` is NULL or a live client; the string arguments are NULL or NUL-terminated strings;
/// `out_json` and `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_attachments_upload(
    client: *const sunco_client,
    app_id: *const c_char,
    query_json: *const c_char,
    path: *const c_char,
    file_name: *const c_char,
    content_type: *const c_char,
    out_json: *mut *mut c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out_json, "out_json")?;
        let file = || Ok(Upload::path(boundary::text(path, "path")?));
        upload(
            client,
            app_id,
            query_json,
            file,
            file_name,
            content_type,
            out,
        )
    })
}

/// Upload Attachment from memory: as `sunco_attachments_upload`, with the file's `len` bytes at
/// `data` (copied before the call returns; NULL only when `len` is 0) and its name `file_name`
/// (required here: the API wants one; `content_type` NULL guesses the type from it).
/// Ownership: the caller frees `*out_json` with `sunco_string_free`; the inputs are only read.
/// Threads: any thread; blocks it until done. Not from inside a tokio runtime.
///
/// # Safety
/// `client` is NULL or a live client; `data` is NULL or valid for `len` bytes; the string
/// arguments are NULL or NUL-terminated strings; `out_json` and `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_attachments_upload_bytes(
    client: *const sunco_client,
    app_id: *const c_char,
    query_json: *const c_char,
    data: *const u8,
    len: usize,
    file_name: *const c_char,
    content_type: *const c_char,
    out_json: *mut *mut c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out_json, "out_json")?;
        let file = || {
            let name = boundary::text(file_name, "file_name")?;
            let bytes = if len == 0 {
                Vec::new()
            } else if data.is_null() {
                return Err(Failure::argument("data", "must not be NULL when len > 0"));
            } else {
                // SAFETY: the caller promises `len` readable bytes at `data`.
                unsafe { std::slice::from_raw_parts(data, len) }.to_vec()
            };
            Ok(Upload::bytes(bytes, name))
        };
        upload(
            client,
            app_id,
            query_json,
            file,
            std::ptr::null(),
            content_type,
            out,
        )
    })
}
