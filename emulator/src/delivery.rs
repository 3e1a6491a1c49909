//! Webhook delivery: every event a webhook subscribes to is POSTed to its `target`, in the
//! background, one event per request, in order per conversation, retried with exponential
//! backoff, logged attempt by attempt, with faults a test can queue.
//!
//! Each (webhook, conversation) pair has its own queue and worker task, so a slow or failing
//! target holds back only its own conversation's events, and a retried event is never
//! overtaken by a later one of the same conversation.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::{Notify, mpsc};

use crate::timestamp;

/// Most attempts kept in the delivery log; older ones are dropped (and counted).
pub(crate) const LOG_LIMIT: usize = 20_000;
/// Longest accepted delivery `delay` fault and backoff, in milliseconds.
const MAX_MS: u64 = 600_000;
/// Most attempts per event that can be configured.
const MAX_ATTEMPTS: u32 = 100;

/// How deliveries are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeliverySettings {
    /// Wait before the second attempt, in milliseconds; it doubles before each later one.
    pub backoff_ms: u64,
    /// Attempts per event, the first included (at least 1).
    pub max_attempts: u32,
    /// Longest wait for the target's answer, in milliseconds.
    pub timeout_ms: u64,
    /// Deliver to any host; by default only to loopback targets (`127.0.0.0/8`, `::1`,
    /// `localhost`), so that tests and fuzzing never send events to the internet.
    pub any_host: bool,
}

impl Default for DeliverySettings {
    /// 1 s backoff, 5 attempts, 10 s timeout, loopback targets only.
    fn default() -> Self {
        DeliverySettings {
            backoff_ms: 1000,
            max_attempts: 5,
            timeout_ms: 10_000,
            any_host: false,
        }
    }
}

impl DeliverySettings {
    /// The settings as changed by a `PATCH` body; the error names the field and the rule.
    fn patched(mut self, body: &Value) -> Result<Self, String> {
        let Value::Object(map) = body else {
            return Err("body must be a JSON object".into());
        };
        for (key, value) in map {
            let n = value.as_u64();
            match key.as_str() {
                "backoffMs" => {
                    self.backoff_ms = n.filter(|n| *n <= MAX_MS).ok_or_else(|| {
                        format!("backoffMs must be an integer from 0 to {MAX_MS}")
                    })?;
                }
                "maxAttempts" => {
                    self.max_attempts = n
                        .filter(|n| (1..=u64::from(MAX_ATTEMPTS)).contains(n))
                        .map(|n| n as u32)
                        .ok_or_else(|| {
                            format!("maxAttempts must be an integer from 1 to {MAX_ATTEMPTS}")
                        })?;
                }
                "timeoutMs" => {
                    self.timeout_ms = n.filter(|n| (1..=MAX_MS).contains(n)).ok_or_else(|| {
                        format!("timeoutMs must be an integer from 1 to {MAX_MS}")
                    })?;
                }
                "anyHost" => {
                    self.any_host = value
                        .as_bool()
                        .ok_or_else(|| "anyHost must be a boolean".to_owned())?;
                }
                other => {
                    return Err(format!(
                        "unknown field {other:?} (backoffMs, maxAttempts, timeoutMs, anyHost)"
                    ));
                }
            }
        }
        Ok(self)
    }

    /// The wait after failed attempt `attempt` (1-based): `backoff * 2^(attempt-1)`, capped.
    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u64 << (attempt.saturating_sub(1)).min(20);
        Duration::from_millis(self.backoff_ms.saturating_mul(factor).min(MAX_MS))
    }
}

/// One event on its way to one webhook.
#[derive(Debug)]
pub(crate) struct Job {
    pub(crate) webhook_id: String,
    pub(crate) target: String,
    pub(crate) secret: String,
    /// The conversation (or user) whose events keep their order.
    pub(crate) key: String,
    pub(crate) event_id: String,
    pub(crate) event_type: &'static str,
    pub(crate) body: Bytes,
}

/// What became of one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
enum Outcome {
    /// The target answered 2xx.
    Delivered,
    /// The attempt failed; another follows after the backoff.
    Retrying,
    /// The last attempt failed; the event is given up.
    Failed,
    /// A `drop` fault: the event was never sent and is given up.
    Dropped,
    /// The target is not on loopback and `anyHost` is off: never sent, given up.
    Skipped,
}

