"""Client configuration, credentials, secrets, the user agent and closing."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import pytest

import sunco

from emulator_control import Emulator

SECRET = "demo-secret"


def test_repr_shows_base_url_and_key_id_only(emu: Emulator) -> None:
    for cls in (sunco.Client, sunco.AsyncClient):
        c = cls(base_url=emu.url + "/", key_id="demo-key", key_secret=SECRET)
        assert repr(c) == f"{cls.__name__}(base_url={emu.url!r}, key_id='demo-key')"
        assert c.base_url == emu.url
        assert SECRET not in repr(c) and SECRET not in str(vars(type(c)))
        c.close()
    c = sunco.Client(base_url=emu.url, key_id="demo-key", key_secret=SECRET, auth="jwt")
    assert SECRET not in repr(c)
    assert repr(c.conversations("demo-app")) == "Conversations(app_id='demo-app')"


def test_user_agent_names_the_python_runtime(emu: Emulator, convs: sunco.Conversations) -> None:
    # It used to say python/<package version> (python/0.1.0), which names no runtime at all.
    convs.list(user_external_id="alice")
    [req] = emu.requests()
    v = sys.version_info
    runtime = f"python/{v.major}.{v.minor}.{v.micro}"
    assert req["userAgent"] == f"sunco/{sunco._native.CORE_VERSION} {runtime}"
    assert req["auth"] == "basic"


def test_jwt_auth(emu: Emulator) -> None:
    with sunco.Client(base_url=emu.url, key_id="demo-key", key_secret=SECRET, auth="jwt") as c:
        assert len(c.conversations("demo-app").list(user_external_id="alice")) == 0
    assert emu.requests()[0]["auth"] == "bearer"


def test_bearer_token(emu: Emulator) -> None:
    with sunco.Client(base_url=emu.url, token="not-a-valid-token") as c:
        assert c.key_id is None
        assert "not-a-valid-token" not in repr(c)
        with pytest.raises(sunco.AuthenticationError) as info:
            c.conversations("demo-app").get("x")
    assert "not-a-valid-token" not in str(info.value)
    assert emu.requests()[0]["auth"] == "bearer"


def test_from_env(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("SUNCO_REGION", "SUNCO_SUBDOMAIN", "SUNCO_TOKEN", "SUNCO_AUTH"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SUNCO_BASE_URL", emu.url)
    monkeypatch.setenv("SUNCO_KEY_ID", "demo-key")
    monkeypatch.setenv("SUNCO_KEY_SECRET", SECRET)
    with sunco.Client.from_env(timeout=5, max_retries=0) as c:
        assert isinstance(c, sunco.Client)
        assert repr(c) == f"Client(base_url={emu.url!r}, key_id='demo-key')"
        assert len(c.conversations("demo-app").list(user_external_id="alice")) == 0
    a = sunco.AsyncClient.from_env()
    assert isinstance(a, sunco.AsyncClient)

    async def run() -> int:
        return len(await a.conversations("demo-app").list(user_external_id="alice"))

    assert asyncio.run(run()) == 0
    monkeypatch.setenv("SUNCO_AUTH", "jwt")
    with sunco.Client.from_env() as c:
        c.conversations("demo-app").list(user_external_id="alice")
    assert emu.requests()[-1]["auth"] == "bearer"

    monkeypatch.setenv("SUNCO_AUTH", "magic")
    with pytest.raises(sunco.ConfigError, match="SUNCO_AUTH"):
        sunco.Client.from_env()
    monkeypatch.delenv("SUNCO_AUTH")
    monkeypatch.delenv("SUNCO_KEY_SECRET")
    with pytest.raises(sunco.ConfigError, match="SUNCO_KEY_SECRET"):
        sunco.Client.from_env()
    monkeypatch.delenv("SUNCO_KEY_ID")
    with pytest.raises(sunco.ConfigError, match="credentials"):
        sunco.Client.from_env()


def test_regions_and_subdomains() -> None:
    assert sunco.Client(key_id="k", key_secret="s").base_url == "https://api.smooch.io"
    eu = sunco.Client(region="eu", key_id="k", key_secret="s")
    assert eu.base_url == "https://api.eu-1.smooch.io"
    sub = sunco.Client(subdomain="Acme", key_id="k", key_secret="s")
    assert sub.base_url == "https://acme.zendesk.com/sc"


CONFIG_ERRORS: list[tuple[str, dict[str, Any], str]] = [
    ("plain http off loopback", {"base_url": "http://api.smooch.io"}, "loopback"),
    ("not a url", {"base_url": "not a url"}, "invalid base URL"),
    ("credentials in url", {"base_url": "https://u:p@x.example"}, "credentials"),
    ("unknown region", {"region": "mars"}, "unknown region"),
    ("bad subdomain", {"subdomain": "a.b"}, "subdomain"),
    ("two targets", {"region": "us", "subdomain": "acme"}, "at most one"),
    ("unknown auth", {"auth": "oauth"}, "auth must be"),
    ("zero timeout", {"timeout": 0}, "timeout must be a number of seconds greater than 0"),
    ("negative timeout", {"timeout": -1.0}, "timeout"),
    ("infinite timeout", {"connect_timeout": float("inf")}, "connect_timeout"),
    ("negative retries", {"max_retries": -1}, "max_retries"),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "needle"), CONFIG_ERRORS, ids=[c[0] for c in CONFIG_ERRORS]
)
def test_config_errors(name: str, kwargs: dict[str, Any], needle: str) -> None:
    args: dict[str, Any] = {"key_id": "k", "key_secret": "top-secret", **kwargs}
    with pytest.raises(sunco.ConfigError, match=needle) as info:
        sunco.Client(**args)
    assert isinstance(info.value, ValueError)
    assert "top-secret" not in str(info.value)


def test_credential_combinations() -> None:
    with pytest.raises(sunco.ConfigError, match="no credentials"):
        sunco.Client()
    with pytest.raises(sunco.ConfigError, match="go together"):
        sunco.Client(key_id="k")
    with pytest.raises(sunco.ConfigError, match="go together"):
        sunco.Client(key_secret="s")
    with pytest.raises(sunco.ConfigError, match="not both"):
        sunco.Client(token="t", key_id="k", key_secret="s")
    with pytest.raises(sunco.ConfigError, match="non-empty"):
        sunco.Client(key_id="", key_secret="s")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_url": 1},
        {"key_id": 1, "key_secret": "s"},
        {"auth": 1},
        {"timeout": "5"},
        {"timeout": True},
        {"connect_timeout": None},
        {"max_retries": 1.5},
        {"max_retries": "3"},
    ],
)
def test_config_type_errors(kwargs: dict[str, Any]) -> None:
    args: dict[str, Any] = {"key_id": "k", "key_secret": "s", **kwargs}
    with pytest.raises(TypeError):
        sunco.Client(**args)


def test_close(emu: Emulator) -> None:
    with sunco.Client(base_url=emu.url, key_id="demo-key", key_secret=SECRET) as c:
        convs = c.conversations("demo-app")
        convs.list(user_external_id="alice")
    assert c.closed
    with pytest.raises(sunco.ClientClosedError, match="closed"):
        convs.list(user_external_id="alice")
    with pytest.raises(sunco.ClientClosedError, match="closed"):
        c.conversations("demo-app").get("x")
    c.close()  # closing twice is fine

    a = sunco.AsyncClient(base_url=emu.url, key_id="demo-key", key_secret=SECRET)

    async def run() -> None:
        await a.aclose()
        with pytest.raises(sunco.ClientClosedError, match="closed"):
            await a.conversations("demo-app").get("x")

    asyncio.run(run())


def test_closed_client_error_is_a_sunco_error_and_a_runtime_error() -> None:
    assert issubclass(sunco.ClientClosedError, sunco.SuncoError)
    assert issubclass(sunco.ClientClosedError, RuntimeError)  # what close() used to raise
    c = sunco.Client(key_id="k", key_secret="s")
    c.close()
    with pytest.raises(sunco.SuncoError) as info:
        c.conversations("demo-app").get("x")
    assert type(info.value) is sunco.ClientClosedError


def test_iterators_made_before_close_stop_fetching(emu: Emulator) -> None:
    c = sunco.Client(base_url=emu.url, key_id="demo-key", key_secret=SECRET, max_retries=0)
    convs = c.conversations("demo-app")
    for _ in range(3):
        convs.create(type="sdkGroup", participants=[{"user_external_id": "alice"}])
    emu.clear_requests()
    walk = convs.iter(user_external_id="alice", size=1)
    pages = convs.iter_pages(user_external_id="alice", size=1)
    first = next(walk)
    assert len(emu.requests()) == 1
    c.close()
    # They used to keep a live connection pool of their own and went on fetching.
    with pytest.raises(sunco.ClientClosedError):
        next(walk)
    with pytest.raises(sunco.ClientClosedError):
        next(pages)
    assert len(emu.requests()) == 1, "nothing is fetched after close()"
    assert first.type == "sdkGroup"


def test_async_iterators_made_before_close_stop_fetching(emu: Emulator) -> None:
    a = sunco.AsyncClient(base_url=emu.url, key_id="demo-key", key_secret=SECRET, max_retries=0)
    convs = a.conversations("demo-app")

    async def run() -> None:
        for _ in range(2):
            await convs.create(type="sdkGroup", participants=[{"user_external_id": "alice"}])
        emu.clear_requests()
        walk = convs.iter(user_external_id="alice", size=1)
        await walk.__anext__()
        await a.aclose()
        with pytest.raises(sunco.ClientClosedError):
            await walk.__anext__()
        with pytest.raises(sunco.ClientClosedError):
            await convs.iter_pages(user_external_id="alice").__anext__()

    asyncio.run(run())
    assert len(emu.requests()) == 1


def test_from_env_with_only_key_secret_overrides_just_the_secret(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("SUNCO_REGION", "SUNCO_SUBDOMAIN", "SUNCO_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SUNCO_BASE_URL", emu.url)
    monkeypatch.setenv("SUNCO_KEY_ID", "demo-key")
    monkeypatch.setenv("SUNCO_KEY_SECRET", "a-stale-secret")
    monkeypatch.setenv("SUNCO_AUTH", "jwt")
    with sunco.Client.from_env(max_retries=0) as c, pytest.raises(sunco.AuthenticationError):
        c.conversations("demo-app").list(user_external_id="alice")
    # Only the secret is replaced: the key id, the base URL and jwt auth still come from
    # the environment.
    with sunco.Client.from_env(key_secret=SECRET, max_retries=0) as c:
        assert c.key_id == "demo-key" and c.base_url == emu.url
        assert len(c.conversations("demo-app").list(user_external_id="alice")) == 0
    assert emu.requests()[-1]["auth"] == "bearer"
    # auth= given wins too; and the same works for AsyncClient.
    a = sunco.AsyncClient.from_env(key_secret=SECRET, auth="basic", max_retries=0)

    async def run() -> int:
        async with a:
            return len(await a.conversations("demo-app").list(user_external_id="alice"))

    assert asyncio.run(run()) == 0
    assert emu.requests()[-1]["auth"] == "basic"
    # An option for the target wins over SUNCO_BASE_URL.
    with sunco.Client.from_env(key_secret=SECRET, region="eu") as c:
        assert c.base_url == "https://api.eu-1.smooch.io"
    monkeypatch.setenv("SUNCO_KEY_SECRET", SECRET)
    with sunco.Client.from_env(key_id="other-key") as c:
        assert c.key_id == "other-key"
        with pytest.raises(sunco.AuthenticationError):
            c.conversations("demo-app").get("x")
