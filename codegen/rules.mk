# Rules for codegen/ (included by the root Makefile): files generated from spec/openapi.yaml.
#   make codegen         regenerate api.json and the README's operation table
#   make codegen-check   fail when a committed generated file is stale (part of make test)
.PHONY: codegen codegen-check

CODEGEN_PY := .venv/bin/python

.venv/.sunco-codegen-tools: codegen/requirements.txt
	test -x .venv/bin/python || $(PYTHON3) -m venv .venv
	.venv/bin/pip install --quiet --disable-pip-version-check -r codegen/requirements.txt
	touch $@

codegen: .venv/.sunco-codegen-tools
	$(CODEGEN_PY) codegen/generate.py

codegen-check: .venv/.sunco-codegen-tools
	$(CODEGEN_PY) codegen/generate.py --check
