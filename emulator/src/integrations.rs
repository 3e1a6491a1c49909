//! The Integrations API: the channels (web, android, whatsapp, ...) and custom integrations of
//! an app. Each type's fields come from its schema in the spec (`android`, `web`, ... and
//! `androidUpdate`, `webUpdate`, ...): what is required, nullable, write-only (accepted, never
//! answered), defaulted, and which fields an update may change.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::auth::{APP, Principal};
use crate::content::{Obj, base_field};
use crate::error::{ApiError, ApiResult, json};
use crate::pages::{self, Links, Meta};
use crate::query::{self, path_segment, percent_encode};
use crate::state::Shared;
use crate::store::{self, AppData, Cursor, Integration};
use crate::{body, validate, webhooks};

/// Default `page[size]` of `ListIntegrations`.
const DEFAULT_PAGE: usize = 25;

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

/// What a field holds.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// A string of `min` characters or more.
    Text(usize),
    /// An email address.
    Email,
    /// An absolute URI.
    Uri,
    Boolean,
    Number,
    /// One of the strings listed.
    Choice(&'static [&'static str]),
    /// A colour of 3 or 6 hexadecimal digits, without `#` (the web messenger's colours).
    Color,
    /// An array of strings.
    Texts,
    /// An array of serialized origins (`scheme://host[:port]`, http or https).
    Origins,
    /// The web messenger's `prechatCapture`.
    Prechat,
}

/// A value a field takes when a create body leaves it out.
#[derive(Debug, Clone, Copy)]
enum Fallback {
    Text(&'static str),
    Flag(bool),
}

/// A field of an integration type.
#[derive(Debug, Clone, Copy)]
struct Field {
    name: &'static str,
    kind: Kind,
    /// Required on create (`null` does not count).
    required: bool,
    /// `null` accepted on create, meaning "not set".
    nullable: bool,
    /// Accepted, never answered (the spec's `writeOnly`).
    write_only: bool,
    /// In the type's update schema; `Some(true)` when `null` clears it there.
    update: Option<bool>,
    /// Answered when a create body leaves the field out.
    fallback: Option<Fallback>,
}

const fn field(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: false,
        nullable: false,
        write_only: false,
        update: None,
        fallback: None,
    }
}

const fn text(name: &'static str) -> Field {
    field(name, Kind::Text(0))
}

const fn text1(name: &'static str) -> Field {
    field(name, Kind::Text(1))
}

const fn flag(name: &'static str) -> Field {
    field(name, Kind::Boolean)
}

impl Field {
    const fn required(mut self) -> Self {
        self.required = true;
        self
    }
    const fn nullable(mut self) -> Self {
        self.nullable = true;
        self
    }
    const fn write_only(mut self) -> Self {
        self.write_only = true;
        self
    }
    /// Updatable; `null` clears it when `nullable`.
    const fn updatable(mut self, nullable: bool) -> Self {
        self.update = Some(nullable);
        self
    }
    const fn or(mut self, fallback: Fallback) -> Self {
        self.fallback = Some(fallback);
        self
    }
}

const SEE_LIST: Field = flag("canUserSeeConversationList").updatable(false);
const CREATE_MORE: Field = flag("canUserCreateMoreConversations").updatable(false);

