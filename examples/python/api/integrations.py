"""Integrations: create a custom integration (a webhook receiver), list, get, update, delete."""

from _demo import APP_ID, client

from sunco.models import Custom

with client() as c:
    integrations = c.app(APP_ID).integrations()
    made = integrations.create(
        type="custom",
        display_name="Bot",
        webhooks=[{"target": "http://127.0.0.1:9/hook", "triggers": ["conversation:message"]}],
    ).integration
    assert made is not None
    assert made.id is not None
    print("created", type(made).__name__, made.id)
    got = integrations.get(made.id).integration
    if isinstance(got, Custom):
        print("its webhooks:", [w.target for w in got.webhooks or []])
    integrations.update(made.id, display_name="Renamed bot")
    print("custom ones:", [i.id for i in integrations.iter(types="custom")])
    integrations.delete(made.id)
    print("deleted", made.id)
