"""Property-based tests (Hypothesis): hostile input at every method's boundary.

For any input, a call either raises a clear typed error (TypeError, ValueError or a
sunco.SuncoError that is not an API error) and sends nothing, or sends exactly the request the
input stands for: ids percent-encoded as one path segment, the query and the body as given.
Where the rules are simple enough, an oracle says which of the two must happen. Never a crash
(pyo3's PanicException is a BaseException: it fails these tests), a hang (the client's timeout
bounds every call) or a changed path.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sunco

from emulator_control import APP_ID, Emulator, body_json

# SUNCO_HYPOTHESIS_EXAMPLES=5000 explores further than the default run of `make test-py`.
EXAMPLES = int(os.environ.get("SUNCO_HYPOTHESIS_EXAMPLES", "150"))
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CONVERSATIONS = f"/v2/apps/{APP_ID}/conversations"

# Every code point, lone surrogates included.
ANY_CHAR = st.characters(exclude_categories=())
HOSTILE_PARTS = ["/", "..", ".", "%", "%25", "%2F", "%2e%2e", "?", "#", "&", "=", " ", "+",
                 "\x00", "\n", "\ud800", "\udfff", "é", "日本", "\U0001f600", "[", "]"]  # fmt: skip
IDS = st.one_of(
    st.text(ANY_CHAR, max_size=30),
    st.sampled_from(["", ".", "..", "...", "a" * 1024, "a" * 1025, "é" * 512, "é" * 513]),
    st.lists(st.sampled_from(HOSTILE_PARTS), max_size=12).map("".join),
    st.builds(lambda c, n: c * n, ANY_CHAR, st.integers(min_value=250, max_value=1100)),
)
CURSORS = st.one_of(
    st.none(),
    st.text(ANY_CHAR, min_size=24, max_size=24),
    st.lists(st.sampled_from(HOSTILE_PARTS), min_size=24, max_size=24).map("".join),
    st.text(ANY_CHAR, max_size=30),
)
SIZES: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.integers(min_value=-3, max_value=103),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([2**31, 2**32 - 1, 2**32, 2**63, 2**64, True, 1.0, "10", float("nan")]),
)
SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**65), max_value=2**65),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(ANY_CHAR, max_size=12),
)
ODDITIES: st.SearchStrategy[Any] = st.one_of(
    st.binary(max_size=4),
    st.builds(object),
    st.sets(st.integers(), max_size=2),
    st.complex_numbers(),
)
KEYS: st.SearchStrategy[Any] = st.one_of(
    st.text(ANY_CHAR, max_size=8), st.integers(), st.none(), st.sampled_from(["a", "b", "c"])
)
VALUES: st.SearchStrategy[Any] = st.recursive(
    st.one_of(SCALARS, ODDITIES),
    lambda kids: st.one_of(
        st.lists(kids, max_size=3),
        st.tuples(kids, kids),
        st.dictionaries(KEYS, kids, max_size=3),
    ),
    max_leaves=8,
)


def nested(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


def with_cycle(d: dict[Any, Any], key: Any, through_list: bool) -> dict[Any, Any]:
    d[key] = [d] if through_list else d
    return d


MAPPINGS: st.SearchStrategy[Any] = st.one_of(
    st.dictionaries(KEYS, VALUES, max_size=5),
    st.dictionaries(st.text(ANY_CHAR, max_size=8), SCALARS, max_size=6),
    st.builds(with_cycle, st.dictionaries(KEYS, SCALARS, max_size=3), KEYS, st.booleans()),
    st.integers(min_value=120, max_value=3000).map(lambda n: {"a": nested(n)}),
    VALUES,
)


def jsonable(value: Any) -> Any:
    """What a value reads as once sent as JSON (tuples become lists)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def attempt(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except BaseException as e:  # PanicException and friends too: they must fail the test
        return e


def refused(outcome: Any) -> bool:
    """True for a clear refusal before sending; fails the test for anything unclear."""
    if not isinstance(outcome, BaseException):
        return False
    if isinstance(outcome, sunco.ApiError):
        return False  # the request went out; the server refused it
    assert isinstance(outcome, (TypeError, ValueError, sunco.SuncoError)), repr(outcome)
    assert not isinstance(outcome, (sunco.TimeoutError, sunco.TransportError)), repr(outcome)
    assert str(outcome), "a refusal says why"
    return True


def has_surrogate(s: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in s)


def valid_id(s: str) -> bool:
    return s not in ("", ".", "..") and not has_surrogate(s) and len(s.encode()) <= 1024


def segment(s: str) -> str:
    """The core's encoding: everything but RFC 3986 unreserved characters, as UTF-8."""
    return quote(s, safe="")


def is_flat_json_scalar(v: Any) -> bool:
    if isinstance(v, bool):
        return True
    if isinstance(v, int):
        return -(2**63) <= v < 2**64
    if isinstance(v, float):
        return math.isfinite(v)
    return isinstance(v, str) and not has_surrogate(v)


def valid_metadata(m: Any) -> bool:
    return isinstance(m, dict) and all(
        isinstance(k, str) and not has_surrogate(k) and is_flat_json_scalar(v) for k, v in m.items()
    )


@PROPERTY_SETTINGS
@given(
    conversation_id=IDS,
    method=st.sampled_from(["get", "update", "delete", "download_message_ref"]),
)
def test_any_conversation_id_is_refused_or_sent_as_one_segment(
    emu: Emulator, convs: sunco.Conversations, conversation_id: str, method: str
) -> None:
    emu.clear_requests()
    calls: dict[str, tuple[str, str, Callable[[], Any]]] = {
        "get": ("GET", "", lambda: convs.get(conversation_id)),
        "update": ("PATCH", "", lambda: convs.update(conversation_id, display_name="x")),
        "delete": ("DELETE", "", lambda: convs.delete(conversation_id)),
        "download_message_ref": (
            "POST",
            "/download",
            lambda: convs.download_message_ref(conversation_id, user_id="u"),
        ),
    }
    verb, tail, call = calls[method]
    outcome = attempt(call)
    log = emu.requests()
    if refused(outcome):
        assert not valid_id(conversation_id), (conversation_id, outcome)
        assert isinstance(outcome, sunco.ValidationError) and outcome.field == "conversationId"
        assert outcome.argument == "conversation_id"
        assert log == []
        return
    assert valid_id(conversation_id), conversation_id
    assert isinstance(outcome, sunco.NotFoundError), repr(outcome)
    [req] = log
    assert req["method"] == verb
    assert req["path"] == f"{CONVERSATIONS}/{segment(conversation_id)}{tail}"


@PROPERTY_SETTINGS
@given(app_id=IDS)
def test_any_app_id_is_refused_or_sent_as_one_segment(
    emu: Emulator, client: sunco.Client, app_id: str
) -> None:
    emu.clear_requests()
    outcome = attempt(lambda: client.conversations(app_id).get("x"))
    log = emu.requests()
    if refused(outcome):
        assert not valid_id(app_id) and log == []
        assert isinstance(outcome, sunco.ValidationError) and outcome.argument == "app_id"
        return
    assert valid_id(app_id)
    assert isinstance(outcome, sunco.ApiError) and outcome.status in (403, 404), repr(outcome)
    [req] = log
    assert req["path"] == f"/v2/apps/{segment(app_id)}/conversations/x"


@PROPERTY_SETTINGS
@given(metadata=MAPPINGS, op=st.sampled_from(["create", "update"]))
def test_any_metadata_is_refused_or_sent_as_given(
    emu: Emulator, convs: sunco.Conversations, metadata: Any, op: str
) -> None:
    emu.clear_requests()
    if op == "create":
        outcome = attempt(lambda: convs.create(type="sdkGroup", metadata=metadata))
    else:
        outcome = attempt(lambda: convs.update("5f1c6e4b3a2d1c0b9a8f7e6d", metadata=metadata))
    log = emu.requests()
    if refused(outcome):
        assert log == []
        assert metadata is not None and not valid_metadata(metadata), (metadata, outcome)
        if isinstance(outcome, sunco.ValidationError):
            assert outcome.argument.startswith("metadata"), outcome.argument
        else:
            assert str(outcome).startswith("metadata"), str(outcome)
        return
    [req] = log
    if metadata is None:  # create: left out; update: cleared
        assert body_json(req) == ({"type": "sdkGroup"} if op == "create" else {"metadata": None})
        return
    assert valid_metadata(metadata), metadata
    sent = body_json(req)["metadata"]
    assert sent == metadata and list(sent) == list(metadata), "order and values kept"
    if op == "create":
        assert isinstance(outcome, sunco.Conversation)
        # Floats are left out here: the emulator's JSON parser rounds some of them (found by
        # this test; see test_wire_form.py::test_floats_come_back_exactly).
        kept = {k: v for k, v in metadata.items() if not isinstance(v, float)}
        assert {k: v for k, v in outcome.metadata.items() if k in kept} == kept
    else:
        assert isinstance(outcome, sunco.NotFoundError)


def expected_query(params: dict[str, Any]) -> str:
    pairs = [
        ("filter[userId]", params["user_id"]),
        ("filter[userExternalId]", params["user_external_id"]),
        ("page[after]", params["after"]),
        ("page[before]", params["before"]),
        ("page[size]", None if params["size"] is None else str(params["size"])),
    ]
    return "&".join(f"{k}={segment(v)}" for k, v in pairs if v is not None)


def valid_list(p: dict[str, Any]) -> bool:
    users = [u for u in (p["user_id"], p["user_external_id"]) if u is not None]
    if len(users) != 1 or users[0] == "" or has_surrogate(users[0]):
        return False
    if len(users[0].encode()) > 1024:
        return False
    cursors = [c for c in (p["after"], p["before"]) if c is not None]
    if len(cursors) > 1 or any(len(c) != 24 or has_surrogate(c) for c in cursors):
        return False
    size = p["size"]
    return size is None or (type(size) is int and 1 <= size <= 100)


@PROPERTY_SETTINGS
@given(
    user_id=st.one_of(st.none(), IDS, st.just("alice")),
    user_external_id=st.one_of(st.none(), IDS, st.just("alice")),
    after=CURSORS,
    before=CURSORS,
    size=SIZES,
)
def test_any_page_params_are_refused_or_sent_as_the_query(
    emu: Emulator,
    convs: sunco.Conversations,
    user_id: str | None,
    user_external_id: str | None,
    after: str | None,
    before: str | None,
    size: Any,
) -> None:
    emu.clear_requests()
    params = {
        "user_id": user_id,
        "user_external_id": user_external_id,
        "after": after,
        "before": before,
        "size": size,
    }
    outcome = attempt(lambda: convs.list(**params))
    log = emu.requests()
    if refused(outcome):
        assert log == [] and not valid_list(params), (params, outcome)
        return
    assert valid_list(params), params
    assert isinstance(outcome, (sunco.ConversationPage, sunco.NotFoundError)), repr(outcome)
    [req] = log
    assert (req["path"], req["query"]) == (CONVERSATIONS, expected_query(params))


PARTICIPANT_KEYS = st.sampled_from(
    ["user_id", "userId", "user_external_id", "userExternalId", "subscribe_sdk_client",
     "subscribeSDKClient", "role", 1]
)  # fmt: skip
PARTICIPANTS: st.SearchStrategy[Any] = st.one_of(
    st.lists(
        st.one_of(
            st.dictionaries(
                PARTICIPANT_KEYS, st.one_of(st.just("alice"), st.just("bob"), SCALARS), max_size=3
            ),
            st.builds(
                sunco.Participant,
                user_id=st.one_of(st.none(), st.text(ANY_CHAR, max_size=5)),
                user_external_id=st.one_of(st.none(), st.sampled_from(["alice", "carol"])),
                subscribe_sdk_client=st.one_of(st.none(), st.booleans()),
            ),
            VALUES,
        ),
        max_size=12,
    ),
    VALUES,
)
WIRE_NAMES = {
    "user_id": "userId",
    "user_external_id": "userExternalId",
    "subscribe_sdk_client": "subscribeSDKClient",
}


def normalized(p: Any) -> dict[str, Any]:
    if isinstance(p, sunco.Participant):
        return p.to_dict()
    return {WIRE_NAMES.get(k, k): v for k, v in p.items() if v is not None}


@PROPERTY_SETTINGS
@given(participants=PARTICIPANTS)
def test_any_participants_are_refused_or_sent_as_given(
    emu: Emulator, convs: sunco.Conversations, participants: Any
) -> None:
    emu.clear_requests()
    outcome = attempt(lambda: convs.create(type="sdkGroup", participants=participants))
    log = emu.requests()
    if refused(outcome):
        assert log == []
        return
    [req] = log
    # An empty list is left out of the body by the core (the same thing to the API).
    assert body_json(req).get("participants", []) == [normalized(p) for p in participants or []]
    assert isinstance(outcome, (sunco.Conversation, sunco.NotFoundError)), repr(outcome)


APPLE_FIELDS = ("url", "bid", "key", "signature", "owner")
APPLES: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "interactiveDataRef": st.fixed_dictionaries(
                dict.fromkeys(APPLE_FIELDS, st.text(ANY_CHAR, max_size=6))
            )
        }
    ),
    st.dictionaries(
        st.sampled_from(["interactiveDataRef", "interactive_data_ref", "other"]),
        st.dictionaries(
            st.sampled_from([*APPLE_FIELDS, "extra"]), st.one_of(st.text(max_size=3), SCALARS)
        ),
        max_size=2,
    ),
    VALUES,
)


