//! The HTTP front door: accepts connections, logs requests, applies faults, enforces the body
//! limit, then hands requests to the axum router.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post, put};
use hyper::body::{Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::body::{self, Outcome};
use crate::error::{ApiError, error_body, json_bytes};
use crate::faults::{self, FaultAction};
use crate::log::{BodySeen, Entry};
use crate::state::Shared;
use crate::{
    activity, apps, attachments, clients, control, conversations, end_user, integrations, keys,
    messages, oauth, outside, participants, switchboard_actions, switchboards, users, webhooks,
};

/// How long shutdown waits for in-flight requests before giving up on them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The routes of the API and of the control endpoints.
fn router(state: Arc<Shared>) -> Router {
    Router::new()
        .route("/v2/apps", get(apps::list).post(apps::create))
        .route(
            "/v2/apps/{app_id}",
            get(apps::get).patch(apps::update).delete(apps::delete),
        )
        .route(
            "/v2/apps/{app_id}/keys",
            get(keys::list_app_keys).post(keys::create_app_key),
        )
        .route(
            "/v2/apps/{app_id}/keys/{key_id}",
            get(keys::get_app_key).delete(keys::delete_app_key),
        )
        .route(
            "/v2/apps/{app_id}/users",
            post(users::create).get(users::list),
        )
        .route(
            "/v2/apps/{app_id}/users/{user_id}",
            get(users::get).patch(users::update).delete(users::delete),
        )
        .route(
            "/v2/apps/{app_id}/users/{user_id}/personalinformation",
            delete(users::delete_personal_information),
        )
        .route(
            "/v2/apps/{app_id}/users/{user_id}/clients",
            post(clients::create).get(clients::list),
        )
        .route(
            "/v2/apps/{app_id}/users/{user_id}/clients/{client_id}",
            delete(clients::remove),
        )
        .route(
            "/v2/apps/{app_id}/users/{user_id}/devices",
            get(clients::list_devices),
        )
        .route(
            "/v2/apps/{app_id}/users/{user_id}/devices/{device_id}",
            get(clients::get_device),
        )
        // `{user_id}` is the zendeskId here; axum wants one name per position.
        .route("/v2/apps/{app_id}/users/{user_id}/sync", post(users::sync))
        .route(
            "/v2/apps/{app_id}/conversations",
            post(conversations::create).get(conversations::list),
        )
        .route(
            "/v2/apps/{app_id}/conversations/{conversation_id}",
            get(conversations::get)
                .patch(conversations::update)
                .delete(conversations::delete),
        )
        .route(
            "/v2/apps/{app_id}/conversations/{conversation_id}/download",
            post(conversations::download),
        )
        .route(
            "/v2/apps/{app_id}/conversations/{conversation_id}/activity",
            post(activity::post),
        )
        .route(
            "/v2/apps/{app_id}/conversations/{conversation_id}/conversionEvents",
            post(conversations::conversion_events),
        )
        .route(
            "/v2/apps/{app_id}/conversations/{conversation_id}/passControl",
            post(switchboard_actions::pass),
        )
        .route(
            "/v2/apps/{app_id}/conversations/{conversation_id}/offerControl",
            post(switchboard_actions::offer),
        )
        .route(
            "/v2/apps/{app_id}/conversations/{conversation_id}/acceptControl",
            post(switchboard_actions::accept),
        )
        .route(
            "/v2/apps/{app_id}/conversations/{conversation_id}/releaseControl",
            post(switchboard_actions::release),
        )
        .route(
            "/v2/apps/{app_id}/conversations/{conversation_id}/join",
            post(participants::join),
        )
        .route(
            "/v2/apps/{app_id}/conversations/{conversation_id}/leave",
            post(participants::leave),
        )
        .route(
            "/v2/apps/{app_id}/conversations/{conversation_id}/participants",
            get(participants::list),
        )
        .route(
            "/v2/apps/{app_id}/conversations/{conversation_id}/messages",
            post(messages::post)
                .get(messages::list)
                .delete(messages::delete_all),
        )
        .route(
            "/v2/apps/{app_id}/conversations/{conversation_id}/messages/{message_id}",
            delete(messages::delete),
        )
        .route(
            "/v2/apps/{app_id}/integrations",
            post(integrations::create).get(integrations::list),
        )
        .route(
            "/v2/apps/{app_id}/integrations/{integration_id}",
            get(integrations::get)
                .patch(integrations::update)
                .delete(integrations::delete),
        )
        .route(
            "/v2/apps/{app_id}/integrations/{integration_id}/keys",
            post(keys::create_integration_key).get(keys::list_integration_keys),
        )
        .route(
            "/v2/apps/{app_id}/integrations/{integration_id}/keys/{key_id}",
            get(keys::get_integration_key).delete(keys::delete_integration_key),
        )
        .route(
            "/v2/apps/{app_id}/integrations/{integration_id}/webhooks",
            post(webhooks::create_webhook).get(webhooks::list_webhooks),
        )
        .route(
            "/v2/apps/{app_id}/integrations/{integration_id}/webhooks/{webhook_id}",
            get(webhooks::get_webhook)
                .patch(webhooks::update_webhook)
                .delete(webhooks::delete_webhook),
        )
        .route(
            "/v2/apps/{app_id}/attachments",
            post(attachments::upload),
        )
        .route(
            "/v2/apps/{app_id}/attachments/remove",
            post(attachments::remove),
        )
        .route(
            "/attachments/v2/{app_id}/{attachment_id}/{file_name}",
            get(attachments::media),
        )
        .route(
            "/v2/apps/{app_id}/switchboards",
            post(switchboards::create).get(switchboards::list),
        )
        .route(
            "/v2/apps/{app_id}/switchboards/{switchboard_id}",
            patch(switchboards::update).delete(switchboards::delete),
        )
        .route(
            "/v2/apps/{app_id}/switchboards/{switchboard_id}/switchboardIntegrations",
            post(switchboards::create_integration).get(switchboards::list_integrations),
        )
        .route(
            "/v2/apps/{app_id}/switchboards/{switchboard_id}/switchboardIntegrations/{switchboard_integration_id}",
            patch(switchboards::update_integration).delete(switchboards::delete_integration),
        )
        .route("/v2/tokenInfo", get(oauth::token_info))
        .route("/oauth/authorize", get(oauth::authorize))
        .route("/oauth/token", post(oauth::token))
        .route("/oauth/authorization", delete(oauth::revoke))
        .route(
            "/_emulator/requests",
            get(control::requests).delete(control::clear_requests),
        )
        .route(
            "/_emulator/faults",
            get(control::list_faults)
                .post(control::add_faults)
                .delete(control::clear_faults),
        )
        .route("/_emulator/reset", post(control::reset))
        .route(
            "/_emulator/deliveries",
            get(control::deliveries).delete(control::clear_deliveries),
        )
        .route(
            "/_emulator/webhook-faults",
            get(control::list_webhook_faults)
                .post(control::add_webhook_faults)
                .delete(control::clear_webhook_faults),
        )
        .route(
            "/_emulator/webhook-settings",
            get(control::webhook_settings).patch(control::patch_webhook_settings),
        )
        .route(
            "/_emulator/apps/{app_id}/conversations/{conversation_id}/user-postbacks",
            post(end_user::postback),
        )
        .route(
            "/_emulator/apps/{app_id}/conversations/{conversation_id}/user-activity",
            post(end_user::activity),
        )
        .route(
            "/_emulator/apps/{app_id}/conversations/{conversation_id}/user-referrals",
            post(end_user::referral),
        )
        .route(
            "/_emulator/apps/{app_id}/conversations/{conversation_id}/messages/{message_id}/delivery",
            post(end_user::delivery_report),
        )
        .route(
            "/_emulator/apps/{app_id}/conversations/{conversation_id}/switchboard-failures",
            post(end_user::switchboard_failure),
        )
        .route(
            "/_emulator/apps/{app_id}/users/{user_id}",
            patch(outside::patch_user),
        )
        .route(
            "/_emulator/apps/{app_id}/users/{user_id}/devices",
            post(outside::post_device),
        )
        .route(
            "/_emulator/apps/{app_id}/users/{user_id}/clients/{client_id}",
            patch(outside::patch_client),
        )
        .route(
            "/_emulator/apps/{app_id}/oauth-codes",
            post(oauth::grant_code),
        )
        .route(
            "/_emulator/apps/{app_id}/zendesk-users/{zendesk_id}",
            put(outside::put_zendesk_user),
        )
        .route(
            "/_emulator/apps/{app_id}/conversations/{conversation_id}/user-messages",
            post(messages::post_as_user),
        )
        .fallback(async || ApiError::not_found("not_found", "Resource not found"))
        // Must come after the routes: it applies to the routes registered so far.
        .method_not_allowed_fallback(async || {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "Method not allowed",
            )
        })
        .with_state(state)
}

