"""The generated surface beyond the vectors: typed results and their wire form, unknown kinds
kept, request models and content builders, keyword arguments (snake_case, PATCH semantics,
errors naming the argument), pages and records, and uploads from a path, bytes or a file."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sunco
from sunco import content, models

from emulator_control import APP_ID, Emulator, body_json

ALICE = [{"userExternalId": "alice"}]


def conversation(client: sunco.Client) -> str:
    made = client.app(APP_ID).conversations().create(type="sdkGroup", participants=ALICE)
    assert made.conversation is not None and made.conversation.id is not None
    return made.conversation.id


# --- content builders ---


def test_builders_give_the_wire_form() -> None:
    assert content.text("Hi").to_dict() == {"type": "text", "text": "Hi"}
    assert content.text(
        "Hi", actions=[content.reply("Yes", "y", icon_url="https://i")]
    ).to_dict() == {
        "type": "text",
        "text": "Hi",
        "actions": [{"type": "reply", "text": "Yes", "payload": "y", "iconUrl": "https://i"}],
    }
    assert content.image("https://x/a.png", alt_text="A").to_dict() == {
        "type": "image",
        "mediaUrl": "https://x/a.png",
        "altText": "A",
    }
    assert content.file("https://x/a.pdf").to_dict() == {
        "type": "file",
        "mediaUrl": "https://x/a.pdf",
    }
    plans = content.carousel(
        [
            content.item("Basic", actions=[content.postback("Choose", "basic")]),
            content.item(
                "Pro",
                description="Teams",
                media_url="https://x/p.png",
                actions=[content.link("See", "https://x")],
            ),
        ]
    )
    assert plans.to_dict() == {
        "type": "carousel",
        "items": [
            {
                "title": "Basic",
                "actions": [{"type": "postback", "text": "Choose", "payload": "basic"}],
            },
            {
                "title": "Pro",
                "description": "Teams",
                "mediaUrl": "https://x/p.png",
                "actions": [{"type": "link", "text": "See", "uri": "https://x"}],
            },
        ],
    }
    assert content.business().to_dict() == {"type": "business"}
    assert content.user("u1").to_dict() == {"type": "user", "userId": "u1"}


def test_builders_name_a_wrong_type() -> None:
    with pytest.raises(TypeError, match=r"^text must be str, not int"):
        content.text(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"actions\[1\] must be Reply or Postback or Link"):
        content.text("x", actions=[content.reply("a", "b"), "c"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"actions\[0\] must be Postback or Link, not Reply"):
        content.item("x", actions=[content.reply("a", "b")])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"items\[0\] must be an Item"):
        content.carousel([{"title": "x"}])  # type: ignore[list-item]


def test_built_content_is_sent_as_built(emu: Emulator, client: sunco.Client) -> None:
    cid = conversation(client)
    emu.clear_requests()
    hello = content.text("Hi", actions=[content.reply("Yes", "yes")])
    sent = client.app(APP_ID).messages(cid).post(author=content.business(), content=hello)
    (request,) = emu.requests()
    assert body_json(request) == {"author": {"type": "business"}, "content": hello.to_dict()}
    assert sent.messages is not None
    got = sent.messages[0].content
    assert isinstance(got, models.TextMessage) and got.text == "Hi"
    assert [a.to_dict() for a in got.actions or []] == [hello.to_dict()["actions"][0]]
    assert isinstance((got.actions or [])[0], models.Reply)


# --- models ---


def test_unknown_fields_and_kinds_are_kept() -> None:
    wire = {
        "id": "m1",
        "author": {"type": "user", "future": 1},
        "content": {"type": "hologram", "beam": "on"},
        "brandNew": [1, {"x": None}],
    }
    message = models.Message.from_dict(wire)
    assert isinstance(message.content, models.ContentUnknown)
    assert message.content.type == "hologram" and message.content.get("beam") == "on"
    assert message.get("brandNew") == [1, {"x": None}]
    assert message.to_dict() == wire
    copy = message.to_dict()
    copy["id"] = "changed"
    assert message.id == "m1", "to_dict gives a copy"
    assert message == models.Message.from_dict(wire)


def test_unions_read_every_listed_kind() -> None:
    for kind, cls in [
        ("text", models.TextMessage),
        ("image", models.ImageMessage),
        ("carousel", models.CarouselMessage),
        ("location", models.LocationMessage),
    ]:
        got = models.Message.from_dict({"content": {"type": kind}}).content
        assert type(got) is cls, kind


def test_a_required_field_missing_from_a_response_is_a_decode_error() -> None:
    page = models.FormResponseMessage.from_dict({"type": "formResponse"})
    with pytest.raises(sunco.DecodeError, match="fields"):
        _ = page.fields


def test_models_are_built_from_keywords() -> None:
    author = models.Author(type="user", user_id="u1", display_name=None)
    assert author.to_dict() == {"type": "user", "userId": "u1"}
    with pytest.raises(TypeError, match="Author has no field 'userid'"):
        models.Author(userid="x")


def test_reprs_never_show_secrets() -> None:
    key = models.ApiKey.from_dict({"id": "k1", "secret": "s3cr3t", "nested": {"authToken": "t0k"}})
    text = repr(key)
    assert "s3cr3t" not in text and "t0k" not in text and "k1" in text


SCHEMA_CLASSES = sorted(
    (getattr(models, n) for n in models.__all__ if isinstance(getattr(models, n), type)),
    key=lambda c: c.__name__,
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=15,
)


@settings(max_examples=300, deadline=None)
@given(
    cls=st.sampled_from(SCHEMA_CLASSES),
    data=st.dictionaries(st.text(max_size=12), JSON, max_size=6),
)
def test_any_object_reads_back_unchanged_and_properties_never_crash(
    cls: Any, data: dict[str, Any]
) -> None:
    """Whatever the JSON, a model keeps it exactly, and each property gives a value of its
    type, ``None``, or a DecodeError for a required field that is missing."""
    model = cls.from_dict(data)
    for name, value in inspect.getmembers(cls):
        if isinstance(value, property):
            with contextlib.suppress(sunco.DecodeError):
                getattr(model, name)
    assert model.to_dict() == data


# --- keyword arguments ---


def test_keywords_are_snake_case_and_sent_in_camel_case(
    emu: Emulator, client: sunco.Client
) -> None:
    users = client.app(APP_ID).users()
    emu.clear_requests()
    users.create(
        external_id="kw-user", signed_up_at="2026-01-01T00:00:00.000Z", profile={"givenName": "K"}
    )
    (request,) = emu.requests()
    assert body_json(request) == {
        "externalId": "kw-user",
        "signedUpAt": "2026-01-01T00:00:00.000Z",
        "profile": {"givenName": "K"},
    }


def test_patch_leaves_out_unset_and_sends_none_as_null(emu: Emulator, client: sunco.Client) -> None:
    convs = client.app(APP_ID).conversations()
    cid = conversation(client)
    emu.clear_requests()
    convs.update(cid, display_name="New", description=None)
    (request,) = emu.requests()
    assert body_json(request) == {"displayName": "New", "description": None}


def test_extra_sends_fields_as_they_are(emu: Emulator, client: sunco.Client) -> None:
    cid = conversation(client)
    emu.clear_requests()
    with pytest.raises(sunco.ValidationError) as info:
        client.app(APP_ID).messages(cid).post(
            author={"type": "business"}, content=content.text("x"), extra={"author": {}}
        )
    assert "given twice" in str(info.value)
    assert emu.requests() == []


def test_a_rule_broken_is_named_as_the_keyword_and_the_api_field(
    emu: Emulator, client: sunco.Client
) -> None:
    app = client.app(APP_ID)
    with pytest.raises(sunco.ValidationError) as info:
        app.conversations().create(type="sdkGroup", display_name="x" * 5000)
    assert (info.value.field, info.value.argument) == ("displayName", "display_name")
    assert "display_name" in str(info.value)
    with pytest.raises(sunco.ValidationError) as info:
        app.messages("5f1c6e4b3a2d1c0b9a8f7e6d").post(
            author={"type": "robot"}, content=content.text("x")
        )
    assert info.value.field == "author.type"
    with pytest.raises(sunco.ValidationError) as info:
        app.messages("5f1c6e4b3a2d1c0b9a8f7e6d").list(size=1000)
    assert (info.value.field, info.value.argument) == ("page.size", "size")
    assert emu.requests() == []


def test_python_refuses_what_it_can_by_itself(client: sunco.Client) -> None:
    app = client.app(APP_ID)
    with pytest.raises(TypeError, match="conversation_id must be str, not int"):
        app.messages(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="app_id must be str"):
        client.app(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="unexpected keyword argument 'displayName'"):
        app.conversations().create(type="personal", displayName="x")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="message_id must be str"):
        app.messages("c").delete(b"m")  # type: ignore[arg-type]


# --- pages and records ---


def test_pages_and_records_of_a_list(emu: Emulator, client: sunco.Client) -> None:
    convs = client.app(APP_ID).conversations()
    made = [conversation(client) for _ in range(5)]
    pages = list(convs.pages(user_external_id="alice", size=2))
    assert [len(p.conversations or []) for p in pages] == [2, 2, 1]
    assert all(isinstance(p, models.ConversationListResponse) for p in pages)
    records = list(convs.iter(user_external_id="alice", size=2))
    assert [c.id for c in records] == made
    assert all(isinstance(c, models.Conversation) for c in records)


def test_async_pages_records_and_calls(
    emu: Emulator, client: sunco.Client, aclient: sunco.AsyncClient
) -> None:
    made = [conversation(client) for _ in range(3)]

    async def run() -> tuple[list[str], int, str]:
        convs = aclient.app(APP_ID).conversations()
        ids = [c.id or "" async for c in convs.iter(user_external_id="alice", size=2)]
        pages = [p async for p in convs.pages(user_external_id="alice", size=2)]
        got = await convs.get(made[0])
        return ids, len(pages), (got.conversation.id if got.conversation else "") or ""

    ids, pages, first = asyncio.run(run())
    assert ids == made and pages == 2 and first == made[0]


# --- uploads ---


def upload_request(emu: Emulator) -> dict[str, Any]:
    (request,) = [r for r in emu.requests() if r["path"].endswith("/attachments")]
    return request


def url(up: models.AttachmentResponse) -> str:
    assert up.attachment is not None
    return up.attachment.media_url or ""


def test_upload_from_bytes_a_path_and_a_file_object(
    emu: Emulator, client: sunco.Client, tmp_path: Path
) -> None:
    attachments = client.app(APP_ID).attachments()
    up = attachments.upload(
        b"hello", access="public", file_name="hello.txt", content_type="text/plain"
    )
    assert isinstance(up, models.AttachmentResponse)
    assert url(up).endswith("/hello.txt")
    assert upload_request(emu)["query"] == "access=public"
    path = tmp_path / "notes.md"
    path.write_text("notes")
    assert url(attachments.upload(path, access="public")).endswith("/notes.md")
    assert url(attachments.upload(str(path), access="public")).endswith("/notes.md")
    with path.open("rb") as f:
        assert url(attachments.upload(f, access="public")).endswith("/notes.md")
    buf = io.BytesIO(b"in memory")
    assert url(attachments.upload(buf, access="public", file_name="mem.bin")).endswith("/mem.bin")


def test_upload_over_50_mb_is_refused_before_sending(
    emu: Emulator, client: sunco.Client, tmp_path: Path
) -> None:
    attachments = client.app(APP_ID).attachments()
    big = tmp_path / "big.bin"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024 + 1)  # sparse: no 50 MB written
    emu.clear_requests()
    for source in (big, b"\0" * (50 * 1024 * 1024 + 1)):
        with pytest.raises(sunco.ValidationError) as info:
            attachments.upload(source, access="public", file_name="big.bin")
        assert info.value.field == "source"
    with big.open("rb") as f, pytest.raises(sunco.ValidationError):
        attachments.upload(f, access="public")
    assert emu.requests() == []


def test_upload_refuses_what_is_not_a_file(client: sunco.Client, tmp_path: Path) -> None:
    attachments = client.app(APP_ID).attachments()
    with pytest.raises(TypeError, match="source must be a path, bytes or a binary file object"):
        attachments.upload(5, access="public")  # type: ignore[arg-type]
    path = tmp_path / "t.txt"
    path.write_text("x")
    with path.open("r") as f, pytest.raises(TypeError, match="binary mode"):
        attachments.upload(f, access="public")  # type: ignore[arg-type]
    with pytest.raises(sunco.ValidationError) as info:
        attachments.upload(tmp_path / "absent.txt", access="public")
    assert info.value.field == "source"


def test_async_upload(emu: Emulator, aclient: sunco.AsyncClient) -> None:
    async def run() -> str:
        up = (
            await aclient.app(APP_ID).attachments().upload(b"x", access="public", file_name="a.txt")
        )
        return (up.attachment.media_url if up.attachment else "") or ""

    assert asyncio.run(run()).endswith("/a.txt")
    assert json.loads(json.dumps(emu.requests()[-1]["query"])) == "access=public"
