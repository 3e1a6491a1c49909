"""Switchboards: create one, list, update it, and delete it."""

from _demo import APP_ID, client

with client() as c:
    boards = c.app(APP_ID).switchboards()
    made = boards.create()
    assert made.switchboard is not None
    assert made.switchboard.id is not None
    print("created", made.switchboard)
    print("updated", boards.update(made.switchboard.id, enabled=False).switchboard)
    print("all:", [b.id for b in boards.list().switchboards or []])
    boards.delete(made.switchboard.id)
    print("deleted", made.switchboard.id)