const ANDROID: &[Field] = &[
    text1("projectId").write_only().nullable().updatable(true),
    text1("clientEmail").write_only().nullable().updatable(true),
    text1("privateKey").write_only().nullable().updatable(true),
    text1("serverKey").write_only().nullable().updatable(true),
    text1("senderId").nullable().updatable(true),
    SEE_LIST,
    CREATE_MORE,
];
const APPLE: &[Field] = &[
    text("businessId").required(),
    text("apiSecret").required().write_only(),
    text("mspId").required(),
    field("authenticationMessageSecret", Kind::Text(88)).updatable(false),
];
const INSTAGRAM: &[Field] = &[
    text("pageAccessToken")
        .required()
        .write_only()
        .nullable()
        .updatable(false),
    text("appId").required(),
    text("appSecret").required().write_only().nullable(),
    flag("storyRepliesEnabled")
        .or(Fallback::Flag(true))
        .updatable(false),
    flag("storyMentionsEnabled")
        .or(Fallback::Flag(true))
        .updatable(false),
];
const IOS: &[Field] = &[
    text1("certificate").write_only().nullable().updatable(true),
    text("password").write_only().updatable(false),
    flag("production").updatable(false),
    flag("autoUpdateBadge").updatable(false),
    SEE_LIST,
    CREATE_MORE,
];
const LINE: &[Field] = &[
    text("channelId"),
    text("channelSecret"),
    text("channelAccessToken"),
    text("serviceCode"),
    text1("switcherSecret"),
    field("qrCodeUrl", Kind::Uri),
];
const MAILGUN: &[Field] = &[
    text1("apiKey").required().write_only().nullable(),
    text1("signingKey"),
    text1("domain").required(),
    field("incomingAddress", Kind::Email).required(),
    flag("hideUnsubscribeLink").updatable(false),
    field("fromAddress", Kind::Email).nullable().updatable(true),
];
const MESSAGEBIRD: &[Field] = &[
    text1("accessKey").required().write_only().nullable(),
    text1("signingKey").required().write_only().nullable(),
    text1("originator").required(),
];
const MESSENGER: &[Field] = &[
    text("pageAccessToken")
        .required()
        .nullable()
        .updatable(false),
    text("appId").required(),
    text("appSecret").required().write_only().nullable(),
    field("pageId", Kind::Number),
    text("pageName"),
];
const TELEGRAM: &[Field] = &[text1("token").required().write_only().nullable()];
const TWILIO: &[Field] = &[
    text("accountSid").required(),
    text1("authToken").required().write_only().nullable(),
    text1("phoneNumberSid"),
    text1("messagingServiceSid"),
];
const TWITTER: &[Field] = &[
    field("tier", Kind::Choice(&["enterprise"])).required(),
    text1("consumerKey").required().write_only(),
    text1("consumerSecret").required().write_only().nullable(),
    text1("accessTokenKey").required().write_only(),
    text1("accessTokenSecret")
        .required()
        .write_only()
        .nullable(),
];
const UNITY: &[Field] = &[SEE_LIST, CREATE_MORE];
const VIBER: &[Field] = &[text1("token").required().write_only().nullable()];
const WEB: &[Field] = &[
    field("brandColor", Kind::Color)
        .or(Fallback::Text("65758e"))
        .updatable(false),
    flag("fixedIntroPane")
        .or(Fallback::Flag(false))
        .updatable(false),
    field("conversationColor", Kind::Color)
        .or(Fallback::Text("0099ff"))
        .updatable(false),
    field("actionColor", Kind::Color)
        .or(Fallback::Text("0099ff"))
        .updatable(false),
    field("displayStyle", Kind::Choice(&["button", "tab"]))
        .or(Fallback::Text("button"))
        .updatable(false),
    field("buttonIconUrl", Kind::Uri).nullable().updatable(true),
    text("buttonWidth")
        .or(Fallback::Text("58"))
        .updatable(false),
    text("buttonHeight")
        .or(Fallback::Text("58"))
        .updatable(false),
    field("integrationOrder", Kind::Texts)
        .nullable()
        .updatable(true),
    text("businessName").updatable(false),
    field("businessIconUrl", Kind::Uri).updatable(false),
    field("backgroundImageUrl", Kind::Uri).updatable(false),
    field("originWhitelist", Kind::Origins)
        .nullable()
        .updatable(true),
    field("prechatCapture", Kind::Prechat).updatable(false),
    SEE_LIST,
    CREATE_MORE,
];
const WHATSAPP: &[Field] = &[
    text("hsmFallbackLanguage")
        .nullable()
        .or(Fallback::Text("en_US"))
        .updatable(true),
    text("accountId").nullable().updatable(true),
    text("accountManagementAccessToken")
        .nullable()
        .updatable(true),
];
/// Fields every channel has (`showAIDisclaimer`; `defaultResponderId` is read apart).
const CHANNEL_COMMON: &[Field] = &[flag("showAIDisclaimer").updatable(false)];

