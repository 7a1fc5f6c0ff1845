#!/usr/bin/env bash
# Server capacity with many clients: `rdkernel serve` on the synthetic desktop (udp on loopback)
# and N headless `rdkernel attach` processes at once, for N in 1, 12, 50, with
# server.shared-encoding on and off. One table (docs/operations.md explains the columns).
#
#   bench/capacity/run.sh [BUILD_DIR] [SECONDS]
#     (CLIENTS="1,12,50" SIZE=1280x720 REPEAT=1 WORKLOADS="auto,stills")
#
# Every client decodes what it receives, on the same machine as the server: on a small machine the
# clients' CPU is part of the picture (the "clients CPU s/s" column shows how much).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${1:-$ROOT/build}"
SECS="${2:-12}"
RDK="$BUILD/bin/rdkernel"
[ -x "$RDK" ] || { echo "build first: $RDK not found" >&2; exit 2; }
exec python3 "$ROOT/bench/capacity/capacity.py" --rdkernel "$RDK" --seconds "$SECS" \
  --repeat "${REPEAT:-1}" --workloads "${WORKLOADS:-auto,stills}" \
  --clients "${CLIENTS:-1,12,50}" --size "${SIZE:-1280x720}"
