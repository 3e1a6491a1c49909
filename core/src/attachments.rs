//! `UploadAttachment`: a file streamed as `multipart/form-data`, from a path, bytes or a reader.

use std::path::PathBuf;
use std::sync::Mutex;

use bytes::Bytes;
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use tokio::io::AsyncRead;

use crate::client::Client;
use crate::conversations::JsonObject;
use crate::error::{Error, Result};
use crate::http::{Call, FormSource};
use crate::operation::{Operation, build_path_for, build_query_for};

/// The largest file the API accepts in one upload (the spec's request size limits: 50 MB).
pub const UPLOAD_MAX_BYTES: u64 = 50 * 1024 * 1024;

type BoxedReader = Box<dyn AsyncRead + Send + Sync + Unpin + 'static>;

enum Source {
    Path(PathBuf),
    Bytes(Bytes),
    Reader(Mutex<Option<BoxedReader>>),
}

/// The file of an upload: where its bytes come from, its name, its length and its type.
///
/// ```
/// let from_disk = sunco::Upload::path("photo.jpg");
/// let in_memory = sunco::Upload::bytes(vec![0x89, b'P', b'N', b'G'], "logo.png").content_type("image/png");
/// ```
pub struct Upload {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
    len: Option<u64>,
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let source = match &self.source {
            Source::Path(p) => format!("path {}", p.display()),
            Source::Bytes(b) => format!("{} bytes", b.len()),
            Source::Reader(_) => "a reader".to_owned(),
        };
        f.debug_struct("Upload")
            .field("source", &source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl Upload {
    /// A file on disk, streamed from it (opened again for a retry). Its name is the path's
    /// file name unless [`file_name`](Self::file_name) says otherwise.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        Upload {
            source: Source::Path(path),
            file_name,
            content_type: None,
            len: None,
        }
    }

    /// Bytes in memory.
    pub fn bytes(data: impl Into<Bytes>, file_name: impl Into<String>) -> Self {
        let data = data.into();
        let len = data.len() as u64;
        Upload {
            source: Source::Bytes(data),
            file_name: Some(file_name.into()),
            content_type: None,
            len: Some(len),
        }
    }

    /// Exactly `len` bytes read from `reader` while sending. A reader can be read once, so an
    /// upload from one is never retried.
    pub fn reader(
        reader: impl AsyncRead + Send + Sync + Unpin + 'static,
        len: u64,
        file_name: impl Into<String>,
    ) -> Self {
        Upload {
            source: Source::Reader(Mutex::new(Some(Box::new(reader)))),
            file_name: Some(file_name.into()),
            content_type: None,
            len: Some(len),
        }
    }

    /// The file name sent with the file.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The MIME type sent with the file (else guessed from the file name).
    pub fn content_type(mut self, mime: impl Into<String>) -> Self {
        self.content_type = Some(mime.into());
        self
    }

    /// Checks the file and returns how the form of each attempt is made.
    fn into_form_source(mut self) -> Result<FormSource> {
        if let Source::Path(path) = &self.source {
            let meta = std::fs::metadata(path).map_err(|e| {
                Error::validation("source", format!("cannot read {}: {e}", path.display()))
            })?;
            if !meta.is_file() {
                return Err(Error::validation(
                    "source",
                    format!("{} is not a file", path.display()),
                ));
            }
            self.len = Some(meta.len());
        }
        let len = self.len.unwrap_or_default();
        if len > UPLOAD_MAX_BYTES {
            return Err(Error::validation(
                "source",
                format!("must be at most {UPLOAD_MAX_BYTES} bytes (50 MB; got {len})"),
            ));
        }
        let name = self.file_name.clone().unwrap_or_else(|| "file".to_owned());
        if name.is_empty() || name.contains(['\r', '\n', '"']) {
            return Err(Error::validation(
                "source",
                "the file name must be non-empty, without quotes or line breaks",
            ));
        }
        let mime = self.content_type.clone();
        let once = matches!(self.source, Source::Reader(_));
        let source = self.source;
        let part = move |body: reqwest::Body| -> Result<Form> {
            let mut part = Part::stream_with_length(body, len).file_name(name.clone());
            if let Some(m) = &mime {
                part = part
                    .mime_str(m)
                    .map_err(|_| Error::validation("content_type", "is not a MIME type"))?;
            }
            Ok(Form::new().part("source", part))
        };
        let make = move || -> Option<Result<Form>> {
            match &source {
                Source::Bytes(b) => Some(part(reqwest::Body::from(b.clone()))),
                Source::Path(p) => Some(
                    std::fs::File::open(p)
                        .map_err(|e| {
                            Error::validation("source", format!("cannot read {}: {e}", p.display()))
                        })
                        .and_then(|f| part(reqwest::Body::from(tokio::fs::File::from_std(f)))),
                ),
                Source::Reader(slot) => {
                    let reader = slot.lock().ok()?.take()?;
                    let stream = tokio_util_stream(reader, len);
                    Some(part(reqwest::Body::wrap_stream(stream)))
                }
            }
        };
        Ok(FormSource {
            make: Box::new(make),
            once,
        })
    }
}

