//! Python values to and from JSON (`serde_json::Value`), the only currency between the
//! Python layer and the core. Only the JSON types cross: anything else is a `TypeError`.
//!
//! Going in, a value is walked with an explicit limit: containers nested deeper than
//! [`sunco::json::MAX_DEPTH`] are refused, and so is a container that contains itself, each
//! as a `sunco.ValidationError` naming where it happened (a recursion without a limit would
//! overflow the native stack and kill the interpreter). Strings must be valid Unicode: a lone
//! surrogate (`"\ud800"`) cannot be sent as UTF-8 and is refused the same way.

use pyo3::exceptions::PyUnicodeEncodeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::error::{Naming, Problem, argument_error};

/// The rule of a string that is not valid Unicode.
pub(crate) const SURROGATE_RULE: &str = "must be valid Unicode (no lone surrogates)";

/// Converts a Python value made of `dict` (str keys), `list`/`tuple`, `str`, `int`, `float`,
/// `bool` and `None` into JSON. `root` names the value in errors, in wire spelling (`""` for a
/// request body, whose keys then name themselves: `displayName`, `metadata.plan`).
pub(crate) fn to_json(obj: &Bound<'_, PyAny>, root: &str) -> PyResult<Value> {
    to_json_named(obj, root, Naming::Python)
}

/// [`to_json`], with errors naming the value as `naming` says.
pub(crate) fn to_json_named(obj: &Bound<'_, PyAny>, root: &str, naming: Naming) -> PyResult<Value> {
    let mut walk = Walk {
        root,
        naming,
        path: Vec::new(),
        open: Vec::new(),
    };
    walk.value(obj)
}

/// A Python `str` argument as a Rust `String`; `field` names it (wire spelling) in errors.
pub(crate) fn string_arg(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<String> {
    string_arg_named(obj, field, Naming::Python)
}

/// [`string_arg`], with errors naming the value as `naming` says.
pub(crate) fn string_arg_named(
    obj: &Bound<'_, PyAny>,
    field: &str,
    naming: Naming,
) -> PyResult<String> {
    let Ok(s) = obj.cast::<PyString>() else {
        return Err(argument_error(
            Problem::Type,
            field.to_owned(),
            format!("must be str, not {}", type_name(obj)),
            naming,
        ));
    };
    text(s).map_err(|e| surrogate_or(e, obj.py(), naming, || field.to_owned(), SURROGATE_RULE))
}

fn text(s: &Bound<'_, PyString>) -> PyResult<String> {
    Ok(s.to_cow()?.into_owned())
}

/// A failed UTF-8 conversion becomes a validation error; anything else (MemoryError) stays.
fn surrogate_or(
    err: PyErr,
    py: Python<'_>,
    naming: Naming,
    field: impl FnOnce() -> String,
    rule: impl Into<String>,
) -> PyErr {
    if err.is_instance_of::<PyUnicodeEncodeError>(py) {
        argument_error(Problem::Value, field(), rule.into(), naming)
    } else {
        err
    }
}

enum Segment {
    Key(String),
    Index(usize),
}

struct Walk<'a> {
    root: &'a str,
    naming: Naming,
    /// Where the walk is, rendered only when something is wrong.
    path: Vec<Segment>,
    /// The containers being converted (the current one and its ancestors): meeting one of
    /// them again means the value contains itself.
    open: Vec<*mut pyo3::ffi::PyObject>,
}

