"""Conversations: create, get, update, list, conversion events and delete."""

from _demo import APP_ID, client

with client() as c:
    convs = c.app(APP_ID).conversations()
    made = convs.create(
        type="sdkGroup", participants=[{"userExternalId": "alice"}], display_name="Support"
    )
    assert made.conversation is not None
    assert made.conversation.id is not None
    cid = made.conversation.id
    print("created", cid, made.conversation.display_name)
    print("updated", convs.update(cid, display_name="Billing", description=None).conversation)
    print("alice's:", [x.id for x in convs.iter(user_external_id="alice")])
    print("got", convs.get(cid).conversation)
    convs.delete(cid)
    print("deleted", cid)
    # The hand-written handle of the first version still works:
    print(
        "via client.conversations:",
        c.conversations(APP_ID).list(user_external_id="alice").to_dict()["meta"],
    )
