//! Fault injection: queued rules that make matching requests fail in chosen ways.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::{HeaderValue, Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Longest accepted `delay`, in milliseconds.
const MAX_DELAY_MS: u64 = 600_000;
/// Largest accepted `huge` body, in bytes.
const MAX_HUGE_BYTES: u64 = 1 << 30;

/// One queued rule, as posted to and listed by `/_emulator/faults`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaultRule {
    /// HTTP method to match, or `*` for any.
    #[serde(default = "any_method")]
    pub(crate) method: String,
    /// Glob over the raw path: `*` matches within one segment, `**` across segments.
    #[serde(default = "any_path")]
    pub(crate) path: String,
    /// How many more requests this rule applies to.
    #[serde(default = "once")]
    pub(crate) times: u64,
    /// What happens to a matching request.
    pub(crate) action: FaultAction,
}

fn any_method() -> String {
    "*".to_owned()
}

fn any_path() -> String {
    "/**".to_owned()
}

fn once() -> u64 {
    1
}

/// What a fault does to the request it applies to.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub(crate) enum FaultAction {
    /// Answer `status` with a JSON error body (and `Retry-After` if given).
    Status {
        status: u16,
        #[serde(
            rename = "retryAfter",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        retry_after: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
    },
    /// Wait `ms` milliseconds, then handle the request normally.
    Delay { ms: u64 },
    /// Close the connection without answering.
    Drop,
    /// 200 with a JSON body cut in the middle.
    Truncated,
    /// 200 with `content-type: application/json` and a body that is not JSON.
    Malformed,
    /// 200 with a valid JSON body of exactly `bytes` bytes.
    Huge { bytes: u64 },
}

impl FaultRule {
    /// Checks values serde cannot, and normalises the method to upper case.
    fn check(mut self) -> Result<Self, String> {
        self.method = self.method.to_ascii_uppercase();
        if self.method != "*" && Method::from_bytes(self.method.as_bytes()).is_err() {
            return Err(format!(
                "method {:?} is not an HTTP method or \"*\"",
                self.method
            ));
        }
        if !self.path.starts_with('/') {
            return Err(format!("path {:?} must start with '/'", self.path));
        }
        if self.path.contains('?') {
            return Err("path is matched without the query string and must not contain '?'".into());
        }
        if self.times == 0 {
            return Err("times must be at least 1".into());
        }
        match &self.action {
            FaultAction::Status {
                status,
                retry_after,
                ..
            } => {
                if !(400..=599).contains(status) {
                    return Err(format!("status {status} must be between 400 and 599"));
                }
                if let Some(value) = retry_after
                    && HeaderValue::from_str(value).is_err()
                {
                    return Err("retryAfter must be a valid header value".into());
                }
            }
            FaultAction::Delay { ms } if *ms > MAX_DELAY_MS => {
                return Err(format!("delay ms must be at most {MAX_DELAY_MS}"));
            }
            FaultAction::Huge { bytes } if !(2..=MAX_HUGE_BYTES).contains(bytes) => {
                return Err(format!("huge bytes must be between 2 and {MAX_HUGE_BYTES}"));
            }
            _ => {}
        }
        Ok(self)
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        (self.method == "*" || self.method == method.as_str()) && glob_match(&self.path, path)
    }
}

/// Parses one rule or an array of rules; the error says which rule is wrong and why.
pub(crate) fn parse_rules(body: Value) -> Result<Vec<FaultRule>, String> {
    let (items, single) = match body {
        Value::Array(items) => (items, false),
        item @ Value::Object(_) => (vec![item], true),
        _ => return Err("body must be a fault rule object or an array of them".into()),
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let at = if single {
                String::new()
            } else {
                format!(" (rule {i})")
            };
            serde_json::from_value::<FaultRule>(item)
                .map_err(|e| e.to_string())
                .and_then(FaultRule::check)
                .map_err(|e| format!("Invalid fault rule{at}: {e}"))
        })
        .collect()
}

/// Default error code for an injected status.
pub(crate) fn default_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        413 => "payload_too_large",
        429 => "too_many_requests",
        502 => "bad_gateway",
        503 => "service_unavailable",
        504 => "gateway_timeout",
        500..=599 => "internal_error",
        _ => "client_error",
    }
}

/// The queue of pending rules.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    rules: Mutex<Vec<FaultRule>>,
    /// Number of queued rules, read without the lock on the fast path.
    pending: AtomicUsize,
}

impl Faults {
    /// Appends rules; returns how many were queued.
    pub(crate) fn push(&self, new: Vec<FaultRule>) -> usize {
        let n = new.len();
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        rules.extend(new);
        self.pending.store(rules.len(), Ordering::Release);
        n
    }

