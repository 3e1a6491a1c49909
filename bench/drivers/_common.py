"""Shared helpers of the Python drivers (stdlib only): arguments, clocks, the three workload
loops, and the one JSON line every driver prints. See bench/README.md for the protocol."""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Awaitable
from typing import Any, Callable, Optional


def args() -> dict[str, str]:
    """`key=value` arguments after the script name."""
    return dict(a.split("=", 1) for a in sys.argv[1:] if "=" in a)


def ids(a: dict[str, str]) -> list[str]:
    with open(a["ids"]) as f:
        out = [line.strip() for line in f if line.strip()]
    if not out:
        raise SystemExit(f"ids={a['ids']} is empty")
    return out


def cpu_ns() -> int:
    """User + system CPU of this process so far, from getrusage."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return int((ru.ru_utime + ru.ru_stime) * 1e9)


def emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def check(want: str, got: str) -> None:
    if want != got:
        raise RuntimeError(f"asked for conversation {want}, got {got}")


def sequential(get: Callable[[str], str], a: dict[str, str]) -> dict[str, Any]:
    """(a) n gets, one after another; `get` returns the id it received."""
    ids_ = ids(a)
    n, warm = int(a.get("n", 5000)), int(a.get("warmup", 100))
    k = len(ids_)
    for i in range(warm):
        check(ids_[i % k], get(ids_[i % k]))
    lat = []
    clock = time.perf_counter_ns
    cpu0, t0 = cpu_ns(), clock()
    for i in range(n):
        cid = ids_[i % k]
        s = clock()
        got = get(cid)
        lat.append(clock() - s)
        check(cid, got)
    t1, cpu1 = clock(), cpu_ns()
    return {
        "workload": "get",
        "requests": n,
        "wall_ns": t1 - t0,
        "cpu_ns": cpu1 - cpu0,
        "lat_ns": lat,
    }


def threaded(get: Callable[[str], str], a: dict[str, str]) -> dict[str, Any]:
    """(c) n gets with `conc` in flight: a ThreadPoolExecutor(conc) whose conc workers each take
    the next index until all are done."""
    import itertools
    import threading
    from concurrent.futures import ThreadPoolExecutor

    ids_ = ids(a)
    n, conc = int(a.get("n", 10000)), int(a.get("conc", 64))
    k = len(ids_)
    clock = time.perf_counter_ns

    def run(total: int) -> list[int]:
        counter = itertools.count()  # next() on it is atomic under the GIL
        lock = threading.Lock()
        out: list[int] = []

        def worker() -> None:
            mine = []
            while True:
                i = next(counter)
                if i >= total:
                    break
                cid = ids_[i % k]
                s = clock()
                got = get(cid)
                mine.append(clock() - s)
                check(cid, got)
            with lock:
                out.extend(mine)

        with ThreadPoolExecutor(conc) as pool:
            for f in [pool.submit(worker) for _ in range(conc)]:
                f.result()
        return out

    run(max(int(a.get("warmup", 100)), conc))
    cpu0, t0 = cpu_ns(), clock()
    lat = run(n)
    t1, cpu1 = clock(), cpu_ns()
    return {
        "workload": "concurrent",
        "requests": n,
        "concurrency": conc,
        "wall_ns": t1 - t0,
        "cpu_ns": cpu1 - cpu0,
        "lat_ns": lat,
    }


async def gathered(get: Callable[[str], Awaitable[str]], a: dict[str, str]) -> dict[str, Any]:
    """(c) for asyncio: asyncio.gather over n coroutines, a Semaphore(conc) bounding those in
    flight."""
    import asyncio

    ids_ = ids(a)
    n, conc = int(a.get("n", 10000)), int(a.get("conc", 64))
    k = len(ids_)
    clock = time.perf_counter_ns

    async def run(total: int) -> list[int]:
        sem = asyncio.Semaphore(conc)

        async def one(i: int) -> int:
            cid = ids_[i % k]
            async with sem:
                s = clock()
                got = await get(cid)
                d = clock() - s
            check(cid, got)
            return d

        return list(await asyncio.gather(*(one(i) for i in range(total))))

    await run(max(int(a.get("warmup", 100)), conc))
    cpu0, t0 = cpu_ns(), clock()
    lat = await run(n)
    t1, cpu1 = clock(), cpu_ns()
    return {
        "workload": "concurrent",
        "requests": n,
        "concurrency": conc,
        "wall_ns": t1 - t0,
        "cpu_ns": cpu1 - cpu0,
        "lat_ns": lat,
    }


Page = tuple[int, Optional[str]]  # (conversations on the page, cursor of the next one or None)


def walk(list_page: Callable[[str | None], Page], a: dict[str, str]) -> dict[str, Any]:
    """(b) every page of the user's conversations; `list_page(after)` fetches one page."""
    expect = int(a.get("expect", 0))
    clock = time.perf_counter_ns
    lat, items, after = [], 0, None
    cpu0, t0 = cpu_ns(), clock()
    while True:
        s = clock()
        count, after = list_page(after)
        lat.append(clock() - s)
        items += count
        if after is None:
            break
    t1, cpu1 = clock(), cpu_ns()
    if expect and items != expect:
        raise RuntimeError(f"walked {items} conversations, expected {expect}")
    return {
        "workload": "list",
        "requests": len(lat),
        "items": items,
        "wall_ns": t1 - t0,
        "cpu_ns": cpu1 - cpu0,
        "lat_ns": lat,
    }


async def awalk(
    list_page: Callable[[str | None], Awaitable[Page]], a: dict[str, str]
) -> dict[str, Any]:
    """(b) for asyncio: like `walk`, awaiting each page."""
    expect = int(a.get("expect", 0))
    clock = time.perf_counter_ns
    lat, items, after = [], 0, None
    cpu0, t0 = cpu_ns(), clock()
    while True:
        s = clock()
        count, after = await list_page(after)
        lat.append(clock() - s)
        items += count
        if after is None:
            break
    t1, cpu1 = clock(), cpu_ns()
    if expect and items != expect:
        raise RuntimeError(f"walked {items} conversations, expected {expect}")
    return {
        "workload": "list",
        "requests": len(lat),
        "items": items,
        "wall_ns": t1 - t0,
        "cpu_ns": cpu1 - cpu0,
        "lat_ns": lat,
    }


def cold(
    t_main: int, t_imported: int, t_ready: int, first: Callable[[], str], a: dict[str, str]
) -> dict[str, Any]:
    """(d) timestamps (CLOCK_MONOTONIC): driver start, client library imported, client made,
    first answer."""
    want = ids(a)[0]
    check(want, first())
    return {
        "workload": "cold",
        "requests": 1,
        "t_main_ns": t_main,
        "t_imported_ns": t_imported,
        "t_ready_ns": t_ready,
        "t_first_ns": time.monotonic_ns(),
    }
