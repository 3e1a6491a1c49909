//! Proxies: never for loopback (credentials there travel in clear text), CONNECT for HTTPS.
//!
//! This file is its own test binary with one test, because it sets proxy variables in the
//! process environment.

mod common;

use std::time::Duration;

use common::Emulator;
use sunco::{Auth, Client, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A proxy that records the head of each request it receives and refuses it.
async fn recording_proxy() -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = tx.send(String::from_utf8_lossy(&head).into_owned());
                let _ = sock
                    .write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n")
                    .await;
            });
        }
    });
    (format!("127.0.0.1:{}", addr.port()), rx)
}

#[tokio::test]
async fn loopback_never_uses_a_proxy_and_https_goes_through_connect() {
    let (proxy, mut seen) = recording_proxy().await;
    // SAFETY: this test binary runs this one test; nothing else reads the environment now.
    unsafe {
        for var in [
            "HTTP_PROXY",
            "http_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "ALL_PROXY",
        ] {
            std::env::set_var(var, format!("http://{proxy}"));
        }
        std::env::remove_var("NO_PROXY");
        std::env::remove_var("no_proxy");
    }

    // 1. The emulator on loopback: straight there, even with every proxy variable set and
    //    even with an explicit proxy.
    let emu = Emulator::start().await;
    for builder in [
        emu.builder(),
        emu.builder().proxy(format!("http://{proxy}")),
    ] {
        let convs = builder.build().unwrap().conversations("demo-app");
        let err = convs.get("5f1c6e4b3a2d1c0b9a8f7e6d").await.unwrap_err();
        assert_eq!(err.code(), Some("conversation_not_found"), "{err:?}");
    }
    assert_eq!(
        emu.requests().await.len(),
        2,
        "both calls reached the emulator"
    );
    assert!(seen.try_recv().is_err(), "the proxy saw nothing");

    // 2. HTTPS through an explicit proxy (with its own credentials): the proxy gets a CONNECT
    //    and never the API credentials, which travel inside TLS.
    let client = Client::builder()
        .base_url("https://api.example.test")
        .auth(Auth::basic("key-id", "api-secret"))
        .proxy(format!("http://puser:ppass@{proxy}"))
        .max_retries(0)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("ppass"));
    let err = client
        .conversations("app")
        .get("5f1c6e4b3a2d1c0b9a8f7e6d")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let head = seen.recv().await.unwrap();
    assert!(
        head.starts_with("CONNECT api.example.test:443 HTTP/1.1\r\n"),
        "{head}"
    );
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("proxy-authorization: basic"), "{head}");
    assert!(!lower.contains("\r\nauthorization:"), "{head}");
    assert!(
        !head.contains("a2V5LWlkOmFwaS1zZWNyZXQ"),
        "API credentials leaked: {head}"
    );

    // 3. The HTTPS_PROXY variable applies when no proxy is given.
    let client = Client::builder()
        .base_url("https://api.example.test")
        .auth(Auth::basic("key-id", "api-secret"))
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.conversations("app").get("x").await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(
        seen.recv()
            .await
            .unwrap()
            .starts_with("CONNECT api.example.test:443 ")
    );

    // 4. A proxy that is not an http(s) URL is a configuration error naming the option,
    //    without echoing a password it may hold.
    let err = emu.builder().proxy("socks5://h:1").build().unwrap_err();
    assert!(
        err.to_string().contains("proxy"),
        "checked even for loopback: {err}"
    );
    for bad in ["socks5://u:hunter2@h:1", "not a url", "http://"] {
        let err = Client::builder()
            .base_url("https://api.example.test")
            .auth(Auth::basic("k", "s"))
            .proxy(bad)
            .build()
            .unwrap_err();
        let msg = err.to_string();
        assert!(
            matches!(err, Error::Config(_)) && msg.contains("proxy"),
            "{msg}"
        );
        assert!(!msg.contains("hunter2"), "{msg}");
    }
}
