//! The core against the emulator: every operation, every error path.

mod common;

use std::time::Duration;

use common::Emulator;
use futures_util::{StreamExt, TryStreamExt};
use serde_json::json;
use sunco::{
    Auth, ConversationType, CreateConversation, DownloadMessageRef, Error, InteractiveDataRef,
    ListConversations, Participant, Patch, TransportKind, UpdateConversation,
};

fn group(external_id: &str) -> CreateConversation {
    CreateConversation::sdk_group().participant(Participant::user_external_id(external_id))
}

#[tokio::test]
async fn every_operation_round_trips() {
    let emu = Emulator::start().await;
    let convs = emu.client().conversations("demo-app");

    let created = convs
        .create(
            &group("alice")
                .display_name("Support")
                .description("Billing")
                .icon_url("https://example.com/i.png")
                .metadata_entry("lang", "en")
                .metadata_entry("n", 3)
                .metadata_entry("vip", true),
        )
        .await
        .unwrap();
    assert_eq!(created.id.len(), 24);
    assert_eq!(created.kind, ConversationType::SdkGroup);
    assert_eq!(created.display_name.as_deref(), Some("Support"));
    assert_eq!(created.is_default, Some(false));
    assert!(created.created_at.as_deref().unwrap().ends_with('Z'));

    let got = convs.get(&created.id).await.unwrap();
    assert_eq!(got, created);

    let page = convs
        .list(&ListConversations::user_external_id("alice"))
        .await
        .unwrap();
    assert_eq!(page.conversations.len(), 1);
    assert!(!page.meta.has_more);

    let updated = convs
        .update(
            &created.id,
            &UpdateConversation::new()
                .display_name("Renamed")
                .description(Patch::Clear),
        )
        .await
        .unwrap();
    assert_eq!(updated.display_name.as_deref(), Some("Renamed"));
    assert_eq!(updated.description, None);
    assert_eq!(
        updated.icon_url.as_deref(),
        Some("https://example.com/i.png")
    );
    assert!(updated.metadata.is_some());

    let alice = emu.user_id("alice").await;
    let downloaded = convs
        .download_message_ref(
            &created.id,
            &DownloadMessageRef::new(&alice).apple(InteractiveDataRef {
                url: "https://example.com/r".into(),
                bid: "b".into(),
                key: "k".into(),
                signature: "s".into(),
                owner: "o".into(),
            }),
        )
        .await
        .unwrap();
    assert!(downloaded.is_empty() || downloaded.values().count() > 0);

    convs.delete(&created.id).await.unwrap();
    let err = convs.get(&created.id).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some("conversation_not_found"));
}

#[tokio::test]
async fn update_sends_only_what_changed() {
    let emu = Emulator::start().await;
    let convs = emu.client().conversations("demo-app");
    let c = convs
        .create(&group("bob").display_name("A").metadata_entry("k", "v"))
        .await
        .unwrap();
    emu.clear_requests().await;
    let u = convs
        .update(&c.id, &UpdateConversation::new().metadata(Patch::Clear))
        .await
        .unwrap();
    assert_eq!(u.metadata, None);
    assert_eq!(u.display_name.as_deref(), Some("A"));
    let log = emu.requests().await;
    assert_eq!(log.len(), 1);
    let body: serde_json::Value = serde_json::from_str(log[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body, json!({"metadata": null}));
    assert_eq!(log[0]["method"], "PATCH");
    assert_eq!(log[0]["contentType"], "application/json");
}

#[tokio::test]
async fn stream_walks_every_page_and_stops_early() {
    let emu = Emulator::start().await;
    let convs = emu.client().conversations("demo-app");
    let user = emu.create_user("pager").await;
    let mut ids = Vec::new();
    for _ in 0..7 {
        ids.push(convs.create(&group("pager")).await.unwrap().id);
    }
    emu.clear_requests().await;
    let all: Vec<_> = convs
        .stream(ListConversations::user_id(&user).size(3))
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, ids, "every conversation once, in order");
    let log = emu.requests().await;
    assert_eq!(log.len(), 3, "7 records at 3 a page is 3 requests");
    assert!(log[1]["query"].as_str().unwrap().contains("page[after]="));

    emu.clear_requests().await;
    let first_two: Vec<_> = convs
        .stream(ListConversations::user_id(&user).size(3))
        .take(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first_two.len(), 2);
    assert_eq!(
        emu.requests().await.len(),
        1,
        "stopping early fetches no more pages"
    );

    let mut pages = convs.pages(ListConversations::user_id(&user).size(5));
    let p1 = pages.next_page().await.unwrap().unwrap();
    assert!(p1.meta.has_more && p1.links.next.is_some());
    let p2 = pages.next_page().await.unwrap().unwrap();
    assert_eq!(p2.conversations.len(), 2);
    assert!(pages.next_page().await.unwrap().is_none());
    assert!(pages.is_done());

    // Validation happens before the first request.
    emu.clear_requests().await;
    let err = convs
        .stream(ListConversations::user_id(&user).size(0))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { ref field, .. } if field == "page.size"));
    assert!(emu.requests().await.is_empty());
}

