"""Every operation, pagination and tri-state updates, sync and asyncio."""

from __future__ import annotations

import asyncio

import pytest

import sunco

from emulator_control import Emulator, body_json, query_pairs


def make_group(convs: sunco.Conversations, name: str = "Support") -> sunco.Conversation:
    return convs.create(
        type="sdkGroup", participants=[{"user_external_id": "alice"}], display_name=name
    )


def test_create_with_every_field(emu: Emulator, convs: sunco.Conversations) -> None:
    carol = emu.user_id("carol")
    emu.clear_requests()
    conv = convs.create(
        type="sdkGroup",
        participants=[
            {"user_external_id": "alice", "subscribe_sdk_client": True},
            {"userExternalId": "bob"},
            sunco.Participant(user_id=carol),
        ],
        display_name="Support",
        description="Billing questions",
        icon_url="https://example.com/icon.png",
        metadata={"lang": "en", "n": 3, "vip": True, "ratio": 0.5},
    )
    assert isinstance(conv, sunco.Conversation)
    assert conv.type == "sdkGroup"
    assert conv.display_name == "Support"
    assert conv.description == "Billing questions"
    assert conv.icon_url == "https://example.com/icon.png"
    assert conv.metadata == {"lang": "en", "n": 3, "vip": True, "ratio": 0.5}
    assert conv.is_default is False
    assert conv.created_at is not None
    assert conv.last_updated_at is not None
    log = emu.requests()
    assert len(log) == 1, log
    sent = log[0]
    assert body_json(sent)["participants"] == [
        {"userExternalId": "alice", "subscribeSDKClient": True},
        {"userExternalId": "bob"},
        {"userId": carol},
    ]
    assert sent["contentType"] == "application/json"


def test_personal_conversation_is_default(convs: sunco.Conversations) -> None:
    conv = convs.create(type="personal", participants=[sunco.Participant(user_external_id="bob")])
    assert conv.type == "personal"
    assert conv.is_default is True


def test_get_update_delete(emu: Emulator, convs: sunco.Conversations) -> None:
    conv = make_group(convs)
    assert convs.get(conv.id) == conv
    updated = convs.update(conv.id, display_name="Billing", metadata={"tier": "gold"})
    assert updated.display_name == "Billing"
    assert updated.metadata == {"tier": "gold"}
    assert convs.get(conv.id) == updated
    convs.delete(conv.id)
    with pytest.raises(sunco.NotFoundError) as info:
        convs.get(conv.id)
    assert info.value.code == "conversation_not_found"
    methods = [r["method"] for r in emu.requests()]
    assert methods == ["POST", "GET", "PATCH", "GET", "DELETE", "GET"]


def test_update_is_tri_state(emu: Emulator, convs: sunco.Conversations) -> None:
    conv = convs.create(
        type="sdkGroup",
        display_name="Name",
        description="Desc",
        icon_url="https://example.com/i.png",
        metadata={"a": 1},
    )
    emu.clear_requests()

    after = convs.update(conv.id, display_name="New")
    assert body_json(emu.requests()[-1]) == {"displayName": "New"}
    assert (after.display_name, after.description) == ("New", "Desc")

    after = convs.update(conv.id, description=None, icon_url=sunco.UNSET)
    assert body_json(emu.requests()[-1]) == {"description": None}
    assert after.description is None
    assert "description" not in after.to_dict()
    assert after.icon_url == "https://example.com/i.png"

    after = convs.update(conv.id)
    assert body_json(emu.requests()[-1]) == {}
    assert after.display_name == "New"

    after = convs.update(conv.id, metadata=None, icon_url=None, display_name=None)
    assert body_json(emu.requests()[-1]) == {
        "displayName": None,
        "iconUrl": None,
        "metadata": None,
    }
    assert after.metadata == {}
    assert after.display_name is None and after.icon_url is None


