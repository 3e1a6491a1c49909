//! Walking every page of a list, following `page[after]` cursors.

use futures_util::stream::{self, Stream, TryStreamExt};

use crate::conversations::Conversations;
use crate::error::{Error, Result};
use crate::models::{Conversation, ConversationPage, ListConversations};

/// Fetches pages one at a time, following `meta.afterCursor` until `meta.hasMore` is false.
///
/// A failed page can be fetched again by calling [`next_page`](Self::next_page) again.
#[derive(Debug, Clone)]
pub struct Paginator {
    conversations: Conversations,
    params: ListConversations,
    done: bool,
}

impl Paginator {
    pub(crate) fn new(conversations: Conversations, params: ListConversations) -> Self {
        Paginator {
            conversations,
            params,
            done: false,
        }
    }

    /// The next page, or `None` after the last one.
    pub async fn next_page(&mut self) -> Result<Option<ConversationPage>> {
        if self.done {
            return Ok(None);
        }
        let page = self.conversations.list(&self.params).await?;
        if !page.meta.has_more {
            self.done = true;
            return Ok(Some(page));
        }
        match &page.meta.after_cursor {
            Some(next) if Some(next) != self.params.page.after.as_ref() => {
                self.params.page.after = Some(next.clone());
                self.params.page.before = None;
                Ok(Some(page))
            }
            // A server that says "more" without a new cursor would make us loop forever.
            _ => {
                self.done = true;
                Err(Error::Decode {
                    status: 200,
                    message: "meta.hasMore is true but meta.afterCursor is missing or repeats the last cursor".into(),
                    excerpt: String::new(),
                })
            }
        }
    }

    /// Whether the last page has been returned.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Every conversation of every page, fetched lazily; drop the stream to stop early.
    pub fn into_stream(self) -> impl Stream<Item = Result<Conversation>> + Send + 'static {
        stream::try_unfold(self, |mut pager| async move {
            Ok(pager.next_page().await?.map(|page| (page, pager)))
        })
        .map_ok(|page| stream::iter(page.conversations.into_iter().map(Ok)))
        .try_flatten()
    }
}
