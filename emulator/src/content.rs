//! Checks of message bodies: the `author` and the `content` of a message (the spec's `author`
//! and `content` oneOf: text, carousel, file, form, formResponse, image, list, location,
//! template), with their actions, items and form fields. Every failure is a 400 whose title
//! names the field by its wire path (`content.items[0].actions[1].uri is required`).

use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::validate;

/// Longest `text`, `htmlText` and `markdownText`.
pub(crate) const MAX_TEXT: usize = 4096;

/// One JSON object of a body and where it sits, for error titles.
pub(crate) struct Obj<'a> {
    pub(crate) map: &'a Map<String, Value>,
    path: String,
}

fn bad(title: String) -> ApiError {
    ApiError::bad_request(title)
}

impl<'a> Obj<'a> {
    /// `value`, which must be an object; `path` names it in errors (empty for the body).
    pub(crate) fn new(value: &'a Value, path: &str) -> Result<Self, ApiError> {
        match value {
            Value::Object(map) => Ok(Obj {
                map,
                path: path.to_owned(),
            }),
            _ => Err(bad(format!("{path} must be an object"))),
        }
    }

    /// A request body (fields are named without a prefix).
    pub(crate) fn root(map: &'a Map<String, Value>) -> Self {
        Obj {
            map,
            path: String::new(),
        }
    }

    /// The wire path of field `key`.
    pub(crate) fn name(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// Field `key`; 400 "is required" when `required` and absent.
    fn field(&self, key: &str, required: bool) -> Result<Option<&'a Value>, ApiError> {
        match self.map.get(key) {
            None if required => Err(bad(format!("{} is required", self.name(key)))),
            other => Ok(other),
        }
    }

