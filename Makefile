# The README's two commands: `make test` and `make run`. Both install what
# they need on a fresh machine first.
SHELL := /bin/bash
SWIFT ?= swift
TEST_TARGETS = TiplineCryptoTests TiplineRPCTests TiplineStoreTests TiplineServerTests

.PHONY: test deps build vectors-check interop run bench

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build

# Every test: the Swift suites (which replay proto/vectors), then the
# independent Python check that opens the vectors from the spec alone.
test: deps
	scripts/generate-proto --check
	$(SWIFT) build --build-tests
	@# One test target at a time: the CPU-bound crypto suites (Argon2id at
	@# MODERATE, exhaustive codename checks) would otherwise hold both of a
	@# 2-core machine's concurrency threads for seconds and starve the live
	@# server suites' timers.
	@set -o pipefail; for target in $(TEST_TARGETS); do \
	  echo "== $$target"; \
	  $(SWIFT) test --skip-build --filter "$$target\." 2>&1 | tee -a .build/test.log | grep -vE '^(◇|↳)' || exit 1; \
	done
	python3 scripts/interop/check_vectors.py

# The server arrives with the RPC and server issues; until then there is nothing to run.
run: deps
	@echo "make run starts tipline-server; the server is not built yet (see the README's status)." >&2
	@exit 1

bench: deps
	$(SWIFT) run -c release --package-path Benchmarks crypto-bench
