"""Input meant to break the binding: values that contain themselves or nest without end, lone
surrogates, numbers out of every range, and bad values of every kind. Each gives a typed error
(TypeError, or a ValueError subclass) that names the argument as written in Python, and
nothing is sent."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

import sunco

from emulator_control import APP_ID, KEY_ID, KEY_SECRET, Emulator

ID = "5f1c6e4b3a2d1c0b9a8f7e6d"
DEEP_RULE = "must nest fewer than 128 levels of arrays and objects (or contains itself)"
SURROGATE_RULE = "must be valid Unicode (no lone surrogates)"


def circular_dict() -> dict[str, Any]:
    d: dict[str, Any] = {}
    d["x"] = d
    return d


def circular_list() -> list[Any]:
    items: list[Any] = []
    items.append(items)
    return items


def nested(levels: int, leaf: Any = 1) -> Any:
    value = leaf
    for _ in range(levels):
        value = [value]
    return value


def nested_dicts(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = {"k": value}
    return value


# (name, call, the argument the error must name). These used to kill the interpreter
# (SIGSEGV, exit 139): the conversion to JSON recursed without a limit.
CIRCULAR: list[tuple[str, Callable[[Any], Any], str]] = [
    ("update metadata", lambda c: c.update("x", metadata=circular_dict()), "metadata"),
    ("create metadata", lambda c: c.create(type="sdkGroup", metadata=circular_dict()), "metadata"),
    (
        "list containing itself",
        lambda c: c.create(type="sdkGroup", metadata={"a": circular_list()}),
        "metadata.a",
    ),
    ("apple", lambda c: c.download_message_ref("x", user_id="u", apple=circular_dict()), "apple"),
    (
        "apple ref",
        lambda c: c.download_message_ref(
            "x", user_id="u", apple={"interactiveDataRef": circular_dict()}
        ),
        "apple.interactiveDataRef",
    ),
    (
        "participant dict",
        lambda c: c.create(type="sdkGroup", participants=[circular_dict()]),
        "participants[0]",
    ),
    (
        "participants list",
        lambda c: c.create(type="sdkGroup", participants=circular_list()),
        "participants[0]",
    ),
    ("extra", lambda c: c.update("x", extra=circular_dict()), "extra.x"),
    ("extra list", lambda c: c.create(type="sdkGroup", extra={"a": circular_list()}), "extra.a"),
    (
        "download extra",
        lambda c: c.download_message_ref("x", user_id="u", extra={"a": circular_dict()}),
        "extra.a",
    ),
]


@pytest.mark.parametrize(("name", "call", "argument"), CIRCULAR, ids=[c[0] for c in CIRCULAR])
def test_circular_input_is_refused_by_name(
    emu: Emulator, convs: sunco.Conversations, name: str, call: Callable[[Any], Any], argument: str
) -> None:
    with pytest.raises((TypeError, ValueError)) as info:
        call(convs)
    assert argument in str(info.value)
    if isinstance(info.value, sunco.ValidationError) and "contains itself" in info.value.rule:
        assert info.value.rule == "contains itself (circular reference detected)"
        assert info.value.field.startswith(argument)
    assert emu.requests() == []


@pytest.mark.parametrize(
    ("name", "call", "field"),
    [
        (
            "metadata 3000 lists",
            lambda c: c.update("x", metadata={"a": nested(3000)}),
            "metadata.a",
        ),
        ("metadata 3000 dicts", lambda c: c.update("x", metadata=nested_dicts(3000)), "metadata.k"),
        ("extra 100000 lists", lambda c: c.update("x", extra={"a": nested(100_000)}), "extra.a"),
        (
            "create extra 3000",
            lambda c: c.create(type="sdkGroup", extra={"a": nested_dicts(3000)}),
            "extra.a",
        ),
        (
            "download extra 3000",
            lambda c: c.download_message_ref("x", user_id="u", extra={"a": nested(3000)}),
            "extra.a",
        ),
    ],
)
def test_deep_input_is_a_validation_error(
    emu: Emulator, convs: sunco.Conversations, name: str, call: Callable[[Any], Any], field: str
) -> None:
    with pytest.raises(sunco.ValidationError) as info:
        call(convs)
    e = info.value
    assert e.rule == DEEP_RULE
    assert e.field.startswith(field) and e.field.endswith("…")
    assert len(e.field) < 100, "a deep path is shown by its first segments"
    assert e.argument == e.field and isinstance(e, ValueError)
    assert emu.requests() == []


def test_depth_limit_is_the_cores(emu: Emulator, convs: sunco.Conversations) -> None:
    # The body, `extra` and 126 lists make 128 levels: sent. One more level is refused.
    assert sunco._native.MAX_DEPTH == 128
    with pytest.raises(sunco.NotFoundError):
        convs.update(ID, extra={"a": nested(126)})
    [req] = emu.requests()
    assert req["body"] == '{"a":' + "[" * 126 + "1" + "]" * 126 + "}"
    emu.clear_requests()
    with pytest.raises(sunco.ValidationError, match="128 levels"):
        convs.update(ID, extra={"a": nested(127)})
    assert emu.requests() == []


def test_results_built_from_circular_or_deep_dicts_are_refused() -> None:
    with pytest.raises(ValueError, match="contains itself"):
        sunco.Conversation(circular_dict())
    with pytest.raises(ValueError, match="contains itself"):
        sunco.ConversationPage({"conversations": circular_list()})
    with pytest.raises(ValueError, match="deeper than 128"):
        sunco.Conversation({"id": "a", "type": "personal", "x": nested_dicts(3000)})


CRASHERS = """
import sys, sunco
c = sunco.Client(base_url=sys.argv[1], key_id="demo-key", key_secret="demo-secret", max_retries=0)
convs = c.conversations("demo-app")
d = {}
d["x"] = d
items = []
items.append(items)
deep = 1
for _ in range(100_000):
    deep = [deep]