/// Returned by the service to make hyper close the connection without answering.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped")
    }
}

impl std::error::Error for DropConnection {}

/// The per-connection hyper service.
#[derive(Clone)]
struct FrontDoor {
    state: Arc<Shared>,
    router: TowerToHyperService<Router>,
}

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

impl hyper::service::Service<Request<Incoming>> for FrontDoor {
    type Response = Response;
    type Error = DropConnection;
    type Future = Pin<Box<dyn Future<Output = Result<Response, DropConnection>> + Send>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        let this = self.clone();
        Box::pin(async move {
            let request_id = this.state.ids.next_request_id();
            let mut response = this.respond(request).await?;
            if let Ok(value) = HeaderValue::from_str(&request_id) {
                response.headers_mut().insert(REQUEST_ID.clone(), value);
            }
            Ok(response)
        })
    }
}

impl FrontDoor {
    async fn respond(&self, request: Request<Incoming>) -> Result<Response, DropConnection> {
        let (parts, incoming) = request.into_parts();
        let deadline = self
            .state
            .body_timeout
            .map(|timeout| tokio::time::Instant::now() + timeout);
        // A read error means the client went away: there is nobody to answer.
        let limit = body_limit(&parts.method, parts.uri.path());
        let received = body::receive(incoming, deadline, limit)
            .await
            .map_err(|_| DropConnection)?;
        let path = parts.uri.path();
        if !(path == "/_emulator" || path.starts_with("/_emulator/")) {
            self.state.log.push(Entry::new(
                &parts.method,
                &parts.uri,
                &parts.headers,
                BodySeen {
                    start: &received.bytes,
                    size: received.size,
                    timed_out: received.outcome == Outcome::TimedOut,
                },
            ));
            // A request that never arrived in full is answered below and uses up no fault.
            if received.outcome != Outcome::TimedOut {
                match self.state.faults.take(&parts.method, path) {
                    None => {}
                    Some(FaultAction::Delay { ms }) => {
                        tokio::time::sleep(Duration::from_millis(ms)).await
                    }
                    Some(FaultAction::Drop) => return Err(DropConnection),
                    Some(action) => return Ok(fault_response(action)),
                }
            }
        }
        match received.outcome {
            Outcome::Complete => {}
            Outcome::TooLarge => {
                return Ok(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    format!("Request body must not exceed {limit} bytes"),
                )
                .into_response());
            }
            Outcome::TimedOut => {
                let timeout = self.state.body_timeout.unwrap_or_default();
                let mut response = ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "request_timeout",
                    format!(
                        "Request body not received within {} s ({} of its bytes arrived)",
                        timeout.as_secs_f64(),
                        received.size
                    ),
                )
                .into_response();
                // The rest of the body may still come: the connection cannot carry another
                // request.
                response
                    .headers_mut()
                    .insert(header::CONNECTION, HeaderValue::from_static("close"));
                return Ok(response);
            }
        }
        let request = Request::from_parts(parts, Body::from(received.bytes));
        match hyper::service::Service::call(&self.router, request).await {
            Ok(response) => Ok(response),
            Err(never) => match never {},
        }
    }
}

