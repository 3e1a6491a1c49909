//! The API's error shape, `{"errors":[{"code","title"}]}`, and JSON response helpers.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answered as `{"errors":[{"code": code, "title": title}]}` with `status`.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: String,
    pub(crate) title: String,
}

impl ApiError {
    pub(crate) fn new(
        status: StatusCode,
        code: impl Into<String>,
        title: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code: code.into(),
            title: title.into(),
        }
    }

    /// 400 `bad_request`.
    pub(crate) fn bad_request(title: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", title)
    }

    /// 401 `unauthorized`.
    pub(crate) fn unauthorized(title: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", title)
    }

    /// 404 with the given code.
    pub(crate) fn not_found(code: &str, title: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, title)
    }

    pub(crate) fn user_not_found() -> Self {
        Self::not_found("user_not_found", "User not found")
    }

    pub(crate) fn conversation_not_found() -> Self {
        Self::not_found("conversation_not_found", "Conversation not found")
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    errors: [ErrorItem<'a>; 1],
}

#[derive(Serialize)]
struct ErrorItem<'a> {
    code: &'a str,
    title: &'a str,
}

/// The JSON error body for `code` and `title`.
pub(crate) fn error_body(code: &str, title: &str) -> Vec<u8> {
    serde_json::to_vec(&ErrorBody {
        errors: [ErrorItem { code, title }],
    })
    .expect("serialising strings cannot fail")
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_bytes(self.status, error_body(&self.code, &self.title))
    }
}

/// A response with `status`, `content-type: application/json` and `body` as is.
pub(crate) fn json_bytes(status: StatusCode, body: impl Into<Body>) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// `value` serialised as the JSON body of a `status` response.
pub(crate) fn json<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => json_bytes(status, bytes),
        Err(e) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            e.to_string(),
        )
        .into_response(),
    }
}

/// What handlers return.
pub(crate) type ApiResult = Result<Response, ApiError>;
