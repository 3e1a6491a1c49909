"""Clients: link a user to a channel (a Twilio number), list the user's clients, remove one."""

from _demo import APP_ID, client

with client() as c:
    app = c.app(APP_ID)
    twilio = (
        app.integrations()
        .create(type="twilio", account_sid="ACa1b2", auth_token="secret", phone_number_sid="PNa1b2")
        .integration
    )
    conv = app.conversations().create(type="personal", participants=[{"userExternalId": "alice"}])
    assert twilio is not None
    assert twilio.id is not None
    assert conv.conversation is not None
    assert conv.conversation.id is not None
    clients = app.clients("alice")
    made = clients.create(
        match_criteria={
            "type": "twilio",
            "integrationId": twilio.id,
            "phoneNumber": "+15145555555",
        },
        confirmation={"type": "immediate"},
        target={"conversationId": conv.conversation.id},
    ).client
    assert made is not None
    assert made.id is not None
    print("linked", made.id, made.type)
    print("alice's clients:", [x.type for x in clients.iter()])
    clients.remove(made.id)
    print("removed", made.id)
