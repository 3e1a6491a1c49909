//! `sunco._native`: the private extension module behind the Python package `sunco`.
//!
//! It is a thin skin over the `sunco` crate: request bodies arrive as Python values in wire
//! form and are decoded (and validated) by the core; results leave as wire-form dicts; every
//! core error becomes a `sunco.*Error` in one function (`error::to_py_err`). The public,
//! documented API is the pure-Python package in `python/sunco/`.

mod client;
mod convert;
mod error;
mod generic;
mod runtime;
mod webhooks;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CORE_VERSION", sunco::VERSION)?;
    // Limits the Python layer names in its own messages, taken from the core.
    m.add("PAGE_SIZE_MIN", *sunco::validation::PAGE_SIZE_RANGE.start())?;
    m.add("PAGE_SIZE_MAX", *sunco::validation::PAGE_SIZE_RANGE.end())?;
    m.add("MAX_DEPTH", sunco::json::MAX_DEPTH)?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<client::NativeConversations>()?;
    m.add_class::<client::NativePages>()?;
    m.add_class::<generic::NativeOperationPages>()?;
    m.add_function(wrap_pyfunction!(generic::operations, m)?)?;
    m.add_function(wrap_pyfunction!(webhooks::parse_webhook, m)?)?;
    m.add("WEBHOOK_MAX_BODY_BYTES", sunco::webhooks::MAX_BODY_BYTES)?;
    m.add(
        "WEBHOOK_EVENT_TYPES",
        pyo3::types::PyTuple::new(m.py(), sunco::webhooks::EVENT_TYPES)?,
    )?;
    m.add("UPLOAD_MAX_BYTES", sunco::UPLOAD_MAX_BYTES)?;
    Ok(())
}
