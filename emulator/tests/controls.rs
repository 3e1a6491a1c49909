//! Black-box tests of the `/_emulator/` controls: request log, faults, reset; and concurrency.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::{Api, Emu, Reply, basic};
use reqwest::Method;
use serde_json::{Value, json};

const CONVERSATIONS: &str = "/v2/apps/demo-app/conversations";

#[tokio::test]
async fn request_log_records_raw_requests_in_order() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();

    let reply = api.get("/v2/apps/demo-app/conversations/a%2Fb%3Fc").await;
    reply.assert_error(404, "conversation_not_found", "");
    api.with_auth(None)
        .get("/v2/apps/demo-app/users/alice")
        .await
        .assert_error(401, "unauthorized", "");
    let body = json!({"type": "sdkGroup"});
    api.post(CONVERSATIONS, &body).await.assert_status(201);
    api.get(&format!(
        "{CONVERSATIONS}?filter%5BuserId%5D=x%20y&page[size]=2"
    ))
    .await;
    let bearer = api.with_auth(Some("Bearer abc".into()));
    bearer.get("/nope").await;
    api.with_auth(Some("Digest x".into())).get("/nope").await;
    control
        .send(Method::GET, "/_emulator/faults")
        .await
        .assert_status(200);

    let log = control.requests().await;
    assert_eq!(log.len(), 6, "{log:#?}");
    assert_eq!(log[0]["method"], "GET");
    assert_eq!(log[0]["path"], "/v2/apps/demo-app/conversations/a%2Fb%3Fc");
    assert_eq!(log[0]["query"], "");
    assert_eq!(log[0]["contentType"], Value::Null);
    assert_eq!(log[0]["auth"], "basic");
    assert_eq!(log[0]["body"], "");
    assert!(log[0]["userAgent"].is_null() || log[0]["userAgent"].is_string());
    assert_eq!(log[1]["auth"], "none");
    assert_eq!(log[2]["method"], "POST");
    assert_eq!(log[2]["contentType"], "application/json");
    assert_eq!(
        serde_json::from_str::<Value>(log[2]["body"].as_str().unwrap()).unwrap(),
        body
    );
    assert_eq!(log[3]["query"], "filter%5BuserId%5D=x%20y&page[size]=2");
    assert_eq!(log[4]["auth"], "bearer");
    assert_eq!(log[5]["auth"], "other");

    let ua = Reply::read(
        api.request(Method::GET, "/v2/apps/demo-app/users/alice")
            .header("user-agent", "probe/1")
            .send()
            .await
            .unwrap(),
    )
    .await;
    ua.assert_status(200);
    assert_eq!(control.requests().await[6]["userAgent"], "probe/1");

    control.send(Method::DELETE, "/_emulator/requests").await;
    assert!(control.requests().await.is_empty());
}

#[tokio::test]
async fn status_fault_with_retry_after_then_normal() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    let rule = json!({
        "method": "GET", "path": "/v2/apps/*/users/*", "times": 2,
        "action": {"type": "status", "status": 429, "retryAfter": "1"}
    });
    assert_eq!(
        control.faults(rule).await.assert_status(200),
        &json!({"queued": 1})
    );
    // A POST does not match a GET rule.
    api.post("/v2/apps/demo-app/users", &json!({}))
        .await
        .assert_status(201);
    for _ in 0..2 {
        let reply = api.get("/v2/apps/demo-app/users/alice").await;
        reply.assert_error(429, "too_many_requests", "");
        assert_eq!(reply.headers.get("retry-after").unwrap(), "1");
    }
    api.get("/v2/apps/demo-app/users/alice")
        .await
        .assert_status(200);

    control
        .faults(json!({"action": {"type": "status", "status": 503, "code": "maintenance", "title": "Down for a bit"}}))
        .await
        .assert_status(200);
    let reply = api.get("/anything/at/all").await;
    reply.assert_error(503, "maintenance", "Down for a bit");
    assert!(reply.headers.get("retry-after").is_none());
    control
        .faults(json!({"action": {"type": "status", "status": 500}}))
        .await;
    api.get("/v2/apps/demo-app/users/alice")
        .await
        .assert_error(500, "internal_error", "");
}

