"""sunco.webhooks.parse: every event type of the spec's examples (and of the emulator's own
deliveries, when tests/webhooks/emulated_events.json exists) read into its typed class and
written back unchanged; every refusal (missing or wrong secret, too large, malformed) as its
typed error with the status to answer; the bot's decisions on those events."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sunco
from sunco import models, webhooks

ROOT = Path(__file__).resolve().parents[2]
SPEC_EXAMPLES: dict[str, Any] = json.loads(
    (ROOT / "tests" / "webhooks" / "spec_examples.json").read_text()
)["examples"]
EMULATED = ROOT / "tests" / "webhooks" / "emulated_events.json"
SECRET = "whsec-test"
HEADERS = {"X-API-Key": SECRET, "Content-Type": "application/json"}

# The class each event type is read into.
CLASSES = {
    "client:add": models.ClientAddEvent,
    "client:remove": models.ClientRemoveEvent,
    "client:update": models.ClientUpdateEvent,
    "conversation:create": models.ConversationCreateEvent,
    "conversation:join": models.ConversationJoinEvent,
    "conversation:leave": models.ConversationLeaveEvent,
    "conversation:remove": models.ConversationRemoveEvent,
    "conversation:message": models.ConversationMessageEvent,
    "conversation:message:delivery:channel": models.ConversationMessageDeliveryChannelEvent,
    "conversation:message:delivery:failure": models.ConversationMessageDeliveryFailureEvent,
    "conversation:message:delivery:user": models.ConversationMessageDeliveryUserEvent,
    "conversation:postback": models.ConversationPostbackEvent,
    "conversation:read": models.ConversationReadEvent,
    "conversation:referral": models.ConversationReferralEvent,
    "conversation:typing": models.ConversationTypingEvent,
    "switchboard:acceptControl": models.SwitchboardAcceptControl,
    "switchboard:acceptControl:failure": models.SwitchboardAcceptControlFailure,
    "switchboard:offerControl": models.SwitchboardOfferControl,
    "switchboard:offerControl:failure": models.SwitchboardOfferControlFailure,
    "switchboard:passControl": models.SwitchboardPassControl,
    "switchboard:passControl:failure": models.SwitchboardPassControlFailure,
    "switchboard:releaseControl": models.SwitchboardReleaseControl,
    "user:merge": models.UserMergeEvent,
    "user:update": models.UserUpdateEvent,
    "user:remove": models.UserRemoveEvent,
}


def emulated() -> list[Any]:
    """Bodies the emulator delivered, one per event type (tests/webhooks/emulated_events.json,
    written from the emulator's deliveries, in the format of spec_examples.json)."""
    if not EMULATED.exists():
        return []
    examples = json.loads(EMULATED.read_text())["examples"]
    return [pytest.param(k, b, id=f"emulated {k}") for k, b in examples.items()]


def test_the_emulator_examples_cover_every_event_type() -> None:
    if not EMULATED.exists():
        pytest.skip("tests/webhooks/emulated_events.json is not there yet")
    assert set(json.loads(EMULATED.read_text())["examples"]) == set(CLASSES)


def test_the_spec_examples_cover_every_event_type() -> None:
    assert set(SPEC_EXAMPLES) == set(webhooks.EVENT_TYPES) == set(CLASSES)


@pytest.mark.parametrize(
    ("kind", "body"),
    [pytest.param(k, b, id=f"spec {k}") for k, b in SPEC_EXAMPLES.items()] + emulated(),
)
def test_every_event_type_is_read_into_its_class(kind: str, body: dict[str, Any]) -> None:
    raw = json.dumps(body).encode()
    payload = webhooks.parse(raw, HEADERS, SECRET)
    assert isinstance(payload, models.WebhookPayload)
    assert payload.to_dict() == body, "written back unchanged"
    events = payload.events or []
    assert events, "the example has events"
    for event, sent in zip(events, body["events"]):
        if sent.get("type") in CLASSES:
            assert isinstance(event, CLASSES[sent["type"]]), (sent["type"], type(event))
        assert event.to_dict() == sent
        assert event.type == sent["type"]
    if kind in CLASSES:
        assert any(isinstance(e, CLASSES[kind]) for e in events)


def test_a_message_event_is_typed_down_to_its_content() -> None:
    body = json.dumps(SPEC_EXAMPLES["conversation:message"]).encode()
    (event,) = webhooks.parse(body, HEADERS, SECRET).events or []
    assert isinstance(event, models.ConversationMessageEvent)
    assert event.payload is not None and event.payload.message is not None
    message = event.payload.message
    assert isinstance(message.content, models.TextMessage)
    assert (
        message.content.text
        == SPEC_EXAMPLES["conversation:message"]["events"][0]["payload"]["message"]["content"][
            "text"
        ]
    )
    assert event.payload.conversation is not None and event.payload.conversation.id


def test_unknown_event_types_and_fields_are_kept() -> None:
    sent = {
        "app": {"id": "a"},
        "webhook": {"id": "w", "version": "v2"},
        "events": [
            {"id": "e1", "type": "conversation:hologram", "payload": {"beam": [1, 2]}},
            {"id": "e2", "type": "conversation:typing", "payload": {}, "later": {"x": True}},
        ],
        "newTopLevel": 7,
    }
    payload = webhooks.parse(json.dumps(sent).encode(), HEADERS, SECRET)
    first, second = payload.events or []
    assert isinstance(first, models.WebhookEventUnknown)
    assert first.type == "conversation:hologram"
    assert first.get("payload") == {"beam": [1, 2]}
    assert isinstance(second, models.ConversationTypingEvent)
    assert second.get("later") == {"x": True}
    assert payload.to_dict() == sent


@pytest.mark.parametrize(
    ("headers", "missing"),
    [
        ({}, True),
        ({"Content-Type": "application/json"}, True),
        ({"X-API-Key": "guess"}, False),
        ({"X-API-Key": SECRET + " "}, False),
        ({"x-api-key": SECRET[:-1]}, False),
        ([("X-API-Key", SECRET), ("x-api-key", SECRET)], False),  # sent twice
    ],
)
def test_a_missing_or_wrong_secret_is_refused(headers: Any, missing: bool) -> None:
    body = json.dumps(SPEC_EXAMPLES["conversation:message"]).encode()
    with pytest.raises(webhooks.WebhookSecretError) as info:
        webhooks.parse(body, headers, SECRET)
    assert info.value.status == 401
    assert info.value.missing is missing
    assert isinstance(info.value, sunco.WebhookError) and isinstance(info.value, sunco.SuncoError)
    assert SECRET not in str(info.value) + repr(info.value)
    assert "guess" not in str(info.value)


def test_the_header_name_is_matched_in_any_case() -> None:
    body = json.dumps(SPEC_EXAMPLES["user:update"]).encode()
    for name in ("x-api-key", "X-API-KEY", "X-Api-Key"):
        assert webhooks.parse(body, {name: SECRET}, SECRET).events


def test_a_body_over_the_limit_is_refused_before_parsing() -> None:
    body = b"{" + b" " * webhooks.MAX_BODY_BYTES + b"}"
    with pytest.raises(webhooks.WebhookTooLargeError) as info:
        webhooks.parse(body, HEADERS, SECRET)
    assert info.value.status == 413
    assert info.value.size == len(body) and info.value.limit == webhooks.MAX_BODY_BYTES
    # The secret is checked first: a wrong one is a 401 whatever the size.
    with pytest.raises(webhooks.WebhookSecretError):
        webhooks.parse(body, {"X-API-Key": "nope"}, SECRET)


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (b"not json", ""),
        (b"[1, 2]", ""),
        (b'{"events": "x"}', "events"),
        (
            b'{"events": [{"type": "conversation:message", "payload": {"conversation": 5}}]}',
            "events[0].payload.conversation",
        ),
    ],
)
def test_a_malformed_body_is_refused_naming_the_place(body: bytes, path: str) -> None:
    with pytest.raises(webhooks.WebhookMalformedError) as info:
        webhooks.parse(body, HEADERS, SECRET)
    assert info.value.status == 400
    assert isinstance(info.value, ValueError)
    assert info.value.path == path


