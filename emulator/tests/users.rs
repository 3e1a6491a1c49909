//! Black-box tests of the Users routes beyond create and get: list, update, delete, delete
//! personal information, sync, the `brandId` query, and the control endpoints that set the
//! fields the API only reads.

mod common;

use common::{Api, Emu, basic, id, is_timestamp};
use reqwest::Method;
use serde_json::{Value, json};

const USERS: &str = "/v2/apps/demo-app/users";
const CONVERSATIONS: &str = "/v2/apps/demo-app/conversations";

async fn create_user(api: &Api, body: Value) -> Value {
    api.post(USERS, &body).await.assert_status(201)["user"].clone()
}

// ---------------------------------------------------------------- list

#[tokio::test]
async fn list_users_matches_identity_emails_only() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    control
        .patch_user(
            "alice",
            json!({"identities": [{"type": "email", "value": "sue@example.org", "verification": "sso"}]}),
        )
        .await;
    control
        .patch_user(
            "bob",
            json!({"identities": [{"type": "phone", "value": "sue@example.org"}]}),
        )
        .await;
    // profile.email is not an identity.
    create_user(
        &api,
        json!({"externalId": "dave", "profile": {"email": "sue@example.org"}}),
    )
    .await;

    let reply = api
        .get(&format!("{USERS}?filter[identities.email]=SUE@example.org"))
        .await;
    let users = reply.assert_status(200)["users"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(users.len(), 1, "{}", reply.text);
    assert_eq!(users[0]["externalId"], "alice");
    assert_eq!(users[0]["identities"][0]["value"], "sue@example.org");
    assert!(reply.json.get("meta").is_none());

    // Percent-encoded brackets and `@` work too.
    let reply = api
        .get(&format!(
            "{USERS}?filter%5Bidentities.email%5D=sue%40example.org"
        ))
        .await;
    assert_eq!(
        reply.assert_status(200)["users"].as_array().unwrap().len(),
        1
    );

    let reply = api
        .get(&format!(
            "{USERS}?filter[identities.email]=nobody@example.org"
        ))
        .await;
    assert_eq!(reply.assert_status(200)["users"], json!([]));
}

#[tokio::test]
async fn list_users_needs_the_email_filter() {
    let emu = Emu::start();
    let api = emu.api();
    for query in [
        "",
        "?filter[externalId]=alice",
        "?filter[identities.email]=",
        "?filter[identities.email]=a@b&brandId=",
    ] {
        let field = if query.contains("brandId") {
            "brandId"
        } else {
            "filter[identities.email]"
        };
        api.get(&format!("{USERS}{query}"))
            .await
            .assert_error(400, "bad_request", field);
    }
}

#[tokio::test]
async fn brand_id_narrows_lookups_to_that_brand() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    let branded = create_user(&api, json!({"externalId": "eve", "brandId": "123"})).await;
    control
        .patch_user(
            "eve",
            json!({"identities": [{"type": "email", "value": "eve@example.org"}]}),
        )
        .await;

    api.get(&format!("{USERS}/eve?brandId=123"))
        .await
        .assert_status(200);
    api.get(&format!("{USERS}/eve")).await.assert_status(200);
    api.get(&format!("{USERS}/eve?brandId=999"))
        .await
        .assert_error(404, "user_not_found", "");
    api.get(&format!("{USERS}/alice?brandId=123"))
        .await
        .assert_error(404, "user_not_found", "");
    api.get(&format!("{USERS}/eve?brandId="))
        .await
        .assert_error(400, "bad_request", "brandId");

    let list =
        |brand: &str| format!("{USERS}?filter[identities.email]=eve@example.org&brandId={brand}");
    let reply = api.get(&list("123")).await;
    assert_eq!(reply.assert_status(200)["users"][0]["id"], branded["id"]);
    let reply = api.get(&list("999")).await;
    assert_eq!(reply.assert_status(200)["users"], json!([]));

    api.patch(&format!("{USERS}/eve?brandId=999"), &json!({}))
        .await
        .assert_error(404, "user_not_found", "");
    api.delete(&format!("{USERS}/eve/personalinformation?brandId=999"))
        .await
        .assert_error(404, "user_not_found", "");
    api.delete(&format!("{USERS}/eve?brandId=999"))
        .await
        .assert_error(404, "user_not_found", "");
    api.delete(&format!("{USERS}/eve?brandId=123"))
        .await
        .assert_status(200);
}

