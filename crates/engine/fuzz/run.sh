#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 30 s each). Needs a nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz`); without them it says so and exits 0, since the same
# checks run on stable in `cargo test -p omnikpi-engine` (tests/fuzz_smoke.rs).
set -euo pipefail
cd "$(dirname "$0")"
SECS="${1:-30}"
if ! command -v cargo-fuzz >/dev/null 2>&1 || ! rustup toolchain list | grep -q nightly; then
  echo "fuzz: cargo-fuzz or a nightly toolchain is missing; skipped (the stable smoke test covers the same checks)"
  exit 0
fi
for t in csv_reader json_reader mapped_reader; do
  mkdir -p "corpus/$t"
  cp -n seeds/* "corpus/$t/" 2>/dev/null || true
  cargo +nightly fuzz run "$t" "corpus/$t" -- -max_total_time="$SECS" -rss_limit_mb=2048
done
echo "fuzz: all targets ran ${SECS}s without a crash"
