"""Activities: tell the user the business is typing, then has read the conversation."""

from _demo import APP_ID, client

with client() as c:
    app = c.app(APP_ID)
    conv = app.conversations().create(type="personal", participants=[{"userExternalId": "alice"}])
    assert conv.conversation is not None
    assert conv.conversation.id is not None
    activity = app.activities(conv.conversation.id)
    activity.post(author={"type": "business"}, type="typing:start")
    activity.post(author={"type": "business"}, type="conversation:read")
    print("typing:start and conversation:read sent to", conv.conversation.id)
