#!/usr/bin/env python3
"""Writes DIST/MANIFEST.tsv (file, platform, size in bytes, sha256) and DIST/SHA256SUMS for every
artifact under DIST (default dist/). With --check, verifies the files against MANIFEST.tsv instead.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

PLATFORMS = [
    # (pattern on the file name, platform)
    (r"manylinux.*x86_64\.whl$", "linux x86_64 glibc>=2.17 (manylinux2014), CPython>=3.9 abi3"),
    (r"manylinux.*aarch64\.whl$", "linux aarch64 glibc>=2.17 (manylinux2014), CPython>=3.9 abi3"),
    (r"musllinux_1_2_x86_64\.whl$", "linux x86_64 musl>=1.2 (musllinux_1_2), CPython>=3.9 abi3"),
    (r"musllinux_1_2_aarch64\.whl$", "linux aarch64 musl>=1.2 (musllinux_1_2), CPython>=3.9 abi3"),
    (r"^sunco-[^-]+\.tar\.gz$", "source (Python sdist; builds with a Rust toolchain)"),
    (r"-linux-x64-gnu-.*\.tgz$", "linux x86_64 glibc>=2.17 (npm, Node.js>=18)"),
    (r"-linux-x64-musl-.*\.tgz$", "linux x86_64 musl (npm, Node.js>=18)"),
    (r"-linux-arm64-gnu-.*\.tgz$", "linux aarch64 glibc>=2.17 (npm, Node.js>=18)"),
    (r"-linux-arm64-musl-.*\.tgz$", "linux aarch64 musl (npm, Node.js>=18)"),
    (r"^sunco-[^-]+\.tgz$", "any (npm main package: JavaScript, types, loader)"),
    (r"x86_64-unknown-linux-gnu\.tar\.gz$", "linux x86_64 glibc>=2.17 (C library)"),
    (r"aarch64-unknown-linux-gnu\.tar\.gz$", "linux aarch64 glibc>=2.17 (C library)"),
    (r"x86_64-unknown-linux-musl\.tar\.gz$", "linux x86_64 musl (C library)"),
    (r"aarch64-unknown-linux-musl\.tar\.gz$", "linux aarch64 musl (C library)"),
    (r"\.crate$", "source (Rust crate)"),
]


def platform(name: str) -> str:
    for pattern, what in PLATFORMS:
        if re.search(pattern, name):
            return what
    return "?"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def artifacts(dist: Path) -> list[Path]:
    skip = {"MANIFEST.tsv", "SHA256SUMS"}
    return sorted(p for p in dist.rglob("*") if p.is_file() and p.name not in skip)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    args = [a for a in argv[1:] if a != "--check"]
    dist = Path(args[0] if args else "dist")
    manifest = dist / "MANIFEST.tsv"
    if check:
        rows = [line.split("\t") for line in manifest.read_text().splitlines()[1:]]
        listed = {r[0] for r in rows}
        bad = [f"{p.relative_to(dist)} not in the manifest" for p in artifacts(dist) if str(p.relative_to(dist)) not in listed]
        for name, _platform, size, digest in rows:
            p = dist / name
            if not p.is_file():
                bad.append(f"{name}: missing")
            elif p.stat().st_size != int(size) or sha256(p) != digest:
                bad.append(f"{name}: size or sha256 differs from the manifest")
        if any(r[1] == "?" for r in rows):
            bad.extend(f"{r[0]}: no platform known for it" for r in rows if r[1] == "?")
        for b in bad:
            print(f"manifest: {b}", file=sys.stderr)
        print(f"manifest: {len(rows)} files checked" if not bad else "manifest: FAILED")
        return 1 if bad else 0
    lines = ["file\tplatform\tsize\tsha256"]
    sums = []
    for p in artifacts(dist):
        rel = str(p.relative_to(dist))
        digest = sha256(p)
        lines.append(f"{rel}\t{platform(p.name)}\t{p.stat().st_size}\t{digest}")
        sums.append(f"{digest}  {rel}")
    manifest.write_text("\n".join(lines) + "\n")
    (dist / "SHA256SUMS").write_text("\n".join(sums) + "\n")
    print(manifest.read_text(), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
