#!/bin/bash
# Starts a stock Xpra 3.1.3 server for the interop tests, isolated in DIR (its own HOME,
# XAUTHORITY, sockets, logs and a copy of /etc/xpra without the Xsession start line).
# usage: start_xpra_server.sh DISPLAYNUM PORT DIR [extra xpra args]
#
# Xpra starts its Xvfb in a session of its own, so the test's kill of this process group does not
# reach it, and a stopped xpra leaves it running ("Xvfb-for-Xpra-:N"): this script stays in the
# group and stops that display's Xvfb when xpra has gone.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
d=$1; port=$2; dir=$3; shift 3
mkdir -p $dir/home $dir/sock $dir/logs $dir/conf
export HOME=$dir/home XAUTHORITY=$dir/home/.Xauthority
touch $XAUTHORITY
cp -r /etc/xpra/* $dir/conf/ 2>/dev/null
sed -i 's|^start *=.*Xsession.*|#&|' $dir/conf/*.conf $dir/conf/conf.d/*.conf 2>/dev/null
export XPRA_SYSTEM_CONF_DIRS=$dir/conf
/usr/bin/xpra start :$d --bind-tcp=127.0.0.1:$port \
  --socket-dirs=$dir/sock --socket-dir=$dir/sock --log-dir=$dir/logs \
  --daemon=no --mdns=no --pulseaudio=no --notifications=no --speaker=off --microphone=off --webcam=no \
  --printing=no --file-transfer=no --open-files=no --dbus-proxy=no --dbus-control=no --systemd-run=no \
  --html=off --bell=no --system-tray=no --mmap=no \
  --xvfb="Xvfb +extension Composite -screen 0 1280x800x24+32 -dpi 96 -nolisten tcp -noreset -auth $XAUTHORITY" \
  "$@" &
xpra_pid=$!
stop_xvfb() {
  trap - TERM INT EXIT
  if kill -0 "$xpra_pid" 2>/dev/null; then
    kill -TERM "$xpra_pid" 2>/dev/null
    wait "$xpra_pid"
    status=$?
  fi
  pkill -TERM -f "^Xvfb-for-Xpra-:$d " 2>/dev/null
  exit "${status:-0}"
}
trap stop_xvfb TERM INT EXIT
wait "$xpra_pid"
status=$?
