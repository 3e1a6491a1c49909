"""The clients (:class:`Client`, :class:`AsyncClient`) and their conversations handles.

This layer only turns keyword arguments into the API's JSON (after checking their Python
types) and wraps results; the Rust core validates every value, sends, retries and pages.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence

from . import _native
from ._errors import ConfigError, _argument_error
from ._models import UNSET, Conversation, ConversationPage, Participant, UnsetType

# Typing names are for type checkers only: importing `typing` would double the import time.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from types import TracebackType
    from typing import Any, TypeVar, Union

    from ._api.resources import App, Apps, AsyncApp, AsyncApps, AsyncOAuth, OAuth
    from ._models import MetadataValue

    ParticipantLike = Union[Participant, Mapping[str, Any]]
    """A :class:`Participant`, or a dict in snake_case (``{"user_external_id": "alice"}``) or
    in the API's camelCase (``{"userExternalId": "alice", "subscribeSDKClient": True}``)."""

    _C = TypeVar("_C", bound="_BaseClient")

__all__ = ["AsyncClient", "AsyncConversations", "Client", "Conversations"]

# snake_case spellings accepted in participant dicts, and the wire names they stand for.
_PARTICIPANT_KEYS = {
    "user_id": "userId",
    "user_external_id": "userExternalId",
    "subscribe_sdk_client": "subscribeSDKClient",
}
_PARTICIPANT_TYPES: dict[str, type] = {
    "userId": str,
    "userExternalId": str,
    "subscribeSDKClient": bool,
}
# The fields of `apple.interactiveDataRef` (all strings).
_INTERACTIVE_DATA_REF = ("url", "bid", "key", "signature", "owner")
# Keyword arguments of each body, by wire name: `extra` may not name them in either spelling.
_CREATE_FIELDS = {
    "type": "type",
    "participants": "participants",
    "displayName": "display_name",
    "description": "description",
    "iconUrl": "icon_url",
    "metadata": "metadata",
}
_UPDATE_FIELDS = {
    "displayName": "display_name",
    "description": "description",
    "iconUrl": "icon_url",
    "metadata": "metadata",
}
_DOWNLOAD_FIELDS = {"userId": "user_id", "apple": "apple"}
_U32_MAX = 2**32 - 1
# Timeouts beyond this many seconds (about 31 years) are refused: they mean "never".
_MAX_SECONDS = 10**9


def _shown(value: object) -> str:
    """A value for a message: huge numbers are not echoed in full."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:20]}...({len(text)} characters)"


def _type_error(name: str, expected: str, value: object) -> TypeError:
    return TypeError(f"{name} must be {expected}, not {type(value).__name__}")


def _invalid(field: str, argument: str, rule: str) -> Exception:
    return _argument_error("value", field, rule, argument)


def _str(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise _type_error(name, "str", value)
    return value


def _opt_str(name: str, value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _type_error(name, "str or None", value)
    return value


def _opt_int(name: str, value: object) -> int | None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise _type_error(name, "int or None", value)
    return value


def _metadata(name: str, value: object) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise _type_error(name, "a dict", value)
    # Keys and values are checked while converting to JSON; the core checks the rules.
    return dict(value)


def _extra(value: object, fields: dict[str, str]) -> dict[str, Any] | None:
    """``extra=``: fields the API added after this version, sent as top-level body fields."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise _type_error("extra", "a dict or None", value)
    extra = dict(value)
    for key in extra:
        if not isinstance(key, str):
            raise _type_error("extra keys", "str", key)
        if key in fields.values() and key not in fields:
            # A snake_case keyword of this method: sent as is it would be a new, unknown field.
            raise _invalid(
                f"extra.{key}",
                f"extra.{key}",
                f"is the keyword argument {key}=: pass it directly, not through extra",
            )
    # The core refuses wire names of modelled fields (`extra.displayName`).
    return extra


