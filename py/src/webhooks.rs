//! Receiving webhooks: `sunco.webhooks.parse` hands the raw body, the headers and the secret to
//! the core (`sunco::webhooks::parse`), which checks the secret in constant time, bounds the
//! body and reads every event by its type. The payload comes back in wire form (the core's
//! typed payload written back as JSON, unknown fields and event types included); a refusal is
//! `sunco::Error::Webhook`, mapped to `sunco.Webhook*Error` by `error::to_py_err`.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::convert::{Json, string_arg_named, type_name};
use crate::error::{Naming, Problem, argument_error, to_py_err};

fn type_error(field: &str, rule: String) -> PyErr {
    argument_error(Problem::Type, field.to_owned(), rule, Naming::Wire)
}

/// Checks a webhook request and parses its body: `body` (bytes), `headers` (a list of
/// `(name, value)` string pairs, names in any case) and the webhook's `secret`.
#[pyfunction]
pub(crate) fn parse_webhook<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
    headers: Vec<(String, String)>,
    secret: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let Ok(body) = body.cast::<PyBytes>() else {
        let name = type_name(body);
        return Err(type_error("body", format!("must be bytes, not {name}")));
    };
    if secret.cast::<PyString>().is_err() {
        let name = type_name(secret);
        return Err(type_error("secret", format!("must be str, not {name}")));
    }
    let secret = string_arg_named(secret, "secret", Naming::Wire)?;
    let payload = sunco::webhooks::parse(body.as_bytes(), headers, &secret).map_err(to_py_err)?;
    let value = serde_json::to_value(&payload).map_err(|e| {
        to_py_err(sunco::Error::Webhook(sunco::WebhookError::Malformed {
            path: String::new(),
            message: e.to_string(),
        }))
    })?;
    Json(value).into_pyobject(py)
}