    /// The pending rules with their remaining counts.
    pub(crate) fn list(&self) -> Vec<FaultRule> {
        self.rules.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn clear(&self) {
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        rules.clear();
        self.pending.store(0, Ordering::Release);
    }

    /// The action of the first rule matching the request, using up one of its `times`.
    pub(crate) fn take(&self, method: &Method, path: &str) -> Option<FaultAction> {
        if self.pending.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        let index = rules.iter().position(|r| r.matches(method, path))?;
        let action = rules[index].action.clone();
        rules[index].times -= 1;
        if rules[index].times == 0 {
            rules.remove(index);
        }
        self.pending.store(rules.len(), Ordering::Release);
        Some(action)
    }
}

/// One element of a compiled glob.
#[derive(Clone, Copy, PartialEq)]
enum Token {
    Byte(u8),
    /// `*`: any run of bytes other than `/`.
    Star,
    /// `**`: any run of bytes.
    DoubleStar,
}

fn tokens(pattern: &str) -> Vec<Token> {
    let bytes = pattern.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'*' {
            let mut j = i;
            while j < bytes.len() && bytes[j] == b'*' {
                j += 1;
            }
            out.push(if j - i >= 2 {
                Token::DoubleStar
            } else {
                Token::Star
            });
            i = j;
        } else {
            out.push(Token::Byte(bytes[i]));
            i += 1;
        }
    }
    out
}

/// Matches `path` against a glob in O(len(pattern) * len(path)) by tracking the set of pattern
/// positions reachable after each byte.
pub(crate) fn glob_match(pattern: &str, path: &str) -> bool {
    let tokens = tokens(pattern);
    let n = tokens.len();
    // Stars may match nothing: from a position before a star, the one after it is reachable too.
    let close = |states: &mut Vec<bool>| {
        for j in 0..n {
            if states[j] && matches!(tokens[j], Token::Star | Token::DoubleStar) {
                states[j + 1] = true;
            }
        }
    };
    let mut states = vec![false; n + 1];
    states[0] = true;
    close(&mut states);
    for &c in path.as_bytes() {
        let mut next = vec![false; n + 1];
        for j in 0..n {
            if !states[j] {
                continue;
            }
            match tokens[j] {
                Token::Byte(b) if b == c => next[j + 1] = true,
                Token::Star if c != b'/' => next[j] = true,
                Token::DoubleStar => next[j] = true,
                _ => {}
            }
        }
        close(&mut next);
        if !next.iter().any(|&s| s) {
            return false;
        }
        states = next;
    }
    states[n]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn globs() {
        assert!(glob_match(
            "/v2/apps/*/conversations/*",
            "/v2/apps/demo/conversations/abc"
        ));
        assert!(!glob_match(
            "/v2/apps/*/conversations/*",
            "/v2/apps/demo/conversations/abc/download"
        ));
        assert!(!glob_match(
            "/v2/apps/*/conversations/*",
            "/v2/apps/demo/conversations"
        ));
        assert!(glob_match(
            "/v2/apps/*/conversations/*",
            "/v2/apps/demo/conversations/"
        ));
        assert!(glob_match(
            "/v2/**",
            "/v2/apps/demo/conversations/abc/download"
        ));
        assert!(glob_match("/**", "/"));
        assert!(glob_match(
            "/v2/**/download",
            "/v2/apps/a/conversations/b/download"
        ));
        assert!(!glob_match("/v2/*/download", "/v2/apps/a/download"));
        assert!(glob_match(
            "/v2/apps/demo-app/users",
            "/v2/apps/demo-app/users"
        ));
        assert!(!glob_match(
            "/v2/apps/demo-app/users",
            "/v2/apps/demo-app/users/x"
        ));
        assert!(glob_match("*", "anything-without-slash"));
    }

    #[test]
    fn rules_parse_with_defaults_and_errors() {
        let rules = parse_rules(json!({"action": {"type": "drop"}})).unwrap();
        assert_eq!(rules[0].method, "*");
        assert_eq!(rules[0].times, 1);
        let err = parse_rules(json!([{"action": {"type": "drop"}}, {"action": {"type": "nope"}}]))
            .unwrap_err();
        assert!(err.contains("rule 1"), "{err}");
        assert!(parse_rules(json!({"action": {"type": "status", "status": 200}})).is_err());
        assert!(parse_rules(json!({"path": "x", "action": {"type": "drop"}})).is_err());
        assert!(parse_rules(json!({"times": 0, "action": {"type": "drop"}})).is_err());
        assert!(parse_rules(json!({"bogus": 1, "action": {"type": "drop"}})).is_err());
    }

    #[test]
    fn take_consumes_in_order() {
        let faults = Faults::default();
        faults.push(
            parse_rules(json!([
                {"method": "get", "path": "/a", "times": 2, "action": {"type": "drop"}},
                {"path": "/a", "action": {"type": "malformed"}}
            ]))
            .unwrap(),
        );
        let get = Method::GET;
        assert!(matches!(
            faults.take(&Method::POST, "/a"),
            Some(FaultAction::Malformed)
        ));
        assert!(matches!(faults.take(&get, "/a"), Some(FaultAction::Drop)));
        assert!(matches!(faults.take(&get, "/a"), Some(FaultAction::Drop)));
        assert!(faults.take(&get, "/a").is_none());
    }
}
