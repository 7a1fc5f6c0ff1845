#!/bin/bash
# Captures the first packets of a real Xpra 3.1.3 client <-> server session (reference §9).
#   stock `xpra start` on :191 (TCP 14592)  <--  capture_proxy.py on 14591  <--  `xpra attach` on Xvfb :192
# Writes tests/data/xpra-3.1.3/{client,server}-{hello,stream}.bin. Needs root-free private dirs only.
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="$HERE/xpra-3.1.3"
WORK="$(mktemp -d /tmp/rdk-capture.XXXXXX)"
SRV_DISPLAY=:191
CLI_DISPLAY=:192
PROXY_PORT=14591
SERVER_PORT=14592
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME="$WORK/home" XAUTHORITY="$WORK/home/.Xauthority"
mkdir -p "$HOME" "$WORK/sock" "$WORK/logs" "$OUT"
touch "$XAUTHORITY"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  sleep 1
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT

xpra start "$SRV_DISPLAY" --bind-tcp=127.0.0.1:$SERVER_PORT \
  --socket-dirs="$WORK/sock" --socket-dir="$WORK/sock" --log-dir="$WORK/logs" \
  --daemon=no --mdns=no --pulseaudio=no --notifications=no --speaker=off --microphone=off --webcam=no \
  --printing=no --file-transfer=no --open-files=no --dbus-proxy=no --dbus-control=no --systemd-run=no \
  --html=off --bell=no --system-tray=no --start-new-commands=no \
  --xvfb="Xvfb +extension Composite -screen 0 1280x800x24+32 -dpi 96 -nolisten tcp -noreset -auth $XAUTHORITY" \
  --start="xterm -geometry 40x8+0+0" >"$WORK/logs/server.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 40); do
  (exec 3<>/dev/tcp/127.0.0.1/$SERVER_PORT) 2>/dev/null && break
  sleep 0.5
done

rm -f "$OUT"/client-*.bin "$OUT"/server-*.bin
/usr/bin/python3 "$HERE/capture_proxy.py" $PROXY_PORT $SERVER_PORT "$OUT" 40 >"$WORK/logs/proxy.out" 2>&1 &
PROXY_PID=$!
PIDS+=($PROXY_PID)
sleep 0.5

Xvfb "$CLI_DISPLAY" -screen 0 1280x800x24 -nolisten tcp -noreset >"$WORK/logs/xvfb-client.out" 2>&1 &
PIDS+=($!)
sleep 1
DISPLAY=$CLI_DISPLAY xpra attach tcp://127.0.0.1:$PROXY_PORT/ --opengl=no --speaker=off --microphone=off \
  --webcam=no --notifications=no --tray=no --mdns=no --printing=no --file-transfer=no --open-files=no \
  --bell=no --system-tray=no --clipboard=no --desktop-scaling=off --mmap=no \
  --socket-dirs="$WORK/sock" --log-dir="$WORK/logs" >"$WORK/logs/client.out" 2>&1 &
CLIENT_PID=$!
PIDS+=($CLIENT_PID)

# Enough time for the handshake, the first windows and draws.
for _ in $(seq 1 20); do
  [ -s "$OUT/client-stream.bin" ] && [ -s "$OUT/server-stream.bin" ] && break
  sleep 0.5
done
sleep 4
kill "$CLIENT_PID" 2>/dev/null
wait "$PROXY_PID" 2>/dev/null
ls -l "$OUT"
if [ ! -s "$OUT/client-hello.bin" ] || [ ! -s "$OUT/server-hello.bin" ]; then
  echo "capture failed; logs:" >&2
  tail -n 30 "$WORK"/logs/*.out >&2
  exit 1
fi
xpra --version > "$OUT/xpra-version.txt"

# One-shot clients: `xpra version` and `xpra info` (version_request / info_request hellos and the
# server's replies), each through a fresh proxy into its own directory.
for what in version info; do
  mkdir -p "$OUT/$what"
  rm -f "$OUT/$what"/*.bin
  /usr/bin/python3 "$HERE/capture_proxy.py" $PROXY_PORT $SERVER_PORT "$OUT/$what" 40 >"$WORK/logs/proxy-$what.out" 2>&1 &
  PROXY_PID=$!
  PIDS+=($PROXY_PID)
  sleep 0.5
  timeout 20 xpra "$what" tcp://127.0.0.1:$PROXY_PORT/ --socket-dirs="$WORK/sock" >"$OUT/$what/xpra-$what.out" 2>&1
  wait "$PROXY_PID" 2>/dev/null
  if [ ! -s "$OUT/$what/client-hello.bin" ] || [ ! -s "$OUT/$what/server-hello.bin" ]; then
    echo "capture of xpra $what failed" >&2
    exit 1
  fi
  rm -f "$OUT/$what"/*-stream.bin  # one packet each way: same as the hello files
done
ls -lR "$OUT"
