#!/usr/bin/env python3
"""The C bot's HTTP edge, without an emulator: what it answers to requests it must refuse.

    python3 tests/c/bot_http.py BOT_COMMAND...   (e.g. the bot, or valgrind ... bot)

Starts the bot (its API base URL points at a closed port: nothing here may reach the API),
waits for its `listening` line, then checks: a wrong or missing secret answers 401, a
malformed body 400, a body over 1 MiB 413, a GET 405, a POST without Content-Length 411, a
valid payload of an event type the bot ignores 200 (and nothing printed); SIGTERM exits 0.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys

SECRET = "whsec-bot-test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def request(port: int, method: str, body: bytes | None, headers: dict[str, str]) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, "/", body=body, headers=headers)
    status: int = conn.getresponse().status
    conn.close()
    return status


def raw(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        out = b""
        while chunk := s.recv(4096):
            out += chunk
        return out


def main() -> int:
    bot = sys.argv[1:]
    port = free_port()
    env = dict(os.environ)
    env.update(
        SUNCO_BASE_URL="http://127.0.0.1:9",
        SUNCO_KEY_ID="k",
        SUNCO_KEY_SECRET="s",
        SUNCO_APP_ID="demo-app",
        BOT_PORT=str(port),
        BOT_WEBHOOK_SECRET=SECRET,
        BOT_AGENT="agent",
    )
    proc = subprocess.Popen(bot, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    failures = []
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if line != f"bot: listening on 127.0.0.1:{port}":
            raise SystemExit(f"bot_http: unexpected first line {line!r}")
        typing = json.dumps(
            {
                "events": [
                    {
                        "id": "e",
                        "type": "conversation:typing",
                        "payload": {"activity": {"type": "typing:start"}},
                    }
                ]
            }
        ).encode()
        cases: list[tuple[str, int, int]] = [
            ("wrong secret", request(port, "POST", typing, {"X-API-Key": "nope"}), 401),
            ("no secret", request(port, "POST", typing, {}), 401),
            (
                "secret twice",
                raw_status(raw(port, post(typing, [("X-API-Key", SECRET), ("x-api-key", SECRET)]))),
                401,
            ),
            ("malformed", request(port, "POST", b"{not json", {"X-API-Key": SECRET}), 400),
            (
                "too large",
                request(port, "POST", b" " * (1024 * 1024 + 10), {"X-API-Key": SECRET}),
                413,
            ),
            ("GET", request(port, "GET", None, {"X-API-Key": SECRET}), 405),
            (
                "no Content-Length",
                raw_status(
                    raw(port, b"POST / HTTP/1.1\r\nX-API-Key: " + SECRET.encode() + b"\r\n\r\n")
                ),
                411,
            ),
            ("head cut short", raw_status(raw(port, b"POST / HTTP/1.1\r\nX-API")), 400),
            ("an ignored event", request(port, "POST", typing, {"x-api-key": SECRET}), 200),
        ]
        for name, got, want in cases:
            print(f"bot_http: {name}: {got}")
            if got != want:
                failures.append(f"{name}: answered {got}, expected {want}")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    if proc.returncode != 0:
        failures.append(f"exit status {proc.returncode} on SIGTERM, expected 0 ({err.strip()})")
    if out.strip():
        failures.append(f"printed {out.strip()!r} for no handled event")
    if SECRET in err:
        failures.append("the secret appears in the bot's log")
    for f in failures:
        print(f"bot_http: FAIL {f}", file=sys.stderr)
    print(f"bot_http: {len(cases)} requests, {len(failures)} failures")
    return 1 if failures else 0


def post(body: bytes, headers: list[tuple[str, str]]) -> bytes:
    head = "".join(f"{k}: {v}\r\n" for k, v in headers)
    return f"POST / HTTP/1.1\r\nContent-Length: {len(body)}\r\n{head}\r\n".encode() + body


def raw_status(answer: bytes) -> int:
    parts = answer.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


if __name__ == "__main__":
    sys.exit(main())