// ---------------------------------------------------------------- update

#[tokio::test]
async fn update_user_leaves_out_keeps_null_clears_value_sets() {
    let emu = Emu::start();
    let api = emu.api();
    let user = create_user(
        &api,
        json!({
            "externalId": "dave",
            "signedUpAt": "2020-05-21T15:53:30.197Z",
            "toBeRetained": false,
            "profile": {"givenName": "Dave", "surname": "Doe", "locale": "en", "nickname": "D"},
            "metadata": {"tier": 1, "plan": "free"},
        }),
    )
    .await;
    let path = format!("{USERS}/{}", id(&user));

    // Empty update: nothing changes.
    let reply = api.patch(&path, &json!({})).await;
    assert_eq!(reply.assert_status(200)["user"], user);

    let reply = api
        .patch(
            "/v2/apps/demo-app/users/dave",
            &json!({
                "signedUpAt": "2021-01-02T03:04:05+01:00",
                "toBeRetained": true,
                "profile": {"givenName": "David", "surname": null, "email": "d@example.org"},
                "metadata": {"tier": 2},
                // Not in userUpdateBody: ignored.
                "externalId": "someone-else",
            }),
        )
        .await;
    let updated = reply.assert_status(200)["user"].clone();
    assert_eq!(updated["id"], user["id"]);
    assert_eq!(updated["externalId"], "dave");
    assert_eq!(updated["signedUpAt"], "2021-01-02T02:04:05.000Z");
    assert_eq!(updated["toBeRetained"], true);
    assert_eq!(
        updated["profile"],
        json!({"givenName": "David", "locale": "en", "nickname": "D", "email": "d@example.org"})
    );
    assert_eq!(updated["metadata"], json!({"tier": 2}));
    assert_eq!(api.get(&path).await.assert_status(200)["user"], updated);

    // metadata: null empties it (the user's metadata is never null).
    let reply = api.patch(&path, &json!({"metadata": null})).await;
    assert_eq!(reply.assert_status(200)["user"]["metadata"], json!({}));
}

#[tokio::test]
async fn update_user_refuses_what_the_spec_forbids() {
    let emu = Emu::start();
    let api = emu.api();
    let path = format!("{USERS}/alice");
    let cases = [
        (json!({"signedUpAt": null}), "signedUpAt must be a string"),
        (
            json!({"signedUpAt": "yesterday"}),
            "signedUpAt must be an ISO 8601",
        ),
        (
            json!({"toBeRetained": null}),
            "toBeRetained must be a boolean",
        ),
        (
            json!({"toBeRetained": "yes"}),
            "toBeRetained must be a boolean",
        ),
        (json!({"profile": null}), "profile must be an object"),
        (json!({"profile": []}), "profile must be an object"),
        (
            json!({"profile": {"givenName": "x".repeat(129)}}),
            "profile.givenName must be between 1 and 128",
        ),
        (
            json!({"profile": {"surname": ""}}),
            "profile.surname must be between 1 and 128",
        ),
        (
            json!({"profile": {"email": "nope"}}),
            "profile.email must be an email",
        ),
        (
            json!({"profile": {"avatarUrl": "a.png"}}),
            "profile.avatarUrl must be an absolute URI",
        ),
        (
            json!({"profile": {"locale": "fr_CA"}}),
            "profile.locale must be a BCP 47",
        ),
        (json!({"metadata": "x"}), "metadata must be an object"),
        (
            json!({"metadata": {"a": {"b": 1}}}),
            "metadata must be flat",
        ),
        (
            json!({"metadata": {"a": "x".repeat(5000)}}),
            "metadata must not exceed 4096 bytes",
        ),
    ];
    for (body, title) in cases {
        api.patch(&path, &body)
            .await
            .assert_error(400, "bad_request", title);
    }
    api.patch(&format!("{USERS}/nobody"), &json!({}))
        .await
        .assert_error(404, "user_not_found", "User not found");
    // A body is required.
    let reply = common::Reply::read(
        api.request(Method::PATCH, &path)
            .header("content-type", "application/json")
            .send()
            .await
            .unwrap(),
    )
    .await;
    reply.assert_error(400, "bad_request", "Request body is required");
    // Nothing was changed by the refused requests.
    let alice = api.get(&path).await;
    assert_eq!(alice.assert_status(200)["user"]["profile"], json!({}));
    assert_eq!(alice.json["user"]["metadata"], json!({}));
}

