//! [`sunco_options`]: the configuration a client is built from.

use std::ffi::c_char;
use std::ptr;
use std::time::Duration;

use sunco::{Auth, ClientBuilder, Region};

use crate::boundary::{self, Failure, Outcome};
use crate::error::sunco_error;
use crate::status::sunco_status;

/// A client configuration being assembled (a builder). Opaque.
///
/// Defaults: US region, no credentials (set one of the `*_auth` / bearer setters), 30 s request
/// timeout, 10 s connect timeout, 3 retries. Settings are checked when the client is made
/// (`sunco_client_new`), which reports problems as `SUNCO_CONFIG`.
///
/// Ownership: made by `sunco_options_new`, freed by `sunco_options_free`; a client made from
/// it does not keep it, so it may be freed right after `sunco_client_new`.
/// Threads: not synchronised; use it from one thread at a time (it may move between threads).
#[derive(Debug)]
pub struct sunco_options {
    builder: ClientBuilder,
}

impl sunco_options {
    pub(crate) fn builder(&self) -> ClientBuilder {
        self.builder.clone()
    }
}

/// The `User-Agent` suffix of clients made by this library.
pub(crate) fn user_agent_extra() -> String {
    format!("c/{}", env!("CARGO_PKG_VERSION"))
}

/// Returns a new configuration with the defaults, or NULL if the library failed internally.
///
/// Ownership: the caller owns it and frees it with `sunco_options_free`.
/// Threads: any thread.
#[unsafe(no_mangle)]
pub extern "C" fn sunco_options_new() -> *mut sunco_options {
    boundary::guard_value(ptr::null_mut(), || {
        let options = sunco_options {
            builder: ClientBuilder::new().user_agent_extra(user_agent_extra()),
        };
        Box::into_raw(Box::new(options))
    })
}

/// Frees a configuration. NULL is a no-op.
///
/// Threads: any thread, once no other thread uses it.
///
/// # Safety
/// `options` is NULL or a live configuration from `sunco_options_new`, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_options_free(options: *mut sunco_options) {
    boundary::guard_void(|| {
        if !options.is_null() {
            // SAFETY: made by `Box::into_raw` in `sunco_options_new`; freed once by contract.
            drop(unsafe { Box::from_raw(options) });
        }
    })
}

/// Applies `change` to the builder inside `options`.
fn update(
    options: *mut sunco_options,
    err: *mut *mut sunco_error,
    change: impl FnOnce(ClientBuilder) -> Result<ClientBuilder, Failure>,
) -> sunco_status {
    boundary::call(err, || -> Outcome {
        let options = boundary::handle_mut(options, "options")?;
        // On failure the previous settings stay as they were.
        options.builder = change(options.builder.clone())?;
        Ok(())
    })
}

/// Sends requests to `base_url`, e.g. `"http://127.0.0.1:8080"` for the emulator. `https` is
/// required except for loopback hosts (checked by `sunco_client_new`). Replaces a region or
/// subdomain set before.
///
/// Returns `SUNCO_INVALID_ARGUMENT` if `options` or `base_url` is NULL or not UTF-8.
/// Ownership: `base_url` is copied; the caller keeps it.
/// Threads: one thread at a time per `options`.
///
/// # Safety
/// `options` is NULL or a live configuration; `base_url` is NULL or a NUL-terminated string;
/// `err` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_options_set_base_url(
    options: *mut sunco_options,
    base_url: *const c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    update(options, err, |b| {
        Ok(b.base_url(boundary::text(base_url, "base_url")?))
    })
}

/// Sends requests to a public region: `"us"` (`https://api.smooch.io`) or `"eu"`
/// (`https://api.eu-1.smooch.io`). Replaces a base URL or subdomain set before.
///
/// Returns `SUNCO_INVALID_ARGUMENT` for NULL, non-UTF-8 or an unknown region name.
/// Ownership: `region` is only read.
/// Threads: one thread at a time per `options`.
///
/// # Safety
/// `options` is NULL or a live configuration; `region` is NULL or a NUL-terminated string;
/// `err` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_options_set_region(
    options: *mut sunco_options,
    region: *const c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    update(options, err, |b| {
        let name = boundary::text(region, "region")?;
        let region: Region = name.parse().map_err(|_| {
            Failure::argument("region", format!("must be \"us\" or \"eu\", not {name:?}"))
        })?;
        Ok(b.region(region))
    })
}

/// Sends requests to a Zendesk account: `https://{subdomain}.zendesk.com/sc`. Replaces a base
/// URL or region set before. The subdomain is checked by `sunco_client_new`.
///
/// Ownership: `subdomain` is copied.
/// Threads: one thread at a time per `options`.
///
/// # Safety
/// `options` is NULL or a live configuration; `subdomain` is NULL or a NUL-terminated string;
/// `err` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_options_set_subdomain(
    options: *mut sunco_options,
    subdomain: *const c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    update(options, err, |b| {
        Ok(b.subdomain(boundary::text(subdomain, "subdomain")?))
    })
}

