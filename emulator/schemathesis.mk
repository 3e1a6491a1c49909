# Rules for emulator/ (included by the root Makefile): property-based fuzzing of the emulator.
#   make schemathesis   Schemathesis (pinned, installed into .venv) over every operation of
#                       spec/openapi.yaml against a fresh debug emulator on loopback, started with
#                       emulator/schemathesis-seed.json (emulator/schemathesis-run.sh), positive
#                       and negative data, bounded to about two minutes. Not part of `make test`.
# SCHEMATHESIS_ARGS adds options (e.g. --include-operation-id PostMessage, --seed 1).
.PHONY: schemathesis

PYTHON3 ?= python3
SCHEMATHESIS_MAX_TIME ?= 120
SCHEMATHESIS_ARGS ?=
# The seed's account key: it may call every app and the account-scoped operations (apps, app
# keys), which an app key would only see answer 403.
SCHEMATHESIS_AUTH ?= demo-account-key:demo-account-secret
# The examples phase (add it with SCHEMATHESIS_PHASES=examples,coverage,fuzzing) is not cut
# short by the time limit and would spend the whole budget on the spec's examples.
SCHEMATHESIS_PHASES ?= coverage,fuzzing

.venv/.sunco-schemathesis: emulator/schemathesis-requirements.txt
	test -x .venv/bin/python || $(PYTHON3) -m venv .venv
	.venv/bin/pip install --quiet --disable-pip-version-check -r emulator/schemathesis-requirements.txt
	touch $@

# The spec's first server, https://{subdomain}.zendesk.com/sc, uses a variable it does not
# declare, which Schemathesis refuses; it runs on a copy without `servers` (--url names the
# emulator anyway). spec/openapi.yaml itself is left as published.
SCHEMATHESIS_SPEC := target/schemathesis/openapi.json

$(SCHEMATHESIS_SPEC): spec/openapi.yaml .venv/.sunco-schemathesis
	mkdir -p $(@D)
	.venv/bin/python -c 'import json, sys, yaml; s = yaml.safe_load(open(sys.argv[1])); \
	  s.pop("servers", None); json.dump(s, open(sys.argv[2], "w"))' $< $@

schemathesis: .venv/.sunco-schemathesis $(SCHEMATHESIS_SPEC) emulator
	emulator/schemathesis-run.sh $(EMULATOR) $(SCHEMATHESIS_SPEC) --auth "$(SCHEMATHESIS_AUTH)" \
	  --mode all --phases $(SCHEMATHESIS_PHASES) \
	  --checks not_a_server_error,response_schema_conformance,negative_data_rejection \
	  --max-time $(SCHEMATHESIS_MAX_TIME) --max-examples 50 --workers 1 \
	  --request-timeout 10 --suppress-health-check all \
	  --report junit --report-dir target/schemathesis $(SCHEMATHESIS_ARGS)