/// The fields of channel type `kind`.
fn fields_of(kind: &str) -> Option<&'static [Field]> {
    Some(match kind {
        "android" => ANDROID,
        "apple" => APPLE,
        "instagram" => INSTAGRAM,
        "ios" => IOS,
        "line" => LINE,
        "mailgun" => MAILGUN,
        "messagebird" => MESSAGEBIRD,
        "messenger" => MESSENGER,
        "telegram" => TELEGRAM,
        "twilio" => TWILIO,
        "twitter" => TWITTER,
        "unity" => UNITY,
        "viber" => VIBER,
        "web" => WEB,
        "whatsapp" => WHATSAPP,
        _ => return None,
    })
}

/// The channel types' field tables, every one.
const ALL_TABLES: &[&[Field]] = &[
    ANDROID,
    APPLE,
    INSTAGRAM,
    IOS,
    LINE,
    MAILGUN,
    MESSAGEBIRD,
    MESSENGER,
    TELEGRAM,
    TWILIO,
    TWITTER,
    UNITY,
    VIBER,
    WEB,
    WHATSAPP,
    CHANNEL_COMMON,
];

/// True when `name` is a field of integration type `kind` (what its create and update schemas
/// name, besides `type` and `displayName`).
fn has_field(kind: &str, name: &str) -> bool {
    match fields_of(kind) {
        Some(table) => {
            name == "defaultResponderId"
                || table.iter().chain(CHANNEL_COMMON).any(|f| f.name == name)
        }
        None => kind == "custom" && name == "webhooks",
    }
}

/// 400 for the first field of `body` that belongs to other integration types but not to
/// `kind` (e.g. `brandColor` for a twilio integration, `webhooks` for a channel): the real
/// service validates a body against the schema of the integration's type, so it would not
/// silently drop such a field. Fields no type has are left alone, as everywhere else.
fn refuse_foreign_fields(kind: &str, body: &Map<String, Value>) -> Result<(), ApiError> {
    let foreign = |name: &str| {
        let anywhere = name == "webhooks"
            || name == "defaultResponderId"
            || ALL_TABLES.iter().any(|t| t.iter().any(|f| f.name == name));
        anywhere && !has_field(kind, name)
    };
    match body.keys().find(|name| foreign(name)) {
        Some(name) => Err(ApiError::bad_request(format!(
            "{name} is not a field of {kind} integrations"
        ))),
        None => Ok(()),
    }
}

