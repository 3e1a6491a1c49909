"""Sequential `get` latency against the emulator: `make bench-py` (release wheel).

Usage: get_latency.py [N]  (SUNCO_BASE_URL etc. as set by scripts/with-emulator.sh)
"""

from __future__ import annotations

import statistics
import sys
import time

import sunco


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with sunco.Client.from_env() as client:
        convs = client.conversations("demo-app")
        conv = convs.create(type="sdkGroup", participants=[{"user_external_id": "alice"}])
        for _ in range(200):  # warm up: connection, allocator, caches
            convs.get(conv.id)
        samples = []
        for _ in range(n):
            start = time.perf_counter_ns()
            convs.get(conv.id)
            samples.append((time.perf_counter_ns() - start) / 1000)
    samples.sort()
    print(
        f"sync get x{n}: mean {statistics.fmean(samples):.1f} us, "
        f"p50 {samples[n // 2]:.1f} us, p99 {samples[int(n * 0.99)]:.1f} us"
    )


if __name__ == "__main__":
    main()
