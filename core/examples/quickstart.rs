//! Create a conversation, list with pagination, update, delete.
//!
//! Reads `SUNCO_*` from the environment; without them it talks to a local emulator
//! (`cargo run -p sunco-emulator -- --port 8091`) with the demo key.
//!
//! ```sh
//! SUNCO_BASE_URL=http://127.0.0.1:8091 cargo run -p sunco --example quickstart
//! ```

use futures_util::TryStreamExt;
use sunco::{
    Auth, Client, CreateConversation, ListConversations, Participant, Patch, UpdateConversation,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |k: &str, default: &str| std::env::var(k).unwrap_or_else(|_| default.to_owned());
    let client = if std::env::var("SUNCO_KEY_ID").is_ok() {
        Client::builder().from_env()?
    } else {
        Client::builder().auth(Auth::basic("demo-key", "demo-secret"))
    }
    .base_url(env("SUNCO_BASE_URL", "http://127.0.0.1:8091"))
    .user_agent_extra("quickstart")
    .build()?;
    let convs = client.conversations(env("SUNCO_APP_ID", "demo-app"));

    // Three group conversations for alice, so that listing with page size 2 needs two pages.
    let mut created = Vec::new();
    for i in 1..=3 {
        let body = CreateConversation::sdk_group()
            .participant(Participant::user_external_id("alice"))
            .display_name(format!("Rust demo {i}"))
            .metadata_entry("source", "quickstart");
        let c = convs.create(&body).await?;
        println!("created  {} ({}) {:?}", c.id, c.kind, c.display_name);
        created.push(c.id);
    }

    let mut pages = convs.pages(ListConversations::user_external_id("alice").size(2));
    let mut n = 0;
    while let Some(page) = pages.next_page().await? {
        n += 1;
        println!(
            "page {n}: {} conversations, has_more={}",
            page.conversations.len(),
            page.meta.has_more
        );
    }
    let all: Vec<_> = convs
        .stream(ListConversations::user_external_id("alice"))
        .try_collect()
        .await?;
    println!("alice has {} conversations in all", all.len());

    let updated = convs
        .update(
            &created[0],
            &UpdateConversation::new()
                .display_name("Renamed by the Rust demo")
                .metadata(Patch::Clear),
        )
        .await?;
    println!(
        "updated  {} -> {:?}, metadata {:?}",
        updated.id, updated.display_name, updated.metadata
    );

    for id in &created {
        convs.delete(id).await?;
    }
    println!("deleted  {} conversations", created.len());

    match convs.get(&created[0]).await {
        Err(e) if e.status() == Some(404) => println!(
            "get after delete: {} ({})",
            e.code().unwrap_or(""),
            e.status().unwrap_or(0)
        ),
        other => return Err(format!("expected a 404, got {other:?}").into()),
    }
    Ok(())
}
