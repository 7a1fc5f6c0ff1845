#!/usr/bin/env bash
# Video regions and scroll draws against fixed encodings and a stock Xpra 3.1.3 shadow server, on
# the same private 1920x1080 Xvfb workloads, in one run, with the same client (rdkernel attach):
#   busy-xterm: an xterm running `while :; do date +%N; done` and `xclock -update 1`;
#   ico:        the same xclock plus `ico -faces` (full motion in a 600x600 window);
#   ls:         the same xclock plus a 200x60 xterm listing /usr/share in a loop (bench/pipeline/
#               run.sh's workload, where the policy once sent the whole screen as video).
# Per row: frames painted per second, kbit/s, ping p50/p99, capture-to-paint p50/p99 (rdkernel
# servers only: Xpra does not stamp its draws), server CPU (utime+stime of the server process
# and its threads) per painted frame, and which encodings the client received.
# REPS > 1 runs every server REPS times per workload, interleaved (auto, png, ..., auto, png, ...:
# load from elsewhere hits all of them alike), prints each run, then the median of each column.
# WORKLOADS and SERVERS (environment, space-separated) restrict what runs.
# usage: bench/pipeline/regions.sh [BUILD_DIR] [SECONDS] [REPS]
set -euo pipefail
build="${1:-build}"
seconds="${2:-10}"
reps="${3:-1}"
workloads="${WORKLOADS:-busy-xterm ico ls}"
servers="${SERVERS:-auto png,rgb24,rgb32 jpeg,rgb24 vp8,rgb24 xpra-shadow}"
rdk="$build/bin/rdkernel"
[ -x "$rdk" ] || { echo "build first: $rdk not found" >&2; exit 2; }
out=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$out"; }
trap cleanup EXIT
tck=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
py() { /usr/bin/python3 -c "$@"; }

row() {  # workload server json cpu_ticks: prints the row, keeps it for the medians
  py "
import json
d = json.load(open('$3'))
frames = d.get('fps', 0) * max(d.get('seconds', 0), 1e-9)
secs = max(d.get('seconds', 0), 1e-9)
r = {'workload': '$1', 'server': '$2', 'fps': d.get('fps', 0),
     'kbps': d.get('draw_bytes', 0) * 8 / 1000 / secs, 'ping50': d.get('rtt_ms', 0),
     'ping99': d.get('rtt_p99_ms', 0), 'paint50': d.get('latency_p50_ms') or None,
     'paint99': d.get('latency_p99_ms') or None,
     'cpu': ($4 * 1000.0 / $tck) / frames if frames else None,
     'enc': ','.join('%s:%d' % kv for kv in sorted(d.get('draws_per_encoding', {}).items(),
                                                    key=lambda kv: -kv[1])[:4])}
open('$out/rows.jsonl', 'a').write(json.dumps(r) + '\\n')
print(fmt(r))
" 
}

# One table row (r: a run, or the medians of several).
cat > "$out/fmt.py" <<'PY'
def fmt(r):
    f = lambda v, w, p: ('%*.*f' % (w, p, v)) if v is not None else '%*s' % (w, '-')
    return '| %-10s | %-16s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
        r['workload'], r['server'], f(r['fps'], 6, 1), f(r['kbps'], 9, 0), f(r['ping50'], 7, 1),
        f(r['ping99'], 7, 1), f(r['paint50'], 8, 1), f(r['paint99'], 8, 1), f(r['cpu'], 8, 2),
        r['enc'])
PY
export PYTHONPATH="$out"
py() { /usr/bin/python3 -c "from fmt import fmt
$1"; }

wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
free_port() { py "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"; }

header() {
  echo "| workload   | server           | fps    | kbit/s    | ping50  | ping99  | paint50  | paint99  | cpu ms/f | encodings (draws) |"
  echo "|------------|------------------|--------|-----------|---------|---------|----------|----------|----------|-------------------|"
}
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
header
for workload in $workloads; do
  disp=:$(( 200 + RANDOM % 50 ))
  Xvfb "$disp" -screen 0 1920x1080x24 -nolisten tcp -noreset >/dev/null 2>&1 & xvfb=$!; pids+=($xvfb)
  sleep 1
  DISPLAY=$disp xclock -update 1 -geometry 300x300+1500+50 >/dev/null 2>&1 & pids+=($!)
  if [ "$workload" = busy-xterm ]; then
    DISPLAY=$disp xterm -geometry 120x40+0+0 -e bash -c 'while :; do date +%N; done' >/dev/null 2>&1 & pids+=($!)
  elif [ "$workload" = ico ]; then
    DISPLAY=$disp ico -faces -geometry 600x600+100+100 >/dev/null 2>&1 & pids+=($!)
  else
    DISPLAY=$disp xterm -geometry 200x60+0+0 \
      -e bash -c 'while true; do ls -lR /usr/share | head -2000; done' >/dev/null 2>&1 & pids+=($!)
  fi
  sleep 1
  for rep in $(seq "$reps"); do for server in $servers; do
    port=$(free_port)
    if [ "$server" = xpra-shadow ]; then
      mkdir -p "$out/xpra/home" "$out/xpra/sock"
      env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$out/xpra/home" DISPLAY="$disp" \
        /usr/bin/xpra shadow "$disp" --bind-tcp="127.0.0.1:$port" --daemon=no --mdns=no \
        --pulseaudio=no --notifications=no --speaker=off --microphone=off --webcam=no --printing=no \
        --file-transfer=no --open-files=no --dbus-proxy=no --dbus-control=no --systemd-run=no \
        --html=off --bell=no --system-tray=no --mmap=no --clipboard=no \
        --socket-dirs="$out/xpra/sock" --log-dir="$out/xpra" > "$out/serve.log" 2>&1 & spid=$!
    else
      set_enc=()
      [ "$server" != auto ] && set_enc=(--set "server.encodings=$server")
      "$rdk" serve --bind "tcp://127.0.0.1:$port" --platform x11 --display "$disp" \
        "${set_enc[@]}" > "$out/serve.log" 2>&1 & spid=$!
    fi
    pids+=($spid)
    wait_port "$port" || { echo "| $workload | $server | did not start |"; kill $spid 2>/dev/null || true; continue; }
    sleep 1
    before=$(cpu_ticks $spid)
    "$rdk" attach "tcp://127.0.0.1:$port" --headless --json --no-status --seconds "$seconds" \
      > "$out/r.json" 2>/dev/null || true
    after=$(cpu_ticks $spid)
    kill $spid 2>/dev/null; wait $spid 2>/dev/null || true
    name=$server; [ "$server" = auto ] && name="rdkernel auto"
    [ -s "$out/r.json" ] && row "$workload" "$name" "$out/r.json" $(( after - before )) \
      || echo "| $workload | $name | no result |"
  done; done
  kill $xvfb 2>/dev/null || true
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$reps" -gt 1 ] || exit 0
echo
echo "Medians of $reps runs (encodings: the first run's):"
header
py "
import json, statistics
rows = [json.loads(l) for l in open('$out/rows.jsonl')]
seen = []
for r in rows:
    if (r['workload'], r['server']) not in seen:
        seen.append((r['workload'], r['server']))
for key in seen:
    runs = [r for r in rows if (r['workload'], r['server']) == key]
    m = dict(runs[0])
    for k in ('fps', 'kbps', 'ping50', 'ping99', 'paint50', 'paint99', 'cpu'):
        vals = [r[k] for r in runs if r[k] is not None]
        m[k] = statistics.median(vals) if vals else None
    print(fmt(m))
"
