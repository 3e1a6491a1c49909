"""The resource handles of every operation (generated into ``sunco._api.resources``), for type
annotations: :class:`App` (``client.app(app_id)``), ``Messages``, ``Users``, ... and their
asyncio twins (``AsyncApp``, ``AsyncMessages``, ...). Get them from a client, not by
constructing them."""

from ._api.resources import *  # noqa: F403
from ._api.resources import __all__ as __all__
