"""Switchboard Actions: pass, offer, accept and release control of a conversation."""

from _demo import APP_ID, client, custom_integration

with client() as c:
    app = c.app(APP_ID)
    board = app.switchboards().create().switchboard
    bot_id = custom_integration(c)
    assert board is not None
    assert board.id is not None
    members = app.switchboard_integrations(board.id)
    made = members.create(name="bot", integration_id=bot_id).switchboard_integration
    members.create(name="agent", integration_type="zd:agentWorkspace")
    assert made is not None
    assert made.id is not None
    app.switchboards().update(board.id, enabled=True, default_switchboard_integration_id=made.id)
    conv = app.conversations().create(type="personal", participants=[{"userExternalId": "alice"}])
    assert conv.conversation is not None
    assert conv.conversation.id is not None
    cid = conv.conversation.id
    actions = app.switchboard_actions(cid)
    actions.pass_control(switchboard_integration="agent", metadata={"reason": "billing"})
    print(
        "in control:",
        app.conversations().get(cid).to_dict()["conversation"].get("activeSwitchboardIntegration"),
    )
    actions.release_control()
    actions.offer_control(switchboard_integration="agent")
    actions.accept_control()
    print("pass, release, offer and accept done on", cid)
