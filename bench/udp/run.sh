#!/bin/bash
# UDP vs TCP under kernel-level loss, plus loopback goodput against a raw blaster. One run.
#
# Topology: two network namespaces joined by a TUN "cable" inside udp_bench (delay from our
# impairment layer, both directions, TCP and UDP alike); loss from nftables
# `numgen random mod 100 < N drop` on each namespace's input. Needs root; cleans up on exit.
#
#   bench/udp/run.sh [build-dir]        (SECONDS_PER_RUN=10 DELAY_MS=20 LOSSES="0 2 10 30"
#                                        TRANSPORTS="tcp udp"; add dtls for DTLS vs UDP,
#                                        udp-nofec for UDP without forward error correction,
#                                        udp-xor for the version-1 XOR parity only, udp-nocopy
#                                        without spaced copies of small reliable messages, enet and
#                                        enet-rel for ENet unreliable+reliable / all reliable,
#                                        srt for srt-live-transmit (stream workload only))
#
# WORKLOAD=stream: one 15 kB droppable message every 1/30 s server -> client, nothing back (the
# SRT side by side; TRANSPORTS="tcp udp srt enet"). A LOSSES entry geP:R (e.g. ge0.02:0.25) is
# Gilbert-Elliott loss on the cable instead of nftables: per packet good->bad with probability P,
# bad->good with R, every packet in the bad state lost (mean loss P/(P+R), mean run 1/R), the
# same for TCP, UDP, SRT and ENet.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${1:-$ROOT/build}"
SECS="${SECONDS_PER_RUN:-10}"
DELAY_MS="${DELAY_MS:-20}"
LOSSES="${LOSSES:-0 2 10 30}"
TRANSPORTS="${TRANSPORTS:-tcp udp}"
WORKLOAD="${WORKLOAD:-mixed}"
BENCH="$BUILD/bin/udp_bench"
PLUGINS="$BUILD/lib/rdkernel/plugins-1"

if [ "$(id -u)" != 0 ]; then echo "run.sh needs root (ip netns, nftables, tun)"; exit 1; fi
if [ ! -x "$BENCH" ]; then
  cmake --build "$BUILD" --target udp_bench rdk-udp rdk-tcp rdk-dtls -j2 >/dev/null
fi

A="rdk-bA-$$"
B="rdk-bB-$$"
cleanup() { ip netns del "$A" 2>/dev/null || true; ip netns del "$B" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$A"
ip netns add "$B"
setup_ns() {  # ns dev address
  ip netns exec "$1" ip link set lo up
  ip netns exec "$1" ip tuntap add dev "$2" mode tun
  ip netns exec "$1" ip addr add "$3/24" dev "$2"
  ip netns exec "$1" ip link set "$2" up
  # One MTU-sized packet per skb, so a TCP drop is one segment (not a GSO super-packet).
  ip netns exec "$1" ip link set dev "$2" gso_max_segs 1
  ip netns exec "$1" nft add table inet rdkloss
  # Drop on INPUT: a drop on OUTPUT is reported to the local sender (EPERM) and TCP then
  # resends at once without any loss on the wire, which is not a lossy path.
  ip netns exec "$1" nft add chain inet rdkloss in '{ type filter hook input priority 0; }'
}
: >"/tmp/udp_bench.$$.log"
setup_ns "$A" tunA 10.77.0.1
setup_ns "$B" tunB 10.77.0.2
set_loss() {
  for ns in "$A" "$B"; do
    ip netns exec "$ns" nft flush chain inet rdkloss in
    if [ "$1" != 0 ]; then
      ip netns exec "$ns" nft add rule inet rdkloss in iifname '"tun*"' numgen random mod 100 '<' "$1" counter drop
    fi
  done
}
drops() {
  local total=0 n
  for ns in "$A" "$B"; do
    n=$(ip netns exec "$ns" nft list chain inet rdkloss in | sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
    total=$((total + ${n:-0}))
  done
  echo "$total"
}

echo "# ${WORKLOAD} workload, ${SECS}s per point, one-way delay ${DELAY_MS} ms (+1 ms jitter) each way, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$WORKLOAD" = stream ]; then
  echo "# stream: 15 kB droppable messages at 30 Hz server -> client (scr columns), nothing else"
else
  echo "# screen: 60 Hz droppable 1-30 kB (4 supersede keys); video: 30 fps droppable, 60 kB key every"
  echo "# 4 s or on loss, 3-8 kB deltas; control: reliable 100-2000 B ~10/s; acks: 40 B reliable per update"
fi
echo
echo "| tr | loss | scr p50 | scr p90 | scr p99 | p99 2s+ | scr got | vid p50 | vid p99 | vid got | ctl p50 | ctl p99 | ack p99 | Mbit/s | wire+ | retrans | ctl dgr | CPU ms/MB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for loss in $LOSSES; do
  [ "$loss" = none ] && continue  # LOSSES=none: only the tbf runs
  for tr in $TRANSPORTS; do
    burst=()
    case "$loss" in
      ge*) set_loss 0; p="${loss#ge}"; burst=(--burst-p "${p%%:*}" --burst-r "${p#*:}") ;;
      *) set_loss "$loss" ;;
    esac
    "$BENCH" mixed --transport "$tr" --plugin-dir "$PLUGINS" --client-ns "$A" --server-ns "$B" \
      --server-ip 10.77.0.2 --client-ip 10.77.0.1 --tun-a tunA --tun-b tunB \
      --delay-ms "$DELAY_MS" --seconds "$SECS" --label "$loss" --workload "$WORKLOAD" \
      "${burst[@]}" 2>>"/tmp/udp_bench.$$.log" || echo "| $tr | $loss | failed (see below) |"
    echo "nft dropped $(drops) packets in this run" >>"/tmp/udp_bench.$$.log"
  done