/// One attempt, as `GET /_emulator/deliveries` lists it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Attempt {
    webhook_id: String,
    target: String,
    event_id: String,
    event_types: [&'static str; 1],
    conversation_id: String,
    attempt: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    fault: Option<&'static str>,
    at: String,
}

/// What a delivery fault does to the attempt it applies to.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub(crate) enum DeliveryAction {
    /// The event is lost: never sent, not retried.
    Drop,
    /// Wait `ms` milliseconds, then send.
    Delay { ms: u64 },
    /// Send with a wrong `X-API-Key`.
    WrongSecret,
    /// Send without `X-API-Key`.
    NoSecret,
    /// Send a body that is not JSON.
    Malformed,
    /// Send the event twice (the second copy is not retried).
    Duplicate,
    /// The sender fails before sending, as on a server error: the attempt counts as failed
    /// and is retried.
    Fail,
}

impl DeliveryAction {
    fn name(&self) -> &'static str {
        match self {
            DeliveryAction::Drop => "drop",
            DeliveryAction::Delay { .. } => "delay",
            DeliveryAction::WrongSecret => "wrongSecret",
            DeliveryAction::NoSecret => "noSecret",
            DeliveryAction::Malformed => "malformed",
            DeliveryAction::Duplicate => "duplicate",
            DeliveryAction::Fail => "fail",
        }
    }
}

/// A queued delivery fault, as posted to and listed by `/_emulator/webhook-faults`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct DeliveryFault {
    /// Only attempts of this event type (any when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    event_type: Option<String>,
    /// Only attempts to this webhook (any when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    webhook_id: Option<String>,
    /// How many more attempts this fault applies to.
    #[serde(default = "once")]
    times: u64,
    action: DeliveryAction,
}

fn once() -> u64 {
    1
}

/// Parses one fault or an array of them; the error names the fault, the field and the rule.
pub(crate) fn parse_faults(body: Value) -> Result<Vec<DeliveryFault>, String> {
    let (items, single) = match body {
        Value::Array(items) => (items, false),
        item @ Value::Object(_) => (vec![item], true),
        _ => return Err("body must be a webhook fault object or an array of them".into()),
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let at = if single {
                String::new()
            } else {
                format!(" (fault {i})")
            };
            let fault: DeliveryFault = serde_json::from_value(item)
                .map_err(|e| format!("Invalid webhook fault{at}: {e}"))?;
            if fault.times == 0 {
                return Err(format!(
                    "Invalid webhook fault{at}: times must be at least 1"
                ));
            }
            if let DeliveryAction::Delay { ms } = fault.action
                && ms > MAX_MS
            {
                return Err(format!(
                    "Invalid webhook fault{at}: delay ms must be at most {MAX_MS}"
                ));
            }
            if let Some(kind) = &fault.event_type
                && !crate::webhooks::TRIGGERS.contains(&kind.as_str())
            {
                return Err(format!(
                    "Invalid webhook fault{at}: eventType {kind:?} is not a webhook trigger"
                ));
            }
            Ok(fault)
        })
        .collect()
}

#[derive(Debug, Default)]
struct Log {
    entries: VecDeque<Attempt>,
    dropped: u64,
}

/// The delivery machinery shared by the handlers and the worker tasks.
#[derive(Debug)]
pub(crate) struct Delivery {
    http: reqwest::Client,
    /// The queue of each (webhook id, conversation id) pair with a worker.
    queues: Mutex<HashMap<(String, String), mpsc::UnboundedSender<Job>>>,
    log: Mutex<Log>,
    settings: Mutex<DeliverySettings>,
    /// The settings to return to on reset.
    initial: DeliverySettings,
    faults: Mutex<Vec<DeliveryFault>>,
    /// Events queued and not yet delivered, failed or dropped.
    pending: AtomicU64,
    /// Woken whenever `pending` drops to zero.
    idle: Notify,
    /// Bumped by reset: workers of an older generation stop.
    generation: AtomicU64,
    /// Woken by reset, so workers waiting to retry stop waiting.
    reset: Notify,
}

