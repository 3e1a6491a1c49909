"""The generic entry: any operation by its operationId (`Client.call`, `AsyncClient.call`), the
pages and records of any list (`operation_pages`, `iter_operation`), `authorize_url` and
`sunco.operations()`.

Arguments are in the API's spelling and are checked by the core; errors name them the way the
core does (`conversationId`, `page.size`, `body`, `operationId`).
"""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import sys
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

import sunco

from emulator_control import APP_ID, KEY_ID, KEY_SECRET, Emulator, body_json, query_pairs
from test_properties import ANY_CHAR, IDS, PROPERTY_SETTINGS, SCALARS, VALUES, attempt, jsonable

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors" / "operations"
ALICE = {"filter": {"userExternalId": "alice"}}
ALICE_ONLY = [{"userExternalId": "alice"}]
APP = {"appId": APP_ID}


# --- the shared vectors (tests/vectors/operations/), as core/tests/vectors.rs runs them ---


def load_cases() -> list[Any]:
    cases = []
    for file in sorted(VECTORS.glob("*.json")):
        for case in json.loads(file.read_text())["cases"]:
            cases.append(pytest.param(case, id=f"{file.stem}: {case['name']}"))
    assert len(cases) >= 20, f"vectors missing in {VECTORS}"
    return cases


def prepare(emu: Emulator, case: dict[str, Any]) -> dict[str, Any]:
    """Runs the setup, fills in the placeholders and clears the request log."""
    raw = json.dumps(case)
    setup = (case.get("setup") or {}).get("conversation")
    if setup is not None:
        with sunco.Client(base_url=emu.url, key_id=KEY_ID, key_secret=KEY_SECRET) as c:
            made = c.call("CreateConversation", path=APP, body=setup)
        raw = raw.replace("${conversationId}", made["conversation"]["id"])
    if "${aliceId}" in raw:
        raw = raw.replace("${aliceId}", emu.user_id("alice"))
    raw = run_steps(emu, raw)
    emu.clear_requests()
    prepared: dict[str, Any] = json.loads(raw)
    return prepared


def credentials(emu: Emulator, auth: dict[str, Any] | None) -> dict[str, Any]:
    """Client arguments for a case's `auth` (`{"keyId", "keySecret"}` or `{"token"}`), else the
    demo app key; no retries."""
    if auth and "keyId" in auth:
        return {
            "base_url": emu.url,
            "key_id": auth["keyId"],
            "key_secret": auth["keySecret"],
            "max_retries": 0,
        }
    if auth and "token" in auth:
        return {"base_url": emu.url, "token": auth["token"], "max_retries": 0}
    return {"base_url": emu.url, "key_id": KEY_ID, "key_secret": KEY_SECRET, "max_retries": 0}


BOUNDARY = "sunco-vector-boundary"


def upload(emu: Emulator, step: dict[str, Any]) -> Any:
    """Sends an `upload` step: one multipart part, `source`, holding `text` as a file named
    `fileName` of type `contentType`, with the demo key."""
    form = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="source"; '
        f'filename="{step["fileName"]}"\r\nContent-Type: {step["contentType"]}\r\n\r\n'
        f"{step['text']}\r\n--{BOUNDARY}--\r\n"
    )
    req = urllib.request.Request(emu.url + step["path"], data=form.encode(), method="POST")
    req.add_header("content-type", f"multipart/form-data; boundary={BOUNDARY}")
    token = base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode()
    req.add_header("authorization", f"Basic {token}")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read().decode())


def run_steps(emu: Emulator, raw: str) -> str:
    """Runs `setup.steps` in order (an operation through `Client.call`, a request to an emulator
    control, or a multipart upload with the demo key); each step's `save` fills `${name}` in the
    rest of the case with the string at a dotted path of its result."""
    count = len((json.loads(raw).get("setup") or {}).get("steps") or [])
    for i in range(count):
        step = json.loads(raw)["setup"]["steps"][i]
        if "upload" in step:
            result = upload(emu, step["upload"])
        elif "emulator" in step:
            control = step["emulator"]
            result = emu.control(control["method"], control["path"], control.get("body"))
        else:
            with sunco.Client(**credentials(emu, step.get("auth"))) as c:
                result = c.call(step["operationId"], **call_kwargs(step))
        for name, at in (step.get("save") or {}).items():
            value = result
            for key in at.split("."):
                value = value[int(key)] if isinstance(value, list) else value[key]
            assert isinstance(value, str), f"setup step {i}: no string at {at} in {result}"
            raw = raw.replace("${" + name + "}", value)
    return raw