/// The most a request body may hold: [`body::MAX_BODY_BYTES`], or more for `UploadAttachment`
/// (`POST /v2/apps/{appId}/attachments`), whose file may be 50 MB.
fn body_limit(method: &Method, path: &str) -> usize {
    let mut segments = path.split('/');
    let upload = method == Method::POST
        && segments.next() == Some("")
        && segments.next() == Some("v2")
        && segments.next() == Some("apps")
        && segments.next().is_some_and(|app| !app.is_empty())
        && segments.next() == Some("attachments")
        && segments.next().is_none();
    if upload {
        attachments::MAX_UPLOAD_BODY_BYTES
    } else {
        body::MAX_BODY_BYTES
    }
}

/// A JSON body that a `truncated` fault cuts in half.
const TRUNCATABLE: &[u8] = br#"{"conversation":{"id":"5f7c6b0a1d2e3f4a5b6c7d8e","type":"personal","isDefault":false,"businessLastRead":null,"lastUpdatedAt":"2020-06-26T14:33:47.120Z","createdAt":"2020-06-26T14:33:47.120Z"}}"#;

/// The response of a fault that answers (all but `delay` and `drop`).
fn fault_response(action: FaultAction) -> Response {
    match action {
        FaultAction::Status {
            status,
            retry_after,
            code,
            title,
        } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let code = code.unwrap_or_else(|| faults::default_code(status).to_owned());
            let title = title.unwrap_or_else(|| {
                status
                    .canonical_reason()
                    .unwrap_or("Injected fault")
                    .to_owned()
            });
            let mut response = json_bytes(status, error_body(&code, &title));
            if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        FaultAction::Truncated => json_bytes(
            StatusCode::OK,
            Bytes::from_static(&TRUNCATABLE[..TRUNCATABLE.len() / 2]),
        ),
        FaultAction::Malformed => {
            json_bytes(StatusCode::OK, Bytes::from_static(b"<html>oops</html>"))
        }
        FaultAction::Huge { bytes } => json_bytes(StatusCode::OK, Body::new(HugeBody::new(bytes))),
        FaultAction::Delay { .. } | FaultAction::Drop => {
            unreachable!("delay and drop are handled before answering")
        }
    }
}

