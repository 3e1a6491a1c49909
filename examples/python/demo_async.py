"""The same tour with the asyncio client: every call is awaited and never blocks the loop.

Run it against the local emulator with `make demo-py`, or point it anywhere with
SUNCO_BASE_URL, SUNCO_KEY_ID, SUNCO_KEY_SECRET and SUNCO_APP_ID.
"""

from __future__ import annotations

import asyncio
import os

import sunco


async def main() -> None:
    client = sunco.AsyncClient(
        base_url=os.environ.get("SUNCO_BASE_URL", "http://127.0.0.1:8091"),
        key_id=os.environ.get("SUNCO_KEY_ID", "demo-key"),
        key_secret=os.environ.get("SUNCO_KEY_SECRET", "demo-secret"),
    )
    app_id = os.environ.get("SUNCO_APP_ID", "demo-app")

    async with client:
        convs = client.conversations(app_id)

        conv = await convs.create(
            type="sdkGroup",
            participants=[{"user_external_id": "alice"}, {"user_external_id": "bob"}],
            display_name="Support",
            icon_url="https://example.com/icon.png",
        )
        print(f"created  {conv!r}")

        # Many calls at once: they share one connection pool.
        fetched = await asyncio.gather(*(convs.get(conv.id) for _ in range(20)))
        same = all(c == conv for c in fetched)
        print(f"fetched  {len(fetched)} copies concurrently, all equal: {same}")

        await asyncio.gather(
            *(
                convs.create(type="sdkGroup", participants=[{"user_external_id": "bob"}])
                for _ in range(3)
            )
        )
        async for c in convs.iter(user_external_id="bob", size=2):
            print(f"bob is in {c.id} ({c.display_name or 'no name'})")

        updated = await convs.update(conv.id, display_name=None, metadata={"tier": "gold"})
        print(f"updated  display_name={updated.display_name!r} metadata={updated.metadata}")

        await convs.delete(conv.id)
        print(f"deleted  {conv.id}")

        try:
            await convs.delete(conv.id)
        except sunco.ApiError as e:
            print(f"error    {type(e).__name__}: HTTP {e.status} code={e.code!r} title={e.title!r}")

        # Any operation by its operationId, awaited; iter_operation walks every page.
        app = {"appId": app_id}
        user = await client.call("GetUser", path={**app, "userIdOrExternalId": "bob"})
        print(f"call     GetUser -> {user['user']['externalId']}")
        bob = {"filter": {"userExternalId": "bob"}, "page": {"size": 2}}
        async for record in client.iter_operation("ListConversations", path=app, query=bob):
            print(f"bob is in {record['id']} (type {record['type']})")

        # A timeout around an await cancels the request too.
        try:
            await asyncio.wait_for(convs.get(conv.id), timeout=5)
        except sunco.NotFoundError as e:
            print(f"error    {e}")


if __name__ == "__main__":
    asyncio.run(main())