#[tokio::test]
async fn jwt_and_bearer_auth() {
    let emu = Emulator::start().await;
    let jwt = emu
        .builder()
        .auth(Auth::jwt("demo-key", "demo-secret"))
        .build()
        .unwrap();
    let convs = jwt.conversations("demo-app");
    let c = convs.create(&group("alice")).await.unwrap();
    convs.get(&c.id).await.unwrap();
    let log = emu.requests().await;
    assert!(log.iter().all(|r| r["auth"] == "bearer"), "{log:?}");

    let bad = emu
        .builder()
        .auth(Auth::jwt("demo-key", "wrong-secret-value"))
        .build()
        .unwrap();
    let err = bad.conversations("demo-app").get(&c.id).await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.code(), Some("unauthorized"));
    assert!(!err.to_string().contains("wrong-secret-value"));

    let token = emu
        .builder()
        .auth(Auth::bearer("not-a-jwt"))
        .build()
        .unwrap();
    let err = token
        .conversations("demo-app")
        .get(&c.id)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
}

#[tokio::test]
async fn auth_and_not_found_errors() {
    let emu = Emulator::start().await;
    let wrong = emu
        .builder()
        .auth(Auth::basic("demo-key", "nope-secret"))
        .build()
        .unwrap();
    let err = wrong
        .conversations("demo-app")
        .get("5f1c6e4b3a2d1c0b9a8f7e6d")
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.code()),
        (Some(401), Some("unauthorized"))
    );
    assert!(!err.is_retryable());
    assert!(!format!("{err:?} {err} {wrong:?}").contains("nope-secret"));

    let other = emu
        .builder()
        .auth(Auth::basic("other-key", "other-secret"))
        .build()
        .unwrap();
    let err = other
        .conversations("demo-app")
        .get("5f1c6e4b3a2d1c0b9a8f7e6d")
        .await
        .unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(403), Some("forbidden")));

    let client = emu.client();
    let err = client
        .conversations("no-such-app")
        .get("x")
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.code()),
        (Some(404), Some("app_not_found"))
    );
    let err = client
        .conversations("demo-app")
        .list(&ListConversations::user_external_id("nobody"))
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.code()),
        (Some(404), Some("user_not_found"))
    );
    let api = err.api().unwrap();
    assert!(api.request_id.is_some(), "x-request-id is surfaced");
    assert!(!api.title().unwrap_or("").is_empty());
}

#[tokio::test]
async fn default_conversation_cannot_be_deleted() {
    let emu = Emulator::start().await;
    let convs = emu.client().conversations("demo-app");
    let c = convs
        .create(&CreateConversation::personal(
            Participant::user_external_id("carol"),
        ))
        .await
        .unwrap();
    assert_eq!(c.is_default, Some(true));
    let err = convs.delete(&c.id).await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(400), Some("bad_request")));
    convs.get(&c.id).await.unwrap();
}

#[tokio::test]
async fn rate_limits_are_retried_honouring_retry_after() {
    let emu = Emulator::start().await;
    let convs = emu.client().conversations("demo-app");
    let c = convs.create(&group("alice")).await.unwrap();
    emu.fault(
        json!({"method": "GET", "path": "/v2/apps/*/conversations/*", "times": 2,
        "action": {"type": "status", "status": 429, "retryAfter": "0"}}),
    )
    .await;
    emu.clear_requests().await;
    convs.get(&c.id).await.unwrap();
    assert_eq!(emu.requests().await.len(), 3);

    // A POST is retried on 429 too: the server did not act.
    emu.fault(
        json!({"method": "POST", "path": "/v2/apps/*/conversations", "times": 1,
        "action": {"type": "status", "status": 429, "retryAfter": "0"}}),
    )
    .await;
    emu.clear_requests().await;
    convs.create(&group("alice")).await.unwrap();
    assert_eq!(emu.requests().await.len(), 2);

    // With retries off the caller sees the 429 and its Retry-After.
    let no_retry = emu.builder().max_retries(0).build().unwrap();
    emu.fault(json!({"path": "/v2/apps/*/conversations/*", "times": 1,
        "action": {"type": "status", "status": 429, "retryAfter": "7"}}))
        .await;
    let err = no_retry
        .conversations("demo-app")
        .get(&c.id)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn server_errors_retry_idempotent_calls_only() {
    let emu = Emulator::start().await;
    let convs = emu.client().conversations("demo-app");
    let c = convs.create(&group("alice")).await.unwrap();

    // A burst longer than the retry budget: 1 + 3 attempts, then the error.
    emu.fault(
        json!({"method": "GET", "path": "/v2/apps/*/conversations/*", "times": 10,
        "action": {"type": "status", "status": 503}}),
    )
    .await;
    emu.clear_requests().await;
    let err = convs.get(&c.id).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(emu.requests().await.len(), 4);
    emu.reset().await;

    let c = convs.create(&group("alice")).await.unwrap();
    emu.fault(
        json!({"method": "PATCH", "path": "/v2/apps/*/conversations/*", "times": 2,
        "action": {"type": "status", "status": 502}}),
    )
    .await;
    let u = convs
        .update(&c.id, &UpdateConversation::new().display_name("ok"))
        .await
        .unwrap();
    assert_eq!(u.display_name.as_deref(), Some("ok"));

    // POST must not be repeated after a 503: the server may have acted.
    emu.fault(
        json!({"method": "POST", "path": "/v2/apps/*/conversations", "times": 1,
        "action": {"type": "status", "status": 503}}),
    )
    .await;
    emu.clear_requests().await;
    let err = convs.create(&group("alice")).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(emu.requests().await.len(), 1);

    // 500 is not retried at all.
    emu.fault(
        json!({"method": "GET", "path": "/v2/apps/*/conversations/*", "times": 1,
        "action": {"type": "status", "status": 500}}),
    )
    .await;
    emu.clear_requests().await;
    assert_eq!(convs.get(&c.id).await.unwrap_err().status(), Some(500));
    assert_eq!(emu.requests().await.len(), 1);
}

#[tokio::test]
async fn dropped_connections() {
    let emu = Emulator::start().await;
    let convs = emu.client().conversations("demo-app");
    let c = convs.create(&group("alice")).await.unwrap();

    emu.fault(
        json!({"method": "GET", "path": "/v2/apps/*/conversations/*", "times": 1,
        "action": {"type": "drop"}}),
    )
    .await;
    emu.clear_requests().await;
    convs.get(&c.id).await.unwrap();
    assert_eq!(
        emu.requests().await.len(),
        2,
        "a GET is retried after a drop"
    );

    emu.fault(
        json!({"method": "POST", "path": "/v2/apps/*/conversations", "times": 1,
        "action": {"type": "drop"}}),
    )
    .await;
    emu.clear_requests().await;
    let err = convs.create(&group("alice")).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Request,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        emu.requests().await.len(),
        1,
        "a POST is not repeated after a drop"
    );
}

