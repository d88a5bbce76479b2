# The README's two commands: `make test` and `make run`. Both install what
# they need on a fresh machine first.
SHELL := /bin/bash
SWIFT ?= swift

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
	$(SWIFT) test 2>&1 | tee .build/test.log; exit $${PIPESTATUS[0]}
	python3 scripts/interop/check_vectors.py

# The server arrives with the RPC and server issues; until then there is nothing to run.
run: deps
	@echo "make run starts tipline-server; the server is not built yet (see the README's status)." >&2
	@exit 1

bench: deps
	$(SWIFT) run -c release --package-path Benchmarks crypto-bench