    /// A string of `min..=max` characters (`max` `None`: no upper bound).
    pub(crate) fn string(
        &self,
        key: &str,
        required: bool,
        min: usize,
        max: Option<usize>,
    ) -> Result<Option<&'a str>, ApiError> {
        let Some(value) = self.field(key, required)? else {
            return Ok(None);
        };
        let Value::String(s) = value else {
            return Err(bad(format!("{} must be a string", self.name(key))));
        };
        let len = s.chars().count();
        let too_long = max.is_some_and(|max| len > max);
        if len < min || too_long {
            return Err(bad(match (min, max) {
                (0, Some(max)) => {
                    format!("{} must be at most {max} characters long", self.name(key))
                }
                (min, Some(max)) => format!(
                    "{} must be between {min} and {max} characters long",
                    self.name(key)
                ),
                (min, None) => {
                    format!("{} must be at least {min} characters long", self.name(key))
                }
            }));
        }
        Ok(Some(s))
    }

    /// An absolute URI of at most `max` characters.
    pub(crate) fn uri(
        &self,
        key: &str,
        required: bool,
        max: Option<usize>,
    ) -> Result<Option<&'a str>, ApiError> {
        let Some(s) = self.string(key, required, 1, max)? else {
            return Ok(None);
        };
        if !validate::is_absolute_uri(s) {
            return Err(bad(format!(
                "{} must be an absolute URI with a scheme (e.g. https://example.com/a.png)",
                self.name(key)
            )));
        }
        Ok(Some(s))
    }

    /// One of `allowed`.
    pub(crate) fn one_of(
        &self,
        key: &str,
        required: bool,
        allowed: &[&str],
    ) -> Result<Option<&'a str>, ApiError> {
        match self.field(key, required)? {
            None => Ok(None),
            Some(Value::String(s)) if allowed.contains(&s.as_str()) => Ok(Some(s)),
            Some(_) => Err(bad(format!(
                "{} must be one of: {}",
                self.name(key),
                allowed.join(", ")
            ))),
        }
    }

    pub(crate) fn boolean(&self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.field(key, false)? {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(bad(format!("{} must be a boolean", self.name(key)))),
        }
    }

    pub(crate) fn number(&self, key: &str, required: bool) -> Result<Option<f64>, ApiError> {
        match self.field(key, required)? {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(_) => Err(bad(format!("{} must be a number", self.name(key)))),
        }
    }

    /// An integer within `range`.
    pub(crate) fn integer(
        &self,
        key: &str,
        required: bool,
        range: std::ops::RangeInclusive<i64>,
    ) -> Result<Option<i64>, ApiError> {
        match self.field(key, required)? {
            None => Ok(None),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) if range.contains(&i) => Ok(Some(i)),
                Some(_) => Err(bad(format!(
                    "{} must be between {} and {}",
                    self.name(key),
                    range.start(),
                    range.end()
                ))),
                None => Err(bad(format!("{} must be an integer", self.name(key)))),
            },
            Some(_) => Err(bad(format!("{} must be an integer", self.name(key)))),
        }
    }

    /// An array of `min..=max` items (`max` `None`: no upper bound).
    pub(crate) fn array(
        &self,
        key: &str,
        required: bool,
        min: usize,
        max: Option<usize>,
    ) -> Result<Option<&'a Vec<Value>>, ApiError> {
        let Some(value) = self.field(key, required)? else {
            return Ok(None);
        };
        let Value::Array(items) = value else {
            return Err(bad(format!("{} must be an array", self.name(key))));
        };
        let too_many = max.is_some_and(|max| items.len() > max);
        if items.len() < min || too_many {
            return Err(bad(match max {
                Some(max) if min == 0 => {
                    format!("{} must contain at most {max} items", self.name(key))
                }
                Some(1) => format!("{} must contain exactly 1 item", self.name(key)),
                Some(max) if max == min => {
                    format!("{} must contain exactly {max} items", self.name(key))
                }
                Some(max) => format!(
                    "{} must contain between {min} and {max} items",
                    self.name(key)
                ),
                None => format!("{} must contain at least {min} items", self.name(key)),
            }));
        }
        Ok(Some(items))
    }

    /// A nested object.
    pub(crate) fn object(&self, key: &str, required: bool) -> Result<Option<Obj<'a>>, ApiError> {
        self.field(key, required)?
            .map(|value| Obj::new(value, &self.name(key)))
            .transpose()
    }

    /// A `metadata` field: `null` or a flat object of at most 4 KB.
    pub(crate) fn metadata(&self, key: &str) -> Result<Option<Map<String, Value>>, ApiError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => validate::metadata(value)
                .map(Some)
                .map_err(|e| bad(e.title.replacen("metadata", &self.name(key), 1))),
        }
    }

    /// The items of array field `key` as objects, with their paths.
    pub(crate) fn objects(items: &'a [Value], path: &str) -> Result<Vec<Obj<'a>>, ApiError> {
        items
            .iter()
            .enumerate()
            .map(|(i, item)| Obj::new(item, &format!("{path}[{i}]")))
            .collect()
    }
}

/// Who writes a message: the API's `PostMessage`, or an end user through the control
/// endpoint (who may answer a form, and may not send a template).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sender {
    Api,
    EndUser,
}

/// The author of a posted message or activity.
pub(crate) struct Author {
    /// `author` as it will be stored (without the write-only `userExternalId` and `brandId`;
    /// `userId` is filled in once the user is found).
    pub(crate) stored: Map<String, Value>,
    /// For `type: user`: the user named.
    pub(crate) user: Option<crate::conversations::UserRef>,
    /// `brandId` the user must belong to, if given.
    pub(crate) brand: Option<String>,
}

/// The subtypes a request may give; `agent` and `bot` appear in responses only.
const REQUEST_SUBTYPES: [&str; 2] = ["AI", "activity"];

