#!/usr/bin/env bash
# Runs Schemathesis (from .venv) against a fresh emulator started with the fuzzing seed
# (emulator/schemathesis-seed.json), on a free loopback port; stops the emulator afterwards.
# Usage: emulator/schemathesis-run.sh EMULATOR_BINARY SCHEMATHESIS_RUN_ARGS...
# The arguments are passed to `schemathesis run` after --url.
set -euo pipefail
bin=$1; shift
coproc EMU { exec "$bin" --port 0 --seed emulator/schemathesis-seed.json; }
emu_pid=$EMU_PID
trap 'kill "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true' EXIT
# The first line the emulator prints is its URL, once it listens: no sleep needed.
if ! read -r url <&"${EMU[0]}"; then
  echo "schemathesis-run: the emulator exited before printing its URL" >&2
  exit 1
fi
echo "schemathesis-run: emulator at $url" >&2
.venv/bin/schemathesis --config-file emulator/schemathesis.toml run --url "$url" "$@"
