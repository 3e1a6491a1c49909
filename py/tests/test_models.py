"""Result objects: attribute access, wire form round trip, unknown fields, equality, repr."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import sunco

WIRE: dict[str, Any] = {
    "id": "5f1c6e4b3a2d1c0b9a8f7e6d",
    "type": "brandNewType",
    "metadata": {"lang": "en", "n": 3, "vip": True, "ratio": 0.5},
    "activeSwitchboardIntegration": {"id": "x", "name": "bot", "newThing": 1},
    "pendingSwitchboardIntegration": {"id": "y", "name": "agent"},
    "isDefault": False,
    "displayName": "Hi",
    "description": "D",
    "iconUrl": "https://example.com/i.png",
    "businessLastRead": "2020-06-20T11:26:07.001Z",
    "lastUpdatedAt": "2020-06-21T11:26:07.001Z",
    "createdAt": "2020-06-20T11:26:07.001Z",
    "futureField": {"nested": [1, 2]},
}


def test_conversation_attributes() -> None:
    c = sunco.Conversation(WIRE)
    assert c.id == WIRE["id"]
    assert c.type == "brandNewType"  # unknown types are kept as the server spelled them
    assert c.metadata == WIRE["metadata"]
    assert c.is_default is False
    assert c.display_name == "Hi"
    assert c.description == "D"
    assert c.icon_url == "https://example.com/i.png"
    assert c.business_last_read == "2020-06-20T11:26:07.001Z"
    assert c.last_updated_at == "2020-06-21T11:26:07.001Z"
    assert c.created_at == "2020-06-20T11:26:07.001Z"
    assert c.active_switchboard_integration == {"id": "x", "name": "bot", "newThing": 1}
    assert c.pending_switchboard_integration == {"id": "y", "name": "agent"}


def test_unknown_fields_round_trip() -> None:
    c = sunco.Conversation(WIRE)
    assert c.to_dict() == WIRE
    assert c.to_dict()["futureField"] == {"nested": [1, 2]}


def test_results_are_copies() -> None:
    source = {"id": "a", "type": "personal", "metadata": {"k": "v"}}
    c = sunco.Conversation(source)
    source["metadata"]["k"] = "changed"  # type: ignore[index]
    c.to_dict()["metadata"]["k"] = "changed too"
    c.metadata["k"] = "and again"
    assert c.metadata == {"k": "v"}
    with pytest.raises(AttributeError):
        c.display_name = "x"  # type: ignore[misc]


def test_absent_fields() -> None:
    c = sunco.Conversation({"id": "a", "type": "personal"})
    assert c.display_name is None and c.is_default is None and c.created_at is None
    assert c.metadata == {}
    assert c.active_switchboard_integration is None
    assert c.to_dict() == {"id": "a", "type": "personal"}


def test_equality_and_repr() -> None:
    a = sunco.Conversation(WIRE)
    assert a == sunco.Conversation(dict(WIRE))
    assert a != sunco.Conversation({**WIRE, "displayName": "Other"})
    assert a != WIRE
    assert repr(a) == (
        "Conversation(id='5f1c6e4b3a2d1c0b9a8f7e6d', type='brandNewType', "
        "display_name='Hi', is_default=False)"
    )
    with pytest.raises(TypeError):
        hash(a)
    with pytest.raises(TypeError):
        sunco.Conversation([1, 2])  # type: ignore[arg-type]


def test_page() -> None:
    wire = {
        "conversations": [WIRE, {"id": "b", "type": "personal"}],
        "meta": {"hasMore": True, "afterCursor": "a" * 24, "beforeCursor": "b" * 24, "x": 1},
        "links": {"next": "https://n", "prev": "https://p"},
        "somethingNew": True,
    }
    page = sunco.ConversationPage(wire)
    assert len(page) == 2
    assert [c.id for c in page] == [WIRE["id"], "b"]
    assert page.conversations[0] == sunco.Conversation(WIRE)
    assert page.has_more is True
    assert page.after_cursor == "a" * 24
    assert page.before_cursor == "b" * 24
    assert page.next_url == "https://n"
    assert page.prev_url == "https://p"
    assert page.to_dict() == wire
    assert page == sunco.ConversationPage(wire)
    assert repr(page) == (
        f"ConversationPage(conversations=2, has_more=True, after_cursor={'a' * 24!r})"
    )
    empty = sunco.ConversationPage({})
    assert (len(empty), empty.has_more, empty.after_cursor, empty.next_url) == (
        0,
        False,
        None,
        None,
    )


def test_participant() -> None:
    p = sunco.Participant(user_external_id="alice", subscribe_sdk_client=True)
    assert p == sunco.Participant(user_external_id="alice", subscribe_sdk_client=True)
    assert p != sunco.Participant(user_external_id="bob")
    assert hash(p) == hash(sunco.Participant(user_external_id="alice", subscribe_sdk_client=True))
    assert repr(p) == "Participant(user_external_id='alice', subscribe_sdk_client=True)"
    assert p.to_dict() == {"userExternalId": "alice", "subscribeSDKClient": True}
    with pytest.raises(AttributeError):
        p.user_id = "x"  # type: ignore[misc]


def test_unset() -> None:
    assert repr(sunco.UNSET) == "sunco.UNSET"
    assert sunco.UnsetType() is sunco.UNSET
    assert not sunco.UNSET
    assert pickle.loads(pickle.dumps(sunco.UNSET)) is sunco.UNSET