/// Authenticates with HTTP Basic and an API key (key id and secret). Replaces other credentials.
///
/// Ownership: both strings are copied; the secret is never shown in messages.
/// Threads: one thread at a time per `options`.
///
/// # Safety
/// `options` is NULL or a live configuration; `key_id` and `secret` are NULL or NUL-terminated
/// strings; `err` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_options_set_basic_auth(
    options: *mut sunco_options,
    key_id: *const c_char,
    secret: *const c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    update(options, err, |b| {
        let key_id = boundary::text(key_id, "key_id")?;
        let secret = boundary::text(secret, "secret")?;
        Ok(b.auth(Auth::basic(key_id, secret)))
    })
}

/// Authenticates with a JWT the client signs (HS256, `kid` = key id, scope `app`) from an API
/// key. Replaces other credentials.
///
/// Ownership: both strings are copied; the secret is never shown in messages.
/// Threads: one thread at a time per `options`.
///
/// # Safety
/// `options` is NULL or a live configuration; `key_id` and `secret` are NULL or NUL-terminated
/// strings; `err` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_options_set_jwt_auth(
    options: *mut sunco_options,
    key_id: *const c_char,
    secret: *const c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    update(options, err, |b| {
        let key_id = boundary::text(key_id, "key_id")?;
        let secret = boundary::text(secret, "secret")?;
        Ok(b.auth(Auth::jwt(key_id, secret)))
    })
}

/// Authenticates with a bearer token obtained elsewhere (an OAuth token or a JWT you signed).
/// Replaces other credentials.
///
/// Ownership: the token is copied and never shown in messages.
/// Threads: one thread at a time per `options`.
///
/// # Safety
/// `options` is NULL or a live configuration; `token` is NULL or a NUL-terminated string;
/// `err` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_options_set_bearer_token(
    options: *mut sunco_options,
    token: *const c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    update(options, err, |b| {
        Ok(b.auth(Auth::bearer(boundary::text(token, "token")?)))
    })
}

/// Sends HTTPS requests through this proxy: `http://[user:pass@]host:port` (or `https://`). The
/// proxy receives `CONNECT host:443` and sees only encrypted traffic: the API's `Authorization`
/// header never reaches it (proxy credentials in the URL go to it as `Proxy-Authorization`).
/// Without this setting the `HTTPS_PROXY` / `ALL_PROXY` environment variables (with `NO_PROXY`)
/// apply. A loopback base URL (the emulator) never goes through a proxy, whatever is set.
/// An unusable proxy URL is reported by `sunco_client_new` (`SUNCO_CONFIG`), whatever the base URL.
///
/// Ownership: `proxy_url` is copied; it may hold a password, which is never shown in messages.
/// Threads: one thread at a time per `options`.
///
/// # Safety
/// `options` is NULL or a live configuration; `proxy_url` is NULL or a NUL-terminated string;
/// `err` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_options_set_proxy(
    options: *mut sunco_options,
    proxy_url: *const c_char,
    err: *mut *mut sunco_error,
) -> sunco_status {
    update(options, err, |b| {
        Ok(b.proxy(boundary::text(proxy_url, "proxy_url")?))
    })
}

/// Sets the timeout of one whole attempt (connect, send, read the full answer), in
/// milliseconds. Default 30000. 0 is refused by `sunco_client_new` (`SUNCO_CONFIG`).
/// Threads: one thread at a time per `options`.
///
/// # Safety
/// `options` is NULL or a live configuration; `err` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_options_set_timeout_ms(
    options: *mut sunco_options,
    ms: u64,
    err: *mut *mut sunco_error,
) -> sunco_status {
    update(options, err, |b| Ok(b.timeout(Duration::from_millis(ms))))
}

/// Sets the timeout for opening a connection, in milliseconds. Default 10000. 0 is refused by
/// `sunco_client_new` (`SUNCO_CONFIG`).
/// Threads: one thread at a time per `options`.
///
/// # Safety
/// `options` is NULL or a live configuration; `err` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_options_set_connect_timeout_ms(
    options: *mut sunco_options,
    ms: u64,
    err: *mut *mut sunco_error,
) -> sunco_status {
    update(options, err, |b| {
        Ok(b.connect_timeout(Duration::from_millis(ms)))
    })
}

/// Sets how many times a failed request is tried again (429, 502/503/504, connection not
/// made; with backoff and `Retry-After`). Default 3; 0 turns retries off.
/// Threads: one thread at a time per `options`.
///
/// # Safety
/// `options` is NULL or a live configuration; `err` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_options_set_max_retries(
    options: *mut sunco_options,
    max_retries: u32,
    err: *mut *mut sunco_error,
) -> sunco_status {
    update(options, err, |b| Ok(b.max_retries(max_retries)))
}
