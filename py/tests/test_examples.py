"""The examples in examples/python run cleanly against the emulator."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
