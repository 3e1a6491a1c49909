//! The generic entry (`Client::call`, `Client::operation_pages`) against the emulator.

mod common;

use common::Emulator;
use futures_util::TryStreamExt;
use serde_json::{Value, json};
use sunco::{CallArgs, Direction, Error};

fn app() -> CallArgs {
    CallArgs::new().path("appId", "demo-app")
}

#[tokio::test]
async fn operations_by_id_send_the_documented_request_and_answer_as_sent() {
    let emu = Emulator::start().await;
    let client = emu.client();

    let created = client
        .call(
            "CreateConversation",
            &app().body(json!({"type": "sdkGroup", "displayName": "Generic", "participants": [{"userExternalId": "alice"}]})),
        )
        .await
        .unwrap();
    let id = created["conversation"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["conversation"]["displayName"], "Generic");

    let got = client
        .call("GetConversation", &app().path("conversationId", &id))
        .await
        .unwrap();
    assert_eq!(got["conversation"], created["conversation"]);

    let log = emu.requests().await;
    assert_eq!(log[0]["method"], "POST");
    assert_eq!(log[0]["path"], "/v2/apps/demo-app/conversations");
    assert_eq!(
        log[1]["path"],
        format!("/v2/apps/demo-app/conversations/{id}")
    );

    let deleted = client
        .call("DeleteConversation", &app().path("conversationId", &id))
        .await
        .unwrap();
    assert!(deleted.is_empty(), "{deleted:?}");
    let err = client
        .call("GetConversation", &app().path("conversationId", &id))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("conversation_not_found"));

    let user = client
        .call(
            "CreateUser",
            &app().body(json!({"externalId": "generic-user"})),
        )
        .await
        .unwrap();
    let by_external = client
        .call("GetUser", &app().path("userIdOrExternalId", "generic-user"))
        .await
        .unwrap();
    assert_eq!(by_external["user"]["id"], user["user"]["id"]);
}

#[tokio::test]
async fn pages_of_any_list_walk_both_ways() {
    let emu = Emulator::start().await;
    let client = emu.client();
    let user = emu.create_user("generic-walker").await;
    let mut ids = Vec::new();
    for _ in 0..23 {
        let c = client
            .call(
                "CreateConversation",
                &app().body(json!({"type": "sdkGroup", "participants": [{"userId": user}]})),
            )
            .await
            .unwrap();
        ids.push(c["conversation"]["id"].as_str().unwrap().to_owned());
    }
    let list = |page: Value| {
        app()
            .query("filter", json!({"userId": user}))
            .query("page", page)
    };

    let forward = client
        .operation_pages("ListConversations", list(json!({"size": 5})))
        .unwrap();
    assert_eq!(forward.direction(), Direction::Forward);
    let got: Vec<Value> = forward.into_stream().try_collect().await.unwrap();
    let got: Vec<&str> = got.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(got, ids);

    let backward = client
        .operation_pages(
            "ListConversations",
            list(json!({"before": ids[12], "size": 5})),
        )
        .unwrap();
    assert_eq!(backward.direction(), Direction::Backward);
    let got: Vec<Value> = backward.into_stream().try_collect().await.unwrap();
    let got: Vec<&str> = got.iter().map(|c| c["id"].as_str().unwrap()).collect();
    let want: Vec<String> = [&ids[7..12], &ids[2..7], &ids[0..2]].concat();
    assert_eq!(got, want);

    emu.clear_requests().await;
    let err = client
        .operation_pages("GetConversation", app().path("conversationId", "x"))
        .unwrap_err();
    assert!(matches!(err, Error::Validation { ref field, .. } if field == "operationId"));
    let err = client
        .operation_pages("ListConversations", list(json!({"size": 500})))
        .unwrap_err();
    assert!(matches!(err, Error::Validation { ref field, .. } if field == "page.size"));
    assert!(
        emu.requests().await.is_empty(),
        "nothing sent for bad arguments"
    );
}

