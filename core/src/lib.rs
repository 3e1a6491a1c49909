//! # sunco
//!
//! A fast, dependable client for the [Sunshine Conversations v2 API](https://developer.zendesk.com/api-reference/conversations/)
//! (Zendesk messaging): async on tokio, rustls only, with validation before sending,
//! retries with backoff, cursor pagination as a `Stream`, and one error type.
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! use sunco::{Auth, Client, CreateConversation, ListConversations, Participant, UpdateConversation, Patch};
//!
//! # #[tokio::main] async fn main() -> sunco::Result<()> {
//! let client = Client::builder()
//!     .base_url("http://127.0.0.1:8080") // the local emulator; Region::Us / Region::Eu / subdomain() for real
//!     .auth(Auth::basic("demo-key", "demo-secret"))
//!     .build()?;
//! let convs = client.conversations("demo-app");
//!
//! let conv = convs
//!     .create(&CreateConversation::sdk_group()
//!         .participant(Participant::user_external_id("alice"))
//!         .display_name("Support"))
//!     .await?;
//!
//! let mut all = std::pin::pin!(convs.stream(ListConversations::user_external_id("alice").size(50)));
//! while let Some(c) = all.try_next().await? {
//!     println!("{} {}", c.id, c.kind);
//! }
//!
//! // Tri-state update: set one field, clear another, leave the rest alone.
//! convs.update(&conv.id, &UpdateConversation::new().display_name("Billing").description(Patch::Clear)).await?;
//! convs.delete(&conv.id).await?;
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

mod attachments;
mod auth;
mod body;
mod client;
mod config;
mod content;
#[doc = include_str!("guide.md")]
pub mod guide {}
mod conversations;
mod error;
mod http;
pub mod json;
mod models;
mod operation;
mod operations;
mod pagination;
mod patch;
mod paths;
mod resources;
pub mod retry;
mod schema;
mod schemas;
mod typed;
pub mod types;
pub mod validation;
pub mod webhooks;
mod wire;

pub use attachments::{UPLOAD_MAX_BYTES, Upload};
pub use auth::{Auth, JwtScope, Secret};
pub use client::Client;
pub use config::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT,
    EU_BASE_URL, Region, US_BASE_URL,
};
pub use conversations::{Conversations, JsonObject};
pub use error::{ApiError, ApiErrorDetail, Error, Result, TransportKind, WebhookError};
pub use models::{
    AppleMessageRef, Conversation, ConversationFilter, ConversationPage, ConversationType,
    CreateConversation, DownloadMessageRef, Extra, InteractiveDataRef, ListConversations, Metadata,
    MetadataValue, PageLinks, PageMeta, PageRequest, Participant, SwitchboardIntegration,
    UpdateConversation,
};
pub use operation::{
    Body, BodyKind, CallArgs, Key, KeyType, Operation, OperationPages, Query, QueryStyle,
};
pub use operations::OPERATIONS;
pub use pagination::{Direction, Paginator};
pub use patch::Patch;
pub use resources::*;
pub use retry::RetryPolicy;
pub use typed::ListPages;

/// The version of this crate.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