def python_refuses(args: dict[str, Any]) -> str | None:
    """The argument Python refuses by its type (a TypeError, where the other bindings report a
    validation error): a path value that is not a str, a body that is not a dict."""
    for key, value in (args.get("path") or {}).items():
        if not isinstance(value, str):
            return str(key)
    body = args.get("body")
    if body is not None and not isinstance(body, dict):
        return "body"
    return None


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


def check_subset(expected: Any, got: Any, at: str = "") -> None:
    """`expected` is a recursive subset of `got`: objects by key, arrays of the same length
    element by element, everything else exactly."""
    if isinstance(expected, dict) and isinstance(got, dict):
        for key, value in expected.items():
            check_subset(value, got.get(key), f"{at}.{key}")
    elif isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        for i, (want, have) in enumerate(zip(expected, got)):
            check_subset(want, have, f"{at}.{i}")
    else:
        assert got == expected, f"result field {at}"


def check_result(case: dict[str, Any], outcome: Any) -> None:
    expect = case["expect"]
    kind = expect.get("error")
    refused = python_refuses(case.get("args") or {})
    if refused is not None:
        assert kind == "validation" and expect["field"] == refused, "a refused type is named"
        assert isinstance(outcome, TypeError) and str(outcome).startswith(refused), outcome
        return
    if kind is None:
        assert not isinstance(outcome, BaseException), f"expected success, got {outcome!r}"
        assert isinstance(outcome, dict)
        if isinstance(expect["ok"], dict):
            check_subset(expect["ok"], outcome)
        else:
            assert expect["ok"] is True
        for key in expect.get("absent", []):
            assert key not in outcome, f"{key} must be absent"
    elif kind == "validation":
        assert isinstance(outcome, sunco.ValidationError), repr(outcome)
        assert outcome.field == expect["field"]
        assert outcome.argument == expect["field"], "named as the core names it"
    elif kind == "api":
        assert isinstance(outcome, sunco.ApiError), repr(outcome)
        assert (outcome.status, outcome.code) == (expect["status"], expect["code"])
    else:
        raise AssertionError(f"bad expectation {expect}")


def call_kwargs(case: dict[str, Any]) -> dict[str, Any]:
    args = case.get("args") or {}
    return {k: args[k] for k in ("path", "query", "body") if k in args}


@pytest.mark.parametrize("case", load_cases())
def test_operation_vector_sync(emu: Emulator, case: dict[str, Any]) -> None:
    case = prepare(emu, case)
    outcome: Any
    with sunco.Client(**credentials(emu, case.get("auth"))) as client:
        try:
            outcome = client.call(case["operationId"], **call_kwargs(case))
        except (sunco.SuncoError, TypeError) as e:
            outcome = e
    check_request(case["request"], emu.requests())
    check_result(case, outcome)


@pytest.mark.parametrize("case", load_cases())
def test_operation_vector_async(emu: Emulator, case: dict[str, Any]) -> None:
    case = prepare(emu, case)

    async def run() -> Any:
        async with sunco.AsyncClient(**credentials(emu, case.get("auth"))) as aclient:
            try:
                return await aclient.call(case["operationId"], **call_kwargs(case))
            except (sunco.SuncoError, TypeError) as e:
                return e

    outcome = asyncio.run(run())
    check_request(case["request"], emu.requests())
    check_result(case, outcome)


# --- results ---


def make_conversations(client: sunco.Client, n: int) -> list[str]:
    """`n` conversations of alice, ids in creation (and listing) order."""
    ids = []
    for i in range(n):
        body = {"type": "sdkGroup", "displayName": f"c{i}", "participants": ALICE_ONLY}
        ids.append(client.call("CreateConversation", path=APP, body=body)["conversation"]["id"])
    return ids


