"""Typed models of every schema of the API (generated from the spec into ``sunco._api.models``):
the results of ``client.app(app_id)...`` calls, parts of requests, and webhook events.

Every model wraps the JSON as it came: properties give typed, snake_case access, ``to_dict()``
the wire form (camelCase, unknown fields included). Unions told apart by a discriminator
(``Content``, ``Integration``, ``WebhookEvent``, ...) are a ``Union`` of their variants and an
``...Unknown`` class, which keeps a kind this version does not know::

    from sunco.models import TextMessage
    if isinstance(message.content, TextMessage):
        print(message.content.text)

A model can be built for a request, too: ``Author(type="business")`` (snake_case keywords) or
``Author.from_dict({"type": "business"})``.
"""

from ._api.models import *  # noqa: F403
from ._api.models import __all__ as __all__
from ._typed import Model as Model