/// Checks an `author` (the spec's `author`).
pub(crate) fn author(value: Option<&Value>) -> Result<Author, ApiError> {
    let value = value.ok_or_else(|| bad("author is required".into()))?;
    let author = Obj::new(value, "author")?;
    let kind = author
        .one_of("type", true, &["business", "user"])?
        .expect("required");
    let mut stored = Map::new();
    stored.insert("type".into(), Value::String(kind.to_owned()));
    if let Some(subtypes) = author.array("subtypes", false, 1, Some(1))? {
        for (i, subtype) in subtypes.iter().enumerate() {
            match subtype.as_str() {
                Some(s) if REQUEST_SUBTYPES.contains(&s) => {}
                Some("agent" | "bot") => {
                    return Err(bad(format!(
                        "author.subtypes[{i}] agent and bot are only given in responses; send AI or activity"
                    )));
                }
                _ => {
                    return Err(bad(format!(
                        "author.subtypes[{i}] must be one of: AI, activity"
                    )));
                }
            }
        }
        stored.insert("subtypes".into(), Value::Array(subtypes.clone()));
    }
    let user_id = author.string("userId", false, 0, None)?;
    let external_id = author.string("userExternalId", false, 0, None)?;
    let brand = match author.map.get("brandId") {
        None | Some(Value::Null) => None,
        Some(_) => author
            .string("brandId", false, 1, Some(24))?
            .map(str::to_owned),
    };
    let user = match (kind, user_id, external_id) {
        ("business", None, None) => None,
        ("business", _, _) => {
            return Err(bad(
                "author.userId and author.userExternalId are only supported when author.type is user"
                    .into(),
            ));
        }
        (_, Some(id), None) => Some(crate::conversations::UserRef::Id(id.to_owned())),
        (_, None, Some(ext)) => Some(crate::conversations::UserRef::ExternalId(ext.to_owned())),
        _ => {
            return Err(bad(
                "author must have exactly one of userId or userExternalId when author.type is user"
                    .into(),
            ));
        }
    };
    if let Some(name) = author.string("displayName", false, 0, None)? {
        stored.insert("displayName".into(), Value::String(name.to_owned()));
    }
    if let Some(url) = author.uri("avatarUrl", false, Some(2048))? {
        stored.insert("avatarUrl".into(), Value::String(url.to_owned()));
    }
    Ok(Author {
        stored,
        user,
        brand,
    })
}

/// A checked `content`, ready to store.
pub(crate) struct Content {
    pub(crate) content: Map<String, Value>,
    /// The form a `formResponse` answers (its fields' `quotedMessageId`).
    pub(crate) quoted_message_id: Option<String>,
}

/// The content types the spec knows.
const CONTENT_TYPES: [&str; 9] = [
    "text",
    "carousel",
    "file",
    "form",
    "formResponse",
    "image",
    "list",
    "location",
    "template",
];

/// Checks a message `content` (required). `schema` is the body's `schema` (`whatsapp` for
/// templates).
pub(crate) fn content(
    value: Option<&Value>,
    sender: Sender,
    schema: Option<&str>,
) -> Result<Content, ApiError> {
    let value = value.ok_or_else(|| bad("content is required".into()))?;
    let o = Obj::new(value, "content")?;
    let kind = match o.field("type", true)? {
        Some(Value::String(s)) if CONTENT_TYPES.contains(&s.as_str()) => s.as_str(),
        _ => {
            return Err(bad(format!(
                "content.type must be one of: {}",
                CONTENT_TYPES.join(", ")
            )));
        }
    };
    if schema == Some("whatsapp") && kind != "template" {
        return Err(bad(
            "content.type must be template when schema is whatsapp".into()
        ));
    }
    o.boolean("blockChatInput")?;
    let mut stored = o.map.clone();
    let mut quoted_message_id = None;
    match kind {
        "text" => text(&o, &mut stored)?,
        "carousel" => {
            items(&o, "items", true)?;
            if let Some(settings) = o.object("displaySettings", false)? {
                settings.one_of("imageAspectRatio", false, &["horizontal", "square"])?;
            }
            // Read-only: the fallback text is the service's to write.
            stored.remove("text");
        }
        "file" | "image" => {
            o.uri("mediaUrl", true, None)?;
            o.string("altText", false, 0, Some(128))?;
            o.string("attachmentId", false, 0, None)?;
            if kind == "image" {
                actions(&o, "actions", false, None, ActionSet::All)?;
            }
            // The spec bounds `text` for text messages only.
            rich_text(&o, &mut stored, None)?;
            stored.remove("mediaSize");
            stored.remove("mediaType");
        }
        "form" => {
            form_fields(&o)?;
            o.string("text", false, 0, None)?;
            stored.insert("submitted".into(), Value::Bool(false));
        }
        "formResponse" => {
            if sender == Sender::Api {
                return Err(bad(
                    "content.type formResponse cannot be sent through the API: only an end user answers a form"
                        .into(),
                ));
            }
            let (fields, quoted) = form_response_fields(&o)?;
            quoted_message_id = quoted;
            stored.insert("textFallback".into(), Value::String(text_fallback(&fields)));
            stored.insert("fields".into(), Value::Array(fields));
        }
        "list" => {
            items(&o, "items", true)?;
            actions(&o, "actions", false, Some((1, 10)), ActionSet::Subset)?;
        }
        "location" => {
            let coordinates = o.object("coordinates", true)?.expect("required");
            let lat = coordinates.number("lat", true)?.expect("required");
            let long = coordinates.number("long", true)?.expect("required");
            if let Some(location) = o.object("location", false)? {
                location.string("address", false, 0, None)?;
                location.string("name", false, 0, None)?;
            }
            stored.insert(
                "text".into(),
                Value::String(format!(
                    "Location shared:\nhttps://maps.google.com/maps?q={lat},{long}"
                )),
            );
        }
        "template" => {
            if sender == Sender::EndUser {
                return Err(bad(
                    "content.type template can only be sent by the business".into(),
                ));
            }
            if schema != Some("whatsapp") {
                return Err(bad(
                    "schema must be whatsapp for a content of type template".into(),
                ));
            }
            o.object("template", true)?;
        }
        _ => unreachable!("checked against CONTENT_TYPES"),
    }
    Ok(Content {
        content: stored,
        quoted_message_id,
    })
}

