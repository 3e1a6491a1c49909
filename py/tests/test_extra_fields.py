"""`extra=`: fields the API added after this version, sent as top-level body fields."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import sunco

from emulator_control import Emulator, body_json

ID = "5f1c6e4b3a2d1c0b9a8f7e6d"
NEW = {"futureFlag": True, "futureObject": {"b": [1, None], "a": "x"}, "nullable": None}


def test_extra_fields_reach_the_wire(emu: Emulator, convs: sunco.Conversations) -> None:
    conv = convs.create(
        type="sdkGroup", participants=[{"user_external_id": "alice"}], display_name="A", extra=NEW
    )
    convs.update(conv.id, display_name=None, extra=NEW)
    with pytest.raises(sunco.NotFoundError):
        convs.download_message_ref(ID, user_id="u", extra=NEW)
    create, update, download = (body_json(r) for r in emu.requests())
    assert create == {
        "type": "sdkGroup",
        "participants": [{"userExternalId": "alice"}],
        "displayName": "A",
        **NEW,
    }
    assert update == {"displayName": None, **NEW}
    assert download == {"userId": "u", **NEW}
    # In the order given, after the modelled fields.
    assert list(create)[-3:] == list(NEW)


def test_async_extra_fields_reach_the_wire(emu: Emulator, aconvs: sunco.AsyncConversations) -> None:
    async def run() -> None:
        conv = await aconvs.create(type="sdkGroup", extra={"x": 1})
        await aconvs.update(conv.id, extra={"y": [2]})
        with pytest.raises(sunco.NotFoundError):
            await aconvs.download_message_ref(ID, user_id="u", extra={"z": "3"})

    asyncio.run(run())
    bodies = [body_json(r) for r in emu.requests()]
    assert bodies == [{"type": "sdkGroup", "x": 1}, {"y": [2]}, {"userId": "u", "z": "3"}]


SHADOWS: list[tuple[str, Any, str]] = [
    (
        "create displayName",
        lambda c: c.create(type="sdkGroup", extra={"displayName": "x"}),
        "extra.displayName",
    ),
    ("create type", lambda c: c.create(type="sdkGroup", extra={"type": "personal"}), "extra.type"),
    ("update metadata", lambda c: c.update(ID, extra={"metadata": None}), "extra.metadata"),
    ("update iconUrl", lambda c: c.update(ID, extra={"iconUrl": "https://x"}), "extra.iconUrl"),
    (
        "download userId",
        lambda c: c.download_message_ref(ID, user_id="u", extra={"userId": "v"}),
        "extra.userId",
    ),
    (
        "download apple",
        lambda c: c.download_message_ref(ID, user_id="u", extra={"apple": {}}),
        "extra.apple",
    ),
    # The keyword's own (Python) spelling would be sent as a new field nobody reads: refused.
    (
        "update display_name",
        lambda c: c.update(ID, extra={"display_name": "x"}),
        "extra.display_name",
    ),
    (
        "create icon_url",
        lambda c: c.create(type="sdkGroup", extra={"icon_url": "x"}),
        "extra.icon_url",
    ),
    (
        "download user_id",
        lambda c: c.download_message_ref(ID, user_id="u", extra={"user_id": "v"}),
        "extra.user_id",
    ),
]


@pytest.mark.parametrize(("name", "call", "field"), SHADOWS, ids=[s[0] for s in SHADOWS])
def test_extra_may_not_shadow_a_field_of_the_method(
    emu: Emulator, convs: sunco.Conversations, name: str, call: Any, field: str
) -> None:
    with pytest.raises(sunco.ValidationError) as info:
        call(convs)
    assert info.value.field == field
    assert "extra" in info.value.rule
    assert emu.requests() == []


def test_extra_types(emu: Emulator, convs: sunco.Conversations) -> None:
    with pytest.raises(TypeError, match=r"^extra must be a dict or None, not list$"):
        convs.update(ID, extra=[("a", 1)])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^extra\.a: set cannot be sent as JSON"):
        convs.update(ID, extra={"a": {1}})
    with pytest.raises(sunco.ValidationError) as info:
        convs.update(ID, extra={"a": float("inf")})
    assert info.value.field == "extra.a"
    assert emu.requests() == []
    # An empty extra sends nothing more.
    with pytest.raises(sunco.NotFoundError):
        convs.update(ID, display_name="x", extra={})
    assert body_json(emu.requests()[0]) == {"displayName": "x"}
