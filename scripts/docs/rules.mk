# Rules for the reference docs (included by the root Makefile).
#   make docs   the four references (Rust, C, Python, Node) and an index page, into target/docs/
# Each binding owns a docs-<lang> rule in its rules.mk that writes target/docs/<c,python,node>/
# and adds itself with `DOCS_TARGETS += docs-<lang>` (this file is included after them).
.PHONY: docs docs-rust docs-index

DOCS_OUT := target/docs

docs-rust:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -p sunco --no-deps
	rm -rf $(DOCS_OUT)/rust && mkdir -p $(DOCS_OUT)
	cp -r $(TARGET_DIR)/doc $(DOCS_OUT)/rust

docs: .venv/.sunco-codegen-tools docs-rust $(DOCS_TARGETS)
	.venv/bin/python scripts/docs/index.py $(DOCS_OUT)
	@echo "make docs: open $(DOCS_OUT)/index.html"
