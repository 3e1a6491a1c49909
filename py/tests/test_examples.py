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
