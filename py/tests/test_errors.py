"""Every exception class, triggered through the emulator."""

from __future__ import annotations

import builtins
import pickle
import socket

import pytest

import sunco

from emulator_control import Emulator

MISSING = "5f1c6e4b3a2d1c0b9a8f7e6d"


def catch(fn: object, *args: object) -> sunco.SuncoError:
    assert callable(fn)
    with pytest.raises(sunco.SuncoError) as info:
        fn(*args)
    return info.value


def test_hierarchy() -> None:
    assert issubclass(sunco.ValidationError, ValueError)
    assert issubclass(sunco.ConfigError, ValueError)
    assert issubclass(sunco.TimeoutError, builtins.TimeoutError)
    assert issubclass(sunco.TransportError, ConnectionError)
    assert issubclass(sunco.PermissionDeniedError, sunco.AuthenticationError)
    for cls in (
        sunco.BadRequestError,
        sunco.AuthenticationError,
        sunco.NotFoundError,
        sunco.RateLimitError,
        sunco.ServerError,
    ):
        assert issubclass(cls, sunco.ApiError)
    for name in sunco.__all__:
        obj = getattr(sunco, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, sunco.SuncoError)
            assert obj.__module__ == "sunco"


def test_404_not_found(convs: sunco.Conversations) -> None:
    e = catch(convs.get, MISSING)
    assert type(e) is sunco.NotFoundError
    assert e.status == 404
    assert e.code == "conversation_not_found"
    assert e.title == "Conversation not found"
    assert e.errors == [{"code": "conversation_not_found", "title": "Conversation not found"}]
    assert e.request_id and e.request_id in str(e)
    assert e.retry_after is None
    assert "HTTP 404" in str(e) and "conversation_not_found" in str(e)


def test_400_bad_request(convs: sunco.Conversations) -> None:
    conv = convs.create(type="personal", participants=[{"user_external_id": "bob"}])
    e = catch(convs.delete, conv.id)
    assert type(e) is sunco.BadRequestError
    assert (e.status, e.code) == (400, "bad_request")


def test_401_wrong_secret(emu: Emulator) -> None:
    with sunco.Client(base_url=emu.url, key_id="demo-key", key_secret="wrong-secret") as c:
        e = catch(c.conversations("demo-app").get, MISSING)
    assert type(e) is sunco.AuthenticationError
    assert (e.status, e.code) == (401, "unauthorized")
    assert "wrong-secret" not in str(e) and "wrong-secret" not in repr(e)


def test_403_other_apps_key(emu: Emulator) -> None:
    with sunco.Client(base_url=emu.url, key_id="other-key", key_secret="other-secret") as c:
        e = catch(c.conversations("demo-app").get, MISSING)
    assert type(e) is sunco.PermissionDeniedError
    assert isinstance(e, sunco.AuthenticationError)
    assert (e.status, e.code) == (403, "forbidden")


def test_404_unknown_app(client: sunco.Client) -> None:
    e = catch(client.conversations("no-such-app").get, MISSING)
    assert type(e) is sunco.NotFoundError
    assert e.code == "app_not_found"


def test_429_rate_limited_with_retry_after(emu: Emulator, convs: sunco.Conversations) -> None:
    emu.fault({"type": "status", "status": 429, "retryAfter": "7"})
    e = catch(convs.get, MISSING)
    assert type(e) is sunco.RateLimitError
    assert e.status == 429
    assert e.retry_after == 7.0
    assert e.code == "too_many_requests"


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_server_error(emu: Emulator, convs: sunco.Conversations, status: int) -> None:
    emu.fault({"type": "status", "status": status})
    e = catch(convs.get, MISSING)
    assert type(e) is sunco.ServerError
    assert e.status == status


def test_other_status_is_plain_api_error(emu: Emulator, convs: sunco.Conversations) -> None:
    emu.fault({"type": "status", "status": 409})
    e = catch(convs.get, MISSING)
    assert type(e) is sunco.ApiError
    assert e.status == 409


