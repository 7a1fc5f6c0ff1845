#!/usr/bin/env bash
# Capture-to-paint latency (p50/p99) and frames/s of the whole pipeline at 1920x1080, per encoder
# choice and transport, on the synthetic desktop (rdkernel demo) and on Xvfb (serve --platform x11
# + attach). One run, one table.  usage: bench/pipeline/run.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
build="${1:-build}"
seconds="${2:-10}"
rdk="$build/bin/rdkernel"
[ -x "$rdk" ] || { echo "build first: $rdk not found" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"; [ -n "${xvfb_pid:-}" ] && kill $xvfb_pid 2>/dev/null || true' EXIT

field() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d.get(sys.argv[2],0))" "$1" "$2"; }
row() {  # desktop transport encodings json
  printf "| %-9s | %-9s | %-22s | %8.1f | %8.1f | %6.1f | %9.0f | %6s |\n" "$1" "$2" "$3" \
    "$(field "$4" latency_p50_ms)" "$(field "$4" latency_p99_ms)" "$(field "$4" fps)" \
    "$(/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['draw_bytes']*8/1000/max(d['seconds'],1e-9))" "$4")" \
    "$(field "$4" decode_errors)"
}

echo "| desktop   | transport | encodings              | p50 ms   | p99 ms   | fps    | kbit/s    | errors |"
echo "|-----------|-----------|------------------------|----------|----------|--------|-----------|--------|"
for transport in tcp udp; do
  for encodings in "auto" "png,rgb24,rgb32" "webp,rgb24" "vp8,rgb24" "vp9,rgb24" "jpeg,rgb24"; do
    set_enc=()
    [ "$encodings" != auto ] && set_enc=(--set "server.encodings=$encodings")
    "$rdk" demo --quiet --json --transport "$transport" --loss 0 --seconds "$seconds" \
      --size 1920x1080 --snapshot "$out/last.png" "${set_enc[@]}" > "$out/r.json" 2>/dev/null || true
    row synthetic "$transport" "$encodings" "$out/r.json"
  done
done

# Xvfb: an xterm printing continuously and an x11-apps clock, captured in shadow mode.
disp=:$(( 200 + RANDOM % 50 ))
Xvfb "$disp" -screen 0 1920x1080x24 -nolisten tcp -noreset >/dev/null 2>&1 & xvfb_pid=$!
sleep 1
DISPLAY=$disp xterm -geometry 200x60+0+0 -e "bash -c 'while true; do ls -lR /usr/share | head -2000; done'" >/dev/null 2>&1 &
DISPLAY=$disp xclock -update 1 -geometry 300x300+1500+50 >/dev/null 2>&1 &
for transport in tcp udp; do
  for encodings in "auto" "png,rgb24,rgb32" "vp8,rgb24"; do
    set_enc=()
    [ "$encodings" != auto ] && set_enc=(--set "server.encodings=$encodings")
    "$rdk" serve --bind "$transport://127.0.0.1:0" --platform x11 --display "$disp" \
      "${set_enc[@]}" > "$out/serve.log" 2>&1 & serve_pid=$!
    for _ in $(seq 50); do grep -q "listening on" "$out/serve.log" && break; sleep 0.1; done
    url=$(grep -o "$transport://[0-9.:]*" "$out/serve.log" | head -1)
    "$rdk" attach "$url" --headless --json --no-status --seconds "$seconds" > "$out/r.json" 2>/dev/null || true
    kill $serve_pid 2>/dev/null; wait $serve_pid 2>/dev/null || true
    row xvfb "$transport" "$encodings" "$out/r.json"
  done
done
