#!/usr/bin/env python3
"""Many clients for minutes: one `rdkernel serve` (synthetic desktop) bound on TCP and UDP on
loopback, N headless `rdkernel attach` clients at once (half over TCP, half over UDP) for SECONDS.
The server's RSS and CPU are sampled every INTERVAL seconds. Prints the samples, one row per
transport (did every client get frames, at what rate and latency, ping p99), and the server's
memory and CPU.

usage: bench/soak/load.py [--rdkernel build/bin/rdkernel] [--clients 50] [--seconds 300]
                          [--size 1280x720] [--interval 10] [--set key=value ...]

Copy the build first when other work may relink it during the run (docs/operations.md).
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def wait_for_urls(log_path, server):
    for _ in range(200):
        text = open(log_path).read()
        tcp = re.search(r"tcp://[0-9.]+:[0-9]+", text)
        udp = re.search(r"udp://[0-9.]+:[0-9]+", text)
        if tcp and udp:
            return tcp.group(0), udp.group(0)
        if server.poll() is not None:
            break
        time.sleep(0.1)
    server.kill()
    sys.exit("serve did not start: " + open(log_path).read())


def pct(values, q):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rdkernel", default="build/bin/rdkernel")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=300)
    ap.add_argument("--size", default="1280x720")
    ap.add_argument("--interval", type=float, default=10)
    ap.add_argument("--set", action="append", default=[], help="extra serve --set key=value")
    a = ap.parse_args()

    out = tempfile.mkdtemp(prefix="rdk-load-")
    log_path = os.path.join(out, "serve.log")
    args = [a.rdkernel, "serve", "--bind", "tcp://127.0.0.1:0", "--bind", "udp://127.0.0.1:0",
            "--size", a.size, "--set", f"server.max-clients={a.clients + 8}",
            "--set", f"server.max-pending={a.clients + 64}",
            "--set", f"server.max-pending-per-address={a.clients + 8}"]
    for kv in a.set:
        args += ["--set", kv]
    with open(log_path, "w") as log:
        server = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL)
    tcp_url, udp_url = wait_for_urls(log_path, server)
    load = open("/proc/loadavg").read().split()[0]
    print(f"# {os.cpu_count()} cores, load average before: {load}; {a.clients} clients "
          f"({tcp_url}, {udp_url}), {a.seconds:g} s, {a.size}", flush=True)

    rss_idle = rss_mb(server.pid)
    cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
    procs = []
    for i in range(a.clients):
        transport = "tcp" if i % 2 == 0 else "udp"
        f = open(os.path.join(out, f"client{i}.json"), "w")
        p = subprocess.Popen([a.rdkernel, "attach", tcp_url if transport == "tcp" else udp_url,
                              "--headless", "--json", "--no-status", "--seconds", str(a.seconds)],
                             stdout=f, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        procs.append((p, f, transport))

    print("| minute | server RSS MB | server CPU s/s since last |", flush=True)
    print("|--------|---------------|---------------------------|", flush=True)
    samples = []
    last_cpu, last_t = cpu0, t0
    while any(p.poll() is None for p, _, _ in procs):
        time.sleep(a.interval)
        if server.poll() is not None:
            break
        now, cpu, rss = time.monotonic(), cpu_seconds(server.pid), rss_mb(server.pid)
        samples.append(rss)
        print(f"| {(now - t0) / 60:6.1f} | {rss:13.1f} | {(cpu - last_cpu) / (now - last_t):25.2f} |",
              flush=True)
        last_cpu, last_t = cpu, now
    for p, f, _ in procs:
        p.wait()
        f.close()
    wall = time.monotonic() - t0
    server_alive = server.poll() is None
    server_cpu = cpu_seconds(server.pid) - cpu0 if server_alive else float("nan")
    if server_alive:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    rows = {}
    for i, (_, _, transport) in enumerate(procs):
        try:
            r = json.load(open(os.path.join(out, f"client{i}.json")))
        except (OSError, ValueError):
            r = {}
        rows.setdefault(transport, []).append(r)
    print()
    print("| transport | clients | connected | got frames | draws/s min | draws/s median "
          "| capture-to-paint p99 ms (median client) | ping p99 ms median / worst client "
          "| decode errors | ended early |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for transport in ("tcp", "udp"):
        rs = rows.get(transport, [])
        ok = [r for r in rs if r.get("handshake")]
        framed = [r for r in ok if r.get("draws", 0) > 0]
        fps = [r.get("fps", 0.0) for r in ok] or [0.0]
        lat = [r.get("latency_p99_ms", 0.0) for r in framed] or [0.0]
        ping = [r.get("rtt_p99_ms", 0.0) for r in ok] or [0.0]
        early = [r for r in ok if "time is up" not in r.get("end_reason", "")]
        print(f"| {transport} | {len(rs)} | {len(ok)} | {len(framed)} | {min(fps):.1f} "
              f"| {statistics.median(fps):.1f} | {statistics.median(lat):.0f} "
              f"| {statistics.median(ping):.0f} / {max(ping):.0f} "
              f"| {sum(r.get('decode_errors', 0) for r in ok)} | {len(early)} |")
        for r in early[:3]:
            print(f"  ended early: {r.get('end_reason')}")
    print()
    print(f"server: {'stayed up' if server_alive else 'EXITED'}; RSS idle {rss_idle:.1f} MB, "
          f"under load min {min(samples or [0]):.1f} / median {statistics.median(samples or [0]):.1f}"
          f" / max {max(samples or [0]):.1f} MB; CPU {server_cpu / wall:.2f} s/s over {wall:.0f} s")
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