impl Delivery {
    pub(crate) fn new(settings: DeliverySettings) -> Arc<Self> {
        // Redirects are not followed: a webhook target answers, it does not send elsewhere.
        // No proxy from the environment either: loopback targets are reached directly.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .user_agent(concat!("sunco-emulator/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        Arc::new(Delivery {
            http,
            queues: Mutex::new(HashMap::new()),
            log: Mutex::new(Log::default()),
            settings: Mutex::new(settings),
            initial: settings,
            faults: Mutex::new(Vec::new()),
            pending: AtomicU64::new(0),
            idle: Notify::new(),
            generation: AtomicU64::new(0),
            reset: Notify::new(),
        })
    }

    /// Queues `job` behind the earlier events of its webhook and conversation; never waits.
    /// Must be called from within the tokio runtime (it may spawn the pair's worker).
    pub(crate) fn enqueue(self: &Arc<Self>, job: Job) {
        self.pending.fetch_add(1, Ordering::AcqRel);
        let mut queues = self.queues.lock().unwrap_or_else(|e| e.into_inner());
        let pair = (job.webhook_id.clone(), job.key.clone());
        let job = match queues.get(&pair) {
            Some(queue) => match queue.send(job) {
                Ok(()) => return,
                // The worker is gone (it never stops while its sender is kept, but be safe).
                Err(mpsc::error::SendError(job)) => job,
            },
            None => job,
        };
        let (queue, jobs) = mpsc::unbounded_channel();
        let _ = queue.send(job);
        queues.insert(pair, queue);
        let generation = self.generation.load(Ordering::Acquire);
        tokio::spawn(self.clone().work(jobs, generation));
    }

    /// One pair's worker: its events one after the other, each until delivered or given up.
    async fn work(self: Arc<Self>, mut jobs: mpsc::UnboundedReceiver<Job>, generation: u64) {
        while let Some(job) = jobs.recv().await {
            if self.generation.load(Ordering::Acquire) == generation {
                self.deliver(&job, generation).await;
            }
            self.finish_one();
        }
    }

    fn finish_one(&self) {
        if self.pending.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.idle.notify_waiters();
        }
    }

    /// Attempts `job` until it is delivered, dropped or out of attempts.
    async fn deliver(&self, job: &Job, generation: u64) {
        let mut attempt = 1;
        loop {
            let settings = self.settings();
            let fault = self.take_fault(job);
            // Every attempt is logged by `attempt`, with its outcome.
            let done = self
                .attempt(job, attempt, fault.as_ref(), &settings, generation)
                .await;
            if done.is_some()
                || attempt >= settings.max_attempts
                || self.generation.load(Ordering::Acquire) != generation
            {
                return;
            }
            // A reset cuts the wait short (and ends this event).
            let reset = self.reset.notified();
            tokio::pin!(reset);
            reset.as_mut().enable();
            if self.generation.load(Ordering::Acquire) != generation {
                return;
            }
            tokio::select! {
                () = tokio::time::sleep(settings.backoff(attempt)) => {}
                () = reset => return,
            }
            attempt += 1;
        }
    }

    /// One attempt; logs it. `Some` when the event is done with (delivered or dropped), `None`
    /// when the attempt failed.
    async fn attempt(
        &self,
        job: &Job,
        attempt: u32,
        fault: Option<&DeliveryAction>,
        settings: &DeliverySettings,
        generation: u64,
    ) -> Option<Outcome> {
        let record = |status: Option<u16>, error: Option<String>, outcome: Outcome| {
            self.record(
                generation,
                Attempt {
                    webhook_id: job.webhook_id.clone(),
                    target: job.target.clone(),
                    event_id: job.event_id.clone(),
                    event_types: [job.event_type],
                    conversation_id: job.key.clone(),
                    attempt,
                    status,
                    error,
                    outcome,
                    fault: fault.map(DeliveryAction::name),
                    at: timestamp::format_millis(timestamp::now_millis()),
                },
            )
        };
        let failed = |attempt: u32| {
            if attempt >= settings.max_attempts {
                Outcome::Failed
            } else {
                Outcome::Retrying
            }
        };
        if !settings.any_host && !is_loopback(&job.target) {
            record(
                None,
                Some(
                    "not sent: the target is not on loopback (127.0.0.0/8, ::1, localhost); \
                     --webhook-any-host or PATCH /_emulator/webhook-settings {\"anyHost\": true} \
                     allows any host"
                        .into(),
                ),
                Outcome::Skipped,
            );
            return Some(Outcome::Skipped);
        }
        let mut secret = Some(job.secret.as_str());
        let mut body = job.body.clone();
        let mut copies = 1;
        match fault {
            None => {}
            Some(DeliveryAction::Drop) => {
                record(
                    None,
                    Some("dropped by a webhook fault".into()),
                    Outcome::Dropped,
                );
                return Some(Outcome::Dropped);
            }
            Some(DeliveryAction::Fail) => {
                record(
                    None,
                    Some("failed by a webhook fault before sending".into()),
                    failed(attempt),
                );
                return None;
            }
            Some(DeliveryAction::Delay { ms }) => {
                tokio::time::sleep(Duration::from_millis(*ms)).await;
            }
            Some(DeliveryAction::WrongSecret) => secret = Some("not-the-webhook-secret"),
            Some(DeliveryAction::NoSecret) => secret = None,
            Some(DeliveryAction::Malformed) => body = Bytes::from_static(b"{\"events\": [tru"),
            Some(DeliveryAction::Duplicate) => copies = 2,
        }
        let mut result = None;
        for _ in 0..copies {
            let mut request = self
                .http
                .post(&job.target)
                .timeout(Duration::from_millis(settings.timeout_ms))
                .header("content-type", "application/json")
                .body(body.clone());
            if let Some(secret) = secret {
                request = request.header("x-api-key", secret);
            }
            let sent = request.send().await;
            let (status, error) = match sent {
                Ok(response) => {
                    let status = response.status();
                    // Read the answer so the connection can be reused.
                    let _ = response.bytes().await;
                    (Some(status.as_u16()), None)
                }
                Err(e) => (None, Some(describe(&e))),
            };
            let ok = status.is_some_and(|s| (200..300).contains(&s));
            let outcome = if ok {
                Outcome::Delivered
            } else {
                failed(attempt)
            };
            record(status, error, outcome);
            // The first copy decides (a duplicate is extra).
            if result.is_none() {
                result = Some(ok);
            }
        }
        result.unwrap_or(false).then_some(Outcome::Delivered)
    }

    /// Logs `attempt`, unless a reset came since its event was queued (a reset forgets
    /// everything before it; the check is under the log's lock, which the reset takes after
    /// bumping the generation).
    fn record(&self, generation: u64, attempt: Attempt) {
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if log.entries.len() >= LOG_LIMIT {
            log.entries.pop_front();
            log.dropped += 1;
        }
        log.entries.push_back(attempt);
    }

    /// The action of the first fault matching `job`, using up one of its `times`.
    fn take_fault(&self, job: &Job) -> Option<DeliveryAction> {
        let mut faults = self.faults.lock().unwrap_or_else(|e| e.into_inner());
        let i = faults.iter().position(|f| {
            f.event_type.as_deref().is_none_or(|t| t == job.event_type)
                && f.webhook_id.as_deref().is_none_or(|w| w == job.webhook_id)
        })?;
        let action = faults[i].action.clone();
        faults[i].times -= 1;
        if faults[i].times == 0 {
            faults.remove(i);
        }
        Some(action)
    }

    pub(crate) fn settings(&self) -> DeliverySettings {
        *self.settings.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Applies a `PATCH /_emulator/webhook-settings` body; answers the new settings.
    pub(crate) fn patch_settings(&self, body: &Value) -> Result<DeliverySettings, String> {
        let mut settings = self.settings.lock().unwrap_or_else(|e| e.into_inner());
        *settings = settings.patched(body)?;
        Ok(*settings)
    }

    pub(crate) fn push_faults(&self, new: Vec<DeliveryFault>) -> usize {
        let n = new.len();
        self.faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(new);
        n
    }

    pub(crate) fn list_faults(&self) -> Vec<DeliveryFault> {
        self.faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn clear_faults(&self) {
        self.faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    pub(crate) fn clear_log(&self) {
        *self.log.lock().unwrap_or_else(|e| e.into_inner()) = Log::default();
    }

    /// Events queued and not finished.
    pub(crate) fn pending(&self) -> u64 {
        self.pending.load(Ordering::Acquire)
    }

    /// Waits until no event is pending, or `timeout` passes; true when idle.
    pub(crate) async fn wait_idle(&self, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.idle.notified();
            tokio::pin!(notified);
            // Registered before the check, so a wake-up between the two is not missed.
            notified.as_mut().enable();
            if self.pending() == 0 {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.pending() == 0;
            }
        }
    }

    /// The log as `{"deliveries": [...], "dropped": D, "pending": P}`, skipping the first
    /// `offset` kept entries and giving at most `limit`.
    pub(crate) fn log_json(&self, offset: usize, limit: usize) -> Value {
        let log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        let entries: Vec<&Attempt> = log.entries.iter().skip(offset).take(limit).collect();
        serde_json::json!({
            "deliveries": entries,
            "dropped": log.dropped,
            "pending": self.pending(),
        })
    }

    /// Forgets every queue (their workers stop after their current attempt, without
    /// retrying), the log, the faults, and restores the initial settings.
    pub(crate) fn reset(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.reset.notify_waiters();
        self.queues
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.clear_log();
        self.clear_faults();
        *self.settings.lock().unwrap_or_else(|e| e.into_inner()) = self.initial;
    }
}

/// True when `target`'s host is a loopback address or `localhost`.
fn is_loopback(target: &str) -> bool {
    let Some(host) = reqwest::Url::parse(target)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
    else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host == "localhost" || host.ends_with(".localhost"),
    }
}