def test_retries_then_succeeds(emu: Emulator) -> None:
    emu.fault({"type": "status", "status": 503, "retryAfter": "0"}, times=2)
    with sunco.Client(
        base_url=emu.url, key_id="demo-key", key_secret="demo-secret", max_retries=2
    ) as c:
        page = c.conversations("demo-app").list(user_external_id="alice")
    assert len(page) == 0
    assert len(emu.requests()) == 3


def test_timeout(emu: Emulator) -> None:
    emu.fault({"type": "delay", "ms": 3000})
    with sunco.Client(
        base_url=emu.url, key_id="demo-key", key_secret="demo-secret", timeout=0.2
    ) as c:
        e = catch(c.conversations("demo-app").get, MISSING)
    assert type(e) is sunco.TimeoutError
    assert isinstance(e, builtins.TimeoutError)
    assert e.after == pytest.approx(0.2)
    assert "timed out" in str(e)


def test_dropped_connection(emu: Emulator, convs: sunco.Conversations) -> None:
    emu.fault({"type": "drop"})
    e = catch(convs.get, MISSING)
    assert type(e) is sunco.TransportError
    assert isinstance(e, ConnectionError)
    assert e.kind == "request"


def test_connection_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Nothing listens on the port now.
    with sunco.Client(
        base_url=f"http://127.0.0.1:{port}", key_id="k", key_secret="s", max_retries=0
    ) as c:
        e = catch(c.conversations("demo-app").get, MISSING)
    assert type(e) is sunco.TransportError
    assert e.kind == "connect"


@pytest.mark.parametrize(
    ("action", "needle"),
    [
        ({"type": "malformed"}, "expected value"),
        ({"type": "truncated"}, "EOF"),
        ({"type": "huge", "bytes": 17 * 1024 * 1024}, "exceeds the limit"),
    ],
)
def test_decode_errors(
    emu: Emulator, convs: sunco.Conversations, action: dict[str, object], needle: str
) -> None:
    emu.fault(action)
    e = catch(convs.get, MISSING)
    assert type(e) is sunco.DecodeError
    assert e.status == 200
    assert needle in str(e)
    assert isinstance(e.excerpt, str)


def test_validation_error_attributes(emu: Emulator, convs: sunco.Conversations) -> None:
    with pytest.raises(sunco.ValidationError) as info:
        convs.list(user_external_id="alice", size=0)
    e = info.value
    assert e.field == "page.size"
    assert "between 1 and 100" in e.rule
    assert e.argument == "size"
    assert str(e) == f"invalid `size` (API field `page.size`): {e.rule}"
    assert isinstance(e, ValueError)
    assert emu.requests() == []


def test_async_errors_are_the_same_classes(emu: Emulator, aconvs: sunco.AsyncConversations) -> None:
    import asyncio

    async def run() -> list[sunco.SuncoError]:
        errors: list[sunco.SuncoError] = []
        emu.fault({"type": "status", "status": 429, "retryAfter": "3"})
        for coro in (aconvs.get(MISSING), aconvs.get(MISSING), aconvs.list(size=1)):
            try:
                await coro
            except sunco.SuncoError as e:
                errors.append(e)
        return errors

    errors = asyncio.run(run())
    assert [type(e) for e in errors] == [
        sunco.RateLimitError,
        sunco.NotFoundError,
        sunco.ValidationError,
    ]
    assert isinstance(errors[0], sunco.RateLimitError)
    assert errors[0].retry_after == 3.0


def test_exceptions_pickle() -> None:
    errors: list[sunco.SuncoError] = [
        sunco.ValidationError("invalid `a`: b", field="a", rule="b"),
        sunco.RateLimitError(
            "m", status=429, errors=[{"code": "c", "title": "t"}], request_id="r", retry_after=1.5
        ),
        sunco.TimeoutError("t", after=2.0),
        sunco.TransportError("x", kind="connect"),
        sunco.DecodeError("d", status=200, excerpt="<html>"),
        sunco.ConfigError("c"),
    ]
    for e in errors:
        back = pickle.loads(pickle.dumps(e))
        assert type(back) is type(e)
        assert vars(back) == vars(e)
        assert str(back) == str(e)
