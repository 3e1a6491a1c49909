#!/usr/bin/env bash
# Checks what scripts/dist/build.sh put into dist/ (run by `make dist` after the build;
# `make dist-verify` runs it alone on an existing dist/):
#
#   - the manifest matches the files; every expected artifact is there
#   - auditwheel show: manylinux2014 / musllinux_1_2 for each wheel, as its file name says
#   - every glibc .so / .node needs no glibc symbol newer than 2.17; SONAME of libconversations
#   - Python: the x86_64 glibc wheel in a fresh venv runs examples/python against the emulator;
#     the sdist builds from scratch (pip, isolated build) in a fresh venv and runs them too
#   - npm: the tarballs served by a throwaway registry on 127.0.0.1 (no other registry asked);
#     `npm install sunco` into an empty directory picks sunco-linux-x64-gnu here and no other;
#     require + import and the demo run against the emulator; a faked unsupported platform
#     gets the error that lists the platforms
#   - C: the x86_64 glibc tarball unpacked; a pkg-config consumer (shared and static) and a
#     CMake consumer (find_package, shared and static targets, C++ with the version macros)
#     build and run the demo against the emulator; the x86_64 musl tarball likewise with
#     musl-gcc (shared) and zig cc (static)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
: "${DIST_LOCK=flock /tmp/sunco-build.lock}"   # empty: no lock
export PATH="$root/.venv/bin:$PATH"
unset CARGO_BUILD_TARGET
version=$(python3 scripts/dist/version.py)
major=${version%%.*}
host=$(rustc -vV | sed -n 's/^host: //p')
emulator="$root/target/dist/native/$host/release/sunco-emulator"
with_emulator() { "$root/scripts/with-emulator.sh" "$emulator" "$@"; }
step() { printf '\n== dist-verify [%s, +%ss]: %s\n' "$(date -u +%H:%M:%S)" "$SECONDS" "$*"; }
fail() { echo "dist-verify: $*" >&2; exit 1; }
lock() { $DIST_LOCK "$@"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[[ -x $emulator ]] || fail "no release emulator at $emulator (run make dist)"

step "manifest"
python3 scripts/dist/manifest.py --check dist
expect=(
  "python/sunco-$version.tar.gz"
  "npm/sunco-$version.tgz"
  "crate/sunco-$version.crate"
)
for p in linux-x64-gnu linux-x64-musl linux-arm64-gnu linux-arm64-musl; do
  expect+=("npm/sunco-$p-$version.tgz")
done
for t in x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl; do
  expect+=("c/libconversations-$version-$t.tar.gz")
done
for f in "${expect[@]}"; do [[ -f dist/$f ]] || fail "dist/$f is missing"; done
wheels=(dist/python/*.whl)
[[ ${#wheels[@]} -eq 4 ]] || fail "expected 4 wheels, found ${#wheels[@]}"

step "auditwheel show"
for w in "${wheels[@]}"; do
  case "$w" in
    *manylinux2014_x86_64*|*manylinux2014_aarch64*) want='"manylinux_2_17_(x86_64|aarch64)"' ;;
    *musllinux_1_2_x86_64*|*musllinux_1_2_aarch64*) want='"musllinux_1_2_(x86_64|aarch64)"' ;;
    *) fail "$w: not a manylinux2014 or musllinux_1_2 wheel" ;;
  esac
  report=$(auditwheel show "$w")
  echo "$report" | sed "s|^|  |"
  # auditwheel names manylinux2014 by its PEP 600 alias, manylinux_2_17.
  grep -Eq "consistent with the following platform tag: $want" <<<"$(tr -s '\n ' '  ' <<<"$report")" \
    || fail "$w: auditwheel does not report the tag its name claims"
done

step "glibc symbol versions (<= 2.17), musl's libc name, the SONAME"
mkdir -p "$tmp/npm-unpacked"
for p in linux-x64-gnu linux-arm64-gnu linux-x64-musl linux-arm64-musl; do
  mkdir -p "$tmp/npm-unpacked/$p" && tar -C "$tmp/npm-unpacked/$p" -xzf "dist/npm/sunco-$p-$version.tgz"
done
for t in x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl; do
  mkdir -p "$tmp/c/$t" && tar -C "$tmp/c/$t" -xzf "dist/c/libconversations-$version-$t.tar.gz"
  lib="$tmp/c/$t/libconversations-$version-$t/lib"
  for f in include/conversations.h lib/libconversations.a lib/pkgconfig/conversations.pc \
           lib/cmake/conversations/conversationsConfig.cmake lib/cmake/conversations/conversationsConfigVersion.cmake; do
    [[ -e "$lib/../$f" ]] || fail "$t tarball: no $f"
  done
  [[ $(readlink "$lib/libconversations.so") == "libconversations.so.$major" ]] || fail "$t: libconversations.so is not a link to .so.$major"
  [[ $(readlink "$lib/libconversations.so.$major") == "libconversations.so.$version" ]] || fail "$t: .so.$major is not a link to .so.$version"
  soname=$(readelf -d "$lib/libconversations.so.$version" | grep SONAME)
  echo "  $t: $soname"
  grep -q "\[libconversations.so.$major\]" <<<"$soname" || fail "$t: SONAME is not libconversations.so.$major"
  if [[ $t == *musl ]]; then
    arch=${t%%-*}; np=${arch/x86_64/x64}; np=${np/aarch64/arm64}
    needed=$(readelf -d "$lib/libconversations.so.$version" "$tmp/npm-unpacked/linux-$np-musl/package/"*.node | grep NEEDED)
    grep -q "\[libc.musl-$arch.so.1\]" <<<"$needed" || fail "$t: no NEEDED libc.musl-$arch.so.1"
    ! grep -q '\[libc.so\]' <<<"$needed" || fail "$t: a musl object needs libc.so, not musl's SONAME"
  fi
  echo "  $t: libconversations.so.$version $(du -h "$lib/libconversations.so.$version" | cut -f1), libconversations.a $(du -h "$lib/libconversations.a" | cut -f1)"
done
for f in "$tmp"/c/*-gnu/*/lib/libconversations.so.*.*.* "$tmp"/npm-unpacked/*-gnu/package/*.node; do
  newest=$(readelf --dyn-syms -W "$f" | grep -o 'GLIBC_[0-9.]*' | sort -u -V | tail -n 1)
  echo "  $(basename "$f"): newest glibc symbol $newest"
  [[ $(printf '%s\n' "$newest" GLIBC_2.17 | sort -V | tail -n 1) == GLIBC_2.17 ]] || fail "$f needs $newest"
done
for f in "$tmp"/npm-unpacked/*/package/*.node; do
  sections=$(readelf -S -W "$f")
  if grep -Eq '\.(debug_info|symtab) ' <<<"$sections"; then fail "$f is not stripped"; fi
done

step "Python: the x86_64 glibc wheel in a fresh venv, examples/python against the emulator"
python3 -m venv "$tmp/venv-wheel"
"$tmp/venv-wheel/bin/pip" install --quiet --disable-pip-version-check --no-index dist/python/sunco-"$version"-*manylinux2014_x86_64*.whl
(cd "$tmp" && "$tmp/venv-wheel/bin/python" -c 'import sunco, sys; print("  sunco", sunco.__version__ if hasattr(sunco, "__version__") else "", "from", sunco.__file__)')
with_emulator "$tmp/venv-wheel/bin/python" examples/python/demo.py
with_emulator "$tmp/venv-wheel/bin/python" examples/python/demo_async.py

step "Python: the sdist built from scratch in a fresh venv (pip, isolated build: maturin from PyPI)"
python3 -m venv "$tmp/venv-sdist"
# A new cargo target dir too: every crate compiled from the sdist's sources (minutes).
CARGO_TARGET_DIR="$tmp/sdist-target" $DIST_LOCK \
  "$tmp/venv-sdist/bin/pip" install --quiet --disable-pip-version-check --no-cache-dir "dist/python/sunco-$version.tar.gz"
with_emulator "$tmp/venv-sdist/bin/python" examples/python/demo.py

step "npm: install from a throwaway registry on 127.0.0.1 serving only dist/npm"
app="$tmp/npm-app"
mkdir -p "$app"
coproc REG { exec python3 scripts/dist/npm_registry.py dist/npm; }
reg_pid=$REG_PID
read -r registry <&"${REG[0]}"
echo "  registry at $registry"
(
  cd "$app"
  echo '{ "name": "sunco-dist-check", "private": true }' > package.json
  npm install --no-audit --no-fund --loglevel=error --registry "$registry" \
    --cache "$tmp/npm-cache" "sunco@$version"
)
kill "$reg_pid"; wait "$reg_pid" 2>/dev/null || true
ls "$app/node_modules" | sed 's/^/  node_modules\//'
[[ -d $app/node_modules/sunco-linux-x64-gnu ]] || fail "npm did not install sunco-linux-x64-gnu"
for p in linux-x64-musl linux-arm64-gnu linux-arm64-musl; do
  [[ ! -e $app/node_modules/sunco-$p ]] || fail "npm installed sunco-$p here"
done
echo "  sunco packed $(du -h "dist/npm/sunco-$version.tgz" | cut -f1), unpacked $(du -sh "$app/node_modules/sunco" | cut -f1);" \
  "sunco-linux-x64-gnu packed $(du -h "dist/npm/sunco-linux-x64-gnu-$version.tgz" | cut -f1), unpacked $(du -sh "$app/node_modules/sunco-linux-x64-gnu" | cut -f1)"
cp node/test/smoke/smoke.cjs node/test/smoke/smoke.mjs examples/node/demo.js "$app/"
(cd "$app" && with_emulator node smoke.cjs && with_emulator node smoke.mjs && with_emulator node demo.js)
# An unsupported platform: the loader sees another architecture.
echo "Object.defineProperty(process, 'arch', { value: 'riscv64' });" > "$app/fake-arch.cjs"
if msg=$(cd "$app" && node -r ./fake-arch.cjs -e "require('sunco')" 2>&1); then
  fail "require('sunco') worked on a faked riscv64"
fi
grep -q "sunco ships addons for: linux-x64-gnu" <<<"$msg" || { echo "$msg" >&2; fail "the unsupported-platform error does not list the platforms"; }
echo "  $(grep -m1 -o 'sunco: no native addon.*Alpine)' <<<"$msg" || true)"

step "C: the x86_64 glibc tarball with pkg-config and CMake"
prefix="$tmp/c/x86_64-unknown-linux-gnu/libconversations-$version-x86_64-unknown-linux-gnu"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
[[ $(pkg-config --modversion conversations) == "$version" ]] || fail "pkg-config --modversion is not $version"
lock cc -std=c99 -Wall -Wextra -Werror -pedantic examples/c/demo.c \
  $(pkg-config --cflags --libs conversations) -Wl,-rpath,"$prefix/lib" -o "$tmp/demo-pc-shared"
lock cc -std=c99 -Wall -Wextra -Werror -pedantic examples/c/demo.c $(pkg-config --cflags conversations) \
  $(pkg-config --static --libs conversations | sed 's/-lconversations/-l:libconversations.a/') -o "$tmp/demo-pc-static"
# (ldd into a variable first: grep -q closing the pipe early would fail it under pipefail)
deps=$(ldd "$tmp/demo-pc-shared")
grep -q "libconversations.so.$major => $prefix/lib/libconversations.so.$major" <<<"$deps" \
  || { echo "$deps" >&2; fail "demo-pc-shared does not load the tarball's libconversations.so.$major"; }
deps=$(ldd "$tmp/demo-pc-static")
! grep -q libconversations <<<"$deps" || fail "demo-pc-static is not static"
with_emulator "$tmp/demo-pc-shared" >/dev/null
with_emulator "$tmp/demo-pc-static" >/dev/null
echo "  pkg-config consumer: shared and static demo ran"
cmake -S scripts/dist/cmake-consumer -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_BUILD_RPATH="$prefix/lib" >"$tmp/cmake.log" || { cat "$tmp/cmake.log"; fail "cmake configure"; }
grep "libconversations" "$tmp/cmake.log" | sed 's/^/  /'
lock cmake --build "$tmp/cmake-build" >>"$tmp/cmake.log" || { cat "$tmp/cmake.log"; fail "cmake build"; }
[[ $("$tmp/cmake-build/version_cpp") == "$version $version" ]] || fail "version macros: $("$tmp/cmake-build/version_cpp")"
with_emulator "$tmp/cmake-build/demo_shared" >/dev/null
with_emulator "$tmp/cmake-build/demo_static" >/dev/null
echo "  CMake consumer: find_package(conversations $version), shared and static demo ran, C++ sees $("$tmp/cmake-build/version_cpp")"

step "C: the x86_64 musl tarball, shared with musl-gcc and static with zig cc (musl's own unwinder)"
mp="$tmp/c/x86_64-unknown-linux-musl/libconversations-$version-x86_64-unknown-linux-musl"
lock musl-gcc -std=c99 -Wall -Wextra -Werror -pedantic -I"$mp/include" examples/c/demo.c \
  -L"$mp/lib" -lconversations -Wl,-rpath,"$mp/lib" -o "$tmp/demo-musl-shared"
lock python3 -m ziglang cc -target x86_64-linux-musl -static -I"$mp/include" examples/c/demo.c \
  "$mp/lib/libconversations.a" -lunwind -o "$tmp/demo-musl-static"
grep -q 'ld-musl-x86_64' <<<"$(readelf -l "$tmp/demo-musl-shared")" || fail "demo-musl-shared is not a musl program"
with_emulator "$tmp/demo-musl-shared" >/dev/null
with_emulator "$tmp/demo-musl-static" >/dev/null
echo "  musl consumer: shared (ld-musl) and static demo ran"

echo
echo "dist-verify: all checks passed (${SECONDS}s)"
