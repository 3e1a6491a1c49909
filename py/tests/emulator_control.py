"""Starts the emulator (``$SUNCO_EMULATOR --port 0``) and drives its control endpoints."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from typing import Any
from urllib.parse import parse_qsl

KEY_ID = "demo-key"
KEY_SECRET = "demo-secret"
APP_ID = "demo-app"


class Emulator:
    """A running emulator process and a tiny client for its `/_emulator` controls."""

    def __init__(self) -> None:
        binary = os.environ.get("SUNCO_EMULATOR")
        if not binary:
            raise RuntimeError(
                "set SUNCO_EMULATOR to the sunco-emulator binary (make test-py does this)"
            )
        self.proc = subprocess.Popen([binary, "--port", "0"], stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        # The first stdout line is the base URL, printed once the emulator is listening.
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.stop()
            raise RuntimeError(f"the emulator did not print its URL (got {self.url!r})")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    def control(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header("content-type", "application/json")
        with urllib.request.urlopen(req, timeout=10) as resp:
            text = resp.read().decode()
        return json.loads(text) if text else None

    def reset(self) -> None:
        self.control("POST", "/_emulator/reset")

    def clear_requests(self) -> None:
        self.control("DELETE", "/_emulator/requests")

    def requests(self) -> list[dict[str, Any]]:
        log: list[dict[str, Any]] = self.control("GET", "/_emulator/requests")["requests"]
        return log

    def fault(
        self, action: dict[str, Any], *, method: str = "*", path: str = "/v2/**", times: int = 1
    ) -> None:
        self.control(
            "POST",
            "/_emulator/faults",
            {"method": method, "path": path, "times": times, "action": action},
        )

    def user_id(self, external_id: str) -> str:
        req = urllib.request.Request(f"{self.url}/v2/apps/{APP_ID}/users/{external_id}")
        import base64

        token = base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode()
        req.add_header("authorization", f"Basic {token}")
        with urllib.request.urlopen(req, timeout=10) as resp:
            user_id: str = json.loads(resp.read())["user"]["id"]
        return user_id


def query_pairs(raw: str) -> list[list[str]]:
    """Decoded `key=value` pairs of a raw query, in order."""
    return [[k, v] for k, v in parse_qsl(raw, keep_blank_values=True)]


def body_json(entry: dict[str, Any]) -> Any:
    text = entry.get("body") or ""
    return json.loads(text) if text else None
