# Rules for bench/ (included by the root Makefile).
.PHONY: bench bench-quick
bench:
	@echo "bench: not built yet"
bench-quick:
	@echo "bench-quick: not built yet"
