"""App Keys: create, list, get and delete an app's API keys (account credentials)."""

from _demo import APP_ID, account_client

with account_client() as client:
    keys = client.app(APP_ID).keys()
    made = keys.create(display_name="Spare key")
    assert made.key is not None
    assert made.key.id is not None
    print("created", made.key.id, "(its secret is in made.key.secret)")
    print("keys:", [k.display_name for k in keys.list().keys or []])
    got = keys.get(made.key.id).key
    print("got", got.display_name if got else None)
    keys.delete(made.key.id)
    print("deleted", made.key.id)