/// True for 3 or 6 hexadecimal digits.
fn is_color(s: &str) -> bool {
    matches!(s.len(), 3 | 6) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// True for an RFC 6454 serialized origin with scheme http or https: `scheme://host[:port]`.
fn is_origin(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    let (host, port) = if rest.starts_with('[') {
        match rest.find(']') {
            Some(end) => match &rest[end + 1..] {
                "" => (&rest[..=end], None),
                after => match after.strip_prefix(':') {
                    Some(port) => (&rest[..=end], Some(port)),
                    None => return false,
                },
            },
            None => return false,
        }
    } else {
        match rest.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        }
    };
    matches!(scheme, "http" | "https")
        && !host.is_empty()
        && !host.contains(['/', '?', '#', '@', ' '])
        && port
            .is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Checks `value`, given for `field` in `o`, and returns it to store.
fn check(o: &Obj<'_>, field: &Field) -> Result<Value, ApiError> {
    let name = field.name;
    let bad = |what: &str| ApiError::bad_request(format!("{} must be {what}", o.name(name)));
    match field.kind {
        Kind::Text(min) => {
            o.string(name, false, min, None)?;
        }
        Kind::Email => {
            let s = o.string(name, false, 1, None)?.expect("present");
            if !validate::is_email(s) {
                return Err(bad("an email address"));
            }
        }
        Kind::Uri => {
            o.uri(name, false, None)?;
        }
        Kind::Boolean => {
            o.boolean(name)?;
        }
        Kind::Number => {
            o.number(name, false)?;
        }
        Kind::Choice(allowed) => {
            o.one_of(name, false, allowed)?;
        }
        Kind::Color => {
            let s = o.string(name, false, 1, None)?.expect("present");
            if !is_color(s) {
                return Err(bad("a 3 or 6-character hexadecimal color (e.g. 0099ff)"));
            }
        }
        Kind::Texts | Kind::Origins => {
            let items = o.array(name, false, 0, None)?.expect("present");
            for (i, item) in items.iter().enumerate() {
                let Some(s) = item.as_str() else {
                    return Err(ApiError::bad_request(format!(
                        "{}[{i}] must be a string",
                        o.name(name)
                    )));
                };
                if matches!(field.kind, Kind::Origins) && !is_origin(s) {
                    return Err(ApiError::bad_request(format!(
                        "{}[{i}] must be an origin: http or https, ://, a host and an optional port (e.g. https://example.com)",
                        o.name(name)
                    )));
                }
            }
        }
        Kind::Prechat => {
            let prechat = o.object(name, false)?.expect("present");
            prechat.string("avatarUrl", false, 0, None)?;
            prechat.boolean("enabled")?;
            prechat.boolean("enableEmailLinking")?;
            if let Some(items) = prechat.array("fields", false, 0, None)? {
                for item in Obj::objects(items, &prechat.name("fields"))? {
                    base_field(&item)?;
                }
            }
        }
    }
    Ok(o.map[name].clone())
}

/// The fields of a channel: those answered, and the write-only ones.
type Fields = (Map<String, Value>, Map<String, Value>);

/// The fields of a create body for channel type `kind`, split into those answered (with
/// defaults for those left out) and the write-only ones.
fn create_fields(o: &Obj<'_>, kind: &str) -> Result<Fields, ApiError> {
    let (mut fields, mut secrets) = (Map::new(), Map::new());
    let table = fields_of(kind).expect("a channel type");
    for field in table.iter().chain(CHANNEL_COMMON) {
        let given = match o.map.get(field.name) {
            Some(Value::Null) if field.nullable => None,
            other => other,
        };
        match given {
            None if field.required => {
                return Err(ApiError::bad_request(format!(
                    "{} is required",
                    o.name(field.name)
                )));
            }
            None => {
                if let Some(fallback) = field.fallback {
                    let value = match fallback {
                        Fallback::Text(s) => Value::String(s.into()),
                        Fallback::Flag(b) => Value::Bool(b),
                    };
                    fields.insert(field.name.into(), value);
                }
            }
            Some(_) => {
                let value = check(o, field)?;
                let target = if field.write_only {
                    &mut secrets
                } else {
                    &mut fields
                };
                target.insert(field.name.into(), value);
            }
        }
    }
    prose_rules(kind, &fields)?;
    Ok((fields, secrets))
}

/// The rules the spec gives in prose only.
fn prose_rules(kind: &str, fields: &Map<String, Value>) -> Result<(), ApiError> {
    let given = |name: &str| fields.get(name).and_then(Value::as_str);
    match kind {
        "twilio" if given("phoneNumberSid").is_none() && given("messagingServiceSid").is_none() => {
            Err(ApiError::bad_request(
                "One of messagingServiceSid or phoneNumberSid must be provided when creating a Twilio integration",
            ))
        }
        "mailgun" => {
            let domain = given("domain").unwrap_or("");
            let address = given("incomingAddress").unwrap_or("");
            let address_domain = address.rsplit_once('@').map_or("", |(_, d)| d);
            if address_domain.eq_ignore_ascii_case(domain) {
                Ok(())
            } else {
                Err(ApiError::bad_request(format!(
                    "incomingAddress must have the same domain as domain ({domain})"
                )))
            }
        }
        "line" if given("channelId").is_some() != given("channelSecret").is_some() => Err(
            ApiError::bad_request("channelId and channelSecret go together: give both, or neither"),
        ),
        _ => Ok(()),
    }
}

/// A `displayName`: at most 100 characters on create, 1 to 100 on update.
fn display_name(o: &Obj<'_>, min: usize) -> Result<Option<String>, ApiError> {
    Ok(o.string("displayName", false, min, Some(100))?
        .map(str::to_owned))
}

/// A `defaultResponderId` of a body: absent, `null`, or a switchboard integration of the app
/// (checked by [`check_responder`]).
fn default_responder_id(o: &Obj<'_>) -> Result<Option<Option<String>>, ApiError> {
    match o.map.get("defaultResponderId") {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(_) => Ok(Some(
            o.string("defaultResponderId", false, 1, None)?
                .map(str::to_owned),
        )),
    }
}

/// 400 unless `id` is a switchboard integration of the app's switchboard.
fn check_responder(data: &AppData, id: &str) -> Result<(), ApiError> {
    let known = data
        .switchboard
        .as_ref()
        .is_some_and(|s| s.integrations.contains_key(id));
    if known {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "defaultResponderId {id} is not a switchboard integration of the app's switchboard"
        )))
    }
}

