"""Driver for the official Python client `sunshine-conversations-client` (PyPI), configured
with the same base URL and basic auth. Protocol: bench/README.md."""

import time

import _common as c

A = c.args()
WL = A["workload"]
T_MAIN = time.monotonic_ns()  # the client library's import starts here

import sunshine_conversations_client as scc  # noqa: E402

T_IMPORTED = time.monotonic_ns()

cfg = scc.Configuration(host=A["url"], username=A["key"], password=A["secret"])
if WL == "concurrent":
    # urllib3 keeps cpu_count*5 connections by default; let all the threads keep theirs.
    cfg.connection_pool_maxsize = int(A.get("conc", 64))
api = scc.ConversationsApi(scc.ApiClient(cfg))
APP = A["app"]
T_READY = time.monotonic_ns()


def get(cid: str) -> str:
    return api.get_conversation(APP, cid).conversation.id


def main() -> dict:
    if WL == "cold":
        return c.cold(T_MAIN, T_IMPORTED, T_READY, lambda: get(c.ids(A)[0]), A)
    if WL == "get":
        return c.sequential(get, A)
    if WL == "concurrent":
        # One ApiClient shared by the threads: its urllib3 PoolManager is thread-safe.
        return c.threaded(get, A)
    if WL == "list":
        get(c.ids(A)[0])
        user, size = A.get("user", "bench"), int(A.get("size", 100))

        def page(after: "str | None") -> "c.Page":
            p = scc.Page(size=size, after=after) if after else scc.Page(size=size)
            r = api.list_conversations(
                APP, scc.ConversationListFilter(user_external_id=user), page=p
            )
            more = r.meta.has_more
            return len(r.conversations or []), (r.meta.after_cursor if more else None)

        try:
            return c.walk(page, A)
        except scc.ApiException as e:
            if e.status != 400:
                raise
            title = ""
            try:
                import json

                title = json.loads(e.body)["errors"][0]["title"]
            except Exception:  # noqa: BLE001
                pass
            return {
                "workload": "list",
                "na": "400 from the server: filter/page are sent as URL-encoded JSON "
                f"(filter=%7B...%7D), not filter[...]= ({title})",
            }
    raise SystemExit(f"unknown workload {WL}")


c.emit(main())
