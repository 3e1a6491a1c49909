//! Black-box tests of the emulator's own limits: the memory its request log may take, and how
//! long it waits for a request that never arrives in full.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{Emu, Reply};
use reqwest::Method;

/// Resident memory of process `pid`, in bytes (`VmRSS` of `/proc/PID/status`).
fn rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .expect("VmRSS in /proc/PID/status");
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

const MB: u64 = 1024 * 1024;

/// A valid create-conversation body of exactly `len` bytes.
fn padded_conversation(len: usize) -> String {
    let prefix = r#"{"type":"sdkGroup","padding":""#;
    format!("{prefix}{}\"}}", "x".repeat(len - prefix.len() - 2))
}

#[tokio::test]
async fn memory_stays_bounded_under_large_bodies_and_reading_the_log() {
    let emu = Emu::start();
    let api = emu.api();
    let body = padded_conversation(100_000);
    let post = || async {
        Reply::read(
            api.request(Method::POST, "/v2/apps/demo-app/conversations")
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await
                .unwrap(),
        )
        .await
        .assert_status(201);
    };
    for _ in 0..20 {
        post().await;
    }
    let base = rss(emu.pid());
    // 100 MB of bodies. Kept whole (and pinning hyper's read buffers) they added over 100 MB;
    // as 8 KB excerpts they add about 8 MB.
    for _ in 0..1000 {
        post().await;
    }
    let after_posts = rss(emu.pid());
    assert!(
        after_posts < base + 40 * MB,
        "RSS grew from {} MB to {} MB",
        base / MB,
        after_posts / MB
    );

    // Reading the whole log streams it: the JSON is never all in memory at once.
    let mut response = reqwest::get(format!("{}/_emulator/requests", emu.url))
        .await
        .unwrap();
    let (mut size, mut peak) = (0, 0);
    while let Some(chunk) = response.chunk().await.unwrap() {
        size += chunk.len();
        peak = peak.max(rss(emu.pid()));
    }
    assert!(size > 8_000_000, "{size} bytes of log");
    assert!(
        peak < after_posts + 20 * MB,
        "RSS went from {} MB to {} MB while the log was read",
        after_posts / MB,
        peak / MB
    );
}

#[tokio::test]
async fn clearing_the_log_gives_its_memory_back() {
    let emu = Emu::start();
    let control = emu.control();
    let api = emu.api();
    let body = vec![b'x'; 8 * 1024];
    let post = || async {
        api.request(Method::POST, "/fill")
            .body(body.clone())
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
    };
    for _ in 0..20 {
        post().await;
    }
    control.send(Method::DELETE, "/_emulator/requests").await;
    let base = rss(emu.pid());
    for _ in 0..4000 {
        post().await;
    }
    let full = rss(emu.pid());
    assert!(
        full > base + 20 * MB,
        "4000 logged 8 KB bodies should show: {} MB -> {} MB",
        base / MB,
        full / MB
    );
    control
        .send(Method::DELETE, "/_emulator/requests")
        .await
        .assert_status(200);
    let cleared = rss(emu.pid());
    assert!(
        cleared < base + (full - base) / 2,
        "RSS {} MB empty, {} MB full, still {} MB after clearing",
        base / MB,
        full / MB,
        cleared / MB
    );
    assert!(control.requests().await.is_empty());
}

/// Reads from `stream` until the server closes it, failing if that takes longer than `limit`.
fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Vec<u8> {
    let deadline = Instant::now() + limit;
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "still open after {limit:?}; received {:?}",
            String::from_utf8_lossy(&received)
        );
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut buf) {
            Ok(0) => return received,
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            // A reset also means the server let go.
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return received,
            Err(e) => panic!("{e}"),
        }
    }
}

fn connect(emu: &Emu) -> TcpStream {
    TcpStream::connect(emu.url.trim_start_matches("http://")).unwrap()
}

// The failsafe limits below are far under the 30 s defaults, so a server that ignored the
// configured timeouts fails these tests instead of passing slowly.
const FAILSAFE: Duration = Duration::from_secs(10);

#[test]
fn unfinished_headers_are_cut_off_after_the_header_timeout() {
    let emu = Emu::start_with(&["--header-timeout", "0.3"]);
    let mut stream = connect(&emu);
    stream
        .write_all(b"GET /v2/apps/demo-app/users/alice HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let received = read_until_closed(&mut stream, FAILSAFE);
    assert!(
        received.is_empty(),
        "closed without an answer, got {:?}",
        String::from_utf8_lossy(&received)
    );
    // The server itself is fine.
    let mut stream = connect(&emu);
    stream
        .write_all(b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let answer = read_until_closed(&mut stream, FAILSAFE);
    assert!(answer.starts_with(b"HTTP/1.1 404"));
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_answered_408_after_the_body_timeout() {
    let emu = Emu::start_with(&["--body-timeout", "0.3"]);
    let url = emu.url.clone();
    let received = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(url.trim_start_matches("http://")).unwrap();
        stream
            .write_all(
                b"POST /v2/apps/demo-app/users HTTP/1.1\r\nHost: x\r\n\
                  Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"ext",
            )
            .unwrap();
        read_until_closed(&mut stream, FAILSAFE)
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&received);
    assert!(text.starts_with("HTTP/1.1 408 "), "{text}");
    assert!(
        text.to_ascii_lowercase()
            .contains("\r\nconnection: close\r\n"),
        "{text}"
    );
    let body = &text[text.find("\r\n\r\n").unwrap() + 4..];
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(json["errors"][0]["code"], "request_timeout");
    assert!(
        json["errors"][0]["title"]
            .as_str()
            .unwrap()
            .contains("5 of its bytes")
    );

    // Logged, with what arrived and a mark that it never arrived in full.
    let log = emu.control().requests().await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["path"], "/v2/apps/demo-app/users");
    assert_eq!(log[0]["body"], "{\"ext");
    assert_eq!(log[0]["timedOut"], true);
}
