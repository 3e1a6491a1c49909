//! The Attachments API: upload a file as `multipart/form-data`, delete it by its `mediaUrl`;
//! and the `mediaUrl` itself, which the emulator serves.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::content::Obj;
use crate::error::{ApiError, ApiResult, json};
use crate::query::{self, path_segment, percent_decode, percent_encode};
use crate::state::Shared;
use crate::store::Attachment;
use crate::{body, multipart, pages, validate};

/// The largest file an upload may carry (the spec's request size limits: 50 MB).
pub(crate) const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// The largest upload body: the file and its form around it.
pub(crate) const MAX_UPLOAD_BODY_BYTES: usize = MAX_FILE_BYTES + 64 * 1024;
/// Where the emulator serves uploaded files: `/attachments/v2/{appId}/{id}/{fileName}`.
const MEDIA_PREFIX: &str = "/attachments/v2/";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AttachmentView<'a> {
    media_url: &'a str,
    media_type: &'a str,
}

#[derive(Serialize)]
struct AttachmentBody<'a> {
    attachment: AttachmentView<'a>,
}

/// A media type for a file name without one, by its extension.
fn guess_media_type(file_name: &str) -> &'static str {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "json" => "application/json",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// The query of an upload: `access` (required, `public`), `for` (`message`) and
/// `conversationId`.
struct UploadQuery {
    for_message: bool,
    conversation_id: Option<String>,
}

fn upload_query(raw: Option<&str>) -> Result<UploadQuery, ApiError> {
    let (mut access, mut purpose, mut conversation_id) = (None, None, None);
    for (key, value) in query::pairs(raw.unwrap_or("")) {
        match key.as_str() {
            "access" => access = Some(value),
            "for" => purpose = Some(value),
            "conversationId" => conversation_id = Some(value),
            _ => {}
        }
    }
    match access.as_deref() {
        Some("public") => {}
        Some("private") => {
            return Err(ApiError::bad_request(
                "access must be public: private attachments are not supported",
            ));
        }
        Some(_) => return Err(ApiError::bad_request("access must be public")),
        None => return Err(ApiError::bad_request("access is required (public)")),
    }
    let for_message = match purpose.as_deref() {
        None => false,
        Some("message") => true,
        Some(_) => return Err(ApiError::bad_request("for must be message")),
    };
    if conversation_id.as_deref() == Some("") {
        return Err(ApiError::bad_request("conversationId must not be empty"));
    }
    Ok(UploadQuery {
        for_message,
        conversation_id,
    })
}

/// `POST /v2/apps/{appId}/attachments?access=public[&for=message][&conversationId=..]`
/// (`attachmentUploadBody`, `multipart/form-data`).
///
/// The form holds exactly one field, `source`: the file (at most 50 MB, 413 beyond; not empty);
/// any other field is a 400. Its media type is the part's `Content-Type`, or guessed from its
/// file name. `conversationId` must name a conversation of the app (404). Answers 201
/// `{"attachment": {mediaUrl, mediaType}}`; the `mediaUrl` is served by the emulator.
pub(crate) async fn upload(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let app_id = path_segment(parts.uri.path(), 3);
    let app = state.authorize(&parts.headers, &app_id)?;
    let query = upload_query(parts.uri.query())?;
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = multipart::boundary(content_type).ok_or_else(|| {
        ApiError::bad_request("Content-Type must be multipart/form-data with a boundary")
    })?;
    let bytes = axum::body::to_bytes(body, MAX_UPLOAD_BODY_BYTES)
        .await
        .map_err(|_| ApiError::bad_request("Request body could not be read"))?;
    let form = multipart::parse(&bytes, &boundary)
        .map_err(|e| ApiError::bad_request(format!("Malformed multipart/form-data body: {e}")))?;
    if let Some(other) = form.iter().find(|p| p.name != "source") {
        return Err(ApiError::bad_request(format!(
            "Unexpected form field {:?}: the form takes only source",
            other.name
        )));
    }
    let [source] = form.as_slice() else {
        return Err(ApiError::bad_request(if form.is_empty() {
            "source is required"
        } else {
            "source must be given once"
        }));
    };
    if source.data.len() > MAX_FILE_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!(
                "source must not exceed {MAX_FILE_BYTES} bytes (50 MB; got {})",
                source.data.len()
            ),
        ));
    }
    if source.data.is_empty() {
        return Err(ApiError::bad_request("source must not be empty"));
    }
    let file_name = source
        .file_name
        .clone()
        .filter(|n| !n.is_empty() && !n.contains('/'))
        .unwrap_or_else(|| "file".to_owned());
    let media_type = source
        .content_type
        .clone()
        .unwrap_or_else(|| guess_media_type(&file_name).to_owned());
    let data = axum::body::Bytes::copy_from_slice(source.data);
    drop(form);
    drop(bytes);

    let mut data_lock = app.write();
    if let Some(conversation_id) = &query.conversation_id {
        data_lock
            .conversation(conversation_id)
            .ok_or_else(ApiError::conversation_not_found)?;
    }
    let id = state.ids.next_record_id();
    let media_url = format!(
        "{}{MEDIA_PREFIX}{}/{id}/{}",
        pages::origin(&parts.headers, &state),
        percent_encode(&app_id),
        percent_encode(&file_name),
    );
    let response = json(
        StatusCode::CREATED,
        &AttachmentBody {
            attachment: AttachmentView {
                media_url: &media_url,
                media_type: &media_type,
            },
        },
    );
    data_lock.attachments.insert(
        id,
        Attachment {
            file_name,
            media_type,
            data,
            conversation_id: query.conversation_id,
            for_message: query.for_message,
        },
    );
    Ok(response)
}

