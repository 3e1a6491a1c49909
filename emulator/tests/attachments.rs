//! Black-box tests of the Attachments routes: upload (multipart/form-data, its query, its
//! limits), the `mediaUrl` the emulator serves, delete by `mediaUrl`, and the attachments that
//! go with the messages and conversations they were uploaded for.

mod common;

use common::{Api, Emu, Reply, basic, id};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

const UPLOAD: &str = "/v2/apps/demo-app/attachments";
const REMOVE: &str = "/v2/apps/demo-app/attachments/remove";
const CONVERSATIONS: &str = "/v2/apps/demo-app/conversations";
const FIFTY_MB: usize = 50 * 1024 * 1024;

fn file(data: Vec<u8>, name: &str, mime: Option<&str>) -> Form {
    let mut part = Part::bytes(data).file_name(name.to_owned());
    if let Some(mime) = mime {
        part = part.mime_str(mime).unwrap();
    }
    Form::new().part("source", part)
}

async fn upload(api: &Api, query: &str, form: Form) -> Reply {
    Reply::read(
        api.request(reqwest::Method::POST, &format!("{UPLOAD}{query}"))
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn upload_png(api: &Api, query: &str) -> Value {
    let reply = upload(
        api,
        query,
        file(
            b"\x89PNG\r\n\x1a\nbytes".to_vec(),
            "photo.png",
            Some("image/png"),
        ),
    )
    .await;
    reply.assert_status(201)["attachment"].clone()
}

/// GETs a media URL without credentials: status, content type, bytes.
async fn fetch(url: &str) -> (u16, Option<String>, Vec<u8>) {
    let response = reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, kind, response.bytes().await.unwrap().to_vec())
}

async fn remove(api: &Api, media_url: &Value) -> Reply {
    api.post(REMOVE, &json!({ "mediaUrl": media_url })).await
}

#[tokio::test]
async fn upload_serve_and_delete() {
    let emu = Emu::start();
    let api = emu.api();
    let attachment = upload_png(&api, "?access=public").await;
    assert_eq!(attachment["mediaType"], "image/png");
    let url = attachment["mediaUrl"].as_str().unwrap().to_owned();
    let prefix = format!("{}/attachments/v2/demo-app/", emu.url);
    assert!(
        url.starts_with(&prefix) && url.ends_with("/photo.png"),
        "{url}"
    );
    let (status, kind, bytes) = fetch(&url).await;
    assert_eq!(status, 200);
    assert_eq!(kind.as_deref(), Some("image/png"));
    assert_eq!(bytes, b"\x89PNG\r\n\x1a\nbytes");
    // The file name is part of the URL.
    let (status, _, _) = fetch(&url.replace("photo.png", "other.png")).await;
    assert_eq!(status, 404);

    let reply = remove(&api, &attachment["mediaUrl"]).await;
    assert_eq!(reply.assert_status(200), &json!({}));
    let (status, kind, bytes) = fetch(&url).await;
    assert_eq!(status, 404);
    assert_eq!(kind.as_deref(), Some("application/json"));
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["errors"][0]["code"], "not_found");
    remove(&api, &attachment["mediaUrl"]).await.assert_error(
        404,
        "not_found",
        "Attachment not found",
    );
}

