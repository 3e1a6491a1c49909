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

#[tokio::test]
async fn seeded_integrations_keys_webhooks_and_switchboard_are_served_and_come_back_on_reset() {
    let seed = json!({"apps": [{
        "id": "acme",
        "keys": [{"id": "k1", "secret": "s1"}],
        "users": [{"externalId": "zed"}],
        "integrations": [{
            "id": "bbbbbbbbbbbbbbbbbbbbbbbb", "type": "custom", "displayName": "Bot",
            "webhooks": [{"target": "https://bot.example/hook", "triggers": ["conversation:message"]}],
            "keys": [{"id": "int_bot", "secret": "bot-secret"}]
        }],
        "switchboard": {"integrations": [
            {"name": "bot", "integrationId": "bbbbbbbbbbbbbbbbbbbbbbbb", "default": true},
            {"name": "agent", "integrationType": "zd:agentWorkspace", "deliverStandbyEvents": false}
        ]}
    }]});
    let path = temp_file("seed-integrations", &seed.to_string());
    let emu = Emu::start_with(&["--seed", path.to_str().unwrap()]);
    let _ = std::fs::remove_file(&path);
    let api = common::Api::new(&emu.url, common::basic("k1", "s1"));
    let integration = api
        .get("/v2/apps/acme/integrations/bbbbbbbbbbbbbbbbbbbbbbbb")
        .await
        .assert_status(200)["integration"]
        .clone();
    assert_eq!(integration["type"], "custom");
    assert_eq!(integration["displayName"], "Bot");
    let hook = &integration["webhooks"][0];
    assert_eq!(hook["target"], "https://bot.example/hook");
    assert_eq!(hook["secret"].as_str().unwrap().len(), 32);
    // The integration's key authenticates with integration scope.
    let bot = common::Api::new(&emu.url, common::basic("int_bot", "bot-secret"));
    let reply = bot.get("/v2/apps/acme/integrations/me/webhooks").await;
    assert_eq!(reply.assert_status(200)["webhooks"][0]["id"], hook["id"]);
    bot.get("/v2/apps/acme/integrations")
        .await
        .assert_error(403, "forbidden", "");
    // The switchboard is enabled (it has a default), and its default takes new conversations.
    let reply = api.get("/v2/apps/acme/switchboards").await;
    let switchboard = reply.assert_status(200)["switchboards"][0].clone();
    assert_eq!(switchboard["enabled"], true);
    let switchboard_id = switchboard["id"].as_str().unwrap();
    let reply = api
        .get(&format!(
            "/v2/apps/acme/switchboards/{switchboard_id}/switchboardIntegrations"
        ))
        .await;
    let linked = reply.assert_status(200)["switchboardIntegrations"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(linked.len(), 2);
    let default = linked.iter().find(|s| s["name"] == "bot").unwrap();
    assert_eq!(
        switchboard["defaultSwitchboardIntegrationId"],
        default["id"]
    );
    assert_eq!(default["integrationId"], "bbbbbbbbbbbbbbbbbbbbbbbb");
    assert_eq!(default["integrationType"], "custom");
    let agent = linked.iter().find(|s| s["name"] == "agent").unwrap();
    assert_eq!(agent["integrationType"], "zd:agentWorkspace");
    assert_eq!(agent["deliverStandbyEvents"], false);
    let conversation = api
        .post(
            "/v2/apps/acme/conversations",
            &json!({"type": "personal", "participants": [{"userExternalId": "zed"}]}),
        )
        .await
        .assert_status(201)["conversation"]
        .clone();
    assert_eq!(
        conversation["activeSwitchboardIntegration"]["id"],
        default["id"]
    );
    // Deleting the integration takes its key and switchboard integration; reset restores all.
    api.patch(
        &format!("/v2/apps/acme/switchboards/{switchboard_id}"),
        &json!({"enabled": false}),
    )
    .await
    .assert_status(200);
    api.delete("/v2/apps/acme/integrations/bbbbbbbbbbbbbbbbbbbbbbbb")
        .await
        .assert_status(200);
    bot.get("/v2/apps/acme/integrations/me/webhooks")
        .await
        .assert_error(401, "unauthorized", "");
    emu.control()
        .send(reqwest::Method::POST, "/_emulator/reset")
        .await
        .assert_status(200);
    let reply = bot.get("/v2/apps/acme/integrations/me/webhooks").await;
    assert_eq!(reply.assert_status(200)["webhooks"][0]["id"], hook["id"]);
    let reply = api.get("/v2/apps/acme/switchboards").await;
    assert_eq!(reply.assert_status(200)["switchboards"][0], switchboard);
}

#[test]
fn seeded_integrations_and_switchboards_are_checked_at_start() {
    let cases = [
        (json!([{"type": "web"}]), json!(null), "type must be custom"),
        (
            json!([{"type": "custom", "webhooks": [{"target": "ftp://x", "triggers": ["conversation:message"]}]}]),
            json!(null),
            "webhook 0",
        ),
        (
            json!([{"type": "custom", "webhooks": [{"target": "https://x/", "triggers": ["conversation:message"], "secret": "s"}]}]),
            json!(null),
            "unknown field \"secret\"",
        ),
        (
            json!([{"type": "custom", "keys": [{"id": "k1", "secret": "again"}]}]),
            json!(null),
            "duplicate key id",
        ),
        (
            json!([]),
            json!({"integrations": [{"name": "bot", "integrationId": "bbbbbbbbbbbbbbbbbbbbbbbb"}]}),
            "not a seeded integration",
        ),
        (
            json!([]),
            json!({"enabled": true, "integrations": [{"name": "a", "integrationType": "zd:answerBot"}]}),
            "needs a default",
        ),
        (
            json!([]),
            json!({"integrations": [{"name": "a b", "integrationType": "zd:answerBot"}]}),
            "letters, digits",
        ),
        (
            json!([]),
            json!({"integrations": [{"name": "a", "integrationType": "web"}]}),
            "not custom or a channel",
        ),
    ];
    for (i, (integrations, switchboard, message)) in cases.into_iter().enumerate() {
        let mut app = json!({"id": "acme", "keys": [{"id": "k1", "secret": "s1"}],
                             "integrations": integrations});
        if !switchboard.is_null() {
            app["switchboard"] = switchboard;
        }
        let path = temp_file(
            &format!("bad-integrations-{i}"),
            &json!({"apps": [app]}).to_string(),
        );
        let out = Command::new(BIN).arg("--seed").arg(&path).output().unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(out.status.code(), Some(2), "case {i}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "case {i}: {stderr}");
    }
}
