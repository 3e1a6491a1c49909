//! The one place where C meets Rust: panics are caught here, arguments are read here,
//! results and errors are written here.

use std::any::Any;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{self, sunco_error};
use crate::status::sunco_status;

/// Why a call failed, before it becomes a [`sunco_error`] in [`error::from_failure`].
#[derive(Debug)]
pub(crate) enum Failure {
    /// The C call was malformed; `param` names the parameter when there is one.
    Argument {
        param: Option<&'static str>,
        message: String,
    },
    /// The core refused or failed.
    Core(sunco::Error),
    /// A panic or an unobtainable resource.
    Internal(String),
}

impl Failure {
    pub(crate) fn argument(param: &'static str, message: impl Into<String>) -> Self {
        Failure::Argument {
            param: Some(param),
            message: format!("argument `{param}` {}", message.into()),
        }
    }
}

impl From<sunco::Error> for Failure {
    fn from(e: sunco::Error) -> Self {
        Failure::Core(e)
    }
}

pub(crate) type Outcome = Result<(), Failure>;

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-text payload".to_owned()
    }
}

/// Runs `body`, turning a panic into `on_panic(message)`. Every exported function goes
/// through this (directly or via [`call`]), so no unwind ever reaches C.
pub(crate) fn guard<T>(on_panic: impl FnOnce(String) -> T, body: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(v) => v,
        Err(payload) => {
            let message = panic_message(&*payload);
            // Dropping a payload can itself panic; never let that escape either.
            let _ = catch_unwind(AssertUnwindSafe(move || drop(payload)));
            on_panic(message)
        }
    }
}

/// [`guard`] for functions returning a plain value: a panic gives `fallback`.
pub(crate) fn guard_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    guard(|_| fallback, body)
}

/// [`guard`] for functions returning nothing (the `*_free` functions).
pub(crate) fn guard_void(body: impl FnOnce()) {
    guard(|_| (), body)
}

/// The boundary of every fallible function: clears `*err`, runs `body` with panics caught,
/// and on failure writes a new [`sunco_error`] to `*err` (if `err` is not NULL).
pub(crate) fn call(err: *mut *mut sunco_error, body: impl FnOnce() -> Outcome) -> sunco_status {
    if !err.is_null() {
        // SAFETY: the caller promises `err` is NULL or valid for writes.
        unsafe { err.write(ptr::null_mut()) };
    }
    let outcome = guard(
        |message| {
            Err(Failure::Internal(format!(
                "internal error (a bug in libconversations): {message}"
            )))
        },
        body,
    );
    match outcome {
        Ok(()) => sunco_status::SUNCO_OK,
        Err(failure) => {
            let write = |failure| {
                let e = error::from_failure(failure);
                let status = e.status;
                if !err.is_null() {
                    // SAFETY: as above.
                    unsafe { err.write(Box::into_raw(Box::new(e))) };
                }
                status
            };
            guard_value(sunco_status::SUNCO_INTERNAL, || write(failure))
        }
    }
}

/// Checks an out-parameter and sets `*out` to NULL. Call it before reading any other argument,
/// so the out-parameter is NULL on every failure.
pub(crate) fn out_param<T>(out: *mut *mut T, param: &'static str) -> Result<OutParam<T>, Failure> {
    if out.is_null() {
        return Err(Failure::argument(param, "must not be NULL"));
    }
    // SAFETY: the caller promises a non-NULL `out` is valid for writes.
    unsafe { out.write(ptr::null_mut()) };
    Ok(OutParam(out))
}

/// A checked out-parameter; [`OutParam::set`] writes it (only ever on success).
pub(crate) struct OutParam<T>(*mut *mut T);

impl<T> OutParam<T> {
    pub(crate) fn set(self, value: *mut T) {
        // SAFETY: checked non-NULL in `out_param`; validity is the caller's promise.
        unsafe { self.0.write(value) };
    }
}

impl OutParam<c_char> {
    /// Writes `text` as a new C string owned by the caller (`sunco_string_free`).
    pub(crate) fn set_string(self, text: String) -> Outcome {
        let s = CString::new(text)
            .map_err(|_| Failure::Internal("a result contained a NUL byte".into()))?;
        self.set(s.into_raw());
        Ok(())
    }

    /// Writes the `conversation` of a `{"conversation": {...}}` answer, exactly as sent.
    pub(crate) fn set_conversation(self, mut answer: sunco::JsonObject) -> Outcome {
        match answer.remove("conversation") {
            Some(conversation @ Value::Object(_)) => self.set_json(&conversation),
            _ => Err(Failure::Core(sunco::Error::Decode {
                status: 200,
                message: "the answer has no `conversation` object".into(),
                excerpt: String::new(),
            })),
        }
    }

    /// Writes `value` as JSON text owned by the caller (`sunco_string_free`).
    pub(crate) fn set_json<T: serde::Serialize>(self, value: &T) -> Outcome {
        let text = serde_json::to_string(value)
            .map_err(|e| Failure::Internal(format!("could not encode the result as JSON: {e}")))?;
        self.set_string(text)
    }
}

