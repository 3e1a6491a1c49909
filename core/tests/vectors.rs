//! Runs every shared vector in `tests/vectors/` through the core (see tests/vectors/README.md).

mod common;

use common::{Emulator, same_json};
use serde_json::{Map, Value, json};
use sunco::{Conversations, Error, json as sjson};

fn vector_files() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "vectors missing in {dir:?}");
    files
}

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_owned()
}

/// Runs the operation of a case; the result is its wire form.
async fn call(convs: &Conversations, case: &Value) -> Result<Value, Error> {
    let id = text(case, "conversationId");
    let body = case.get("body").cloned().unwrap_or(Value::Null);
    Ok(match case["op"].as_str().unwrap() {
        "create" => json!(convs.create(&sjson::from_value("body", body)?).await?),
        "get" => json!(convs.get(&id).await?),
        "list" => {
            let params = case.get("params").cloned().unwrap_or(json!({}));
            json!(convs.list(&sjson::from_value("params", params)?).await?)
        }
        "update" => json!(convs.update(&id, &sjson::from_value("body", body)?).await?),
        "delete" => {
            convs.delete(&id).await?;
            Value::Bool(true)
        }
        "download_message_ref" => json!(
            convs
                .download_message_ref(&id, &sjson::from_value("body", body)?)
                .await?
        ),
        other => panic!("unknown op {other}"),
    })
}

/// Decoded `key=value` pairs of a raw query, in order.
fn query_pairs(raw: &str) -> Vec<Value> {
    url::form_urlencoded::parse(raw.as_bytes())
        .map(|(k, v)| json!([k, v]))
        .collect()
}

fn check_request(name: &str, expected: &Value, log: &[Value]) {
    if expected.is_null() {
        assert!(log.is_empty(), "{name}: nothing may be sent, got {log:?}");
        return;
    }
    assert_eq!(log.len(), 1, "{name}: exactly one request, got {log:?}");
    let got = &log[0];
    assert_eq!(got["method"], expected["method"], "{name}: method");
    assert_eq!(got["path"], expected["path"], "{name}: raw path");
    assert_eq!(
        Value::Array(query_pairs(got["query"].as_str().unwrap_or(""))),
        expected["query"],
        "{name}: query"
    );
    let body = got["body"].as_str().unwrap_or("");
    let body: Value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(body).unwrap()
    };
    assert_eq!(body, expected["body"], "{name}: body");
}

fn check_subset(name: &str, expected: &Map<String, Value>, got: &Value) {
    for (k, v) in expected {
        assert_eq!(&got[k], v, "{name}: result field {k}");
    }
}

fn check_result(name: &str, expect: &Value, result: Result<Value, Error>) {
    match (expect.get("error").and_then(Value::as_str), result) {
        (None, Ok(got)) => {
            match &expect["ok"] {
                Value::Object(subset) => check_subset(name, subset, &got),
                Value::Bool(true) => {}
                other => panic!("{name}: bad expectation {other}"),
            }
            for key in expect["absent"].as_array().into_iter().flatten() {
                assert!(
                    got.get(key.as_str().unwrap()).is_none(),
                    "{name}: {key} must be absent"
                );
            }
        }
        (Some("validation"), Err(Error::Validation { field, .. })) => {
            assert_eq!(field, expect["field"].as_str().unwrap(), "{name}: field");
        }
        (Some("api"), Err(Error::Api(e))) => {
            assert_eq!(
                u64::from(e.status),
                expect["status"].as_u64().unwrap(),
                "{name}"
            );
            assert_eq!(e.code(), expect["code"].as_str(), "{name}");
        }
        (want, got) => panic!("{name}: expected {want:?} / {expect}, got {got:?}"),
    }
}

