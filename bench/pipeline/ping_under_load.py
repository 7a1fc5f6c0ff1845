#!/usr/bin/env python3
"""Ping round trips through the server loop, idle vs under a 1920x1080 full-motion load, with 1, 2
and 4 encode threads (issue 11: pings, acks and input never wait behind an encode).

For each thread count: `rdkernel serve` on the synthetic desktop at 1920x1080; a pinger (this
script, bencode over tcp, asking for rgb only) pings every 20 ms for SECONDS and reads what it
gets; first alone ("idle"), then beside N_LOAD headless `rdkernel attach` clients with the
default encodings ("load"), which also report frames/s and capture-to-paint latency.

With DESKTOP=xvfb the server shadows a private 1920x1080 Xvfb running an xterm that lists files
without pause and an xclock (the workload of bench/pipeline/run.sh) instead of the synthetic
desktop.

usage: bench/pipeline/ping_under_load.py [BUILD_DIR] [SECONDS] [N_LOAD] [synthetic|xvfb]
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "hardening"))
BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 8.0
N_LOAD = int(sys.argv[3]) if len(sys.argv) > 3 else 1
DESKTOP = sys.argv[4] if len(sys.argv) > 4 else "synthetic"
sys.argv = [sys.argv[0], BUILD]
import attack  # noqa: E402  (the Xpra peer, bencode and the server runner)


def pings(port, seconds):
    p = attack.Peer(port)
    p.send(["hello", {"version": "3.1.3", "windows": True, "encodings": ["rgb"],
                      "encodings.core": ["rgb24"]}])
    p.recv_type([b"hello"], 10)
    rtts = []
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        t0 = time.monotonic()
        p.send(["ping", int(t0 * 1000)])
        if p.recv_type([b"ping_echo"], 10) is None:
            break
        rtts.append((time.monotonic() - t0) * 1000)
        time.sleep(0.02)
    p.close()
    rtts.sort()
    if not rtts:
        return float("nan"), float("nan")
    return rtts[len(rtts) // 2], rtts[min(len(rtts) - 1, int(len(rtts) * 0.99))]


def start_xvfb():
    """A private Xvfb with a busy xterm and a clock; returns (display, processes)."""
    display = ":%d" % (200 + os.getpid() % 50)
    procs = [subprocess.Popen(["Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten",
                               "tcp", "-noreset"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)]
    time.sleep(1.0)
    env = dict(os.environ, DISPLAY=display)
    procs.append(subprocess.Popen(
        ["xterm", "-geometry", "200x60+0+0", "-e",
         "bash -c 'while true; do ls -lR /usr/share | head -2000; done'"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    procs.append(subprocess.Popen(["xclock", "-update", "1", "-geometry", "300x300+1500+50"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    time.sleep(1.0)
    return display, procs


def run(threads, display):
    desktop = (["server.platform=x11", "server.display=%s" % display] if display
               else ["server.size=1920x1080"])
    srv = attack.Server("server.encode-threads=%d" % threads, *desktop)
    idle = pings(srv.port, SECONDS)
    loads = []
    outs = []
    for _ in range(N_LOAD):
        out = tempfile.NamedTemporaryFile(delete=False)
        outs.append(out.name)
        loads.append(subprocess.Popen(
            [attack.RDK, "attach", "tcp://127.0.0.1:%d" % srv.port, "--headless", "--json",
             "--seconds", str(SECONDS + 2)], stdout=out, stderr=subprocess.DEVNULL))
    time.sleep(1.5)
    loaded = pings(srv.port, SECONDS)
    for l in loads:
        l.wait(60)
    fps, p50, p99 = [], [], []
    for name in outs:
        try:
            with open(name) as f:
                d = json.loads(f.read().strip().splitlines()[-1])
            fps.append(d.get("fps", 0))
            p50.append(d.get("latency_p50_ms", 0))
            p99.append(d.get("latency_p99_ms", 0))
        except (OSError, ValueError, IndexError):
            pass
        os.unlink(name)
    srv.stop()
    avg = lambda v: sum(v) / len(v) if v else float("nan")
    print("| %7d | %8.1f | %8.1f | %8.1f | %8.1f | %6.1f | %9.1f | %9.1f | %5.2f |" % (
        threads, idle[0], idle[1], loaded[0], loaded[1], avg(fps), avg(p50), avg(p99),
        loaded[1] / idle[1] if idle[1] else float("nan")), flush=True)


if __name__ == "__main__":
    display, xvfb = start_xvfb() if DESKTOP == "xvfb" else (None, [])
    print("desktop: %s" % DESKTOP)
    print("| threads | idle p50 | idle p99 | load p50 | load p99 | fps    | paint p50 | paint p99 | p99 x |")
    print("|---------|----------|----------|----------|----------|--------|-----------|-----------|-------|")
    try:
        for threads in (1, 2, 4):
            run(threads, display)
    finally:
        for p in reversed(xvfb):
            p.terminate()
