"""Driver for the Python binding `sunco`: mode=sync (sunco.Client) or mode=async
(sunco.AsyncClient). Protocol: bench/README.md."""

import time

import _common as c

A = c.args()
WL = A["workload"]
T_MAIN = time.monotonic_ns()  # the client library's import starts here

import sunco  # noqa: E402

T_IMPORTED = time.monotonic_ns()

KW = {"base_url": A["url"], "key_id": A["key"], "key_secret": A["secret"], "max_retries": 0}
USER, SIZE = A.get("user", "bench"), int(A.get("size", 100))


def sync_main() -> dict:
    with sunco.Client(**KW) as client:
        return sync_run(client)


def sync_run(client: "sunco.Client") -> dict:
    convs = client.conversations(A["app"])
    t_ready = time.monotonic_ns()

    def get(cid: str) -> str:
        return convs.get(cid).id

    if WL == "cold":
        return c.cold(T_MAIN, T_IMPORTED, t_ready, lambda: get(c.ids(A)[0]), A)
    if WL == "get":
        return c.sequential(get, A)
    if WL == "concurrent":
        return c.threaded(get, A)
    if WL == "list":
        get(c.ids(A)[0])  # warm-up: opens the connection

        def page(after: "str | None") -> "c.Page":
            p = convs.list(user_external_id=USER, size=SIZE, after=after)
            return len(p.conversations), (p.after_cursor if p.has_more else None)

        return c.walk(page, A)
    raise SystemExit(f"unknown workload {WL}")


async def async_main() -> dict:
    async with sunco.AsyncClient(**KW) as client:
        return await async_run(client)


async def async_run(client: "sunco.AsyncClient") -> dict:
    convs = client.conversations(A["app"])
    t_ready = time.monotonic_ns()

    async def get(cid: str) -> str:
        return (await convs.get(cid)).id

    if WL == "cold":
        got = await get(c.ids(A)[0])
        return c.cold(T_MAIN, T_IMPORTED, t_ready, lambda: got, A)
    if WL == "get":
        ids_ = c.ids(A)
        n, k = int(A.get("n", 5000)), len(ids_)
        for i in range(int(A.get("warmup", 100))):
            c.check(ids_[i % k], await get(ids_[i % k]))
        clock = time.perf_counter_ns
        lat = []
        cpu0, t0 = c.cpu_ns(), clock()
        for i in range(n):
            cid = ids_[i % k]
            s = clock()
            got = await get(cid)
            lat.append(clock() - s)
            c.check(cid, got)
        t1, cpu1 = clock(), c.cpu_ns()
        return {
            "workload": "get",
            "requests": n,
            "wall_ns": t1 - t0,
            "cpu_ns": cpu1 - cpu0,
            "lat_ns": lat,
        }
    if WL == "concurrent":
        return await c.gathered(get, A)
    if WL == "list":
        await get(c.ids(A)[0])

        async def page(after: "str | None") -> "c.Page":
            p = await convs.list(user_external_id=USER, size=SIZE, after=after)
            return len(p.conversations), (p.after_cursor if p.has_more else None)

        return await c.awalk(page, A)
    raise SystemExit(f"unknown workload {WL}")


if A.get("mode", "sync") == "async":
    import asyncio

    c.emit(asyncio.run(async_main()))
else:
    c.emit(sync_main())