// ---------------------------------------------------------------- delete

#[tokio::test]
async fn delete_user_by_id_or_external_id() {
    let emu = Emu::start();
    let api = emu.api();
    let dave = create_user(&api, json!({"externalId": "dave"})).await;
    let reply = api.delete(&format!("{USERS}/{}", id(&dave))).await;
    assert_eq!(reply.assert_status(200), &json!({}));
    api.get(&format!("{USERS}/{}", id(&dave)))
        .await
        .assert_error(404, "user_not_found", "");
    api.get(&format!("{USERS}/dave"))
        .await
        .assert_error(404, "user_not_found", "");
    // The external id is free again.
    create_user(&api, json!({"externalId": "dave"})).await;
    api.delete(&format!("{USERS}/dave"))
        .await
        .assert_status(200);
    api.delete(&format!("{USERS}/dave")).await.assert_error(
        404,
        "user_not_found",
        "User not found",
    );
}

#[tokio::test]
async fn deleting_a_user_takes_its_conversations_and_leaves_the_others() {
    let emu = Emu::start();
    let api = emu.api();
    let personal = api
        .create_conversation(
            &json!({"type": "personal", "participants": [{"userExternalId": "alice"}]}),
        )
        .await;
    let second = api
        .create_conversation(
            &json!({"type": "personal", "participants": [{"userExternalId": "alice"}]}),
        )
        .await;
    let group = api
        .create_conversation(&json!({"type": "sdkGroup", "participants": [
            {"userExternalId": "alice"}, {"userExternalId": "bob"}]}))
        .await;
    let bobs = api
        .create_conversation(
            &json!({"type": "personal", "participants": [{"userExternalId": "bob"}]}),
        )
        .await;

    api.delete(&format!("{USERS}/alice"))
        .await
        .assert_status(200);

    for gone in [&personal, &second] {
        api.get(&format!("{CONVERSATIONS}/{}", id(gone)))
            .await
            .assert_error(404, "conversation_not_found", "");
    }
    for kept in [&group, &bobs] {
        api.get(&format!("{CONVERSATIONS}/{}", id(kept)))
            .await
            .assert_status(200);
    }
    let reply = api
        .get(&format!("{CONVERSATIONS}?filter[userExternalId]=bob"))
        .await;
    assert_eq!(
        common::ids_of(reply.assert_status(200), "conversations"),
        vec![id(&group), id(&bobs)]
    );
    api.get(&format!("{CONVERSATIONS}?filter[userExternalId]=alice"))
        .await
        .assert_error(404, "user_not_found", "");
    api.get(&format!("{USERS}/bob")).await.assert_status(200);
}

// ---------------------------------------------------------------- personal information

