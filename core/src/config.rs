//! Client configuration: where to connect, how to authenticate, how patient to be.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::{Auth, JwtScope, Secret};
use crate::client::{Client, Inner};
use crate::error::{Error, Result};
use crate::retry::RetryPolicy;

/// The US region: `https://api.smooch.io`.
pub const US_BASE_URL: &str = "https://api.smooch.io";
/// The EU region: `https://api.eu-1.smooch.io`.
pub const EU_BASE_URL: &str = "https://api.eu-1.smooch.io";
/// Default timeout for opening a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default timeout for a whole request (connect, send, and read the full response).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default cap on the size of a response body.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// A Sunshine Conversations region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Region {
    /// `https://api.smooch.io`.
    Us,
    /// `https://api.eu-1.smooch.io`.
    Eu,
}

impl Region {
    /// The base URL of the region.
    pub fn base_url(self) -> &'static str {
        match self {
            Region::Us => US_BASE_URL,
            Region::Eu => EU_BASE_URL,
        }
    }
}

impl std::str::FromStr for Region {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "us" => Ok(Region::Us),
            "eu" | "eu-1" => Ok(Region::Eu),
            _ => Err(Error::Config(format!(
                "unknown region {s:?}: expected \"us\" or \"eu\""
            ))),
        }
    }
}

#[derive(Debug, Clone)]
enum Target {
    Url(String),
    Region(Region),
    Subdomain(String),
}

/// Builds a [`Client`]. Every setting has a sane default except the credentials.
///
/// ```
/// use std::time::Duration;
/// let client = sunco::Client::builder()
///     .region(sunco::Region::Eu)
///     .auth(sunco::Auth::jwt("app_5d8cff3cd55b040010928b5b", "secret"))
///     .timeout(Duration::from_secs(10))
///     .max_retries(5)
///     .build()?;
/// # Ok::<(), sunco::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ClientBuilder {
    target: Target,
    auth: Option<Auth>,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    user_agent_extra: Option<String>,
    max_response_bytes: usize,
    proxy: Option<Secret>,
    /// Half a key from the environment, waiting for the other half from the caller's options.
    half_key: Option<HalfKey>,
}

/// One of key id and secret, read from the environment without the other.
#[derive(Debug, Clone)]
struct HalfKey {
    key_id: Option<String>,
    secret: Option<Secret>,
    jwt: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            target: Target::Region(Region::Us),
            auth: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            user_agent_extra: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            proxy: None,
            half_key: None,
        }
    }
}

impl ClientBuilder {
    /// A builder with the defaults: US region, 10 s connect timeout, 30 s request timeout,
    /// 3 retries, 16 MB response cap, and no credentials.
    pub fn new() -> Self {
        Self::default()
    }

