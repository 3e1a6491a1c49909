"""Receiving webhooks with any server: :func:`parse` checks a request and reads its events.

Sunshine Conversations POSTs a JSON body (``app``, ``webhook``, ``events``) to a webhook's
target with the webhook's secret in the ``X-API-Key`` header. :func:`parse` takes the raw body
bytes, the request headers and the secret, and hands them to the Rust core, which checks the
secret in constant time, refuses a body over :data:`MAX_BODY_BYTES` before reading it, and
reads each event into its class by ``type`` (:mod:`sunco.models`: ``ConversationMessageEvent``,
``SwitchboardPassControl``, ...; a type this version does not know is a
``WebhookEventUnknown``, kept whole). No web framework is needed, and none is imported.

>>> from sunco import webhooks
>>> from sunco.models import ConversationMessageEvent
>>> try:
...     payload = webhooks.parse(body, request.headers, secret)
... except webhooks.WebhookError as e:
...     answer(e.status)          # 401 wrong/missing secret, 413 too large, 400 malformed
... else:
...     for event in payload.events or []:
...         if isinstance(event, ConversationMessageEvent):
...             print(event.payload.message.content)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Union

from . import _native
from ._api.models import WebhookEvent, WebhookPayload
from ._errors import (
    WebhookError,
    WebhookMalformedError,
    WebhookSecretError,
    WebhookTooLargeError,
)

__all__ = [
    "EVENT_TYPES",
    "MAX_BODY_BYTES",
    "SECRET_HEADER",
    "WebhookError",
    "WebhookEvent",
    "WebhookMalformedError",
    "WebhookPayload",
    "WebhookSecretError",
    "WebhookTooLargeError",
    "parse",
]

SECRET_HEADER = "X-API-Key"
"""The header that carries the webhook's secret (matched in any case)."""

MAX_BODY_BYTES: int = _native.WEBHOOK_MAX_BODY_BYTES
"""The largest body :func:`parse` reads (1 MiB); set the server's own limit to the same."""

EVENT_TYPES: tuple[str, ...] = _native.WEBHOOK_EVENT_TYPES
"""Every event type the spec lists, each read into its own class."""

Headers = Union[Mapping[str, str], Iterable[tuple[str, str]], Any]
"""Request headers: a mapping, anything with ``items()`` (``http.server``'s
``self.headers``, Flask's ``request.headers``, Starlette's), or ``(name, value)`` pairs."""


def _pairs(headers: Headers) -> list[tuple[str, str]]:
    items = headers.items() if hasattr(headers, "items") else headers
    try:
        pairs = list(items)
    except TypeError:
        raise TypeError(
            f"headers must be a mapping or (name, value) pairs, not {type(headers).__name__}"
        ) from None
    out = []
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"headers must hold (name, value) pairs, not {pair!r:.40}")
        name, value = pair
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(
                "header names and values must be str, not "
                f"{type(name).__name__} and {type(value).__name__}"
            )
        out.append((name, value))
    return out


def parse(body: bytes | bytearray | memoryview, headers: Headers, secret: str) -> WebhookPayload:
    """Checks one webhook request and returns its payload, with typed ``events``.

    ``body`` is the raw request body (``bytes``, not decoded), ``headers`` the request
    headers, ``secret`` the webhook's secret (from ``CreateWebhook``, or the integration).
    Raises, with ``status`` set to the HTTP status to answer:

    - :class:`WebhookSecretError` (401): no ``X-API-Key`` header (``missing``), or one that is
      not the secret, or more than one;
    - :class:`WebhookTooLargeError` (413): the body is over :data:`MAX_BODY_BYTES`;
    - :class:`WebhookMalformedError` (400): not JSON, not an object, or a field of the wrong
      shape for its event type (``path`` names it: ``events[0].payload.conversation``).

    Wrong Python types raise ``TypeError``. Neither the secret nor the header sent appear in
    any message.
    """
    raw: object = body
    if isinstance(raw, (bytearray, memoryview)):
        raw = bytes(raw)
    if not isinstance(raw, bytes):
        raise TypeError(f"body must be bytes, not {type(body).__name__}")
    if not isinstance(secret, str):
        raise TypeError(f"secret must be str, not {type(secret).__name__}")
    data = _native.parse_webhook(raw, _pairs(headers), secret)
    return WebhookPayload.from_dict(data)
