"""Participants: join a user to a group conversation, list them, and leave."""

from _demo import APP_ID, client

with client() as c:
    app = c.app(APP_ID)
    conv = app.conversations().create(type="sdkGroup", participants=[{"userExternalId": "alice"}])
    assert conv.conversation is not None
    assert conv.conversation.id is not None
    cid = conv.conversation.id
    people = app.participants(cid)
    joined = people.join(user_external_id="bob")
    print("joined", joined.participant)
    print("participants:", [p.user_external_id for p in people.iter()])
    people.leave(user_external_id="bob")
    print("bob left; now", len(people.list().participants or []))
