"""What the per-group examples share: clients from the environment (as scripts/with-emulator.sh
sets it), the account client the seed's account key gives, and the emulator's controls (the
world outside the API: an SDK registering a device)."""

from __future__ import annotations

import json
import os
import urllib.request
from typing import Any

import sunco

APP_ID = os.environ.get("SUNCO_APP_ID", "demo-app")


def client() -> sunco.Client:
    """A client with the app key of $SUNCO_KEY_ID / $SUNCO_KEY_SECRET."""
    return sunco.Client.from_env()


def account_client() -> sunco.Client:
    """A client with the emulator seed's account key (apps and app keys need one)."""
    return sunco.Client.from_env(key_id="demo-account-key", key_secret="demo-account-secret")


def emulator_control(method: str, path: str, body: Any = None) -> Any:
    """One request to an emulator control (``/_emulator/...``); its JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(os.environ["SUNCO_BASE_URL"] + path, data=data, method=method)
    req.add_header("content-type", "application/json")
    with urllib.request.urlopen(req, timeout=10) as resp:
        text = resp.read().decode()
    return json.loads(text) if text else None


def custom_integration(c: sunco.Client, name: str = "Bot") -> str:
    """A new custom integration (its webhook goes nowhere: port 9 on loopback); its id."""
    made = (
        c.app(APP_ID)
        .integrations()
        .create(
            type="custom",
            display_name=name,
            webhooks=[{"target": "http://127.0.0.1:9/hook", "triggers": ["conversation:message"]}],
        )
        .integration
    )
    assert made is not None
    assert made.id is not None
    return made.id
