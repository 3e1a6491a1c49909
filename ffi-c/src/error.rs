//! [`sunco_error`]: the details of a failed call, and the one mapping from [`sunco::Error`].

use std::ffi::{CString, c_char};
use std::ptr;

use crate::boundary::{self, Failure};
use crate::status::sunco_status;

/// The details of a failed call. Opaque; read it with the `sunco_error_*` accessors.
///
/// Ownership: made by a failing call that was given a non-NULL `sunco_error **err`; the
/// caller frees it with `sunco_error_free`. Strings returned by the accessors belong to the
/// error and stay valid until it is freed.
/// Threads: immutable once made; it may be read from any thread and moved between threads.
#[derive(Debug)]
pub struct sunco_error {
    pub(crate) status: sunco_status,
    http_status: u16,
    code: Option<CString>,
    title: Option<CString>,
    field: Option<CString>,
    message: CString,
    retry_after_ms: i64,
    request_id: Option<CString>,
}

/// A C string from any text: a NUL byte (possible only in user-supplied names) becomes U+FFFD.
fn c_string(s: &str) -> CString {
    CString::new(s.replace('\0', "\u{fffd}")).unwrap_or_default()
}

impl sunco_error {
    fn new(status: sunco_status, message: &str) -> Self {
        sunco_error {
            status,
            http_status: 0,
            code: None,
            title: None,
            field: None,
            message: c_string(message),
            retry_after_ms: -1,
            request_id: None,
        }
    }
}

/// The status for a core error: the only place that maps [`sunco::Error`] for C.
fn core_status(e: &sunco::Error) -> sunco_status {
    use sunco::Error as E;
    match e {
        E::Validation { .. } => sunco_status::SUNCO_VALIDATION,
        E::Config(_) => sunco_status::SUNCO_CONFIG,
        E::Api(api) => match api.status {
            404 => sunco_status::SUNCO_NOT_FOUND,
            429 => sunco_status::SUNCO_RATE_LIMITED,
            _ => sunco_status::SUNCO_API_ERROR,
        },
        E::Timeout { .. } => sunco_status::SUNCO_TIMEOUT,
        E::Transport { .. } => sunco_status::SUNCO_TRANSPORT,
        E::Decode { .. } => sunco_status::SUNCO_DECODE,
        E::Webhook(w) => match w {
            sunco::WebhookError::MissingSecret | sunco::WebhookError::WrongSecret => {
                sunco_status::SUNCO_WEBHOOK_UNAUTHORIZED
            }
            sunco::WebhookError::TooLarge { .. } => sunco_status::SUNCO_WEBHOOK_TOO_LARGE,
            sunco::WebhookError::Malformed { .. } => sunco_status::SUNCO_WEBHOOK_MALFORMED,
            _ => sunco_status::SUNCO_WEBHOOK_MALFORMED,
        },
        _ => sunco_status::SUNCO_INTERNAL,
    }
}

/// The `sunco_error_code` of a refused webhook request.
fn webhook_code(w: &sunco::WebhookError) -> &'static str {
    match w {
        sunco::WebhookError::MissingSecret => "missing_secret",
        sunco::WebhookError::WrongSecret => "wrong_secret",
        sunco::WebhookError::TooLarge { .. } => "too_large",
        _ => "malformed",
    }
}

/// Builds the C error for a failure.
pub(crate) fn from_failure(failure: Failure) -> sunco_error {
    match failure {
        Failure::Argument { param, message } => {
            let mut e = sunco_error::new(sunco_status::SUNCO_INVALID_ARGUMENT, &message);
            e.field = param.map(c_string);
            e
        }
        Failure::Internal(message) => sunco_error::new(sunco_status::SUNCO_INTERNAL, &message),
        Failure::Core(core) => {
            let mut e = sunco_error::new(core_status(&core), &core.to_string());
            e.http_status = core.status().unwrap_or(0);
            if let sunco::Error::Validation { field, .. } = &core {
                e.field = Some(c_string(field));
            }
            if let Some(w) = core.webhook() {
                // The status to answer the webhook request with, and a code to branch on.
                e.http_status = w.status();
                e.code = Some(c_string(webhook_code(w)));
                if let sunco::WebhookError::Malformed { path, .. } = w {
                    e.field = Some(c_string(path));
                }
            }
            if let Some(api) = core.api() {
                e.code = api.code().map(c_string);
                e.title = api.title().map(c_string);
                e.request_id = api.request_id.as_deref().map(c_string);
            }
            if let Some(after) = core.retry_after() {
                e.retry_after_ms = i64::try_from(after.as_millis()).unwrap_or(i64::MAX);
            }
            e
        }
    }
}

fn read<T: Copy>(err: *const sunco_error, fallback: T, get: impl FnOnce(&sunco_error) -> T) -> T {
    boundary::guard_value(fallback, || {
        // SAFETY: the caller promises `err` is NULL or a live error of this library.
        match unsafe { err.as_ref() } {
            Some(e) => get(e),
            None => fallback,
        }
    })
}

fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |s| s.as_ptr())
}

/// Returns the status of the failed call (the same value the call returned), or `SUNCO_OK`
/// when `err` is NULL.
///
/// Threads: any thread.
///
/// # Safety
/// `err` is NULL or a live error returned by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_error_status(err: *const sunco_error) -> sunco_status {
    read(err, sunco_status::SUNCO_OK, |e| e.status)
}

