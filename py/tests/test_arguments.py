"""Bad arguments: a wrong Python type is a TypeError; a bad value is a ValidationError
(from the core, naming the field in wire spelling); neither sends anything."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import sunco

from emulator_control import Emulator

ID = "5f1c6e4b3a2d1c0b9a8f7e6d"


def group(**extra: Any) -> dict[str, Any]:
    return {"type": "sdkGroup", "participants": [{"user_external_id": "alice"}], **extra}


TYPE_ERRORS: list[tuple[str, Callable[[Any], Any]]] = [
    ("get(123)", lambda c: c.get(123)),
    ("get(None)", lambda c: c.get(None)),
    ("delete(b'id')", lambda c: c.delete(b"id")),
    ("update(1)", lambda c: c.update(1, display_name="x")),
    ("update display_name=5", lambda c: c.update(ID, display_name=5)),
    ("update metadata=[1]", lambda c: c.update(ID, metadata=[1])),
    ("update metadata={1: 'x'}", lambda c: c.update(ID, metadata={1: "x"})),
    ("create type=1", lambda c: c.create(type=1)),
    ("create participants='alice'", lambda c: c.create(type="sdkGroup", participants="alice")),
    ("create participants={...}", lambda c: c.create(type="sdkGroup", participants={"a": 1})),
    ("create participants=[1]", lambda c: c.create(type="sdkGroup", participants=[1])),
    (
        "participant id not str",
        lambda c: c.create(type="sdkGroup", participants=[{"user_external_id": 5}]),
    ),
    (
        "participant subscribe not bool",
        lambda c: c.create(
            type="sdkGroup", participants=[{"userExternalId": "a", "subscribeSDKClient": 1}]
        ),
    ),
    (
        "Participant field not str",
        lambda c: c.create(
            type="sdkGroup",
            participants=[sunco.Participant(user_id=7)],  # type: ignore[arg-type]
        ),
    ),
    ("create display_name=5", lambda c: c.create(**group(display_name=5))),
    ("create icon_url=b''", lambda c: c.create(**group(icon_url=b"x"))),
    ("create metadata=[1]", lambda c: c.create(**group(metadata=[1]))),
    ("create metadata='x'", lambda c: c.create(**group(metadata="x"))),
    ("metadata value object()", lambda c: c.create(**group(metadata={"a": object()}))),
    ("metadata value set", lambda c: c.create(**group(metadata={"a": {1}}))),
    ("list size='x'", lambda c: c.list(user_external_id="alice", size="x")),
    ("list size=True", lambda c: c.list(user_external_id="alice", size=True)),
    ("list size=2.0", lambda c: c.list(user_external_id="alice", size=2.0)),
    ("list user_id=5", lambda c: c.list(user_id=5)),
    ("list after=5", lambda c: c.list(user_external_id="alice", after=5)),
    ("iter size='x'", lambda c: c.iter(user_external_id="alice", size="x")),
    ("iter_pages user_id=1", lambda c: c.iter_pages(user_id=1)),
    ("download user_id=5", lambda c: c.download_message_ref(ID, user_id=5)),
    ("download apple='x'", lambda c: c.download_message_ref(ID, user_id="u", apple="x")),
    ("positional create", lambda c: c.create("sdkGroup")),
]

VALIDATION_ERRORS: list[tuple[str, Callable[[Any], Any], str]] = [
    ("get('')", lambda c: c.get(""), "conversationId"),
    ("get('..')", lambda c: c.get(".."), "conversationId"),
    ("unknown type", lambda c: c.create(type="group"), "type"),
    ("personal without participant", lambda c: c.create(type="personal"), "participants"),
    (
        "participant with neither id",
        lambda c: c.create(type="sdkGroup", participants=[{"subscribe_sdk_client": True}]),
        "participants[0]",
    ),
    (
        "participant with both ids",
        lambda c: c.create(
            type="sdkGroup", participants=[sunco.Participant(user_id="a", user_external_id="b")]
        ),
        "participants[0]",
    ),
    (
        "participant with an unknown key",
        lambda c: c.create(type="sdkGroup", participants=[{"user_external_id": "a", "x": 1}]),
        "participants[0].x",
    ),
    ("empty display_name", lambda c: c.create(**group(display_name="")), "displayName"),
    ("long description", lambda c: c.create(**group(description="d" * 101)), "description"),
    ("bad icon_url", lambda c: c.create(**group(icon_url="nope")), "iconUrl"),
    ("nested metadata", lambda c: c.create(**group(metadata={"a": {"b": 1}})), "metadata.a"),
    ("list in metadata", lambda c: c.create(**group(metadata={"a": [1]})), "metadata.a"),
    ("null in metadata", lambda c: c.create(**group(metadata={"a": None})), "metadata.a"),
    ("NaN in metadata", lambda c: c.create(**group(metadata={"a": float("nan")})), "metadata.a"),
    ("huge int", lambda c: c.create(**group(metadata={"a": 2**70})), "metadata.a"),
    ("big metadata", lambda c: c.create(**group(metadata={"a": "m" * 5000})), "metadata"),
    ("size=0", lambda c: c.list(user_external_id="alice", size=0), "page.size"),
    ("size=101", lambda c: c.list(user_external_id="alice", size=101), "page.size"),
    ("size=-1", lambda c: c.list(user_external_id="alice", size=-1), "page.size"),
    ("size=2**40", lambda c: c.list(user_external_id="alice", size=2**40), "page.size"),
    ("no filter", lambda c: c.list(size=10), "filter"),
    ("both filters", lambda c: c.list(user_id="a", user_external_id="b"), "filter"),
    ("short cursor", lambda c: c.list(user_external_id="a", after="abc"), "page.after"),
    (
        "two cursors",
        lambda c: c.list(user_external_id="a", after="x" * 24, before="y" * 24),
        "page",
    ),
    ("update empty name", lambda c: c.update(ID, display_name=""), "displayName"),
    ("update bad icon", lambda c: c.update(ID, icon_url="nope"), "iconUrl"),
    ("update nested metadata", lambda c: c.update(ID, metadata={"x": [1]}), "metadata.x"),
    ("download empty user", lambda c: c.download_message_ref(ID, user_id=""), "userId"),
    (
        "download partial apple ref",
        lambda c: c.download_message_ref(
            ID, user_id="u", apple={"interactive_data_ref": {"url": "https://x"}}
        ),
        "apple.interactiveDataRef.bid",
    ),
]


@pytest.mark.parametrize(("name", "call"), TYPE_ERRORS, ids=[t[0] for t in TYPE_ERRORS])
def test_wrong_types_raise_type_error(
    emu: Emulator, convs: sunco.Conversations, name: str, call: Callable[[Any], Any]
) -> None:
    with pytest.raises(TypeError):
        call(convs)
    assert emu.requests() == []


@pytest.mark.parametrize(
    ("name", "call", "field"), VALIDATION_ERRORS, ids=[t[0] for t in VALIDATION_ERRORS]
)
def test_bad_values_raise_validation_error(
    emu: Emulator,
    convs: sunco.Conversations,
    name: str,
    call: Callable[[Any], Any],
    field: str,
) -> None:
    with pytest.raises(sunco.ValidationError) as info:
        call(convs)
    assert info.value.field == field
    assert emu.requests() == []


def test_iter_validates_on_first_page(emu: Emulator, convs: sunco.Conversations) -> None:
    it = convs.iter(user_external_id="alice", size=0)
    with pytest.raises(sunco.ValidationError) as info:
        next(it)
    assert info.value.field == "page.size"
    assert emu.requests() == []


def test_conversations_needs_a_str_app_id(client: sunco.Client) -> None:
    with pytest.raises(TypeError):
        client.conversations(1)  # type: ignore[arg-type]


def test_async_type_and_validation_errors(aconvs: sunco.AsyncConversations) -> None:
    import asyncio

    async def run() -> None:
        with pytest.raises(TypeError):
            await aconvs.get(123)  # type: ignore[arg-type]
        with pytest.raises(sunco.ValidationError):
            await aconvs.update(ID, display_name="")
        with pytest.raises(TypeError):
            aconvs.iter(user_external_id="a", size="x")  # type: ignore[arg-type]

    asyncio.run(run())
