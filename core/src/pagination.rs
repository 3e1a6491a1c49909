//! Walking every page of a list, forward along `page[after]` or backward along `page[before]`.

use futures_util::stream::{self, Stream, TryStreamExt};

use crate::conversations::{Conversations, JsonObject};
use crate::error::{Error, Result};
use crate::models::{Conversation, ConversationPage, ListConversations, PageMeta};

/// Which way a walk goes, fixed by its first request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Along `meta.afterCursor` (the default, and when starting from `page.after`).
    Forward,
    /// Along `meta.beforeCursor` (when starting from `page.before`).
    Backward,
}

/// Where a walk goes after a page with this `meta`: `None` when it is over (`hasMore` is false
/// for the direction walked), else the cursor of the next page. A server that says "more"
/// without a new cursor is an error, since following it would loop forever.
pub(crate) fn next_cursor<'m>(
    direction: Direction,
    meta: &'m PageMeta,
    current: Option<&str>,
) -> Result<Option<&'m str>> {
    if !meta.has_more {
        return Ok(None);
    }
    let (next, name) = match direction {
        Direction::Forward => (meta.after_cursor.as_deref(), "afterCursor"),
        Direction::Backward => (meta.before_cursor.as_deref(), "beforeCursor"),
    };
    match next {
        Some(next) if Some(next) != current => Ok(Some(next)),
        _ => Err(Error::Decode {
            status: 200,
            message: format!(
                "meta.hasMore is true but meta.{name} is missing or repeats the last cursor"
            ),
            excerpt: String::new(),
        }),
    }
}

/// Fetches pages one at a time. A walk that starts without a cursor or from `page.after`
/// goes forward, following `meta.afterCursor`; one that starts from `page.before` goes
/// backward, following `meta.beforeCursor`. Either stops when `meta.hasMore` is false
/// (the API sets it for the direction being walked).
///
/// A failed page can be fetched again by calling [`next_page`](Self::next_page) again.
#[derive(Debug, Clone)]
pub struct Paginator {
    conversations: Conversations,
    params: ListConversations,
    direction: Direction,
    done: bool,
}

impl Paginator {
    pub(crate) fn new(conversations: Conversations, params: ListConversations) -> Self {
        let direction = if params.page.before.is_some() {
            Direction::Backward
        } else {
            Direction::Forward
        };
        Paginator {
            conversations,
            params,
            direction,
            done: false,
        }
    }

    /// The direction of this walk.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The next page, or `None` after the last one.
    pub async fn next_page(&mut self) -> Result<Option<ConversationPage>> {
        if self.done {
            return Ok(None);
        }
        let page = self.conversations.list(&self.params).await?;
        self.advance(&page.meta)?;
        Ok(Some(page))
    }

    /// [`next_page`](Self::next_page), answering the page exactly as the server sent it.
    pub async fn next_page_json(&mut self) -> Result<Option<JsonObject>> {
        if self.done {
            return Ok(None);
        }
        let page = self.conversations.list_json(&self.params).await?;
        // Like `list()`, a page without `meta` is a last page.
        let meta = match page.get("meta") {
            None | Some(serde_json::Value::Null) => Ok(PageMeta::default()),
            Some(meta) => serde_json::from_value(meta.clone()),
        };
        let meta: PageMeta = meta.map_err(|e| {
            self.done = true;
            Error::Decode {
                status: 200,
                message: format!("the page's meta is not as documented: {e}"),
                excerpt: String::new(),
            }
        })?;
        self.advance(&meta)?;
        Ok(Some(page))
    }

    /// Moves the cursor past the page just received, or ends the walk.
    fn advance(&mut self, meta: &PageMeta) -> Result<()> {
        let page = &mut self.params.page;
        let current = match self.direction {
            Direction::Forward => &mut page.after,
            Direction::Backward => &mut page.before,
        };
        match next_cursor(self.direction, meta, current.as_deref()) {
            Ok(Some(next)) => {
                *current = Some(next.to_owned());
                Ok(())
            }
            Ok(None) => {
                self.done = true;
                Ok(())
            }
            Err(e) => {
                self.done = true;
                Err(e)
            }
        }
    }

    /// Whether the last page has been returned.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Every conversation of every page, fetched lazily; drop the stream to stop early.
    /// Pages come in walk order; records keep the server's order within each page.
    pub fn into_stream(self) -> impl Stream<Item = Result<Conversation>> + Send + 'static {
        stream::try_unfold(self, |mut pager| async move {
            Ok(pager.next_page().await?.map(|page| (page, pager)))
        })
        .map_ok(|page| stream::iter(page.conversations.into_iter().map(Ok)))
        .try_flatten()
    }
}
