#!/usr/bin/env python3
"""Hours of loss: `rdkernel demo` (server and client in one process, UDP on loopback, the
transport's own impairment layer dropping LOSS% of the datagrams in each direction) for SECONDS,
with the process's RSS and CPU sampled every INTERVAL seconds. Prints one row per sample and the
session's summary at the end: did it stay up, did memory stay flat, what did it paint.

With BLACKOUT_EVERY > 0 the link also goes dark (every datagram dropped, both directions) for
BLACKOUT_MS at the end of every BLACKOUT_EVERY seconds. The client's pings (one every 2 s, strictly
increasing times) are the reliable stream checked by sequence: every echo must come back once and
in order, which the summary's pings_* fields count.

usage: bench/soak/soak.py [BUILD_DIR] [SECONDS] [LOSS] [SIZE] [INTERVAL] [BLACKOUT_EVERY]
                          [BLACKOUT_MS]
       (defaults: build 3600 30 1280x720 60 600 5000)

Copy the build first when other work may relink it during the run (see docs/operations.md).
"""
import json
import os
import subprocess
import sys
import time

BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
SECONDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3600
LOSS = sys.argv[3] if len(sys.argv) > 3 else "30"
SIZE = sys.argv[4] if len(sys.argv) > 4 else "1280x720"
INTERVAL = int(sys.argv[5]) if len(sys.argv) > 5 else 60
BLACKOUT_EVERY = int(sys.argv[6]) if len(sys.argv) > 6 else 600
BLACKOUT_MS = int(sys.argv[7]) if len(sys.argv) > 7 else 5000
TICK = os.sysconf("SC_CLK_TCK")


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def cpu_s(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def main():
    rdk = os.path.join(BUILD, "bin", "rdkernel")
    cmd = [rdk, "demo", "--transport", "udp", "--loss", LOSS, "--seconds", str(SECONDS),
           "--size", SIZE, "--json", "--quiet",
           "--set", "transport.udp.blackout-every-s=%d" % BLACKOUT_EVERY,
           "--set", "transport.udp.blackout-ms=%d" % BLACKOUT_MS]
    print("soak: %s" % " ".join(cmd), flush=True)
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    print("| minute | RSS MB | CPU s/s since last |", flush=True)
    print("|--------|--------|--------------------|", flush=True)
    samples = []
    last_cpu, last_t = 0.0, start
    while proc.poll() is None:
        time.sleep(INTERVAL)
        try:
            now, cpu, rss = time.monotonic(), cpu_s(proc.pid), rss_mb(proc.pid)
        except (OSError, IndexError, ValueError):
            break
        if rss != rss:  # NaN: the process is exiting (a zombie has no VmRSS)
            break
        samples.append((now - start, rss))
        print("| %6.1f | %6.1f | %18.2f |" % ((now - start) / 60, rss,
                                              (cpu - last_cpu) / (now - last_t)), flush=True)
        last_cpu, last_t = cpu, now
    out = proc.communicate()[0]
    print("exit code %d after %.0f s" % (proc.returncode, time.monotonic() - start))
    try:
        summary = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        print("no summary from the demo:\n" + out)
        return 1
    keys = ["handshake_ok", "end_reason", "seconds", "fps", "draws", "decode_errors",
            "latency_p50_ms", "latency_p99_ms", "loss_permille", "retransmissions",
            "pings_sent", "pings_echoed", "pings_out_of_order"]
    for k in keys:
        if k in summary:
            print("%-16s %s" % (k, summary[k]))
    if len(samples) >= 3:
        settled = [r for t, r in samples if t >= min(600, samples[-1][0] / 3)]
        print("RSS after warm-up: %.1f -> %.1f MB (max %.1f)" % (settled[0], settled[-1],
                                                              max(settled)))
    sent, echoed = summary.get("pings_sent", 0), summary.get("pings_echoed", 0)
    in_order = summary.get("pings_out_of_order", 1) == 0
    # The pings still in flight when the demo stops (at most one per 2 s of the last blackout).
    complete = echoed + 1 + BLACKOUT_MS // 2000 >= sent
    print("reliable stream (pings): %d sent, %d echoed, %s, %s" % (
        sent, echoed, "in order" if in_order else "OUT OF ORDER",
        "none missing" if complete else "MISSING %d" % (sent - echoed)))
    return 0 if proc.returncode == 0 and in_order and complete else 1


if __name__ == "__main__":
    sys.exit(main())
