//! Black-box tests of the binary itself: flags, seeds, start-up line and graceful shutdown.

mod common;

use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{BIN, Emu};
use serde_json::json;

/// Waits for the child on another thread, giving up (and killing it) after `limit`.
fn wait_with_limit(emu: &mut Emu, limit: Duration) -> ExitStatus {
    let pid = emu.pid();
    let mut child = emu.take_child();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    match rx.recv_timeout(limit) {
        Ok(status) => status.unwrap(),
        Err(_) => {
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg(pid.to_string())
                .status();
            panic!("process {pid} did not exit within {limit:?}");
        }
    }
}

fn signal(emu: &Emu, name: &str) {
    let status = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(emu.pid().to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

#[tokio::test]
async fn sigterm_exits_zero() {
    let mut emu = Emu::start();
    emu.api()
        .get("/v2/apps/demo-app/users/alice")
        .await
        .assert_status(200);
    signal(&emu, "TERM");
    let status = wait_with_limit(&mut emu, Duration::from_secs(20));
    assert_eq!(status.code(), Some(0), "{status:?}");
}

#[test]
fn sigterm_right_after_start_exits_zero() {
    let mut emu = Emu::start();
    signal(&emu, "TERM");
    let status = wait_with_limit(&mut emu, Duration::from_secs(20));
    assert_eq!(status.code(), Some(0), "{status:?}");
}

#[test]
fn sigint_exits_zero() {
    let mut emu = Emu::start();
    signal(&emu, "INT");
    let status = wait_with_limit(&mut emu, Duration::from_secs(20));
    assert_eq!(status.code(), Some(0), "{status:?}");
}

#[test]
fn help_prints_usage() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for flag in ["--host", "--port", "--seed"] {
        assert!(text.contains(flag), "{text}");
    }
}

#[test]
fn bad_flags_exit_2_with_a_message() {
    for args in [
        &["--bogus"][..],
        &["--port", "notaport"],
        &["--port"],
        &["--port", "70000"],
    ] {
        let out = Command::new(BIN)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("sunco-emulator:"), "{err}");
        assert!(out.stdout.is_empty());
    }
}

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let path =
        std::env::temp_dir().join(format!("sunco-emulator-{}-{name}.json", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn seed_with_unknown_field_is_rejected_at_start() {
    let path = temp_file(
        "bad-seed",
        r#"{"apps":[{"id":"a","keys":[],"users":[],"colour":"red"}]}"#,
    );
    let out = Command::new(BIN).arg("--seed").arg(&path).output().unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("colour"));
}

#[tokio::test]
async fn custom_seed_is_served() {
    let seed = json!({"apps": [{
        "id": "acme",
        "keys": [{"id": "k1", "secret": "s1"}],
        "users": [
            {"id": "aaaaaaaaaaaaaaaaaaaaaaaa", "externalId": "zed", "profile": {"givenName": "Zed"}, "metadata": {"plan": "pro"}},
            {}
        ]
    }]});
    let path = temp_file("seed", &seed.to_string());
    let emu = Emu::start_with(&["--seed", path.to_str().unwrap()]);
    let _ = std::fs::remove_file(&path);
    let api = common::Api::new(&emu.url, common::basic("k1", "s1"));
    let reply = api.get("/v2/apps/acme/users/zed").await;
    let user = &reply.assert_status(200)["user"];
    assert_eq!(user["id"], "aaaaaaaaaaaaaaaaaaaaaaaa");
    assert_eq!(user["profile"]["givenName"], "Zed");
    assert_eq!(user["metadata"]["plan"], "pro");
    emu.api()
        .get("/v2/apps/demo-app/users/alice")
        .await
        .assert_error(401, "unauthorized", "");
}

#[test]
fn first_stdout_line_is_the_url() {
    let emu = Emu::start_with(&["--host", "127.0.0.1"]);
    let port: u16 = emu.url.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0);
}