#[tokio::test]
async fn delete_personal_information_clears_the_profile_and_keeps_the_user() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    let dave = create_user(
        &api,
        json!({
            "externalId": "dave",
            "profile": {"givenName": "Dave", "surname": "Doe", "email": "d@example.org",
                        "avatarUrl": "https://example.org/d.png", "locale": "en", "nickname": "D"},
            "metadata": {"tier": 1},
        }),
    )
    .await;
    let identities = json!([{"type": "email", "value": "d@example.org"}]);
    control
        .patch_user("dave", json!({"identities": identities}))
        .await;
    let conversation = api
        .create_conversation(
            &json!({"type": "personal", "participants": [{"userExternalId": "dave"}]}),
        )
        .await;

    let reply = api
        .delete(&format!("{USERS}/dave/personalinformation"))
        .await;
    let user = reply.assert_status(200)["user"].clone();
    assert_eq!(user["id"], dave["id"]);
    assert_eq!(user["externalId"], "dave");
    assert_eq!(user["signedUpAt"], dave["signedUpAt"]);
    assert_eq!(user["profile"], json!({}));
    assert_eq!(user["metadata"], json!({}));
    assert_eq!(user["identities"], identities);
    assert_eq!(
        api.get(&format!("{USERS}/{}", id(&dave))).await.json["user"],
        user
    );
    api.get(&format!("{CONVERSATIONS}/{}", id(&conversation)))
        .await
        .assert_status(200);

    api.delete(&format!("{USERS}/nobody/personalinformation"))
        .await
        .assert_error(404, "user_not_found", "");
}

// ---------------------------------------------------------------- sync

fn zendesk_user_path(zendesk_id: &str) -> String {
    format!("/_emulator/apps/demo-app/zendesk-users/{zendesk_id}")
}

#[tokio::test]
async fn sync_copies_the_core_zendesk_user() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    let alice = control
        .patch_user(
            "alice",
            json!({"zendeskId": "35436", "identities": [{"type": "email", "value": "old@example.org"}]}),
        )
        .await;
    assert_eq!(alice["zendeskId"], "35436");

    // No core record yet: the user comes back unchanged. The body is optional.
    let reply = api
        .send(Method::POST, &format!("{USERS}/35436/sync"), None)
        .await;
    assert_eq!(reply.assert_status(200)["user"], alice);

    let reply = control
        .send_json(
            Method::PUT,
            &zendesk_user_path("35436"),
            &json!({"externalId": "alice-zd", "givenName": "Alice", "surname": "Liddell",
                    "email": "alice@example.org"}),
        )
        .await;
    assert_eq!(reply.assert_status(200)["zendeskUser"]["id"], "35436");

    let reply = api.post(&format!("{USERS}/35436/sync"), &json!({})).await;
    let user = reply.assert_status(200)["user"].clone();
    assert_eq!(user["id"], alice["id"]);
    assert_eq!(user["externalId"], "alice-zd");
    assert_eq!(user["profile"]["givenName"], "Alice");
    assert_eq!(user["profile"]["surname"], "Liddell");
    assert!(user["profile"].get("email").is_none());
    assert_eq!(
        user["identities"],
        json!([{"type": "email", "value": "alice@example.org", "verification": "sso"}])
    );
    assert_eq!(
        api.get(&format!("{USERS}/alice-zd")).await.json["user"],
        user
    );
    api.get(&format!("{USERS}/alice"))
        .await
        .assert_error(404, "user_not_found", "");
}

#[tokio::test]
async fn sync_resolves_conflicts_by_merging_or_reassigning() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    let alice = api.user_id("alice").await;
    let bob = api.user_id("bob").await;
    control.patch_user("alice", json!({"zendeskId": "1"})).await;
    // carol holds the email and is linked to a Zendesk user: she only loses the identity.
    control
        .patch_user(
            "carol",
            json!({"zendeskId": "3", "identities": [{"type": "email", "value": "a@example.org"}]}),
        )
        .await;
    // bob holds the external id and is not linked: he is merged into alice.
    let bobs = api
        .create_conversation(
            &json!({"type": "sdkGroup", "participants": [{"userExternalId": "bob"}]}),
        )
        .await;
    control
        .send_json(
            Method::PUT,
            &zendesk_user_path("1"),
            &json!({"externalId": "bob", "email": "a@example.org"}),
        )
        .await
        .assert_status(200);

    let reply = api.post(&format!("{USERS}/1/sync"), &json!({})).await;
    let user = reply.assert_status(200)["user"].clone();
    assert_eq!(user["id"], alice.as_str());
    assert_eq!(user["externalId"], "bob");
    api.get(&format!("{USERS}/{bob}"))
        .await
        .assert_error(404, "user_not_found", "");
    let reply = api
        .get(&format!("{CONVERSATIONS}?filter[userId]={alice}"))
        .await;
    assert_eq!(
        common::ids_of(reply.assert_status(200), "conversations"),
        vec![id(&bobs)]
    );
    let carol = api.get(&format!("{USERS}/carol")).await;
    assert_eq!(carol.assert_status(200)["user"]["identities"], json!([]));
    assert_eq!(carol.json["user"]["zendeskId"], "3");
}