calls = [
    lambda: convs.update("x", metadata=d),
    lambda: convs.create(type="sdkGroup", metadata=d),
    lambda: convs.create(type="sdkGroup", metadata={"a": items}),
    lambda: convs.download_message_ref("x", user_id="u", apple=d),
    lambda: convs.create(type="sdkGroup", participants=[d]),
    lambda: convs.update("x", metadata={"a": deep}),
    lambda: convs.update("x", extra={"a": deep}),
    lambda: convs.download_message_ref("x", user_id="u", extra={"a": d}),
]
for call in calls:
    try:
        call()
    except (TypeError, ValueError) as e:
        print(type(e).__name__)
print("survived")
"""


def test_circular_and_deep_input_in_a_subprocess(emu: Emulator) -> None:
    # A crash here kills the child, not pytest: the exit status tells.
    out = subprocess.run(
        [sys.executable, "-c", CRASHERS, emu.url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, (out.returncode, out.stderr[-2000:])
    lines = out.stdout.split()
    assert lines[-1] == "survived"
    assert len(lines) == 9
    assert emu.requests() == []


# ------------------------------------------------------------------ lone surrogates

S = "a\ud800b"

# (name, call, the Python argument named, the API field)
SURROGATES: list[tuple[str, Callable[[Any], Any], str, str]] = [
    ("get id", lambda c: c.get(S), "conversation_id", "conversationId"),
    ("delete id", lambda c: c.delete(S), "conversation_id", "conversationId"),
    ("update id", lambda c: c.update(S, display_name="x"), "conversation_id", "conversationId"),
    (
        "download id",
        lambda c: c.download_message_ref(S, user_id="u"),
        "conversation_id",
        "conversationId",
    ),
    ("download user", lambda c: c.download_message_ref(ID, user_id=S), "user_id", "userId"),
    (
        "apple field",
        lambda c: c.download_message_ref(
            ID, user_id="u", apple={"interactive_data_ref": {"url": S}}
        ),
        "apple.interactiveDataRef.url",
        "apple.interactiveDataRef.url",
    ),
    ("create type", lambda c: c.create(type=S), "type", "type"),
    (
        "create display_name",
        lambda c: c.create(type="sdkGroup", display_name=S),
        "display_name",
        "displayName",
    ),
    (
        "create description",
        lambda c: c.create(type="sdkGroup", description=S),
        "description",
        "description",
    ),
    ("update icon_url", lambda c: c.update(ID, icon_url=S), "icon_url", "iconUrl"),
    ("metadata value", lambda c: c.update(ID, metadata={"key": S}), "metadata.key", "metadata.key"),
    (
        "participant",
        lambda c: c.create(type="sdkGroup", participants=[{"user_external_id": S}]),
        "participants[0].user_external_id",
        "participants[0].userExternalId",
    ),
    (
        "Participant",
        lambda c: c.create(type="sdkGroup", participants=[sunco.Participant(user_id=S)]),
        "participants[0].user_id",
        "participants[0].userId",
    ),
    ("list user_id", lambda c: c.list(user_id=S), "user_id", "filter.userId"),
    (
        "list user_external_id",
        lambda c: c.list(user_external_id=S),
        "user_external_id",
        "filter.userExternalId",
    ),
    ("list after", lambda c: c.list(user_id="a", after=S * 8), "after", "page.after"),
    ("list before", lambda c: c.list(user_id="a", before=S * 8), "before", "page.before"),
    ("iter user_id", lambda c: c.iter(user_id=S), "user_id", "filter.userId"),
    (
        "iter_pages",
        lambda c: c.iter_pages(user_external_id=S),
        "user_external_id",
        "filter.userExternalId",
    ),
    (
        "extra value",
        lambda c: c.update(ID, extra={"newField": S}),
        "extra.newField",
        "extra.newField",
    ),
]


@pytest.mark.parametrize(
    ("name", "call", "argument", "field"), SURROGATES, ids=[s[0] for s in SURROGATES]
)
def test_lone_surrogates_are_a_validation_error_naming_the_argument(
    emu: Emulator,
    convs: sunco.Conversations,
    name: str,
    call: Callable[[Any], Any],
    argument: str,
    field: str,
) -> None:
    # These used to raise a bare UnicodeEncodeError naming nothing.
    with pytest.raises(sunco.ValidationError) as info:
        call(convs)
    assert (info.value.argument, info.value.field, info.value.rule) == (
        argument,
        field,
        SURROGATE_RULE,
    )
    assert f"`{argument}`" in str(info.value)
    assert emu.requests() == []


def test_lone_surrogates_in_keys_app_ids_and_async_calls(
    emu: Emulator, client: sunco.Client, aconvs: sunco.AsyncConversations
) -> None:
    with pytest.raises(sunco.ValidationError) as info:
        client.conversations(APP_ID).update(ID, metadata={S: "v"})
    assert info.value.field == "metadata"
    assert info.value.rule == f"keys {SURROGATE_RULE}: {S!r}"
    with pytest.raises(sunco.ValidationError) as info:
        client.conversations(APP_ID).update(ID, extra={S: 1})
    assert info.value.field == "extra"
    with pytest.raises(sunco.ValidationError) as info:
        client.conversations(S)
    assert (info.value.argument, info.value.field) == ("app_id", "appId")

    async def run() -> None:
        with pytest.raises(sunco.ValidationError) as info:
            await aconvs.get(S)
        assert info.value.argument == "conversation_id"
        with pytest.raises(sunco.ValidationError) as info:
            await aconvs.create(type="sdkGroup", metadata={"k": S})
        assert info.value.argument == "metadata.k"

    asyncio.run(run())
    assert emu.requests() == []


@pytest.mark.parametrize(
    "name", ["base_url", "region", "subdomain", "key_id", "key_secret", "token", "auth", "proxy"]
)
def test_lone_surrogates_in_settings_are_a_config_error(name: str) -> None:
    # Settings are refused like every other bad setting: ConfigError (also a ValueError).
    args: dict[str, Any] = {"base_url": "http://127.0.0.1:9", "key_id": "k", "key_secret": "s"}
    if name in ("region", "subdomain"):
        del args["base_url"]
    if name == "token":
        del args["key_id"], args["key_secret"]
    args[name] = S
    with pytest.raises(sunco.ConfigError, match=f"{name} must be valid Unicode") as info:
        sunco.Client(**args)
    if name in ("key_secret", "token", "proxy"):
        assert S not in str(info.value), "a secret is never echoed"


# ------------------------------------------------------------------ numbers out of range


@pytest.mark.parametrize("value", [2**70, 2**32, -1, -(2**70)])
def test_max_retries_out_of_range_is_a_config_error(value: int) -> None:
    # 2**70 used to raise OverflowError ("Python int too large to convert to C long").
    with pytest.raises(sunco.ConfigError, match="max_retries must be between 0 and 4294967295"):
        sunco.Client(key_id="k", key_secret="s", max_retries=value)
    with pytest.raises(sunco.ConfigError, match="max_retries"):
        sunco.AsyncClient.from_env(key_id="k", key_secret="s", max_retries=value)


@pytest.mark.parametrize("name", ["timeout", "connect_timeout"])
@pytest.mark.parametrize("value", [2**2000, 1e300, float("inf"), float("nan"), 0, -1, 1e9 + 1])
def test_timeouts_out_of_range_are_a_config_error(name: str, value: float) -> None:
    # 2**2000 used to raise OverflowError ("int too large to convert to float").
    kwargs: dict[str, Any] = {name: value}
    with pytest.raises(sunco.ConfigError, match=f"{name} must be a number of seconds") as info:
        sunco.Client(key_id="k", key_secret="s", **kwargs)
    assert len(str(info.value)) < 200, "huge numbers are not echoed in full"


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"max_retries": 1.5}, "max_retries"),
        ({"max_retries": "3"}, "max_retries"),
        ({"max_retries": None}, "max_retries"),
        ({"max_retries": True}, "max_retries"),
        ({"timeout": "5"}, "timeout"),
        ({"connect_timeout": None}, "connect_timeout"),
        ({"timeout": 1j}, "timeout"),
        ({"proxy": 8080}, "proxy"),
    ],
)
def test_wrong_types_of_settings_name_the_argument(kwargs: dict[str, Any], name: str) -> None:
    with pytest.raises(TypeError, match=f"^{name} must be"):
        sunco.Client(key_id="k", key_secret="s", **kwargs)


def test_extreme_but_valid_settings_work(emu: Emulator) -> None:
    with sunco.Client(
        base_url=emu.url,
        key_id=KEY_ID,
        key_secret=KEY_SECRET,
        timeout=1e9,
        connect_timeout=10**9,
        max_retries=2**32 - 1,
    ) as c:
        assert len(c.conversations(APP_ID).list(user_external_id="alice")) == 0


# ------------------------------------------------------------------ messages speak Python

# Words of Rust (and of the core's Rust API) that a Python caller must never read.
RUST_WORDS = re.compile(
    r"\b[ui](8|16|32|64|128|size)\b|\bstruct\b|\benum\b|invalid type:|invalid value:|"
    r"expected a string|integer `|auth\(\)|\bOption\b|\bVec\b|&str|\bString\b|serde|"
    r"\bMap<|\bf64\b|untagged"
)

# (name, call, expected exception, the argument the message must name)
MESSAGES: list[tuple[str, Callable[[Any], Any], type[Exception], str]] = [
    ("size=-1", lambda c: c.list(user_external_id="a", size=-1), sunco.ValidationError, "size"),
    (
        "size=2**40",
        lambda c: c.list(user_external_id="a", size=2**40),
        sunco.ValidationError,
        "size",
    ),
    (
        "size=2**70",
        lambda c: c.list(user_external_id="a", size=2**70),
        sunco.ValidationError,
        "size",
    ),
    ("size=0", lambda c: c.list(user_external_id="a", size=0), sunco.ValidationError, "size"),
    ("iter size", lambda c: next(c.iter(user_id="a", size=-5)), sunco.ValidationError, "size"),
    (
        "iter_pages size",
        lambda c: next(c.iter_pages(user_id="a", size=101)),
        sunco.ValidationError,
        "size",
    ),
    ("size str", lambda c: c.list(user_external_id="a", size="1"), TypeError, "size"),
    ("no filter", lambda c: c.list(), sunco.ValidationError, "user_id"),
    (
        "both filters",
        lambda c: c.list(user_id="a", user_external_id="b"),
        sunco.ValidationError,
        "user_external_id",
    ),
    ("short cursor", lambda c: c.list(user_id="a", before="x"), sunco.ValidationError, "before"),
    (
        "two cursors",
        lambda c: c.list(user_id="a", after="x" * 24, before="y" * 24),
        sunco.ValidationError,
        "after",
    ),
    ("long user id", lambda c: c.list(user_id="u" * 2000), sunco.ValidationError, "user_id"),
    (
        "apple ref str",
        lambda c: c.download_message_ref(ID, user_id="u", apple={"interactiveDataRef": "x"}),
        TypeError,
        "apple.interactiveDataRef",
    ),
    (
        "apple ref int field",
        lambda c: c.download_message_ref(
            ID, user_id="u", apple={"interactive_data_ref": {"url": 1}}
        ),
        TypeError,
        "apple.interactive_data_ref.url",
    ),
    (
        "apple missing field",
        lambda c: c.download_message_ref(
            ID, user_id="u", apple={"interactive_data_ref": {"url": "https://x"}}
        ),
        sunco.ValidationError,
        "apple.interactiveDataRef.bid",
    ),
    (
        "apple unknown",
        lambda c: c.download_message_ref(ID, user_id="u", apple={"x": {}}),
        sunco.ValidationError,
        "apple.x",
    ),
    (
        "apple ref unknown",
        lambda c: c.download_message_ref(
            ID, user_id="u", apple={"interactiveDataRef": {"url": "u", "extra": "e"}}
        ),
        sunco.ValidationError,
        "apple.interactiveDataRef.extra",
    ),
    (
        "apple list",
        lambda c: c.download_message_ref(ID, user_id="u", apple=[1]),
        TypeError,
        "apple",
    ),
    (
        "download user ''",
        lambda c: c.download_message_ref(ID, user_id=""),
        sunco.ValidationError,
        "user_id",
    ),
    ("download user int", lambda c: c.download_message_ref(ID, user_id=1), TypeError, "user_id"),
    ("get ''", lambda c: c.get(""), sunco.ValidationError, "conversation_id"),
    ("get '..'", lambda c: c.get(".."), sunco.ValidationError, "conversation_id"),
    ("get long", lambda c: c.get("x" * 1025), sunco.ValidationError, "conversation_id"),
    ("delete int", lambda c: c.delete(5), TypeError, "conversation_id"),
    (
        "update ''",
        lambda c: c.update("", display_name="x"),
        sunco.ValidationError,
        "conversation_id",
    ),
    (
        "update display_name ''",
        lambda c: c.update(ID, display_name=""),
        sunco.ValidationError,
        "display_name",
    ),
    ("update icon_url", lambda c: c.update(ID, icon_url="nope"), sunco.ValidationError, "icon_url"),
    (
        "update description",
        lambda c: c.update(ID, description="d" * 101),
        sunco.ValidationError,
        "description",
    ),
    ("create type", lambda c: c.create(type="group"), sunco.ValidationError, "type"),
    ("create personal", lambda c: c.create(type="personal"), sunco.ValidationError, "participants"),
    (
        "participant none",
        lambda c: c.create(type="sdkGroup", participants=[{}]),
        sunco.ValidationError,
        "participants[0]",
    ),
    (
        "participant both",
        lambda c: c.create(type="sdkGroup", participants=[{"user_id": "a", "userExternalId": "b"}]),
        sunco.ValidationError,
        "user_external_id",
    ),
    (
        "participant empty id",
        lambda c: c.create(type="sdkGroup", participants=[{"userId": ""}]),
        sunco.ValidationError,
        "participants[0].user_id",
    ),
    (
        "participant unknown",
        lambda c: c.create(type="sdkGroup", participants=[{"user_id": "a", "role": "x"}]),
        sunco.ValidationError,
        "participants[0].role",
    ),
    (
        "participant key int",
        lambda c: c.create(type="sdkGroup", participants=[{1: "a"}]),
        TypeError,
        "participants[0]",
    ),
    (
        "participant subscribe",
        lambda c: c.create(
            type="sdkGroup", participants=[{"user_id": "a", "subscribe_sdk_client": 1}]
        ),
        TypeError,
        "participants[0].subscribe_sdk_client",
    ),
    (
        "metadata nested",
        lambda c: c.update(ID, metadata={"a": {"b": 1}}),
        sunco.ValidationError,
        "metadata.a",
    ),
    (
        "metadata None",
        lambda c: c.update(ID, metadata={"a": None}),
        sunco.ValidationError,
        "metadata.a",
    ),
    (
        "metadata huge int",
        lambda c: c.update(ID, metadata={"a": 2**64}),
        sunco.ValidationError,
        "metadata.a",
    ),
    (
        "metadata nan",
        lambda c: c.update(ID, metadata={"a": float("nan")}),
        sunco.ValidationError,
        "metadata.a",
    ),
    ("metadata key", lambda c: c.update(ID, metadata={1: "a"}), TypeError, "metadata"),
    ("metadata bytes", lambda c: c.update(ID, metadata={"a": b"x"}), TypeError, "metadata.a"),
    (
        "metadata big",
        lambda c: c.update(ID, metadata={"a": "m" * 5000}),
        sunco.ValidationError,
        "metadata",
    ),
    (
        "extra shadow",
        lambda c: c.update(ID, extra={"displayName": "x"}),
        sunco.ValidationError,
        "extra.displayName",
    ),
    (
        "extra snake",
        lambda c: c.update(ID, extra={"display_name": "x"}),
        sunco.ValidationError,
        "extra.display_name",
    ),
    ("extra set", lambda c: c.update(ID, extra={"a": {1}}), TypeError, "extra.a"),
    ("extra list", lambda c: c.update(ID, extra=[1]), TypeError, "extra"),
    ("extra key", lambda c: c.update(ID, extra={1: 1}), TypeError, "extra"),
    (
        "body too big",
        lambda c: c.update(ID, extra={"a": "x" * 200_000}),
        sunco.ValidationError,
        "request body",
    ),
    (
        "app_id ''",
        lambda c: sunco.Client(key_id="k", key_secret="s").conversations("").get("x"),
        sunco.ValidationError,
        "app_id",
    ),
    (
        "credentials in base_url",
        lambda c: sunco.Client(base_url="https://u:p@x.example", key_id="k", key_secret="s"),
        sunco.ConfigError,
        "base_url",
    ),
    (
        "max_retries",
        lambda c: sunco.Client(key_id="k", key_secret="s", max_retries=2**70),
        sunco.ConfigError,
        "max_retries",
    ),
    (
        "timeout",
        lambda c: sunco.Client(key_id="k", key_secret="s", timeout=-1),
        sunco.ConfigError,
        "timeout",
    ),
    (
        "proxy scheme",
        lambda c: sunco.Client(key_id="k", key_secret="s", proxy="socks5://127.0.0.1:1"),
        sunco.ConfigError,
        "proxy",
    ),
]


@pytest.mark.parametrize(
    ("name", "call", "exc", "argument"), MESSAGES, ids=[m[0] for m in MESSAGES]
)
def test_messages_name_the_python_argument_and_speak_python(
    emu: Emulator,
    convs: sunco.Conversations,
    name: str,
    call: Callable[[Any], Any],
    exc: type[Exception],
    argument: str,
) -> None:
    with pytest.raises(exc) as info:
        call(convs)
    message = str(info.value)
    assert argument in message, message
    assert not RUST_WORDS.search(message), message
    if isinstance(info.value, sunco.ValidationError):
        assert not RUST_WORDS.search(info.value.rule)
    assert emu.requests() == []


def test_validation_error_attributes(convs: sunco.Conversations) -> None:
    with pytest.raises(sunco.ValidationError) as info:
        convs.list(user_external_id="alice", size=0)
    e = info.value
    assert (e.argument, e.field, e.rule) == (
        "size",
        "page.size",
        "must be between 1 and 100 (got 0)",
    )
    assert str(e) == "invalid `size` (API field `page.size`): must be between 1 and 100 (got 0)"
    with pytest.raises(sunco.ValidationError) as info:
        convs.update(ID, metadata={"plan": [1]})  # type: ignore[dict-item]
    assert str(info.value).startswith("invalid `metadata.plan`: ")


def test_a_field_given_in_both_spellings_is_refused(
    emu: Emulator, convs: sunco.Conversations
) -> None:
    # Both used to be accepted, silently keeping whichever came last.
    with pytest.raises(sunco.ValidationError) as info:
        convs.create(type="sdkGroup", participants=[{"user_id": "a", "userId": "b"}])
    assert (info.value.field, info.value.argument) == (
        "participants[0].userId",
        "participants[0].userId",
    )
    assert info.value.rule == "is given twice (as user_id and as userId)"
    ref = dict.fromkeys(("url", "bid", "key", "signature", "owner"), "x")
    with pytest.raises(sunco.ValidationError) as info:
        convs.download_message_ref(
            ID, user_id="u", apple={"interactiveDataRef": ref, "interactive_data_ref": ref}
        )
    assert info.value.field == "apple.interactiveDataRef"
    assert emu.requests() == []