/// `text`: required unless `actions`, `htmlText` or `markdownText` is given.
fn text(o: &Obj<'_>, stored: &mut Map<String, Value>) -> Result<(), ApiError> {
    let has_actions = actions(o, "actions", false, None, ActionSet::All)?.is_some_and(|n| n > 0);
    o.string("payload", false, 0, None)?;
    let has_text = o.map.contains_key("text");
    let has_rich = rich_text(o, stored, Some(MAX_TEXT))?;
    if !has_text && !has_rich && !has_actions {
        return Err(bad(
            "content.text is required unless content.actions, content.htmlText or content.markdownText is given"
                .into(),
        ));
    }
    Ok(())
}

/// `text` (of at most `text_max` characters), `htmlText` and the write-only `markdownText` (at
/// most one of the last two, each of at most 4096 characters). `markdownText` becomes `htmlText`, and a missing `text` is derived
/// from whichever was given. True when `htmlText` or `markdownText` was given.
fn rich_text(
    o: &Obj<'_>,
    stored: &mut Map<String, Value>,
    text_max: Option<usize>,
) -> Result<bool, ApiError> {
    let text = o.string("text", false, 0, text_max)?;
    let html = o.string("htmlText", false, 0, Some(MAX_TEXT))?;
    let markdown = o.string("markdownText", false, 0, Some(MAX_TEXT))?;
    if html.is_some() && markdown.is_some() {
        return Err(bad(
            "content.htmlText and content.markdownText cannot be combined".into(),
        ));
    }
    if let Some(markdown) = markdown {
        let html = markdown_to_html(markdown);
        if html.chars().count() > MAX_TEXT {
            return Err(bad(format!(
                "content.markdownText converts to more than {MAX_TEXT} characters of htmlText"
            )));
        }
        stored.remove("markdownText");
        stored.insert("htmlText".into(), Value::String(html));
        if text.is_none() {
            stored.insert("text".into(), Value::String(markdown.to_owned()));
        }
    } else if let Some(html) = html
        && text.is_none()
    {
        stored.insert("text".into(), Value::String(strip_tags(html)));
    }
    Ok(html.is_some() || markdown.is_some())
}

/// A stand-in for Markdown rendering: the text HTML-escaped, each paragraph (separated by a
/// blank line) in `<p>`, line breaks as `<br>`.
fn markdown_to_html(markdown: &str) -> String {
    let escaped = markdown
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    escaped
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", p.trim().replace('\n', "<br>")))
        .collect()
}

/// `html` without its tags (a fallback text, not an HTML parser).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Which actions an array may hold: `action` (all six) or `actionSubset` (no `reply` or
/// `locationRequest`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum ActionSet {
    All,
    Subset,
}

