# Rules for releases (included by the root Makefile): every package for every platform.
#
#   make dist          release builds of every artifact into dist/ (wheels + sdist, npm packages,
#                      C tarballs, the crate) with dist/MANIFEST.tsv, then `dist-verify` on them.
#                      Long (four cross-linked targets); not part of `make test`.
#   make dist-verify   the checks alone, on an existing dist/ (scripts/dist/verify.sh says which)
#   make dist-check    quick check of the packaging metadata and of the one version number
#                      (part of `make test`; no build)
#   make version-set VERSION=X.Y.Z   write a new version everywhere (scripts/dist/version.py)
#
# Release builds go to target/dist, never to the debug builds' target/<host>/. Each build holds
# DIST_LOCK (default: flock on /tmp/sunco-build.lock) so that builds never overlap.
.PHONY: dist dist-tools dist-verify dist-check version-set

DIST_TARGETS := x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl
DIST_LOCK ?= flock /tmp/sunco-build.lock
export DIST_LOCK

$(PY_TOOLS)/.sunco-dist-tools: scripts/dist/requirements.txt $(PY_TOOLS)/.sunco-py-tools
	$(PY_TOOLS)/bin/pip install $(PIP_QUIET) -r scripts/dist/requirements.txt
	touch $@

# rustup: each target's standard library, and llvm-strip (llvm-tools), which strips the
# libraries and addons of every architecture.
# musl-gcc (Debian's musl-tools) builds a musl program against the x86_64 musl tarball.
dist-tools: $(PY_TOOLS)/.sunco-dist-tools c-tools
	rustup target add $(DIST_TARGETS)
	rustup component add llvm-tools
	command -v musl-gcc >/dev/null || { apt-get update && apt-get install -y --no-install-recommends musl-tools; }

dist: dist-tools
	scripts/dist/build.sh
	scripts/dist/verify.sh

dist-verify: dist-tools
	scripts/dist/verify.sh

dist-check:
	$(PYTHON3) scripts/dist/version.py check
	$(PYTHON3) scripts/dist/check_metadata.py

version-set:
	@test -n "$(VERSION)" || { echo "version-set: give VERSION=X.Y.Z"; exit 1; }
	$(PYTHON3) scripts/dist/version.py set $(VERSION)