#[tokio::test]
async fn broken_bodies_are_decode_errors() {
    let emu = Emulator::start().await;
    let client = emu.builder().max_response_bytes(1 << 20).build().unwrap();
    let convs = client.conversations("demo-app");
    let c = convs.create(&group("alice")).await.unwrap();

    emu.fault(json!({"path": "/v2/apps/*/conversations/*", "action": {"type": "malformed"}}))
        .await;
    match convs.get(&c.id).await.unwrap_err() {
        Error::Decode {
            status, excerpt, ..
        } => {
            assert_eq!(status, 200);
            assert!(!excerpt.is_empty() && excerpt.len() <= 200);
        }
        other => panic!("{other:?}"),
    }

    emu.fault(json!({"path": "/v2/apps/*/conversations/*", "action": {"type": "truncated"}}))
        .await;
    assert!(matches!(
        convs.get(&c.id).await.unwrap_err(),
        Error::Decode { .. }
    ));

    emu.fault(json!({"path": "/v2/apps/*/conversations/*",
        "action": {"type": "huge", "bytes": 5_000_000}}))
        .await;
    match convs.get(&c.id).await.unwrap_err() {
        Error::Decode { message, .. } => assert!(message.contains("exceeds"), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn slow_server_times_out() {
    let emu = Emulator::start().await;
    let client = emu
        .builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let convs = client.conversations("demo-app");
    let c = convs.create(&group("alice")).await.unwrap();
    emu.fault(json!({"path": "/v2/apps/*/conversations/*", "times": 5,
        "action": {"type": "delay", "ms": 3000}}))
        .await;
    emu.clear_requests().await;
    let err = convs.get(&c.id).await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout { after } if after == Duration::from_millis(300)),
        "{err:?}"
    );
    assert_eq!(emu.requests().await.len(), 1, "a timeout is not retried");
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    // Bind then drop a listener: the port is closed for sure.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = sunco::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .auth(Auth::basic("k", "s"))
        .retry_policy(sunco::RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
        })
        .build()
        .unwrap();
    let err = client.conversations("a").get("b").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn user_agent_and_shared_client() {
    let emu = Emulator::start().await;
    let client = emu.builder().user_agent_extra("suite/1").build().unwrap();
    let convs = client.conversations("demo-app");
    let c = convs.create(&group("alice")).await.unwrap();
    let ua = emu.requests().await[0]["userAgent"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(ua, format!("sunco/{} suite/1", sunco::VERSION));

    // One client, many tasks at once.
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let convs = client.conversations("demo-app");
            let id = c.id.clone();
            tokio::spawn(async move { convs.get(&id).await.map(|x| x.id) })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), c.id);
    }
}

#[tokio::test]
async fn nothing_is_sent_for_invalid_input() {
    let emu = Emulator::start().await;
    let convs = emu.client().conversations("demo-app");
    emu.clear_requests().await;
    let err = convs.get("").await.unwrap_err();
    assert!(matches!(err, Error::Validation { ref field, .. } if field == "conversationId"));
    let err = emu.client().conversations("").get("x").await.unwrap_err();
    assert!(matches!(err, Error::Validation { ref field, .. } if field == "appId"));
    let err = convs
        .create(&CreateConversation::personal(Participant::default()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { ref field, .. } if field == "participants[0]"));
    assert!(emu.requests().await.is_empty());
}
