#!/usr/bin/env python3
"""Server capacity: one `rdkernel serve` (synthetic desktop, udp on loopback) and N headless
`rdkernel attach` clients at once, with server.shared-encoding on and off. Prints one table row
per (clients, shared) pair. Started by bench/capacity/run.sh; see docs/operations.md."""
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
# "auto": the server's own policy (video for sustained motion: a vp8 stream per client, never
# shared); "stills": server.encodings without the video encodings, as when no video plugin loads.
WORKLOADS = {"auto": [], "stills": ["server.encodings=webp,jpeg,png,rgb24,rgb32"]}


def cpu_seconds(pid):
    """utime + stime of a live process, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def machine_busy():
    """CPU seconds all processes have used so far (every core), from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v[:8]) - v[3] - v[4]) / TICK  # all but idle and iowait


def children_cpu():
    r = os.times()
    return r.children_user + r.children_system


def run_once(rdk, clients, shared, seconds, size, extra):
    out = tempfile.mkdtemp(prefix="rdk-capacity-")
    log_path = os.path.join(out, "serve.log")
    serve_args = [rdk, "serve", "--bind", "udp://127.0.0.1:0", "--size", size,
                  "--set", f"server.shared-encoding={'true' if shared else 'false'}",
                  "--set", f"server.max-clients={clients + 8}",
                  "--set", f"server.max-pending={clients + 64}",
                  "--set", f"server.max-pending-per-address={clients + 8}"]
    for kv in extra:
        serve_args += ["--set", kv]
    with open(log_path, "w") as log:
        server = subprocess.Popen(serve_args, stdout=log, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL)
    url = None
    for _ in range(100):
        m = re.search(r"udp://[0-9.]+:[0-9]+", open(log_path).read())
        if m:
            url = m.group(0)
            break
        time.sleep(0.1)
    if not url:
        server.kill()
        sys.exit("serve did not start: " + open(log_path).read())

    cpu0, clients_cpu0, busy0 = cpu_seconds(server.pid), children_cpu(), machine_busy()
    t0 = time.monotonic()
    procs = []
    for i in range(clients):
        f = open(os.path.join(out, f"client{i}.json"), "w")
        procs.append((subprocess.Popen(
            [rdk, "attach", url, "--headless", "--json", "--no-status", "--seconds", str(seconds)],
            stdout=f, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL), f))
    for p, f in procs:
        p.wait()
        f.close()
    wall = time.monotonic() - t0
    server_cpu = cpu_seconds(server.pid) - cpu0
    clients_cpu = children_cpu() - clients_cpu0
    other_cpu = max(0.0, machine_busy() - busy0 - server_cpu - clients_cpu)
    server.send_signal(signal.SIGINT)
    server.wait(timeout=30)
    log = open(log_path).read()

    results = []
    for i in range(clients):
        try:
            results.append(json.load(open(os.path.join(out, f"client{i}.json"))))
        except (OSError, ValueError):
            results.append({})
    ok = [r for r in results if r.get("handshake")]
    fps = sorted(r.get("fps", 0.0) for r in ok) or [0.0]
    p50 = [r.get("latency_p50_ms", 0.0) for r in ok] or [0.0]
    p99 = [r.get("latency_p99_ms", 0.0) for r in ok] or [0.0]
    draws = sum(r.get("draws", 0) for r in ok)
    errors = sum(r.get("decode_errors", 0) for r in ok)
    hits = misses = 0
    m = re.search(r"shared encoding: (\d+) hits, (\d+) misses", log)
    if m:
        hits, misses = int(m.group(1)), int(m.group(2))
    shutil.rmtree(out, ignore_errors=True)
    return {
        "clients": clients, "shared": shared, "connected": len(ok),
        "fps_min": fps[0], "fps_median": statistics.median(fps),
        "p50_ms": statistics.median(p50), "p99_ms": statistics.median(p99),
        "server_cpu_per_s": server_cpu / wall, "clients_cpu_per_s": clients_cpu / wall,
        "other_cpu_per_s": other_cpu / wall,
        "server_ms_per_draw": 1000.0 * server_cpu / max(draws, 1),
        "hit_pct": 100.0 * hits / max(hits + misses, 1) if shared else None,
        "draws": draws, "errors": errors, "wall_s": wall,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rdkernel", default="build/bin/rdkernel")
    ap.add_argument("--seconds", type=float, default=12)
    ap.add_argument("--clients", default="1,12,50")
    ap.add_argument("--size", default="1280x720")
    ap.add_argument("--workloads", default="auto,stills", help="of: " + ",".join(WORKLOADS))
    ap.add_argument("--repeat", type=int, default=1, help="runs of each cell (summary: medians)")
    ap.add_argument("--set", action="append", default=[], help="extra serve --set key=value")
    ap.add_argument("--json", help="also write the rows to this file")
    a = ap.parse_args()
    header = ("| encodings | clients | shared | connected | draws/s min | draws/s median | p50 ms "
              "| p99 ms | server CPU s/s | clients CPU s/s | other CPU s/s | server CPU ms/draw "
              "| shared hits | errors |")
    load = open("/proc/loadavg").read().split()[0]
    print(f"# {os.cpu_count()} cores, load average before: {load}, {a.seconds:g} s per run")
    print(header)
    print("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
    rows = []
    cells = [(w, int(n)) for w in a.workloads.split(",") for n in a.clients.split(",")]
    for workload, n in cells:
        # on and off alternate, so a change in the machine's other load hits both alike
        for _ in range(a.repeat):
            for shared in (True, False):
                r = run_once(a.rdkernel, n, shared, a.seconds, a.size,
                             a.set + WORKLOADS[workload])
                r["workload"] = workload
                rows.append(r)
                hit = f"{r['hit_pct']:.0f}%" if r["hit_pct"] is not None else "-"
                print(f"| {workload:9s} | {n:7d} | {'on' if shared else 'off':6s} "
                      f"| {r['connected']:9d} | {r['fps_min']:11.1f} | {r['fps_median']:14.1f} "
                      f"| {r['p50_ms']:6.0f} | {r['p99_ms']:6.0f} | {r['server_cpu_per_s']:14.2f} "
                      f"| {r['clients_cpu_per_s']:15.2f} | {r['other_cpu_per_s']:13.2f} "
                      f"| {r['server_ms_per_draw']:18.2f} | {hit:>11s} | {r['errors']:6d} |",
                      flush=True)

    def median_of(workload, n, shared, field):
        return statistics.median(r[field] for r in rows if (r["workload"], r["clients"],
                                                            r["shared"]) == (workload, n, shared))
    print()
    for workload, n in cells:
        fps = [median_of(workload, n, s, "fps_median") for s in (True, False)]
        cpu = [median_of(workload, n, s, "server_ms_per_draw") for s in (True, False)]
        print(f"{workload}, {n} clients: shared on/off: draws/s median {fps[0]:.1f}/{fps[1]:.1f} "
              f"(x{fps[0] / max(fps[1], 1e-9):.1f}), server CPU per draw {cpu[0]:.2f}/{cpu[1]:.2f} "
              f"ms (x{cpu[0] / max(cpu[1], 1e-9):.2f})")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
