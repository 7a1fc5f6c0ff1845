#!/usr/bin/env bash
# What `rdkernel proxy` adds to a session: capture-to-paint p50 and CPU per Mbit/s, through the
# proxy against a direct connection to an identical session, alternating in one run
# (bench/proxy/bench.py).
# usage: bench/proxy/run.sh [BUILD_DIR] [SECONDS] [ROUNDS] [SIZE] [ENCODING] [TRANSPORT tcp|udp|ssl|ws|wss]
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build}"
[ -x "$build/bin/rdkernel" ] || { echo "build first: $build/bin/rdkernel not found" >&2; exit 2; }
exec python3 bench/proxy/bench.py --rdkernel "$build/bin/rdkernel" --seconds "${2:-8}" \
  --rounds "${3:-3}" --size "${4:-1280x720}" --encoding "${5:-}" --transport "${6:-tcp}"
