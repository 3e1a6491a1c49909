"""Message content without writing JSON by hand (the Python side of the core's ``content.rs``).

Each function returns a typed model (:mod:`sunco.models`) that any method taking that part of
a request accepts as it is; ``to_dict()`` shows the JSON it stands for. Nothing is checked
here but Python types: the core checks the API's rules (lengths, counts, URLs) when the
message is sent, and names the field that breaks one.

>>> from sunco import content
>>> app.messages(conversation_id).post(
...     author=content.business(),
...     content=content.text(
...         "How can we help?",
...         actions=[content.reply("Billing", "billing"), content.reply("An agent", "agent")],
...     ),
... )
>>> plans = content.carousel([
...     content.item("Basic", actions=[content.postback("Choose", "plan:basic")]),
...     content.item("Pro", description="For teams",
...                  actions=[content.link("Compare", "https://example.com/plans")]),
... ])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Union, cast

from ._api.models import (
    Author,
    CarouselMessage,
    FileMessage,
    ImageMessage,
    Item,
    Link,
    Postback,
    Reply,
    TextMessage,
)

__all__ = [
    "business",
    "carousel",
    "file",
    "image",
    "item",
    "link",
    "postback",
    "reply",
    "text",
    "user",
]

ActionLike = Union[Reply, Postback, Link]
"""An action of a text, image or file message: :func:`reply`, :func:`postback`, :func:`link`."""
ItemActionLike = Union[Postback, Link]
"""An action of a carousel item: :func:`postback` or :func:`link`."""


def _str(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be str, not {type(value).__name__}")
    return value


def _opt(name: str, value: object) -> str | None:
    return None if value is None else _str(name, value)


def _actions(name: str, actions: object, allowed: tuple[type, ...]) -> list[object] | None:
    if actions is None:
        return None
    if isinstance(actions, (str, bytes)) or not isinstance(actions, Sequence):
        raise TypeError(f"{name} must be a list of actions, not {type(actions).__name__}")
    for i, a in enumerate(actions):
        if not isinstance(a, allowed):
            kinds = " or ".join(t.__name__ for t in allowed)
            raise TypeError(f"{name}[{i}] must be {kinds}, not {type(a).__name__}")
    return list(actions)


def business() -> Author:
    """The author of a message sent by the business (``{"type": "business"}``)."""
    return Author(type="business")


def user(user_id: str) -> Author:
    """The author of a message sent on behalf of the user with this id."""
    return Author(type="user", user_id=_str("user_id", user_id))


def text(text: str, *, actions: Sequence[ActionLike] | None = None) -> TextMessage:
    """``type: text``, with optional actions (quick replies, postbacks, links)."""
    return TextMessage(
        type="text",
        text=_str("text", text),
        actions=_actions("actions", actions, (Reply, Postback, Link)),
    )


def image(
    media_url: str,
    *,
    text: str | None = None,
    alt_text: str | None = None,
    actions: Sequence[ActionLike] | None = None,
) -> ImageMessage:
    """``type: image``, from a URL (such as an uploaded attachment's ``media_url``)."""
    return ImageMessage(
        type="image",
        media_url=_str("media_url", media_url),
        text=_opt("text", text),
        alt_text=_opt("alt_text", alt_text),
        actions=_actions("actions", actions, (Reply, Postback, Link)),
    )


def file(media_url: str, *, text: str | None = None, alt_text: str | None = None) -> FileMessage:
    """``type: file``, from a URL (such as an uploaded attachment's ``media_url``)."""
    return FileMessage(
        type="file",
        media_url=_str("media_url", media_url),
        text=_opt("text", text),
        alt_text=_opt("alt_text", alt_text),
    )


def carousel(items: Sequence[Item]) -> CarouselMessage:
    """``type: carousel``, of these items (the API takes 1 to 10; see :func:`item`)."""
    given = cast(object, items)
    if isinstance(given, (str, bytes)) or not isinstance(given, Sequence):
        raise TypeError(f"items must be a list of items, not {type(given).__name__}")
    for i, it in enumerate(given):
        if not isinstance(it, Item):
            kind = type(it).__name__
            raise TypeError(f"items[{i}] must be an Item (sunco.content.item), not {kind}")
    return CarouselMessage(type="carousel", items=list(given))


def item(
    title: str,
    *,
    description: str | None = None,
    media_url: str | None = None,
    actions: Sequence[ItemActionLike] = (),
) -> Item:
    """One item of a carousel: a title, optionally a description and an image, and its
    buttons (:func:`postback` or :func:`link`)."""
    return Item(
        title=_str("title", title),
        description=_opt("description", description),
        media_url=_opt("media_url", media_url),
        actions=_actions("actions", actions, (Postback, Link)),
    )


def reply(text: str, payload: str, *, icon_url: str | None = None) -> Reply:
    """A quick reply: a button that sends ``text`` back as the user's message, with
    ``payload``."""
    return Reply(
        type="reply",
        text=_str("text", text),
        payload=_str("payload", payload),
        icon_url=_opt("icon_url", icon_url),
    )


def postback(text: str, payload: str) -> Postback:
    """A button that sends a ``conversation:postback`` webhook with ``payload``."""
    return Postback(type="postback", text=_str("text", text), payload=_str("payload", payload))


def link(text: str, uri: str) -> Link:
    """A button that opens ``uri``."""
    return Link(type="link", text=_str("text", text), uri=_str("uri", uri))
