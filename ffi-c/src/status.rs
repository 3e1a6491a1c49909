//! [`sunco_status`]: what every fallible function returns.

use std::ffi::{CStr, c_char};

use crate::boundary;

/// The outcome of a call. `SUNCO_OK` (0) is success; every other value comes with a
/// `sunco_error` (when the caller asked for one) that says more.
///
/// Branch on the status; read details (HTTP status, API code, field) from the error.
/// New values may be added in later versions: treat unknown values like `SUNCO_INTERNAL`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum sunco_status {
    /// Success.
    SUNCO_OK = 0,
    /// The C call itself was malformed: a NULL pointer where a value is required, text that
    /// is not UTF-8, JSON text that does not parse, an unknown region name, a blocking call
    /// made from inside a tokio runtime, or a client or iterator used in a child process made by
    /// `fork()` after its parent created it (message: "this client was created in another
    /// process (before fork); create a new client in the child"). Nothing was sent.
    /// `sunco_error_field` names the parameter (e.g. `"body_json"`, `"client"`).
    SUNCO_INVALID_ARGUMENT = 1,
    /// The request was refused by the client's validation before anything was sent: a body
    /// of the wrong shape, a rule broken (empty `displayName`, page size 0, an id over 1024
    /// bytes, a body over 100 KB, ...), or JSON nested 128 levels deep or more.
    /// `sunco_error_field` names the field in wire spelling (`participants[0]`, `page.size`,
    /// `extra.x[0][0]...`).
    SUNCO_VALIDATION = 2,
    /// The client configuration is unusable: bad base URL, plain http to a non-loopback host,
    /// missing credentials, zero timeout, incomplete `SUNCO_*` environment.
    SUNCO_CONFIG = 3,
    /// The server answered with an HTTP error other than 404 and 429 (400, 401, 403, 5xx, ...).
    /// See `sunco_error_http_status`, `sunco_error_code`, `sunco_error_title`.
    SUNCO_API_ERROR = 4,
    /// The server answered 404 (unknown app, conversation or user); `sunco_error_code` says which.
    SUNCO_NOT_FOUND = 5,
    /// The server answered 429 after the retries allowed; `sunco_error_retry_after_ms`
    /// gives the server's `Retry-After` when it sent one.
    SUNCO_RATE_LIMITED = 6,
    /// No complete answer arrived within the request timeout.
    SUNCO_TIMEOUT = 7,
    /// The connection failed: refused, reset, closed without an answer, or closed before the
    /// whole body arrived (fewer bytes than its `Content-Length`).
    SUNCO_TRANSPORT = 8,
    /// The server answered, but not with the JSON the API promises: not JSON, JSON of another
    /// shape, a complete answer whose JSON is cut short, or a body over the size limit.
    SUNCO_DECODE = 9,
    /// A bug in the library (a Rust panic, caught at the boundary) or a resource the library
    /// could not obtain (e.g. its runtime threads). The handles passed in are still safe to free.
    SUNCO_INTERNAL = 10,
    /// `sunco_webhook_parse`: the request has no `X-API-Key` header, or one that is not the
    /// webhook's secret, or more than one (`sunco_error_code`: `"missing_secret"` or
    /// `"wrong_secret"`). Answer 401 (`sunco_error_http_status`) and do nothing else.
    SUNCO_WEBHOOK_UNAUTHORIZED = 11,
    /// `sunco_webhook_parse`: the body is not a webhook payload: not JSON, not an object, or a
    /// field of the wrong shape for its event type (`sunco_error_field` names the place, e.g.
    /// `events[0].payload.conversation`; empty for the body as a whole). Answer 400.
    SUNCO_WEBHOOK_MALFORMED = 12,
    /// `sunco_webhook_parse`: the body is over the limit (1 MiB); it was not parsed. Answer 413.
    SUNCO_WEBHOOK_TOO_LARGE = 13,
}

impl sunco_status {
    fn name(self) -> &'static CStr {
        match self {
            sunco_status::SUNCO_OK => c"SUNCO_OK",
            sunco_status::SUNCO_INVALID_ARGUMENT => c"SUNCO_INVALID_ARGUMENT",
            sunco_status::SUNCO_VALIDATION => c"SUNCO_VALIDATION",
            sunco_status::SUNCO_CONFIG => c"SUNCO_CONFIG",
            sunco_status::SUNCO_API_ERROR => c"SUNCO_API_ERROR",
            sunco_status::SUNCO_NOT_FOUND => c"SUNCO_NOT_FOUND",
            sunco_status::SUNCO_RATE_LIMITED => c"SUNCO_RATE_LIMITED",
            sunco_status::SUNCO_TIMEOUT => c"SUNCO_TIMEOUT",
            sunco_status::SUNCO_TRANSPORT => c"SUNCO_TRANSPORT",
            sunco_status::SUNCO_DECODE => c"SUNCO_DECODE",
            sunco_status::SUNCO_INTERNAL => c"SUNCO_INTERNAL",
            sunco_status::SUNCO_WEBHOOK_UNAUTHORIZED => c"SUNCO_WEBHOOK_UNAUTHORIZED",
            sunco_status::SUNCO_WEBHOOK_MALFORMED => c"SUNCO_WEBHOOK_MALFORMED",
            sunco_status::SUNCO_WEBHOOK_TOO_LARGE => c"SUNCO_WEBHOOK_TOO_LARGE",
        }
    }

    const ALL: [sunco_status; 14] = [
        sunco_status::SUNCO_OK,
        sunco_status::SUNCO_INVALID_ARGUMENT,
        sunco_status::SUNCO_VALIDATION,
        sunco_status::SUNCO_CONFIG,
        sunco_status::SUNCO_API_ERROR,
        sunco_status::SUNCO_NOT_FOUND,
        sunco_status::SUNCO_RATE_LIMITED,
        sunco_status::SUNCO_TIMEOUT,
        sunco_status::SUNCO_TRANSPORT,
        sunco_status::SUNCO_DECODE,
        sunco_status::SUNCO_INTERNAL,
        sunco_status::SUNCO_WEBHOOK_UNAUTHORIZED,
        sunco_status::SUNCO_WEBHOOK_MALFORMED,
        sunco_status::SUNCO_WEBHOOK_TOO_LARGE,
    ];
}

/// Returns the name of a status value, e.g. `"SUNCO_NOT_FOUND"`, or `"SUNCO_UNKNOWN"` for a
/// value this version does not define.
///
/// Ownership: the string is static; do not free it.
/// Threads: any thread.
#[unsafe(no_mangle)]
pub extern "C" fn sunco_status_name(status: u32) -> *const c_char {
    boundary::guard_value(c"SUNCO_UNKNOWN".as_ptr(), || {
        let name = sunco_status::ALL
            .iter()
            .find(|s| **s as u32 == status)
            .map_or(c"SUNCO_UNKNOWN", |s| s.name());
        name.as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn names() {
        for (i, s) in sunco_status::ALL.iter().enumerate() {
            assert_eq!(*s as u32, i as u32);
            // SAFETY: static strings.
            let name = unsafe { CStr::from_ptr(sunco_status_name(*s as u32)) };
            assert_eq!(name.to_str().unwrap(), format!("{s:?}"));
        }
        // SAFETY: a static string.
        let unknown = unsafe { CStr::from_ptr(sunco_status_name(999)) };
        assert_eq!(unknown.to_str().unwrap(), "SUNCO_UNKNOWN");
    }
}
