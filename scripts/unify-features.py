"""Keeps every build of the workspace on one feature set, so `sunco` compiles once per profile.

Cargo resolves a dependency's features from the packages a command selects: `cargo test
--workspace`, `cargo build -p sunco-ffi`, maturin (`sunco-py`), napi (`sunco-node`) and
`-p sunco-bench` each turned on a different set of tokio, hyper, serde_json ... features, and
each set recompiled those crates and everything above them, `sunco` included (five times in a
fresh `make test`). `unify/` is a crate that depends on those crates with the union of the
features the whole workspace uses; every member that is built alone depends on it, so each
alone-build resolves to the workspace's set. (Cargo's own `resolver.feature-unification` does
this but is unstable in cargo 1.95.) The published `sunco` crate does not depend on it.

  python3 scripts/unify-features.py           rewrite unify/Cargo.toml's dependency lists
  python3 scripts/unify-features.py --check   fail when a member built alone would differ
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "unify" / "Cargo.toml"
# Members built alone by a make rule (cargo -p, maturin, napi); `sunco` alone only builds its
# examples and docs, which the workspace test build covers.
MEMBERS = ["sunco-ffi", "sunco-py", "sunco-node", "sunco-bench", "sunco-emulator"]
# Crates only built for the host (proc-macros' dependencies): unified as build-dependencies.
HOST = {"syn", "proc-macro2", "quote"}
# Crates of other platforms: never built here.
SKIP = {"windows-sys", "windows-targets", "wasm-bindgen", "js-sys", "web-sys"}
BEGIN, END = "# unify:begin", "# unify:end"
LINE = re.compile(r"^(\S+) v(\S+)(?: \([^)]*\))? \[([^\]]*)\]")


def tree(*args: str) -> dict[tuple[str, str], set[str]]:
    """`cargo tree` as {(crate, version): features} (the union over its nodes)."""
    out = subprocess.run(
        ["cargo", "tree", *args, "--target", "all", "--prefix", "none", "-f", "{p} [{f}]"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found: dict[tuple[str, str], set[str]] = {}
    for line in out.splitlines():
        m = LINE.match(line.replace(" (*)", "").replace(" (proc-macro)", ""))
        if m:
            found.setdefault((m[1], m[2]), set()).update(f for f in m[3].split(",") if f)
    return found


def differences() -> dict[tuple[str, str], set[str]]:
    """Crates whose features differ between the workspace build and some member built alone."""
    whole = tree("--workspace", "-e", "normal,build,dev")
    diff: dict[tuple[str, str], set[str]] = {}
    for member in MEMBERS:
        alone = tree("-p", member, "-e", "normal,build")
        for key, feats in alone.items():
            if key[0] not in SKIP and whole.get(key, set()) != feats:
                diff[key] = whole.get(key, set())
    return diff


def render(current: str, wanted: dict[tuple[str, str], set[str]]) -> str:
    def deps(host: bool) -> list[str]:
        lines = []
        for (name, version), feats in sorted(wanted.items()):
            if (name in HOST) == host:
                features = ", ".join(f'"{f}"' for f in sorted(feats) if f != "default")
                key = name if sum(1 for n, _ in wanted if n == name) == 1 else f"{name}-{version.split('.')[0]}"
                package = "" if key == name else f'package = "{name}", '
                nodefault = "" if "default" in feats else "default-features = false, "
                lines.append(f'{key} = {{ {package}version = "={version}", {nodefault}features = [{features}] }}')
        return lines

    body = "\n".join(
        [BEGIN, "[dependencies]", *deps(False), "", "[build-dependencies]", *deps(True), END]
    )
    return re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: body, current, flags=re.DOTALL)


def main() -> int:
    diff = differences()
    if "--check" in sys.argv:
        for (name, version), feats in sorted(diff.items()):
            print(f"unify: {name} {version} builds with other features when a member is built alone;"
                  f" the workspace uses [{', '.join(sorted(feats))}]: run `make unify`", file=sys.stderr)
        return 1 if diff else 0
    if not diff:
        print("unify: every member already builds with the workspace's features")
        return 0
    current = MANIFEST.read_text(encoding="utf-8")
    # Keep what unify/ already pins and add what differs now (the union of both).
    pinned = {}
    for m in re.finditer(r'^(\S+) = \{ (?:package = "(\S+)", )?version = "=(\S+)", (?:default-features = false, )?features = \[([^\]]*)\] \}', current, re.M):
        pinned[(m[2] or m[1], m[3])] = {f.strip().strip('"') for f in m[4].split(",") if f.strip()}
    whole = tree("--workspace", "-e", "normal,build,dev")
    wanted = {k: whole.get(k, set()) for k in {**pinned, **diff}}
    MANIFEST.write_text(render(current, wanted), encoding="utf-8")
    print(f"unify: wrote {MANIFEST.relative_to(ROOT)} ({len(wanted)} crates)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