#[tokio::test]
async fn faults_apply_before_auth_and_are_logged() {
    let emu = Emu::start();
    let control = emu.control();
    control
        .faults(json!({"action": {"type": "status", "status": 502}}))
        .await;
    let anonymous = emu.api().with_auth(None);
    anonymous
        .get("/v2/apps/demo-app/users/alice")
        .await
        .assert_error(502, "bad_gateway", "");
    let log = control.requests().await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["path"], "/v2/apps/demo-app/users/alice");
}

#[tokio::test]
async fn rules_are_consumed_in_order_and_listed() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    let reply = control
        .faults(json!([
            {"path": "/v2/apps/demo-app/users/**", "action": {"type": "status", "status": 500}},
            {"path": "/v2/**", "times": 3, "action": {"type": "status", "status": 503}}
        ]))
        .await;
    assert_eq!(reply.assert_status(200)["queued"], 2);
    let listed = control.send(Method::GET, "/_emulator/faults").await;
    let faults = listed.assert_status(200)["faults"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(faults.len(), 2);
    assert_eq!(faults[0]["method"], "*");
    assert_eq!(faults[1]["times"], 3);

    api.get("/v2/apps/demo-app/users/alice")
        .await
        .assert_status(500);
    api.get("/v2/apps/demo-app/users/alice")
        .await
        .assert_status(503);
    let listed = control.send(Method::GET, "/_emulator/faults").await;
    assert_eq!(
        listed.json["faults"],
        json!([{"method": "*", "path": "/v2/**", "times": 2, "action": {"type": "status", "status": 503}}])
    );

    control
        .send(Method::DELETE, "/_emulator/faults")
        .await
        .assert_status(200);
    api.get("/v2/apps/demo-app/users/alice")
        .await
        .assert_status(200);
    let listed = control.send(Method::GET, "/_emulator/faults").await;
    assert_eq!(listed.json["faults"], json!([]));
}

#[tokio::test]
async fn glob_single_star_stays_within_a_segment() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    control.faults(json!({"path": "/v2/apps/*/conversations/*", "action": {"type": "status", "status": 500}})).await;
    let conversation = api.create_conversation(&json!({"type": "sdkGroup"})).await;
    let alice = api.user_id("alice").await;
    let id = conversation["id"].as_str().unwrap();
    let download = api
        .post(
            &format!("{CONVERSATIONS}/{id}/download"),
            &json!({"userId": alice}),
        )
        .await;
    download.assert_status(200);
    api.get(&format!("{CONVERSATIONS}/{id}"))
        .await
        .assert_status(500);
    api.get(&format!("{CONVERSATIONS}/{id}"))
        .await
        .assert_status(200);
}

