#!/usr/bin/env bash
# Builds every release artifact into dist/ (run by `make dist`, which installs the tools first):
#
#   dist/python/  abi3 wheels: manylinux2014 and musllinux_1_2, x86_64 and aarch64; the sdist
#   dist/npm/     sunco-X.Y.Z.tgz and sunco-linux-{x64,arm64}-{gnu,musl}-X.Y.Z.tgz
#   dist/c/       libconversations-X.Y.Z-<triple>.tar.gz, one per Linux target
#   dist/crate/   sunco-X.Y.Z.crate (`cargo package`; `cargo publish --dry-run` passed)
#   dist/MANIFEST.tsv, dist/SHA256SUMS
#
# Every target is cross-linked with zig (PyPI `ziglang`): maturin's --zig for the wheels,
# cargo-zigbuild for the C library and the Node addon. glibc targets link against glibc 2.17
# symbols. All of it goes to target/dist/{py,native,crate} (CARGO_TARGET_DIR), never into the
# debug builds' target/<host>/. Each cargo/maturin run holds $DIST_LOCK (flock on a shared lock file) so
# that builds never overlap on a small machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

: "${DIST_LOCK=flock /tmp/sunco-build.lock}"   # empty: no lock
# One cargo target dir per kind of build: maturin and cargo-zigbuild build the shared crates
# with different settings, and in one dir each would rebuild what the other left.
dist_target="$root/target/dist"
export CARGO_TARGET_DIR="$dist_target/native"
export PATH="$root/.venv/bin:$PATH"
# The Makefile exports the host triple for the debug builds; here every command names its target.
unset CARGO_BUILD_TARGET
export CARGO_TERM_COLOR=never

version=$(python3 scripts/dist/version.py)
major=${version%%.*}
sysroot=$(rustc --print sysroot)
host=$(rustc -vV | sed -n 's/^host: //p')
strip_tool="$sysroot/lib/rustlib/$host/bin/llvm-strip"
lock() { $DIST_LOCK "$@"; }
# zig links musl objects against a libc stub named `libc.so`; Alpine's own toolchain records
# musl's real SONAME, libc.musl-<arch>.so.1, which is also the name auditwheel's musllinux
# policy allows. Both load on Alpine (musl's loader maps either to itself); this writes the latter.
musl_needed() {
  local triple=$1; shift
  patchelf --replace-needed libc.so "libc.musl-${triple%%-*}.so.1" "$@"
}
step() { printf '\n== dist [%s, +%ss]: %s\n' "$(date -u +%H:%M:%S)" "$SECONDS" "$*"; }

# triple | zig target (glibc version) | wheel compatibility | npm platform
TARGETS=(
  "x86_64-unknown-linux-gnu|x86_64-unknown-linux-gnu.2.17|manylinux2014|linux-x64-gnu"
  "aarch64-unknown-linux-gnu|aarch64-unknown-linux-gnu.2.17|manylinux2014|linux-arm64-gnu"
  "x86_64-unknown-linux-musl|x86_64-unknown-linux-musl|musllinux_1_2|linux-x64-musl"
  "aarch64-unknown-linux-musl|aarch64-unknown-linux-musl|musllinux_1_2|linux-arm64-musl"
)
if [[ -n "${DIST_ONLY:-}" ]]; then   # DIST_ONLY=x86_64-unknown-linux-gnu: one target (a quick try)
  mapfile -t TARGETS < <(printf '%s\n' "${TARGETS[@]}" | grep "^$DIST_ONLY|")
fi

stage="$dist_target/stage"
rm -rf dist "$stage"
mkdir -p dist/python dist/npm dist/c dist/crate
mkdir -p "$stage"

