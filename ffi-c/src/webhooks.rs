//! [`sunco_webhook_parse`]: receiving a webhook request with any C HTTP server.

use std::ffi::c_char;

use crate::boundary::{self, Failure};
use crate::error::sunco_error;
use crate::status::sunco_status;

/// A request header as `(name, value)` bytes.
type Header<'a> = (&'a [u8], &'a [u8]);

/// The request headers as two parallel arrays, read into `(name, value)` byte pairs.
fn headers<'a>(
    names: *const *const c_char,
    values: *const *const c_char,
    count: usize,
) -> Result<Vec<Header<'a>>, Failure> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if names.is_null() {
        return Err(Failure::argument(
            "header_names",
            "must not be NULL when header_count > 0",
        ));
    }
    if values.is_null() {
        return Err(Failure::argument(
            "header_values",
            "must not be NULL when header_count > 0",
        ));
    }
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        // SAFETY: the caller promises both arrays hold `count` pointers.
        let (name, value) = unsafe { (*names.add(i), *values.add(i)) };
        if name.is_null() {
            return Err(Failure::argument("header_names", format!("[{i}] is NULL")));
        }
        if value.is_null() {
            return Err(Failure::argument("header_values", format!("[{i}] is NULL")));
        }
        // SAFETY: the caller promises NUL-terminated strings that outlive the call.
        let (name, value) = unsafe {
            (
                std::ffi::CStr::from_ptr(name),
                std::ffi::CStr::from_ptr(value),
            )
        };
        out.push((name.to_bytes(), value.to_bytes()));
    }
    Ok(out)
}

