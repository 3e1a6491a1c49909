"""Results (:class:`Conversation`, :class:`ConversationPage`), :class:`Participant` and ``UNSET``.

Results wrap the API's JSON as it came (camelCase, unknown fields included): attributes give
typed, snake_case access, and ``to_dict()`` gives back the wire form unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import _native

# Typing names are for type checkers only: importing `typing` would double the import time.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any, Final, Union, cast

    MetadataValue = Union[str, int, float, bool]
    """A metadata value: the API keeps metadata flat, with strings, numbers and booleans only."""
else:

    def cast(_type: object, value: object) -> object:
        return value


__all__ = [
    "UNSET",
    "Conversation",
    "ConversationPage",
    "Participant",
    "UnsetType",
]


class UnsetType:
    """The type of :data:`UNSET`: "leave this field as it is" in an update."""

    __slots__ = ()
    _instance: UnsetType | None = None

    def __new__(cls) -> UnsetType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "sunco.UNSET"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "UNSET"


UNSET: Final = UnsetType()
"""Default of every :meth:`Conversations.update` field: the field is not sent, so it keeps
its value. Pass ``None`` instead to send ``null`` and clear the field."""


def _copy(value: Any) -> Any:
    """A deep copy of a JSON value (dicts, lists and scalars)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _checked_copy(what: str, value: Any, open_ids: list[int]) -> Any:
    """:func:`_copy` for a value from the caller: refuses one that contains itself or nests
    deeper than the core accepts (results from the server are bounded by its parser)."""
    if not isinstance(value, (dict, list)):
        return value
    if id(value) in open_ids:
        raise ValueError(f"{what}: the data contains itself (circular reference detected)")
    if len(open_ids) >= _native.MAX_DEPTH:
        raise ValueError(f"{what}: the data nests deeper than {_native.MAX_DEPTH} levels")
    open_ids.append(id(value))
    if isinstance(value, dict):
        out: Any = {k: _checked_copy(what, v, open_ids) for k, v in value.items()}
    else:
        out = [_checked_copy(what, v, open_ids) for v in value]
    open_ids.pop()
    return out


def _as_dict(what: str, data: object) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise TypeError(f"{what} expects a dict in wire form, not {type(data).__name__}")
    return cast("dict[str, Any]", _checked_copy(what, dict(data), []))


_PARTICIPANT_FIELDS = ("user_id", "user_external_id", "subscribe_sdk_client")


class Participant:
    """A participant of a new conversation: give exactly one of ``user_id`` and
    ``user_external_id``. Compares, hashes and prints like a frozen dataclass.

    >>> Participant(user_external_id="alice", subscribe_sdk_client=True)
    Participant(user_external_id='alice', subscribe_sdk_client=True)
    """

    __slots__ = ("_subscribe_sdk_client", "_user_external_id", "_user_id")

    def __init__(
        self,
        *,
        user_id: str | None = None,
        user_external_id: str | None = None,
        subscribe_sdk_client: bool | None = None,
    ) -> None:
        self._user_id = user_id
        self._user_external_id = user_external_id
        self._subscribe_sdk_client = subscribe_sdk_client

    @property
    def user_id(self) -> str | None:
        """The user's id."""
        return self._user_id

    @property
    def user_external_id(self) -> str | None:
        """The user's external id."""
        return self._user_external_id

    @property
    def subscribe_sdk_client(self) -> bool | None:
        """Whether to subscribe the user's SDK client to the conversation right away."""
        return self._subscribe_sdk_client

    def _fields(self) -> tuple[str | None, str | None, bool | None]:
        return (self.user_id, self.user_external_id, self.subscribe_sdk_client)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Participant):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        parts = [
            f"{name}={value!r}"
            for name, value in zip(_PARTICIPANT_FIELDS, self._fields())
            if value is not None
        ]
        return f"Participant({', '.join(parts)})"

    def to_dict(self) -> dict[str, Any]:
        """The wire form: ``{"userExternalId": "alice", "subscribeSDKClient": True}``."""
        wire: dict[str, Any] = {}
        if self.user_id is not None:
            wire["userId"] = self.user_id
        if self.user_external_id is not None:
            wire["userExternalId"] = self.user_external_id
        if self.subscribe_sdk_client is not None:
            wire["subscribeSDKClient"] = self.subscribe_sdk_client
        return wire