def test_results_are_the_bodies_as_sent(emu: Emulator, client: sunco.Client) -> None:
    made = client.call(
        "CreateConversation",
        path=APP,
        body={"type": "sdkGroup", "displayName": "Sent", "metadata": {"b": 1, "a": 2.5}},
    )
    conv = made["conversation"]
    assert list(conv)[:2] == ["id", "type"], "the server's key order"
    assert conv["businessLastRead"] is None, "nulls kept"
    assert list(conv["metadata"]) == ["b", "a"] and conv["metadata"]["a"] == 2.5
    got = client.call("GetConversation", path={**APP, "conversationId": conv["id"]})
    assert got == made
    deleted = client.call("DeleteConversation", path={**APP, "conversationId": conv["id"]})
    assert deleted == {}, "an empty body is {}"
    methods = [(r["method"], r["contentType"]) for r in emu.requests()]
    assert methods == [("POST", "application/json"), ("GET", None), ("DELETE", None)]


def test_mappings_of_any_kind_are_accepted(emu: Emulator, client: sunco.Client) -> None:
    from types import MappingProxyType

    made = client.call(
        "CreateConversation",
        path=MappingProxyType(APP),
        body=MappingProxyType({"type": "sdkGroup"}),
    )
    page = client.call("ListConversations", path=APP, query=MappingProxyType(ALICE))
    assert made["conversation"]["type"] == "sdkGroup" and page["conversations"] == []


# --- pages, both ways ---


def test_iter_operation_walks_forward_and_backward(emu: Emulator, client: sunco.Client) -> None:
    ids = make_conversations(client, 23)
    emu.clear_requests()
    forward = client.iter_operation(
        "ListConversations", path=APP, query={**ALICE, "page": {"size": 10}}
    )
    assert [c["id"] for c in forward] == ids
    assert len(emu.requests()) == 3

    emu.clear_requests()
    before = ids[15]
    backward = client.iter_operation(
        "ListConversations", path=APP, query={**ALICE, "page": {"before": before, "size": 5}}
    )
    # The page just before the cursor first; records ascending within each page.
    assert [c["id"] for c in backward] == ids[10:15] + ids[5:10] + ids[0:5]
    sent = [dict(query_pairs(r["query"])) for r in emu.requests()]
    assert [q.get("page[before]") for q in sent] == [ids[15], ids[10], ids[5]]
    assert all(q["page[size]"] == "5" and "page[after]" not in q for q in sent)

    after = client.iter_operation(
        "ListConversations", path=APP, query={**ALICE, "page": {"after": ids[4], "size": 7}}
    )
    assert [c["id"] for c in after] == ids[5:]


def test_operation_pages_are_lazy_and_as_sent(emu: Emulator, client: sunco.Client) -> None:
    ids = make_conversations(client, 5)
    emu.clear_requests()
    pages = client.operation_pages(
        "ListConversations", path=APP, query={**ALICE, "page": {"size": 2}}
    )
    assert emu.requests() == [], "nothing is fetched before the loop asks"
    first = next(pages)
    assert len(emu.requests()) == 1
    assert [c["id"] for c in first["conversations"]] == ids[:2]
    assert first["meta"]["hasMore"] is True and "links" in first
    rest = list(pages)
    assert [len(p["conversations"]) for p in rest] == [2, 1]
    assert rest[-1]["meta"]["hasMore"] is False
    assert next(pages, None) is None

    # Leaving the loop early fetches nothing more.
    emu.clear_requests()
    one_each = {**ALICE, "page": {"size": 1}}
    for record in client.iter_operation("ListConversations", path=APP, query=one_each):
        assert record["id"] == ids[0]
        break
    assert len(emu.requests()) == 1


