//! The Integrations API: the channels (web, android, whatsapp, ...) and custom integrations of
//! an app.

use crate::error::ApiError;

/// The channel types of the spec's `integration` discriminator (every type but `custom`).
pub(crate) const CHANNELS: [&str; 15] = [
    "android",
    "apple",
    "instagram",
    "ios",
    "line",
    "mailgun",
    "messagebird",
    "messenger",
    "telegram",
    "twilio",
    "twitter",
    "unity",
    "viber",
    "web",
    "whatsapp",
];

/// True for a channel type (an integration that cannot respond through a switchboard).
pub(crate) fn is_channel(kind: &str) -> bool {
    CHANNELS.contains(&kind)
}

pub(crate) fn integration_not_found() -> ApiError {
    ApiError::not_found("integration_not_found", "Integration not found")
}