    /// Any base URL, e.g. `http://127.0.0.1:8080` for the emulator. `https` is required
    /// except for loopback hosts.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.target = Target::Url(url.into());
        self
    }

    /// One of the public regions.
    pub fn region(mut self, region: Region) -> Self {
        self.target = Target::Region(region);
        self
    }

    /// A Zendesk account: `https://{subdomain}.zendesk.com/sc`.
    pub fn subdomain(mut self, subdomain: impl Into<String>) -> Self {
        self.target = Target::Subdomain(subdomain.into());
        self
    }

    /// The credentials.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Timeout for opening a connection.
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.connect_timeout = t;
        self
    }

    /// Timeout for one whole attempt: connect, send and read the full response.
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }

    /// The full retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Retries after the first attempt (`0` turns retries off).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.retry.max_retries = n;
        self
    }

    /// Text appended to the `User-Agent` (`sunco/<version> <extra>`); bindings name themselves here.
    pub fn user_agent_extra(mut self, extra: impl Into<String>) -> Self {
        self.user_agent_extra = Some(extra.into());
        self
    }

    /// The largest response body accepted, in bytes.
    pub fn max_response_bytes(mut self, n: usize) -> Self {
        self.max_response_bytes = n;
        self
    }

    /// Sends HTTPS requests through this proxy (`http://[user:pass@]host:port`, which
    /// receives a `CONNECT` and sees only encrypted traffic), instead of the one named by the
    /// `HTTPS_PROXY` / `ALL_PROXY` environment variables (with `NO_PROXY`), which apply when no
    /// proxy is given here. A loopback base URL (the emulator) never goes through a proxy.
    /// The proxy URL may hold credentials: it is redacted in `Debug`.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(Secret::new(url.into()));
        self
    }

    /// Applies where to connect as a caller names it, each part optional: at most one of a
    /// base URL, a region name (`us` / `eu`) and a Zendesk subdomain. With none, the builder is
    /// unchanged. The bindings hand their options through here.
    pub fn target(
        self,
        base_url: Option<String>,
        region: Option<&str>,
        subdomain: Option<String>,
    ) -> Result<Self> {
        match (base_url, region, subdomain) {
            (None, None, None) => Ok(self),
            (Some(url), None, None) => Ok(self.base_url(url)),
            (None, Some(region), None) => Ok(self.region(region.parse()?)),
            (None, None, Some(sub)) => Ok(self.subdomain(sub)),
            _ => Err(Error::Config(
                "give at most one of a base URL, a region and a subdomain".into(),
            )),
        }
    }

    /// Applies credentials as a caller names them, each part optional: a bearer `token`, or a
    /// key (`key_id` with `key_secret`) used as `auth` (`"basic"`, the default, or `"jwt"`).
    /// With none, the builder is unchanged. The bindings hand their options through here.
    pub fn credentials(
        self,
        key_id: Option<String>,
        key_secret: Option<String>,
        auth: Option<&str>,
        token: Option<String>,
    ) -> Result<Self> {
        let auth_kind = auth.unwrap_or("basic");
        if !matches!(auth_kind, "basic" | "jwt") {
            return Err(Error::Config(format!(
                "auth must be \"basic\" or \"jwt\", not {auth_kind:?}"
            )));
        }
        let kind_given = auth.is_some();
        match (token, key_id, key_secret) {
            (None, None, None) if !kind_given => Ok(self),
            (Some(token), None, None) => Ok(self.auth(Auth::bearer(token))),
            (Some(_), _, _) => Err(Error::Config(
                "give either a token or a key id and secret, not both".into(),
            )),
            // A key given in part completes the key already configured (e.g. from the
            // environment): options win over the environment field by field.
            (None, key_id, key_secret) => {
                let (old_id, old_secret, old_scope) = match &self.auth {
                    Some(Auth::Basic { key_id, secret }) => {
                        (Some(key_id.clone()), Some(secret.clone()), None)
                    }
                    Some(Auth::Jwt {
                        key_id,
                        secret,
                        scope,
                    }) => (Some(key_id.clone()), Some(secret.clone()), Some(*scope)),
                    _ => match &self.half_key {
                        Some(h) => (
                            h.key_id.clone(),
                            h.secret.clone(),
                            h.jwt.then_some(JwtScope::App),
                        ),
                        None => (None, None, None),
                    },
                };
                let id = key_id.or(old_id);
                let secret = key_secret.map(Secret::new).or(old_secret);
                let scope = match (kind_given, auth_kind) {
                    (true, "jwt") => Some(old_scope.unwrap_or(JwtScope::App)),
                    (true, _) => None,
                    (false, _) => old_scope,
                };
                match (id, secret) {
                    (Some(id), Some(secret)) => Ok(self.auth(match scope {
                        Some(scope) => Auth::jwt_with_scope(id, secret, scope),
                        None => Auth::basic(id, secret),
                    })),
                    (None, None) if kind_given => Err(Error::Config(format!(
                        "auth {auth_kind:?} needs a key id and a key secret"
                    ))),
                    _ => Err(Error::Config(
                        "the key id and the key secret go together: give both".into(),
                    )),
                }
            }
        }
    }

    /// Reads `SUNCO_BASE_URL` (or `SUNCO_REGION` / `SUNCO_SUBDOMAIN`), `SUNCO_KEY_ID`,
    /// `SUNCO_KEY_SECRET`, `SUNCO_AUTH` (`basic` | `jwt`, default `basic`) and `SUNCO_TOKEN`
    /// (a bearer token, instead of a key) into this builder.
    pub fn from_env(self) -> Result<Self> {
        self.from_lookup(|k| std::env::var(k).ok())
    }

    /// Like [`from_env`](Self::from_env), with variables from `get` (testable without the process environment).
    pub fn from_lookup(mut self, get: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let get = |k: &str| get(k).filter(|v| !v.is_empty());
        if let Some(url) = get("SUNCO_BASE_URL") {
            self = self.base_url(url);
        } else if let Some(sub) = get("SUNCO_SUBDOMAIN") {
            self = self.subdomain(sub);
        } else if let Some(region) = get("SUNCO_REGION") {
            self = self.region(region.parse()?);
        }
        if let Some(token) = get("SUNCO_TOKEN") {
            return Ok(self.auth(Auth::bearer(token)));
        }
        let jwt = match get("SUNCO_AUTH").as_deref().unwrap_or("basic") {
            "basic" => false,
            "jwt" => true,
            other => {
                return Err(Error::Config(format!(
                    "SUNCO_AUTH must be \"basic\" or \"jwt\", not {other:?}"
                )));
            }
        };
        match (get("SUNCO_KEY_ID"), get("SUNCO_KEY_SECRET")) {
            (Some(key_id), Some(secret)) => Ok(self.auth(if jwt {
                Auth::jwt_with_scope(key_id, secret, JwtScope::App)
            } else {
                Auth::basic(key_id, secret)
            })),
            (None, None) => Ok(self),
            // Half a key: the caller's options may give the other half; `build()` refuses it
            // otherwise, naming both variables.
            (key_id, secret) => {
                self.half_key = Some(HalfKey {
                    key_id,
                    secret: secret.map(Secret::new),
                    jwt,
                });
                Ok(self)
            }
        }
    }

    /// The base URL this builder would use, without a trailing slash.
    fn resolve_base_url(&self) -> Result<url::Url> {
        let raw = match &self.target {
            Target::Url(u) => u.clone(),
            Target::Region(r) => r.base_url().to_owned(),
            Target::Subdomain(s) => {
                let ok = !s.is_empty()
                    && s.len() <= 63
                    && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !s.starts_with('-')
                    && !s.ends_with('-');
                if !ok {
                    return Err(Error::Config(format!(
                        "invalid Zendesk subdomain {s:?}: use letters, digits and '-' only"
                    )));
                }
                format!("https://{}.zendesk.com/sc", s.to_ascii_lowercase())
            }
        };
        let url = url::Url::parse(raw.trim_end_matches('/'))
            .map_err(|e| Error::Config(format!("invalid base URL {raw:?}: {e}")))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::Config(
                "the base URL must not carry credentials: give the key or token as credentials instead".into(),
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::Config(
                "the base URL must not have a query or fragment".into(),
            ));
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(Error::Config(format!(
                    "refusing plain http:// to {}: credentials would cross the network unencrypted; \
                     use https:// (http is allowed only for loopback hosts such as the emulator)",
                    url.host_str().unwrap_or("")
                )));
            }
            other => {
                return Err(Error::Config(format!(
                    "unsupported URL scheme {other:?}: use https://"
                )));
            }
        }
        Ok(url)
    }

    /// Validates the configuration and builds the client (and its connection pool).
    pub fn build(self) -> Result<Client> {
        let base = self.resolve_base_url()?;
        if self.auth.is_none()
            && let Some(half) = &self.half_key
        {
            let (set, missing) = if half.key_id.is_some() {
                ("SUNCO_KEY_ID", "SUNCO_KEY_SECRET")
            } else {
                ("SUNCO_KEY_SECRET", "SUNCO_KEY_ID")
            };
            return Err(Error::Config(format!(
                "{set} is set but {missing} is not: set both SUNCO_KEY_ID and SUNCO_KEY_SECRET, \
                 or give the other half of the key as an option"
            )));
        }
        let auth = self.auth.as_ref().ok_or_else(|| {
            Error::Config(
                "no credentials: give a key id and secret (basic or jwt auth) or a bearer token, \
                 or set SUNCO_KEY_ID and SUNCO_KEY_SECRET (or SUNCO_TOKEN)"
                    .into(),
            )
        })?;
        let authorization = auth.header()?;
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::Config("timeouts must be greater than zero".into()));
        }
        let mut user_agent = format!("sunco/{}", env!("CARGO_PKG_VERSION"));
        if let Some(extra) = &self.user_agent_extra {
            user_agent.push(' ');
            user_agent.push_str(extra);
        }
        let mut http = reqwest::Client::builder();
        // A bad proxy is an error even where it would not be used, so it is found early.
        let proxy = self
            .proxy
            .as_ref()
            .map(|p| https_proxy(p.expose()))
            .transpose()?;
        if is_loopback(&base) {
            // Credentials to the emulator travel in clear text: never hand them to a proxy.
            http = http.no_proxy();
        } else if let Some(proxy) = proxy {
            http = http.proxy(proxy);
        }
        let http = http
            .user_agent(user_agent)
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config(format!("could not build the HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base: base.as_str().trim_end_matches('/').to_owned(),
                authorization,
                auth: auth.clone(),
                retry: self.retry,
                timeout: self.timeout,
                max_response_bytes: self.max_response_bytes,
            }),
        })
    }
}

