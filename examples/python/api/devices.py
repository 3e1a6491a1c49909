"""Devices: an SDK registers a device for alice (an emulator control); list and get it."""

from _demo import APP_ID, client, emulator_control

registered = emulator_control(
    "POST", f"/_emulator/apps/{APP_ID}/users/alice/devices", {"type": "ios", "appVersion": "1.0"}
)
with client() as c:
    devices = c.app(APP_ID).devices("alice")
    print("alice's devices:", [(d.id, d.type) for d in devices.list().devices or []])
    print("got", devices.get(registered["device"]["id"]).device)
