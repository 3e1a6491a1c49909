"""Writes spec_examples.json: the spec's example webhook body for every event type that
`x-webhooks` lists, keyed by event type. Run from the repository root after the spec changes:
    python3 tests/webhooks/extract.py
"""

import json

import yaml

spec = yaml.safe_load(open("spec/openapi.yaml"))
post = spec["x-webhooks"]["Webhook Event"]["post"]
examples = post["requestBody"]["content"]["application/json"]["examples"]
# Where an example breaks its own schema, the body Sunshine Conversations actually sends.
# conversation:referral: `externalId: 912382197` is unquoted in the YAML (an integer); the
# user schema, and every other example, have it as a string.
CORRECTIONS = {"conversation:referral": [(("events", 0, "payload", "user", "externalId"), "912382197")]}

out = {}
for event_type, ref in examples.items():
    name = ref["$ref"].split("/")[-1]
    body = spec["components"]["examples"][name]["value"]
    assert [e.get("type") for e in body["events"]] == [event_type], event_type
    for path, value in CORRECTIONS.get(event_type, []):
        node = body
        for key in path[:-1]:
            node = node[key]
        assert node[path[-1]] != value, "the spec was fixed; drop the correction"
        node[path[-1]] = value
    out[event_type] = body
doc = {
    "_source": "components.examples of spec/openapi.yaml (%s), one webhook body per event "
    "type that x-webhooks lists, as corrected by tests/webhooks/extract.py (CORRECTIONS)" % spec["info"]["version"],
    "examples": out,
}
with open("tests/webhooks/spec_examples.json", "w") as f:
    json.dump(doc, f, indent=2, ensure_ascii=False)
    f.write("\n")