def test_async_pages_walk_both_ways(emu: Emulator, client: sunco.Client) -> None:
    ids = make_conversations(client, 12)
    a = sunco.AsyncClient(base_url=emu.url, key_id=KEY_ID, key_secret=KEY_SECRET, max_retries=0)

    async def collect(walk: AsyncIterator[dict[str, Any]]) -> list[dict[str, Any]]:
        return [x async for x in walk]

    async def run() -> None:
        q = {**ALICE, "page": {"before": ids[9], "size": 4}}
        records = await collect(a.iter_operation("ListConversations", path=APP, query=q))
        assert [c["id"] for c in records] == ids[5:9] + ids[1:5] + ids[0:1]
        pages = await collect(
            a.operation_pages("ListConversations", path=APP, query={**ALICE, "page": {"size": 5}})
        )
        assert [[c["id"] for c in p["conversations"]] for p in pages] == [
            ids[0:5],
            ids[5:10],
            ids[10:12],
        ]

    asyncio.run(run())
    a.close()


def test_list_messages_walks_backward_from_the_latest_page(
    emu: Emulator, client: sunco.Client
) -> None:
    made = client.call("CreateConversation", path=APP, body={"type": "sdkGroup"})
    conv = {**APP, "conversationId": made["conversation"]["id"]}
    for i in range(230):  # the emulator's pages hold 100 messages, as the service's do
        body = {"author": {"type": "business"}, "content": {"type": "text", "text": f"m{i}"}}
        client.call("PostMessage", path=conv, body=body)
    emu.clear_requests()
    texts = [m["content"]["text"] for m in client.iter_operation("ListMessages", path=conv)]
    # The latest page first, then older ones; ascending within each page.
    expected = [f"m{i}" for i in [*range(130, 230), *range(30, 130), *range(30)]]
    assert texts == expected
    cursors = [dict(query_pairs(r["query"] or "")).get("page[before]") for r in emu.requests()]
    assert len(cursors) == 3 and cursors[0] is None and None not in cursors[1:]

    async def newest_page() -> dict[str, Any]:
        async with sunco.AsyncClient(base_url=emu.url, key_id=KEY_ID, key_secret=KEY_SECRET) as a:
            return await a.operation_pages("ListMessages", path=conv).__anext__()

    page = asyncio.run(newest_page())
    assert [m["content"]["text"] for m in page["messages"]] == expected[:100]


def test_only_paginated_lists_have_pages(client: sunco.Client) -> None:
    with pytest.raises(sunco.ValidationError) as info:
        client.iter_operation("GetConversation", path=APP)
    assert info.value.argument == info.value.field == "operationId"
    assert "paginated" in info.value.rule
    # Arguments are checked when the iterator is made, not at its first page.
    with pytest.raises(sunco.ValidationError) as info:
        client.operation_pages("ListConversations", path=APP, query={**ALICE, "page": {"size": 0}})
    assert info.value.argument == "page.size"


def test_every_paginated_operation_names_its_records() -> None:
    lists = {op.id: op.items for op in sunco.operations() if op.paginated}
    assert lists == {
        "ListApps": "apps",
        "ListConversations": "conversations",
        "ListParticipants": "participants",
        "ListMessages": "messages",
        "ListIntegrations": "integrations",
        "ListClients": "clients",
    }


# --- errors name the arguments as the core does ---


def refused_without_sending(emu: Emulator, call: Callable[[], Any]) -> BaseException:
    emu.clear_requests()
    outcome = attempt(call)
    assert isinstance(outcome, BaseException), f"expected a refusal, got {outcome!r}"
    assert emu.requests() == [], "nothing may be sent"
    return outcome


def test_validation_errors_use_wire_names(emu: Emulator, client: sunco.Client) -> None:
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("GetConversation", {"path": APP}, "conversationId"),
        ("NoSuchOperation", {}, "operationId"),
        ("Authorize", {}, "operationId"),
        ("ListConversations", {"path": APP, "query": {**ALICE, "page": {"size": 0}}}, "page.size"),
        (
            "ListConversations",
            {"path": APP, "query": {**ALICE, "page": {"size": "10"}}},
            "page.size",
        ),
        ("ListConversations", {"path": APP, "query": {"filter": {"email": "x"}}}, "filter.email"),
        ("GetApp", {"path": APP, "body": {"a": 1}}, "body"),
        ("CreateApp", {}, "body"),
        ("GetApp", {"path": {"appId": "\ud800"}}, "appId"),
        ("GetApp", {"path": {"appId": ".."}}, "appId"),
    ]
    for op, kwargs, field in cases:
        e = refused_without_sending(emu, lambda: client.call(op, **kwargs))  # noqa: B023
        assert isinstance(e, sunco.ValidationError), (op, kwargs, e)
        assert e.field == e.argument == field, (op, e.field, e.argument)
        assert f"`{field}`" in str(e) or field == "body", str(e)
    # The core's wording stays in wire spelling (the typed methods say user_id instead).
    e = refused_without_sending(
        emu,
        lambda: client.call(
            "ListConversations", path=APP, query={"filter": {"userId": "a", "userExternalId": "b"}}
        ),
    )
    assert isinstance(e, sunco.ValidationError) and e.argument == "filter"
    assert "userId or userExternalId" in e.rule


