"""`proxy=`: HTTPS requests go through an explicit proxy as a CONNECT tunnel (which never sees
the credentials); a loopback base URL never goes through any proxy, whatever the environment
says. Nothing here leaves 127.0.0.1: the proxy is a tiny recording socket server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

import sunco

from emulator_control import APP_ID, KEY_ID, KEY_SECRET, Emulator


class RecordingProxy:
    """Accepts connections on 127.0.0.1, records what each sends up to the blank line that
    ends the request head, answers 502 and closes."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.heads: list[str] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed
            with conn:
                conn.settimeout(10)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                self.heads.append(data.decode("latin-1"))
                conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")

    def close(self) -> None:
        # shutdown() wakes the thread blocked in accept() (close() alone does not, on Linux).
        self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()


@pytest.fixture
def proxy() -> Iterator[RecordingProxy]:
    p = RecordingProxy()
    yield p
    p.close()


def test_https_goes_through_the_proxy_as_connect_without_credentials(
    proxy: RecordingProxy,
) -> None:
    client = sunco.Client(
        region="us",
        key_id="proxy-key",
        key_secret="proxy-secret",
        proxy=f"http://127.0.0.1:{proxy.port}",
        max_retries=0,
        timeout=10,
    )
    with client, pytest.raises(sunco.TransportError):
        client.conversations(APP_ID).get("5f1c6e4b3a2d1c0b9a8f7e6d")
    # The server has answered (and so recorded) before the client sees its 502.
    [head] = proxy.heads
    request_line = head.split("\r\n", 1)[0]
    assert request_line == "CONNECT api.smooch.io:443 HTTP/1.1"
    lowered = head.lower()
    assert "\nauthorization:" not in lowered, "the API credentials stay inside TLS"
    assert "proxy-secret" not in head and "/v2/apps" not in head


def test_async_client_takes_the_proxy_too(proxy: RecordingProxy) -> None:
    import asyncio

    async def run() -> None:
        async with sunco.AsyncClient(
            subdomain="acme",
            token="a-token",
            proxy=f"http://127.0.0.1:{proxy.port}",
            max_retries=0,
        ) as c:
            with pytest.raises(sunco.TransportError):
                await c.conversations(APP_ID).get("x")

    asyncio.run(run())
    assert proxy.heads[0].startswith("CONNECT acme.zendesk.com:443 HTTP/1.1\r\n")
    assert "a-token" not in proxy.heads[0]


@pytest.mark.parametrize(
    "bad", ["not a url", "socks5://127.0.0.1:1080", "http://", "ftp://127.0.0.1:21"]
)
def test_a_bad_proxy_is_a_config_error_that_never_echoes_it(bad: str) -> None:
    with pytest.raises(sunco.ConfigError, match="proxy") as info:
        sunco.Client(key_id="k", key_secret="s", proxy=bad)
    assert "proxy-password" not in str(info.value)
    with pytest.raises(sunco.ConfigError) as info:
        sunco.Client(key_id="k", key_secret="s", proxy="socks5://u:proxy-password@h:1")
    assert "proxy-password" not in str(info.value)


LOOPBACK_CALL = """
import sys, sunco
with sunco.Client(base_url=sys.argv[1], key_id=sys.argv[2], key_secret=sys.argv[3],
                  max_retries=0, timeout=10) as c:
    page = c.conversations(sys.argv[4]).list(user_external_id="alice")
print("ok", len(page))
"""


def test_loopback_never_uses_a_proxy_from_the_environment(
    emu: Emulator, proxy: RecordingProxy
) -> None:
    here = f"http://127.0.0.1:{proxy.port}"
    env = {
        **os.environ,
        "HTTP_PROXY": here,
        "HTTPS_PROXY": here,
        "ALL_PROXY": here,
        "http_proxy": here,
        "https_proxy": here,
        "all_proxy": here,
    }
    env.pop("NO_PROXY", None)
    env.pop("no_proxy", None)
    out = subprocess.run(
        [sys.executable, "-c", LOOPBACK_CALL, emu.url, KEY_ID, KEY_SECRET, APP_ID],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["ok", "0"]
    assert [r["path"] for r in emu.requests()] == [f"/v2/apps/{APP_ID}/conversations"]
    assert proxy.heads == [], "the emulator's plain-http credentials never reach a proxy"


def test_loopback_ignores_an_explicit_proxy_too(emu: Emulator, proxy: RecordingProxy) -> None:
    with sunco.Client(
        base_url=emu.url,
        key_id=KEY_ID,
        key_secret=KEY_SECRET,
        proxy=f"http://127.0.0.1:{proxy.port}",
        max_retries=0,
    ) as c:
        assert len(c.conversations(APP_ID).list(user_external_id="alice")) == 0
    assert proxy.heads == []
