//! Walking lists both ways, and results handed over exactly as the server sent them.

mod common;

use common::Emulator;
use futures_util::TryStreamExt;
use serde_json::{Value, json};
use sunco::{CreateConversation, Direction, ListConversations, Participant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Makes `n` conversations for a new user and returns the user id and the ids in list order.
async fn seed(emu: &Emulator, n: usize) -> (String, Vec<String>) {
    let convs = emu.client().conversations("demo-app");
    let user = emu.create_user("walker").await;
    let mut ids = Vec::new();
    for _ in 0..n {
        let body = CreateConversation::sdk_group().participant(Participant::user_id(&user));
        ids.push(convs.create(&body).await.unwrap().id);
    }
    (user, ids)
}

#[tokio::test]
async fn a_walk_from_before_goes_backward_to_the_first_record() {
    let emu = Emulator::start().await;
    let (user, ids) = seed(&emu, 100).await;
    let convs = emu.client().conversations("demo-app");
    let params = ListConversations::user_id(&user)
        .before(ids[50].clone())
        .size(10);

    let pager = convs.pages(params.clone());
    assert_eq!(pager.direction(), Direction::Backward);
    let got: Vec<String> = convs
        .stream(params)
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    let mut want = Vec::new();
    for start in (0..50).step_by(10).rev() {
        want.extend_from_slice(&ids[start..start + 10]);
    }
    assert_eq!(got, want, "ids[40..50], ids[30..40], ..., ids[0..10]");

    let log = emu.requests().await;
    let queries: Vec<&str> = log
        .iter()
        .filter(|r| r["method"] == "GET")
        .map(|r| r["query"].as_str().unwrap())
        .collect();
    assert_eq!(queries.len(), 5, "{queries:?}");
    assert!(queries.iter().all(|q| q.contains("page[before]=")));
    assert!(!queries.iter().any(|q| q.contains("page[after]=")));
}

#[tokio::test]
async fn forward_walks_from_after_and_json_pages_agree_with_typed_ones() {
    let emu = Emulator::start().await;
    let (user, ids) = seed(&emu, 25).await;
    let convs = emu.client().conversations("demo-app");
    let params = ListConversations::user_id(&user)
        .after(ids[4].clone())
        .size(7);
    let typed: Vec<String> = convs
        .stream(params.clone())
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(typed, ids[5..]);

    let mut pager = convs.pages(params);
    assert_eq!(pager.direction(), Direction::Forward);
    let mut raw = Vec::new();
    while let Some(page) = pager.next_page_json().await.unwrap() {
        for c in page["conversations"].as_array().unwrap() {
            raw.push(c["id"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(raw, typed);
}

/// A one-route server on loopback that answers every request with `body`.
async fn canned(body: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let mut seen = Vec::new();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(body.as_bytes()).await;
            });
        }
    });
    url
}

const CONVERSATION: &str = r#"{"conversation":{"zeta":1,"id":"5f1c6e4b3a2d1c0b9a8f7e6d","type":"personal","businessLastRead":null,"metadata":{"z":1,"a":2},"isDefault":true},"sideNote":{"kept":true}}"#;

#[tokio::test]
async fn json_results_are_what_the_server_sent() {
    let url = canned(CONVERSATION).await;
    let client = sunco::Client::builder()
        .base_url(url)
        .auth(sunco::Auth::basic("k", "s"))
        .build()
        .unwrap();
    let convs = client.conversations("app");
    let raw = convs.get_json("5f1c6e4b3a2d1c0b9a8f7e6d").await.unwrap();
    // Byte for byte the same JSON: order, nulls and unknown fields kept.
    assert_eq!(serde_json::to_string(&raw).unwrap(), CONVERSATION);
    assert_eq!(raw["conversation"]["businessLastRead"], Value::Null);

    // The typed result keeps the metadata's order too.
    let typed = convs.get("5f1c6e4b3a2d1c0b9a8f7e6d").await.unwrap();
    let keys: Vec<_> = typed.metadata.unwrap().keys().cloned().collect();
    assert_eq!(keys, ["z", "a"]);
    assert_eq!(typed.extra.get("zeta"), Some(&json!(1)));
}

const PAGE: &str =
    r#"{"conversations":[],"meta":{"hasMore":false},"links":{},"total":0,"nextHint":null}"#;

#[tokio::test]
async fn json_pages_keep_unknown_top_level_fields() {
    let url = canned(PAGE).await;
    let client = sunco::Client::builder()
        .base_url(url)
        .auth(sunco::Auth::basic("k", "s"))
        .build()
        .unwrap();
    let convs = client.conversations("app");
    let mut pager = convs.pages(ListConversations::user_id("u"));
    let page = pager.next_page_json().await.unwrap().unwrap();
    assert_eq!(serde_json::to_string(&page).unwrap(), PAGE);
    assert!(pager.next_page_json().await.unwrap().is_none());
    assert!(pager.is_done());
}

#[tokio::test]
async fn a_json_page_without_meta_is_the_last_one_as_with_typed_pages() {
    let url = canned(r#"{"conversations":[]}"#).await;
    let client = sunco::Client::builder()
        .base_url(url)
        .auth(sunco::Auth::basic("k", "s"))
        .build()
        .unwrap();
    let convs = client.conversations("app");
    let typed = convs
        .pages(ListConversations::user_id("u"))
        .next_page()
        .await;
    assert!(!typed.unwrap().unwrap().meta.has_more);
    let mut pager = convs.pages(ListConversations::user_id("u"));
    assert!(pager.next_page_json().await.unwrap().is_some());
    assert!(pager.is_done());
}

#[tokio::test]
async fn json_results_that_break_the_documented_shape_are_decode_errors() {
    for (body, what) in [
        (r#"{"nope":1}"#, "no conversation"),
        (
            r#"{"conversation":{"id":5,"type":"personal"}}"#,
            "an id that is not a string",
        ),
    ] {
        let url = canned(Box::leak(body.to_owned().into_boxed_str())).await;
        let client = sunco::Client::builder()
            .base_url(url)
            .auth(sunco::Auth::basic("k", "s"))
            .build()
            .unwrap();
        let err = client.conversations("app").get_json("x").await.unwrap_err();
        assert!(
            matches!(err, sunco::Error::Decode { .. }),
            "{what}: {err:?}"
        );
    }
}
