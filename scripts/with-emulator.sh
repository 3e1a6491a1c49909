#!/usr/bin/env bash
# Runs a command against a fresh emulator on a free loopback port, then stops the emulator.
# Usage: scripts/with-emulator.sh EMULATOR_BINARY COMMAND [ARGS...]
# The command sees SUNCO_BASE_URL, SUNCO_KEY_ID, SUNCO_KEY_SECRET and SUNCO_APP_ID.
set -euo pipefail
bin=$1; shift
coproc EMU { exec "$bin" --port 0; }
emu_pid=$EMU_PID
trap 'kill "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true' EXIT
# The emulator prints its base URL as its first line once it is listening: no sleep needed.
if ! read -r url <&"${EMU[0]}"; then
  echo "with-emulator: the emulator exited before printing its URL" >&2
  exit 1
fi
export SUNCO_BASE_URL=$url SUNCO_KEY_ID=demo-key SUNCO_KEY_SECRET=demo-secret SUNCO_APP_ID=demo-app
echo "with-emulator: emulator at $url" >&2
"$@"