done
echo
echo "(latencies in ms, one-way, app send to app delivery; p99 2s+ = screen updates sent from 2 s on;"
echo " 'got' = delivered/sent; wire+ = IP bytes on"
echo " the cable over payload delivered; retrans = TCP RetransSegs or UDP fragments resent; ctl dgr ="
echo " share of UDP datagrams carrying no data)"
echo
sed 's/^/    /' "/tmp/udp_bench.$$.log"
rm -f "/tmp/udp_bench.$$.log"
if [ -n "${TBF_RATES:-}" ]; then
  # Congestion: a tc tbf rate cap on the server's side of the cable (server -> client; queue of
  # up to 200 ms, as a home router's), no loss, the mixed workload (~9 Mbit/s offered) alone and
  # against a bulk TCP flow (tcp_flow.py) in the same direction over the same cap.
  set_loss 0
  FLOW="$ROOT/bench/udp/tcp_flow.py"
  echo
  echo "# tc tbf rate cap server -> client (burst 32 kB, latency 200 ms), mixed workload, ${SECS}s, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| cap | session | competing TCP | scr p50 | scr p99 | scr got | vid p99 | ctl p99 | session Mbit/s | TCP flow Mbit/s |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for rate in $TBF_RATES; do
    ip netns exec "$B" tc qdisc replace dev tunB root tbf rate "${rate}mbit" burst 32kb latency 200ms
    for run in udp udp+flow tcp+flow flow; do
      tr="${run%+flow}"
      flow=""
      if [ "$run" != "$tr" ] || [ "$run" = flow ]; then
        ip netns exec "$A" python3 "$FLOW" sink 5201 "$SECS" >"/tmp/udp_bench_flow.$$" &
        sink=$!
        sleep 0.3
        ip netns exec "$B" python3 "$FLOW" send 10.77.0.1 5201 "$SECS" &
        sender=$!
      fi
      row="| - | - | - | - | - | - | - | - | - | - | - | - | - | - |"
      if [ "$run" != flow ]; then
        row=$("$BENCH" mixed --transport "$tr" --plugin-dir "$PLUGINS" --client-ns "$A" \
          --server-ns "$B" --server-ip 10.77.0.2 --client-ip 10.77.0.1 --tun-a tunA --tun-b tunB \
          --delay-ms "$DELAY_MS" --seconds "$SECS" --label "tbf$rate" 2>>"/tmp/udp_bench_tbf.$$.log")
      else
        "$BENCH" cable --client-ns "$A" --server-ns "$B" --tun-a tunA --tun-b tunB \
          --delay-ms "$DELAY_MS" --seconds "$((SECS + 2))"
      fi
      if [ -n "${sink:-}" ]; then
        wait "$sender" 2>/dev/null || true
        wait "$sink" || true
        flow=$(cat "/tmp/udp_bench_flow.$$")
        sink=""
      fi
      echo "$row" | awk -F'|' -v cap="$rate Mbit/s" -v s="${tr/flow/-}" -v f="${flow:--}" \
        -v c="$([ "$run" = "$tr" ] && [ "$run" != flow ] && echo no || echo yes)" \
        '{gsub(/ /,"",$4); gsub(/ /,"",$6); gsub(/ /,"",$8); gsub(/ /,"",$10); gsub(/ /,"",$13); gsub(/ /,"",$15);
          printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", cap, s, c, $4, $6, $8, $10, $13, $15, f}'
    done
  done
  ip netns exec "$B" tc qdisc del dev tunB root 2>/dev/null || true
  echo
  sed 's/^/    /' "/tmp/udp_bench_tbf.$$.log"
  rm -f "/tmp/udp_bench_flow.$$" "/tmp/udp_bench_tbf.$$.log"
fi
[ "${LOOPBACK:-1}" = 1 ] || exit 0
echo
echo "# Loopback goodput (no impairment)"
"$BENCH" loopback --plugin-dir "$PLUGINS" --seconds 3
