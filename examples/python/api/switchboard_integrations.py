"""Switchboard Integrations: put two integrations on a switchboard; list, update, delete."""

from _demo import APP_ID, client, custom_integration

with client() as c:
    app = c.app(APP_ID)
    board = app.switchboards().create().switchboard
    bot_id = custom_integration(c)
    assert board is not None
    assert board.id is not None
    members = app.switchboard_integrations(board.id)
    first = members.create(name="bot", integration_id=bot_id, deliver_standby_events=False)
    second = members.create(name="agent", integration_type="zd:agentWorkspace")
    print("members:", [m.name for m in members.list().switchboard_integrations or []])
    assert first.switchboard_integration is not None
    assert second.switchboard_integration is not None
    assert second.switchboard_integration.id is not None
    members.update(second.switchboard_integration.id, deliver_standby_events=True)
    members.delete(second.switchboard_integration.id)
    print("left:", [m.name for m in members.list().switchboard_integrations or []])