def _participant(index: int, p: object) -> dict[str, Any]:
    if isinstance(p, Participant):
        raw: Mapping[Any, Any] = {
            "userId": p.user_id,
            "userExternalId": p.user_external_id,
            "subscribeSDKClient": p.subscribe_sdk_client,
        }
    elif isinstance(p, Mapping):
        raw = p
    else:
        raise _type_error(f"participants[{index}]", "a Participant or a dict", p)
    wire: dict[str, Any] = {}
    given: dict[str, str] = {}  # wire name -> the spelling used
    for key, value in raw.items():
        if not isinstance(key, str):
            raise _type_error(f"participants[{index}] keys", "str", key)
        name = _PARTICIPANT_KEYS.get(key, key)
        expected = _PARTICIPANT_TYPES.get(name)
        if expected is None:
            raise _invalid(
                f"participants[{index}].{key}",
                f"participants[{index}].{key}",
                "is not a participant field (use user_id, user_external_id, subscribe_sdk_client)",
            )
        if name in given:
            raise _invalid(
                f"participants[{index}].{name}",
                f"participants[{index}].{key}",
                f"is given twice (as {given[name]} and as {key})",
            )
        given[name] = key
        if value is None:
            continue
        if not isinstance(value, expected):
            raise _type_error(f"participants[{index}].{key}", expected.__name__, value)
        wire[name] = value
    return wire