/// Streams exactly `len` bytes of `reader` in chunks; a reader that ends early is an error.
fn tokio_util_stream(
    reader: BoxedReader,
    len: u64,
) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> + Send + Sync + 'static {
    use tokio::io::AsyncReadExt;
    futures_util::stream::try_unfold((reader, len), |(mut reader, left)| async move {
        if left == 0 {
            return Ok(None);
        }
        let mut buf = vec![0u8; left.min(64 * 1024) as usize];
        let n = reader.read(&mut buf).await?;
        if n == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!("the reader ended {left} bytes short of the length given"),
            ));
        }
        buf.truncate(n);
        Ok(Some((Bytes::from(buf), (reader, left - n as u64))))
    })
}

impl Client {
    /// `UploadAttachment`: uploads a file for use in later messages (`mediaUrl` of an image,
    /// file or carousel message), streamed as `multipart/form-data`. `query` holds the
    /// operation's query parameters: `access` (required: `public` or `private`), and
    /// optionally `for` (`message`) and `conversationId`. Answers `{"attachment": {...}}` as sent.
    ///
    /// Files over 50 MB are refused before anything is sent. Retried only when the server
    /// cannot have acted (429, or no connection), and never for a reader.
    ///
    /// ```no_run
    /// # async fn demo(client: sunco::Client) -> sunco::Result<()> {
    /// let query = serde_json::json!({"access": "public"});
    /// let sent = client
    ///     .upload_attachment("demo-app", query.as_object().unwrap(), sunco::Upload::path("photo.jpg"))
    ///     .await?;
    /// println!("{}", sent["attachment"]["mediaUrl"]);
    /// # Ok(()) }
    /// ```
    pub async fn upload_attachment(
        &self,
        app_id: &str,
        query: &JsonObject,
        file: Upload,
    ) -> Result<JsonObject> {
        let op = Operation::find("UploadAttachment")
            .ok_or_else(|| Error::Config("this build has no UploadAttachment operation".into()))?;
        let mut path_args = JsonObject::new();
        path_args.insert("appId".into(), app_id.into());
        let call = Call {
            method: Method::POST,
            path: build_path_for(op, &path_args)?,
            query: build_query_for(op, query)?,
            body: None,
            sends_auth: true,
            form: Some(file.into_form_source()?),
        };
        self.inner.execute_json(&call).await
    }
}

impl crate::Attachments {
    /// Upload Attachment: `POST /v2/apps/{appId}/attachments`, streamed as
    /// `multipart/form-data` from a path, bytes or a reader ([`Upload`]). Answers the
    /// attachment, whose `mediaUrl` goes into an image, file or carousel message.
    ///
    /// Files over 50 MB are refused before anything is sent. Retried only when the server
    /// cannot have acted (429, or no connection), and never for a reader.
    ///
    /// ```no_run
    /// # async fn demo(client: sunco::Client) -> sunco::Result<()> {
    /// use sunco::types::{Content, MessagePost, UploadAttachmentParams};
    /// let app = client.app("demo-app");
    /// let params = UploadAttachmentParams { access: "public".into(), r#for: None, conversation_id: None };
    /// let uploaded = app.attachments().upload(&params, sunco::Upload::path("photo.jpg")).await?;
    /// let url = uploaded.attachment.and_then(|a| a.media_url).unwrap_or_default();
    /// app.messages("5f1c6e4b3a2d1c0b9a8f7e6d")
    ///     .post(&MessagePost::business(Content::image(url)))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn upload(
        &self,
        params: &crate::types::UploadAttachmentParams,
        file: Upload,
    ) -> Result<crate::types::AttachmentResponse> {
        let query = crate::typed::query_object(params)?;
        let body = self
            .client
            .upload_attachment(&self.app_id, &query, file)
            .await?;
        crate::typed::decode(body)
    }
}