#[tokio::test]
async fn delay_fault_waits_then_answers_normally() {
    let emu = Emu::start();
    let api = emu.api();
    emu.control()
        .faults(json!({"action": {"type": "delay", "ms": 400}}))
        .await
        .assert_status(200);
    let start = Instant::now();
    api.get("/v2/apps/demo-app/users/alice")
        .await
        .assert_status(200);
    assert!(
        start.elapsed() >= Duration::from_millis(400),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn drop_fault_closes_the_connection_without_a_response() {
    let emu = Emu::start();
    emu.control()
        .faults(json!({"method": "GET", "action": {"type": "drop"}}))
        .await
        .assert_status(200);
    // A fresh client without pooling, so no retry on another connection can hide the drop.
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let result = http
        .get(format!("{}/v2/apps/demo-app/users/alice", emu.url))
        .header("authorization", basic("demo-key", "demo-secret"))
        .send()
        .await;
    let error = result.expect_err("a dropped connection gives no response");
    assert!(error.status().is_none(), "{error:?}");
    assert!(
        error.is_request() || error.is_connect() || error.is_body(),
        "{error:?}"
    );
    // The next one is normal, and the dropped one was logged.
    emu.api()
        .get("/v2/apps/demo-app/users/alice")
        .await
        .assert_status(200);
    assert_eq!(emu.control().requests().await.len(), 2);
}

#[tokio::test]
async fn truncated_and_malformed_faults_give_unparsable_200s() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    control
        .faults(json!([
            {"action": {"type": "truncated"}},
            {"action": {"type": "malformed"}}
        ]))
        .await;
    for _ in 0..2 {
        let response = api
            .request(Method::GET, "/v2/apps/demo-app/users/alice")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/json");
        let declared: usize = response.headers()["content-length"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let bytes = response.bytes().await.expect("the whole body arrives");
        assert_eq!(bytes.len(), declared);
        assert!(
            serde_json::from_slice::<Value>(&bytes).is_err(),
            "{:?}",
            String::from_utf8_lossy(&bytes)
        );
    }
    api.get("/v2/apps/demo-app/users/alice")
        .await
        .assert_status(200);
}

#[tokio::test]
async fn huge_fault_sends_that_many_bytes_of_json() {
    let emu = Emu::start();
    let api = emu.api();
    emu.control()
        .faults(json!({"action": {"type": "huge", "bytes": 20_000_000}}))
        .await
        .assert_status(200);
    let response = api
        .request(Method::GET, "/v2/apps/demo-app/users/alice")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-length"], "20000000");
    let bytes = response.bytes().await.unwrap();
    assert_eq!(bytes.len(), 20_000_000);
    assert!(serde_json::from_slice::<Value>(&bytes).is_ok());
}

#[tokio::test]
async fn bad_fault_rules_are_400() {
    let emu = Emu::start();
    let control = emu.control();
    for (rule, part) in [
        (json!({"action": {"type": "explode"}}), "explode"),
        (json!({"path": "/x"}), "action"),
        (json!({"action": {"type": "status"}}), "status"),
        (
            json!({"action": {"type": "status", "status": 200}}),
            "status",
        ),
        (json!({"action": {"type": "delay"}}), "ms"),
        (json!({"times": 0, "action": {"type": "drop"}}), "times"),
        (
            json!({"path": "no-slash", "action": {"type": "drop"}}),
            "path",
        ),
        (
            json!({"method": "GE T", "action": {"type": "drop"}}),
            "method",
        ),
        (json!({"action": {"type": "drop"}, "extra": true}), "extra"),
        (
            json!([{"action": {"type": "drop"}}, {"action": 1}]),
            "rule 1",
        ),
        (json!(5), "rule"),
    ] {
        control
            .faults(rule)
            .await
            .assert_error(400, "bad_request", part);
    }
    let reply = Reply::read(
        control
            .http
            .post(format!("{}/_emulator/faults", emu.url))
            .body("{nope")
            .send()
            .await
            .unwrap(),
    )
    .await;
    reply.assert_error(400, "bad_request", "JSON");
    // Nothing was queued by the failed posts.
    let listed = control.send(Method::GET, "/_emulator/faults").await;
    assert_eq!(listed.json["faults"], json!([]));
}

#[tokio::test]
async fn reset_restores_the_seed() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    let alice_before = api.user_id("alice").await;
    let conversation = api
        .create_conversation(
            &json!({"type": "personal", "participants": [{"userId": alice_before}]}),
        )
        .await;
    api.post("/v2/apps/demo-app/users", &json!({"externalId": "dave"}))
        .await
        .assert_status(201);
    control
        .faults(json!({"path": "/never/**", "action": {"type": "drop"}}))
        .await;

    let reply = control.send(Method::POST, "/_emulator/reset").await;
    reply.assert_status(200);
    assert!(control.requests().await.is_empty());
    assert_eq!(
        control.send(Method::GET, "/_emulator/faults").await.json["faults"],
        json!([])
    );

    assert_eq!(api.user_id("alice").await, alice_before);
    api.get("/v2/apps/demo-app/users/dave")
        .await
        .assert_error(404, "user_not_found", "");
    let path = format!("{CONVERSATIONS}/{}", conversation["id"].as_str().unwrap());
    api.get(&path)
        .await
        .assert_error(404, "conversation_not_found", "");
    // Alice gets a default conversation again.
    let again = api
        .create_conversation(
            &json!({"type": "personal", "participants": [{"userExternalId": "alice"}]}),
        )
        .await;
    assert_eq!(again["isDefault"], true);
}

#[tokio::test]
async fn seeded_ids_are_the_same_across_processes() {
    let a = Emu::start();
    let b = Emu::start();
    assert_eq!(a.api().user_id("bob").await, b.api().user_id("bob").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_are_neither_lost_nor_duplicated() {
    let emu = Emu::start();
    let api = emu.api();
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let api = api.clone();
            tokio::spawn(async move {
                let body = if i % 2 == 0 {
                    json!({"type": "sdkGroup", "participants": [{"userExternalId": "carol"}]})
                } else {
                    json!({"type": "personal", "participants": [{"userExternalId": "carol"}]})
                };
                api.create_conversation(&body).await["id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
        })
        .collect();
    let mut created = HashSet::new();
    let mut defaults = 0;
    for task in tasks {
        assert!(created.insert(task.await.unwrap()));
    }
    let mut listed = Vec::new();
    let mut query = "filter[userExternalId]=carol&page[size]=100".to_owned();
    loop {
        let reply = api.get(&format!("{CONVERSATIONS}?{query}")).await;
        let body = reply.assert_status(200).clone();
        for c in body["conversations"].as_array().unwrap() {
            listed.push(c["id"].as_str().unwrap().to_owned());
            defaults += usize::from(c["isDefault"] == true);
        }
        if body["meta"]["hasMore"] == false {
            break;
        }
        query = format!(
            "filter[userExternalId]=carol&page[size]=100&page[after]={}",
            body["meta"]["afterCursor"].as_str().unwrap()
        );
    }
    assert_eq!(listed.len(), 200);
    assert_eq!(listed.iter().collect::<HashSet<_>>().len(), 200);
    assert_eq!(listed.iter().cloned().collect::<HashSet<_>>(), created);
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, listed, "listed in creation (id) order");
    assert_eq!(defaults, 1);
}

/// Posts `body` (not JSON: the path answers 404, which is all a log test needs) to `path`.
async fn post_raw(api: &Api, path: &str, body: Vec<u8>) -> Reply {
    Reply::read(
        api.request(Method::POST, path)
            .header("content-type", "text/plain")
            .body(body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn request_log_keeps_an_excerpt_of_large_bodies_and_says_so() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    // 50,000 bytes: the first 8 KB are kept; the 2-byte 'é' straddling byte 8192 is left out
    // whole rather than cut into an invalid sequence.
    let mut body = vec![b'a'; 8191];
    body.extend_from_slice("é".as_bytes());
    body.resize(50_000, b'z');
    post_raw(&api, "/big", body.clone()).await;
    post_raw(&api, "/small", b"{\"a\":1}".to_vec()).await;
    // Over the 100 KB limit: answered 413, logged with its size.
    post_raw(&api, "/huge", vec![b'h'; 300_000])
        .await
        .assert_error(413, "payload_too_large", "");

    let log = control.requests().await;
    assert_eq!(log.len(), 3);
    assert_eq!(log[0]["body"], "a".repeat(8191));
    assert_eq!(log[0]["bodyTruncated"], true);
    assert_eq!(log[0]["bodySize"], 50_000);
    // Small bodies keep exactly the fields they always had.
    let small = log[1].as_object().unwrap();
    let keys: Vec<&str> = small.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "method",
            "path",
            "query",
            "contentType",
            "auth",
            "userAgent",
            "body"
        ]
    );
    assert_eq!(small["body"], "{\"a\":1}");
    assert_eq!(log[2]["body"], "h".repeat(8192));
    assert_eq!(log[2]["bodyTruncated"], true);
    assert_eq!(log[2]["bodySize"], 300_000);
}

#[tokio::test]
async fn request_log_is_bounded_by_bytes_dropping_the_oldest() {
    let emu = Emu::start_with(&["--log-bytes", "100K"]);
    let api = emu.api();
    let control = emu.control();
    for i in 0..40 {
        let mut body = format!("#{i:02} ").into_bytes();
        body.resize(8000, b'.');
        post_raw(&api, "/fill", body).await;
    }
    let reply = control.send(Method::GET, "/_emulator/requests").await;
    let json = reply.assert_status(200);
    let log = json["requests"].as_array().unwrap();
    // 100 KiB holds twelve 8000-byte bodies (fewer if the per-entry overhead grows), and the
    // ones kept are the newest.
    let kept = log.len();
    assert!((10..=12).contains(&kept), "{kept} entries kept");
    assert_eq!(json["dropped"], 40 - kept);
    for (i, entry) in log.iter().enumerate() {
        let expected = format!("#{:02} ", 40 - kept + i);
        assert!(entry["body"].as_str().unwrap().starts_with(&expected));
    }
}

#[tokio::test]
async fn request_log_pages_with_offset_and_limit() {
    let emu = Emu::start();
    let control = emu.control();
    for i in 0..10 {
        emu.api().get(&format!("/page/{i}")).await;
    }
    let paths = |reply: &Reply| -> Vec<String> {
        reply.json["requests"]
            .as_array()
            .unwrap_or_else(|| panic!("{}", reply.text))
            .iter()
            .map(|e| e["path"].as_str().unwrap().to_owned())
            .collect()
    };
    let page = control
        .send(Method::GET, "/_emulator/requests?offset=3&limit=4")
        .await;
    assert_eq!(page.assert_status(200)["dropped"], 0);
    assert_eq!(paths(&page), ["/page/3", "/page/4", "/page/5", "/page/6"]);
    let tail = control
        .send(Method::GET, "/_emulator/requests?offset=8")
        .await;
    assert_eq!(paths(&tail), ["/page/8", "/page/9"]);
    let head = control
        .send(Method::GET, "/_emulator/requests?limit=2")
        .await;
    assert_eq!(paths(&head), ["/page/0", "/page/1"]);
    for query in ["limit=0", "offset=10", "offset=99999&limit=5"] {
        let empty = control
            .send(Method::GET, &format!("/_emulator/requests?{query}"))
            .await;
        assert_eq!(
            empty.assert_status(200),
            &json!({"requests": [], "dropped": 0})
        );
    }
    for (query, field) in [("limit=-1", "limit"), ("offset=x", "offset")] {
        control
            .send(Method::GET, &format!("/_emulator/requests?{query}"))
            .await
            .assert_error(400, "bad_request", field);
    }
    // Without parameters: everything, in the shape existing clients read.
    assert_eq!(control.requests().await.len(), 10);
}

#[tokio::test]
async fn request_log_is_streamed_not_buffered() {
    let emu = Emu::start();
    let api = emu.api();
    for _ in 0..50 {
        post_raw(&api, "/x", vec![b'y'; 9000]).await;
    }
    let response = reqwest::get(format!("{}/_emulator/requests", emu.url))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // A body built in one buffer would come with its length; a stream comes in chunks.
    assert!(response.headers().get("content-length").is_none());
    assert_eq!(
        response.headers().get("transfer-encoding").unwrap(),
        "chunked"
    );
    let json: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(json["requests"].as_array().unwrap().len(), 50);
    assert_eq!(json["dropped"], 0);
}
