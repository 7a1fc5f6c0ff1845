#!/usr/bin/env bash
# Browser clients against rdkernel attach at 1920x1080 (bench/web/bench.mjs): frames/s,
# capture-to-paint p50/p99 and CPU of the client, for rdkernel's web client (WebCodecs vp8 and
# stills only), the stock Xpra 3.1.3 HTML5 client and `rdkernel attach`, all over ws:// on
# loopback in one run.  usage: bench/web/run.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build}"
seconds="${2:-10}"
[ -x "$build/bin/rdkernel" ] || { echo "build first: $build/bin/rdkernel not found" >&2; exit 2; }
[ -d tests/web/node_modules/playwright-core ] || { echo "run scripts/install-deps.sh (npm ci in tests/web)" >&2; exit 2; }
exec node bench/web/bench.mjs --rdkernel "$build/bin/rdkernel" --seconds "$seconds"
