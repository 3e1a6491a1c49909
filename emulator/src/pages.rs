//! Cursor pagination shared by the list routes: the `page[after]` / `page[before]` /
//! `page[size]` query, and the `meta` and `links` of an answer.

use axum::http::{HeaderMap, header};
use serde::Serialize;

use crate::error::ApiError;
use crate::query::percent_encode;
use crate::state::Shared;
use crate::store::{Cursor, Page};

/// Largest `page[size]`.
pub(crate) const MAX_SIZE: usize = 100;

/// The `page[...]` part of a list query.
#[derive(Debug, Default)]
pub(crate) struct PageQuery {
    /// `page[size]`, if given (checked to be 1..=100).
    pub(crate) size: Option<usize>,
    pub(crate) after: Option<String>,
    pub(crate) before: Option<String>,
}

impl PageQuery {
    /// Where the page starts; `first` when no cursor is given.
    pub(crate) fn cursor(&self, first: Cursor<'static>) -> Cursor<'_> {
        match (&self.after, &self.before) {
            (Some(after), _) => Cursor::After(after),
            (_, Some(before)) => Cursor::Before(before),
            _ => first,
        }
    }
}

/// 400 `bad_request` "Invalid page query parameters: ...".
pub(crate) fn page_error(detail: &str) -> ApiError {
    ApiError::bad_request(format!("Invalid page query parameters: {detail}"))
}

/// Reads `page[size]` (unless `sized` is false: then it is ignored, as `ListMessages` does),
/// `page[after]` and `page[before]` from decoded query pairs; other keys are left to the caller.
pub(crate) fn parse(pairs: &[(String, String)], sized: bool) -> Result<PageQuery, ApiError> {
    parse_cursors(pairs, sized, &|_| false)
}

/// [`parse`] for `ListApps`, whose seeded apps may have any id: a cursor is 24 characters, as
/// the spec's `page` schema says, or else one of the ids `also` accepts (the seed's app ids,
/// which the list's own links carry).
pub(crate) fn parse_app_cursor(
    pairs: &[(String, String)],
    also: &dyn Fn(&str) -> bool,
) -> Result<PageQuery, ApiError> {
    parse_cursors(pairs, true, also)
}

fn parse_cursors(
    pairs: &[(String, String)],
    sized: bool,
    also: &dyn Fn(&str) -> bool,
) -> Result<PageQuery, ApiError> {
    let (mut size, mut after, mut before) = (None, None, None);
    for (key, value) in pairs {
        match key.as_str() {
            "page[size]" if sized => size = Some(value.clone()),
            "page[after]" => after = Some(value.clone()),
            "page[before]" => before = Some(value.clone()),
            _ => {}
        }
    }
    let size = match size {
        None => None,
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=MAX_SIZE).contains(&n) && s.bytes().all(|b| b.is_ascii_digit()) => {
                Some(n)
            }
            _ => {
                return Err(page_error(&format!(
                    "page[size] must be an integer between 1 and {MAX_SIZE}"
                )));
            }
        },
    };
    if after.is_some() && before.is_some() {
        return Err(page_error(
            "page[after] and page[before] cannot be combined",
        ));
    }
    for (name, cursor) in [("page[after]", &after), ("page[before]", &before)] {
        if let Some(cursor) = cursor
            && cursor.chars().count() != 24
            && !also(cursor)
        {
            return Err(page_error(&format!(
                "{name} must be a 24-character record id"
            )));
        }
    }
    Ok(PageQuery {
        size,
        after,
        before,
    })
}

/// `http://<Host>` of the request, or of the listening address without a `Host` header.
pub(crate) fn origin(headers: &HeaderMap, state: &Shared) -> String {
    match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        Some(host) if !host.is_empty() => format!("http://{host}"),
        _ => format!("http://{}", state.local_addr),
    }
}

/// The `meta` of a list answer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Meta {
    pub(crate) has_more: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) after_cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) before_cursor: Option<String>,
}

/// The `links` of a list answer.
#[derive(Debug, Serialize)]
pub(crate) struct Links {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) next: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) prev: Option<String>,
}

/// `meta` and `links` for `page`, reached through `cursor`.
///
/// `hasMore` tells whether records exist further in the direction of travel (earlier ones for
/// `page[before]` and for a walk that starts at the end, later ones otherwise); `afterCursor` and
/// `links.next` are given when later records exist, `beforeCursor` and `links.prev` when earlier
/// ones do. `base` is the absolute URL of the list with its fixed query (`?filter[..]=..`), or
/// none; `size` is added to links as `page[size]` when given.
pub(crate) fn meta_and_links(
    page: &Page,
    cursor: Cursor<'_>,
    base: &str,
    size: Option<usize>,
) -> (Meta, Links) {
    let has_more = match cursor {
        Cursor::Before(_) | Cursor::Last => page.more_before,
        Cursor::First | Cursor::After(_) => page.more_after,
    };
    let after_cursor = page.ids.last().filter(|_| page.more_after).cloned();
    let before_cursor = page.ids.first().filter(|_| page.more_before).cloned();
    let separator = if base.contains('?') { '&' } else { '?' };
    let link = |direction: &str, cursor: &str| {
        let mut link = format!(
            "{base}{separator}page[{direction}]={}",
            percent_encode(cursor)
        );
        if let Some(size) = size {
            link.push_str(&format!("&page[size]={size}"));
        }
        link
    };
    let links = Links {
        next: after_cursor.as_deref().map(|c| link("after", c)),
        prev: before_cursor.as_deref().map(|c| link("before", c)),
    };
    (
        Meta {
            has_more,
            after_cursor,
            before_cursor,
        },
        links,
    )
}
