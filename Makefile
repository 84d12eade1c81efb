# omnikpi: `make run` serves the dashboard, `make test` runs every test. Both install what is
# missing first (scripts/setup.sh) and are safe to repeat.
SHELL := /bin/bash
export PATH := $(CURDIR)/.tools/bin:$(HOME)/.cargo/bin:$(PATH)
ADDRESS ?= 127.0.0.1
PORT ?= 8080

.PHONY: run replay test setup build build-subpath test-native test-fuzz test-e2e test-sql lint bench bench-app fmt screenshots

setup:
	@scripts/setup.sh

build: setup
	trunk build --release --offline

# The same app built for https://host/omnikpi/, for the sub-path deployment test.
build-subpath: build
	trunk build --release --offline --public-url /omnikpi/ --dist target/dist-subpath

run: build
	node e2e/serve.mjs dist $(ADDRESS) $(PORT)

# The dashboard live: the replay server (crates/replay) serves dist/ under the same strict CSP and
# replays the demo year as a live feed, SPEED simulated seconds per real second, MODE sse or poll.
SPEED ?= 60
MODE ?= sse
replay: build
	cargo run --release -q -p omnikpi-replay -- --dist dist --data public/data/demo.csv --addr $(ADDRESS) --port $(PORT) --speed $(SPEED) --mode $(MODE)

test-native: setup
	cargo test -p omnikpi-engine --release
	cargo test -p omnikpi-replay --release
	# The app crate's own unit tests (chart drawing, URL filters, escaping) run natively too.
	cargo test -p omnikpi --lib --release

# Clippy with warnings as errors: the native crates with their tests, the wasm crates for wasm32.
lint: setup
	@cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
	cargo clippy -p omnikpi-engine -p omnikpi-replay --all-targets --release -- -D warnings
	cargo clippy -p omnikpi -p omnikpi-xlsx-worker --target wasm32-unknown-unknown --release -- -D warnings

# The readers under cargo-fuzz for a bounded time (nightly toolchain; see crates/engine/fuzz).
FUZZ_SECONDS ?= 20
test-fuzz: setup
	crates/engine/fuzz/run.sh $(FUZZ_SECONDS)

test-e2e: build build-subpath
	cd e2e && npm test

# The warehouse cube SQL on DuckDB and Spark SQL (local mode) against the engine (docs/cube.md).
test-sql:
	@scripts/setup.sh --sql
	cd sql && python3 -m pytest -q -p no:cacheprovider test_cube_sql.py

# Browser benchmark: omnikpi (wasm) beside DuckDB-WASM and Arquero on 1M generated contacts, each
# engine and input format in its own headless Chromium (load, queries, renderer peak memory); writes
# the 1M part of the "Browser benchmark" section of docs/performance.md. 10M contacts (about ten
# minutes): node bench/run.mjs --contacts 10000000
bench: setup
	python3 -m pip install --quiet -r bench/requirements.txt
	cd bench && npm ci --no-audit --no-fund
	node bench/run.mjs

# The built app at scale: open-to-tiles time, filter-change-to-painted-frame latency of the ops
# view and the renderer's peak memory with the benchmark's 1M contacts (needs `make bench` data);
# writes the "App at scale" section of docs/performance.md.
bench-app: build
	node bench/latency.mjs

# The README's screenshots (docs/screenshots/) from the built app on the demo data.
screenshots: build
	node e2e/screenshots.mjs

test: test-native lint test-fuzz test-e2e test-sql

fmt:
	cargo fmt --all