/// A short description of a failed send: connection refused, timeout, and the like.
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    let mut message = format!("{kind}: {e}");
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let s = DeliverySettings {
            backoff_ms: 10,
            ..DeliverySettings::default()
        };
        assert_eq!(s.backoff(1), Duration::from_millis(10));
        assert_eq!(s.backoff(2), Duration::from_millis(20));
        assert_eq!(s.backoff(4), Duration::from_millis(80));
        assert_eq!(s.backoff(90), Duration::from_millis(MAX_MS));
    }

    #[test]
    fn settings_patch_names_the_field() {
        let s = DeliverySettings::default();
        let patched = s
            .patched(&serde_json::json!({"backoffMs": 0, "maxAttempts": 2}))
            .unwrap();
        assert_eq!((patched.backoff_ms, patched.max_attempts), (0, 2));
        for (bad, field) in [
            (serde_json::json!({"maxAttempts": 0}), "maxAttempts"),
            (serde_json::json!({"backoffMs": -1}), "backoffMs"),
            (serde_json::json!({"timeoutMs": "5"}), "timeoutMs"),
            (serde_json::json!({"speed": 1}), "speed"),
        ] {
            assert!(s.patched(&bad).unwrap_err().contains(field), "{bad}");
        }
    }

    #[test]
    fn only_loopback_targets_by_default() {
        for ok in [
            "http://127.0.0.1:8080/x",
            "http://127.9.9.9/",
            "http://[::1]:9/",
            "http://localhost:1/",
            "http://LOCALHOST/",
            "http://bot.localhost/",
        ] {
            assert!(is_loopback(ok), "{ok}");
        }
        for far in [
            "https://example.com/hook",
            "http://10.0.0.1/",
            "http://[::2]/",
            "http://localhost.example.com/",
            "not a url",
        ] {
            assert!(!is_loopback(far), "{far}");
        }
    }

    #[test]
    fn faults_are_checked() {
        let ok = parse_faults(serde_json::json!([
            {"action": {"type": "drop"}},
            {"eventType": "conversation:message", "times": 2, "action": {"type": "delay", "ms": 5}}
        ]))
        .unwrap();
        assert_eq!(ok.len(), 2);
        for bad in [
            serde_json::json!({"action": {"type": "explode"}}),
            serde_json::json!({"times": 0, "action": {"type": "drop"}}),
            serde_json::json!({"eventType": "conversation:bogus", "action": {"type": "drop"}}),
            serde_json::json!({"action": {"type": "delay", "ms": 600_001}}),
            serde_json::json!(3),
        ] {
            assert!(parse_faults(bad.clone()).is_err(), "{bad}");
        }
    }
}