def _create_body(
    kind: object,
    participants: object,
    display_name: object,
    description: object,
    icon_url: object,
    metadata: object,
    extra: object,
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": _str("type", kind)}
    if participants is not None:
        if isinstance(participants, (str, bytes, Mapping)) or not isinstance(
            participants, Sequence
        ):
            raise _type_error("participants", "a list", participants)
        body["participants"] = [_participant(i, p) for i, p in enumerate(participants)]
    for key, name, value in (
        ("displayName", "display_name", display_name),
        ("description", "description", description),
        ("iconUrl", "icon_url", icon_url),
    ):
        if value is not None:
            body[key] = _str(name, value)
    if metadata is not None:
        body["metadata"] = _metadata("metadata", metadata)
    fields = _extra(extra, _CREATE_FIELDS)
    if fields:
        body["extra"] = fields
    return body


def _update_body(
    display_name: object, description: object, icon_url: object, metadata: object, extra: object
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for key, name, value in (
        ("displayName", "display_name", display_name),
        ("description", "description", description),
        ("iconUrl", "icon_url", icon_url),
    ):
        if isinstance(value, UnsetType):
            continue
        body[key] = _opt_str(name, value)
    if not isinstance(metadata, UnsetType):
        body["metadata"] = None if metadata is None else _metadata("metadata", metadata)
    fields = _extra(extra, _UPDATE_FIELDS)
    if fields:
        body["extra"] = fields
    return body


def _list_params(
    user_id: object, user_external_id: object, after: object, before: object, size: object
) -> dict[str, Any]:
    flt: dict[str, Any] = {}
    page: dict[str, Any] = {}
    if _opt_str("user_id", user_id) is not None:
        flt["userId"] = user_id
    if _opt_str("user_external_id", user_external_id) is not None:
        flt["userExternalId"] = user_external_id
    if _opt_str("after", after) is not None:
        page["after"] = after
    if _opt_str("before", before) is not None:
        page["before"] = before
    if _opt_int("size", size) is not None:
        assert isinstance(size, int)
        if not 0 <= size <= _U32_MAX:
            # The core's own rule, for sizes that its integer type cannot even hold.
            low, high = _native.PAGE_SIZE_MIN, _native.PAGE_SIZE_MAX
            raise _invalid(
                "page.size", "size", f"must be between {low} and {high} (got {_shown(size)})"
            )
        page["size"] = size
    params: dict[str, Any] = {}
    if flt:
        params["filter"] = flt
    if page:
        params["page"] = page
    return params


def _download_body(user_id: object, apple: object, extra: object) -> dict[str, Any]:
    body: dict[str, Any] = {"userId": _str("user_id", user_id)}
    if apple is not None:
        body["apple"] = _apple(apple)
    fields = _extra(extra, _DOWNLOAD_FIELDS)
    if fields:
        body["extra"] = fields
    return body


def _apple(apple: object) -> dict[str, Any]:
    if not isinstance(apple, Mapping):
        raise _type_error("apple", "a dict", apple)
    out: dict[str, Any] = {}
    for key, ref in apple.items():
        if key not in ("interactiveDataRef", "interactive_data_ref"):
            if not isinstance(key, str):
                raise _type_error("apple keys", "str", key)
            raise _invalid(
                f"apple.{key}", f"apple.{key}", "is not a field of apple (use interactiveDataRef)"
            )
        if "interactiveDataRef" in out:
            raise _invalid(
                "apple.interactiveDataRef",
                f"apple.{key}",
                "is given twice (as interactiveDataRef and as interactive_data_ref)",
            )
        if not isinstance(ref, Mapping):
            raise _type_error(f"apple.{key}", "a dict", ref)
        fields: dict[str, Any] = {}
        for name, value in ref.items():
            if name not in _INTERACTIVE_DATA_REF:
                if not isinstance(name, str):
                    raise _type_error(f"apple.{key} keys", "str", name)
                raise _invalid(
                    f"apple.interactiveDataRef.{name}",
                    f"apple.{key}.{name}",
                    "is not a field of interactiveDataRef (use url, bid, key, signature, owner)",
                )
            fields[name] = _str(f"apple.{key}.{name}", value)
        out["interactiveDataRef"] = fields
    return out


class Conversations:
    """The conversations of one app, from :meth:`Client.conversations`. Every call blocks
    (with the GIL released) until the answer arrives.

    Argument types are checked first (``TypeError``); the core then checks the API's rules
    (:class:`~sunco.ValidationError`, naming the field in the API's camelCase spelling) before
    anything is sent.
    """

    __slots__ = ("_native",)

    def __init__(self, native: _native.NativeConversations) -> None:
        self._native = native

    @property
    def app_id(self) -> str:
        """The app these conversations belong to."""
        return self._native.app_id

    def __repr__(self) -> str:
        return f"Conversations(app_id={self.app_id!r})"

    def create(
        self,
        *,
        type: str,
        participants: Sequence[ParticipantLike] | None = None,
        display_name: str | None = None,
        description: str | None = None,
        icon_url: str | None = None,
        metadata: Mapping[str, MetadataValue] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Conversation:
        """Creates a conversation (``POST /v2/apps/{appId}/conversations``).

        ``type`` is ``"personal"`` (exactly one participant) or ``"sdkGroup"`` (up to 10).
        ``extra`` holds fields the API added after this version, in the API's spelling; they
        are sent as top-level fields of the body (a field this method has is refused).

        >>> convs.create(type="sdkGroup", participants=[{"user_external_id": "alice"}],
        ...              display_name="Support", metadata={"lang": "en"})
        """
        body = _create_body(
            type, participants, display_name, description, icon_url, metadata, extra
        )
        return Conversation._wrap(self._native.create(body))

    def get(self, conversation_id: str) -> Conversation:
        """Fetches one conversation; :class:`~sunco.NotFoundError` if there is none."""
        return Conversation._wrap(self._native.get(_str("conversation_id", conversation_id)))

    def list(
        self,
        *,
        user_id: str | None = None,
        user_external_id: str | None = None,
        after: str | None = None,
        before: str | None = None,
        size: int | None = None,
    ) -> ConversationPage:
        """One page of a user's conversations; give exactly one of ``user_id`` and
        ``user_external_id``, and at most one of the cursors ``after`` / ``before``.
        ``size`` is 1 to 100 (the server's default is 25). See also :meth:`iter`."""
        params = _list_params(user_id, user_external_id, after, before, size)
        return ConversationPage._wrap(self._native.list(params))

    def update(
        self,
        conversation_id: str,
        *,
        display_name: str | UnsetType | None = UNSET,
        description: str | UnsetType | None = UNSET,
        icon_url: str | UnsetType | None = UNSET,
        metadata: Mapping[str, MetadataValue] | UnsetType | None = UNSET,
        extra: Mapping[str, Any] | None = None,
    ) -> Conversation:
        """Changes some fields (``PATCH``). A field left out is not sent and keeps its value;
        ``None`` sends ``null`` and clears it; ``metadata`` replaces the whole object.
        ``extra`` fields (API spelling) are sent as they are, next to the others.

        >>> convs.update(conv.id, display_name="Billing", description=None)
        """
        body = _update_body(display_name, description, icon_url, metadata, extra)
        cid = _str("conversation_id", conversation_id)
        return Conversation._wrap(self._native.update(cid, body))

    def delete(self, conversation_id: str) -> None:
        """Deletes a conversation. A user's default conversation cannot be deleted
        (:class:`~sunco.BadRequestError`)."""
        self._native.delete(_str("conversation_id", conversation_id))

    def download_message_ref(
        self,
        conversation_id: str,
        *,
        user_id: str,
        apple: Mapping[str, Any] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Fetches the data behind a third-party message ref (``POST .../download``).

        ``apple`` is ``{"interactiveDataRef": {"url", "bid", "key", "signature", "owner"}}``
        (``interactive_data_ref`` is accepted too). ``extra`` fields (API spelling) are sent
        next to the others. Returns the server's JSON as a dict.
        """
        body = _download_body(user_id, apple, extra)
        return self._native.download_message_ref(_str("conversation_id", conversation_id), body)

    def iter_pages(
        self,
        *,
        user_id: str | None = None,
        user_external_id: str | None = None,
        size: int | None = None,
    ) -> Iterator[ConversationPage]:
        """Every page of a user's conversations, each fetched when the loop asks for it."""
        pages = self._native.pages(_list_params(user_id, user_external_id, None, None, size))
        return _walk_pages(pages)

    def iter(
        self,
        *,
        user_id: str | None = None,
        user_external_id: str | None = None,
        size: int | None = None,
    ) -> Iterator[Conversation]:
        """Every conversation of a user across all pages, fetched lazily (``size`` per
        request); stop the loop early and no further page is requested.

        >>> for conv in convs.iter(user_external_id="alice"):
        ...     print(conv.id, conv.display_name)
        """
        pages = self._native.pages(_list_params(user_id, user_external_id, None, None, size))
        return _walk(pages)


def _walk_pages(pages: _native.NativePages) -> Iterator[ConversationPage]:
    while True:
        page = pages.next_page()
        if page is None:
            return
        yield ConversationPage._wrap(page)


def _walk(pages: _native.NativePages) -> Iterator[Conversation]:
    for page in _walk_pages(pages):
        yield from page.conversations


class AsyncConversations:
    """The conversations of one app, from :meth:`AsyncClient.conversations`: the same
    operations as :class:`Conversations`, as coroutines that never block the event loop.

    Cancelling a call (``asyncio.wait_for``, task cancellation) drops the request.
    """

    __slots__ = ("_native",)

    def __init__(self, native: _native.NativeConversations) -> None:
        self._native = native

    @property
    def app_id(self) -> str:
        """The app these conversations belong to."""
        return self._native.app_id

    def __repr__(self) -> str:
        return f"AsyncConversations(app_id={self.app_id!r})"

    async def create(
        self,
        *,
        type: str,
        participants: Sequence[ParticipantLike] | None = None,
        display_name: str | None = None,
        description: str | None = None,
        icon_url: str | None = None,
        metadata: Mapping[str, MetadataValue] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Conversation:
        """Creates a conversation; see :meth:`Conversations.create`."""
        body = _create_body(
            type, participants, display_name, description, icon_url, metadata, extra
        )
        return Conversation._wrap(await self._native.create_async(body))

    async def get(self, conversation_id: str) -> Conversation:
        """Fetches one conversation; see :meth:`Conversations.get`."""
        cid = _str("conversation_id", conversation_id)
        return Conversation._wrap(await self._native.get_async(cid))

    async def list(
        self,
        *,
        user_id: str | None = None,
        user_external_id: str | None = None,
        after: str | None = None,
        before: str | None = None,
        size: int | None = None,
    ) -> ConversationPage:
        """One page of a user's conversations; see :meth:`Conversations.list`."""
        params = _list_params(user_id, user_external_id, after, before, size)
        return ConversationPage._wrap(await self._native.list_async(params))

    async def update(
        self,
        conversation_id: str,
        *,
        display_name: str | UnsetType | None = UNSET,
        description: str | UnsetType | None = UNSET,
        icon_url: str | UnsetType | None = UNSET,
        metadata: Mapping[str, MetadataValue] | UnsetType | None = UNSET,
        extra: Mapping[str, Any] | None = None,
    ) -> Conversation:
        """Changes some fields (tri-state); see :meth:`Conversations.update`."""
        body = _update_body(display_name, description, icon_url, metadata, extra)
        cid = _str("conversation_id", conversation_id)
        return Conversation._wrap(await self._native.update_async(cid, body))

    async def delete(self, conversation_id: str) -> None:
        """Deletes a conversation; see :meth:`Conversations.delete`."""
        await self._native.delete_async(_str("conversation_id", conversation_id))

    async def download_message_ref(
        self,
        conversation_id: str,
        *,
        user_id: str,
        apple: Mapping[str, Any] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Fetches the data behind a message ref; see :meth:`Conversations.download_message_ref`."""
        body = _download_body(user_id, apple, extra)
        cid = _str("conversation_id", conversation_id)
        return await self._native.download_message_ref_async(cid, body)

    def iter_pages(
        self,
        *,
        user_id: str | None = None,
        user_external_id: str | None = None,
        size: int | None = None,
    ) -> AsyncIterator[ConversationPage]:
        """Every page of a user's conversations: ``async for page in convs.iter_pages(...)``."""
        pages = self._native.pages(_list_params(user_id, user_external_id, None, None, size))
        return _walk_pages_async(pages)

    def iter(
        self,
        *,
        user_id: str | None = None,
        user_external_id: str | None = None,
        size: int | None = None,
    ) -> AsyncIterator[Conversation]:
        """Every conversation of a user across all pages, fetched lazily.

        >>> async for conv in convs.iter(user_external_id="alice"):
        ...     print(conv.id)
        """
        pages = self._native.pages(_list_params(user_id, user_external_id, None, None, size))
        return _walk_async(pages)


async def _walk_pages_async(pages: _native.NativePages) -> AsyncIterator[ConversationPage]:
    while True:
        page = await pages.next_page_async()
        if page is None:
            return
        yield ConversationPage._wrap(page)


async def _walk_async(pages: _native.NativePages) -> AsyncIterator[Conversation]:
    async for page in _walk_pages_async(pages):
        for conv in page.conversations:
            yield conv


# The generic entry (`call`, `operation_pages`, `iter_operation`): arguments in the API's
# spelling, handed to the core as they are; the core knows each operation's parameters.


def _wire(name: str, value: object) -> dict[str, Any] | None:
    """``path=``, ``query=``, ``body=``: a mapping (or None), passed on as a dict."""
    if value is None or isinstance(value, dict):
        return value
    if not isinstance(value, Mapping):
        raise _type_error(name, "a dict or None", value)
    return dict(value)


def _operation_pages(
    native: _native.NativeClient, operation_id: object, path: object, query: object
) -> _native.NativeOperationPages:
    # Made at once, so a bad argument is raised by the call, not by the first `next()`.
    return native.operation_pages(
        _str("operation_id", operation_id), _wire("path", path), _wire("query", query)
    )


def _walk_operation(pages: _native.NativeOperationPages) -> Iterator[dict[str, Any]]:
    while True:
        page = pages.next_page()
        if page is None:
            return
        yield page


def _walk_records(pages: _native.NativeOperationPages) -> Iterator[dict[str, Any]]:
    items = pages.items
    for page in _walk_operation(pages):
        yield from page[items]


async def _walk_operation_async(
    pages: _native.NativeOperationPages,
) -> AsyncIterator[dict[str, Any]]:
    while True:
        page = await pages.next_page_async()
        if page is None:
            return
        yield page


async def _walk_records_async(
    pages: _native.NativeOperationPages,
) -> AsyncIterator[dict[str, Any]]:
    items = pages.items
    async for page in _walk_operation_async(pages):
        for record in page[items]:
            yield record


class _BaseClient:
    __slots__ = ("_native",)

    def __init__(
        self,
        *,
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
    ) -> None:
        self._native = _native_client(
            False,
            base_url=base_url,
            region=region,
            subdomain=subdomain,
            key_id=key_id,
            key_secret=key_secret,
            auth=auth,
            token=token,
            proxy=proxy,
            timeout=timeout,
            connect_timeout=connect_timeout,
            max_retries=max_retries,
        )

    @classmethod
    def from_env(
        cls: builtins.type[_C],
        *,
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
    ) -> _C:
        """A client configured from the environment: ``SUNCO_BASE_URL`` (or
        ``SUNCO_REGION`` / ``SUNCO_SUBDOMAIN``; default: the US region), ``SUNCO_KEY_ID`` and
        ``SUNCO_KEY_SECRET``, ``SUNCO_AUTH`` (``basic`` or ``jwt``), or ``SUNCO_TOKEN``.

        Any argument given here wins over its variable, one by one: ``from_env(key_secret=s)``
        keeps ``SUNCO_KEY_ID`` and the rest, and replaces only the secret.
        Raises :class:`~sunco.ConfigError` when the result is missing or invalid."""
        client = cls.__new__(cls)
        client._native = _native_client(
            True,
            base_url=base_url,
            region=region,
            subdomain=subdomain,
            key_id=key_id,
            key_secret=key_secret,
            auth=auth,
            token=token,
            proxy=proxy,
            timeout=timeout,
            connect_timeout=connect_timeout,
            max_retries=max_retries,
        )
        return client

    @property
    def base_url(self) -> str:
        """The base URL requests go to."""
        return self._native.base_url

    @property
    def key_id(self) -> str | None:
        """The API key id (``None`` with a bearer token). The secret is never exposed."""
        return self._native.key_id

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._native.closed

    def close(self) -> None:
        """Releases the connection pool. Calls made afterwards, and the next page of any
        iterator made before, raise :class:`~sunco.ClientClosedError`; calls already running
        finish normally. Closing twice is fine."""
        self._native.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, key_id={self.key_id!r})"

    def authorize_url(self, **query: str) -> str:
        """The URL of the OAuth ``Authorize`` step, a browser redirect rather than a call:
        send the user's browser there. Its query parameters are the keyword arguments, as the
        API spells them (``client_id``, ``response_type``, ``state``, ``redirect_uri``); the
        core checks them and encodes their values. Nothing is sent.

        >>> client.authorize_url(client_id="my-client", response_type="code", state="s1")
        'https://api.smooch.io/oauth/authorize?client_id=my-client&response_type=code&state=s1'
        """
        return self._native.authorize_url(query)


def _native_client(
    from_env: bool,
    *,
    base_url: object,
    region: object,
    subdomain: object,
    key_id: object,
    key_secret: object,
    auth: object,
    token: object,
    proxy: object,
    timeout: object,
    connect_timeout: object,
    max_retries: object,
) -> _native.NativeClient:
    base_url = _setting("base_url", base_url)
    if base_url is not None and "@" in base_url:
        _no_credentials_in_url(base_url)
    return _native.NativeClient(
        from_env=from_env,
        base_url=base_url,
        region=_setting("region", region),
        subdomain=_setting("subdomain", subdomain),
        key_id=_setting("key_id", key_id),
        key_secret=_setting("key_secret", key_secret, secret=True),
        auth=_setting("auth", auth),
        token=_setting("token", token, secret=True),
        proxy=_setting("proxy", proxy, secret=True),
        timeout=_seconds("timeout", timeout),
        connect_timeout=_seconds("connect_timeout", connect_timeout),
        max_retries=_max_retries(max_retries),
    )


def _setting(name: str, value: object, *, secret: bool = False) -> str | None:
    """A str option (or None); a lone surrogate cannot be sent, so it is a ConfigError."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _type_error(name, "str or None", value)
    if not value.isascii():
        try:
            value.encode()
        except UnicodeEncodeError:
            shown = "" if secret else f": {value!r}"
            raise ConfigError(
                f"configuration error: {name} must be valid Unicode (no lone surrogates){shown}"
            ) from None
    return value


def _no_credentials_in_url(url: str) -> None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        has_credentials = parts.username is not None or parts.password is not None
    except ValueError:
        return  # not a URL at all: the core says so
    if has_credentials:
        raise ConfigError(
            "configuration error: base_url must not carry credentials (user:password@); "
            "pass key_id and key_secret, or token, instead"
        )


def _seconds(name: str, value: object) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise _type_error(name, "a number of seconds (int or float)", value)
    if not (0 < value <= _MAX_SECONDS):  # False for NaN, too
        raise ConfigError(
            f"configuration error: {name} must be a number of seconds greater than 0 and at "
            f"most {_MAX_SECONDS}, not {_shown(value)}"
        )
    return float(value)


def _max_retries(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _type_error("max_retries", "int", value)
    if not 0 <= value <= _U32_MAX:
        raise ConfigError(
            f"configuration error: max_retries must be between 0 and {_U32_MAX}, "
            f"not {_shown(value)}"
        )
    return value


class Client(_BaseClient):
    """A blocking Sunshine Conversations client.

    Give one of ``base_url``, ``region`` (``"us"`` or ``"eu"``) and ``subdomain`` (a Zendesk
    subdomain; the default is the US region), and either ``key_id`` with ``key_secret``
    (``auth="basic"`` or ``"jwt"``) or a bearer ``token``. ``timeout`` bounds each attempt,
    in seconds; failed idempotent calls, 429 and 502-504 are retried up to ``max_retries``
    times with backoff. ``proxy`` (``"http://[user:pass@]host:port"``) sends HTTPS requests
    through that proxy (a ``CONNECT`` tunnel) instead of the one ``HTTPS_PROXY`` /
    ``ALL_PROXY`` name; a loopback ``base_url`` (the emulator) never goes through a proxy.
    Invalid settings raise :class:`~sunco.ConfigError`.

    Calls release the GIL while they wait, and one client is safe to share between threads
    (it holds one connection pool). Use it as a context manager, or call :meth:`close`.

    >>> with sunco.Client(base_url="http://127.0.0.1:8091", key_id="k", key_secret="s") as c:
    ...     conv = c.conversations("app").get("5f1c6e4b3a2d1c0b9a8f7e6d")
    """

    __slots__ = ()

    def conversations(self, app_id: str) -> Conversations:
        """The Conversations API of one app."""
        return Conversations(self._native.conversations(_str("app_id", app_id)))

    def app(self, app_id: str) -> App:
        """Every operation of one app, by group: ``client.app(app_id).messages(conv_id).post(
        ...)``, ``client.app(app_id).users().get(user_id_or_external_id)``, ... (typed
        results; see :mod:`sunco.models`)."""
        from ._api.resources import App

        return App(self._native, {"appId": _str("app_id", app_id)})

    def apps(self) -> Apps:
        """The account's apps (needs account credentials): ``client.apps().list()``."""
        from ._api.resources import Apps

        return Apps(self._native, {})

    def oauth(self) -> OAuth:
        """The OAuth endpoints: ``client.oauth().get_token(...)``; the ``Authorize`` redirect
        is :meth:`authorize_url`."""
        from ._api.resources import OAuth

        return OAuth(self._native, {})

    def call(
        self,
        operation_id: str,
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Calls any operation of the API by its ``operationId`` (see :func:`sunco.operations`)
        and returns the response body exactly as the server sent it (``{}`` when it is empty).

        Arguments use the API's own spelling: ``path`` maps each path parameter to its value
        (``{"appId": ..., "conversationId": ...}``), ``query`` each query parameter to a string,
        or to a dict for the ``page`` and ``filter`` ones (``{"page": {"size": 10}}`` is sent
        as ``page[size]=10``), and ``body`` is the JSON body. The core checks them against the
        operation before anything is sent; a :class:`~sunco.ValidationError` names the
        argument as the API does (``conversationId``, ``page.size``, ``body``,
        ``operationId``). ``POST`` calls are retried only when the server cannot have acted.

        >>> sent = client.call(
        ...     "PostMessage",
        ...     path={"appId": "demo-app", "conversationId": conv_id},
        ...     body={"author": {"type": "business"},
        ...           "content": {"type": "text", "text": "Hello!"}},
        ... )
        >>> sent["messages"][0]["id"]
        """
        return self._native.call(
            _str("operation_id", operation_id),
            _wire("path", path),
            _wire("query", query),
            _wire("body", body),
        )

    def operation_pages(
        self,
        operation_id: str,
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every page of a cursor-paginated list operation (``ListMessages``,
        ``ListConversations``, ...), each as the server sent it and fetched when the loop asks
        for it. A walk from ``query={"page": {"before": cursor}}`` goes backward (the page
        just before the cursor first), one from ``after`` forward; without a cursor it goes
        the operation's own way (``ListMessages`` starts from the latest page and goes
        backward). Arguments are as for :meth:`call`, and are checked by this call."""
        return _walk_operation(_operation_pages(self._native, operation_id, path, query))

    def iter_operation(
        self,
        operation_id: str,
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """The records of every page of a list operation (the ``messages`` of
        ``ListMessages``, ...), lazily, in the order of :meth:`operation_pages`; records keep
        the server's order within a page. Stop the loop early and nothing more is fetched.

        >>> for message in client.iter_operation(
        ...     "ListMessages", path={"appId": "demo-app", "conversationId": conv_id}
        ... ):
        ...     print(message["id"])
        """
        return _walk_records(_operation_pages(self._native, operation_id, path, query))

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: builtins.type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClient(_BaseClient):
    """An asyncio Sunshine Conversations client: the same settings as :class:`Client`, and
    the same operations as coroutines that never block the event loop (the I/O runs on a
    small Rust runtime). Use ``async with``, or call :meth:`aclose`.

    >>> async with sunco.AsyncClient.from_env() as c:
    ...     conv = await c.conversations("app").get("5f1c6e4b3a2d1c0b9a8f7e6d")
    """

    __slots__ = ()

    def conversations(self, app_id: str) -> AsyncConversations:
        """The Conversations API of one app."""
        return AsyncConversations(self._native.conversations(_str("app_id", app_id)))

    def app(self, app_id: str) -> AsyncApp:
        """Every operation of one app, by group, as coroutines: ``await client.app(app_id)
        .messages(conv_id).post(...)``; see :meth:`Client.app`."""
        from ._api.resources import AsyncApp

        return AsyncApp(self._native, {"appId": _str("app_id", app_id)})

    def apps(self) -> AsyncApps:
        """The account's apps (needs account credentials); see :meth:`Client.apps`."""
        from ._api.resources import AsyncApps

        return AsyncApps(self._native, {})

    def oauth(self) -> AsyncOAuth:
        """The OAuth endpoints; see :meth:`Client.oauth`."""
        from ._api.resources import AsyncOAuth

        return AsyncOAuth(self._native, {})

    async def call(
        self,
        operation_id: str,
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Calls any operation of the API by its ``operationId``; see :meth:`Client.call`.

        >>> sent = await client.call("PostMessage", path=..., body=...)
        """
        return await self._native.call_async(
            _str("operation_id", operation_id),
            _wire("path", path),
            _wire("query", query),
            _wire("body", body),
        )

    def operation_pages(
        self,
        operation_id: str,
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """Every page of a list operation: ``async for page in client.operation_pages(...)``;
        see :meth:`Client.operation_pages`."""
        return _walk_operation_async(_operation_pages(self._native, operation_id, path, query))

    def iter_operation(
        self,
        operation_id: str,
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """The records of every page of a list operation, lazily:
        ``async for message in client.iter_operation("ListMessages", path=...)``; see
        :meth:`Client.iter_operation`."""
        return _walk_records_async(_operation_pages(self._native, operation_id, path, query))

    async def aclose(self) -> None:
        """Releases the connection pool (same as :meth:`close`)."""
        self.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: builtins.type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
