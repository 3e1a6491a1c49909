# sunco: two commands for a newcomer, `make demo` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
HOST := $(shell rustc -vV | sed -n 's/^host: //p')
# Every build (cargo, maturin, napi) targets the host triple explicitly so they share one
# set of compiled artifacts under target/$(HOST)/ instead of compiling the workspace twice.
export CARGO_BUILD_TARGET := $(HOST)
export CARGO_TERM_COLOR ?= never
TARGET_DIR := target/$(HOST)
DEBUG_DIR := $(TARGET_DIR)/debug
EMULATOR := $(DEBUG_DIR)/sunco-emulator
WITH_EMULATOR := scripts/with-emulator.sh $(EMULATOR)

.PHONY: help demo demo-rust test test-rust lint unify emulator build

help:
	@echo "make demo   build what is needed, start the emulator, run the examples against it"
	@echo "make test   install the tools it needs into the repo, then run every suite"
	@echo "make bench  benchmarks (see bench/)"
	@echo "make docs   the reference for Rust, C, Python and Node into target/docs/"
	@echo "make dist   release packages for every platform into dist/ (see scripts/dist/)"

## ---------------------------------------------------------------- building
emulator:
	$(CARGO) build -p sunco-emulator

build: emulator
	$(CARGO) build -p sunco --examples

## ---------------------------------------------------------------- demo
demo: build demo-rust demo-c demo-py demo-node
	@echo "make demo: done"

demo-rust: build
	@echo "== Rust example (core/examples/quickstart.rs)"
	$(WITH_EMULATOR) $(DEBUG_DIR)/examples/quickstart
	@echo "== Rust example: the typed API, one step per group (core/examples/whole_api.rs)"
	$(WITH_EMULATOR) $(DEBUG_DIR)/examples/whole_api
	@echo "== Rust bot: webhooks in, replies and a handoff out (core/examples/bot.rs, scripts/bot-demo.py)"
	python3 scripts/bot-demo.py --emulator $(EMULATOR) -- $(DEBUG_DIR)/examples/bot

## ---------------------------------------------------------------- tests
test: codegen-check dist-check lint test-rust test-bots-rust test-c test-py test-node bench-quick
	@echo "make test: all suites passed"

lint:
	python3 scripts/unify-features.py --check
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps

test-rust:
	$(CARGO) test --workspace

# After adding a dependency or a feature: keep every build on one feature set (unify/Cargo.toml).
unify:
	python3 scripts/unify-features.py

## ---------------------------------------------------------------- bindings and benchmarks
# Each part owns its rules: test-X, demo-X (and install, bench, ...).
include codegen/rules.mk
include ffi-c/rules.mk
include py/rules.mk
include node/rules.mk
include bench/rules.mk
include emulator/schemathesis.mk
include emulator/bots.mk
include scripts/dist/rules.mk
include scripts/docs/rules.mk
