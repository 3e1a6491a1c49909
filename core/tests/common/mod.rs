//! Test support: a fresh emulator per test, and raw access to its controls.
#![allow(dead_code)]

use std::time::Duration;

use serde_json::{Value, json};
use sunco::{Auth, Client, ClientBuilder, RetryPolicy};

/// A running emulator, stopped when dropped.
pub struct Emulator {
    pub url: String,
    raw: reqwest::Client,
    _server: sunco_emulator::Emulator,
}

impl Emulator {
    /// Starts an emulator with the default seed on a free loopback port.
    pub async fn start() -> Emulator {
        let server = sunco_emulator::Emulator::start(sunco_emulator::Config::default())
            .await
            .expect("emulator starts");
        Emulator {
            url: server.url().to_owned(),
            // The controls are reached directly, whatever proxy variables a test sets.
            raw: reqwest::Client::builder().no_proxy().build().unwrap(),
            _server: server,
        }
    }

    /// A builder aimed at this emulator with the demo key and fast retries.
    pub fn builder(&self) -> ClientBuilder {
        Client::builder()
            .base_url(&self.url)
            .auth(Auth::basic("demo-key", "demo-secret"))
            .retry_policy(RetryPolicy {
                max_retries: 3,
                base_delay: Duration::from_millis(1),
                max_delay: Duration::from_millis(20),
            })
    }

    /// A client aimed at this emulator.
    pub fn client(&self) -> Client {
        self.builder().build().unwrap()
    }

    async fn control(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self
            .raw
            .request(method, format!("{}/_emulator/{path}", self.url));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        assert!(
            resp.status().is_success(),
            "control {path}: {}",
            resp.status()
        );
        let text = resp.text().await.unwrap();
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        }
    }

    /// Queues a fault rule (see emulator/README.md).
    pub async fn fault(&self, rule: Value) {
        self.control(reqwest::Method::POST, "faults", Some(rule))
            .await;
    }

    /// The requests received since the last clear.
    pub async fn requests(&self) -> Vec<Value> {
        let v = self.control(reqwest::Method::GET, "requests", None).await;
        v["requests"].as_array().cloned().unwrap_or_default()
    }

    /// Clears the request log.
    pub async fn clear_requests(&self) {
        self.control(reqwest::Method::DELETE, "requests", None)
            .await;
    }

    /// Restores the seed.
    pub async fn reset(&self) {
        self.control(reqwest::Method::POST, "reset", None).await;
    }

    /// Creates a user with this external id and returns its id.
    pub async fn create_user(&self, external_id: &str) -> String {
        let resp = self
            .raw
            .post(format!("{}/v2/apps/demo-app/users", self.url))
            .basic_auth("demo-key", Some("demo-secret"))
            .json(&json!({"externalId": external_id}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201);
        let v: Value = resp.json().await.unwrap();
        v["user"]["id"].as_str().unwrap().to_owned()
    }

    /// The id of a seeded user.
    pub async fn user_id(&self, external_id: &str) -> String {
        let v: Value = self
            .raw
            .get(format!("{}/v2/apps/demo-app/users/{external_id}", self.url))
            .basic_auth("demo-key", Some("demo-secret"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["user"]["id"].as_str().unwrap().to_owned()
    }
}

/// Equal as JSON, but for `null` object fields (absent once read into a model and written
/// back) and numbers compared by value (a whole number in an `f64` field comes back as `1.0`).
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let present =
                |m: &serde_json::Map<String, Value>| m.values().filter(|v| !v.is_null()).count();
            present(x) == present(y)
                && x.iter()
                    .filter(|(_, v)| !v.is_null())
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_json(v, w))
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}