@PROPERTY_SETTINGS
@given(user_id=IDS, apple=APPLES, extra=st.one_of(st.none(), MAPPINGS))
def test_any_download_body_is_refused_or_sent_as_given(
    emu: Emulator, convs: sunco.Conversations, user_id: str, apple: Any, extra: Any
) -> None:
    emu.clear_requests()
    outcome = attempt(
        lambda: convs.download_message_ref(
            "5f1c6e4b3a2d1c0b9a8f7e6d", user_id=user_id, apple=apple, extra=extra
        )
    )
    log = emu.requests()
    if refused(outcome):
        assert log == []
        return
    assert isinstance(outcome, sunco.NotFoundError), repr(outcome)
    [req] = log
    body = body_json(req)
    assert body.pop("userId") == user_id and user_id != ""
    if apple is not None:
        [ref] = apple.values()
        assert body.pop("apple") == {"interactiveDataRef": ref}
        assert sorted(ref) == sorted(APPLE_FIELDS)
    assert body == jsonable(extra or {})
    assert not ({"userId", "apple", "user_id"} & set(extra or {}))


@PROPERTY_SETTINGS
@given(extra=MAPPINGS)
def test_any_extra_is_refused_or_sent_at_the_top_level(
    emu: Emulator, convs: sunco.Conversations, extra: Any
) -> None:
    emu.clear_requests()
    outcome = attempt(
        lambda: convs.update("5f1c6e4b3a2d1c0b9a8f7e6d", description=None, extra=extra)
    )
    log = emu.requests()
    if refused(outcome):
        assert log == []
        return
    assert isinstance(outcome, sunco.NotFoundError), repr(outcome)
    [req] = log
    sent = json.loads(req["body"])
    assert sent == {"description": None, **jsonable(extra or {})}
    assert list(sent) == ["description", *(extra or {})], "extra fields follow, in order"


@settings(PROPERTY_SETTINGS, max_examples=max(1, EXAMPLES * 2 // 5))
@given(conversation_id=IDS, metadata=MAPPINGS)
def test_async_calls_refuse_or_send_the_same(
    emu: Emulator, aconvs: sunco.AsyncConversations, conversation_id: str, metadata: Any
) -> None:
    emu.clear_requests()

    async def run() -> Any:
        return await aconvs.update(conversation_id, metadata=metadata)

    outcome = attempt(lambda: asyncio.run(run()))
    log = emu.requests()
    if refused(outcome):
        assert log == []
        assert not (valid_id(conversation_id) and (metadata is None or valid_metadata(metadata))), (
            outcome
        )
        return
    assert valid_id(conversation_id) and (metadata is None or valid_metadata(metadata))
    assert isinstance(outcome, sunco.NotFoundError), repr(outcome)
    [req] = log
    assert req["path"] == f"{CONVERSATIONS}/{segment(conversation_id)}"
    assert body_json(req) == {"metadata": metadata}
