#!/usr/bin/env bash
# The long exploratory mode (nightly): every fuzz target, or those named, for SECONDS each with a
# random seed. New inputs grow the build-tree corpus (BUILD/tests/fuzz/corpus-<target>, which the
# ctest runs also read and write); crashes, leaks and timeouts go to BUILD/tests/fuzz/findings/.
#   tests/fuzz/run_long.sh [SECONDS [TARGET...]]     (default: 3600 s, every target)
# Environment: BUILD (default build), JOBS targets at once (default 1; each uses one core).
# Exit status 1 when a target found something: reproduce with BUILD/tests/fuzz/fuzz_<t> <file>,
# fix it, add the file to tests/fuzz/corpus/<seeds> and a unit test (docs/testing.md).
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD="${BUILD:-build}"
OUT="$BUILD/tests/fuzz"
SECONDS_EACH="${1:-3600}"
[ $# -gt 0 ] && shift
TABLE="$OUT/fuzz_targets.txt"
if [ ! -f "$TABLE" ]; then
  echo "run_long.sh: $TABLE missing: configure and build $BUILD first" >&2
  exit 2
fi
cmake --build "$BUILD" --target rdk_fuzzers >/dev/null || exit 2
mkdir -p "$OUT/findings"

run_one() {
  local t="$1" line max_len seeds rc=0
  line=$(grep "^$t " "$TABLE") || { echo "no fuzz target $t" >&2; return 2; }
  read -r _ max_len seeds <<<"$line"
  mkdir -p "$OUT/corpus-$t" "$OUT/findings/$t"
  echo "== fuzz_$t: $SECONDS_EACH s, log $OUT/findings/$t.log"
  "$OUT/fuzz_$t" -max_total_time="$SECONDS_EACH" -seed=0 -max_len="$max_len" -rss_limit_mb=2048 \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$OUT/findings/$t/" \
    "$OUT/corpus-$t" "$seeds" >"$OUT/findings/$t.log" 2>&1 || rc=$?
  grep -E "stat::number_of_executed_units|stat::new_units_added|SUMMARY" "$OUT/findings/$t.log"
  return $rc
}
export -f run_one
export OUT SECONDS_EACH TABLE

[ $# -gt 0 ] || set -- $(cut -d' ' -f1 "$TABLE")
status=0
printf '%s\n' "$@" | xargs -P "${JOBS:-1}" -I{} bash -c 'run_one {}' || status=1
found=$(find "$OUT/findings" -type f ! -name '*.log' | wc -l)
echo "run_long.sh: $found finding(s) in $OUT/findings"
[ "$found" -eq 0 ] || status=1
exit $status