#[tokio::test]
async fn media_types_names_and_scopes() {
    let emu = Emu::start();
    let api = emu.api();
    // Without a Content-Type the file name decides; a name with a space is percent-encoded.
    let reply = upload(
        &api,
        "?access=public",
        file(b"hello".to_vec(), "my notes.txt", None),
    )
    .await;
    let attachment = reply.assert_status(201)["attachment"].clone();
    assert_eq!(attachment["mediaType"], "text/plain");
    let url = attachment["mediaUrl"].as_str().unwrap();
    assert!(url.ends_with("/my%20notes.txt"), "{url}");
    assert_eq!(fetch(url).await.2, b"hello");
    let reply = upload(&api, "?access=public", file(vec![1, 2, 3], "blob", None)).await;
    assert_eq!(
        reply.assert_status(201)["attachment"]["mediaType"],
        "application/octet-stream"
    );
    // Integration keys may upload; other apps' keys and no key may not.
    let integration = api
        .post(
            "/v2/apps/demo-app/integrations",
            &json!({"type": "custom", "webhooks": [
                {"target": "https://example.com/h", "triggers": ["conversation:message"]}]}),
        )
        .await
        .assert_status(201)["integration"]
        .clone();
    let key = api
        .post(
            &format!("/v2/apps/demo-app/integrations/{}/keys", id(&integration)),
            &json!({"displayName": "k"}),
        )
        .await
        .assert_status(201)["key"]
        .clone();
    let as_key = api.with_auth(Some(basic(
        key["id"].as_str().unwrap(),
        key["secret"].as_str().unwrap(),
    )));
    let mine = upload_png(&as_key, "?access=public").await;
    remove(&as_key, &mine["mediaUrl"]).await.assert_status(200);
    upload(
        &api.with_auth(Some(basic("other-key", "other-secret"))),
        "?access=public",
        file(vec![1], "a", None),
    )
    .await
    .assert_error(403, "forbidden", "");
    upload(
        &api.with_auth(None),
        "?access=public",
        file(vec![1], "a", None),
    )
    .await
    .assert_error(401, "unauthorized", "");
    // Another app's attachment is not found here.
    let other = Api::new(&emu.url, basic("other-key", "other-secret"));
    let theirs = Reply::read(
        other
            .request(
                reqwest::Method::POST,
                "/v2/apps/other-app/attachments?access=public",
            )
            .multipart(file(vec![1], "a.bin", None))
            .send()
            .await
            .unwrap(),
    )
    .await
    .assert_status(201)["attachment"]
        .clone();
    remove(&api, &theirs["mediaUrl"])
        .await
        .assert_error(404, "not_found", "");
}

#[tokio::test]
async fn upload_errors() {
    let emu = Emu::start();
    let api = emu.api();
    let png = || file(vec![1, 2], "a.png", Some("image/png"));
    for (query, title) in [
        ("", "access is required"),
        ("?access=private", "private attachments are not supported"),
        ("?access=secret", "access must be public"),
        ("?access=public&for=user", "for must be message"),
        (
            "?access=public&conversationId=",
            "conversationId must not be empty",
        ),
    ] {
        upload(&api, query, png())
            .await
            .assert_error(400, "bad_request", title);
    }
    upload(
        &api,
        "?access=public&for=message&conversationId=5f7c6b0a1d2e3f4a5b6c7d8e",
        png(),
    )
    .await
    .assert_error(404, "conversation_not_found", "");
    // Only `source`, once, not empty.
    let form = Form::new().part("file", Part::bytes(vec![1]).file_name("a"));
    upload(&api, "?access=public", form).await.assert_error(
        400,
        "bad_request",
        "Unexpected form field \"file\"",
    );
    let form = file(vec![1], "a", None).text("note", "hi");
    upload(&api, "?access=public", form).await.assert_error(
        400,
        "bad_request",
        "the form takes only source",
    );
    let form = Form::new()
        .part("source", Part::bytes(vec![1]).file_name("a"))
        .part("source", Part::bytes(vec![2]).file_name("b"));
    upload(&api, "?access=public", form).await.assert_error(
        400,
        "bad_request",
        "source must be given once",
    );
    upload(&api, "?access=public", file(Vec::new(), "empty.txt", None))
        .await
        .assert_error(400, "bad_request", "source must not be empty");
    // Not a form.
    api.post(&format!("{UPLOAD}?access=public"), &json!({"source": "x"}))
        .await
        .assert_error(400, "bad_request", "multipart/form-data");
    let raw = |body: &'static str| {
        api.request(reqwest::Method::POST, &format!("{UPLOAD}?access=public"))
            .header("content-type", "multipart/form-data; boundary=b")
            .body(body)
    };
    Reply::read(raw("--b--\r\n").send().await.unwrap())
        .await
        .assert_error(400, "bad_request", "source is required");
    Reply::read(raw("garbage").send().await.unwrap())
        .await
        .assert_error(400, "bad_request", "Malformed multipart/form-data body");
    // Delete bodies.
    api.post(REMOVE, &json!({}))
        .await
        .assert_error(400, "bad_request", "mediaUrl is required");
    remove(&api, &json!("https://badhost.com/image.png"))
        .await
        .assert_error(
            400,
            "bad_request",
            "Unsupported media URL for attachment deletion: https://badhost.com/image.png",
        );
}