/// Checks a webhook request's secret and parses its body into typed events (the core's
/// `sunco::webhooks::parse`): give it the raw body and the request headers, answer the request
/// with the HTTP status it says.
///
/// `secret` is the webhook's secret (from `CreateWebhook`'s answer). `body` points to
/// `body_len` bytes, exactly as received (not NUL-terminated; NULL only when `body_len` is 0).
/// The headers are two parallel arrays of `header_count` NUL-terminated strings,
/// `header_names[i]: header_values[i]`, as any server hands them over (a server that keeps
/// only one header may pass just `{"X-API-Key"}` and its value, with `header_count` 1). All the
/// headers are taken rather than the one value, so that a missing header and a header sent
/// twice are told apart from a wrong one; names match without regard to case and the value
/// is compared with the secret in constant time.
///
/// On success (`SUNCO_OK`, answer 200) `*out_payload_json` is the payload, exactly as sent
/// (key order and unknown fields kept), after the core has read every event into its typed
/// model: `{"app":{...},"webhook":{...},"events":[{"id":...,"createdAt":...,
/// "type":"conversation:message","payload":{...}}, ...]}`. Each event of a type the library
/// knows (`sunco::webhooks::EVENT_TYPES`) was checked against its schema, so the fields a
/// handler reads have the spec's shapes; an event of any other type is accepted as it is. Refusals, in this order, each with the HTTP status
/// to answer in `sunco_error_http_status` and a code in `sunco_error_code`:
/// `SUNCO_WEBHOOK_UNAUTHORIZED` (401, `"missing_secret"` / `"wrong_secret"`),
/// `SUNCO_WEBHOOK_TOO_LARGE` (413, `"too_large"`: over 1 MiB, checked before parsing),
/// `SUNCO_WEBHOOK_MALFORMED` (400, `"malformed"`, `sunco_error_field` naming the place, e.g.
/// `events[0].payload.conversation`). `SUNCO_CONFIG` for an empty `secret`;
/// `SUNCO_INVALID_ARGUMENT` for NULL pointers where values are required (naming the parameter).
/// No message ever holds the secret or the header's value.
/// Ownership: the caller frees `*out_payload_json` with `sunco_string_free`; inputs are only read.
/// Threads: any thread; does not block (no request is sent, no client is needed).
///
/// # Safety
/// `secret` is NULL or a NUL-terminated string; `body` is NULL or valid for `body_len` bytes;
/// `header_names` and `header_values` are NULL or arrays of `header_count` pointers, each NULL
/// or a NUL-terminated string; `out_payload_json` and `err` are NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_webhook_parse(
    secret: *const c_char,
    body: *const u8,
    body_len: usize,
    header_names: *const *const c_char,
    header_values: *const *const c_char,
    header_count: usize,
    out_payload_json: *mut *mut c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out_payload_json, "out_payload_json")?;
        let secret = boundary::text(secret, "secret")?;
        let headers = headers(header_names, header_values, header_count)?;
        let body: &[u8] = if body_len == 0 {
            &[]
        } else if body.is_null() {
            return Err(Failure::argument(
                "body",
                "must not be NULL when body_len > 0",
            ));
        } else {
            // SAFETY: the caller promises `body_len` readable bytes at `body`.
            unsafe { std::slice::from_raw_parts(body, body_len) }
        };
        // The core reads every event into its typed model (refusing a misfit, naming the
        // field); C gets the body itself, as sent, like every other answer of this library.
        sunco::webhooks::parse(body, headers, secret)?;
        let text = std::str::from_utf8(body).map_err(|_| {
            Failure::Internal("a webhook body the core accepted is not UTF-8".into())
        })?;
        out.set_string(text.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::ptr;

    use super::*;
    use crate::error::{sunco_error_code, sunco_error_free, sunco_error_http_status};

    fn parse(
        body: &[u8],
        names: &[&CStr],
        values: &[&CStr],
    ) -> (sunco_status, Option<String>, u16, String) {
        let names: Vec<_> = names.iter().map(|n| n.as_ptr()).collect();
        let values: Vec<_> = values.iter().map(|v| v.as_ptr()).collect();
        let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
        // SAFETY: valid arrays and out-parameters; results freed below.
        unsafe {
            let s = sunco_webhook_parse(
                c"whsec".as_ptr(),
                body.as_ptr(),
                body.len(),
                names.as_ptr(),
                values.as_ptr(),
                names.len(),
                &mut out,
                &mut err,
            );
            let json = (!out.is_null()).then(|| CStr::from_ptr(out).to_string_lossy().into_owned());
            crate::sunco_string_free(out);
            let http = sunco_error_http_status(err);
            let code = sunco_error_code(err);
            let code = if code.is_null() {
                String::new()
            } else {
                CStr::from_ptr(code).to_string_lossy().into_owned()
            };
            sunco_error_free(err);
            (s, json, http, code)
        }
    }

    #[test]
    fn maps_each_refusal_to_its_status() {
        let body = br#"{"events":[{"type":"x:unknown","payload":{"a":1}}]}"#;
        let (s, json, ..) = parse(body, &[c"x-api-key"], &[c"whsec"]);
        assert_eq!(s, sunco_status::SUNCO_OK);
        assert!(json.unwrap().contains("x:unknown"));
        let (s, _, http, code) = parse(body, &[], &[]);
        assert_eq!(
            (s, http, code.as_str()),
            (
                sunco_status::SUNCO_WEBHOOK_UNAUTHORIZED,
                401,
                "missing_secret"
            )
        );
        let (s, _, http, code) = parse(body, &[c"X-API-Key"], &[c"nope"]);
        assert_eq!(
            (s, http, code.as_str()),
            (
                sunco_status::SUNCO_WEBHOOK_UNAUTHORIZED,
                401,
                "wrong_secret"
            )
        );
        let (s, _, http, _) = parse(b"{", &[c"X-API-Key"], &[c"whsec"]);
        assert_eq!((s, http), (sunco_status::SUNCO_WEBHOOK_MALFORMED, 400));
        let big = vec![b' '; sunco::webhooks::MAX_BODY_BYTES + 1];
        let (s, _, http, _) = parse(&big, &[c"X-API-Key"], &[c"whsec"]);
        assert_eq!((s, http), (sunco_status::SUNCO_WEBHOOK_TOO_LARGE, 413));
    }
}