/// A handle argument that must not be NULL.
pub(crate) fn handle<'a, T>(p: *const T, param: &'static str) -> Result<&'a T, Failure> {
    // SAFETY: the caller promises a non-NULL handle is live and was made by this library.
    unsafe { p.as_ref() }.ok_or_else(|| Failure::argument(param, "must not be NULL"))
}

/// A mutable handle argument that must not be NULL.
pub(crate) fn handle_mut<'a, T>(p: *mut T, param: &'static str) -> Result<&'a mut T, Failure> {
    // SAFETY: as in `handle`, and the caller uses the handle from one thread at a time.
    unsafe { p.as_mut() }.ok_or_else(|| Failure::argument(param, "must not be NULL"))
}

/// A NUL-terminated UTF-8 string argument.
pub(crate) fn text<'a>(p: *const c_char, param: &'static str) -> Result<&'a str, Failure> {
    if p.is_null() {
        return Err(Failure::argument(param, "must not be NULL"));
    }
    // SAFETY: the caller promises a NUL-terminated string that outlives the call.
    let s = unsafe { CStr::from_ptr(p) };
    s.to_str().map_err(|e| {
        Failure::argument(
            param,
            format!(
                "is not valid UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// A JSON text argument decoded to a core request type. Text that is not JSON at all is an
/// invalid argument; JSON of the wrong shape is the core's validation error naming the field
/// (`what` is the field name used for the whole value, `body` or `params`), and so is JSON
/// nested deeper than the core accepts (`sunco::json::MAX_DEPTH`), which the parser stops at
/// without exhausting the stack.
pub(crate) fn json<T: DeserializeOwned>(
    p: *const c_char,
    param: &'static str,
    what: &str,
) -> Result<T, Failure> {
    let raw = text(p, param)?;
    let value: Value = match serde_json::from_str(raw) {
        Ok(value) => value,
        // Too deep is the core's rule, reported by the core with the path where it happened.
        Err(e) if e.to_string().starts_with("recursion limit exceeded") => {
            return Err(match sunco::json::from_str::<Value>(what, raw) {
                Err(core) => Failure::Core(core),
                Ok(_) => {
                    Failure::Core(sunco::Error::validation(what, sunco::json::too_deep_rule()))
                }
            });
        }
        Err(e) => return Err(Failure::argument(param, format!("is not valid JSON: {e}"))),
    };
    Ok(sunco::json::from_value(what, value)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{sunco_error_field, sunco_error_free, sunco_error_message};

    fn message(e: *const sunco_error) -> String {
        // SAFETY: a live error made by `call`.
        unsafe { CStr::from_ptr(sunco_error_message(e)) }
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn a_panic_becomes_internal() {
        let mut err = ptr::null_mut();
        let status = call(&mut err, || panic!("boom {}", 42));
        assert_eq!(status, sunco_status::SUNCO_INTERNAL);
        assert!(!err.is_null());
        assert!(message(err).contains("boom 42"), "{}", message(err));
        // SAFETY: made by `call`, freed once.
        unsafe { sunco_error_free(err) };
        // Without an error out-parameter the status is still right.
        assert_eq!(
            call(ptr::null_mut(), || panic!("again")),
            sunco_status::SUNCO_INTERNAL
        );
    }

    #[test]
    fn arguments_are_named() {
        let mut err = ptr::null_mut();
        let bad = c"{\"a\":".as_ptr();
        let status = call(&mut err, || {
            json::<sunco::UpdateConversation>(bad, "body_json", "body").map(drop)
        });
        assert_eq!(status, sunco_status::SUNCO_INVALID_ARGUMENT);
        assert!(message(err).contains("`body_json`"), "{}", message(err));
        // SAFETY: a live error; its field is a NUL-terminated string.
        let field = unsafe { CStr::from_ptr(sunco_error_field(err)) };
        assert_eq!(field.to_str().unwrap(), "body_json");
        // SAFETY: made by `call`, freed once.
        unsafe { sunco_error_free(err) };

        let invalid_utf8 = c"\xff".as_ptr();
        let e = text(invalid_utf8, "app_id").unwrap_err();
        assert!(format!("{e:?}").contains("UTF-8"));
        let e = text(ptr::null(), "app_id").unwrap_err();
        assert!(format!("{e:?}").contains("NULL"));
    }

    #[test]
    fn too_deep_is_validation_naming_the_field() {
        for text in [
            format!(
                "{{\"extra\":{{\"x\":{}1{}}}}}",
                "[".repeat(500),
                "]".repeat(500)
            ),
            format!("{{\"extra\":{{\"x\":{}", "[".repeat(100_000)),
            "[".repeat(100_000),
        ] {
            let c = std::ffi::CString::new(text).unwrap();
            match json::<sunco::UpdateConversation>(c.as_ptr(), "body_json", "body") {
                Err(Failure::Core(sunco::Error::Validation { field, rule })) => {
                    assert!(rule.contains("128"), "{rule}");
                    assert!(!field.is_empty());
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn wrong_shape_is_validation() {
        let body = c"{\"displayName\": 5}".as_ptr();
        match json::<sunco::UpdateConversation>(body, "body_json", "body") {
            Err(Failure::Core(sunco::Error::Validation { field, .. })) => {
                assert_eq!(field, "displayName")
            }
            other => panic!("{other:?}"),
        }
    }
}
