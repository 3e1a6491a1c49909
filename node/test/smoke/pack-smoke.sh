#!/usr/bin/env bash
# Packs the npm package, installs the tarball into a fresh directory (offline: it has no
# dependencies), then runs smoke.cjs and smoke.mjs there against a fresh emulator.
# Usage: node/test/smoke/pack-smoke.sh EMULATOR_BINARY
set -euo pipefail
emulator=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
pkg=$(cd "$here/../.." && pwd)
repo=$(cd "$pkg/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tarball=$(cd "$pkg" && npm pack --silent --pack-destination "$tmp" | tail -n 1)
echo "pack-smoke: $tarball, $(du -k "$tmp/$tarball" | cut -f1) KiB"
tar -tzf "$tmp/$tarball" | grep '^package/sunco\..*\.node$' >/dev/null || {
  echo "pack-smoke: the tarball has no .node binary" >&2
  exit 1
}

mkdir "$tmp/app"
cd "$tmp/app"
echo '{ "name": "sunco-smoke", "private": true }' > package.json
npm install --offline --no-audit --no-fund --silent "$tmp/$tarball"
cp "$here/smoke.cjs" "$here/smoke.mjs" .
"$repo/scripts/with-emulator.sh" "$emulator" node smoke.cjs
"$repo/scripts/with-emulator.sh" "$emulator" node smoke.mjs