/// `integration` as the API answers it: `id`, `type`, `status`, `displayName` when set, its
/// type's fields, `defaultResponder` for a channel (the switchboard integration chosen, or
/// else the switchboard's default, `inherited: true`), and `webhooks` for a custom
/// integration.
pub(crate) fn view(data: &AppData, integration: &Integration) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), Value::String(integration.id.clone()));
    out.insert("type".into(), Value::String(integration.kind.clone()));
    out.insert("status".into(), Value::String(integration.status.into()));
    if let Some(name) = &integration.display_name {
        out.insert("displayName".into(), Value::String(name.clone()));
    }
    out.extend(integration.fields.clone());
    if is_channel(&integration.kind)
        && let Some(switchboard) = &data.switchboard
    {
        let chosen = integration
            .default_responder_id
            .as_ref()
            .and_then(|id| switchboard.integrations.get(id))
            .map(|s| (s, false));
        let inherited = switchboard
            .default_switchboard_integration_id
            .as_ref()
            .and_then(|id| switchboard.integrations.get(id))
            .map(|s| (s, true));
        if let Some((responder, inherited)) = chosen.or(inherited) {
            let mut shown = Map::new();
            shown.insert("name".into(), Value::String(responder.name.clone()));
            shown.insert(
                "integrationId".into(),
                Value::String(responder.integration_id.clone()),
            );
            shown.insert(
                "integrationType".into(),
                Value::String(responder.integration_type.clone()),
            );
            shown.insert(
                "deliverStandbyEvents".into(),
                Value::Bool(responder.deliver_standby_events),
            );
            shown.insert(
                "nextSwitchboardIntegrationId".into(),
                responder
                    .next_switchboard_integration_id
                    .clone()
                    .map_or(Value::Null, Value::String),
            );
            if let Some(count) = responder.message_history_count {
                shown.insert("messageHistoryCount".into(), Value::from(count));
            }
            shown.insert("inherited".into(), Value::Bool(inherited));
            out.insert("defaultResponder".into(), Value::Object(shown));
        }
    }
    if integration.kind == "custom" {
        let hooks: Vec<Value> = integration
            .webhooks
            .values()
            .map(|w| serde_json::to_value(w).expect("a webhook serialises"))
            .collect();
        out.insert("webhooks".into(), Value::Array(hooks));
    }
    Value::Object(out)
}

#[derive(Serialize)]
struct IntegrationBody {
    integration: Value,
}

/// `POST /v2/apps/{appId}/integrations` (`integration`, by `type`).
///
/// `type` is `custom` or a channel (400 "Invalid integration type" otherwise). A custom
/// integration takes exactly one webhook (`webhooks`, as for `CreateWebhook`); a channel takes
/// its type's fields, checked as the spec's schema for the type says, plus `defaultResponderId`
/// (a switchboard integration) and `showAIDisclaimer`; a field of another type is a 400.
/// `displayName` is at most 100 characters. Answers 201 `{integration}` without the write-only fields.
pub(crate) async fn create(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let (app, _) = state.authorize_as(&parts.headers, &path_segment(parts.uri.path(), 3), APP)?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    let root = Obj::root(&body);
    let kind = match body.get("type") {
        None => return Err(ApiError::bad_request("type is required")),
        Some(Value::String(s)) if s == "custom" || is_channel(s) => s.clone(),
        Some(_) => return Err(ApiError::bad_request("Invalid integration type")),
    };
    refuse_foreign_fields(&kind, &body)?;
    let display_name = match body.get("displayName") {
        None | Some(Value::Null) => None,
        Some(_) => display_name(&root, 0)?,
    };
    let mut integration = Integration {
        id: String::new(),
        kind: kind.clone(),
        status: "active",
        display_name,
        fields: Map::new(),
        secrets: Map::new(),
        default_responder_id: None,
        webhooks: BTreeMap::new(),
        keys: Vec::new(),
    };
    if kind == "custom" {
        let items = root.array("webhooks", true, 1, Some(1))?.expect("required");
        for hook in Obj::objects(items, "webhooks")? {
            let webhook = webhooks::create(&state, &hook)?;
            integration.webhooks.insert(webhook.id.clone(), webhook);
        }
    } else {
        (integration.fields, integration.secrets) = create_fields(&root, &kind)?;
        integration.default_responder_id = default_responder_id(&root)?.flatten();
    }

    let mut data = app.write();
    if let Some(id) = &integration.default_responder_id {
        check_responder(&data, id)?;
    }
    webhooks::check_room(data.webhook_count(), integration.webhooks.len())?;
    integration.id = state.ids.next_record_id();
    let stored = data.insert_integration(integration).clone();
    Ok(json(
        StatusCode::CREATED,
        &IntegrationBody {
            integration: view(&data, &stored),
        },
    ))
}