def test_download_message_ref(emu: Emulator, convs: sunco.Conversations) -> None:
    conv = make_group(convs)
    ref = {"url": "https://example.com/r", "bid": "b", "key": "k", "signature": "s", "owner": "o"}
    result = convs.download_message_ref(
        conv.id, user_id=emu.user_id("alice"), apple={"interactive_data_ref": ref}
    )
    assert isinstance(result, dict)
    assert body_json(emu.requests()[-1]) == {
        "userId": emu.user_id("alice"),
        "apple": {"interactiveDataRef": ref},
    }


def test_list_pages_with_cursors(emu: Emulator, convs: sunco.Conversations) -> None:
    made = [make_group(convs, f"c{i}").id for i in range(5)]
    first = convs.list(user_external_id="alice", size=2)
    assert isinstance(first, sunco.ConversationPage)
    assert len(first) == 2 and first.has_more
    assert first.after_cursor is not None
    assert first.next_url is not None and "page" in first.next_url
    second = convs.list(user_external_id="alice", size=2, after=first.after_cursor)
    assert second.before_cursor is not None
    third = convs.list(user_external_id="alice", size=2, after=second.after_cursor)
    assert not third.has_more
    seen = [c.id for page in (first, second, third) for c in page]
    assert sorted(seen) == sorted(made)
    back = convs.list(user_external_id="alice", size=2, before=second.before_cursor)
    assert [c.id for c in back] == [c.id for c in first]
    wire = first.to_dict()
    assert wire["meta"]["hasMore"] is True
    assert [c["id"] for c in wire["conversations"]] == [c.id for c in first.conversations]


def test_iter_walks_every_page_lazily(emu: Emulator, convs: sunco.Conversations) -> None:
    made = {make_group(convs, f"c{i}").id for i in range(5)}
    emu.clear_requests()
    assert {c.id for c in convs.iter(user_external_id="alice", size=2)} == made
    log = emu.requests()
    assert len(log) == 3
    assert query_pairs(log[1]["query"])[1][0] == "page[after]"

    emu.clear_requests()
    it = convs.iter(user_external_id="alice", size=2)
    assert emu.requests() == [], "nothing is fetched before the loop asks"
    next(it)
    next(it)
    assert len(emu.requests()) == 1, "the second page is fetched only when needed"

    pages = list(convs.iter_pages(user_external_id="alice", size=2))
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [p.has_more for p in pages] == [True, True, False]


def test_iter_of_a_user_with_nothing(convs: sunco.Conversations) -> None:
    assert list(convs.iter(user_external_id="carol")) == []


def test_async_operations(emu: Emulator, aconvs: sunco.AsyncConversations) -> None:
    async def run() -> None:
        conv = await aconvs.create(
            type="sdkGroup", participants=[{"user_external_id": "alice"}], display_name="A"
        )
        assert (await aconvs.get(conv.id)) == conv
        updated = await aconvs.update(conv.id, display_name=None, description="D")
        assert updated.display_name is None and updated.description == "D"
        page = await aconvs.list(user_external_id="alice")
        assert [c.id for c in page] == [conv.id]
        for _ in range(4):
            await aconvs.create(type="sdkGroup", participants=[{"user_external_id": "alice"}])
        ids = [c.id async for c in aconvs.iter(user_external_id="alice", size=2)]
        assert len(ids) == 5 and ids[0] == conv.id
        sizes = [len(p) async for p in aconvs.iter_pages(user_external_id="alice", size=3)]
        assert sizes == [3, 2]
        ref = await aconvs.download_message_ref(conv.id, user_id=emu.user_id("alice"))
        assert isinstance(ref, dict)
        await aconvs.delete(conv.id)
        with pytest.raises(sunco.NotFoundError):
            await aconvs.get(conv.id)

    asyncio.run(run())


def test_async_client_as_context_manager(emu: Emulator) -> None:
    async def run() -> sunco.AsyncClient:
        async with sunco.AsyncClient(
            base_url=emu.url, key_id="demo-key", key_secret="demo-secret"
        ) as c:
            page = await c.conversations("demo-app").list(user_external_id="alice")
            assert len(page) == 0
        return c

    c = asyncio.run(run())
    assert c.closed
