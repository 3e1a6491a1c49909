# Rules for py/ (included by the root Makefile): the Python package `sunco` (maturin + pyo3).
#
#   make test-py    lint (ruff, mypy --strict), build the debug wheel, install it into py/.venv,
#                   run py/tests against it and a fresh emulator
#   make demo-py    run examples/python/demo.py, demo_async.py and one example per API group
#                   (examples/python/api/) against the emulator, and the bot through
#                   scripts/bot-demo.py
#   make docs-py    the Python reference (pdoc) into target/docs/python/
#   make bench-py   build the release wheel, then time imports and sequential gets
#
# Tools live in the repo: /.venv (maturin, pytest, mypy, ruff pinned in py/requirements-dev.txt)
# and py/.venv (the installed wheel plus pytest and mypy). Both come from PyPI on first use.
.PHONY: test-py demo-py bench-py py-wheel py-wheel-release py-install py-lint

PYTHON3 ?= python3
PY_TOOLS := .venv
PY_ENV := py/.venv
PY_WHEELS := target/wheels
PIP_QUIET := --quiet --disable-pip-version-check

$(PY_TOOLS)/.sunco-py-tools: py/requirements-dev.txt
	test -x $(PY_TOOLS)/bin/python || $(PYTHON3) -m venv $(PY_TOOLS)
	$(PY_TOOLS)/bin/pip install $(PIP_QUIET) -r py/requirements-dev.txt
	touch $@

$(PY_ENV)/.sunco-py-env: py/requirements-dev.txt
	rm -rf $(PY_ENV)
	$(PYTHON3) -m venv $(PY_ENV)
	grep -v '^maturin' py/requirements-dev.txt > $(PY_ENV)/requirements.txt
	$(PY_ENV)/bin/pip install $(PIP_QUIET) -r $(PY_ENV)/requirements.txt
	touch $@

# Debug wheels: they reuse the debug build of the core that `make test` compiles anyway
# (a release build of the whole dependency tree takes minutes on two cores).
py-wheel: $(PY_TOOLS)/.sunco-py-tools
	rm -rf $(PY_WHEELS)/debug
	$(PY_TOOLS)/bin/maturin build --manifest-path py/Cargo.toml --out $(PY_WHEELS)/debug

py-wheel-release: $(PY_TOOLS)/.sunco-py-tools
	rm -rf $(PY_WHEELS)/release
	$(PY_TOOLS)/bin/maturin build --release --manifest-path py/Cargo.toml --out $(PY_WHEELS)/release

# The tests import this installed copy, never py/python.
py-install: py-wheel $(PY_ENV)/.sunco-py-env
	$(PY_ENV)/bin/pip install $(PIP_QUIET) --force-reinstall --no-deps $(PY_WHEELS)/debug/sunco-*.whl

py-lint: $(PY_TOOLS)/.sunco-py-tools $(PY_ENV)/.sunco-py-env
	$(PY_TOOLS)/bin/ruff check --no-cache --config py/pyproject.toml py/python py/tests py/bench examples/python
	$(PY_TOOLS)/bin/ruff format --no-cache --check --config py/pyproject.toml py/python py/tests py/bench examples/python
	$(PY_ENV)/bin/mypy --config-file py/pyproject.toml --cache-dir py/.mypy_cache py/python/sunco
	$(PY_TOOLS)/bin/ruff check --no-cache --config py/pyproject.toml codegen/python_surface.py
	$(PY_TOOLS)/bin/ruff format --no-cache --check --config py/pyproject.toml codegen/python_surface.py
	$(PY_ENV)/bin/mypy --config-file py/pyproject.toml --cache-dir py/.mypy_cache \
	  --ignore-missing-imports --follow-imports=silent codegen/python_surface.py

test-py: emulator py-lint py-install
	$(PY_ENV)/bin/mypy --config-file py/pyproject.toml --cache-dir py/.mypy_cache py/tests py/bench examples/python
	cd py/tests && SUNCO_EMULATOR=$(abspath $(EMULATOR)) PYTHONSAFEPATH=1 ../.venv/bin/python -m pytest

demo-py: emulator py-install
	@echo "== Python examples (examples/python/demo.py, demo_async.py)"
	$(WITH_EMULATOR) $(PY_ENV)/bin/python examples/python/demo.py
	$(WITH_EMULATOR) $(PY_ENV)/bin/python examples/python/demo_async.py
	@echo "== Python: one example per API group (examples/python/api/)"
	@for f in examples/python/api/[a-z]*.py; do \
	  echo "-- $$f"; $(WITH_EMULATOR) $(PY_ENV)/bin/python $$f || exit 1; done
	@echo "== Python bot: webhooks in, replies and a handoff out (examples/python/bot.py, scripts/bot-demo.py)"
	$(PYTHON3) scripts/bot-demo.py --emulator $(EMULATOR) -- $(PY_ENV)/bin/python examples/python/bot.py

bench-py: emulator py-wheel-release $(PY_ENV)/.sunco-py-env
	$(PY_ENV)/bin/pip install $(PIP_QUIET) --force-reinstall --no-deps $(PY_WHEELS)/release/sunco-*.whl
	ls -l $(PY_WHEELS)/release/
	$(PY_ENV)/bin/python -X importtime -c "import sunco" 2>&1 | tail -n 1
	$(WITH_EMULATOR) $(PY_ENV)/bin/python py/bench/get_latency.py 2000
	@echo "(bench-py installed the release wheel; the next test-py reinstalls the debug one)"

# The Python reference: pdoc over the installed package (docstrings and annotations), into
# target/docs/python/ (index.html); `make docs` at the root collects it.
.PHONY: docs-py
DOCS_TARGETS += docs-py
docs-py: py-install
	rm -rf target/docs/python
	$(PY_ENV)/bin/pdoc --no-show-source --docformat restructuredtext -o target/docs/python \
	  sunco sunco.models sunco.resources sunco.content sunco.webhooks
	test -f target/docs/python/index.html
