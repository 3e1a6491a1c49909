"""The per-group examples (examples/python/api/) and the bot (examples/python/bot.py, through
the demo harness scripts/bot-demo.py) run cleanly against the emulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from emulator_control import APP_ID, KEY_ID, KEY_SECRET, Emulator

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "python" / "api"
GROUPS = sorted(p.name for p in EXAMPLES.glob("[a-z]*.py"))


def test_one_example_per_group() -> None:
    manifest = json.loads((ROOT / "api.json").read_text())
    assert len(manifest["groups"]) == 17
    # Every group's example calls at least one of the group's operations by its Python name.
    text = "\n".join((EXAMPLES / g).read_text() for g in GROUPS)
    for group in manifest["groups"]:
        ops = [o for o in manifest["operations"] if o["group"] == group]
        methods = {o["names"]["python"].rsplit(".", 1)[-1] for o in ops}
        assert any(f".{m}(" in text for m in methods), group
    assert len(GROUPS) >= 17


@pytest.mark.parametrize("name", GROUPS)
def test_group_example_runs(emu: Emulator, name: str) -> None:
    env = {
        **os.environ,
        "SUNCO_BASE_URL": emu.url,
        "SUNCO_KEY_ID": KEY_ID,
        "SUNCO_KEY_SECRET": KEY_SECRET,
        "SUNCO_APP_ID": APP_ID,
    }
    env.pop("PYTHONSAFEPATH", None)  # the examples import their helper from their folder
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip(), "the example printed what it did"
    assert KEY_SECRET not in out.stdout + out.stderr
    assert "demo-account-secret" not in out.stdout + out.stderr


def test_bot_answers_end_to_end() -> None:
    """The bot contract, checked by the shared harness: a reply with two quick replies to
    `hello`, the handoff to `agent`, every delivery answered 2xx, exit 0 on SIGTERM."""
    emulator = os.environ["SUNCO_EMULATOR"]
    bot = [sys.executable, str(ROOT / "examples" / "python" / "bot.py")]
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bot-demo.py"), "--emulator", emulator, "--", *bot],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, (out.stdout + out.stderr)[-4000:]
    assert "bot-demo: ok" in out.stdout + out.stderr
    assert "You said: hello" in out.stdout


def test_the_http_server_webhook_example() -> None:
    """examples/python/webhook_server.py answers 200 to a signed body, 401 without the secret,
    400 to a malformed body, and prints each event."""
    import urllib.error
    import urllib.request

    env = {**os.environ, "WEBHOOK_SECRET": "s3", "PORT": "0"}
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "examples" / "python" / "webhook_server.py")],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("listening on 127.0.0.1:"), line
        url = "http://" + line.split()[-1] + "/"
        examples = json.loads((ROOT / "tests" / "webhooks" / "spec_examples.json").read_text())
        body = json.dumps(examples["examples"]["conversation:message"]).encode()

        def post(data: bytes, secret: str | None) -> int:
            req = urllib.request.Request(url, data=data, method="POST")
            if secret is not None:
                req.add_header("X-API-Key", secret)
            try:
                with urllib.request.urlopen(req, timeout=10) as resp:
                    return int(resp.status)
            except urllib.error.HTTPError as e:
                return int(e.code)

        assert post(body, "s3") == 200
        assert proc.stdout.readline().startswith("message: ")
        assert post(body, None) == 401
        assert post(body, "wrong") == 401
        assert post(b"{not json", "s3") == 400
    finally:
        proc.terminate()
        proc.wait(timeout=10)
