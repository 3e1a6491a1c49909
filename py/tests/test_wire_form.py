"""`to_dict()` is exactly what the server sent: key order, `null`s and unknown fields, for
conversations and for pages (sync, asyncio and the page walkers)."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

import sunco

from emulator_control import APP_ID, KEY_ID, KEY_SECRET, Emulator

CONV_ID = "5f1c6e4b3a2d1c0b9a8f7e6d"

# Out of alphabetical and of the crate's field order, with nulls and fields no version knows.
CONVERSATION: dict[str, Any] = {
    "zetaField": {"nested": [1, None, {"b": 2, "a": 1}]},
    "type": "sdkGroup",
    "id": CONV_ID,
    "businessLastRead": None,
    "displayName": None,
    "metadata": {"z": 1, "a": "x", "m": True},
    "activeSwitchboardIntegration": None,
    "isDefault": False,
    "createdAt": "2020-06-20T11:26:07.001Z",
    "alpha": None,
}
PAGE: dict[str, Any] = {
    "somethingNew": [1, 2],
    "conversations": [CONVERSATION, {"id": "b" * 24, "type": "personal", "newer": None}],
    "meta": {"hasMore": False, "afterCursor": None, "beforeCursor": None, "total": 2},
    "links": {"next": None, "prev": None, "self": "http://x"},
    "zzz": None,
}


class Canned(BaseHTTPRequestHandler):
    """Answers every API call with a canned body (the shapes the API documents, plus extras)."""

    answers: ClassVar[dict[tuple[str, str], tuple[int, Any]]] = {}

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?", 1)[0]
        status, body = self.answers.get((self.command, path), (404, {"errors": []}))
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = _answer  # noqa: N815 (the names http.server calls)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def canned() -> Iterator[tuple[str, dict[tuple[str, str], tuple[int, Any]]]]:
    answers: dict[tuple[str, str], tuple[int, Any]] = {}
    handler = type("Handler", (Canned,), {"answers": answers})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", answers
    server.shutdown()
    server.server_close()
    thread.join()


def ordered(value: Any) -> Any:
    """A JSON value as nested lists of pairs, so that == also compares key order."""
    if isinstance(value, dict):
        return [(k, ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [ordered(v) for v in value]
    return value


def test_conversations_come_back_as_sent(
    canned: tuple[str, dict[tuple[str, str], tuple[int, Any]]],
) -> None:
    url, answers = canned
    base = f"/v2/apps/{APP_ID}/conversations"
    envelope = {"conversation": CONVERSATION, "envelopeExtra": 1}
    answers[("GET", f"{base}/{CONV_ID}")] = (200, envelope)
    answers[("PATCH", f"{base}/{CONV_ID}")] = (200, envelope)
    answers[("POST", base)] = (201, envelope)
    answers[("GET", base)] = (200, PAGE)
    with sunco.Client(base_url=url, key_id="k", key_secret="s", max_retries=0) as c:
        convs = c.conversations(APP_ID)
        results = [
            convs.get(CONV_ID),
            convs.update(CONV_ID, display_name=None),
            convs.create(type="sdkGroup"),
            convs.list(user_id="u").conversations[0],
            next(convs.iter(user_id="u")),
        ]
        page = convs.list(user_id="u")
        [walked] = list(convs.iter_pages(user_id="u"))
    for conv in results:
        # Before, nulls were dropped and fields were re-ordered by the crate's model.
        assert ordered(conv.to_dict()) == ordered(CONVERSATION)
        assert conv.business_last_read is None and conv.display_name is None
        assert conv.metadata == {"z": 1, "a": "x", "m": True}
        assert list(conv.metadata) == ["z", "a", "m"]
        assert conv.active_switchboard_integration is None
        assert (conv.id, conv.type, conv.is_default) == (CONV_ID, "sdkGroup", False)
    for p in (page, walked):
        # Before, the page lost every top-level field it did not model (`somethingNew`, `zzz`).
        assert ordered(p.to_dict()) == ordered(PAGE)
        assert (len(p), p.has_more, p.after_cursor, p.next_url) == (2, False, None, None)
        assert p.conversations[1].to_dict() == {"id": "b" * 24, "type": "personal", "newer": None}

    async def run() -> list[Any]:
        async with sunco.AsyncClient(base_url=url, key_id="k", key_secret="s") as a:
            aconvs = a.conversations(APP_ID)
            got = await aconvs.get(CONV_ID)
            listed = await aconvs.list(user_id="u")
            pages = [p async for p in aconvs.iter_pages(user_id="u")]
            return [got.to_dict(), listed.to_dict(), pages[0].to_dict()]

    got, listed, first = asyncio.run(run())
    assert ordered(got) == ordered(CONVERSATION)
    assert ordered(listed) == ordered(PAGE) == ordered(first)


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"conversation": {"id": CONV_ID}}, "missing field `type`"),
        ({"conversation": {"id": 5, "type": "personal"}}, "invalid type"),
        ({"notAConversation": {}}, "missing field `conversation`"),
    ],
)
def test_a_conversation_not_as_documented_is_a_decode_error(
    canned: tuple[str, dict[tuple[str, str], tuple[int, Any]]], body: Any, needle: str
) -> None:
    url, answers = canned
    answers[("GET", f"/v2/apps/{APP_ID}/conversations/{CONV_ID}")] = (200, body)
    c = sunco.Client(base_url=url, key_id="k", key_secret="s", max_retries=0)
    with pytest.raises(sunco.DecodeError, match="not as the API documents it") as info:
        c.conversations(APP_ID).get(CONV_ID)
    assert needle in str(info.value)
    assert info.value.excerpt


def test_a_page_not_as_documented_is_a_decode_error(
    canned: tuple[str, dict[tuple[str, str], tuple[int, Any]]],
) -> None:
    url, answers = canned
    page = {"conversations": [1], "meta": {"hasMore": False}}
    answers[("GET", f"/v2/apps/{APP_ID}/conversations")] = (200, page)
    with sunco.Client(base_url=url, key_id="k", key_secret="s", max_retries=0) as c:
        convs = c.conversations(APP_ID)
        with pytest.raises(sunco.DecodeError, match="not as the API documents it"):
            convs.list(user_id="u")
        with pytest.raises(sunco.DecodeError, match="not as the API documents it"):
            list(convs.iter(user_id="u"))


def raw_get(emu: Emulator, path: str) -> Any:
    req = urllib.request.Request(emu.url + path)
    token = base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode()
    req.add_header("authorization", f"Basic {token}")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def test_the_emulators_null_business_last_read_is_kept(
    emu: Emulator, convs: sunco.Conversations
) -> None:
    conv = convs.create(
        type="sdkGroup",
        participants=[{"user_external_id": "alice"}],
        metadata={"zz": 1, "aa": 2},
    )
    # The emulator, like the API, sends `"businessLastRead": null`; it used to be dropped.
    assert "businessLastRead" in conv.to_dict() and conv.to_dict()["businessLastRead"] is None
    sent = raw_get(emu, f"/v2/apps/{APP_ID}/conversations/{conv.id}")["conversation"]
    assert ordered(convs.get(conv.id).to_dict()) == ordered(sent)
    assert ordered(conv.to_dict()) == ordered(sent)
    page = raw_get(emu, f"/v2/apps/{APP_ID}/conversations?filter%5BuserExternalId%5D=alice")
    assert ordered(convs.list(user_external_id="alice").to_dict()) == ordered(page)


FLOATS = ["1.6206379917699262e-196", "9007199254740993.0", "123456789.12345679", "0.1", "5e-324"]


def test_floats_come_back_exactly(
    canned: tuple[str, dict[tuple[str, str], tuple[int, Any]]],
) -> None:
    url, answers = canned
    metadata = "{" + ",".join(f'"k{i}": {v}' for i, v in enumerate(FLOATS)) + "}"
    conv = json.loads('{"id": "a", "type": "personal", "metadata": ' + metadata + "}")
    answers[("GET", f"/v2/apps/{APP_ID}/conversations/a")] = (200, {"conversation": conv})
    with sunco.Client(base_url=url, key_id="k", key_secret="s") as c:
        got = c.conversations(APP_ID).get("a")
    assert got.to_dict() == conv
