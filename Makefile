# omnikpi: `make run` serves the dashboard, `make test` runs every test. Both install what is
# missing first (scripts/setup.sh) and are safe to repeat.
SHELL := /bin/bash
export PATH := $(CURDIR)/.tools/bin:$(HOME)/.cargo/bin:$(PATH)
ADDRESS ?= 127.0.0.1
PORT ?= 8080

.PHONY: run test setup build build-subpath test-native test-e2e test-sql fmt

setup:
	@scripts/setup.sh

build: setup
	trunk build --release --offline

# The same app built for https://host/omnikpi/, for the sub-path deployment test.
build-subpath: build
	trunk build --release --offline --public-url /omnikpi/ --dist target/dist-subpath

run: build
	node e2e/serve.mjs dist $(ADDRESS) $(PORT)

test-native: setup
	cargo test -p omnikpi-engine --release

test-e2e: build build-subpath
	cd e2e && npm test

# The warehouse cube SQL on DuckDB and Spark SQL (local mode) against the engine (docs/cube.md).
test-sql:
	@scripts/setup.sh --sql
	cd sql && python3 -m pytest -q -p no:cacheprovider test_cube_sql.py

test: test-native test-e2e

fmt:
	cargo fmt --all