/// Returns the HTTP status of the answer behind the error (`SUNCO_API_ERROR`,
/// `SUNCO_NOT_FOUND`, `SUNCO_RATE_LIMITED`, `SUNCO_DECODE`), or 0 when there was no answer
/// or `err` is NULL.
///
/// Threads: any thread.
///
/// # Safety
/// `err` is NULL or a live error returned by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_error_http_status(err: *const sunco_error) -> u16 {
    read(err, 0, |e| e.http_status)
}

/// Returns the machine-readable code of the first entry of the API's `errors[]`
/// (e.g. `"conversation_not_found"`), or NULL when the error is not an API error or the
/// server sent no entry.
///
/// Ownership: the string belongs to `err`; valid until `sunco_error_free(err)`.
/// Threads: any thread.
///
/// # Safety
/// `err` is NULL or a live error returned by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_error_code(err: *const sunco_error) -> *const c_char {
    read(err, ptr::null(), |e| opt_ptr(&e.code))
}

/// Returns the human-readable title of the first entry of the API's `errors[]`, or NULL
/// when there is none.
///
/// Ownership: the string belongs to `err`; valid until `sunco_error_free(err)`.
/// Threads: any thread.
///
/// # Safety
/// `err` is NULL or a live error returned by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_error_title(err: *const sunco_error) -> *const c_char {
    read(err, ptr::null(), |e| opt_ptr(&e.title))
}

/// Returns what the error is about: for `SUNCO_VALIDATION`, the offending field in wire
/// spelling (`"displayName"`, `"participants[1]"`, `"page.size"`, `"body"`); for
/// `SUNCO_INVALID_ARGUMENT`, the C parameter (`"body_json"`, `"app_id"`); NULL otherwise.
///
/// Ownership: the string belongs to `err`; valid until `sunco_error_free(err)`.
/// Threads: any thread.
///
/// # Safety
/// `err` is NULL or a live error returned by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_error_field(err: *const sunco_error) -> *const c_char {
    read(err, ptr::null(), |e| opt_ptr(&e.field))
}

/// Returns the full, human-readable message (never NULL for a live error; NULL when `err`
/// is NULL). It never contains a key secret or token.
///
/// Ownership: the string belongs to `err`; valid until `sunco_error_free(err)`.
/// Threads: any thread.
///
/// # Safety
/// `err` is NULL or a live error returned by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_error_message(err: *const sunco_error) -> *const c_char {
    read(err, ptr::null(), |e| e.message.as_ptr())
}

/// Returns the server's `Retry-After` in milliseconds, or -1 when the answer had none (or
/// `err` is NULL).
///
/// Threads: any thread.
///
/// # Safety
/// `err` is NULL or a live error returned by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_error_retry_after_ms(err: *const sunco_error) -> i64 {
    read(err, -1, |e| e.retry_after_ms)
}

/// Returns the `x-request-id` of the failed answer (quote it to support), or NULL.
///
/// Ownership: the string belongs to `err`; valid until `sunco_error_free(err)`.
/// Threads: any thread.
///
/// # Safety
/// `err` is NULL or a live error returned by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_error_request_id(err: *const sunco_error) -> *const c_char {
    read(err, ptr::null(), |e| opt_ptr(&e.request_id))
}

/// Frees an error and the strings its accessors returned. NULL is a no-op.
///
/// Threads: any thread, once no other thread reads the error.
///
/// # Safety
/// `err` is NULL or a live error returned by this library, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_error_free(err: *mut sunco_error) {
    boundary::guard_void(|| {
        if !err.is_null() {
            // SAFETY: made by `Box::into_raw` in `boundary::call`; freed once by contract.
            drop(unsafe { Box::from_raw(err) });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use sunco::{ApiError, ApiErrorDetail, Error};

    fn api(status: u16) -> Error {
        Error::Api(Box::new(ApiError {
            status,
            errors: vec![ApiErrorDetail {
                code: "too_many_requests".into(),
                title: "Slow down".into(),
            }],
            request_id: Some("rid-1".into()),
            retry_after: Some(Duration::from_millis(1500)),
        }))
    }

    #[test]
    fn maps_every_core_error() {
        let cases = [
            (
                Error::validation("page.size", "x"),
                sunco_status::SUNCO_VALIDATION,
            ),
            (Error::Config("x".into()), sunco_status::SUNCO_CONFIG),
            (api(400), sunco_status::SUNCO_API_ERROR),
            (api(404), sunco_status::SUNCO_NOT_FOUND),
            (api(429), sunco_status::SUNCO_RATE_LIMITED),
            (
                Error::Timeout {
                    after: Duration::from_secs(1),
                },
                sunco_status::SUNCO_TIMEOUT,
            ),
            (
                Error::Transport {
                    kind: sunco::TransportKind::Request,
                    message: "reset".into(),
                },
                sunco_status::SUNCO_TRANSPORT,
            ),
            (
                Error::Decode {
                    status: 200,
                    message: "x".into(),
                    excerpt: String::new(),
                },
                sunco_status::SUNCO_DECODE,
            ),
        ];
        for (core, status) in cases {
            assert_eq!(from_failure(Failure::Core(core)).status, status);
        }
        let e = from_failure(Failure::Core(api(429)));
        assert_eq!(e.http_status, 429);
        assert_eq!(e.retry_after_ms, 1500);
        assert_eq!(e.code.as_deref(), Some(c"too_many_requests"));
        assert_eq!(e.title.as_deref(), Some(c"Slow down"));
        assert_eq!(e.request_id.as_deref(), Some(c"rid-1"));
        let v = from_failure(Failure::Core(Error::validation("a\0b", "r")));
        assert_eq!(v.field.as_deref(), Some(c"a\u{fffd}b"));
        assert_eq!(v.retry_after_ms, -1);
    }
}
