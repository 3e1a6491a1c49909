"""Webhooks: add a webhook to a custom integration; list, get, update and delete it."""

from _demo import APP_ID, client, custom_integration

with client() as c:
    app = c.app(APP_ID)
    bot_id = custom_integration(c)
    hooks = app.webhooks(bot_id)
    made = hooks.create(
        target="http://127.0.0.1:9/hook", triggers=["conversation:message"], include_full_user=True
    ).webhook
    assert made is not None
    assert made.id is not None
    print("created", made.id, "secret given:", made.secret is not None)
    hooks.update(made.id, triggers=["conversation:message", "conversation:postback"])
    print("got", hooks.get(made.id).webhook)
    print("all:", [w.id for w in hooks.list().webhooks or []])
    hooks.delete(made.id)
    print("deleted", made.id)