#[tokio::test]
async fn sync_with_a_surviving_zendesk_id_merges_or_relinks() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    let alice = api.user_id("alice").await;
    let bob = api.user_id("bob").await;
    control.patch_user("alice", json!({"zendeskId": "1"})).await;
    control.patch_user("bob", json!({"zendeskId": "2"})).await;
    let alices = api
        .create_conversation(&json!({"type": "sdkGroup", "participants": [{"userId": alice}]}))
        .await;

    // No messaging user is linked to 9: alice is relinked to it.
    let reply = api
        .post(
            &format!("{USERS}/1/sync"),
            &json!({"survivingZendeskId": "9"}),
        )
        .await;
    assert_eq!(reply.assert_status(200)["user"]["id"], alice.as_str());
    assert_eq!(reply.json["user"]["zendeskId"], "9");
    api.post(&format!("{USERS}/1/sync"), &json!({}))
        .await
        .assert_error(404, "user_not_found", "");

    // bob (2) survives a merge with alice (9): alice's conversations become his.
    let reply = api
        .post(
            &format!("{USERS}/9/sync"),
            &json!({"survivingZendeskId": "2"}),
        )
        .await;
    assert_eq!(reply.assert_status(200)["user"]["id"], bob.as_str());
    api.get(&format!("{USERS}/{alice}"))
        .await
        .assert_error(404, "user_not_found", "");
    let reply = api
        .get(&format!("{CONVERSATIONS}?filter[userId]={bob}"))
        .await;
    assert_eq!(
        common::ids_of(reply.assert_status(200), "conversations"),
        vec![id(&alices)]
    );
}

#[tokio::test]
async fn sync_errors() {
    let emu = Emu::start();
    let api = emu.api();
    api.post(&format!("{USERS}/404404/sync"), &json!({}))
        .await
        .assert_error(404, "user_not_found", "");
    emu.control()
        .patch_user("alice", json!({"zendeskId": "1"}))
        .await;
    for bad in [
        json!({"survivingZendeskId": 5}),
        json!({"survivingZendeskId": ""}),
    ] {
        api.post(&format!("{USERS}/1/sync"), &bad)
            .await
            .assert_error(400, "bad_request", "survivingZendeskId");
    }
    let reply = common::Reply::read(
        api.request(Method::POST, &format!("{USERS}/1/sync"))
            .header("content-type", "application/json")
            .body("[1]")
            .send()
            .await
            .unwrap(),
    )
    .await;
    reply.assert_error(400, "bad_request", "JSON object");
}

// ---------------------------------------------------------------- controls and plumbing

