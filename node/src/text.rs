//! JavaScript strings converted without loss.
//!
//! A JavaScript string is UTF-16 and may hold a lone surrogate (`'\uD800'`), which no Rust
//! `String` can. napi's own `String` conversion goes through UTF-8 and silently turns a lone
//! surrogate into U+FFFD, so `get('\uD800')` would have asked for conversation `%EF%BF%BD`
//! and `conversations('demo-app\uD800')` would have talked to another app. [`JsText`] reads
//! the UTF-16 code units instead and keeps either the exact text or where it is ill-formed;
//! the caller turns the latter into an error naming its own field.

use std::ptr;

use napi::bindgen_prelude::{FromNapiValue, TypeName, ValidateNapiValue};
use napi::{Result, ValueType, check_status, sys};

/// A string argument: its exact text, or the position of its first lone surrogate.
pub struct JsText(std::result::Result<String, LoneSurrogate>);

/// Where a string stops being well-formed UTF-16.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoneSurrogate {
    /// Index of the code unit (as JavaScript counts `str[i]`).
    pub index: usize,
    /// The unpaired code unit.
    pub unit: u16,
}

impl LoneSurrogate {
    /// The rule an ill-formed string breaks, for error messages (never repeats the text).
    pub fn rule(self) -> String {
        format!(
            "must be well-formed Unicode: it has a lone surrogate (\\u{:04X}) at index {}, \
             which cannot be sent without changing it",
            self.unit, self.index
        )
    }
}

impl JsText {
    /// The exact text, or where it is ill-formed.
    pub fn into_result(self) -> std::result::Result<String, LoneSurrogate> {
        self.0
    }

    /// Text from UTF-16 code units (what napi hands over; also used by tests).
    pub fn from_units(units: &[u16]) -> Self {
        JsText(decode(units))
    }
}

/// Decodes UTF-16 code units, refusing (not replacing) a lone surrogate.
pub fn decode(units: &[u16]) -> std::result::Result<String, LoneSurrogate> {
    let mut out = String::with_capacity(units.len());
    let mut index = 0;
    for c in char::decode_utf16(units.iter().copied()) {
        match c {
            Ok(c) => {
                out.push(c);
                index += c.len_utf16();
            }
            Err(e) => {
                return Err(LoneSurrogate {
                    index,
                    unit: e.unpaired_surrogate(),
                });
            }
        }
    }
    Ok(out)
}

impl TypeName for JsText {
    fn type_name() -> &'static str {
        "String"
    }

    fn value_type() -> ValueType {
        ValueType::String
    }
}

impl ValidateNapiValue for JsText {}

impl FromNapiValue for JsText {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> Result<Self> {
        let mut len = 0;
        // SAFETY: env and value come from napi; a NULL buffer asks for the length only.
        check_status!(
            unsafe { sys::napi_get_value_string_utf16(env, value, ptr::null_mut(), 0, &mut len) },
            "expected a string"
        )?;
        let mut units: Vec<u16> = vec![0; len + 1];
        let mut written = 0;
        // SAFETY: the buffer holds len + 1 units (napi writes a terminating NUL).
        check_status!(
            unsafe {
                sys::napi_get_value_string_utf16(
                    env,
                    value,
                    units.as_mut_ptr(),
                    units.len(),
                    &mut written,
                )
            },
            "expected a string"
        )?;
        units.truncate(written);
        Ok(JsText::from_units(&units))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_text_is_kept_exactly() {
        let s = "a/b é 😀 \u{FFFD}";
        let units: Vec<u16> = s.encode_utf16().collect();
        assert_eq!(decode(&units).unwrap(), s);
        assert_eq!(decode(&[]).unwrap(), "");
    }

    #[test]
    fn lone_surrogates_are_found_not_replaced() {
        let bad = |units: &[u16]| decode(units).unwrap_err();
        assert_eq!(
            bad(&[0xD800]),
            LoneSurrogate {
                index: 0,
                unit: 0xD800
            }
        );
        // "demo-app" then a lone high surrogate
        let mut units: Vec<u16> = "demo-app".encode_utf16().collect();
        units.push(0xD83D);
        assert_eq!(bad(&units).index, 8);
        // a low surrogate first, after a full pair (index counts code units)
        let mut units: Vec<u16> = "😀".encode_utf16().collect();
        units.push(0xDC00);
        let e = bad(&units);
        assert_eq!((e.index, e.unit), (2, 0xDC00));
        assert!(e.rule().contains("\\uDC00") && e.rule().contains("index 2"));
    }
}
