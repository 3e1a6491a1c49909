"""The exceptions raised by sunco.

Every exception is a :class:`SuncoError`, and its message is the core's own text. The native
module builds them in one place (``py/src/error.rs``) from the Rust ``sunco::Error``:

=====================================  ==========================================================
exception                              raised when
=====================================  ==========================================================
:class:`ValidationError`               an argument breaks an API rule; nothing was sent
:class:`ConfigError`                   the client configuration is unusable
:class:`BadRequestError`               HTTP 400
:class:`AuthenticationError`           HTTP 401 (wrong or missing credentials)
:class:`PermissionDeniedError`         HTTP 403 (a subclass of AuthenticationError)
:class:`NotFoundError`                 HTTP 404
:class:`RateLimitError`                HTTP 429, see ``retry_after``
:class:`ServerError`                   HTTP 5xx
:class:`ApiError`                      any other non-success HTTP status (base of the above)
:class:`TimeoutError`                  no complete answer within ``timeout``
:class:`TransportError`                the connection failed or broke
:class:`DecodeError`                   the answer was not the JSON the API promises
:class:`ClientClosedError`             the client was closed before the call
:class:`WebhookSecretError`            a webhook's ``X-API-Key`` is missing or wrong (401)
:class:`WebhookTooLargeError`          a webhook body is over the limit (413)
:class:`WebhookMalformedError`         a webhook body is not a webhook payload (400)
:class:`WebhookError`                  base of the three above; ``status`` is the answer
=====================================  ==========================================================

Messages name arguments as they are written in Python (``size``, ``display_name``,
``metadata.plan``); ``ValidationError.field`` also gives the API's own name (``page.size``).
No exception, message or repr ever contains a key secret or token.
"""

from __future__ import annotations

import builtins

# Typing names are for type checkers only: importing `typing` would double the import time.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "ApiError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigError",
    "DecodeError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "SuncoError",
    "TimeoutError",
    "TransportError",
    "ValidationError",
    "WebhookError",
    "WebhookMalformedError",
    "WebhookSecretError",
    "WebhookTooLargeError",
]


def _restore(cls: type[SuncoError], message: str, attrs: dict[str, Any]) -> SuncoError:
    return cls(message, **attrs)