for entry in "${TARGETS[@]}"; do
  IFS='|' read -r triple zig_target compat platform <<<"$entry"
  if [[ $triple == *musl ]]; then
    # musl's default static CRT cannot make shared objects (the .so, the .node, the wheel's
    # module); maturin sets the same flag for the wheel, so the dependencies are shared.
    export "CARGO_TARGET_$(tr 'a-z-' 'A-Z_' <<<"$triple")_RUSTFLAGS=-C target-feature=-crt-static"
  fi

  step "$triple: Python wheel ($compat)"
  CARGO_TARGET_DIR="$dist_target/py" lock maturin build --release --zig --target "$triple" \
    --compatibility "$compat" --manifest-path py/Cargo.toml --out dist/python
  if [[ $triple == *musl ]]; then
    wheel=$(ls dist/python/sunco-"$version"-*-musllinux_1_2_"${triple%%-*}".whl)
    unpacked="$stage/wheel-$triple"
    wheel unpack -d "$unpacked" "$wheel" >/dev/null
    musl_needed "$triple" "$unpacked"/sunco-"$version"/sunco/_native*.so
    wheel pack -d dist/python "$unpacked/sunco-$version" >/dev/null   # same name, new RECORD
  fi

  step "$triple: libconversations and the Node addon (cargo zigbuild --target $zig_target)"
  lock cargo zigbuild --release --locked --target "$zig_target" -p sunco-ffi -p sunco-node
  out="$CARGO_TARGET_DIR/$triple/release"

  step "$triple: npm package sunco-$platform"
  pkg="$stage/npm/$platform"
  mkdir -p "$pkg"
  cp "node/npm/$platform/package.json" "node/npm/$platform/README.md" LICENSE "$pkg/"
  "$strip_tool" --strip-all -o "$pkg/sunco.$platform.node" "$out/libsunco_node.so"
  [[ $triple != *musl ]] || musl_needed "$triple" "$pkg/sunco.$platform.node"
  (cd "$pkg" && npm pack --silent --pack-destination "$root/dist/npm" >/dev/null)

  step "$triple: C release tarball"
  name="libconversations-$version-$triple"
  c="$stage/c/$name"
  mkdir -p "$c/include" "$c/lib/pkgconfig" "$c/lib/cmake/conversations" "$c/share/doc/libconversations"
  cp include/conversations.h "$c/include/"
  "$strip_tool" --strip-all -o "$c/lib/libconversations.so.$version" "$out/libconversations.so"
  [[ $triple != *musl ]] || musl_needed "$triple" "$c/lib/libconversations.so.$version"
  ln -s "libconversations.so.$version" "$c/lib/libconversations.so.$major"
  ln -s "libconversations.so.$major" "$c/lib/libconversations.so"
  # Debug info out, symbols kept (the archive is linked by name).
  "$strip_tool" --strip-debug -o "$c/lib/libconversations.a" "$out/libconversations.a"
  # Relocatable: the .pc and the CMake package find the tree from where they are.
  sed -e 's|@PREFIX@|${pcfiledir}/../..|' -e "s|@VERSION@|$version|" ffi-c/conversations.pc.in \
    > "$c/lib/pkgconfig/conversations.pc"
  for f in conversationsConfig.cmake conversationsConfigVersion.cmake; do
    sed -e "s|@VERSION@|$version|g" -e "s|@MAJOR@|$major|g" "ffi-c/cmake/$f.in" \
      > "$c/lib/cmake/conversations/$f"
  done
  cp LICENSE CHANGELOG.md ffi-c/README.md "$c/share/doc/libconversations/"
  tar -C "$stage/c" --owner=0 --group=0 --numeric-owner -czf "dist/c/$name.tar.gz" "$name"
done

step "npm package sunco (the JavaScript and its loader; the addons are optional dependencies)"
main="$stage/npm/sunco"
mkdir -p "$main"
cp -r node/lib node/index.mjs node/native.js node/native.d.ts node/binding.js node/README.md \
  node/package.json LICENSE "$main/"
python3 - "$main/package.json" <<'EOF'
import json, pathlib, sys
path = pathlib.Path(sys.argv[1])
p = json.loads(path.read_text())
# What `napi prepublish` does: the main package carries no addon, it depends on one per platform.
p["files"] = [f for f in p["files"] if not f.endswith(".node")]
npm_dir = pathlib.Path("node/npm")
platforms = sorted(d.name for d in npm_dir.iterdir() if (d / "package.json").exists())
p["optionalDependencies"] = {f"sunco-{name}": p["version"] for name in platforms}
p.pop("devDependencies", None)
p.pop("scripts", None)
path.write_text(json.dumps(p, indent=2) + "\n")
EOF
(cd "$main" && npm pack --silent --pack-destination "$root/dist/npm" >/dev/null)

step "Python sdist"
CARGO_TARGET_DIR="$dist_target/py" lock maturin sdist --manifest-path py/Cargo.toml --out dist/python

step "Rust crate sunco: cargo publish --dry-run, then cargo package"
# --allow-dirty: the build may run in a working tree with uncommitted changes; a release is cut
# from a clean tag, where this changes nothing.
export CARGO_TARGET_DIR="$dist_target/crate"
lock cargo publish --dry-run --locked --allow-dirty -p sunco
cargo package --no-verify --locked --allow-dirty -p sunco   # the same archive, kept
cp "$CARGO_TARGET_DIR/package/sunco-$version.crate" dist/crate/
export CARGO_TARGET_DIR="$dist_target/native"

step "the emulator (release, host) for the checks"
# The same zig target as the host's artifacts above, so the shared C dependencies are reused.
emu_target=$host
[[ $host == *-linux-gnu ]] && emu_target=$host.2.17
lock cargo zigbuild --release --locked --target "$emu_target" -p sunco-emulator

step "manifest"
python3 scripts/dist/manifest.py dist
echo "dist: built in ${SECONDS}s"
