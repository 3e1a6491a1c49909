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
)
from ._models import UNSET, Conversation, ConversationPage, Participant, UnsetType
from ._native import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._client import ParticipantLike
    from ._models import MetadataValue
else:

    def __getattr__(name: str) -> object:
        # The two type aliases are built on first use: `import sunco` does not load `typing`.
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
    "__version__",
]

# Show the public names as `sunco.X` (in tracebacks and reprs), not `sunco._errors.X`.
for _name in __all__:
    _obj = globals().get(_name)
    if isinstance(_obj, type):
        _obj.__module__ = __name__
del _name, _obj