def test_values_no_json_can_carry_are_named(emu: Emulator, client: sunco.Client) -> None:
    circular: dict[str, Any] = {"type": "sdkGroup"}
    circular["metadata"] = circular
    e = refused_without_sending(
        emu, lambda: client.call("CreateConversation", path=APP, body=circular)
    )
    assert isinstance(e, sunco.ValidationError) and e.argument == "metadata", e
    e = refused_without_sending(
        emu, lambda: client.call("ListApps", query={"page": {"size": float("nan")}})
    )
    assert isinstance(e, sunco.ValidationError) and e.argument == "page.size", e
    e = refused_without_sending(
        emu, lambda: client.call("CreateConversation", path=APP, body={"type": {1, 2}})
    )
    assert isinstance(e, TypeError) and str(e).startswith("type: set cannot be sent"), e


def test_wrong_python_types_are_type_errors(emu: Emulator, client: sunco.Client) -> None:
    bad: Any
    for kwargs, starts in [
        ({"path": {"appId": 5}}, "appId: must be str, not int"),
        ({"path": {"appId": None}}, "appId: must be str, not NoneType"),
        ({"path": {5: "x"}}, "path: keys must be str, not int"),
        ({"path": ["demo-app"]}, "path must be a dict or None, not list"),
        ({"query": "page=1"}, "query must be a dict or None, not str"),
        ({"query": {("page",): 1}}, "query: keys must be str, not tuple"),
        ({"body": [1]}, "body must be a dict or None, not list"),
        ({"body": "{}"}, "body must be a dict or None, not str"),
    ]:
        bad = kwargs
        e = refused_without_sending(emu, lambda: client.call("GetApp", **bad))  # noqa: B023
        assert type(e) is TypeError and str(e).startswith(starts), (kwargs, e)
    e = refused_without_sending(emu, lambda: client.call(42))  # type: ignore[arg-type]
    assert type(e) is TypeError and str(e) == "operation_id must be str, not int"
    e = refused_without_sending(emu, lambda: client.authorize_url(client_id=1))  # type: ignore[arg-type]
    assert isinstance(e, sunco.ValidationError) and e.argument == "client_id", e


def test_async_errors_match(emu: Emulator, aclient: sunco.AsyncClient) -> None:
    async def run() -> list[BaseException]:
        out: list[BaseException] = []
        bad_path: Any = {"appId": 5}
        bad_body: Any = [1]
        calls: list[Callable[[], Awaitable[Any]]] = [
            lambda: aclient.call("GetConversation", path=APP),
            lambda: aclient.call("GetApp", path=bad_path),
            lambda: aclient.call("GetApp", path=APP, body=bad_body),
        ]
        for call in calls:
            try:
                await call()
            except BaseException as e:
                out.append(e)
        try:
            aclient.iter_operation(
                "ListConversations", path=APP, query={**ALICE, "page": {"size": 0}}
            )
        except BaseException as e:
            out.append(e)
        return out

    errors = asyncio.run(run())
    kinds = [sunco.ValidationError, TypeError, TypeError, sunco.ValidationError]
    assert [type(e) for e in errors] == kinds
    names = ["conversationId", None, None, "page.size"]
    assert [getattr(e, "argument", None) for e in errors] == names
    assert emu.requests() == []