/// Checks the actions array `key` of `o` (item count within `count` when given); the number
/// of actions, if the array is there.
fn actions(
    o: &Obj<'_>,
    key: &str,
    required: bool,
    count: Option<(usize, usize)>,
    set: ActionSet,
) -> Result<Option<usize>, ApiError> {
    let (min, max) = count.map_or((0, None), |(min, max)| (min, Some(max)));
    let Some(items) = o.array(key, required, min, max)? else {
        return Ok(None);
    };
    let path = o.name(key);
    let mut open_on_receive = 0;
    for action in Obj::objects(items, &path)? {
        let allowed: &[&str] = match set {
            ActionSet::All => &[
                "buy",
                "link",
                "locationRequest",
                "postback",
                "reply",
                "webview",
            ],
            ActionSet::Subset => &["buy", "link", "postback", "webview"],
        };
        let kind = action.one_of("type", true, allowed)?.expect("required");
        action.string("text", true, 0, None)?;
        action.metadata("metadata")?;
        match kind {
            "buy" => {
                action.integer("amount", true, 0..=i64::MAX)?;
                action.string("currency", false, 0, None)?;
            }
            "link" => {
                action.string("uri", true, 1, None)?;
                action.boolean("default")?;
                action.object("extraChannelOptions", false)?;
            }
            "postback" | "reply" => {
                action.string("payload", true, 0, None)?;
                if kind == "reply" {
                    action.string("iconUrl", false, 0, None)?;
                }
            }
            "webview" => {
                action.string("uri", true, 1, None)?;
                action.string("fallback", true, 1, None)?;
                action.one_of("size", false, &["compact", "tall", "full"])?;
                action.boolean("default")?;
                action.object("extraChannelOptions", false)?;
                if action.boolean("openOnReceive")? == Some(true) {
                    open_on_receive += 1;
                }
            }
            _ => {}
        }
    }
    if open_on_receive > 1 {
        return Err(bad(format!(
            "{path}: only one action may have openOnReceive set to true"
        )));
    }
    Ok(Some(items.len()))
}

/// The `items` of a carousel or list: 1 to 10 `item`s.
fn items(o: &Obj<'_>, key: &str, required: bool) -> Result<(), ApiError> {
    let Some(items) = o.array(key, required, 1, Some(10))? else {
        return Ok(());
    };
    for item in Obj::objects(items, &o.name(key))? {
        item.string("title", true, 1, Some(128))?;
        item.string("description", false, 0, Some(128))?;
        item.uri("mediaUrl", false, Some(2048))?;
        item.string("mediaType", false, 0, Some(128))?;
        item.string("altText", false, 0, Some(128))?;
        item.one_of("size", false, &["compact", "large"])?;
        actions(&item, "actions", true, Some((1, 3)), ActionSet::Subset)?;
        item.metadata("metadata")?;
    }
    Ok(())
}

/// The parts of a form or form response field the spec's `field` defines: `type`, `name` and
/// `label` required; the answer fields `text`, `email` and `select` bounded.
pub(crate) fn base_field<'a>(field: &Obj<'a>) -> Result<(&'a str, &'a str), ApiError> {
    let kind = field
        .one_of("type", true, &["email", "select", "text"])?
        .expect("required");
    let name = field.string("name", true, 1, Some(128))?.expect("required");
    field.string("label", true, 1, Some(128))?;
    field.string("text", false, 1, Some(256))?;
    if let Some(email) = field.string("email", false, 1, Some(128))?
        && !validate::is_email(email)
    {
        return Err(bad(format!(
            "{} must be an email address",
            field.name("email")
        )));
    }
    if let Some(select) = field.array("select", false, 0, None)?
        && let Some(i) = select.iter().position(|v| !v.is_object())
    {
        return Err(bad(format!(
            "{}[{i}] must be an object",
            field.name("select")
        )));
    }
    field.one_of("format", false, &["integer", "decimal"])?;
    Ok((kind, name))
}

