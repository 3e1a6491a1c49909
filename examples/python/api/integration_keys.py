"""Custom integration API keys: create, list, get and delete the keys of an integration."""

from _demo import APP_ID, client, custom_integration

with client() as c:
    app = c.app(APP_ID)
    bot_id = custom_integration(c)
    keys = app.integration_keys(bot_id)
    made = keys.create(display_name="Bot key").key
    assert made is not None
    assert made.id is not None
    print("created", made.id)
    print("keys:", [k.to_dict().get("displayName") for k in keys.list().keys or []])
    print("got", keys.get(made.id).key)
    keys.delete(made.id)
    print("deleted", made.id)
