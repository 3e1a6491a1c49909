#!/usr/bin/env python3
"""Quick check of the packaging metadata (`make dist-check`, part of `make test`; no build).

The release targets are the same everywhere: scripts/dist/build.sh, node/package.json
`napi.targets`, node/npm/<platform>/ (with the os/cpu/libc that npm selects by), the loader's
list of platforms (node/binding.js); the npm main package ships its loader; the Python package
is abi3 with its metadata; the Rust crate has what crates.io needs and the other crates are not
published; the C build gives a SONAME and ships pkg-config and CMake files.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NPM_PLATFORM = {  # triple -> (npm platform, cpu, libc)
    "x86_64-unknown-linux-gnu": ("linux-x64-gnu", "x64", "glibc"),
    "x86_64-unknown-linux-musl": ("linux-x64-musl", "x64", "musl"),
    "aarch64-unknown-linux-gnu": ("linux-arm64-gnu", "arm64", "glibc"),
    "aarch64-unknown-linux-musl": ("linux-arm64-musl", "arm64", "musl"),
}
problems: list[str] = []


def need(ok: object, what: str) -> None:
    if not ok:
        problems.append(what)


def main() -> int:
    build_sh = (ROOT / "scripts/dist/build.sh").read_text()
    dist_triples = sorted(re.findall(r'^\s+"([a-z0-9_]+-unknown-linux-(?:gnu|musl))\|', build_sh, re.M))
    need(dist_triples, "scripts/dist/build.sh: no TARGETS found")

    # npm
    pkg = json.loads((ROOT / "node/package.json").read_text())
    need(sorted(pkg["napi"]["targets"]) == dist_triples,
         f"node/package.json napi.targets {pkg['napi']['targets']} != build.sh targets {dist_triples}")
    for f in ("lib/", "index.mjs", "binding.js", "native.js", "native.d.ts"):
        need(f in pkg["files"], f"node/package.json files lacks {f}")
    need(not pkg.get("dependencies"), "node/package.json: the package has runtime dependencies")
    need("optionalDependencies" not in pkg,
         "node/package.json: optionalDependencies are added by make dist, not committed")
    loader = (ROOT / "node/binding.js").read_text()
    need("require('./native.js')" in loader, "node/binding.js does not load native.js")
    need("require('../binding.js')" in (ROOT / "node/lib/index.js").read_text(),
         "node/lib/index.js does not load the addon through binding.js")
    dirs = sorted(d.name for d in (ROOT / "node/npm").iterdir() if d.is_dir())
    need(dirs == sorted(NPM_PLATFORM[t][0] for t in dist_triples if t in NPM_PLATFORM),
         f"node/npm/ has {dirs}")
    for triple in dist_triples:
        platform, cpu, libc = NPM_PLATFORM[triple]
        need(f"'{triple}'" in loader, f"node/binding.js does not name {triple}")
        p = ROOT / "node/npm" / platform / "package.json"
        if not p.exists():
            continue
        sub = json.loads(p.read_text())
        node_file = f"sunco.{platform}.node"
        need(sub["name"] == f"sunco-{platform}", f"{p}: name {sub['name']}")
        need(sub.get("os") == ["linux"] and sub.get("cpu") == [cpu] and sub.get("libc") == [libc],
             f"{p}: os/cpu/libc are {sub.get('os')}/{sub.get('cpu')}/{sub.get('libc')}")
        need(sub.get("main") == node_file and sub.get("files") == [node_file], f"{p}: main/files")
        need(sub.get("license") == pkg["license"] and sub.get("engines") == pkg["engines"],
             f"{p}: license/engines differ from the main package")
        native = (ROOT / "node/native.js").read_text()
        need(f"require('sunco-{platform}')" in native, f"node/native.js does not load sunco-{platform}")

    # Python
    py = tomllib.loads((ROOT / "py/pyproject.toml").read_text())
    project = py["project"]
    for key in ("name", "description", "readme", "requires-python", "license"):
        need(project.get(key), f"py/pyproject.toml: no project.{key}")
    need(py["tool"]["maturin"].get("strip") is True, "py/pyproject.toml: wheels not stripped")
    py_cargo = tomllib.loads((ROOT / "py/Cargo.toml").read_text())
    need("abi3-py39" in py_cargo["dependencies"]["pyo3"].get("features", []), "py: pyo3 is not abi3-py39")
    need(project.get("requires-python") == ">=3.9", "py: requires-python is not >=3.9 (abi3-py39)")

    # Rust crates
    ws = tomllib.loads((ROOT / "Cargo.toml").read_text())
    core = tomllib.loads((ROOT / "core/Cargo.toml").read_text())["package"]
    for key in ("description", "license", "readme", "repository", "keywords", "categories"):
        need(core.get(key), f"core/Cargo.toml: no {key}")
    need(core.get("publish", True) is not False, "core/Cargo.toml: publish = false")
    for member in ws["workspace"]["members"]:
        if member == "core":
            continue
        pkg_m = tomllib.loads((ROOT / member / "Cargo.toml").read_text())["package"]
        need(pkg_m.get("publish") is False, f"{member}/Cargo.toml: not publish = false")

    # C
    build_rs = (ROOT / "ffi-c/build.rs").read_text()
    need("-soname" in build_rs, "ffi-c/build.rs sets no SONAME")
    need("after_includes" in (ROOT / "ffi-c/cbindgen.toml").read_text(), "cbindgen.toml: no version macros")
    for f in ("ffi-c/conversations.pc.in", "ffi-c/cmake/conversationsConfig.cmake.in",
              "ffi-c/cmake/conversationsConfigVersion.cmake.in", "LICENSE", "CHANGELOG.md"):
        need((ROOT / f).exists(), f"{f} is missing")

    for p in problems:
        print(f"dist-check: {p}", file=sys.stderr)
    if problems:
        return 1
    print(f"dist-check: packaging metadata consistent for {len(dist_triples)} targets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