/// The explicit proxy for HTTPS requests; its URL is never echoed (it may hold a password).
fn https_proxy(raw: &str) -> Result<reqwest::Proxy> {
    let bad = |why: &str| Error::Config(format!("proxy: {why}"));
    let url = url::Url::parse(raw).map_err(|e| bad(&format!("not a valid URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(
            "must be an http:// or https:// URL (the proxy receives CONNECT)",
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("has no host"));
    }
    reqwest::Proxy::https(url.as_str()).map_err(|_| bad("is not usable as a proxy"))
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(b: ClientBuilder) -> Result<String> {
        b.resolve_base_url()
            .map(|u| u.as_str().trim_end_matches('/').to_owned())
    }

    #[test]
    fn presets() {
        assert_eq!(base(ClientBuilder::new()).unwrap(), US_BASE_URL);
        assert_eq!(
            base(ClientBuilder::new().region(Region::Eu)).unwrap(),
            EU_BASE_URL
        );
        assert_eq!(
            base(ClientBuilder::new().subdomain("Acme-1")).unwrap(),
            "https://acme-1.zendesk.com/sc"
        );
        assert!(base(ClientBuilder::new().subdomain("a.b")).is_err());
        assert!(base(ClientBuilder::new().subdomain("")).is_err());
    }

    #[test]
    fn plain_http_only_on_loopback() {
        for ok in [
            "http://127.0.0.1:1",
            "http://localhost:8080/",
            "http://[::1]:9",
            "https://x.example",
        ] {
            assert!(base(ClientBuilder::new().base_url(ok)).is_ok(), "{ok}");
        }
        let err = base(ClientBuilder::new().base_url("http://api.smooch.io")).unwrap_err();
        assert!(err.to_string().contains("loopback"), "{err}");
        for bad in [
            "ftp://x",
            "not a url",
            "https://u:p@x.example",
            "https://x.example/?a=1",
        ] {
            assert!(
                matches!(
                    base(ClientBuilder::new().base_url(bad)),
                    Err(Error::Config(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn build_needs_credentials() {
        let e = ClientBuilder::new().build().unwrap_err();
        assert!(matches!(e, Error::Config(_)));
    }

    #[test]
    fn target_and_credentials_as_bindings_give_them() {
        let b = ClientBuilder::new().target(None, Some("eu"), None).unwrap();
        assert_eq!(base(b).unwrap(), EU_BASE_URL);
        let b = ClientBuilder::new()
            .region(Region::Eu)
            .target(None, None, None)
            .unwrap();
        assert_eq!(base(b).unwrap(), EU_BASE_URL, "nothing given: unchanged");
        let e = ClientBuilder::new()
            .target(Some("https://x.example".into()), None, Some("acme".into()))
            .unwrap_err();
        assert!(e.to_string().contains("at most one"), "{e}");
        assert!(
            ClientBuilder::new()
                .target(None, Some("mars"), None)
                .is_err()
        );

        let c =
            |id: Option<&str>, secret: Option<&str>, auth: Option<&str>, token: Option<&str>| {
                ClientBuilder::new().credentials(
                    id.map(Into::into),
                    secret.map(Into::into),
                    auth,
                    token.map(Into::into),
                )
            };
        assert!(matches!(
            c(Some("k"), Some("s"), None, None).unwrap().auth,
            Some(Auth::Basic { .. })
        ));
        assert!(matches!(
            c(Some("k"), Some("s"), Some("jwt"), None).unwrap().auth,
            Some(Auth::Jwt { .. })
        ));
        assert!(matches!(
            c(None, None, None, Some("t")).unwrap().auth,
            Some(Auth::Bearer(_))
        ));
        assert!(c(None, None, None, None).unwrap().auth.is_none());
        let msg = |r: Result<ClientBuilder>| r.unwrap_err().to_string();
        assert!(msg(c(Some("k"), None, None, None)).contains("go together"));
        assert!(msg(c(None, Some("s"), None, None)).contains("go together"));
        assert!(msg(c(Some("k"), Some("s"), None, Some("t"))).contains("not both"));
        let e = msg(c(Some("k"), Some("top-secret"), Some("oauth"), None));
        assert!(
            e.contains("auth must be") && !e.contains("top-secret"),
            "{e}"
        );
    }

    #[test]
    fn options_complete_a_key_from_the_environment_field_by_field() {
        let env = |k: &str| match k {
            "SUNCO_KEY_ID" => Some("env-id".to_owned()),
            "SUNCO_KEY_SECRET" => Some("env-secret".to_owned()),
            _ => None,
        };
        let from_env = || ClientBuilder::new().from_lookup(env).unwrap();
        let key = |b: ClientBuilder| match b.auth {
            Some(Auth::Basic { key_id, secret }) => ("basic", key_id, secret.expose().to_owned()),
            Some(Auth::Jwt { key_id, secret, .. }) => ("jwt", key_id, secret.expose().to_owned()),
            other => panic!("{other:?}"),
        };
        let only_secret = from_env()
            .credentials(None, Some("opt-secret".into()), None, None)
            .unwrap();
        assert_eq!(
            key(only_secret),
            ("basic", "env-id".into(), "opt-secret".into())
        );
        let only_id = from_env()
            .credentials(Some("opt-id".into()), None, None, None)
            .unwrap();
        assert_eq!(
            key(only_id),
            ("basic", "opt-id".into(), "env-secret".into())
        );
        let only_kind = from_env()
            .credentials(None, None, Some("jwt"), None)
            .unwrap();
        assert_eq!(
            key(only_kind),
            ("jwt", "env-id".into(), "env-secret".into())
        );
        // A token replaces the key; a lone half with nothing to complete is an error.
        let token = from_env()
            .credentials(None, None, None, Some("t".into()))
            .unwrap();
        assert!(matches!(token.auth, Some(Auth::Bearer(_))));
        let e = ClientBuilder::new()
            .credentials(None, Some("s".into()), None, None)
            .unwrap_err();
        assert!(e.to_string().contains("go together"), "{e}");
        let e = ClientBuilder::new()
            .credentials(None, None, Some("jwt"), None)
            .unwrap_err();
        assert!(e.to_string().contains("needs a key"), "{e}");
    }

    #[test]
    fn env_lookup() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let b = ClientBuilder::new()
            .from_lookup(vars(&[
                ("SUNCO_BASE_URL", "http://127.0.0.1:9"),
                ("SUNCO_KEY_ID", "k"),
                ("SUNCO_KEY_SECRET", "very-secret"),
                ("SUNCO_AUTH", "jwt"),
            ]))
            .unwrap();
        assert!(matches!(b.auth, Some(Auth::Jwt { .. })));
        let client = b.build().unwrap();
        assert_eq!(client.key_id(), Some("k"));
        assert!(!format!("{client:?}").contains("very-secret"));
        let e = ClientBuilder::new()
            .from_lookup(vars(&[
                ("SUNCO_KEY_ID", "k"),
                ("SUNCO_KEY_SECRET", "s"),
                ("SUNCO_AUTH", "magic"),
            ]))
            .unwrap_err();
        assert!(e.to_string().contains("SUNCO_AUTH"));
        let e = ClientBuilder::new()
            .from_lookup(vars(&[("SUNCO_KEY_ID", "k")]))
            .unwrap()
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("SUNCO_KEY_SECRET is not"), "{e}");
        // Half a key from the environment is completed by the caller's other half.
        let b = ClientBuilder::new()
            .from_lookup(vars(&[("SUNCO_KEY_ID", "k"), ("SUNCO_AUTH", "jwt")]))
            .unwrap()
            .credentials(None, Some("s".into()), None, None)
            .unwrap();
        assert!(matches!(&b.auth, Some(Auth::Jwt { key_id, .. }) if key_id == "k"));
        let b = ClientBuilder::new()
            .from_lookup(vars(&[("SUNCO_KEY_SECRET", "s")]))
            .unwrap()
            .credentials(Some("k".into()), None, None, None)
            .unwrap();
        assert!(matches!(&b.auth, Some(Auth::Basic { key_id, .. }) if key_id == "k"));
        let b = ClientBuilder::new()
            .from_lookup(vars(&[("SUNCO_REGION", "eu"), ("SUNCO_TOKEN", "t")]))
            .unwrap();
        assert_eq!(base(b).unwrap(), EU_BASE_URL);
    }
}
