//! Checking a JSON request body against its schema from the spec, before sending.
//!
//! The schemas themselves are data, generated into `schemas.rs` by `make codegen`; this module
//! is the one interpreter. It checks what the spec states as constraints: types, `required`,
//! `nullable`, string lengths, `enum`, numeric bounds, item counts, and `oneOf` by
//! discriminator. Fields the schema does not name are let through (the API may accept fields
//! newer than this crate), and so are formats the spec gives only as a name (`date-time`).
//! Each failure names the field in wire spelling (`content.items[0].title`).

use serde_json::Value;

use crate::error::{Error, Result};

/// A schema node, as generated from the spec.
#[derive(Debug)]
pub(crate) enum Schema {
    /// Anything (a schema without a type; none in 17.12.1's request bodies, but the generator
    /// emits it for one).
    #[allow(dead_code)]
    Any,
    /// Another (named) schema.
    Ref(&'static Schema),
    /// A boolean.
    Bool { nullable: bool },
    /// A string.
    Str {
        nullable: bool,
        min_len: Option<usize>,
        max_len: Option<usize>,
        /// Allowed values; empty means any.
        one_of: &'static [&'static str],
    },
    /// A number.
    Num {
        nullable: bool,
        integer: bool,
        min: Option<f64>,
        max: Option<f64>,
    },
    /// An array.
    Array {
        nullable: bool,
        items: &'static Schema,
        min_items: Option<usize>,
        max_items: Option<usize>,
    },
    /// An object.
    Object {
        nullable: bool,
        props: &'static [Prop],
        required: &'static [&'static str],
        /// The schema of the values of properties not in `props`, when the spec gives one.
        additional: Option<&'static Schema>,
    },
    /// Every part must hold (`allOf`).
    AllOf {
        nullable: bool,
        parts: &'static [Schema],
    },
    /// One of several shapes (`oneOf` / `anyOf`), chosen by the `tag` property when the
    /// spec names a discriminator.
    OneOf {
        nullable: bool,
        tag: Option<&'static str>,
        variants: &'static [(&'static str, Schema)],
    },
    /// One of several object shapes that share no property (`oneOf` without a
    /// discriminator): a value is in the one branch whose properties it has, and has
    /// properties of exactly one branch.
    OneKey {
        nullable: bool,
        variants: &'static [(&'static [&'static str], Schema)],
    },
}

/// A named property of an object schema.
#[derive(Debug)]
pub(crate) struct Prop {
    pub(crate) name: &'static str,
    pub(crate) schema: Schema,
}

/// How deep a schema may refer to itself while checking one value (the JSON is bounded too).
const MAX_DEPTH: usize = 64;

/// Checks `value` against `schema`; the error names the failing field (`body` at the top).
pub(crate) fn check(schema: &Schema, value: &Value) -> Result<()> {
    walk(schema, value, "", 0)
}

fn fail<T>(at: &str, rule: impl Into<String>) -> Result<T> {
    let field = if at.is_empty() { "body" } else { at };
    Err(Error::validation(field, rule))
}