/// Spaces streamed as the filler of a `huge` body.
static SPACES: [u8; 64 * 1024] = [b' '; 64 * 1024];

/// A valid JSON body of an exact length, streamed from static memory: `{"padding":"   "}`, or
/// `{   }` when too short for that.
struct HugeBody {
    len: u64,
    pos: u64,
    prefix: &'static [u8],
    suffix: &'static [u8],
}

impl HugeBody {
    fn new(len: u64) -> Self {
        let (prefix, suffix): (&[u8], &[u8]) = if len >= 14 {
            (b"{\"padding\":\"", b"\"}")
        } else {
            (b"{", b"}")
        };
        HugeBody {
            len,
            pos: 0,
            prefix,
            suffix,
        }
    }
}

impl hyper::body::Body for HugeBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        let (prefix_len, suffix_len) = (this.prefix.len() as u64, this.suffix.len() as u64);
        let chunk = if this.pos >= this.len {
            return Poll::Ready(None);
        } else if this.pos < prefix_len {
            Bytes::from_static(&this.prefix[this.pos as usize..])
        } else if this.pos < this.len - suffix_len {
            let n = (this.len - suffix_len - this.pos).min(SPACES.len() as u64) as usize;
            Bytes::from_static(&SPACES[..n])
        } else {
            Bytes::from_static(&this.suffix[(this.pos - (this.len - suffix_len)) as usize..])
        };
        this.pos += chunk.len() as u64;
        Poll::Ready(Some(Ok(Frame::data(chunk))))
    }

    fn is_end_stream(&self) -> bool {
        self.pos >= self.len
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.len - self.pos)
    }
}

/// Serves `listener` until `stop` fires (or its sender is dropped), then lets in-flight
/// requests finish for up to [`SHUTDOWN_GRACE`].
///
/// A connection that does not deliver a request's headers within `header_timeout` (counted
/// from when the server starts waiting for them, so this also ends idle keep-alive
/// connections) is closed without an answer.
pub(crate) async fn serve(
    listener: TcpListener,
    state: Arc<Shared>,
    header_timeout: Option<Duration>,
    mut stop: oneshot::Receiver<()>,
) {
    let front_door = FrontDoor {
        router: TowerToHyperService::new(router(state.clone())),
        state,
    };
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .keep_alive(true)
        .header_read_timeout(header_timeout);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stop => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: back off briefly instead of spinning.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let connection = http.serve_connection(TokioIo::new(stream), front_door.clone());
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Errors here are clients going away or dropped connections: nothing to report.
            let _ = connection.await;
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

#[cfg(test)]
mod tests {
    use super::HugeBody;
    use hyper::body::Body as _;
    use std::pin::Pin;
    use std::task::{Context, Poll, Waker};

    fn collect(len: u64) -> Vec<u8> {
        let mut body = HugeBody::new(len);
        let mut out = Vec::new();
        let mut cx = Context::from_waker(Waker::noop());
        while let Poll::Ready(Some(Ok(frame))) = Pin::new(&mut body).poll_frame(&mut cx) {
            out.extend_from_slice(frame.data_ref().unwrap());
        }
        out
    }

    #[test]
    fn huge_bodies_are_exact_json() {
        for len in [2, 3, 13, 14, 15, 100, 65_536 + 20, 200_000] {
            let bytes = collect(len);
            assert_eq!(bytes.len() as u64, len);
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap();
        }
    }
}
