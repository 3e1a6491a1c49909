//! Request paths and query strings: every id percent-encoded, queries in deepObject style.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::models::ListConversations;

/// Everything but RFC 3986 unreserved characters is encoded, so an id can never add a
/// path separator, a query, a fragment or an escape of its own.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment or query value.
pub(crate) fn encode(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// The query of `listConversations`: `filter[...]`, then `page[after|before]`, then `page[size]`.
pub(crate) fn list_query(params: &ListConversations) -> String {
    let f = &params.filter;
    let p = &params.page;
    let pairs = [
        ("filter[userId]", f.user_id.clone()),
        ("filter[userExternalId]", f.user_external_id.clone()),
        ("page[after]", p.after.clone()),
        ("page[before]", p.before.clone()),
        ("page[size]", p.size.map(|s| s.to_string())),
    ];
    let mut out = String::new();
    for (key, value) in pairs {
        if let Some(v) = value {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(key);
            out.push('=');
            out.push_str(&encode(&v));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Result;

    /// The path of `GetConversation` from its descriptor, as every conversation call builds it.
    fn conversation(app_id: &str, conversation_id: &str) -> Result<String> {
        let op = crate::Operation::find("GetConversation").unwrap();
        let mut args = serde_json::Map::new();
        args.insert("appId".into(), app_id.into());
        args.insert("conversationId".into(), conversation_id.into());
        crate::operation::build_path_for(op, &args)
    }

    #[test]
    fn hostile_ids_stay_one_segment() {
        assert_eq!(
            conversation("app", "../x").unwrap(),
            "/v2/apps/app/conversations/..%2Fx"
        );
        assert_eq!(
            conversation("app", "a/b?c=d").unwrap(),
            "/v2/apps/app/conversations/a%2Fb%3Fc%3Dd"
        );
        assert_eq!(
            conversation("app", "%2e%2e").unwrap(),
            "/v2/apps/app/conversations/%252e%252e"
        );
        assert_eq!(
            conversation("a#p p", "é").unwrap(),
            "/v2/apps/a%23p%20p/conversations/%C3%A9"
        );
        assert!(conversation("", "x").is_err());
        assert!(conversation("a", "").is_err());
        assert!(conversation("a", "..").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Any id is refused with a validation error naming it, or becomes exactly one
        /// segment that decodes back to the id: it can never change the path.
        #[test]
        fn any_id_is_one_segment_or_refused(app in "\\PC{0,40}", id in "(\\PC|[/?#%.]){0,40}") {
            match conversation(&app, &id) {
                Ok(path) => {
                    let segments: Vec<&str> = path.split('/').collect();
                    proptest::prop_assert_eq!(segments.len(), 6, "{}", path);
                    let decode = |s: &str| {
                        percent_encoding::percent_decode_str(s).decode_utf8().unwrap().into_owned()
                    };
                    proptest::prop_assert_eq!(decode(segments[3]), app);
                    proptest::prop_assert_eq!(decode(segments[5]), id);
                    proptest::prop_assert!(path.bytes().all(|b| b.is_ascii_graphic()));
                }
                Err(crate::Error::Validation { field, .. }) => {
                    proptest::prop_assert!(field == "appId" || field == "conversationId");
                }
                Err(other) => proptest::prop_assert!(false, "{other:?}"),
            }
        }

        /// Filter values never leak into another query parameter.
        #[test]
        fn any_filter_stays_one_value(v in "(\\PC|[&=\\[\\]%+ ]){1,40}") {
            let q = list_query(&ListConversations::user_external_id(v.clone()).size(5));
            let pairs: Vec<&str> = q.split('&').collect();
            proptest::prop_assert_eq!(pairs.len(), 2);
            let value = pairs[0].strip_prefix("filter[userExternalId]=").unwrap();
            let decoded = percent_encoding::percent_decode_str(value).decode_utf8().unwrap();
            proptest::prop_assert_eq!(decoded, v);
        }
    }

    #[test]
    fn deep_object_query() {
        let q = list_query(
            &ListConversations::user_id("u 1&x=y")
                .after("c".repeat(24))
                .size(10),
        );
        assert_eq!(
            q,
            format!(
                "filter[userId]=u%201%26x%3Dy&page[after]={}&page[size]=10",
                "c".repeat(24)
            )
        );
        assert_eq!(
            list_query(&ListConversations::user_external_id("alice")),
            "filter[userExternalId]=alice"
        );
    }
}
