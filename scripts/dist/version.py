#!/usr/bin/env python3
"""One version for every package: the workspace version in Cargo.toml.

    version.py            print it
    version.py check      fail if any package or generated file says otherwise (make dist-check)
    version.py set X.Y.Z  write X.Y.Z everywhere (make version-set VERSION=X.Y.Z)

Where the version lives, beside Cargo.toml's [workspace.package] (the one place it is set):
  - Cargo.toml [workspace.dependencies] sunco: the version the bindings ask of the core crate
  - every crate of the workspace: `version.workspace = true` (nothing to write)
  - py/pyproject.toml: `dynamic = ["version"]`, so maturin takes the crate's (nothing to write)
  - node/package.json, node/package-lock.json, node/npm/*/package.json
  - node/native.js (napi writes the version its per-platform packages must have)
  - ffi-c/cbindgen.toml and so include/conversations.h: SUNCO_VERSION* macros
  - CHANGELOG.md: a section for the version
Standard library only (tomllib: Python >= 3.11).
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?$")


def workspace_version() -> str:
    return tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["package"]["version"]


def npm_package_files() -> list[Path]:
    return [ROOT / "node/package.json", *sorted((ROOT / "node/npm").glob("*/package.json"))]


def header_macros(version: str) -> list[str]:
    m = SEMVER.match(version)
    assert m, version
    major, minor, patch = m.groups()
    return [
        f"#define SUNCO_VERSION_MAJOR {major}",
        f"#define SUNCO_VERSION_MINOR {minor}",
        f"#define SUNCO_VERSION_PATCH {patch}",
        f'#define SUNCO_VERSION "{version}"',
    ]


MACRO = re.compile(r'^#define SUNCO_VERSION(?:_MAJOR|_MINOR|_PATCH)? (?:"[^"\n]*"|\d+)', re.M)
NATIVE_JS = re.compile(r"(bindingPackageVersion !== ')([^']*)(')|(expected )(\S+)( but got)")


def found_versions() -> list[tuple[str, str]]:
    """(where, version found) for every place that states the version."""
    out: list[tuple[str, str]] = []
    cargo = tomllib.loads((ROOT / "Cargo.toml").read_text())
    dep = cargo["workspace"]["dependencies"]["sunco"]
    out.append(("Cargo.toml [workspace.dependencies] sunco", dep["version"]))
    for member in cargo["workspace"]["members"]:
        pkg = tomllib.loads((ROOT / member / "Cargo.toml").read_text())["package"]
        if pkg.get("version") != {"workspace": True}:
            out.append((f"{member}/Cargo.toml (not version.workspace = true)", str(pkg.get("version"))))
    py = tomllib.loads((ROOT / "py/pyproject.toml").read_text())["project"]
    if "version" in py.get("dynamic", []):
        out.append(("py/pyproject.toml", workspace_version()))
    else:
        out.append(("py/pyproject.toml (version not dynamic)", str(py.get("version"))))
    for f in npm_package_files():
        p = json.loads(f.read_text())
        rel = str(f.relative_to(ROOT))
        out.append((rel, p["version"]))
        for name, want in p.get("optionalDependencies", {}).items():
            out.append((f"{rel} optionalDependencies {name}", want))
    lock = json.loads((ROOT / "node/package-lock.json").read_text())
    out.append(("node/package-lock.json", lock["version"]))
    out.append(('node/package-lock.json packages[""]', lock["packages"][""]["version"]))
    native = (ROOT / "node/native.js").read_text()
    for m in NATIVE_JS.finditer(native):
        out.append(("node/native.js", m.group(2) or m.group(5)))
    for rel in ("ffi-c/cbindgen.toml", "include/conversations.h"):
        text = (ROOT / rel).read_text()
        macros = MACRO.findall(text)
        v = re.search(r'#define SUNCO_VERSION "([^"]*)"', text)
        version = v.group(1) if v else "(no SUNCO_VERSION)"
        if macros != header_macros(version) if SEMVER.match(version) else True:
            version = f"(macros {macros})"
        out.append((rel, version))
    changelog = ROOT / "CHANGELOG.md"
    heads = re.findall(r"^## \[?(\d[^\]\s]*)\]?", changelog.read_text(), re.M) if changelog.exists() else []
    out.append(("CHANGELOG.md (latest section)", heads[0] if heads else "(none)"))
    return out


def check() -> int:
    want = workspace_version()
    if not SEMVER.match(want):
        print(f"version: Cargo.toml's workspace version {want!r} is not semver", file=sys.stderr)
        return 1
    bad = [(where, v) for where, v in found_versions() if v != want]
    for where, v in bad:
        print(f"version: {where} says {v}, Cargo.toml says {want}", file=sys.stderr)
    if bad:
        print("version: run `make version-set VERSION=" + want + "` (or the version you mean)", file=sys.stderr)
        return 1
    print(f"version: {want} everywhere ({len(found_versions())} places)")
    return 0


def set_version(new: str) -> int:
    if not SEMVER.match(new):
        print(f"version: {new!r} is not semver (X.Y.Z)", file=sys.stderr)
        return 1
    old = workspace_version()
    cargo = ROOT / "Cargo.toml"
    text = cargo.read_text()
    text = re.sub(r'(\[workspace\.package\]\n(?:[^\[].*\n)*?version = ")[^"]*(")', rf"\g<1>{new}\2", text, count=1)
    text = re.sub(r'^(sunco = \{ path = "core", version = ")[^"]*(")', rf"\g<1>{new}\2", text, count=1, flags=re.M)
    cargo.write_text(text)
    for f in npm_package_files():
        p = json.loads(f.read_text())
        p["version"] = new
        for name in p.get("optionalDependencies", {}):
            p["optionalDependencies"][name] = new
        f.write_text(json.dumps(p, indent=2) + "\n")
    lock_path = ROOT / "node/package-lock.json"
    lock = json.loads(lock_path.read_text())
    lock["version"] = new
    lock["packages"][""]["version"] = new
    lock_path.write_text(json.dumps(lock, indent=2) + "\n")
    native = ROOT / "node/native.js"
    native.write_text(
        NATIVE_JS.sub(lambda m: f"{m.group(1)}{new}{m.group(3)}" if m.group(1) else f"{m.group(4)}{new}{m.group(6)}",
                      native.read_text())
    )
    macros = iter(header_macros(new))
    for rel in ("ffi-c/cbindgen.toml", "include/conversations.h"):
        f = ROOT / rel
        macros = iter(header_macros(new))
        f.write_text(MACRO.sub(lambda _m: next(macros), f.read_text()))
    changelog = ROOT / "CHANGELOG.md"
    text = changelog.read_text()
    if not re.search(rf"^## \[?{re.escape(new)}\]?", text, re.M):
        text = re.sub(r"^## ", f"## {new} (unreleased)\n\n- \n\n## ", text, count=1, flags=re.M)
        changelog.write_text(text)
    print(f"version: {old} -> {new}; Cargo.lock follows at the next cargo build; fill in CHANGELOG.md")
    return check()


def main(argv: list[str]) -> int:
    if len(argv) == 1:
        print(workspace_version())
        return 0
    if argv[1:] == ["check"]:
        return check()
    if len(argv) == 3 and argv[1] == "set":
        return set_version(argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