def test_api_errors_come_through(emu: Emulator, client: sunco.Client) -> None:
    with pytest.raises(sunco.NotFoundError) as info:
        client.call("GetUser", path={**APP, "userIdOrExternalId": "nobody"})
    assert info.value.code == "user_not_found" and info.value.request_id


# --- a closed client ---


def test_closed_client_refuses_call_and_iter(emu: Emulator) -> None:
    c = sunco.Client(base_url=emu.url, key_id=KEY_ID, key_secret=KEY_SECRET, max_retries=0)
    make_conversations(c, 3)
    emu.clear_requests()
    walk = c.iter_operation("ListConversations", path=APP, query={**ALICE, "page": {"size": 1}})
    pages = c.operation_pages("ListConversations", path=APP, query={**ALICE, "page": {"size": 1}})
    next(walk)
    c.close()
    for call in (
        lambda: c.call("GetUser", path={**APP, "userIdOrExternalId": "alice"}),
        lambda: c.iter_operation("ListConversations", path=APP, query=ALICE),
        lambda: c.operation_pages("ListConversations", path=APP, query=ALICE),
        lambda: next(walk),
        lambda: next(pages),
        lambda: c.authorize_url(client_id="x", response_type="code"),
    ):
        with pytest.raises(sunco.ClientClosedError):
            call()
    assert len(emu.requests()) == 1, "nothing is fetched after close()"


def test_closed_async_client_refuses_call_and_iter(emu: Emulator) -> None:
    a = sunco.AsyncClient(base_url=emu.url, key_id=KEY_ID, key_secret=KEY_SECRET, max_retries=0)

    async def run() -> None:
        body = {"type": "sdkGroup", "participants": ALICE_ONLY}
        await a.call("CreateConversation", path=APP, body=body)
        walk = a.iter_operation("ListConversations", path=APP, query=ALICE)
        await a.aclose()
        with pytest.raises(sunco.ClientClosedError):
            await a.call("GetUser", path={**APP, "userIdOrExternalId": "alice"})
        with pytest.raises(sunco.ClientClosedError):
            await walk.__anext__()
        with pytest.raises(sunco.ClientClosedError):
            a.iter_operation("ListConversations", path=APP, query=ALICE)

    asyncio.run(run())
    assert [r["method"] for r in emu.requests()] == ["POST"]


# --- authorize_url, operations() ---


def test_authorize_url(client: sunco.Client) -> None:
    url = client.authorize_url(
        client_id="my app", response_type="code", state="a&b=c", redirect_uri="https://x.io/cb?q=1"
    )
    assert url == (
        f"{client.base_url}/oauth/authorize?client_id=my%20app&response_type=code"
        "&state=a%26b%3Dc&redirect_uri=https%3A%2F%2Fx.io%2Fcb%3Fq%3D1"
    )
    with pytest.raises(sunco.ValidationError) as info:
        client.authorize_url(response_type="code")
    assert info.value.argument == "client_id" and "required" in info.value.rule
    with pytest.raises(sunco.ValidationError) as info:
        client.authorize_url(client_id="x", response_type="code", scope="all")
    assert info.value.argument == "scope"


def test_operations_describe_the_api() -> None:
    ops = sunco.operations()
    assert ops is sunco.operations(), "built once"
    assert len(ops) == 68 and len({op.id for op in ops}) == 68
    by_id = {op.id: op for op in ops}
    post = by_id["PostMessage"]
    assert isinstance(post, sunco.Operation)
    assert (post.group, post.method, post.path) == (
        "Messages",
        "POST",
        "/v2/apps/{appId}/conversations/{conversationId}/messages",
    )
    assert post.path_params == ("appId", "conversationId")
    assert post.body == "messagePost" and post.body_required and not post.paginated
    listing = by_id["ListMessages"]
    assert listing.paginated and listing.items == "messages" and listing.direction == "backward"
    assert listing.query == ("page",) and listing.query_keys["page"] == ("after", "before", "size")
    users = by_id["ListUsers"]
    assert "filter" in users.required_query and "brandId" in users.query
    assert "identities.email" in users.query_keys["filter"]
    assert by_id["Authorize"].redirect and by_id["ListApps"].scopes == ("account",)
    assert repr(post).startswith("Operation(id='PostMessage', method='POST'")
    with pytest.raises(AttributeError):
        post.id = "x"
    with pytest.raises(TypeError):
        post.query_keys["page"] = ()  # type: ignore[index]
    # Every operation the core describes can be named to the generic entry.
    for op in ops:
        assert set(op.path_params) <= {p.strip("{}") for p in op.path.split("/")}, op.id