impl Walk<'_> {
    fn field(&self) -> String {
        /// A path deeper than this is shown by its first segments only (`extra.a[0][0]…`).
        const SHOWN: usize = 8;
        let mut out = self.root.to_owned();
        for segment in self.path.iter().take(SHOWN) {
            match segment {
                Segment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        if self.path.len() > SHOWN {
            out.push('…');
        }
        if out.is_empty() {
            // The top of a request body (whose fields name themselves), as the core names it.
            return "body".to_owned();
        }
        out
    }

    fn fail(&self, problem: Problem, rule: impl Into<String>) -> PyErr {
        argument_error(problem, self.field(), rule.into(), self.naming)
    }

    fn value(&mut self, obj: &Bound<'_, PyAny>) -> PyResult<Value> {
        if obj.is_none() {
            return Ok(Value::Null);
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return text(s).map(Value::String).map_err(|e| {
                surrogate_or(e, obj.py(), self.naming, || self.field(), SURROGATE_RULE)
            });
        }
        // `bool` is a subclass of `int`: test it first.
        if let Ok(b) = obj.cast::<PyBool>() {
            return Ok(Value::Bool(b.is_true()));
        }
        if obj.is_instance_of::<PyInt>() {
            if let Ok(i) = obj.extract::<i64>() {
                return Ok(Value::from(i));
            }
            if let Ok(u) = obj.extract::<u64>() {
                return Ok(Value::from(u));
            }
            return Err(self.fail(
                Problem::Value,
                "integers must fit in 64 bits (-2**63 to 2**64-1)",
            ));
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            return match Number::from_f64(f.value()) {
                Some(n) => Ok(Value::Number(n)),
                None => Err(self.fail(
                    Problem::Value,
                    "numbers must be finite (JSON has no NaN or Infinity)",
                )),
            };
        }
        let is_container = obj.is_instance_of::<PyDict>()
            || obj.is_instance_of::<PyList>()
            || obj.is_instance_of::<PyTuple>();
        if !is_container {
            return Err(self.fail(
                Problem::Type,
                format!(
                    "{} cannot be sent as JSON (use dict, list, str, int, float, bool or None)",
                    type_name(obj)
                ),
            ));
        }
        if self.open.contains(&obj.as_ptr()) {
            return Err(self.fail(
                Problem::Value,
                "contains itself (circular reference detected)",
            ));
        }
        if self.open.len() >= sunco::json::MAX_DEPTH {
            return Err(self.fail(Problem::Value, sunco::json::too_deep_rule()));
        }
        self.open.push(obj.as_ptr());
        let out = self.container(obj);
        self.open.pop();
        out
    }

    fn container(&mut self, obj: &Bound<'_, PyAny>) -> PyResult<Value> {
        if let Ok(d) = obj.cast::<PyDict>() {
            let mut map = Map::with_capacity(d.len());
            for (k, v) in d.iter() {
                let Ok(key) = k.cast::<PyString>() else {
                    return Err(self.fail(
                        Problem::Type,
                        format!("keys must be str, not {}", type_name(&k)),
                    ));
                };
                let key = text(key).map_err(|e| {
                    let rule = format!(
                        "keys {SURROGATE_RULE}: {}",
                        key.repr().map(|r| r.to_string()).unwrap_or_default()
                    );
                    surrogate_or(e, obj.py(), self.naming, || self.field(), rule)
                })?;
                self.path.push(Segment::Key(key));
                let child = self.value(&v);
                let Some(Segment::Key(key)) = self.path.pop() else {
                    unreachable!("the walk pushed a key");
                };
                map.insert(key, child?);
            }
            return Ok(Value::Object(map));
        }
        let items = if let Ok(l) = obj.cast::<PyList>() {
            l.iter().collect::<Vec<_>>()
        } else {
            obj.cast::<PyTuple>()?.iter().collect()
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            self.path.push(Segment::Index(i));
            let child = self.value(item);
            self.path.pop();
            out.push(child?);
        }
        Ok(Value::Array(out))
    }
}

pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "this object".to_owned())
}

/// A JSON value on its way to Python: `dict`, `list`, `str`, `int`, `float`, `bool`, `None`.
pub(crate) struct Json(pub(crate) Value);

impl<'py> IntoPyObject<'py> for Json {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        from_json(py, self.0)
    }
}

/// Converts JSON into Python values (keys in the order the server sent them). The JSON came
/// from the core's parser, which stops at [`sunco::json::MAX_DEPTH`], so this recursion is bounded.
pub(crate) fn from_json(py: Python<'_>, value: Value) -> PyResult<Bound<'_, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, &s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(from_json(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(PyString::new(py, &k), from_json(py, v)?)?;
            }
            dict.into_any()
        }
    })
}
