# Rules for ffi-c/ (included by the root Makefile): libconversations for C and C++.
#
#   make test-c      header up to date, C tests (API, the generic entry, vectors, a time-bounded
#                    fuzz of the JSON entry points) natively and under valgrind, the header as
#                    C++17, and an install + pkg-config build of the demo
#   make demo-c      build examples/c/demo.c and one example per API group (examples/c/<group>.c)
#                    and run them against a fresh emulator, then the C bot (examples/c/bot.c)
#                    through scripts/bot-demo.py
#   make docs-c      the C reference, from the header's doc comments: target/docs/c/index.html
#   make install     PREFIX=/usr/local (default) PROFILE=release|debug (default release)
#   make header-c    regenerate include/conversations.h with cbindgen
.PHONY: test-c test-c-install demo-c install header-c c-tools build-c c-examples docs-c

FFI_C_CBINDGEN := .tools/bin/cbindgen
FFI_C_CBINDGEN_VERSION := 0.29.4
FFI_C_OUT := $(DEBUG_DIR)/c-tests
FFI_C_CFLAGS := -std=c99 -Wall -Wextra -Werror -pedantic -g -Iinclude
FFI_C_LINK := -L$(DEBUG_DIR) -lconversations -Wl,-rpath,$(CURDIR)/$(DEBUG_DIR) -lpthread
FFI_C_TESTLIB := tests/c/json.c tests/c/emu.c tests/c/operations_table.c
# The webhook bodies the C tests parse: the emulator's own when they are there, else the spec's.
FFI_C_WEBHOOK_EVENTS := $(firstword $(wildcard tests/webhooks/emulated_events.json) tests/webhooks/spec_examples.json)
# The examples: one per API group (examples/c/<group>.c, sharing examples/c/example.h), and the
# bot; they read JSON answers with the tests' small reader (tests/c/json.c).
FFI_C_EXAMPLES := $(sort $(filter-out demo bot,$(basename $(notdir $(wildcard examples/c/*.c)))))
FFI_C_EXAMPLE_FLAGS := $(FFI_C_CFLAGS) -Itests/c
# The end-to-end run of the bot (when the harness is there).
FFI_C_BOT_DEMO := $(wildcard scripts/bot-demo.py)
# How long `make test-c` fuzzes the JSON entry points natively (seconds).
FFI_C_FUZZ_SECONDS ?= 5
# Runtime threads of tokio may leave "possibly lost"/"still reachable" blocks at exit (the
# runtime lives as long as the process); only definite and indirect leaks count.
FFI_C_VALGRIND := valgrind -q --leak-check=full --error-exitcode=1 \
	--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect

# cbindgen is a tool, installed once into the repo (not a build-dependency: keeps builds fast).
# --debug: it compiles in about half the time of a release build, and runs in well under a
# second either way (it reads ffi-c/ once).
$(FFI_C_CBINDGEN):
	$(CARGO) install --debug --root .tools cbindgen --version $(FFI_C_CBINDGEN_VERSION) --locked

# valgrind, pkg-config and a C++ compiler, from Debian only when missing.
c-tools:
	@if ! command -v valgrind >/dev/null || ! command -v pkg-config >/dev/null \
	    || ! command -v $(CC) >/dev/null || ! command -v $(CXX) >/dev/null; then \
	  echo "c-tools: installing valgrind pkg-config gcc g++"; \
	  apt-get update && apt-get install -y --no-install-recommends valgrind pkg-config gcc g++ libc6-dev; \
	fi

# cbindgen runs `cargo metadata` through $CARGO when it is set; the Makefile's may be a wrapper
# command (`flock ... cargo`), which it cannot execute: it gets the cargo on the PATH instead.
FFI_C_CBINDGEN_RUN := env -u CARGO $(FFI_C_CBINDGEN)

header-c: $(FFI_C_CBINDGEN)
	$(FFI_C_CBINDGEN_RUN) -q --config ffi-c/cbindgen.toml --output include/conversations.h ffi-c

build-c:
	$(CARGO) build -p sunco-ffi

test-c: c-tools $(FFI_C_CBINDGEN) emulator build-c
	@echo "== C: include/conversations.h matches a fresh cbindgen run"
	@tmp=$$(mktemp); trap 'rm -f "$$tmp"' EXIT; \
	  $(FFI_C_CBINDGEN_RUN) -q --config ffi-c/cbindgen.toml --output "$$tmp" ffi-c; \
	  diff -u include/conversations.h "$$tmp" || { echo "include/conversations.h is stale: run 'make header-c'"; exit 1; }
	@echo "== C: build the tests (C99 pedantic) and the header as C++17"
	mkdir -p $(FFI_C_OUT)
	$(CC) $(FFI_C_CFLAGS) tests/c/test_api.c $(FFI_C_TESTLIB) $(FFI_C_LINK) -o $(FFI_C_OUT)/test_api
	$(CC) $(FFI_C_CFLAGS) tests/c/test_vectors.c $(FFI_C_TESTLIB) $(FFI_C_LINK) -o $(FFI_C_OUT)/test_vectors
	$(CC) $(FFI_C_CFLAGS) tests/c/test_call.c $(FFI_C_TESTLIB) $(FFI_C_LINK) -o $(FFI_C_OUT)/test_call
	$(CC) $(FFI_C_CFLAGS) tests/c/fuzz_json.c $(FFI_C_TESTLIB) $(FFI_C_LINK) -o $(FFI_C_OUT)/fuzz_json
	$(CC) $(FFI_C_CFLAGS) tests/c/test_surface.c $(FFI_C_TESTLIB) $(FFI_C_LINK) -ldl -o $(FFI_C_OUT)/test_surface
	$(CC) $(FFI_C_CFLAGS) tests/c/test_webhooks.c tests/c/json.c $(FFI_C_LINK) -o $(FFI_C_OUT)/test_webhooks
	$(CXX) -std=c++17 -Wall -Wextra -Werror -pedantic -Iinclude tests/c/header_cpp.cpp $(FFI_C_LINK) -o $(FFI_C_OUT)/header_cpp
	$(FFI_C_OUT)/header_cpp
	@echo "== C: API tests, the generic entry, and shared vectors (tests/vectors and tests/vectors/operations)"
	$(WITH_EMULATOR) $(FFI_C_OUT)/test_api
	$(WITH_EMULATOR) $(FFI_C_OUT)/test_call
	$(WITH_EMULATOR) $(FFI_C_OUT)/test_vectors tests/vectors
	$(WITH_EMULATOR) $(FFI_C_OUT)/test_surface api.json
	@echo "== C: webhooks: every event type of $(FFI_C_WEBHOOK_EVENTS), and each refusal"
	SUNCO_WEBHOOK_BENCH=2000 $(FFI_C_OUT)/test_webhooks $(FFI_C_WEBHOOK_EVENTS)
	@echo "== C: fuzz of the JSON entry points, $(FFI_C_FUZZ_SECONDS) s (SUNCO_FUZZ_SEED=<seed> replays a run)"
	SUNCO_FUZZ_SECONDS=$(FFI_C_FUZZ_SECONDS) $(WITH_EMULATOR) $(FFI_C_OUT)/fuzz_json
	@echo "== C: the same under valgrind (the fork test runs natively only, see test_api.c; a shorter fuzz)"
	SUNCO_TEST_SKIP_FORK=1 $(WITH_EMULATOR) $(FFI_C_VALGRIND) $(FFI_C_OUT)/test_api
	$(WITH_EMULATOR) $(FFI_C_VALGRIND) $(FFI_C_OUT)/test_call
	SUNCO_VECTORS_TYPED=one $(WITH_EMULATOR) $(FFI_C_VALGRIND) $(FFI_C_OUT)/test_vectors tests/vectors
	$(WITH_EMULATOR) $(FFI_C_VALGRIND) $(FFI_C_OUT)/test_surface api.json
	$(FFI_C_VALGRIND) $(FFI_C_OUT)/test_webhooks $(FFI_C_WEBHOOK_EVENTS)
	SUNCO_FUZZ_ITERATIONS=150 SUNCO_FUZZ_SECONDS=30 $(WITH_EMULATOR) $(FFI_C_VALGRIND) $(FFI_C_OUT)/fuzz_json
	@echo "== C: the bot's HTTP edge (refusals, SIGTERM), natively and under valgrind, and end to end under valgrind (scripts/bot-demo.py)"
	$(MAKE) --no-print-directory c-examples
	$(PYTHON3) tests/c/bot_http.py $(FFI_C_OUT)/bot
	$(PYTHON3) tests/c/bot_http.py $(FFI_C_VALGRIND) $(FFI_C_OUT)/bot
	$(if $(FFI_C_BOT_DEMO),$(PYTHON3) scripts/bot-demo.py --emulator $(EMULATOR) -- $(FFI_C_VALGRIND) $(FFI_C_OUT)/bot,@echo "scripts/bot-demo.py is not there yet: no end-to-end bot run")
	$(MAKE) --no-print-directory test-c-install
	@echo "test-c: passed"

# Builds the examples and the bot with -Werror (needs the library: build-c).
c-examples:
	mkdir -p $(FFI_C_OUT)/examples
	@for e in $(FFI_C_EXAMPLES); do \
	  echo "$(CC) ... examples/c/$$e.c"; \
	  $(CC) $(FFI_C_EXAMPLE_FLAGS) examples/c/$$e.c tests/c/json.c $(FFI_C_LINK) -o $(FFI_C_OUT)/examples/$$e || exit 1; \
	done
	$(CC) $(FFI_C_EXAMPLE_FLAGS) examples/c/bot.c tests/c/json.c $(FFI_C_LINK) -o $(FFI_C_OUT)/bot

# Installs the debug build into a temporary prefix, then builds the demo with pkg-config,
# linked shared and static, and runs both against the emulator.
test-c-install: c-tools emulator
	@echo "== C: make install into a temporary prefix, build examples/c/demo.c with pkg-config"
	@prefix=$$(mktemp -d); trap 'rm -rf "$$prefix"' EXIT; \
	  $(MAKE) --no-print-directory install PREFIX="$$prefix" PROFILE=debug; \
	  export PKG_CONFIG_PATH="$$prefix/lib/pkgconfig"; \
	  pkg-config --exists --print-errors conversations; \
	  set -x; \
	  $(CC) -std=c99 -Wall -Wextra -Werror -pedantic examples/c/demo.c \
	    $$(pkg-config --cflags --libs conversations) -Wl,-rpath,"$$prefix/lib" -o "$$prefix/demo-shared"; \
	  $(CC) -std=c99 -Wall -Wextra -Werror -pedantic examples/c/demo.c $$(pkg-config --cflags conversations) \
	    $$(pkg-config --static --libs conversations | sed 's/-lconversations/-l:libconversations.a/') \
	    -o "$$prefix/demo-static"; \
	  { set +x; } 2>/dev/null; \
	  shared_deps=$$(ldd "$$prefix/demo-shared"); static_deps=$$(ldd "$$prefix/demo-static"); \
	  grep -q "$$prefix/lib/libconversations.so" <<<"$$shared_deps" || { echo "demo-shared does not use the installed .so"; exit 1; }; \
	  if grep -q libconversations <<<"$$static_deps"; then echo "demo-static is not linked statically"; exit 1; fi; \
	  $(WITH_EMULATOR) "$$prefix/demo-shared" >/dev/null; \
	  $(WITH_EMULATOR) "$$prefix/demo-static" >/dev/null; \
	  echo "test-c-install: shared and static demo builds ran"

# make install PREFIX=/usr/local PROFILE=release: lib/libconversations.so.X.Y.Z with the links
# .so.X (its SONAME) and .so, lib/libconversations.a, include/conversations.h,
# lib/pkgconfig/conversations.pc and lib/cmake/conversations/ (find_package(conversations)).
install:
	@prefix='$(or $(PREFIX),/usr/local)'; profile='$(or $(PROFILE),release)'; \
	  case "$$profile" in release) dir=release ;; debug|dev) profile=dev; dir=debug ;; \
	    *) echo "install: PROFILE must be release or debug"; exit 1 ;; esac; \
	  $(CARGO) build -p sunco-ffi --profile "$$profile"; \
	  version=$$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1); \
	  install -d "$$prefix/lib/pkgconfig" "$$prefix/include"; \
	  major=$${version%%.*}; \
	  install -d "$$prefix/lib/cmake/conversations"; \
	  install -m 0755 "$(TARGET_DIR)/$$dir/libconversations.so" "$$prefix/lib/libconversations.so.$$version"; \
	  ln -sfn "libconversations.so.$$version" "$$prefix/lib/libconversations.so.$$major"; \
	  ln -sfn "libconversations.so.$$major" "$$prefix/lib/libconversations.so"; \
	  install -m 0644 "$(TARGET_DIR)/$$dir/libconversations.a" "$$prefix/lib/"; \
	  install -m 0644 include/conversations.h "$$prefix/include/"; \
	  sed -e "s|@PREFIX@|$$prefix|" -e "s|@VERSION@|$$version|" ffi-c/conversations.pc.in \
	    > "$$prefix/lib/pkgconfig/conversations.pc"; \
	  for f in conversationsConfig.cmake conversationsConfigVersion.cmake; do \
	    sed -e "s|@VERSION@|$$version|g" -e "s|@MAJOR@|$$major|g" "ffi-c/cmake/$$f.in" \
	      > "$$prefix/lib/cmake/conversations/$$f"; \
	  done; \
	  echo "install: libconversations $$version ($$dir) installed in $$prefix"

demo-c: emulator build-c
	@echo "== C example (examples/c/demo.c)"
	mkdir -p $(FFI_C_OUT)
	$(CC) $(FFI_C_CFLAGS) examples/c/demo.c $(FFI_C_LINK) -o $(FFI_C_OUT)/demo
	$(WITH_EMULATOR) $(FFI_C_OUT)/demo
	@$(MAKE) --no-print-directory c-examples
	@echo "== C examples, one per API group: $(FFI_C_EXAMPLES)"
	$(WITH_EMULATOR) sh -c 'for e in $(FFI_C_EXAMPLES); do echo "== examples/c/$$e.c"; $(FFI_C_OUT)/examples/$$e || exit 1; done'
	@echo "== C bot (examples/c/bot.c) through scripts/bot-demo.py"
	$(if $(FFI_C_BOT_DEMO),$(PYTHON3) scripts/bot-demo.py --emulator $(EMULATOR) -- $(FFI_C_OUT)/bot,@echo "scripts/bot-demo.py is not there yet: no bot run")

# The C reference from the header's doc comments (cbindgen copied them from ffi-c/src): one page,
# grouped like the API, by a small standard-library script.
docs-c:
	$(PYTHON3) ffi-c/docs.py include/conversations.h $(DOCS_OUT)/c

DOCS_TARGETS += docs-c
