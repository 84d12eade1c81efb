#!/usr/bin/env bash
# Installs whatever omnikpi's build and tests need and is missing. Idempotent: a second run
# only checks versions. Everything comes from crates.io, npm, PyPI or Debian's packages; no step
# downloads a browser or a prebuilt binary from anywhere else.
#
#   scripts/setup.sh          build tools + browser (for `make run` and `make test`)
#   scripts/setup.sh --sql    also DuckDB and pyspark for the warehouse SQL tests
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
# The wasm-bindgen CLI must match the library version in Cargo.lock exactly.
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
grep -q "wasm_bindgen = \"$WBG_VERSION\"" Trunk.toml || {
  echo "setup: Trunk.toml [tools] wasm_bindgen must be \"$WBG_VERSION\" (the version in Cargo.lock)" >&2
  exit 1
}

export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 9 minutes the first time)"
  cargo install --locked "trunk@$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WBG_VERSION" ]; then
  say "installing wasm-bindgen-cli $WBG_VERSION"
  # --locked fails here on a yanked dependency version; the crate's own bounds are fine.
  cargo install --force wasm-bindgen-cli --version "$WBG_VERSION"
fi

# The splitter of the app's module (scripts/wasm-split.mjs) is released with the runtime half
# Leptos links in (wasm_split_helpers); take the same version as Cargo.lock's.
SPLIT_VERSION=$(awk '/^name = "wasm_split_helpers"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if ! cargo install --list | grep -qx "wasm_split_cli_support v$SPLIT_VERSION:"; then
  say "installing wasm-split-cli $SPLIT_VERSION (about a minute the first time)"
  cargo install --locked "wasm_split_cli_support@$SPLIT_VERSION" --features build-binary
fi

if [ ! -x e2e/node_modules/.bin/wasm-opt ] || [ ! -d e2e/node_modules/playwright-core ] \
  || ! e2e/node_modules/.bin/wasm-opt --version | grep -q "version $BINARYEN_VERSION"; then
  say "installing npm packages (playwright-core, binaryen $BINARYEN_VERSION)"
  (cd e2e && npm ci --no-audit --no-fund)
fi

# Trunk finds wasm-opt on PATH; point it at binaryen's from npm, never Debian's (108 is broken).
mkdir -p .tools/bin
ln -sf "$root/e2e/node_modules/.bin/wasm-opt" .tools/bin/wasm-opt

if ! command -v chromium >/dev/null 2>&1; then
  say "installing Chromium from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# cargo-fuzz drives the fuzz targets; it needs a nightly toolchain, which rustup may or may not
# have here (crates/engine/fuzz/run.sh says so and falls back to the stable smoke test).
if rustup toolchain list | grep -q '^nightly' && ! command -v cargo-fuzz >/dev/null 2>&1; then
  say "installing cargo-fuzz"
  cargo install --locked cargo-fuzz@0.13.2
fi

if [ "${1:-}" = "--sql" ]; then
  if ! python3 -c 'import duckdb, pyspark' 2>/dev/null; then
    say "installing duckdb and pyspark from PyPI"
    python3 -m pip install --quiet -r sql/requirements.txt
  fi
fi
say "ready"
