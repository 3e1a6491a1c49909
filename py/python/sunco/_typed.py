"""The foundation under the generated surface (``sunco/_api/``): the base of every typed result
(:class:`Model`), the readers its properties use, and the base of every resource handle.

Hand-written; the generator (``codegen/python_surface.py``) writes only subclasses and calls.
Every call goes through the one generic native entry (``NativeClient.call`` and
``operation_pages``): this layer only builds the wire arguments from keyword arguments and
wraps the answers. Loaded on first use of ``client.app()`` / ``apps()`` / ``oauth()``.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any, Callable, ClassVar, Optional, TypeVar

from . import _native
from ._errors import DecodeError, ValidationError, _argument_error
from ._models import UnsetType

__all__ = ["Model"]

T = TypeVar("T")
M = TypeVar("M", bound="Model")
Reader = Callable[[Any], Optional[T]]


class Model:
    """A typed view of one JSON object of the API, as it came.

    Properties give snake_case, typed access to the fields the spec names; fields it does
    not name stay in the object, and :meth:`to_dict` gives the whole wire form back
    (camelCase) unchanged. Models compare equal when their wire forms are equal.

    A model can be built for a request too: ``Author(type="business")`` (snake_case
    keywords) or ``Author.from_dict({"type": "business"})``; wherever a method takes a
    value of this schema, a model or a wire-form ``dict`` is accepted.
    """

    __slots__ = ("_data",)
    _FIELDS: ClassVar[Mapping[str, str]] = {}
    """snake_case name -> wire name, for the fields the spec names."""

    _data: dict[str, Any]

    def __init__(self, **fields: Any) -> None:
        data: dict[str, Any] = {}
        for name, value in fields.items():
            wire = self._FIELDS.get(name)
            if wire is None:
                raise TypeError(f"{type(self).__name__} has no field {name!r}")
            if value is not None:
                data[wire] = _wire_value(value)
        self._data = data

    @classmethod
    def from_dict(cls: type[M], data: Mapping[str, Any]) -> M:
        """A model over ``data`` in wire form (kept as given, unknown fields included)."""
        if not isinstance(data, Mapping):
            raise TypeError(f"{cls.__name__}.from_dict needs a dict, not {type(data).__name__}")
        obj = cls.__new__(cls)
        obj._data = dict(data)
        return obj

    @classmethod
    def _read(cls: type[M], value: Any) -> M | None:
        if not isinstance(value, dict):
            return None
        obj = cls.__new__(cls)
        obj._data = value
        return obj

    def to_dict(self) -> dict[str, Any]:
        """The wire form (the API's JSON, camelCase), a copy: unknown fields included."""
        return copy.deepcopy(self._data)

    def get(self, wire_name: str, default: Any = None) -> Any:
        """A field by its wire name, as sent (for fields this version does not name)."""
        return self._data.get(wire_name, default)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Model):
            return self._data == other._data
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        text = repr(_redacted(self._data))
        if len(text) > 300:
            text = text[:300] + "...}"
        return f"{type(self).__name__}({text})"


_SECRET_WORDS = ("secret", "token", "password", "apikey", "api_key")