fn child(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_owned()
    } else {
        format!("{at}.{name}")
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn nullable_of(schema: &Schema) -> bool {
    match schema {
        Schema::Any => true,
        Schema::Ref(inner) => nullable_of(inner),
        Schema::Bool { nullable }
        | Schema::Str { nullable, .. }
        | Schema::Num { nullable, .. }
        | Schema::Array { nullable, .. }
        | Schema::Object { nullable, .. }
        | Schema::AllOf { nullable, .. }
        | Schema::OneOf { nullable, .. }
        | Schema::OneKey { nullable, .. } => *nullable,
    }
}

fn walk(schema: &Schema, value: &Value, at: &str, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    if value.is_null() {
        return if nullable_of(schema) {
            Ok(())
        } else {
            fail(at, "must not be null")
        };
    }
    let wrong = |want: &str| fail(at, format!("must be {want}, not {}", type_name(value)));
    match schema {
        Schema::Any => Ok(()),
        Schema::Ref(inner) => walk(inner, value, at, depth + 1),
        Schema::Bool { .. } => match value {
            Value::Bool(_) => Ok(()),
            _ => wrong("a boolean"),
        },
        Schema::Str {
            min_len,
            max_len,
            one_of,
            ..
        } => {
            let Value::String(s) = value else {
                return wrong("a string");
            };
            let n = s.chars().count();
            match (min_len, max_len) {
                (Some(lo), Some(hi)) if n < *lo || n > *hi => {
                    return fail(
                        at,
                        format!("must be {lo} to {hi} characters long (got {n})"),
                    );
                }
                (Some(lo), None) if n < *lo => {
                    return fail(
                        at,
                        format!("must be at least {lo} characters long (got {n})"),
                    );
                }
                (None, Some(hi)) if n > *hi => {
                    return fail(
                        at,
                        format!("must be at most {hi} characters long (got {n})"),
                    );
                }
                _ => {}
            }
            if !one_of.is_empty() && !one_of.contains(&s.as_str()) {
                return fail(
                    at,
                    format!("must be one of {} (got {s:?})", one_of.join(", ")),
                );
            }
            Ok(())
        }
        Schema::Num {
            integer, min, max, ..
        } => {
            let Value::Number(n) = value else {
                return wrong(if *integer { "an integer" } else { "a number" });
            };
            if *integer && !(n.is_i64() || n.is_u64()) {
                return fail(at, format!("must be an integer (got {n})"));
            }
            let x = n.as_f64().unwrap_or(f64::NAN);
            if min.is_some_and(|m| x < m) || max.is_some_and(|m| x > m) {
                let bound = |b: &Option<f64>| b.map_or("any".to_owned(), |v| v.to_string());
                return fail(
                    at,
                    format!(
                        "must be between {} and {} (got {n})",
                        bound(min),
                        bound(max)
                    ),
                );
            }
            Ok(())
        }
        Schema::Array {
            items,
            min_items,
            max_items,
            ..
        } => {
            let Value::Array(list) = value else {
                return wrong("an array");
            };
            if let Some(lo) = min_items
                && list.len() < *lo
            {
                return fail(
                    at,
                    format!("must have at least {lo} items (got {})", list.len()),
                );
            }
            if let Some(hi) = max_items
                && list.len() > *hi
            {
                return fail(
                    at,
                    format!("must have at most {hi} items (got {})", list.len()),
                );
            }
            for (i, item) in list.iter().enumerate() {
                walk(items, item, &format!("{at}[{i}]"), depth + 1)?;
            }
            Ok(())
        }
        Schema::Object {
            props,
            required,
            additional,
            ..
        } => {
            let Value::Object(map) = value else {
                return wrong("an object");
            };
            for name in *required {
                if !map.contains_key(*name) {
                    return fail(&child(at, name), "is required");
                }
            }
            for (name, v) in map {
                match props.iter().find(|p| p.name == name) {
                    Some(p) => walk(&p.schema, v, &child(at, name), depth + 1)?,
                    None => {
                        if let Some(extra) = additional {
                            walk(extra, v, &child(at, name), depth + 1)?;
                        }
                    }
                }
            }
            Ok(())
        }
        Schema::AllOf { parts, .. } => {
            for part in *parts {
                walk(part, value, at, depth + 1)?;
            }
            Ok(())
        }
        Schema::OneKey { variants, .. } => {
            let Value::Object(map) = value else {
                return wrong("an object");
            };
            let all = || {
                variants
                    .iter()
                    .flat_map(|(keys, _)| keys.iter().copied())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let given: Vec<&(&[&str], Schema)> = variants
                .iter()
                .filter(|(keys, _)| keys.iter().any(|k| map.contains_key(*k)))
                .collect();
            match given.as_slice() {
                [(_, schema)] => walk(schema, value, at, depth + 1),
                [] => fail(at, format!("must have one of {}", all())),
                [(a, _), (b, _), ..] => {
                    let name = |keys: &[&str]| {
                        keys.iter()
                            .find(|k| map.contains_key(**k))
                            .copied()
                            .unwrap_or_default()
                            .to_owned()
                    };
                    fail(
                        at,
                        format!(
                            "must have only one of {} (got {} and {})",
                            all(),
                            name(a),
                            name(b)
                        ),
                    )
                }
            }
        }
        Schema::OneOf { tag, variants, .. } => match tag {
            Some(tag) => {
                let names = || {
                    variants
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let Value::Object(map) = value else {
                    return wrong("an object");
                };
                match map.get(*tag) {
                    None => fail(&child(at, tag), format!("is required (one of {})", names())),
                    Some(Value::String(t)) => match variants.iter().find(|(n, _)| n == t) {
                        Some((_, schema)) => walk(schema, value, at, depth + 1),
                        None => fail(
                            &child(at, tag),
                            format!("must be one of {} (got {t:?})", names()),
                        ),
                    },
                    Some(other) => fail(
                        &child(at, tag),
                        format!("must be a string, not {}", type_name(other)),
                    ),
                }
            }
            None => {
                let mut first = None;
                for (_, schema) in *variants {
                    match walk(schema, value, at, depth + 1) {
                        Ok(()) => return Ok(()),
                        Err(e) => {
                            first.get_or_insert(e);
                        }
                    }
                }
                match first {
                    Some(e) => Err(e),
                    None => Ok(()),
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schemas::request_body;
    use serde_json::json;

    fn field(id: &str, body: Value) -> String {
        match check(request_body(id).unwrap(), &body) {
            Err(Error::Validation { field, .. }) => field,
            other => panic!("{id} {body}: {other:?}"),
        }
    }

    fn ok(id: &str, body: Value) {
        check(request_body(id).unwrap(), &body).unwrap_or_else(|e| panic!("{id} {body}: {e}"));
    }

    #[test]
    fn message_bodies_follow_the_spec() {
        ok(
            "PostMessage",
            json!({"author": {"type": "business"}, "content": {"type": "text", "text": "Hi"}}),
        );
        ok(
            "PostMessage",
            json!({"author": {"type": "user", "userExternalId": "alice"},
                   "content": {"type": "image", "mediaUrl": "https://x.io/a.png"},
                   "futureField": 1}),
        );
        assert_eq!(
            field(
                "PostMessage",
                json!({"content": {"type": "text", "text": "x"}})
            ),
            "author"
        );
        assert_eq!(
            field(
                "PostMessage",
                json!({"author": {"type": "robot"}, "content": {"type": "text", "text": "x"}})
            ),
            "author.type"
        );
        assert_eq!(
            field(
                "PostMessage",
                json!({"author": {"type": "business"}, "content": {"type": "hologram"}})
            ),
            "content.type"
        );
        assert_eq!(
            field(
                "PostMessage",
                json!({"author": {"type": "business"}, "content": {"type": "text", "text": "x".repeat(5000)}})
            ),
            "content.text"
        );
        assert_eq!(
            field(
                "PostMessage",
                json!({"author": {"type": "business"}, "content": {"type": "text", "text": 5}})
            ),
            "content.text"
        );
        assert_eq!(field("PostMessage", json!([])), "body");
    }

    #[test]
    fn conversation_bodies_agree_with_the_hand_written_rules() {
        ok("CreateConversation", json!({"type": "sdkGroup"}));
        assert_eq!(
            field("CreateConversation", json!({"displayName": "x"})),
            "type"
        );
        let many: Vec<Value> = (0..11)
            .map(|i| json!({"userId": format!("u{i}")}))
            .collect();
        assert_eq!(
            field(
                "CreateConversation",
                json!({"type": "sdkGroup", "participants": many})
            ),
            "participants"
        );
        ok(
            "UpdateConversation",
            json!({"displayName": null, "metadata": null}),
        );
    }

    fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            prop_oneof![
                Just("text".to_owned()),
                Just("business".to_owned()),
                Just("user".to_owned()),
                Just("carousel".to_owned()),
                Just("postback".to_owned()),
                "\\PC{0,8}",
            ]
            .prop_map(Value::from),
        ];
        leaf.prop_recursive(5, 48, 5, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map(
                    prop_oneof![
                        Just("type".to_owned()),
                        Just("author".to_owned()),
                        Just("content".to_owned()),
                        Just("text".to_owned()),
                        Just("items".to_owned()),
                        Just("actions".to_owned()),
                        Just("userId".to_owned()),
                        "[a-z]{1,6}",
                    ],
                    inner,
                    0..5
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Any JSON against any operation's body schema: accepted, or a validation error that
        /// names a field. Never a panic.
        #[test]
        fn any_body_against_any_schema_gives_a_typed_answer(v in any_json(), i in 0usize..68) {
            let op = &crate::OPERATIONS[i];
            if let Some(schema) = request_body(op.id) {
                match check(schema, &v) {
                    Ok(()) => {}
                    Err(Error::Validation { field, rule }) => {
                        proptest::prop_assert!(!field.is_empty() && !rule.is_empty());
                    }
                    Err(other) => proptest::prop_assert!(false, "{other:?}"),
                }
            }
        }
    }

    #[test]
    fn every_body_schema_accepts_an_empty_object_or_names_a_required_field() {
        for op in crate::OPERATIONS {
            if let Some(schema) = request_body(op.id) {
                match check(schema, &json!({})) {
                    Ok(()) => {}
                    Err(Error::Validation { field, rule }) => {
                        assert!(!field.is_empty() && !rule.is_empty(), "{}", op.id)
                    }
                    Err(other) => panic!("{}: {other:?}", op.id),
                }
            }
        }
    }
}