class SuncoError(Exception):
    """Base class of every sunco error. ``str(e)`` is the message."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def _attrs(self) -> dict[str, Any]:
        return {}

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructor arguments: pickle (e.g. multiprocessing) through _restore.
        return (_restore, (type(self), self.message, self._attrs()))


class ValidationError(SuncoError, ValueError):
    """An argument broke an API rule; no request was sent.

    ``argument`` names it as written in Python (``size``, ``display_name``,
    ``participants[1].user_id``, ``metadata.plan``); ``field`` names it in the API's
    spelling (``page.size``, ``displayName``, ``participants[1].userId``); ``rule`` says
    what is wrong in plain words.
    """

    field: str
    rule: str
    argument: str

    def __init__(self, message: str, *, field: str, rule: str, argument: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.rule = rule
        self.argument = _python_name(field) if argument is None else argument

    def _attrs(self) -> dict[str, Any]:
        return {"field": self.field, "rule": self.rule, "argument": self.argument}


class ConfigError(SuncoError, ValueError):
    """The client configuration is unusable (bad URL or region, missing credentials, ...)."""


class ApiError(SuncoError):
    """The API answered with a non-success HTTP status.

    Attributes: ``status`` (HTTP status), ``errors`` (every ``{"code", "title"}`` the server
    sent), ``code`` and ``title`` (of the first entry, or ``None``), ``request_id`` (the
    ``x-request-id`` header: quote it to support) and ``retry_after`` (seconds from the
    ``Retry-After`` header, or ``None``).
    """

    status: int
    errors: list[dict[str, str]]
    request_id: str | None
    retry_after: float | None

    def __init__(
        self,
        message: str,
        *,
        status: int,
        errors: list[dict[str, str]] | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.errors = list(errors or [])
        self.request_id = request_id
        self.retry_after = retry_after

    @property
    def code(self) -> str | None:
        """The machine-readable code of the first error entry (``conversation_not_found``)."""
        return self.errors[0].get("code") if self.errors else None

    @property
    def title(self) -> str | None:
        """The human-readable title of the first error entry."""
        return self.errors[0].get("title") if self.errors else None

    def _attrs(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "errors": self.errors,
            "request_id": self.request_id,
            "retry_after": self.retry_after,
        }


class BadRequestError(ApiError):
    """HTTP 400: the server refused the request (e.g. deleting a default conversation)."""


class AuthenticationError(ApiError):
    """HTTP 401 (and, through :class:`PermissionDeniedError`, 403): credentials problem."""


class PermissionDeniedError(AuthenticationError):
    """HTTP 403: the credentials are valid but may not act on this resource."""


class NotFoundError(ApiError):
    """HTTP 404: the app, conversation or user does not exist."""


class RateLimitError(ApiError):
    """HTTP 429: too many requests; wait ``retry_after`` seconds (when given) and try again.

    The client already retried (``max_retries``) before raising this.
    """


class ServerError(ApiError):
    """HTTP 5xx: the server failed."""


class TimeoutError(SuncoError, builtins.TimeoutError):
    """No complete answer arrived within the client's ``timeout`` (``after``, in seconds).

    Also a built-in :class:`TimeoutError`.
    """

    after: float

    def __init__(self, message: str, *, after: float) -> None:
        super().__init__(message)
        self.after = after

    def _attrs(self) -> dict[str, Any]:
        return {"after": self.after}


class TransportError(SuncoError, ConnectionError):
    """The connection failed or broke. Also a built-in :class:`ConnectionError`.

    ``kind`` is ``"connect"`` (the request was never sent), ``"request"`` (it may have been
    sent) or ``"body"`` (the answer could not be read to its end).
    """

    kind: str

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        self.kind = kind

    def _attrs(self) -> dict[str, Any]:
        return {"kind": self.kind}


class DecodeError(SuncoError):
    """The server answered, but not with the JSON the API promises.

    ``status`` is the HTTP status and ``excerpt`` the first bytes of the body.
    """

    status: int
    excerpt: str

    def __init__(self, message: str, *, status: int, excerpt: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.excerpt = excerpt

    def _attrs(self) -> dict[str, Any]:
        return {"status": self.status, "excerpt": self.excerpt}


class ClientClosedError(SuncoError, RuntimeError):
    """The client was closed (:meth:`Client.close`, or leaving ``with``) before this call,
    or before this page of an iterator made earlier. Also a built-in :class:`RuntimeError`."""


class WebhookError(SuncoError):
    """A webhook request was refused by :func:`sunco.webhooks.parse`; ``status`` is the HTTP
    status to answer it with (401, 413 or 400). Never holds the secret or the header sent."""

    status: int

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status

    def _attrs(self) -> dict[str, Any]:
        return {"status": self.status}


class WebhookSecretError(WebhookError):
    """The ``X-API-Key`` header is missing (``missing`` is true), or is not the webhook's
    secret, or was sent more than once: answer 401."""

    missing: bool

    def __init__(self, message: str, *, status: int = 401, missing: bool = False) -> None:
        super().__init__(message, status=status)
        self.missing = missing

    def _attrs(self) -> dict[str, Any]:
        return {"status": self.status, "missing": self.missing}


class WebhookTooLargeError(WebhookError):
    """The body (``size`` bytes) is over the limit (``limit``); it was not parsed: answer 413."""

    size: int
    limit: int

    def __init__(self, message: str, *, status: int = 413, size: int, limit: int) -> None:
        super().__init__(message, status=status)
        self.size = size
        self.limit = limit

    def _attrs(self) -> dict[str, Any]:
        return {"status": self.status, "size": self.size, "limit": self.limit}


class WebhookMalformedError(WebhookError, ValueError):
    """The body is not a webhook payload: not JSON, not an object, or a field of the wrong
    shape, at ``path`` in wire spelling (``events[0].payload.conversation``; empty for the
    body as a whole): answer 400. Also a built-in :class:`ValueError`."""

    path: str

    def __init__(self, message: str, *, status: int = 400, path: str = "") -> None:
        super().__init__(message, status=status)
        self.path = path

    def _attrs(self) -> dict[str, Any]:
        return {"status": self.status, "path": self.path}


# API field names (as the core reports them) and the Python arguments that carry them.
_ARGUMENTS = {
    "appId": "app_id",
    "conversationId": "conversation_id",
    "displayName": "display_name",
    "iconUrl": "icon_url",
    "userId": "user_id",
    "filter": "user_id / user_external_id",
    "filter.userId": "user_id",
    "filter.userExternalId": "user_external_id",
    "page": "after / before",
    "page.after": "after",
    "page.before": "before",
    "page.size": "size",
}
_PARTICIPANT_ARGUMENTS = {
    "userId": "user_id",
    "userExternalId": "user_external_id",
    "subscribeSDKClient": "subscribe_sdk_client",
}
# Rules of the core that name API fields, and how Python callers know them.
_RULE_WORDS = (("userId or userExternalId", "user_id or user_external_id"),)


def _python_name(field: str) -> str:
    """The Python argument behind an API field: ``page.size`` -> ``size``."""
    name = _ARGUMENTS.get(field)
    if name is not None:
        return name
    if field.startswith("participants[") and "]." in field:
        head, _, key = field.partition("].")
        return f"{head}].{_PARTICIPANT_ARGUMENTS.get(key, key)}"
    # metadata.<key>, extra.<key>, apple.interactiveDataRef.<key>, participants[i], type, ...
    return field


def _message(field: str, argument: str, rule: str) -> str:
    if field == "body":
        return f"invalid request body: {rule}"
    if argument == field:
        return f"invalid `{argument}`: {rule}"
    return f"invalid `{argument}` (API field `{field}`): {rule}"


def _argument_error(
    kind: str, field: str, rule: str, argument: str | None = None, *, wire: bool = False
) -> Exception:
    """The exception for an argument that cannot be sent (called by the native module too):
    ``kind`` is ``"value"`` (a :class:`ValidationError`) or ``"type"`` (a ``TypeError``).

    With ``wire``, the caller wrote the argument in the API's spelling (``client.call``), so it
    is named as the API names it (``argument == field``: ``conversationId``, ``page.size``)."""
    if wire:
        argument = field
    else:
        for api, python in _RULE_WORDS:
            rule = rule.replace(api, python)
    if argument is None:
        argument = _python_name(field)
    if kind == "type":
        return builtins.TypeError(f"{argument}: {rule}")
    message = _message(field, argument, rule)
    return ValidationError(message, field=field, rule=rule, argument=argument)