#[tokio::test]
async fn fifty_megabytes_at_most() {
    let emu = Emu::start();
    let api = emu.api();
    let reply = upload(
        &api,
        "?access=public",
        file(vec![7u8; FIFTY_MB + 1], "big.bin", None),
    )
    .await;
    reply.assert_error(
        413,
        "payload_too_large",
        "source must not exceed 52428800 bytes",
    );
    // A body well past the limit is refused by the server as it arrives.
    let reply = upload(
        &api,
        "?access=public",
        file(vec![7u8; FIFTY_MB + 200 * 1024], "bigger.bin", None),
    )
    .await;
    reply.assert_error(413, "payload_too_large", "Request body must not exceed");
    // JSON routes keep their 100 KB limit.
    let reply = api
        .post(
            "/v2/apps/demo-app/users",
            &json!({"externalId": "x".repeat(200 * 1024)}),
        )
        .await;
    reply.assert_error(413, "payload_too_large", "102400");
}

// ---------------------------------------------------------------- across resources

#[tokio::test]
async fn attachments_for_messages_go_with_their_message_or_conversation() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = api
        .create_conversation(
            &json!({"type": "personal", "participants": [{"userExternalId": "alice"}]}),
        )
        .await;
    let cid = id(&conversation);
    let linked = upload_png(
        &api,
        &format!("?access=public&for=message&conversationId={cid}"),
    )
    .await;
    let shown = upload_png(&api, "?access=public&for=message").await;
    let kept = upload_png(&api, &format!("?access=public&conversationId={cid}")).await;
    let url = |a: &Value| a["mediaUrl"].as_str().unwrap().to_owned();

    // A message showing `shown`: deleting the message deletes the attachment.
    let message = api
        .post(
            &format!("{CONVERSATIONS}/{cid}/messages"),
            &json!({"author": {"type": "business"},
                    "content": {"type": "image", "mediaUrl": url(&shown)}}),
        )
        .await
        .assert_status(201)["messages"][0]
        .clone();
    assert_eq!(fetch(&url(&shown)).await.0, 200);
    api.delete(&format!("{CONVERSATIONS}/{cid}/messages/{}", id(&message)))
        .await
        .assert_status(200);
    assert_eq!(fetch(&url(&shown)).await.0, 404);

    // Deleting the conversation deletes what was uploaded for messages into it, not the rest.
    assert_eq!(fetch(&url(&linked)).await.0, 200);
    let group = api
        .create_conversation(
            &json!({"type": "sdkGroup", "participants": [{"userExternalId": "alice"}]}),
        )
        .await;
    let linked_group = upload_png(
        &api,
        &format!("?access=public&for=message&conversationId={}", id(&group)),
    )
    .await;
    api.delete(&format!("{CONVERSATIONS}/{}", id(&group)))
        .await
        .assert_status(200);
    assert_eq!(fetch(&url(&linked_group)).await.0, 404);
    // alice's personal conversation goes with alice.
    api.delete("/v2/apps/demo-app/users/alice")
        .await
        .assert_status(200);
    assert_eq!(fetch(&url(&linked)).await.0, 404);
    assert_eq!(fetch(&url(&kept)).await.0, 200);
}