/// The app id and attachment id of a `mediaUrl` the emulator made (an absolute `http(s)` URL
/// whose path is `/attachments/v2/{appId}/{id}/{fileName}`); `None` for any other URL.
pub(crate) fn parse_media_url(url: &str) -> Option<(String, String)> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let tail = path.strip_prefix(MEDIA_PREFIX)?;
    let mut segments = tail.split('/');
    let (app, id, name) = (segments.next()?, segments.next()?, segments.next()?);
    (!app.is_empty() && !id.is_empty() && !name.is_empty() && segments.next().is_none())
        .then(|| (percent_decode(app, false), percent_decode(id, false)))
}

/// `POST /v2/apps/{appId}/attachments/remove` (`attachmentDeleteBody`): `mediaUrl` required.
/// 400 "Unsupported media URL for attachment deletion" for a URL the emulator did not make,
/// 404 `not_found` "Attachment not found" for one of another app or already deleted.
pub(crate) async fn remove(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let app_id = path_segment(parts.uri.path(), 3);
    let app = state.authorize(&parts.headers, &app_id)?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    let url = Obj::root(&body)
        .string("mediaUrl", true, 1, None)?
        .expect("required");
    let (url_app, id) = parse_media_url(url).ok_or_else(|| {
        ApiError::bad_request(format!(
            "Unsupported media URL for attachment deletion: {url}"
        ))
    })?;
    let not_found = || ApiError::not_found("not_found", "Attachment not found");
    if url_app != app_id {
        return Err(not_found());
    }
    app.write().attachments.remove(&id).ok_or_else(not_found)?;
    Ok(json(StatusCode::OK, &Map::<String, Value>::new()))
}

/// `GET /attachments/v2/{appId}/{id}/{fileName}`: the uploaded bytes with their media type (no
/// auth: attachments are public). 404 `not_found` for anything else.
pub(crate) async fn media(State(state): State<Arc<Shared>>, request: Request) -> Response {
    let path = request.uri().path();
    let not_found = || ApiError::not_found("not_found", "Attachment not found").into_response();
    let Ok(app) = state.app(&path_segment(path, 3)) else {
        return not_found();
    };
    let data = app.read();
    let Some(attachment) = data
        .attachments
        .get(&path_segment(path, 4))
        .filter(|a| a.file_name == path_segment(path, 5))
    else {
        return not_found();
    };
    let mut response = Response::new(Body::from(attachment.data.clone()));
    if let Ok(value) = HeaderValue::from_str(&attachment.media_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_urls() {
        assert_eq!(
            parse_media_url("http://127.0.0.1:9/attachments/v2/demo-app/abc/my%20file.png"),
            Some(("demo-app".into(), "abc".into()))
        );
        assert_eq!(parse_media_url("https://badhost.com/image.png"), None);
        assert_eq!(parse_media_url("ftp://h/attachments/v2/a/b/c"), None);
        assert_eq!(parse_media_url("http://h/attachments/v2/a/b"), None);
        assert_eq!(parse_media_url("not a url"), None);
    }

    #[test]
    fn guesses() {
        assert_eq!(guess_media_type("photo.JPG"), "image/jpeg");
        assert_eq!(guess_media_type("file"), "application/octet-stream");
    }
}
