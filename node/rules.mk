# Rules for node/ (included by the root Makefile): the npm package `sunco`.
#   make test-node    type-check, unit + emulator tests, then pack/install/smoke the tarball
#   make demo-node    run examples/node/demo.js (and demo.ts), one example per API group
#                     (examples/node/groups/) and the bot (examples/node/bot.js, through
#                     scripts/bot-demo.py) against fresh emulators
#   make docs-node    the Node reference from the .d.ts (typedoc) into target/docs/node/
#   make node-bindings  rebuild and rewrite the committed napi outputs (native.js, native.d.ts)
#   make node-release   release build of the addon (for benchmarks)
.PHONY: test-node demo-node docs-node node-deps node-docs-deps node-build node-bindings node-release

NODE_DIR := node
NODE_BIN := $(NODE_DIR)/node_modules/.bin
# napi writes here first; the committed native.js / native.d.ts are compared with it.
NODE_GEN := $(TARGET_DIR)/node-gen
# napi runs $CARGO as one program name, so a CARGO given to make as a command line
# ("flock ... cargo") is replaced by plain cargo here.
NAPI_BUILD = cd $(NODE_DIR) && CARGO=cargo node_modules/.bin/napi build --platform --target $(HOST) \
	--output-dir $(abspath $(NODE_GEN)) --js native.js --dts native.d.ts

# npm packages (the napi CLI, TypeScript) go into node/node_modules, from the lock file.
$(NODE_DIR)/node_modules/.package-lock.json: $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && npm ci --no-audit --no-fund
	touch $@

node-deps: $(NODE_DIR)/node_modules/.package-lock.json

# Dev build of the addon into node/ (cargo output stays under $(TARGET_DIR), shared with the
# workspace); fails if the committed napi outputs differ from what this build generates.
# The copy in node/ loses its debug info (80 MB -> 19 MB) so that packing it for the smoke test
# is quick; the cargo artifact keeps it.
node-build: node-deps
	rm -rf $(NODE_GEN) && mkdir -p $(NODE_GEN)
	$(NAPI_BUILD)
	cp $(NODE_GEN)/sunco.*.node $(NODE_DIR)/
	if command -v strip >/dev/null; then strip --strip-debug $(NODE_DIR)/sunco.*.node; fi
	@for f in native.js native.d.ts; do \
	  cmp -s $(NODE_GEN)/$$f $(NODE_DIR)/$$f || { \
	    echo "node/$$f is stale: run 'make node-bindings' and commit it" >&2; exit 1; }; \
	done

node-bindings: node-deps
	rm -rf $(NODE_GEN) && mkdir -p $(NODE_GEN)
	$(NAPI_BUILD)
	cp $(NODE_GEN)/sunco.*.node $(NODE_GEN)/native.js $(NODE_GEN)/native.d.ts $(NODE_DIR)/

node-release: node-deps
	rm -rf $(NODE_GEN) && mkdir -p $(NODE_GEN)
	$(NAPI_BUILD) --release
	cp $(NODE_GEN)/sunco.*.node $(NODE_DIR)/

# The examples say `require('sunco')`; NODE_PATH points that at node/ without installing it.
NODE_DEMO_PATH := $(TARGET_DIR)/node-demo
NODE_DEMO_ENV := NODE_PATH=$(abspath $(NODE_DEMO_PATH))/lib
# The bot run end to end by the harness: a fresh emulator, the bot's webhook and switchboard,
# an end user writing "hello" then "agent" (scripts/bot-demo.py, the bot contract).
NODE_BOT_DEMO = $(NODE_DEMO_ENV) python3 scripts/bot-demo.py --emulator $(EMULATOR) -- node examples/node/bot.js

$(NODE_DEMO_PATH)/lib/sunco:
	mkdir -p $(NODE_DEMO_PATH)/lib && ln -sfn $(abspath $(NODE_DIR)) $(NODE_DEMO_PATH)/lib/sunco

# tsc --strict over the examples (demo.ts, every group's example, the webhook middleware).
test-node: emulator node-build $(NODE_DEMO_PATH)/lib/sunco
	$(NODE_BIN)/tsc -p $(NODE_DIR)/test/tsconfig.json
	$(NODE_BIN)/tsc -p examples/node/tsconfig.json
	cd $(NODE_DIR) && SUNCO_EMULATOR=$(abspath $(EMULATOR)) node --test test/*.test.js test/*.test.mjs
	$(NODE_BOT_DEMO)
	$(NODE_DIR)/test/smoke/pack-smoke.sh $(EMULATOR)

demo-node: emulator node-build $(NODE_DEMO_PATH)/lib/sunco
	@echo "== Node example (examples/node/demo.js)"
	$(NODE_DEMO_ENV) $(WITH_EMULATOR) node examples/node/demo.js
	@echo "== Node examples in TypeScript (examples/node/demo.ts and groups/*.ts, compiled by tsc)"
	rm -rf $(NODE_DEMO_PATH)/ts
	$(NODE_BIN)/tsc -p examples/node/tsconfig.json --noEmit false --outDir $(abspath $(NODE_DEMO_PATH))/ts
	$(NODE_DEMO_ENV) $(WITH_EMULATOR) node $(NODE_DEMO_PATH)/ts/demo.js
	@echo "== Node: one example per API group (examples/node/groups/)"
	$(NODE_DEMO_ENV) $(WITH_EMULATOR) sh -c 'for f in $(NODE_DEMO_PATH)/ts/groups/*.js; do \
	  case $$f in */common.js) continue;; esac; node "$$f" || exit 1; done'
	@echo "== Node bot (examples/node/bot.js through scripts/bot-demo.py)"
	$(NODE_BOT_DEMO)

# typedoc needs the TypeScript API of 5.x/6.0, which the TypeScript 7 of node/ no longer has, so it
# has a lock file of its own in node/docs/ (typedoc and TypeScript 6.0 pinned there).
$(NODE_DIR)/docs/node_modules/.package-lock.json: $(NODE_DIR)/docs/package.json $(NODE_DIR)/docs/package-lock.json
	cd $(NODE_DIR)/docs && npm ci --no-audit --no-fund
	touch $@

node-docs-deps: $(NODE_DIR)/docs/node_modules/.package-lock.json

docs-node: node-docs-deps
	rm -rf target/docs/node
	cd $(NODE_DIR)/docs && node_modules/.bin/typedoc --options typedoc.json --treatWarningsAsErrors --out $(abspath target/docs/node)

DOCS_TARGETS += docs-node