#[derive(Serialize)]
struct ListBody {
    integrations: Vec<Value>,
    meta: Meta,
    links: Links,
}

/// `GET /v2/apps/{appId}/integrations?filter[types]=custom,web&page[...]`: oldest first,
/// paged like the other lists (`page[size]` 1 to 100, default 25); `filter[types]` is a
/// comma-separated list of types.
pub(crate) async fn list(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let headers = request.headers();
    let app_id = path_segment(request.uri().path(), 3);
    let (app, _) = state.authorize_as(headers, &app_id, APP)?;
    let pairs = query::pairs(request.uri().query().unwrap_or(""));
    let page_query = pages::parse(&pairs, true)?;
    let size = page_query.size.unwrap_or(DEFAULT_PAGE);
    let filter = pairs
        .iter()
        .rev()
        .find(|(k, _)| k == "filter[types]")
        .map(|(_, v)| v.clone());
    let types: Option<Vec<String>> = match &filter {
        None => None,
        Some(raw) => {
            let types: Vec<String> = raw
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect();
            if types.is_empty() {
                return Err(ApiError::bad_request(
                    "Invalid query parameters: filter[types] must name at least one type",
                ));
            }
            Some(types)
        }
    };

    let data = app.read();
    let ids: BTreeSet<String> = data
        .integration_map()
        .values()
        .filter(|i| types.as_ref().is_none_or(|t| t.contains(&i.kind)))
        .map(|i| i.id.clone())
        .collect();
    let cursor = page_query.cursor(Cursor::First);
    let page = store::page(&ids, cursor, size);
    let mut base = format!(
        "{}/v2/apps/{}/integrations",
        pages::origin(headers, &state),
        percent_encode(&app_id),
    );
    if let Some(types) = &types {
        base.push_str(&format!(
            "?filter[types]={}",
            percent_encode(&types.join(","))
        ));
    }
    let (meta, links) = pages::meta_and_links(&page, cursor, &base, Some(size));
    let integrations = page
        .ids
        .iter()
        .filter_map(|id| data.integration(id))
        .map(|i| view(&data, i))
        .collect();
    Ok(json(
        StatusCode::OK,
        &ListBody {
            integrations,
            meta,
            links,
        },
    ))
}

/// `GET /v2/apps/{appId}/integrations/{integrationId}`; 404 `integration_not_found`.
pub(crate) async fn get(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let path = request.uri().path();
    let (app, _) = state.authorize_as(request.headers(), &path_segment(path, 3), APP)?;
    let data = app.read();
    let integration = data
        .integration(&path_segment(path, 5))
        .ok_or_else(integration_not_found)?;
    Ok(json(
        StatusCode::OK,
        &IntegrationBody {
            integration: view(&data, integration),
        },
    ))
}