def test_python_types_are_checked() -> None:
    with pytest.raises(TypeError, match="body must be bytes"):
        webhooks.parse("{}", HEADERS, SECRET)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="secret must be str"):
        webhooks.parse(b"{}", HEADERS, b"s")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="header names and values must be str"):
        webhooks.parse(b"{}", {"X-API-Key": 5}, SECRET)
    assert webhooks.parse(bytearray(b'{"events": []}'), HEADERS, SECRET).events == []


def test_errors_pickle_with_their_attributes() -> None:
    import pickle

    with pytest.raises(webhooks.WebhookTooLargeError) as info:
        webhooks.parse(b"x" * (webhooks.MAX_BODY_BYTES + 1), HEADERS, SECRET)
    again = pickle.loads(pickle.dumps(info.value))
    assert (again.status, again.size, again.limit) == (413, info.value.size, info.value.limit)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(
    event_type=st.sampled_from(sorted(SPEC_EXAMPLES)),
    field=st.text(min_size=1, max_size=10),
    value=JSON,
)
def test_any_added_field_is_kept_or_the_body_refused(
    event_type: str, field: str, value: Any
) -> None:
    """Adding any field to an event's payload either reads back unchanged or is refused as
    malformed (a known field of the wrong shape), never silently changed."""
    body = json.loads(json.dumps(SPEC_EXAMPLES[event_type]))
    body["events"][0]["payload"][field] = value
    raw = json.dumps(body).encode()
    refused: webhooks.WebhookMalformedError | None = None
    try:
        payload = webhooks.parse(raw, HEADERS, SECRET)
    except webhooks.WebhookMalformedError as e:
        refused = e
    if refused is not None:
        assert refused.path.startswith("events[0].payload"), refused.path
    else:
        assert payload.to_dict() == body


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_parsed_or_refused_as_malformed(raw: bytes) -> None:
    refused: webhooks.WebhookMalformedError | None = None
    try:
        payload = webhooks.parse(raw, HEADERS, SECRET)
    except webhooks.WebhookMalformedError as e:
        refused = e
    if refused is not None:
        assert refused.status == 400
    else:
        assert payload.to_dict() == json.loads(raw)