class Conversation:
    """A conversation, as returned by the API.

    Attributes are read-only. ``to_dict()`` returns the conversation exactly as the server
    sent it: camelCase keys in the server's order, its ``null``s, and fields this version of
    sunco does not know. Two conversations are equal when their wire forms are.
    ``Conversation(data)`` builds one from a wire-form dict (it is copied).
    """

    __slots__ = ("_data",)
    _data: dict[str, Any]

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = _as_dict("Conversation", data)

    @classmethod
    def _wrap(cls, data: dict[str, Any]) -> Conversation:
        # A fresh dict from the native module: no copy needed.
        obj = cls.__new__(cls)
        obj._data = data
        return obj

    @property
    def id(self) -> str:
        """The conversation id."""
        return cast("str", self._data.get("id", ""))

    @property
    def type(self) -> str:
        """``"personal"``, ``"sdkGroup"``, or a newer type, as the server spelled it."""
        return cast("str", self._data.get("type", ""))

    @property
    def display_name(self) -> str | None:
        """A friendly name, or ``None``."""
        return cast("str | None", self._data.get("displayName"))

    @property
    def description(self) -> str | None:
        """A short description, or ``None``."""
        return cast("str | None", self._data.get("description"))

    @property
    def icon_url(self) -> str | None:
        """An icon URL, or ``None``."""
        return cast("str | None", self._data.get("iconUrl"))

    @property
    def metadata(self) -> dict[str, MetadataValue]:
        """Custom metadata (a copy; empty when the conversation has none)."""
        return dict(self._data.get("metadata") or {})

    @property
    def is_default(self) -> bool | None:
        """Whether this is the user's default conversation (its first ``personal`` one)."""
        return cast("bool | None", self._data.get("isDefault"))

    @property
    def business_last_read(self) -> str | None:
        """When the business last read it (``YYYY-MM-DDThh:mm:ss.SSSZ``), or ``None``."""
        return cast("str | None", self._data.get("businessLastRead"))

    @property
    def last_updated_at(self) -> str | None:
        """When the last message arrived, or when it was created, or ``None``."""
        return cast("str | None", self._data.get("lastUpdatedAt"))

    @property
    def created_at(self) -> str | None:
        """When it was created (``YYYY-MM-DDThh:mm:ss.SSSZ``), or ``None``."""
        return cast("str | None", self._data.get("createdAt"))

    @property
    def active_switchboard_integration(self) -> dict[str, Any] | None:
        """The switchboard integration in control (wire form, a copy), or ``None``."""
        return cast("dict[str, Any] | None", _copy(self._data.get("activeSwitchboardIntegration")))

    @property
    def pending_switchboard_integration(self) -> dict[str, Any] | None:
        """The switchboard integration awaiting control (wire form, a copy), or ``None``."""
        return cast("dict[str, Any] | None", _copy(self._data.get("pendingSwitchboardIntegration")))

    def to_dict(self) -> dict[str, Any]:
        """The conversation as the server sent it (key order, ``null``s and unknown fields
        kept), as a new dict."""
        return cast("dict[str, Any]", _copy(self._data))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Conversation):
            return NotImplemented
        return self._data == other._data

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        parts = [f"id={self.id!r}", f"type={self.type!r}"]
        if self.display_name is not None:
            parts.append(f"display_name={self.display_name!r}")
        if self.is_default is not None:
            parts.append(f"is_default={self.is_default!r}")
        return f"Conversation({', '.join(parts)})"


class ConversationPage:
    """One page of :meth:`Conversations.list`: iterate it, or read ``conversations``.

    ``has_more`` says whether another page follows; ``after_cursor`` / ``before_cursor``
    are the cursors to pass as ``after=`` / ``before=``; ``next_url`` / ``prev_url`` are the
    server's links. ``to_dict()`` returns the page exactly as the server sent it.
    """

    __slots__ = ("_data", "conversations")
    _data: dict[str, Any]
    conversations: list[Conversation]

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = _as_dict("ConversationPage", data)
        self.conversations = [Conversation(c) for c in self._data.get("conversations") or []]

    @classmethod
    def _wrap(cls, data: dict[str, Any]) -> ConversationPage:
        obj = cls.__new__(cls)
        obj._data = data
        obj.conversations = [Conversation._wrap(c) for c in data.get("conversations") or []]
        return obj

    def _part(self, key: str) -> dict[str, Any]:
        return cast("dict[str, Any]", self._data.get(key) or {})

    @property
    def has_more(self) -> bool:
        """Whether more conversations follow this page."""
        return bool(self._part("meta").get("hasMore", False))

    @property
    def after_cursor(self) -> str | None:
        """The cursor of the next page (pass it as ``after=``)."""
        return cast("str | None", self._part("meta").get("afterCursor"))

    @property
    def before_cursor(self) -> str | None:
        """The cursor of the previous page (pass it as ``before=``)."""
        return cast("str | None", self._part("meta").get("beforeCursor"))

    @property
    def next_url(self) -> str | None:
        """The server's absolute URL of the next page, if any."""
        return cast("str | None", self._part("links").get("next"))

    @property
    def prev_url(self) -> str | None:
        """The server's absolute URL of the previous page, if any."""
        return cast("str | None", self._part("links").get("prev"))

    def to_dict(self) -> dict[str, Any]:
        """The page as the server sent it (``conversations``, ``meta``, ``links`` and any
        field this version does not know, with key order and ``null``s), as a new dict."""
        return cast("dict[str, Any]", _copy(self._data))

    def __iter__(self) -> Iterator[Conversation]:
        return iter(self.conversations)

    def __len__(self) -> int:
        return len(self.conversations)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ConversationPage):
            return NotImplemented
        return self._data == other._data

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"ConversationPage(conversations={len(self.conversations)}, "
            f"has_more={self.has_more!r}, after_cursor={self.after_cursor!r})"
        )
