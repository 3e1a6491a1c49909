"""Apps: list, create, get, update and delete apps (account credentials)."""

from _demo import account_client

with account_client() as client:
    apps = client.apps()
    made = apps.create(display_name="Second app", metadata={"team": "support"})
    assert made.app is not None
    assert made.app.id is not None
    app_id = made.app.id
    print("created", app_id, made.app.display_name)
    print("renamed", apps.update(app_id, display_name="Renamed").app)
    print("got", apps.get(app_id).app)
    print("all apps:", [a.id for a in apps.iter(size=10)])
    apps.delete(app_id)
    print("deleted", app_id)
