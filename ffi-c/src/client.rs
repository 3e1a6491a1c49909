//! [`sunco_client`]: a configured client, shared by every thread of the program.

use sunco::{Client, ClientBuilder};

use crate::boundary::{self, Failure, Outcome};
use crate::error::sunco_error;
use crate::options::{self, sunco_options};
use crate::status::sunco_status;

/// A client: credentials, base URL, retry policy and one connection pool. Opaque.
///
/// Ownership: made by `sunco_client_new` or `sunco_client_new_from_env`, freed by
/// `sunco_client_free`. Iterators made from it keep what they need, so they may outlive it.
/// Threads: thread-safe. One client may be used by many threads at once (all functions
/// take it as `const sunco_client *`); make one per program and share it. Free it once no
/// call using it is running.
/// Processes: a client belongs to the process that made it. In a child made by `fork()`, calls
/// with the parent's client fail at once with `SUNCO_INVALID_ARGUMENT` (its connections and
/// runtime threads stayed in the parent); the child may only free it, and makes its own.
#[derive(Debug)]
pub struct sunco_client {
    pub(crate) client: Client,
    /// The process that made the client (`getpid()` at creation).
    pid: u32,
}

/// The message of a call made in a forked child with a handle made by its parent.
pub(crate) const FORKED: &str =
    "this client was created in another process (before fork); create a new client in the child";

/// Refuses a handle (`param`) made by another process: a runtime does not survive `fork()`.
pub(crate) fn made_here(pid: u32, param: &'static str) -> Result<(), Failure> {
    if pid != std::process::id() {
        return Err(Failure::Argument {
            param: Some(param),
            message: FORKED.into(),
        });
    }
    Ok(())
}

impl sunco_client {
    /// The core client, if this process made it.
    pub(crate) fn usable(&self, param: &'static str) -> Result<&Client, Failure> {
        made_here(self.pid, param)?;
        Ok(&self.client)
    }
}

fn finish(builder: ClientBuilder, out: boundary::OutParam<sunco_client>) -> Outcome {
    let client = builder.build()?;
    out.set(Box::into_raw(Box::new(sunco_client {
        client,
        pid: std::process::id(),
    })));
    Ok(())
}

/// Makes a client from a configuration. No request is sent.
///
/// On success writes the new client to `*out`. Fails with `SUNCO_CONFIG` for an unusable
/// configuration (bad base URL, plain http to a non-loopback host, no credentials, zero
/// timeout) and `SUNCO_INVALID_ARGUMENT` for NULL `options` or `out`.
/// Ownership: the caller owns `*out` (free with `sunco_client_free`); `options` is only read
/// and may be freed or changed afterwards without affecting the client.
/// Threads: any thread.
///
/// # Safety
/// `options` is NULL or a live configuration; `out` is NULL or valid for writes; `err` is NULL
/// or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_client_new(
    options: *const sunco_options,
    out: *mut *mut sunco_client,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out, "out")?;
        let options = boundary::handle(options, "options")?;
        finish(options.builder(), out)
    })
}

/// Makes a client from the environment: `SUNCO_BASE_URL` (or `SUNCO_REGION` /
/// `SUNCO_SUBDOMAIN`), `SUNCO_KEY_ID` + `SUNCO_KEY_SECRET` with `SUNCO_AUTH` = `basic`
/// (default) or `jwt`, or `SUNCO_TOKEN` (a bearer token). Other settings take their defaults.
///
/// Fails with `SUNCO_CONFIG` when the variables are missing, incomplete or invalid.
/// Ownership: the caller owns `*out` (free with `sunco_client_free`).
/// Threads: any thread; do not change the environment (`setenv`) from another thread meanwhile.
///
/// # Safety
/// `out` is NULL or valid for writes; `err` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_client_new_from_env(
    out: *mut *mut sunco_client,
    err: *mut *mut sunco_error,
) -> sunco_status {
    boundary::call(err, || {
        let out = boundary::out_param(out, "out")?;
        let builder = ClientBuilder::new()
            .user_agent_extra(options::user_agent_extra())
            .from_env()?;
        finish(builder, out)
    })
}

/// Frees a client. NULL is a no-op.
///
/// Threads: any thread, once no call using the client is running on any thread.
/// Processes: a child made by `fork()` may free the copy of its parent's client.
///
/// # Safety
/// `client` is NULL or a live client of this library, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sunco_client_free(client: *mut sunco_client) {
    boundary::guard_void(|| {
        if !client.is_null() {
            // SAFETY: made by `Box::into_raw` in `finish`; freed once by contract.
            drop(unsafe { Box::from_raw(client) });
        }
    })
}