#[tokio::test]
async fn user_controls_validate_and_conflict() {
    let emu = Emu::start();
    let control = emu.control();
    let patch = |app: &str, user: &str| format!("/_emulator/apps/{app}/users/{user}");
    control
        .send_json(Method::PATCH, &patch("nope", "alice"), &json!({}))
        .await
        .assert_error(404, "app_not_found", "");
    control
        .send_json(Method::PATCH, &patch("demo-app", "ghost"), &json!({}))
        .await
        .assert_error(404, "user_not_found", "");
    for (body, field) in [
        (json!({"zendeskId": 5}), "zendeskId"),
        (json!({"identities": {}}), "identities"),
        (json!({"identities": [{"value": "x"}]}), "identities[].type"),
        (
            json!({"identities": [{"type": "email", "value": "nope"}]}),
            "identities[].value",
        ),
        (json!({"authenticated": "yes"}), "authenticated"),
    ] {
        control
            .send_json(Method::PATCH, &patch("demo-app", "alice"), &body)
            .await
            .assert_error(400, "bad_request", field);
    }
    let alice = control
        .patch_user("alice", json!({"zendeskId": "7", "authenticated": true}))
        .await;
    assert_eq!(alice["authenticated"], true);
    control
        .send_json(
            Method::PATCH,
            &patch("demo-app", "bob"),
            &json!({"zendeskId": "7"}),
        )
        .await
        .assert_error(409, "conflict", "zendeskId");
    let alice = control
        .patch_user("alice", json!({"zendeskId": null, "authenticated": null}))
        .await;
    assert!(alice.get("zendeskId").is_none() && alice.get("authenticated").is_none());
    control
        .send_json(
            Method::PUT,
            &zendesk_user_path("1"),
            &json!({"email": "nope"}),
        )
        .await
        .assert_error(400, "bad_request", "email");
    control
        .send_json(
            Method::PUT,
            "/_emulator/apps/nope/zendesk-users/1",
            &json!({}),
        )
        .await
        .assert_error(404, "app_not_found", "");
    // Control requests are not logged.
    assert!(control.requests().await.is_empty());
}

#[tokio::test]
async fn user_routes_check_auth_and_app_first_and_are_logged() {
    let emu = Emu::start();
    let api = emu.api();
    let anonymous = api.with_auth(None);
    let other = api.with_auth(Some(basic("other-key", "other-secret")));
    let routes = [
        (Method::GET, format!("{USERS}?filter[identities.email]=a@b")),
        (Method::PATCH, format!("{USERS}/alice")),
        (Method::DELETE, format!("{USERS}/alice")),
        (Method::DELETE, format!("{USERS}/alice/personalinformation")),
        (Method::POST, format!("{USERS}/1/sync")),
    ];
    for (method, path) in &routes {
        let body = (*method != Method::GET && *method != Method::DELETE).then(|| json!({}));
        anonymous
            .send(method.clone(), path, body.as_ref())
            .await
            .assert_error(401, "unauthorized", "");
        other
            .send(method.clone(), path, body.as_ref())
            .await
            .assert_error(403, "forbidden", "");
        let elsewhere = path.replace("demo-app", "no-such-app");
        api.send(method.clone(), &elsewhere, body.as_ref())
            .await
            .assert_error(404, "app_not_found", "");
    }
    let logged = emu.control().requests().await;
    assert_eq!(logged.len(), routes.len() * 3);
    assert_eq!(logged[0]["path"], "/v2/apps/demo-app/users");
    // The users are still there.
    api.get(&format!("{USERS}/alice")).await.assert_status(200);
}

#[tokio::test]
async fn faults_apply_to_user_routes() {
    let emu = Emu::start();
    let api = emu.api();
    emu.control()
        .faults(json!({"method": "PATCH", "path": "/v2/apps/*/users/*",
                       "action": {"type": "status", "status": 503}}))
        .await
        .assert_status(200);
    api.patch(&format!("{USERS}/alice"), &json!({"metadata": {"a": 1}}))
        .await
        .assert_error(503, "service_unavailable", "");
    // The fault answered instead of the route: nothing changed.
    let alice = api.get(&format!("{USERS}/alice")).await;
    assert_eq!(alice.assert_status(200)["user"]["metadata"], json!({}));
    let reply = api
        .patch(&format!("{USERS}/alice"), &json!({"metadata": {"a": 1}}))
        .await;
    assert_eq!(
        reply.assert_status(200)["user"]["metadata"],
        json!({"a": 1})
    );
    assert!(is_timestamp(
        reply.json["user"]["signedUpAt"].as_str().unwrap()
    ));
}