def test_import_does_not_load_the_operation_table() -> None:
    code = (
        "import sys, sunco; before = 'sunco._operations' in sys.modules; "
        "n = len(sunco.operations()); print(before, n, 'sunco._operations' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", code], check=True, capture_output=True, text=True
    )
    assert out.stdout.split() == ["False", "68", "True"]


# --- property: any operation id, path values and query shapes ---

OPERATIONS = {op.id: op for op in sunco.operations()}
OP_IDS = st.one_of(
    st.sampled_from(sorted(OPERATIONS)),
    st.text(ANY_CHAR, max_size=20),
    st.sampled_from(["", "listApps", "ListApps ", "Authorize", "UploadAttachment"]),
)
NAMES = st.one_of(
    st.sampled_from(["appId", "conversationId", "userIdOrExternalId", "integrationId", "keyId"]),
    st.text(ANY_CHAR, max_size=8),
)
PATH_VALUES: st.SearchStrategy[Any] = st.one_of(IDS, st.just(APP_ID), SCALARS)
QUERY_NAMES = st.sampled_from(["page", "filter", "brandId", "access", "for", "client_id", "x"])
QUERY_KEYS = st.sampled_from(["after", "before", "size", "userId", "userExternalId", "email",
                              "identities.email", "serviceAccountId", "z"])  # fmt: skip
QUERY_VALUES: st.SearchStrategy[Any] = st.one_of(
    SCALARS,
    st.dictionaries(
        QUERY_KEYS, st.one_of(SCALARS, st.text(ANY_CHAR, min_size=24, max_size=24)), max_size=3
    ),
    VALUES,
)
BODIES: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.dictionaries(st.text(ANY_CHAR, max_size=6), VALUES, max_size=3),
    VALUES,
)


TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
JSON: st.SearchStrategy[Any] = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**63), 2**64 - 1),
        st.floats(allow_nan=False, allow_infinity=False),
        TEXT,
    ),
    lambda kids: st.one_of(st.lists(kids, max_size=3), st.dictionaries(TEXT, kids, max_size=3)),
    max_leaves=6,
)


@st.composite
def well_formed_calls(draw: st.DrawFn) -> tuple[str, Any, Any, Any]:
    """Calls shaped like the operation's descriptor: its path parameters, some of its query
    parameters and keys, a body where it takes one; the values may still break a rule."""
    op = draw(st.sampled_from(list(OPERATIONS.values())))
    ids = st.one_of(st.just(APP_ID), st.just("alice"), st.text(min_size=1, max_size=24), IDS)
    path = {name: draw(ids) for name in op.path_params}
    query: dict[str, Any] = {}
    for name in draw(st.lists(st.sampled_from(op.query), unique=True)) if op.query else []:
        keys = op.query_keys.get(name)
        if keys is None:
            query[name] = draw(st.one_of(TEXT, st.just("1")))
            continue
        values = st.one_of(TEXT, st.text(min_size=24, max_size=24), st.integers(0, 101))
        chosen = draw(st.lists(st.sampled_from(keys), unique=True, max_size=3))
        query[name] = {key: draw(values) for key in chosen}
    body = draw(st.dictionaries(TEXT, JSON, max_size=4)) if op.body else None
    return op.id, path, query, body


@st.composite
def hostile_calls(draw: st.DrawFn) -> tuple[str, Any, Any, Any]:
    op_id = draw(OP_IDS)
    op = OPERATIONS.get(op_id)
    names = st.one_of(st.sampled_from(op.path_params), NAMES) if op and op.path_params else NAMES
    path = draw(st.one_of(st.none(), st.dictionaries(names, PATH_VALUES, max_size=4), VALUES))
    qnames = st.one_of(st.sampled_from(op.query), QUERY_NAMES) if op and op.query else QUERY_NAMES
    query = draw(st.one_of(st.none(), st.dictionaries(qnames, QUERY_VALUES, max_size=3), VALUES))
    return op_id, path, query, draw(BODIES)


