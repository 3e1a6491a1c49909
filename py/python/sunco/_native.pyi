# Type stubs of the private extension module `sunco._native` (py/src/*.rs).
# Request bodies and results are JSON in the API's wire form (camelCase); results are the
# bodies as the server sent them (create/get/update: the `conversation` object itself).

from collections.abc import Awaitable
from typing import Any, Literal, TypedDict, final

__version__: str
CORE_VERSION: str
PAGE_SIZE_MIN: int
PAGE_SIZE_MAX: int
MAX_DEPTH: int
WEBHOOK_MAX_BODY_BYTES: int
WEBHOOK_EVENT_TYPES: tuple[str, ...]
UPLOAD_MAX_BYTES: int

@final
class NativeClient:
    def __new__(
        cls,
        *,
        from_env: bool = False,
        base_url: str | None = None,
        region: str | None = None,
        subdomain: str | None = None,
        key_id: str | None = None,
        key_secret: str | None = None,
        auth: str | None = None,
        token: str | None = None,
        proxy: str | None = None,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        max_retries: int = 3,
    ) -> NativeClient: ...
    @property
    def base_url(self) -> str: ...
    @property
    def key_id(self) -> str | None: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None: ...
    def conversations(self, app_id: str) -> NativeConversations: ...
    # The generic entry: arguments in wire spelling, results as the server sent them.
    def call(
        self,
        operation_id: str,
        path: dict[str, str] | None = None,
        query: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
    ) -> dict[str, Any]: ...
    def call_async(
        self,
        operation_id: str,
        path: dict[str, str] | None = None,
        query: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
    ) -> Awaitable[dict[str, Any]]: ...
    def operation_pages(
        self,
        operation_id: str,
        path: dict[str, str] | None = None,
        query: dict[str, Any] | None = None,
    ) -> NativeOperationPages: ...
    def authorize_url(self, query: dict[str, str] | None = None) -> str: ...
    # UploadAttachment: `source` is a path or bytes; `query` in wire spelling.
    def upload(
        self,
        app_id: str,
        query: dict[str, Any] | None,
        source: str | bytes,
        file_name: str | None = None,
        content_type: str | None = None,
    ) -> dict[str, Any]: ...
    def upload_async(
        self,
        app_id: str,
        query: dict[str, Any] | None,
        source: str | bytes,
        file_name: str | None = None,
        content_type: str | None = None,
    ) -> Awaitable[dict[str, Any]]: ...

@final
class NativeConversations:
    @property
    def app_id(self) -> str: ...
    def create(self, body: dict[str, Any]) -> dict[str, Any]: ...
    def create_async(self, body: dict[str, Any]) -> Awaitable[dict[str, Any]]: ...
    def get(self, conversation_id: str) -> dict[str, Any]: ...
    def get_async(self, conversation_id: str) -> Awaitable[dict[str, Any]]: ...
    def list(self, params: dict[str, Any]) -> dict[str, Any]: ...
    def list_async(self, params: dict[str, Any]) -> Awaitable[dict[str, Any]]: ...
    def update(self, conversation_id: str, body: dict[str, Any]) -> dict[str, Any]: ...
    def update_async(
        self, conversation_id: str, body: dict[str, Any]
    ) -> Awaitable[dict[str, Any]]: ...
    def delete(self, conversation_id: str) -> None: ...
    def delete_async(self, conversation_id: str) -> Awaitable[None]: ...
    def download_message_ref(
        self, conversation_id: str, body: dict[str, Any]
    ) -> dict[str, Any]: ...
    def download_message_ref_async(
        self, conversation_id: str, body: dict[str, Any]
    ) -> Awaitable[dict[str, Any]]: ...
    def pages(self, params: dict[str, Any]) -> NativePages: ...

@final
class NativePages:
    def next_page(self) -> dict[str, Any] | None: ...
    def next_page_async(self) -> Awaitable[dict[str, Any] | None]: ...

@final
class NativeOperationPages:
    @property
    def items(self) -> str: ...
    @property
    def direction(self) -> Literal["forward", "backward"]: ...
    def next_page(self) -> dict[str, Any] | None: ...
    def next_page_async(self) -> Awaitable[dict[str, Any] | None]: ...

class _OperationFields(TypedDict):
    id: str
    group: str
    method: str
    path: str
    path_params: tuple[str, ...]
    query: tuple[str, ...]
    required_query: tuple[str, ...]
    query_keys: dict[str, tuple[str, ...]]
    body: str | None
    body_required: bool
    items: str | None
    direction: Literal["forward", "backward"]
    scopes: tuple[str, ...]
    redirect: bool

def operations() -> list[_OperationFields]: ...

# Webhooks: checks the secret and parses the body (the core's `sunco::webhooks::parse`); the
# payload in wire form. Raises sunco.Webhook*Error.
def parse_webhook(body: bytes, headers: list[tuple[str, str]], secret: str) -> dict[str, Any]: ...
