"""Every shared vector in tests/vectors/, through the public sync and asyncio APIs."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

import sunco

from emulator_control import APP_ID, KEY_ID, KEY_SECRET, Emulator, body_json, query_pairs

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"

# Wire body keys and the keyword arguments that carry them.
CREATE_KW = {
    "type": "type",
    "participants": "participants",
    "displayName": "display_name",
    "description": "description",
    "iconUrl": "icon_url",
    "metadata": "metadata",
    "extra": "extra",
}
UPDATE_KW = {k: v for k, v in CREATE_KW.items() if k not in ("type", "participants")}
DOWNLOAD_KW = {"userId": "user_id", "apple": "apple", "extra": "extra"}
LIST_KW = {
    ("filter", "userId"): "user_id",
    ("filter", "userExternalId"): "user_external_id",
    ("page", "after"): "after",
    ("page", "before"): "before",
    ("page", "size"): "size",
}
# Required keyword arguments: a vector that leaves the field out is refused by Python itself.
REQUIRED = {"create": {"type": "type"}, "download_message_ref": {"userId": "user_id"}}


def load_cases() -> list[Any]:
    cases = []
    for file in sorted(VECTORS.glob("*.json")):
        for case in json.loads(file.read_text())["cases"]:
            cases.append(pytest.param(case, id=f"{file.stem}: {case['name']}"))
    assert len(cases) >= 50, f"vectors missing in {VECTORS}"
    return cases


def kwargs(body: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    # A body key no keyword carries (a typo such as `displayname`) is passed as that keyword:
    # Python refuses it with a TypeError, which `check_result` accepts for such vectors.
    return {names.get(k, k): v for k, v in body.items()}


def python_refuses(case: dict[str, Any]) -> str | None:
    """The keyword Python's own signature check names, for a vector whose body has a field no
    keyword carries or lacks a required one (the other bindings report those as validation
    errors; in Python they cannot even be written as a call)."""
    names = {"create": CREATE_KW, "update": UPDATE_KW, "download_message_ref": DOWNLOAD_KW}
    body = case.get("body") or {}
    for key in body:
        if case["op"] in names and key not in names[case["op"]]:
            return str(key)
    for key, kw in REQUIRED.get(case["op"], {}).items():
        if key not in body:
            return kw
    return None


def list_kwargs(params: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for group, fields in params.items():
        for key, value in fields.items():
            out[LIST_KW[(group, key)]] = value
    return out


def call_sync(convs: sunco.Conversations, case: dict[str, Any]) -> Any:
    op, cid, body = case["op"], case.get("conversationId", ""), case.get("body") or {}
    if op == "create":
        return convs.create(**kwargs(body, CREATE_KW)).to_dict()
    if op == "get":
        return convs.get(cid).to_dict()
    if op == "list":
        return convs.list(**list_kwargs(case.get("params") or {})).to_dict()
    if op == "update":
        return convs.update(cid, **kwargs(body, UPDATE_KW)).to_dict()
    if op == "delete":
        return convs.delete(cid)
    if op == "download_message_ref":
        return convs.download_message_ref(cid, **kwargs(body, DOWNLOAD_KW))
    raise AssertionError(f"unknown op {op}")


async def call_async(convs: sunco.AsyncConversations, case: dict[str, Any]) -> Any:
    op, cid, body = case["op"], case.get("conversationId", ""), case.get("body") or {}
    if op == "create":
        return (await convs.create(**kwargs(body, CREATE_KW))).to_dict()
    if op == "get":
        return (await convs.get(cid)).to_dict()
    if op == "list":
        return (await convs.list(**list_kwargs(case.get("params") or {}))).to_dict()
    if op == "update":
        return (await convs.update(cid, **kwargs(body, UPDATE_KW))).to_dict()
    if op == "delete":
        return await convs.delete(cid)
    if op == "download_message_ref":
        return await convs.download_message_ref(cid, **kwargs(body, DOWNLOAD_KW))
    raise AssertionError(f"unknown op {op}")


def check_request(expected: Any, log: list[dict[str, Any]]) -> None:
    if expected is None:
        assert log == [], "nothing may be sent"
        return
    assert len(log) == 1, f"exactly one request, got {log}"
    got = log[0]
    assert got["method"] == expected["method"]
    assert got["path"] == expected["path"]
    assert query_pairs(got["query"] or "") == expected["query"]
    assert body_json(got) == expected["body"]


def check_result(case: dict[str, Any], outcome: Any) -> None:
    expect = case["expect"]
    kind = expect.get("error")
    refused = python_refuses(case)
    if refused is not None:
        assert kind == "validation", "only refused bodies can be refused by the signature"
        assert isinstance(outcome, TypeError), repr(outcome)
        assert f"'{refused}'" in str(outcome), (refused, str(outcome))
        return
    if kind is None:
        assert not isinstance(outcome, BaseException), f"expected success, got {outcome!r}"
        if isinstance(expect["ok"], dict):
            for key, value in expect["ok"].items():
                assert outcome.get(key) == value, f"result field {key}"
        else:
            assert expect["ok"] is True
        for key in expect.get("absent", []):
            assert key not in outcome, f"{key} must be absent"
    elif kind == "validation":
        assert isinstance(outcome, sunco.ValidationError), repr(outcome)
        assert outcome.field == expect["field"]
    elif kind == "api":
        assert isinstance(outcome, sunco.ApiError), repr(outcome)
        assert outcome.status == expect["status"]
        assert outcome.code == expect["code"]
    else:
        raise AssertionError(f"bad expectation {expect}")


def prepare(emu: Emulator, case: dict[str, Any]) -> dict[str, Any]:
    """Runs the setup, fills in the placeholders and clears the request log."""
    raw = json.dumps(case)
    setup = (case.get("setup") or {}).get("conversation")
    if setup is not None:
        with sunco.Client(base_url=emu.url, key_id=KEY_ID, key_secret=KEY_SECRET) as c:
            conv = c.conversations(APP_ID).create(**kwargs(setup, CREATE_KW))
        raw = raw.replace("${conversationId}", conv.id)
    if "${aliceId}" in raw:
        raw = raw.replace("${aliceId}", emu.user_id("alice"))
    emu.clear_requests()
    prepared: dict[str, Any] = json.loads(raw)
    return prepared


@pytest.mark.parametrize("case", load_cases())
def test_vector_sync(emu: Emulator, client: sunco.Client, case: dict[str, Any]) -> None:
    case = prepare(emu, case)
    outcome: Any
    try:
        outcome = call_sync(client.conversations(case["appId"]), case)
    except (sunco.SuncoError, TypeError) as e:
        outcome = e
    check_request(case["request"], emu.requests())
    check_result(case, outcome)


@pytest.mark.parametrize("case", load_cases())
def test_vector_async(emu: Emulator, aclient: sunco.AsyncClient, case: dict[str, Any]) -> None:
    case = prepare(emu, case)

    async def run() -> Any:
        try:
            return await call_async(aclient.conversations(case["appId"]), case)
        except (sunco.SuncoError, TypeError) as e:
            return e

    outcome = asyncio.run(run())
    check_request(case["request"], emu.requests())
    check_result(case, outcome)
