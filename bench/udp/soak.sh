#!/bin/bash
# Soak: `rdkernel serve --bind udp://...` and `rdkernel attach udp://...` for 10 minutes at 30%
# simulated loss (receive-side drop on both ends via RDK_UDP_DROP_PCT), sampling both processes'
# RSS every 10 s. Passes when neither process dies and the RSS of the last sample stays within
# 20% (+8 MiB) of the sample taken after the first minute (flat memory).
#
#   bench/udp/soak.sh [build-dir]   (SOAK_SECONDS=600 SOAK_LOSS=30 SOAK_PORT=15555)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${1:-$ROOT/build}"
RDK="$BUILD/bin/rdkernel"
DURATION="${SOAK_SECONDS:-600}"
LOSS="${SOAK_LOSS:-30}"
PORT="${SOAK_PORT:-15555}"
LOG="$(mktemp -d /tmp/rdk-soak.XXXXXX)"
[ -x "$RDK" ] || { echo "no $RDK (build the rdkernel target first)"; exit 1; }

export RDK_UDP_DROP_PCT="$LOSS"
"$RDK" serve --bind "udp://127.0.0.1:$PORT" >"$LOG/serve.log" 2>&1 &
SERVER=$!
sleep 2
"$RDK" attach "udp://127.0.0.1:$PORT" --headless >"$LOG/attach.log" 2>&1 &
CLIENT=$!
cleanup() { kill "$CLIENT" "$SERVER" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT

rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
echo "time_s server_rss_kb client_rss_kb"
base_s=0 base_c=0 last_s=0 last_c=0
for ((t = 10; t <= DURATION; t += 10)); do
  sleep 10
  if ! kill -0 "$SERVER" 2>/dev/null; then echo "FAIL: server died at ${t}s"; tail -20 "$LOG/serve.log"; exit 1; fi
  if ! kill -0 "$CLIENT" 2>/dev/null; then echo "FAIL: client died at ${t}s"; tail -20 "$LOG/attach.log"; exit 1; fi
  last_s=$(rss "$SERVER"); last_c=$(rss "$CLIENT")
  echo "$t $last_s $last_c"
  if [ "$t" = 60 ]; then base_s=$last_s; base_c=$last_c; fi
done
ok=1
for pair in "server $base_s $last_s" "client $base_c $last_c"; do
  set -- $pair
  limit=$(( $2 * 120 / 100 + 8192 ))
  if [ "$2" -gt 0 ] && [ "$3" -gt "$limit" ]; then echo "FAIL: $1 RSS grew from $2 kB to $3 kB"; ok=0; fi
done
[ "$ok" = 1 ] && echo "PASS: ${DURATION}s at ${LOSS}% loss, server RSS $base_s -> $last_s kB, client $base_c -> $last_c kB"
echo "logs in $LOG"
[ "$ok" = 1 ]