# --- the bot's decisions (examples/python/bot.py), on the spec's events ---


class FakeMessages:
    def __init__(self, log: list[Any], cid: str) -> None:
        self.log, self.cid = log, cid

    def post(self, **kwargs: Any) -> None:
        self.log.append(("post", self.cid, kwargs["author"].to_dict(), kwargs["content"].to_dict()))


class FakeSwitchboardActions:
    def __init__(self, log: list[Any], cid: str) -> None:
        self.log, self.cid = log, cid

    def pass_control(self, **kwargs: Any) -> None:
        self.log.append(("pass_control", self.cid, kwargs))


class FakeApp:
    """Records what the bot would send (the end-to-end run sends it for real)."""

    def __init__(self) -> None:
        self.log: list[Any] = []

    def messages(self, cid: str) -> FakeMessages:
        return FakeMessages(self.log, cid)

    def switchboard_actions(self, cid: str) -> FakeSwitchboardActions:
        return FakeSwitchboardActions(self.log, cid)


def bot_module() -> Any:
    sys.path.insert(0, str(ROOT / "examples" / "python"))
    try:
        import importlib

        return importlib.import_module("bot")
    finally:
        sys.path.pop(0)


def message_event(text: str, author: str = "user") -> Any:
    body = json.loads(json.dumps(SPEC_EXAMPLES["conversation:message"]))
    message = body["events"][0]["payload"]["message"]
    message["content"] = {"type": "text", "text": text}
    message["author"]["type"] = author
    (event,) = webhooks.parse(json.dumps(body).encode(), HEADERS, SECRET).events or []
    return event, body["events"][0]["payload"]["conversation"]["id"]


@pytest.mark.parametrize("text", ["agent", " Agent ", "AGENT\n"])
def test_the_bot_passes_control_on_agent(text: str) -> None:
    app = FakeApp()
    event, cid = message_event(text)
    line = bot_module().Bot(app, "agent-desk").handle(event)
    assert line == f"bot: {cid} passed control"
    assert app.log == [
        ("post", cid, {"type": "business"}, {"type": "text", "text": "Passing you to an agent."}),
        ("pass_control", cid, {"switchboard_integration": "agent-desk"}),
    ]


def test_the_bot_echoes_with_two_quick_replies() -> None:
    app = FakeApp()
    event, cid = message_event("hello")
    assert bot_module().Bot(app, "agent").handle(event) == f"bot: {cid} replied"
    ((_, _, author, content),) = app.log
    assert author == {"type": "business"}
    assert content == {
        "type": "text",
        "text": "You said: hello",
        "actions": [
            {"type": "reply", "text": "Talk to an agent", "payload": "agent"},
            {"type": "reply", "text": "Thanks", "payload": "thanks"},
        ],
    }


def test_the_bot_ignores_business_messages_and_other_events() -> None:
    app = FakeApp()
    bot = bot_module().Bot(app, "agent")
    event, _ = message_event("hello", author="business")
    assert bot.handle(event) is None
    for kind, body in SPEC_EXAMPLES.items():
        if kind == "conversation:message":
            continue
        for event in webhooks.parse(json.dumps(body).encode(), HEADERS, SECRET).events or []:
            assert bot.handle(event) is None
    assert app.log == []