#[tokio::test]
async fn every_shared_vector() {
    let emu = Emulator::start().await;
    let client = emu.builder().max_retries(0).build().unwrap();
    let mut count = 0;
    for file in vector_files() {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for case in doc["cases"].as_array().unwrap() {
            emu.reset().await;
            let mut raw = case.to_string();
            if let Some(setup) = case.get("setup").and_then(|s| s.get("conversation")) {
                let c = client
                    .conversations("demo-app")
                    .create(&sjson::from_value("setup", setup.clone()).unwrap())
                    .await
                    .unwrap();
                raw = raw.replace("${conversationId}", &c.id);
            }
            if raw.contains("${aliceId}") {
                raw = raw.replace("${aliceId}", &emu.user_id("alice").await);
            }
            let case: Value = serde_json::from_str(&raw).unwrap();
            let name = format!(
                "{}: {}",
                file.file_name().unwrap().to_string_lossy(),
                text(&case, "name")
            );
            emu.clear_requests().await;
            let convs = client.conversations(text(&case, "appId"));
            let result = call(&convs, &case).await;
            check_request(&name, &case["request"], &emu.requests().await);
            check_result(&name, &case["expect"], result);
            count += 1;
        }
    }
    assert!(count >= 50, "ran {count} vectors");
}

/// The typed model of the operation's answer reads `got` and writes back the same JSON
/// (`null` fields may come back absent, and whole numbers as floats where the spec says
/// `number`): the models read every answer of the emulator and lose nothing.
fn check_model(name: &str, operation_id: &str, got: &Value) {
    let Value::Object(body) = got.clone() else {
        panic!("{name}: the answer is not an object");
    };
    let Some(back) = sunco::reencode_response(operation_id, body) else {
        return;
    };
    let back = back.unwrap_or_else(|e| panic!("{name}: the typed model refuses the answer: {e}"));
    assert!(
        same_json(got, &back),
        "{name}: the typed model changed the answer\n sent: {got}\n back: {back}"
    );
}

/// `expected` is a recursive subset of `got`: objects by key, arrays of the same length element
/// by element, everything else exactly.
fn check_deep_subset(name: &str, at: &str, expected: &Value, got: &Value) {
    match (expected, got) {
        (Value::Object(want), Value::Object(have)) => {
            for (k, v) in want {
                let child = have.get(k).unwrap_or(&Value::Null);
                check_deep_subset(name, &format!("{at}.{k}"), v, child);
            }
        }
        (Value::Array(want), Value::Array(have)) if want.len() == have.len() => {
            for (i, (w, h)) in want.iter().zip(have).enumerate() {
                check_deep_subset(name, &format!("{at}.{i}"), w, h);
            }
        }
        _ => assert_eq!(got, expected, "{name}: result field {at}"),
    }
}

/// A client with the credentials of `auth` (`{"keyId", "keySecret"}` or `{"token"}`), else the
/// demo app key; no retries.
fn client_for(emu: &Emulator, auth: &Value) -> sunco::Client {
    let builder = emu.builder().max_retries(0);
    let builder = match (auth.get("keyId"), auth.get("token")) {
        (Some(id), _) => builder.auth(sunco::Auth::basic(
            id.as_str().unwrap(),
            auth["keySecret"].as_str().unwrap(),
        )),
        (None, Some(token)) => builder.auth(sunco::Auth::bearer(token.as_str().unwrap())),
        (None, None) => builder,
    };
    builder.build().unwrap()
}

const BOUNDARY: &str = "sunco-vector-boundary";

/// The `multipart/form-data` body of an `upload` step: one part, `source`, holding `text` as a
/// file named `fileName` of type `contentType`.
fn multipart(upload: &Value) -> String {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"source\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n{}\r\n--{BOUNDARY}--\r\n",
        text(upload, "fileName"),
        text(upload, "contentType"),
        text(upload, "text")
    )
}

