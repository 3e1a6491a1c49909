"""sunco: a fast, dependable client for the Sunshine Conversations v2 API (Zendesk messaging).

Blocking and asyncio clients over one Rust core, which validates every request before
sending it, retries with backoff, follows page cursors, and never shows a secret.

>>> import sunco
>>> with sunco.Client(base_url="http://127.0.0.1:8091",
...                   key_id="demo-key", key_secret="demo-secret") as client:
...     convs = client.conversations("demo-app")
...     conv = convs.create(type="sdkGroup", participants=[{"user_external_id": "alice"}],
...                         display_name="Support")
...     convs.update(conv.id, display_name="Billing", description=None)  # None clears
...     for c in convs.iter(user_external_id="alice"):
...         print(c.id, c.type, c.display_name)
...     convs.delete(conv.id)

The asyncio client has the same API: ``async with sunco.AsyncClient(...)``, ``await``
every call, and ``async for c in convs.iter(...)``.

Every operation of the API is also reachable by its ``operationId``, arguments and results in
the API's JSON: ``client.call("PostMessage", path={...}, body={...})``,
``client.iter_operation("ListMessages", path={...})``; ``sunco.operations()`` lists them.

Every operation also has a typed method, grouped as the API's paths are:
``client.app(app_id).messages(conversation_id).post(author=..., content=...)``,
``client.app(app_id).users().get(user_id_or_external_id)``, ``client.apps().list()``,
``client.oauth().get_token(...)``; keyword arguments in snake_case, results typed
(:mod:`sunco.models`, ``to_dict()`` for the wire form), ``pages()`` and ``iter()`` on every
paginated list. :mod:`sunco.content` builds message content, and :mod:`sunco.webhooks`
checks and parses the webhooks the API sends.
"""

from ._client import AsyncClient, AsyncConversations, Client, Conversations
from ._errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConfigError,
    DecodeError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    SuncoError,
    TimeoutError,
    TransportError,
    ValidationError,
    WebhookError,
    WebhookMalformedError,
    WebhookSecretError,
    WebhookTooLargeError,
)
from ._models import UNSET, Conversation, ConversationPage, Participant, UnsetType
from ._native import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from . import content, models, webhooks
    from ._client import ParticipantLike
    from ._models import MetadataValue
    from ._operations import Operation, operations
else:

    def __getattr__(name: str) -> object:
        # The operation descriptors are loaded on first use, and the two type aliases built
        # then: `import sunco` loads neither them nor `typing`.
        if name in ("Operation", "operations"):
            from . import _operations

            return getattr(_operations, name)
        if name in ("content", "models", "webhooks"):
            # The generated models behind these load on first use, not with `import sunco`.
            import importlib

            return importlib.import_module(f"{__name__}.{name}")
        from typing import Any, Union

        if name == "MetadataValue":
            return Union[str, int, float, bool]
        if name == "ParticipantLike":
            from collections.abc import Mapping

            return Union[Participant, Mapping[str, Any]]
        raise AttributeError(f"module 'sunco' has no attribute {name!r}")


__all__ = [
    "UNSET",
    "ApiError",
    "AsyncClient",
    "AsyncConversations",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ClientClosedError",
    "ConfigError",
    "Conversation",
    "ConversationPage",
    "Conversations",
    "DecodeError",
    "MetadataValue",
    "NotFoundError",
    "Operation",
    "Participant",
    "ParticipantLike",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "SuncoError",
    "TimeoutError",
    "TransportError",
    "UnsetType",
    "ValidationError",
    "WebhookError",
    "WebhookMalformedError",
    "WebhookSecretError",
    "WebhookTooLargeError",
    "__version__",
    "content",
    "models",
    "operations",
    "webhooks",
]

# Show the public names as `sunco.X` (in tracebacks and reprs), not `sunco._errors.X`.
for _name in __all__:
    _obj = globals().get(_name)
    if isinstance(_obj, type):
        _obj.__module__ = __name__
del _name, _obj
