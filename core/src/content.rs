//! Message content without writing JSON by hand: small constructors on the generated types.
//!
//! ```
//! use sunco::types::{Action, ActionSubset, Content, Item, MessagePost};
//!
//! // A text with two quick replies, from the business.
//! let hello = MessagePost::business(
//!     Content::text("How can we help?")
//!         .with_action(Action::reply("Billing", "billing"))
//!         .with_action(Action::reply("An agent, please", "agent")),
//! );
//! assert_eq!(serde_json::to_value(&hello).unwrap()["content"]["actions"][1]["type"], "reply");
//!
//! // A carousel of two items, each with a postback button.
//! let plans = Content::carousel([
//!     Item::new("Basic".into(), vec![ActionSubset::postback("Choose", "plan:basic")]),
//!     Item::new("Pro".into(), vec![])
//!         .with_description("For teams")
//!         .with_action(ActionSubset::link("Compare", "https://example.com/plans")),
//! ]);
//! assert_eq!(plans.tag(), Some("carousel"));
//! ```

use crate::types::{
    Action, ActionSubset, Author, AuthorType, CarouselMessage, Content, FileMessage, ImageMessage,
    Item, Link, MessagePost, Postback, Reply, TextMessage,
};

impl MessagePost {
    /// A message from the business (`author.type: business`).
    pub fn business(content: impl Into<Content>) -> Self {
        MessagePost::new(Author::new(AuthorType::Business), content.into())
    }

    /// A message on behalf of the user with this id (`author.type: user`, `author.userId`).
    pub fn from_user(user_id: impl Into<String>, content: impl Into<Content>) -> Self {
        let mut author = Author::new(AuthorType::User);
        author.user_id = Some(user_id.into());
        MessagePost::new(author, content.into())
    }
}

impl Content {
    /// `type: text`.
    pub fn text(text: impl Into<String>) -> Self {
        Content::Text(TextMessage {
            text: Some(text.into()),
            ..Default::default()
        })
    }

    /// `type: image`, from a URL (such as an uploaded attachment's `mediaUrl`).
    pub fn image(media_url: impl Into<String>) -> Self {
        Content::Image(ImageMessage::new(media_url.into()))
    }

    /// `type: file`, from a URL (such as an uploaded attachment's `mediaUrl`).
    pub fn file(media_url: impl Into<String>) -> Self {
        Content::File(FileMessage::new(media_url.into()))
    }

    /// `type: carousel`, of these items (the API takes 1 to 10).
    pub fn carousel(items: impl IntoIterator<Item = Item>) -> Self {
        Content::Carousel(CarouselMessage::new(items.into_iter().collect()))
    }

    /// This content with one more action: on `text`, `image` and `file` content; other
    /// types are returned unchanged (their actions live on their items).
    pub fn with_action(mut self, action: Action) -> Self {
        match &mut self {
            Content::Text(m) => m.actions.get_or_insert_with(Vec::new).push(action),
            Content::Image(m) => m.actions.get_or_insert_with(Vec::new).push(action),
            _ => {}
        }
        self
    }
}

impl Item {
    /// This item with a description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// This item with an image.
    pub fn with_media_url(mut self, media_url: impl Into<String>) -> Self {
        self.media_url = Some(media_url.into());
        self
    }

    /// This item with one more action.
    pub fn with_action(mut self, action: ActionSubset) -> Self {
        self.actions.push(action);
        self
    }
}

impl Action {
    /// A quick reply: a button that sends `text` back as the user's message, with `payload`.
    pub fn reply(text: impl Into<String>, payload: impl Into<String>) -> Self {
        Action::Reply(Reply::new(text.into(), payload.into()))
    }

    /// A button that sends a `conversation:postback` webhook with `payload`.
    pub fn postback(text: impl Into<String>, payload: impl Into<String>) -> Self {
        Action::Postback(Postback::new(text.into(), payload.into()))
    }

    /// A button that opens `uri`.
    pub fn link(text: impl Into<String>, uri: impl Into<String>) -> Self {
        Action::Link(Link::new(uri.into(), text.into()))
    }
}

impl ActionSubset {
    /// A button that sends a `conversation:postback` webhook with `payload`.
    pub fn postback(text: impl Into<String>, payload: impl Into<String>) -> Self {
        ActionSubset::Postback(Postback::new(text.into(), payload.into()))
    }

    /// A button that opens `uri`.
    pub fn link(text: impl Into<String>, uri: impl Into<String>) -> Self {
        ActionSubset::Link(Link::new(uri.into(), text.into()))
    }
}

impl From<TextMessage> for Content {
    fn from(m: TextMessage) -> Self {
        Content::Text(m)
    }
}

impl From<ImageMessage> for Content {
    fn from(m: ImageMessage) -> Self {
        Content::Image(m)
    }
}

impl From<FileMessage> for Content {
    fn from(m: FileMessage) -> Self {
        Content::File(m)
    }
}

impl From<CarouselMessage> for Content {
    fn from(m: CarouselMessage) -> Self {
        Content::Carousel(m)
    }
}

impl From<&str> for Content {
    /// A text message.
    fn from(text: &str) -> Self {
        Content::text(text)
    }
}

impl From<String> for Content {
    /// A text message.
    fn from(text: String) -> Self {
        Content::text(text)
    }
}