def _redacted(value: Any) -> Any:
    """``value`` with the values of secret-looking keys (``secret``, ``authToken``,
    ``access_token``, ``password``, ...) shown as ``'***'``: what a repr may print."""
    if isinstance(value, dict):
        return {
            k: "***"
            if isinstance(k, str) and any(w in k.lower() for w in _SECRET_WORDS)
            else _redacted(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_redacted(v) for v in value]
    return value


def _wire_value(value: Any) -> Any:
    """A keyword argument's value in wire form: models (and content builders) become their
    dicts, sequences lists; anything else is passed on for the native layer to convert."""
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None and callable(to_dict):
        return to_dict()
    if isinstance(value, Mapping):
        return {k: _wire_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_wire_value(v) for v in value]
    return value


# ----------------------------------------------------------------------------- readers


def _missing(owner: str, wire: str) -> DecodeError:
    return DecodeError(
        f"the response has no `{wire}` in {owner}, which the API documents as required",
        status=200,
    )


def _req(reader: Reader[T], data: dict[str, Any], wire: str, owner: str) -> T:
    value = reader(data.get(wire))
    if value is None:
        raise _missing(owner, wire)
    return value


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _any(value: Any) -> Any:
    return value


def _dict(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def _list_of(reader: Reader[T]) -> Reader[list[T]]:
    def read(value: Any) -> list[T] | None:
        if not isinstance(value, list):
            return None
        out = []
        for item in value:
            got = reader(item)
            if got is not None:
                out.append(got)
        return out

    return read


def _map_of(reader: Reader[T]) -> Reader[dict[str, T]]:
    def read(value: Any) -> dict[str, T] | None:
        if not isinstance(value, dict):
            return None
        out = {}
        for key, item in value.items():
            got = reader(item)
            if got is not None:
                out[key] = got
        return out

    return read


# ----------------------------------------------------------------------------- requests


def _body(
    fields: Sequence[tuple[str, Any]], extra: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """A JSON body from ``(wire name, value)`` pairs: ``None`` leaves a field out (``UNSET``
    too; with an update's ``UNSET`` default, ``None`` is sent as ``null``, see
    :func:`_patch_body`). ``extra`` adds fields in wire spelling. No field at all sends no
    body, as the generic entry does without one (the core says if the operation needs it)."""
    body: dict[str, Any] = {}
    for wire, value in fields:
        if value is not None and not isinstance(value, UnsetType):
            body[wire] = _wire_value(value)
    return _with_extra(body, extra)


def _patch_body(
    fields: Sequence[tuple[str, Any]], extra: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """A PATCH body: ``UNSET`` leaves a field out, ``None`` sends ``null`` (clears it)."""
    body: dict[str, Any] = {}
    for wire, value in fields:
        if not isinstance(value, UnsetType):
            body[wire] = _wire_value(value)
    return _with_extra(body, extra)


def _with_extra(body: dict[str, Any], extra: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if extra is None:
        return body or None
    if not isinstance(extra, Mapping):
        raise TypeError(f"extra must be a dict or None, not {type(extra).__name__}")
    for key, value in extra.items():
        if not isinstance(key, str):
            raise TypeError(f"extra keys must be str, not {type(key).__name__}")
        if key in body:
            raise _argument_error(
                "value", key, f"is given twice (as a keyword argument and in extra.{key})"
            )
        body[key] = _wire_value(value)
    return body or None


def _query(fields: Sequence[tuple[str, str | None, Any]]) -> dict[str, Any] | None:
    """Query parameters from ``(name, key, value)``: a ``key`` puts the value under
    ``name[key]`` (``page[size]``); ``None`` values are left out."""
    query: dict[str, Any] = {}
    for name, key, value in fields:
        if value is None:
            continue
        if key is None:
            query[name] = value
        else:
            query.setdefault(name, {})[key] = value
    return query or None


def _check_str(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be str, not {type(value).__name__}")
    return value


_KEYWORDS = {"for": "for_"}


def _python_argument(field: str) -> str:
    """The keyword argument behind a wire field the core names: ``displayName`` ->
    ``display_name``, ``page.size`` -> ``size``, ``author.type`` -> ``author.type``."""
    head, dot, rest = field.partition(".")
    bracket = head.find("[")
    tail = ""
    if bracket > 0:
        head, tail = head[:bracket], head[bracket:]
    if head in ("page", "filter") and rest:
        return _snake(rest.partition(".")[0])
    return _snake(head) + tail + dot + rest


def _snake(name: str) -> str:
    import re

    out = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name))
    out = out.lower()
    return _KEYWORDS.get(out, out)


def _renamed(e: ValidationError) -> ValidationError:
    """The core's validation error, naming the argument as the typed method spells it."""
    err = _argument_error("value", e.field, e.rule, _python_argument(e.field))
    assert isinstance(err, ValidationError)
    return err


class _Handle:
    """Base of the generated blocking handles: the path arguments they hold and the client."""

    __slots__ = ("_client", "_path")

    def __init__(self, client: _native.NativeClient, path: dict[str, str]) -> None:
        self._client = client
        self._path = path

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._path.items())
        return f"{type(self).__name__}({args})"

    def _at(self, **more: str) -> dict[str, str]:
        """The held path arguments and ``more`` (wire names), each checked to be a ``str``."""
        path = dict(self._path)
        for wire, value in more.items():
            if not isinstance(value, str):
                raise TypeError(f"{_snake(wire)} must be str, not {type(value).__name__}")
            path[wire] = value
        return path

    def _call(
        self,
        operation_id: str,
        path: dict[str, str],
        query: dict[str, Any] | None,
        body: dict[str, Any] | None,
    ) -> dict[str, Any]:
        try:
            return self._client.call(operation_id, path, query, body)
        except ValidationError as e:
            raise _renamed(e) from None

    def _pages(
        self, operation_id: str, path: dict[str, str], query: dict[str, Any] | None
    ) -> _native.NativeOperationPages:
        try:
            return self._client.operation_pages(operation_id, path, query)
        except ValidationError as e:
            raise _renamed(e) from None


class _AsyncHandle(_Handle):
    """Base of the generated asyncio handles."""

    __slots__ = ()

    async def _acall(
        self,
        operation_id: str,
        path: dict[str, str],
        query: dict[str, Any] | None,
        body: dict[str, Any] | None,
    ) -> dict[str, Any]:
        try:
            return await self._client.call_async(operation_id, path, query, body)
        except ValidationError as e:
            raise _renamed(e) from None


def _walk_pages(pages: _native.NativeOperationPages, cls: type[M]) -> Iterator[M]:
    while True:
        page = pages.next_page()
        if page is None:
            return
        got = cls._read(page)
        if got is not None:
            yield got


def _walk_items(pages: _native.NativeOperationPages, reader: Reader[T]) -> Iterator[T]:
    items = pages.items
    while True:
        page = pages.next_page()
        if page is None:
            return
        for record in page.get(items) or ():
            got = reader(record)
            if got is not None:
                yield got


async def _awalk_pages(pages: _native.NativeOperationPages, cls: type[M]) -> AsyncIterator[M]:
    while True:
        page = await pages.next_page_async()
        if page is None:
            return
        got = cls._read(page)
        if got is not None:
            yield got


async def _awalk_items(pages: _native.NativeOperationPages, reader: Reader[T]) -> AsyncIterator[T]:
    items = pages.items
    while True:
        page = await pages.next_page_async()
        if page is None:
            return
        for record in page.get(items) or ():
            got = reader(record)
            if got is not None:
                yield got


def _result(cls: type[M], value: dict[str, Any]) -> M:
    got = cls._read(value)
    if got is None:  # pragma: no cover - the native entry always answers a dict
        raise DecodeError(f"the response is not {cls.__name__}", status=200)
    return got


def _upload_args(
    source: object,
    access: object,
    for_: object,
    conversation_id: object,
    file_name: object,
) -> tuple[dict[str, Any], Any, str | None]:
    """The query and the file of an upload: a path is handed over as it is (the core streams
    it), ``bytes`` as they are, and a binary file object is read here, at most one byte past
    the core's limit (so that the core refuses an oversized file without it all in memory)."""
    import os

    query = _query(
        [("access", None, access), ("for", None, for_), ("conversationId", None, conversation_id)]
    )
    if file_name is not None and not isinstance(file_name, str):
        raise TypeError(f"file_name must be str or None, not {type(file_name).__name__}")
    data: Any
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        data = os.fspath(source)
    elif hasattr(source, "read"):
        chunk = source.read(_native.UPLOAD_MAX_BYTES + 1)
        if not isinstance(chunk, bytes):
            raise TypeError(
                f"source must be opened in binary mode ('rb'): read() gave {type(chunk).__name__}"
            )
        data = chunk
        if file_name is None:
            name = getattr(source, "name", None)
            if isinstance(name, str):
                file_name = os.path.basename(name)
    else:
        raise TypeError(
            f"source must be a path, bytes or a binary file object, not {type(source).__name__}"
        )
    return query or {}, data, file_name


def _read_union(
    value: Any, tag: str, variants: Mapping[str, type[Model]], unknown: type[Model]
) -> Model | None:
    """A value of a union told apart by ``tag``; a kind not in ``variants`` is ``unknown``."""
    if not isinstance(value, dict):
        return None
    kind = value.get(tag)
    cls = variants.get(kind, unknown) if isinstance(kind, str) else unknown
    return cls._read(value)