/// The `fields` of a form: 1 to 20 `formMessageField`s with unique names.
fn form_fields(o: &Obj<'_>) -> Result<(), ApiError> {
    let items = o.array("fields", true, 1, Some(20))?.expect("required");
    let mut names = Vec::new();
    for field in Obj::objects(items, "content.fields")? {
        let (_, name) = base_field(&field)?;
        if names.contains(&name) {
            return Err(bad(format!(
                "{} must be unique in the form: {name:?} is repeated",
                field.name("name")
            )));
        }
        names.push(name);
        field.string("placeholder", false, 1, Some(128))?;
        let min = field.integer("minSize", false, 1..=256)?;
        let max = field.integer("maxSize", false, 1..=256)?;
        if min.unwrap_or(1) > max.unwrap_or(128) {
            return Err(bad(format!(
                "{} must not exceed {}",
                field.name("minSize"),
                field.name("maxSize")
            )));
        }
        if let Some(options) = field.array("options", false, 0, Some(200))? {
            for option in Obj::objects(options, &field.name("options"))? {
                option.string("label", false, 1, Some(128))?;
                option.string("name", false, 1, Some(128))?;
            }
        }
    }
    Ok(())
}

/// The `fields` of a form response: 1 to 20 `formResponseMessageField`s with unique names,
/// each carrying the answer its type calls for (`text`, `email`, or a non-empty `select`).
/// Returns the fields to store (without the write-only `quotedMessageId`) and the first
/// `quotedMessageId` given.
fn form_response_fields(o: &Obj<'_>) -> Result<(Vec<Value>, Option<String>), ApiError> {
    let items = o.array("fields", true, 1, Some(20))?.expect("required");
    let mut names = Vec::new();
    let mut quoted = None;
    let mut stored = Vec::with_capacity(items.len());
    for field in Obj::objects(items, "content.fields")? {
        let (kind, name) = base_field(&field)?;
        if names.contains(&name) {
            return Err(bad(format!(
                "{} must be unique in the form response: {name:?} is repeated",
                field.name("name")
            )));
        }
        names.push(name);
        match kind {
            "select" => {
                field.array("select", true, 1, None)?;
            }
            answer => {
                field.field(answer, true)?;
            }
        }
        if let Some(id) = field.string("quotedMessageId", false, 1, None)? {
            quoted.get_or_insert_with(|| id.to_owned());
        }
        let mut kept = field.map.clone();
        kept.remove("quotedMessageId");
        stored.push(Value::Object(kept));
    }
    Ok((stored, quoted))
}

/// `label: value` of each answered field, one per line; a select shows its options' labels.
fn text_fallback(fields: &[Value]) -> String {
    fields
        .iter()
        .map(|field| {
            let label = field["label"].as_str().unwrap_or_default();
            let value = match field["type"].as_str() {
                Some("select") => field["select"]
                    .as_array()
                    .map(|options| {
                        options
                            .iter()
                            .filter_map(|o| o["label"].as_str().or_else(|| o["name"].as_str()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default(),
                Some(kind) => field[kind].as_str().unwrap_or_default().to_owned(),
                None => String::new(),
            };
            format!("{label}: {value}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(content: Value) -> Result<Map<String, Value>, String> {
        super::content(Some(&content), Sender::Api, None)
            .map(|c| c.content)
            .map_err(|e| e.title)
    }

    #[test]
    fn markdown_becomes_html_and_text() {
        let stored = check(json!({"type": "text", "markdownText": "a <b>\n\nc"})).unwrap();
        assert_eq!(stored["htmlText"], "<p>a &lt;b&gt;</p><p>c</p>");
        assert_eq!(stored["text"], "a <b>\n\nc");
        assert!(!stored.contains_key("markdownText"));
        let stored = check(json!({"type": "text", "htmlText": "<h1>Hi</h1> there"})).unwrap();
        assert_eq!(stored["text"], "Hi there");
    }

    #[test]
    fn errors_name_the_wire_path() {
        let e = check(json!({"type": "carousel", "items": [
            {"title": "a", "actions": [{"type": "link", "text": "x", "uri": "u"}]},
            {"title": "b", "actions": [{"type": "webview", "text": "x", "uri": "u"}]}
        ]}))
        .unwrap_err();
        assert_eq!(e, "content.items[1].actions[0].fallback is required");
    }

    #[test]
    fn fallbacks_list_answers() {
        let fields = vec![
            json!({"type": "text", "label": "Name", "text": "Sue"}),
            json!({"type": "select", "label": "Meal", "select": [{"label": "Tacos"}, {"name": "ramen"}]}),
        ];
        assert_eq!(text_fallback(&fields), "Name: Sue\nMeal: Tacos, ramen");
    }
}
