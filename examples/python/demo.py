"""A tour of the blocking client: create, get, list, update, delete, and an error.

Run it against the local emulator with `make demo-py`, or point it anywhere with
SUNCO_BASE_URL, SUNCO_KEY_ID, SUNCO_KEY_SECRET and SUNCO_APP_ID.
"""

from __future__ import annotations

import os

import sunco


def main() -> None:
    # Emulator defaults, so the demo runs as it is against `sunco-emulator --port 8091`.
    client = sunco.Client(
        base_url=os.environ.get("SUNCO_BASE_URL", "http://127.0.0.1:8091"),
        key_id=os.environ.get("SUNCO_KEY_ID", "demo-key"),
        key_secret=os.environ.get("SUNCO_KEY_SECRET", "demo-secret"),
    )
    app_id = os.environ.get("SUNCO_APP_ID", "demo-app")
    print(f"sunco {sunco.__version__}: {client!r}")  # the secret never shows

    with client:
        convs = client.conversations(app_id)

        # Create: participants as dicts (snake_case or the API's camelCase) or Participant.
        conv = convs.create(
            type="sdkGroup",
            participants=[
                {"user_external_id": "alice", "subscribe_sdk_client": True},
                sunco.Participant(user_external_id="bob"),
            ],
            display_name="Support",
            description="Billing questions",
            metadata={"lang": "en", "priority": 3},
        )
        print(f"created  {conv!r}")

        # Get it back: results are typed objects; to_dict() gives the API's JSON.
        same = convs.get(conv.id)
        print(f"got      {same.display_name!r}, metadata={same.metadata}, equal={same == conv}")

        # List: iter() walks every page lazily (two per request here, to show paging).
        for _ in range(3):
            convs.create(type="sdkGroup", participants=[{"user_external_id": "alice"}])
        ids = [c.id for c in convs.iter(user_external_id="alice", size=2)]
        print(f"alice is in {len(ids)} conversations")
        page = convs.list(user_external_id="alice", size=2)
        print(f"first page: {len(page)} of them, has_more={page.has_more}")

        # Update: a value sets a field, None clears it, a field left out stays as it is.
        updated = convs.update(conv.id, display_name="Billing", description=None)
        print(f"updated  display_name={updated.display_name!r} description={updated.description!r}")

        convs.delete(conv.id)
        print(f"deleted  {conv.id}")

        # Errors carry what you branch on.
        try:
            convs.get(conv.id)
        except sunco.NotFoundError as e:
            print(
                f"error    HTTP {e.status} code={e.code!r} title={e.title!r} request={e.request_id}"
            )
        try:
            convs.create(type="personal")
        except sunco.ValidationError as e:
            print(f"refused  before sending: {e.argument} (API field {e.field}): {e.rule}")

        # Every operation of the API by its operationId, in the API's JSON (sunco.operations()
        # lists them): path, query and body as the API spells them, the answer as it was sent.
        app = {"appId": app_id}
        user = client.call("GetUser", path={**app, "userIdOrExternalId": "alice"})
        count = len(sunco.operations())
        print(f"call     GetUser -> {user['user']['id']} (one of {count} operations)")
        # The records of every page, lazily; from a `before` cursor the walk goes backward.
        alice = {"filter": {"userExternalId": "alice"}, "page": {"before": ids[-1], "size": 2}}
        older = [c["id"] for c in client.iter_operation("ListConversations", path=app, query=alice)]
        print(f"before   the newest of alice's conversations: {len(older)} older ones")
        try:
            client.call("GetConversation", path=app)
        except sunco.ValidationError as e:
            print(f"refused  before sending: {e.argument}: {e.rule}")


if __name__ == "__main__":
    main()
