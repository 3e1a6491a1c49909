//! Shared helpers: start the emulator binary as a child process and talk to it over HTTP.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};

pub mod receiver;

use base64::Engine as _;
use reqwest::{Method, StatusCode};
use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_sunco-emulator");

/// A running emulator process, killed on drop.
pub struct Emu {
    child: Option<Child>,
    pub url: String,
    _stdout: BufReader<ChildStdout>,
}

impl Emu {
    pub fn start() -> Emu {
        Emu::start_with(&[])
    }

    pub fn start_with(args: &[&str]) -> Emu {
        let mut child = Command::new(BIN)
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn sunco-emulator");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read the first line");
        let url = line.trim().to_owned();
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "unexpected first line {line:?}"
        );
        Emu {
            child: Some(child),
            url,
            _stdout: stdout,
        }
    }

    /// The process id of the emulator.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("child not taken").id()
    }

    /// Takes the child process, so the caller waits for it instead of killing it on drop.
    pub fn take_child(&mut self) -> Child {
        self.child.take().expect("child not taken")
    }

    /// A client authenticated with the demo app's Basic key.
    pub fn api(&self) -> Api {
        Api::new(&self.url, basic("demo-key", "demo-secret"))
    }

    /// A client authenticated with the seed's account key (`demo-account-key`).
    pub fn account(&self) -> Api {
        Api::new(&self.url, basic("demo-account-key", "demo-account-secret"))
    }

    pub fn control(&self) -> Control {
        Control {
            http: reqwest::Client::new(),
            url: self.url.clone(),
        }
    }
}

impl Drop for Emu {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub fn basic(key: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}"))
    )
}

pub fn jwt(kid: &str, secret: &str, claims: Value) -> String {
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some(kid.to_owned());
    let token = jsonwebtoken::encode(
        &header,
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap();
    format!("Bearer {token}")
}

/// A response read fully: status, headers and body parsed as JSON (Null when empty/not JSON).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Reply {
    pub async fn read(response: reqwest::Response) -> Reply {
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            text,
            json,
        }
    }

    /// Asserts the error shape `{"errors":[{"code","title"}]}` with `status`, `code`, and a
    /// title mentioning `title_part`.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str, title_part: &str) {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        assert_eq!(
            self.headers
                .get("content-type")
                .map(|v| v.to_str().unwrap()),
            Some("application/json"),
            "{}",
            self.text
        );
        let errors = self.json["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("no errors: {}", self.text));
        assert_eq!(errors.len(), 1, "{}", self.text);
        assert_eq!(errors[0]["code"], code, "{}", self.text);
        let title = errors[0]["title"].as_str().unwrap();
        assert!(
            title.contains(title_part),
            "title {title:?} should mention {title_part:?}"
        );
    }

    #[track_caller]
    pub fn assert_status(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        &self.json
    }
}

/// A client of the API with fixed credentials.
#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub url: String,
    pub auth: Option<String>,
}

impl Api {
    pub fn new(url: &str, auth: String) -> Api {
        Api {
            http: reqwest::Client::new(),
            url: url.to_owned(),
            auth: Some(auth),
        }
    }

    pub fn with_auth(&self, auth: Option<String>) -> Api {
        Api {
            http: self.http.clone(),
            url: self.url.clone(),
            auth,
        }
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let builder = self.http.request(method, format!("{}{}", self.url, path));
        match &self.auth {
            Some(auth) => builder.header("authorization", auth),
            None => builder,
        }
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Reply {
        let mut builder = self.request(method, path);
        if let Some(body) = body {
            builder = builder.json(body);
        }
        Reply::read(builder.send().await.unwrap()).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None).await
    }

    /// Creates a conversation in the demo app and returns it.
    pub async fn create_conversation(&self, body: &Value) -> Value {
        let reply = self.post("/v2/apps/demo-app/conversations", body).await;
        reply.assert_status(201)["conversation"].clone()
    }

    /// The id of a seeded user of the demo app.
    pub async fn user_id(&self, external_id: &str) -> String {
        let reply = self
            .get(&format!("/v2/apps/demo-app/users/{external_id}"))
            .await;
        reply.assert_status(200)["user"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// A client of the `/_emulator/` control endpoints.
pub struct Control {
    pub http: reqwest::Client,
    pub url: String,
}

impl Control {
    pub async fn faults(&self, rules: Value) -> Reply {
        Reply::read(
            self.http
                .post(format!("{}/_emulator/faults", self.url))
                .json(&rules)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn requests(&self) -> Vec<Value> {
        let reply = Reply::read(
            self.http
                .get(format!("{}/_emulator/requests", self.url))
                .send()
                .await
                .unwrap(),
        )
        .await;
        reply.assert_status(200)["requests"]
            .as_array()
            .unwrap()
            .clone()
    }

    pub async fn send(&self, method: Method, path: &str) -> Reply {
        Reply::read(
            self.http
                .request(method, format!("{}{}", self.url, path))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Sends `body` as JSON to a control endpoint.
    pub async fn send_json(&self, method: Method, path: &str, body: &Value) -> Reply {
        Reply::read(
            self.http
                .request(method, format!("{}{}", self.url, path))
                .json(body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Sets the read-only fields of a demo-app user (`zendeskId`, `identities`,
    /// `authenticated`) and returns the user.
    pub async fn patch_user(&self, user: &str, body: Value) -> Value {
        let reply = self
            .send_json(
                Method::PATCH,
                &format!("/_emulator/apps/demo-app/users/{user}"),
                &body,
            )
            .await;
        reply.assert_status(200)["user"].clone()
    }

    /// Appends a message written by a demo-app user to a conversation, as if sent on a
    /// channel; returns the message.
    pub async fn user_message(&self, conversation: &str, body: Value) -> Value {
        let reply = self
            .send_json(
                Method::POST,
                &format!("/_emulator/apps/demo-app/conversations/{conversation}/user-messages"),
                &body,
            )
            .await;
        reply.assert_status(201)["messages"][0].clone()
    }
}

/// The `id` of an object in a reply.
pub fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

/// `YYYY-MM-DDThh:mm:ss.SSSZ`
pub fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| r.into_iter().all(|i| b[i].is_ascii_digit());
    b.len() == 24
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && b[19] == b'.'
        && digits(20..23)
        && b[23] == b'Z'
}

/// 24 lowercase hex digits.
pub fn is_hex24(s: &str) -> bool {
    s.len() == 24
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The `id`s of the objects in `reply[key]`, in order.
pub fn ids_of(reply: &Value, key: &str) -> Vec<String> {
    reply[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} array in {reply}"))
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}