/// One change of an update: a field set or cleared.
enum Change {
    Set(&'static str, Value, bool),
    Clear(&'static str),
}

/// `PATCH /v2/apps/{appId}/integrations/{integrationId}` (`integrationUpdate`, the schema of
/// the integration's type).
///
/// `displayName` (1 to 100 characters, `null` clears it) for every type; for a channel also
/// `defaultResponderId` (`null` clears it) and `showAIDisclaimer`, and the fields its update
/// schema lists. A field the type has but cannot update is a 400 (delete and re-create the
/// integration), and so is a field of another type (`brandColor` on a twilio integration,
/// `showAIDisclaimer` on a custom one); `type` cannot change; fields no type has are ignored.
pub(crate) async fn update(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let (app, _) = state.authorize_as(&parts.headers, &path_segment(path, 3), APP)?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    let root = Obj::root(&body);

    let id = path_segment(path, 5);
    let mut data = app.write();
    let kind = data
        .integration(&id)
        .ok_or_else(integration_not_found)?
        .kind
        .clone();
    if let Some(given) = body.get("type")
        && given.as_str() != Some(kind.as_str())
    {
        return Err(ApiError::bad_request(format!(
            "type cannot be changed (the integration is {kind}): delete the integration and create another"
        )));
    }
    let display_name = match body.get("displayName") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(_) => Some(display_name(&root, 1)?),
    };
    refuse_foreign_fields(&kind, &body)?;
    if kind == "custom" && body.contains_key("webhooks") {
        return Err(ApiError::bad_request(
            "webhooks cannot be updated here: use the Webhooks API of the integration",
        ));
    }
    let mut changes = Vec::new();
    let mut responder = None;
    if let Some(table) = fields_of(&kind) {
        responder = default_responder_id(&root)?;
        for field in table.iter().chain(CHANNEL_COMMON) {
            let Some(value) = body.get(field.name) else {
                continue;
            };
            let Some(nullable) = field.update else {
                return Err(ApiError::bad_request(format!(
                    "{} cannot be updated: delete the integration and create it again with the new value",
                    field.name
                )));
            };
            if value.is_null() && nullable {
                changes.push(Change::Clear(field.name));
            } else {
                changes.push(Change::Set(
                    field.name,
                    check(&root, field)?,
                    field.write_only,
                ));
            }
        }
    }
    if let Some(Some(id)) = &responder {
        check_responder(&data, id)?;
    }

    let integration = data.integration_mut(&id).expect("found above");
    if let Some(name) = display_name {
        integration.display_name = name;
    }
    if let Some(responder) = responder {
        integration.default_responder_id = responder;
    }
    for change in changes {
        match change {
            Change::Set(name, value, write_only) => {
                let target = if write_only {
                    &mut integration.secrets
                } else {
                    &mut integration.fields
                };
                target.insert(name.into(), value);
            }
            Change::Clear(name) => {
                integration.fields.shift_remove(name);
                integration.secrets.shift_remove(name);
            }
        }
    }
    let integration = data.integration(&id).expect("found above");
    Ok(json(
        StatusCode::OK,
        &IntegrationBody {
            integration: view(&data, integration),
        },
    ))
}

/// `DELETE /v2/apps/{appId}/integrations/{integrationId}`: the integration with its webhooks
/// and API keys (which stop authenticating), and the switchboard integrations linked to it (a switchboard that loses its default is
/// disabled; conversations they controlled have none until their next message). 404
/// `integration_not_found`.
pub(crate) async fn delete(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let path = request.uri().path();
    let app_id = path_segment(path, 3);
    let (app, _) = state.authorize_as(request.headers(), &app_id, APP)?;
    let id = path_segment(path, 5);
    let mut data = app.write();
    data.remove_integration(&id)
        .ok_or_else(integration_not_found)?;
    state.keys.retain(|owner| {
        !matches!(owner, Principal::Integration { app, integration } if *app == app_id && *integration == id)
    });
    Ok(json(StatusCode::OK, &Map::<String, Value>::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colors_and_origins() {
        assert!(is_color("0099ff") && is_color("FFF"));
        assert!(!is_color("#0099ff") && !is_color("0099f") && !is_color("zzz"));
        for ok in [
            "https://example.com",
            "http://localhost:8080",
            "https://[::1]:443",
        ] {
            assert!(is_origin(ok), "{ok}");
        }
        for bad in [
            "example.com",
            "ftp://example.com",
            "https://example.com/path",
            "https://",
            "https://example.com:",
            "https://example.com:abc",
        ] {
            assert!(!is_origin(bad), "{bad}");
        }
    }

    #[test]
    fn every_type_has_a_table() {
        for kind in CHANNELS {
            assert!(fields_of(kind).is_some(), "{kind}");
        }
        assert!(fields_of("custom").is_none());
    }
}