/// Runs `setup.steps` of a case in order (an operation through `Client::call`, a request to an
/// emulator control, or a multipart upload with the demo key), each step's `save` filling
/// `${name}` placeholders in the rest of the case with the string at a dotted path of its
/// result. Returns the case's text, filled in.
async fn run_steps(emu: &Emulator, raw: &str) -> String {
    let mut raw = raw.to_owned();
    let count = serde_json::from_str::<Value>(&raw).unwrap()["setup"]["steps"]
        .as_array()
        .map_or(0, Vec::len);
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    for i in 0..count {
        let case: Value = serde_json::from_str(&raw).unwrap();
        let step = &case["setup"]["steps"][i];
        let result = if let Some(upload) = step.get("upload") {
            let resp = http
                .post(format!("{}{}", emu.url, text(upload, "path")))
                .basic_auth("demo-key", Some("demo-secret"))
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                )
                .body(multipart(upload))
                .send()
                .await
                .unwrap();
            assert!(
                resp.status().is_success(),
                "setup upload {i}: {}",
                resp.status()
            );
            resp.json::<Value>().await.unwrap()
        } else if let Some(control) = step.get("emulator") {
            let method = reqwest::Method::from_bytes(text(control, "method").as_bytes()).unwrap();
            let mut req = http.request(method, format!("{}{}", emu.url, text(control, "path")));
            if let Some(body) = control.get("body") {
                req = req.json(body);
            }
            let resp = req.send().await.unwrap();
            assert!(
                resp.status().is_success(),
                "setup step {i}: {}",
                resp.status()
            );
            resp.json::<Value>().await.unwrap()
        } else {
            let args: sunco::CallArgs =
                sjson::from_value("args", step.get("args").cloned().unwrap_or(json!({}))).unwrap();
            let done = client_for(emu, &step["auth"])
                .call(&text(step, "operationId"), &args)
                .await;
            Value::Object(done.unwrap_or_else(|e| panic!("setup step {i}: {e}")))
        };
        for (name, at) in step["save"].as_object().into_iter().flatten() {
            let mut value = &result;
            for key in at.as_str().unwrap().split('.') {
                value = match key.parse::<usize>() {
                    Ok(index) if value.is_array() => &value[index],
                    _ => &value[key],
                };
            }
            let value = value
                .as_str()
                .unwrap_or_else(|| panic!("setup step {i}: no string at {at} in {result}"));
            raw = raw.replace(&format!("${{{name}}}"), value);
        }
    }
    raw
}

#[tokio::test]
async fn every_operation_vector() {
    let emu = Emulator::start().await;
    let client = emu.builder().max_retries(0).build().unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/operations");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut count = 0;
    for file in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for case in doc["cases"].as_array().unwrap() {
            emu.reset().await;
            let mut raw = case.to_string();
            if let Some(setup) = case.get("setup").and_then(|s| s.get("conversation")) {
                let c = client
                    .conversations("demo-app")
                    .create(&sjson::from_value("setup", setup.clone()).unwrap())
                    .await
                    .unwrap();
                raw = raw.replace("${conversationId}", &c.id);
            }
            if raw.contains("${aliceId}") {
                raw = raw.replace("${aliceId}", &emu.user_id("alice").await);
            }
            let raw = run_steps(&emu, &raw).await;
            let case: Value = serde_json::from_str(&raw).unwrap();
            let name = format!(
                "{}: {}",
                file.file_name().unwrap().to_string_lossy(),
                text(&case, "name")
            );
            emu.clear_requests().await;
            let args: sunco::CallArgs =
                sjson::from_value("args", case.get("args").cloned().unwrap_or(json!({}))).unwrap();
            let result = client_for(&emu, &case["auth"])
                .call(&text(&case, "operationId"), &args)
                .await
                .map(Value::Object);
            check_request(&name, &case["request"], &emu.requests().await);
            match (&case["expect"]["ok"], &result) {
                (Value::Object(_), Ok(got)) => {
                    check_deep_subset(&name, "", &case["expect"]["ok"], got);
                    check_model(&name, &text(&case, "operationId"), got);
                }
                _ => check_result(&name, &case["expect"], result),
            }
            count += 1;
        }
    }
    assert!(count >= 20, "ran {count} operation vectors");
}
