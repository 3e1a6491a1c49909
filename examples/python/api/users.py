"""Users: create, get (by id or external id), update, list, delete personal data, delete."""

from _demo import APP_ID, client

with client() as c:
    users = c.app(APP_ID).users()
    made = users.create(external_id="demo-carol", profile={"givenName": "Carol"}).user
    assert made is not None
    print("created", made.id, made.external_id)
    users.update("demo-carol", profile={"givenName": "Caroline"}, metadata={"tier": "gold"})
    got = users.get("demo-carol").user
    print("got", got.profile.given_name if got and got.profile else None)
    print("by email:", [u.id for u in users.list(identities_email="carol@example.com").users or []])
    users.delete_personal_information("demo-carol")
    users.delete("demo-carol")
    print("deleted carol")