#[tokio::test]
async fn oauth_token_goes_without_credentials_and_authorize_is_a_url() {
    let emu = Emulator::start().await;
    let client = emu.client();
    // The emulator may not serve OAuth yet: whatever it answers, no credentials went out.
    let _ = client
        .call(
            "GetToken",
            &CallArgs::new().body(json!({"code": "c", "grant_type": "authorization_code", "client_id": "id", "client_secret": "secret"})),
        )
        .await;
    let log = emu.requests().await;
    assert_eq!(log[0]["path"], "/oauth/token");
    assert_eq!(log[0]["auth"], "none");

    let url = client
        .authorize_url(
            json!({"client_id": "my app", "response_type": "code", "redirect_uri": "https://x.io/cb?a=1"})
                .as_object()
                .unwrap(),
        )
        .unwrap();
    assert_eq!(
        url,
        format!(
            "{}/oauth/authorize?client_id=my%20app&response_type=code&redirect_uri=https%3A%2F%2Fx.io%2Fcb%3Fa%3D1",
            emu.url
        )
    );
    let err = client
        .authorize_url(json!({"response_type": "code"}).as_object().unwrap())
        .unwrap_err();
    assert!(matches!(err, Error::Validation { ref field, .. } if field == "client_id"));
}

#[tokio::test]
async fn an_uploaded_file_is_served_at_its_media_url_and_removed() {
    let emu = Emulator::start().await;
    let client = emu.client();
    let png: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
    let query = json!({"access": "public"});
    let sent = client
        .upload_attachment(
            "demo-app",
            query.as_object().unwrap(),
            sunco::Upload::bytes(png.clone(), "big.png").content_type("image/png"),
        )
        .await
        .unwrap();
    let url = sent["attachment"]["mediaUrl"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&emu.url), "{url}");
    let raw = reqwest::Client::builder().no_proxy().build().unwrap();
    let got = raw.get(&url).send().await.unwrap();
    assert_eq!(got.headers()["content-type"], "image/png");
    assert_eq!(got.bytes().await.unwrap().to_vec(), png);

    let removed = client
        .call("DeleteAttachment", &app().body(json!({"mediaUrl": url})))
        .await
        .unwrap();
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(raw.get(&url).send().await.unwrap().status(), 404);
}

/// Every operation of `api.json` has a case in `tests/vectors/operations/` that succeeds and one
/// that is refused before sending. The generic entry sends neither `Authorize` (a redirect: the
/// manifest's success is a 302, and `authorize_url` builds the URL) nor `UploadAttachment` (a
/// `multipart/form-data` body, sent by `upload_attachment`): for them, the refusal is the case.
#[test]
fn every_operation_has_a_success_and_a_refused_vector() {
    // Operations without a success vector yet: (operationId, why).
    let known_gaps: [(&str, &str); 0] = [];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("api.json")).unwrap()).unwrap();
    let mut succeeds = std::collections::HashSet::new();
    let mut refused = std::collections::HashSet::new();
    for entry in std::fs::read_dir(root.join("tests/vectors/operations")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for case in doc["cases"].as_array().unwrap() {
            let op = case["operationId"].as_str().unwrap().to_owned();
            match case["expect"]["error"].as_str() {
                None => succeeds.insert(op),
                Some("validation") if case["request"].is_null() => refused.insert(op),
                Some(_) => false,
            };
        }
    }
    let mut missing = Vec::new();
    let operations = manifest["operations"].as_array().unwrap();
    assert_eq!(operations.len(), 68);
    for op in operations {
        let id = op["operationId"].as_str().unwrap();
        // A redirect (`Authorize`) or a multipart upload (`UploadAttachment`).
        let generic =
            op["success"]["status"] != 302 && op["body"]["contentType"] != "multipart/form-data";
        let gap = known_gaps.iter().any(|(gap, _)| *gap == id);
        if generic && !gap && !succeeds.contains(id) {
            missing.push(format!("{id}: no success case"));
        }
        if gap && succeeds.contains(id) {
            missing.push(format!(
                "{id}: has a success case now, drop it from known_gaps"
            ));
        }
        if !refused.contains(id) {
            missing.push(format!("{id}: no case refused before sending"));
        }
    }
    assert!(missing.is_empty(), "tests/vectors/operations: {missing:#?}");
}
