"""Every shared vector of tests/vectors/operations/ through the typed method the manifest
(api.json) names for its operation, blocking and asyncio: the generated surface sends the
same request as the generic entry and reads the same result, for all 68 operations.

A case is translated from its wire arguments: path parameters go to the handles and the
method's positional arguments, query parameters and body fields to keyword arguments in
snake_case (a body field no keyword carries, or a `null` outside a PATCH, goes in `extra`).
Cases that only the generic entry can express (a body for an operation without one, a
query parameter the operation does not have, the generic entry's refusal of the redirect
and the multipart upload) are counted and skipped; the count is bounded below.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import keyword
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sunco

from emulator_control import Emulator
from test_operations_generic import (
    check_request,
    check_subset,
    credentials,
    load_cases,
    prepare,
)

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = json.loads((ROOT / "api.json").read_text())
OPS = {o["operationId"]: o for o in MANIFEST["operations"]}
CASES = load_cases()


def ident(wire: str) -> str:
    name = re.sub(r"[^A-Za-z0-9]+", "_", wire)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name).strip("_").lower()
    return name + "_" if keyword.iskeyword(name) else name


class Untyped(Exception):
    """The case cannot be written as a call of the typed method."""


def plan(
    case: dict[str, Any],
) -> tuple[list[tuple[str, list[str]]], str, list[Any], dict[str, Any]]:
    """(handle accessors with their arguments, method name, positional args, keyword args)."""
    op = OPS.get(case["operationId"])
    if op is None:
        raise Untyped("unknown operationId")
    if case["expect"].get("field") == "operationId":
        raise Untyped("the generic entry's refusal of the redirect and the upload")
    args = case.get("args") or {}
    path = dict(args.get("path") or {})
    name = op["names"]["python"]
    chain = re.findall(r"\.(\w+)\(([^)]*)\)", name)
    method = name.rsplit(".", 1)[-1]
    wire_of = {ident(p): p for p in op["pathParams"]}
    steps = []
    used: set[str] = set()
    for acc, params in chain:
        values = []
        for p in filter(None, (x.strip() for x in params.split(","))):
            values.append(path.get(wire_of[p], ""))
            used.add(wire_of[p])
        steps.append((acc, values))
    positional = [path[p] for p in op["pathParams"] if p not in used and p in path]
    if set(path) - set(op["pathParams"]):
        raise Untyped("a path parameter the operation does not have")
    kwargs: dict[str, Any] = {}
    query = args.get("query") or {}
    styles = {q["name"]: q for q in op["query"]}
    order = [q["name"] for q in op["query"] if q["name"] in query]
    if list(query) != order:
        raise Untyped("a query order keyword arguments cannot express")
    for key, value in query.items():
        q = styles.get(key)
        if q is None:
            raise Untyped("a query parameter the operation does not have")
        if q["style"] == "deepObject":
            if not isinstance(value, dict):
                raise Untyped("a deepObject parameter that is not an object")
            keys = {k["name"] for k in q["keys"]}
            for k, v in value.items():
                if k not in keys:
                    raise Untyped("a key the parameter does not have")
                kwargs[ident(k)] = v
        else:
            kwargs[ident(key)] = value
    body = args.get("body")
    if body is None and op["body"] is not None and op["body"]["required"]:
        raise Untyped("no body for an operation that needs one (a typed call sends {})")
    if body == {} and op["body"] is not None and not op["body"]["required"]:
        raise Untyped("an empty optional body (a typed call without fields sends none)")
    if body is not None:
        if op["body"] is None or op["body"]["contentType"] != "application/json":
            raise Untyped("a body for an operation without one")
        if not isinstance(body, dict):
            raise Untyped("a body that is not an object")
        extra: dict[str, Any] = {}
        for key, value in body.items():
            kw = ident(key)
            if kw in kwargs or kw == "extra" or (value is None and op["method"] != "PATCH"):
                extra[key] = value
            else:
                kwargs[kw] = value
        if extra:
            kwargs["extra"] = extra
    return steps, method, positional, kwargs


def bound(client: Any, case: dict[str, Any]) -> Any:
    steps, method, positional, kwargs = plan(case)
    target = client
    for acc, values in steps:
        target = getattr(target, acc)(*values)
    fn = getattr(target, method)
    params = inspect.signature(fn).parameters
    if "extra" not in params:
        unknown = [k for k in kwargs if k not in params]
        if unknown:
            raise Untyped(f"keyword arguments the method does not take: {unknown}")
    else:
        for k in [k for k in kwargs if k not in params]:
            raise Untyped(f"a query key the method does not take: {k}")
    return lambda: fn(*positional, **kwargs)


def wire(outcome: Any) -> Any:
    if outcome is None:
        return {}
    if isinstance(outcome, (str, BaseException)):
        return outcome
    return outcome.to_dict()


def check(case: dict[str, Any], outcome: Any) -> None:
    expect = case["expect"]
    kind = expect.get("error")
    if isinstance(outcome, TypeError):
        # Python's own type check (a path id that is not a str): named by its argument.
        assert kind == "validation", outcome
        return
    if kind is None:
        assert not isinstance(outcome, BaseException), f"expected success, got {outcome!r}"
        got = wire(outcome)
        if isinstance(expect["ok"], dict):
            check_subset(expect["ok"], got)
        for key in expect.get("absent", []):
            assert key not in got
    elif kind == "validation":
        assert isinstance(outcome, sunco.ValidationError), repr(outcome)
        assert outcome.field == expect["field"]
    else:
        assert isinstance(outcome, sunco.ApiError), repr(outcome)
        assert (outcome.status, outcome.code) == (expect["status"], expect["code"])


def translatable(case: dict[str, Any]) -> bool:
    try:
        plan(case)
    except Untyped:
        return False
    return True


TYPED = [c for c in CASES if translatable(c.values[0])]


def test_most_vectors_are_typed_calls() -> None:
    # Every operation but the two the generic entry refuses has a case run typed.
    skipped = len(CASES) - len(TYPED)
    assert skipped <= len(CASES) // 8, f"{skipped} of {len(CASES)} cases not typed"
    typed_ops = {c.values[0]["operationId"] for c in TYPED}
    assert set(OPS) - typed_ops <= {"Authorize", "UploadAttachment"}


def test_every_operation_is_callable_under_its_python_name(emu: Emulator) -> None:
    with sunco.Client(**credentials(emu, None)) as c:
        for op in MANIFEST["operations"]:
            name = op["names"]["python"]
            assert name.startswith("client."), name
            target: Any = c
            for acc, params in re.findall(r"\.(\w+)\(([^)]*)\)", name):
                n = len([p for p in params.split(",") if p.strip()])
                target = getattr(target, acc)(*(["x"] * n))
            assert callable(getattr(target, name.rsplit(".", 1)[-1])), name
    async_client = sunco.AsyncClient(**credentials(emu, None))
    for op in MANIFEST["operations"]:
        name = op["names"]["python"]
        target = async_client
        for acc, params in re.findall(r"\.(\w+)\(([^)]*)\)", name):
            n = len([p for p in params.split(",") if p.strip()])
            target = getattr(target, acc)(*(["x"] * n))
        fn = getattr(target, name.rsplit(".", 1)[-1])
        if op["operationId"] != "Authorize":
            assert inspect.iscoroutinefunction(fn), name
    async_client.close()


@pytest.mark.parametrize("case", TYPED)
def test_typed_vector_sync(emu: Emulator, case: dict[str, Any]) -> None:
    case = prepare(emu, case)
    outcome: Any
    with sunco.Client(**credentials(emu, case.get("auth"))) as client:
        try:
            outcome = bound(client, case)()
        except (sunco.SuncoError, TypeError) as e:
            outcome = e
    check_request(case["request"], emu.requests())
    check(case, outcome)


@pytest.mark.parametrize("case", TYPED)
def test_typed_vector_async(emu: Emulator, case: dict[str, Any]) -> None:
    case = prepare(emu, case)

    async def run() -> Any:
        async with sunco.AsyncClient(**credentials(emu, case.get("auth"))) as client:
            try:
                return await bound(client, case)()
            except (sunco.SuncoError, TypeError) as e:
                return e

    outcome = asyncio.run(run())
    check_request(case["request"], emu.requests())
    check(case, outcome)


# --- property: a typed call sends exactly what the generic entry sends, or neither sends ---

FIELD_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=6), inner, max_size=2)
    ),
    max_leaves=6,
)
# Operations that need only the seed (the demo app, alice): their bodies vary freely.
BODY_OPS = {
    "UpdateApp": ({"appId": "demo-app"}, ["displayName", "settings", "metadata", "zz"]),
    "CreateUser": ({"appId": "demo-app"}, ["externalId", "profile", "metadata", "signedUpAt"]),
    "UpdateUser": (
        {"appId": "demo-app", "userIdOrExternalId": "alice"},
        ["email", "profile", "metadata", "externalId"],
    ),
    "CreateIntegration": ({"appId": "demo-app"}, ["type", "displayName", "webhooks", "token"]),
}


def outcome_of(run: Any) -> Any:
    try:
        result = run()
    except sunco.ValidationError as e:
        return ("invalid", e.field)
    except sunco.ApiError as e:
        return ("api", e.status, e.code)
    except TypeError as e:
        return ("type", str(e).split(":")[0])
    assert result is None or isinstance(result, (dict, sunco.models.Model))
    return ("ok",)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    op_id=st.sampled_from(sorted(BODY_OPS)),
    data=st.data(),
)
def test_typed_and_generic_send_the_same(emu: Emulator, op_id: str, data: st.DataObject) -> None:
    path, keys = BODY_OPS[op_id]
    drawn = data.draw(st.dictionaries(st.sampled_from(keys), FIELD_VALUES, max_size=4))
    patch = OPS[op_id]["method"] == "PATCH"
    # Outside a PATCH, a keyword's None means "leave it out": no null at the top to compare.
    drawn = {k: v for k, v in drawn.items() if patch or v is not None}
    # The typed method sends its fields in its signature's order, then `extra`: the generic
    # call gets the same order, so that both report the same first broken field.
    with sunco.Client(**credentials(emu, None)) as probe:
        probe_case = {"operationId": op_id, "args": {"path": path, "body": {"x": 1}}, "expect": {}}
        steps, method, _, _ = plan(probe_case)
        target: Any = probe
        for acc, values in steps:
            target = getattr(target, acc)(*values)
        order = list(inspect.signature(getattr(target, method)).parameters)
    rank = {name: i for i, name in enumerate(order)}
    body = dict(sorted(drawn.items(), key=lambda kv: rank.get(ident(kv[0]), len(order))))
    case = {"operationId": op_id, "args": {"path": path, "body": body}, "expect": {}}
    with sunco.Client(**credentials(emu, None)) as client:
        try:
            run = bound(client, case)
        except Untyped:
            return
        emu.reset()
        typed = outcome_of(run)
    typed_log = emu.requests()
    emu.reset()
    with sunco.Client(**credentials(emu, None)) as c:
        generic = outcome_of(lambda: c.call(op_id, path=path, body=body))
    generic_log = emu.requests()
    # (Results hold ids and dates the emulator makes afresh in each run: compared as outcomes;
    # the requests must be the same byte for byte.)
    assert typed == generic, (body, typed, generic)
    strip = [{k: r[k] for k in ("method", "path", "query", "body")} for r in typed_log]
    assert strip == [{k: r[k] for k in ("method", "path", "query", "body")} for r in generic_log]
