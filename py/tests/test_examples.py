"""The examples in examples/python run cleanly against the emulator."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from emulator_control import APP_ID, KEY_ID, KEY_SECRET, Emulator

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"


@pytest.mark.parametrize("name", ["demo.py", "demo_async.py"])
def test_example_runs(emu: Emulator, name: str) -> None:
    env = {
        **os.environ,
        "SUNCO_BASE_URL": emu.url,
        "SUNCO_KEY_ID": KEY_ID,
        "SUNCO_KEY_SECRET": KEY_SECRET,
        "SUNCO_APP_ID": APP_ID,
    }
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "deleted" in out.stdout
    assert KEY_SECRET not in out.stdout + out.stderr


EXIT_AFTER_ASYNC_WORK = """
import asyncio, sys, sunco

async def main() -> None:
    url, key_id, secret = sys.argv[1:4]
    async with sunco.AsyncClient(base_url=url, key_id=key_id, key_secret=secret) as c:
        convs = c.conversations(sys.argv[4])
        conv = await convs.create(type="sdkGroup", participants=[{"user_external_id": "alice"}])
        for _ in range(20):
            await convs.list(user_external_id="alice", size=100)
        await asyncio.gather(*(convs.get(conv.id) for _ in range(200)))
        # Left in flight on purpose: the interpreter exits while the runtime still works on it.
        asyncio.get_running_loop().create_task(convs.get(conv.id))

asyncio.run(main())
print("clean exit")
"""


def test_interpreter_exit_right_after_async_work_is_clean(emu: Emulator) -> None:
    # Runtime threads used to attach to the interpreter while it finalized, aborting the
    # process (SIGABRT/SIGSEGV) in roughly one exit in ten; 15 exits make a regression loud.
    for _ in range(15):
        out = subprocess.run(
            [sys.executable, "-c", EXIT_AFTER_ASYNC_WORK, emu.url, KEY_ID, KEY_SECRET, APP_ID],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert out.returncode == 0, (out.returncode, out.stderr[-2000:])
        assert "clean exit" in out.stdout


ROOT = Path(__file__).resolve().parents[2]
README_URL = "http://127.0.0.1:8091"  # the emulator's address in the READMEs' examples


def readme_blocks() -> list[Any]:
    blocks = []
    for readme in (ROOT / "README.md", ROOT / "py" / "README.md"):
        text = readme.read_text()
        found = re.findall(r"^```python\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)
        for i, code in enumerate(found):
            blocks.append(pytest.param(code, id=f"{readme.relative_to(ROOT)}[{i}]"))
    return blocks


BLOCKS = readme_blocks()


def test_readmes_have_python_examples() -> None:
    # Guards against a heading or fence change that would make the test below run nothing.
    assert len([b for b in BLOCKS if "py/README.md" not in str(b.id)]) >= 3
    assert len([b for b in BLOCKS if "py/README.md" in str(b.id)]) >= 3


@pytest.mark.parametrize("code", BLOCKS)
def test_readme_python_block_runs_as_written(emu: Emulator, code: str) -> None:
    # As written, except for the emulator's address (the examples say 127.0.0.1:8091; this
    # suite's emulator listens on a free port).
    env = {
        **os.environ,
        "SUNCO_BASE_URL": emu.url,
        "SUNCO_KEY_ID": KEY_ID,
        "SUNCO_KEY_SECRET": KEY_SECRET,
    }
    for var in ("SUNCO_AUTH", "SUNCO_TOKEN", "SUNCO_REGION", "SUNCO_SUBDOMAIN"):
        env.pop(var, None)
    out = subprocess.run(
        [sys.executable, "-c", code.replace(README_URL, emu.url)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert KEY_SECRET not in out.stdout + out.stderr
    if "Client" in code:  # (a webhooks block only parses bodies: it has nothing to call)
        talked = any(r["path"].startswith("/v2/") for r in emu.requests())
        assert talked, "it talked to the emulator"
