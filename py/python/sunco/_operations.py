"""The operations of the API, as the core describes them: :func:`operations` and
:class:`Operation`. Loaded on first use, so ``import sunco`` does not pay for it."""

from __future__ import annotations

from . import _native

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Literal

__all__ = ["Operation", "operations"]


class Operation:
    """One operation of the API, described by the core (generated from the spec).

    Every operation can be called with :meth:`Client.call` by its ``id``; the list
    operations (``paginated``) can also be walked with :meth:`Client.operation_pages` and
    :meth:`Client.iter_operation`; the one ``redirect`` (``Authorize``) has its URL built by
    :meth:`Client.authorize_url` instead.

    Attributes: ``id`` (the spec's operationId, ``"PostMessage"``), ``group`` (its tag,
    ``"Messages"``), ``method`` (``"POST"``), ``path`` (the template,
    ``"/v2/apps/{appId}/conversations/{conversationId}/messages"``), ``path_params`` (the
    names in ``path``), ``query`` (the query parameter names), ``required_query`` (those the
    spec requires), ``query_keys`` (for the ``page`` / ``filter`` style parameters, the keys
    each takes: ``{"page": ("after", "before", "size")}``), ``body`` (the spec's schema name
    of the body, or ``None`` when the operation takes none), ``body_required``, ``paginated``
    and ``items`` (for a cursor-paginated list, the array field of its pages: ``"messages"``),
    ``direction`` (the way a walk without a cursor goes: ``"forward"``, or ``"backward"`` for
    ``ListMessages``), ``scopes`` (the credential scopes the spec accepts) and ``redirect``.
    """

    __slots__ = (
        "body",
        "body_required",
        "direction",
        "group",
        "id",
        "items",
        "method",
        "path",
        "path_params",
        "query",
        "query_keys",
        "redirect",
        "required_query",
        "scopes",
    )

    id: str
    group: str
    method: str
    path: str
    path_params: tuple[str, ...]
    query: tuple[str, ...]
    required_query: tuple[str, ...]
    query_keys: Mapping[str, tuple[str, ...]]
    body: str | None
    body_required: bool
    items: str | None
    direction: Literal["forward", "backward"]
    scopes: tuple[str, ...]
    redirect: bool

    def __init__(self, fields: _native._OperationFields) -> None:
        from types import MappingProxyType

        for name, value in fields.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "query_keys", MappingProxyType(dict(fields["query_keys"])))

    @property
    def paginated(self) -> bool:
        """Whether this is a cursor-paginated list (``items`` names its records)."""
        return self.items is not None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Operation is read-only (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Operation is read-only (cannot delete {name!r})")

    def __repr__(self) -> str:
        return f"Operation(id={self.id!r}, method={self.method!r}, path={self.path!r})"


Operation.__module__ = "sunco"

_ALL: tuple[Operation, ...] | None = None


def operations() -> tuple[Operation, ...]:
    """Every operation of the API, in the spec's order (68 in spec 17.12.1).

    >>> [op.id for op in sunco.operations() if op.paginated]
    ['ListApps', 'ListConversations', 'ListParticipants', 'ListMessages', ...]
    >>> by_id = {op.id: op for op in sunco.operations()}
    >>> by_id["PostMessage"].path_params
    ('appId', 'conversationId')
    """
    global _ALL
    if _ALL is None:
        _ALL = tuple(Operation(fields) for fields in _native.operations())
    return _ALL
