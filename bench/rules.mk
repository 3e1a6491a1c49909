# Rules for bench/ (included by the root Makefile): every binding against the official clients.
#
#   make bench        release builds, then the full run; writes bench/results.md (+ .json)
#   make bench-quick  the same harness on the debug builds with a few hundred requests (run by
#                     `make test`, no thresholds); fails only if a driver crashes or a check fails
#
# The official clients live in bench-only environments under bench/.envs (from PyPI and npm,
# installed once; delete the folder to reinstall). See bench/README.md.
.PHONY: bench bench-quick bench-official

PYTHON3 ?= python3
BENCH_ENVS := bench/.envs
BENCH_RUN := $(PYTHON3) bench/run.py
BENCH_PIP := --quiet --disable-pip-version-check
# The pinned official clients. PyPI's 17.0.0 wheel cannot be imported (its api modules import
# `sunshine_conversations_client.models`; the wheel ships `model/`), so the next patch release
# is installed beside it and used as the Python baseline while 17.0.0 reports "unavailable".
BENCH_PY_OFFICIAL := 17.0.0
BENCH_PY_OFFICIAL_NEXT := 17.0.1
BENCH_JS_OFFICIAL := 14.1.0
BENCH_RELEASE_DIR := $(TARGET_DIR)/release

# One venv per official Python client version. An install failure (no registry) does not stop
# the benchmark: the client's rows then say "unavailable".
$(BENCH_ENVS)/py-official-%/.installed:
	rm -rf $(BENCH_ENVS)/py-official-$*
	$(PYTHON3) -m venv $(BENCH_ENVS)/py-official-$*
	$(BENCH_ENVS)/py-official-$*/bin/pip install $(BENCH_PIP) sunshine-conversations-client==$* \
	  && touch $@ \
	  || echo "bench: could not install sunshine-conversations-client==$* (its rows will say unavailable)" >&2

$(BENCH_ENVS)/node-official-$(BENCH_JS_OFFICIAL)/.installed:
	rm -rf $(@D) && mkdir -p $(@D)
	echo '{"name":"sunco-bench-official","private":true}' > $(@D)/package.json
	cd $(@D) && npm install --no-audit --no-fund --loglevel=error \
	  sunshine-conversations-client@$(BENCH_JS_OFFICIAL) \
	  && touch .installed \
	  || echo "bench: could not install sunshine-conversations-client@$(BENCH_JS_OFFICIAL) (its rows will say unavailable)" >&2

bench-official: $(BENCH_ENVS)/py-official-$(BENCH_PY_OFFICIAL)/.installed \
	$(BENCH_ENVS)/py-official-$(BENCH_PY_OFFICIAL_NEXT)/.installed \
	$(BENCH_ENVS)/node-official-$(BENCH_JS_OFFICIAL)/.installed

BENCH_OFFICIAL_ARGS := \
	--py-official $(BENCH_ENVS)/py-official-$(BENCH_PY_OFFICIAL)/bin/python \
	--py-official $(BENCH_ENVS)/py-official-$(BENCH_PY_OFFICIAL_NEXT)/bin/python \
	--node-official $(BENCH_ENVS)/node-official-$(BENCH_JS_OFFICIAL)/node_modules/sunshine-conversations-client

# Quick mode: debug artifacts only. Inside `make test` the bindings' debug builds (build-c,
# py-install, node-build) have already run and are not repeated; alone, this builds them.
bench-quick: emulator bench-official build-c py-install node-build
	$(CARGO) build -p sunco-bench
	$(BENCH_RUN) --mode quick --emulator $(EMULATOR) \
	  --rust-driver $(DEBUG_DIR)/sunco-bench \
	  --c-lib-dir $(DEBUG_DIR) --c-include include \
	  --py-sunco $(PY_ENV)/bin/python \
	  --node-sunco node \
	  $(BENCH_OFFICIAL_ARGS)

# Release builds: emulator, Rust drivers and the C library with cargo; the Python wheel and the
# Node addon through their owners' release rules (py-wheel-release, node-release). A binding
# whose release build fails is passed to run.py as unavailable (never measured as a stale or
# debug build); the run goes on with the others.
bench: bench-official
	$(CARGO) build --release -p sunco-emulator -p sunco-bench
	skip=(); \
	$(CARGO) build --release -p sunco-ffi \
	  || skip+=(--unavailable "c=the release build of ffi-c failed"); \
	rm -rf $(BENCH_ENVS)/py-sunco; \
	{ $(MAKE) --no-print-directory py-wheel-release \
	  && $(PYTHON3) -m venv $(BENCH_ENVS)/py-sunco \
	  && $(BENCH_ENVS)/py-sunco/bin/pip install $(BENCH_PIP) --no-deps $(PY_WHEELS)/release/sunco-*.whl; } \
	  || skip+=(--unavailable "py=the release wheel of py/ failed to build or install"); \
	$(MAKE) --no-print-directory node-release \
	  || skip+=(--unavailable "node=the release build of the node/ addon failed"); \
	$(BENCH_RUN) --mode full --emulator $(BENCH_RELEASE_DIR)/sunco-emulator \
	  --rust-driver $(BENCH_RELEASE_DIR)/sunco-bench \
	  --c-lib-dir $(BENCH_RELEASE_DIR) --c-include include \
	  --py-sunco $(BENCH_ENVS)/py-sunco/bin/python \
	  --node-sunco node \
	  $(BENCH_OFFICIAL_ARGS) \
	  --out bench/results.md "$${skip[@]}"
