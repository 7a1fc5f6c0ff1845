#!/usr/bin/env python3
"""Proxy overhead: the same synthetic session reached directly and through `rdkernel proxy`.

Two identical `rdkernel serve` sessions (synthetic desktop, same size): one started directly,
one started by the proxy for user "bench". Each round attaches `rdkernel attach --headless
--json` to both, in alternating order, and reads the proxy's and the sessions' CPU time from
/proc over the attach. Printed: per run fps, Mbit/s of picture data, capture-to-paint p50/p99,
ping RTT, session CPU, proxy CPU, proxy CPU per Mbit/s; then the median per-round difference of
the capture-to-paint p50 (proxy - direct).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except OSError:
        return 0.0


def wait_line(path, pattern, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            m = re.search(pattern, open(path).read())
            if m:
                return m
        except OSError:
            pass
        time.sleep(0.05)
    sys.exit(f"timed out waiting for {pattern!r} in {path}:\n" + open(path).read())


def attach(args, url, extra, tmp, label):
    cmd = [args.rdkernel, "attach", url, "--headless", "--seconds", str(args.seconds), "--json",
           "--no-status"] + extra
    if args.encoding:
        cmd += ["--encoding", args.encoding]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.seconds + 60)
    try:
        return json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        sys.exit(f"{label}: attach failed:\n{out.stdout}\n{out.stderr}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rdkernel", required=True)
    p.add_argument("--seconds", type=int, default=8)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--size", default="1280x720")
    p.add_argument("--encoding", default="")
    p.add_argument("--transport", default="tcp", choices=["tcp", "udp", "ssl", "ws", "wss"],
                   help="udp: the proxy routes datagrams by connection id; ssl, wss: TLS ends at "
                        "the proxy (and at the direct session) (docs/deploy.md)")
    args = p.parse_args()
    scheme = args.transport
    tmp = tempfile.mkdtemp(prefix="rdk-proxy-bench-")
    # ssl/wss: one self-signed certificate for the direct session and the proxy; the client
    # checks it either way, so both paths do the same TLS work at the client.
    tls_server, tls_client = [], []
    if scheme in ("ssl", "wss"):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", f"{tmp}/key.pem",
                        "-out", f"{tmp}/cert.pem", "-days", "2", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=IP:127.0.0.1"], check=True,
                       capture_output=True)
        tls_server = ["--set", f"transport.tls.cert={tmp}/cert.pem", "--set",
                      f"transport.tls.key={tmp}/key.pem"]
        tls_client = ["--set", f"transport.tls.ca={tmp}/cert.pem"]
    users = os.path.join(tmp, "users")
    with open(users, "w") as f:
        f.write(f"bench|benchpw|||||size={args.size}\n")
    os.chmod(users, 0o600)
    pw = os.path.join(tmp, "pw")
    with open(pw, "w") as f:
        f.write("benchpw")
    procs = []
    try:
        direct_log = os.path.join(tmp, "direct.log")
        direct = subprocess.Popen([args.rdkernel, "serve", "--bind", f"{scheme}://127.0.0.1:0", "--set",
                                   f"server.size={args.size}"] + tls_server,
                                  stdout=open(direct_log, "w"), stderr=subprocess.STDOUT)
        procs.append(direct)
        direct_url = wait_line(direct_log, rf"listening on ({scheme}://\S+)").group(1)
        proxy_log = os.path.join(tmp, "proxy.log")
        proxy = subprocess.Popen([args.rdkernel, "proxy", "--bind", f"{scheme}://127.0.0.1:0", "--users",
                                  users, "--state-dir", os.path.join(tmp, "state"), "--launcher",
                                  "child"] + tls_server, stdout=open(proxy_log, "w"),
                                 stderr=subprocess.STDOUT)
        procs.append(proxy)
        proxy_url = wait_line(proxy_log, rf"listening on ({scheme}://\S+)").group(1)
        auth = ["--username", "bench", "--password-file", pw] + tls_client
        # Start the proxied session before measuring (its start-up is not forwarding cost).
        attach(argparse.Namespace(**{**vars(args), "seconds": 1}), proxy_url, auth, tmp, "warm-up")
        state = json.load(open(os.path.join(tmp, "state", "state.json")))
        session_pid = state["sessions"][0]["pid"]
        rows = []
        for r in range(args.rounds):
            order = ["direct", "proxy"] if r % 2 == 0 else ["proxy", "direct"]
            for mode in order:
                server_pid = direct.pid if mode == "direct" else session_pid
                before = (cpu_seconds(proxy.pid), cpu_seconds(server_pid), time.time())
                s = attach(args, direct_url if mode == "direct" else proxy_url,
                           tls_client if mode == "direct" else auth, tmp, mode)
                after = (cpu_seconds(proxy.pid), cpu_seconds(server_pid), time.time())
                wall = after[2] - before[2]
                mbps = s["draw_bytes"] * 8 / max(s["seconds"], 1e-6) / 1e6
                proxy_cpu = 100 * (after[0] - before[0]) / wall if mode == "proxy" else 0.0
                rows.append({"round": r, "mode": mode, "fps": s["fps"], "mbps": mbps,
                             "p50": s["latency_p50_ms"], "p99": s["latency_p99_ms"],
                             "rtt": s["rtt_ms"], "server_cpu": 100 * (after[1] - before[1]) / wall,
                             "proxy_cpu": proxy_cpu,
                             "proxy_cpu_per_mbps": proxy_cpu / mbps if mbps > 0 else 0.0})
        load = os.getloadavg()
        print(f"# rdkernel proxy overhead ({scheme}): synthetic {args.size}, {args.seconds} s per run, "
              f"{args.rounds} rounds, encoding {args.encoding or 'negotiated'}, "
              f"load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
        print(f"{'round':>5} {'mode':<7} {'fps':>6} {'Mbit/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
              f"{'rtt ms':>6} {'srv CPU%':>8} {'proxy CPU%':>10} {'proxy %/Mbit/s':>14}")
        for x in rows:
            print(f"{x['round']:>5} {x['mode']:<7} {x['fps']:>6.1f} {x['mbps']:>7.2f} "
                  f"{x['p50']:>7.2f} {x['p99']:>7.2f} {x['rtt']:>6.1f} {x['server_cpu']:>8.1f} "
                  f"{x['proxy_cpu']:>10.2f} {x['proxy_cpu_per_mbps']:>14.3f}")
        diffs = []
        for r in range(args.rounds):
            d = {x["mode"]: x for x in rows if x["round"] == r}
            diffs.append(d["proxy"]["p50"] - d["direct"]["p50"])
        per_mbps = [x["proxy_cpu_per_mbps"] for x in rows if x["mode"] == "proxy"]
        print(f"proxy - direct capture-to-paint p50: median {statistics.median(diffs):+.2f} ms "
              f"(rounds: {', '.join(f'{d:+.2f}' for d in diffs)})")
        print(f"proxy CPU per Mbit/s forwarded: median {statistics.median(per_mbps):.3f} % of one "
              f"core")
    finally:
        for proc in reversed(procs):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
