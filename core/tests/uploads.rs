//! `UploadAttachment`: multipart/form-data from a path, bytes or a reader, with the size rule
//! and the retry rules, against a local server that records what it received.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, Uri};
use serde_json::{Value, json};
use sunco::{Auth, Client, Error, RetryPolicy, Upload};

#[derive(Default)]
struct Seen {
    requests: Vec<(String, HeaderMap, Bytes)>,
    /// Statuses to answer before answering 201.
    fail_with: Vec<u16>,
}

async fn server() -> (String, Arc<Mutex<Seen>>) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let state = seen.clone();
    let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap, body: Bytes| {
        let state = state.clone();
        async move {
            let mut s = state.lock().unwrap();
            s.requests.push((uri.to_string(), headers, body));
            if !s.fail_with.is_empty() {
                let status = s.fail_with.remove(0);
                return (
                    StatusCode::from_u16(status).unwrap(),
                    [("retry-after", "0")],
                    r#"{"errors":[{"code":"too_many_requests","title":"slow down"}]}"#.to_owned(),
                );
            }
            (
                StatusCode::CREATED,
                [("retry-after", "0")],
                r#"{"attachment":{"mediaUrl":"https://media.example/a.png","mediaType":"image/png"}}"#
                    .to_owned(),
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .auth(Auth::basic("k", "s"))
        .retry_policy(RetryPolicy {
            max_retries: 2,
            base_delay: std::time::Duration::from_millis(1),
            max_delay: std::time::Duration::from_millis(5),
        })
        .build()
        .unwrap()
}

fn public() -> serde_json::Map<String, Value> {
    json!({"access": "public", "for": "message"})
        .as_object()
        .unwrap()
        .clone()
}

/// The one file part of a multipart body: its headers and its bytes.
fn part(headers: &HeaderMap, body: &[u8]) -> (String, Vec<u8>) {
    let ctype = headers["content-type"].to_str().unwrap();
    let boundary = ctype.split("boundary=").nth(1).unwrap();
    let text = body;
    let start = format!("--{boundary}\r\n");
    assert!(text.starts_with(start.as_bytes()), "{ctype}");
    let rest = &text[start.len()..];
    let split = rest.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(rest[..split].to_vec()).unwrap();
    let end = format!("\r\n--{boundary}--\r\n");
    let data = &rest[split + 4..rest.len() - end.len()];
    (head, data.to_vec())
}

#[tokio::test]
async fn bytes_path_and_reader_are_sent_as_one_file_part() {
    let (url, seen) = server().await;
    let client = client(&url);
    let png: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();

    let sent = client
        .upload_attachment(
            "demo app",
            &public(),
            Upload::bytes(png.clone(), "logo.png").content_type("image/png"),
        )
        .await
        .unwrap();
    assert_eq!(
        sent["attachment"]["mediaUrl"],
        "https://media.example/a.png"
    );

    let dir = std::env::temp_dir().join(format!("sunco-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("photo one.jpg");
    std::fs::write(&file, &png).unwrap();
    client
        .upload_attachment("demo app", &public(), Upload::path(&file))
        .await
        .unwrap();
    client
        .upload_attachment(
            "demo app",
            &public(),
            Upload::reader(
                std::io::Cursor::new(png.clone()),
                png.len() as u64,
                "stream.bin",
            ),
        )
        .await
        .unwrap();

    let s = seen.lock().unwrap();
    assert_eq!(s.requests.len(), 3);
    for (i, (uri, headers, body)) in s.requests.iter().enumerate() {
        assert_eq!(
            uri,
            "/v2/apps/demo%20app/attachments?access=public&for=message"
        );
        assert!(
            headers["authorization"]
                .to_str()
                .unwrap()
                .starts_with("Basic ")
        );
        let (head, data) = part(headers, body);
        assert!(head.contains("name=\"source\""), "{head}");
        let name = ["logo.png", "photo one.jpg", "stream.bin"][i];
        assert!(head.contains(&format!("filename=\"{name}\"")), "{head}");
        assert_eq!(data, png, "upload {i}: the bytes arrive intact");
    }
    assert!(s.requests[0].1.get("content-type").is_some());
    let (head, _) = part(&s.requests[0].1, &s.requests[0].2);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: image/png"),
        "{head}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn rate_limited_uploads_are_retried_except_from_a_reader() {
    let (url, seen) = server().await;
    let client = client(&url);
    seen.lock().unwrap().fail_with = vec![429];
    client
        .upload_attachment("app", &public(), Upload::bytes(&b"abc"[..], "a.txt"))
        .await
        .unwrap();
    assert_eq!(seen.lock().unwrap().requests.len(), 2, "429 then 201");

    seen.lock().unwrap().fail_with = vec![429];
    let err = client
        .upload_attachment(
            "app",
            &public(),
            Upload::reader(std::io::Cursor::new(b"abc".to_vec()), 3, "a.txt"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429), "{err:?}");
    assert_eq!(
        seen.lock().unwrap().requests.len(),
        3,
        "a reader is sent once"
    );

    seen.lock().unwrap().fail_with = vec![503];
    let err = client
        .upload_attachment("app", &public(), Upload::bytes(&b"abc"[..], "a.txt"))
        .await
        .unwrap_err();
    assert_eq!(
        err.status(),
        Some(503),
        "a POST is not retried after the server may have acted"
    );
    assert_eq!(seen.lock().unwrap().requests.len(), 4);
}

#[tokio::test]
async fn bad_uploads_are_refused_before_sending() {
    let (url, seen) = server().await;
    let client = client(&url);
    let field = |e: Error| match e {
        Error::Validation { field, .. } => field,
        other => panic!("{other:?}"),
    };
    let too_big = Upload::reader(tokio::io::empty(), sunco::UPLOAD_MAX_BYTES + 1, "big.bin");
    assert_eq!(
        field(
            client
                .upload_attachment("app", &public(), too_big)
                .await
                .unwrap_err()
        ),
        "source"
    );
    let missing = Upload::path("/nonexistent/sunco/file.png");
    assert_eq!(
        field(
            client
                .upload_attachment("app", &public(), missing)
                .await
                .unwrap_err()
        ),
        "source"
    );
    let dir = Upload::path("/");
    assert_eq!(
        field(
            client
                .upload_attachment("app", &public(), dir)
                .await
                .unwrap_err()
        ),
        "source"
    );
    let no_access = serde_json::Map::new();
    let e = client
        .upload_attachment("app", &no_access, Upload::bytes(&b"x"[..], "x"))
        .await
        .unwrap_err();
    assert_eq!(field(e), "access");
    let e = client
        .upload_attachment("", &public(), Upload::bytes(&b"x"[..], "x"))
        .await
        .unwrap_err();
    assert_eq!(field(e), "appId");
    let e = client
        .upload_attachment("app", &public(), Upload::bytes(&b"x"[..], "bad\"name"))
        .await
        .unwrap_err();
    assert_eq!(field(e), "source");
    assert!(seen.lock().unwrap().requests.is_empty(), "nothing was sent");

    // A reader that ends before the length given: the request fails, nothing is "uploaded".
    let short = Upload::reader(std::io::Cursor::new(vec![1u8; 10]), 100, "short.bin");
    let e = client
        .upload_attachment("app", &public(), short)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Transport { .. }), "{e:?}");
}
