"""The installed package: where it comes from, what it exports, what importing it costs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Union

import sunco


def test_imports_the_installed_wheel_not_the_source_tree() -> None:
    path = Path(sunco.__file__).resolve()
    assert "site-packages" in path.parts, path
    assert sunco._native.__file__ is not None
    assert Path(sunco._native.__file__).name.endswith(".so")
    assert (path.parent / "py.typed").exists()
    assert (path.parent / "_native.pyi").exists()
    assert sunco.__version__ == sunco._native.CORE_VERSION


def test_exports() -> None:
    for name in sunco.__all__:
        assert getattr(sunco, name) is not None, name
    assert sunco.MetadataValue == Union[str, int, float, bool]
    namespace: dict[str, object] = {}
    exec("from sunco import *", namespace)
    assert set(sunco.__all__) <= set(namespace)


def test_import_is_light() -> None:
    code = "import sys, sunco; print(sorted({'typing', 'asyncio', 'json'} & set(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-I", "-c", code], check=True, capture_output=True, text=True
    )
    assert out.stdout.strip() == "[]"