def generic_calls() -> st.SearchStrategy[tuple[str, Any, Any, Any]]:
    return st.one_of(well_formed_calls(), hostile_calls())


def expected_query(query: dict[str, Any]) -> list[list[str]]:
    """The query the core sends for `query`, decoded: deepObject keys as `name[key]`."""
    pairs = []
    for name, value in query.items():
        if isinstance(value, dict):
            for key, v in value.items():
                if v is not None:
                    pairs.append([f"{name}[{key}]", v if isinstance(v, str) else str(v)])
        elif value is not None:
            pairs.append([name, value])
    return pairs


def check_generic_outcome(
    emu: Emulator, op_id: str, path: Any, query: Any, body: Any, outcome: Any
) -> None:
    log = emu.requests()
    if isinstance(outcome, BaseException) and not isinstance(outcome, sunco.ApiError):
        # A clear refusal, before sending.
        assert isinstance(outcome, (TypeError, ValueError, sunco.SuncoError)), repr(outcome)
        assert not isinstance(outcome, (sunco.TimeoutError, sunco.TransportError)), repr(outcome)
        assert str(outcome) and log == [], (outcome, log)
        if isinstance(outcome, sunco.ValidationError):
            assert outcome.argument == outcome.field, "wire names"
        if op_id not in OPERATIONS:
            assert isinstance(outcome, sunco.ValidationError) or type(outcome) is TypeError
        event(f"refused: {type(outcome).__name__}")
        return
    # Sent: exactly the request the arguments stand for.
    op = OPERATIONS[op_id]
    assert not op.redirect
    [req] = log
    expected_path = op.path
    for name in op.path_params:
        assert isinstance(path, dict)
        expected_path = expected_path.replace(f"{{{name}}}", quote(path[name], safe=""))
    assert (req["method"], req["path"]) == (op.method, expected_path)
    assert query_pairs(req["query"] or "") == expected_query(query or {})
    if body is None:
        assert body_json(req) is None
    else:
        assert op.body is not None and body_json(req) == jsonable(body)
    assert isinstance(outcome, (dict, sunco.ApiError)), repr(outcome)
    event(f"sent: {type(outcome).__name__}")


@PROPERTY_SETTINGS
@given(call=generic_calls())
def test_any_generic_call_is_refused_or_sent_as_given(
    emu: Emulator, client: sunco.Client, call: tuple[str, Any, Any, Any]
) -> None:
    op_id, path, query, body = call
    emu.clear_requests()
    outcome = attempt(lambda: client.call(op_id, path=path, query=query, body=body))
    check_generic_outcome(emu, op_id, path, query, body, outcome)


@PROPERTY_SETTINGS
@given(call=generic_calls())
def test_any_async_generic_call_is_refused_or_sent_as_given(
    emu: Emulator, aclient: sunco.AsyncClient, call: tuple[str, Any, Any, Any]
) -> None:
    op_id, path, query, body = call
    emu.clear_requests()

    async def run() -> Any:
        return await aclient.call(op_id, path=path, query=query, body=body)

    outcome = attempt(lambda: asyncio.run(run()))
    check_generic_outcome(emu, op_id, path, query, body, outcome)


@PROPERTY_SETTINGS
@given(call=generic_calls())
def test_any_walk_is_refused_or_fetches_its_pages(
    emu: Emulator, client: sunco.Client, call: tuple[str, Any, Any, Any]
) -> None:
    op_id, path, query, _ = call
    emu.clear_requests()

    def walk() -> Iterator[dict[str, Any]]:
        return client.iter_operation(op_id, path=path, query=query)

    made = attempt(walk)
    if isinstance(made, BaseException):
        assert isinstance(made, (TypeError, sunco.ValidationError)), repr(made)
        assert emu.requests() == []
        return
    assert OPERATIONS[op_id].paginated
    first = attempt(lambda: next(made, None))
    assert isinstance(first, (dict, type(None), sunco.ApiError)), repr(first)
    assert len(emu.requests()) == 1
