# Rules for node/ (included by the root Makefile): the npm package `sunco`.
#   make test-node    type-check, unit + emulator tests, then pack/install/smoke the tarball
#   make demo-node    run examples/node/demo.js (and demo.ts) against a fresh emulator
#   make node-bindings  rebuild and rewrite the committed napi outputs (native.js, native.d.ts)
#   make node-release   release build of the addon (for benchmarks)
.PHONY: test-node demo-node node-deps node-build node-bindings node-release

NODE_DIR := node
NODE_BIN := $(NODE_DIR)/node_modules/.bin
# napi writes here first; the committed native.js / native.d.ts are compared with it.
NODE_GEN := $(TARGET_DIR)/node-gen
NAPI_BUILD = cd $(NODE_DIR) && node_modules/.bin/napi build --platform --target $(HOST) \
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

test-node: emulator node-build
	$(NODE_BIN)/tsc -p $(NODE_DIR)/test/tsconfig.json
	$(NODE_BIN)/tsc -p examples/node/tsconfig.json
	cd $(NODE_DIR) && SUNCO_EMULATOR=$(abspath $(EMULATOR)) node --test test/*.test.js test/*.test.mjs
	$(NODE_DIR)/test/smoke/pack-smoke.sh $(EMULATOR)

# The examples say `require('sunco')`; NODE_PATH points that at node/ without installing it.
NODE_DEMO_PATH := $(TARGET_DIR)/node-demo
demo-node: emulator node-build
	@echo "== Node example (examples/node/demo.js)"
	mkdir -p $(NODE_DEMO_PATH)/lib && ln -sfn $(abspath $(NODE_DIR)) $(NODE_DEMO_PATH)/lib/sunco
	NODE_PATH=$(abspath $(NODE_DEMO_PATH))/lib $(WITH_EMULATOR) node examples/node/demo.js
	@echo "== Node example in TypeScript (examples/node/demo.ts, compiled by tsc)"
	$(NODE_BIN)/tsc -p examples/node/tsconfig.json --noEmit false --outDir $(abspath $(NODE_DEMO_PATH))/ts
	NODE_PATH=$(abspath $(NODE_DEMO_PATH))/lib $(WITH_EMULATOR) node $(NODE_DEMO_PATH)/ts/demo.js
