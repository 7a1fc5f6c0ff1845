#!/usr/bin/env python3
"""Adversarial measurements against a real `rdkernel serve` on loopback (issues 21 and 22).

Each scenario starts its own server (synthetic desktop, tcp://127.0.0.1, password file) and
prints one table row:
  idle-sockets    500 idle TCP sockets, then a real client: time to its hello (ms)
  guess-*         password guesses one address learns per minute: sequential (waits for each
                  verdict), early-close (closes 100 ms after answering), parallel (8 at once)
  victim-ping     an authenticated client's ping while 5 wrong passwords are tried with the
                  plugin's own back-off on (failure_delay_ms=500, max_failure_delay_ms=5000)
  pending-memory  server RSS growth with 64 unauthenticated peers (64 source addresses
                  127.0.0.2..65) that each sent a ~1 MiB hello and hold their challenge

usage: bench/hardening/attack.py [BUILD_DIR] [SECONDS_PER_GUESS_MODE]
"""
import hashlib
import hmac
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
GUESS_SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
RDK = os.path.join(BUILD, "bin", "rdkernel")
PASSWORD = b"correct horse battery"


# ---- bencode, enough for Xpra packets ----
def benc(v):
    if isinstance(v, bool):
        return b"i%de" % int(v)
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, str):
        v = v.encode()
    if isinstance(v, bytes):
        return b"%d:%s" % (len(v), v)
    if isinstance(v, (list, tuple)):
        return b"l" + b"".join(benc(x) for x in v) + b"e"
    if isinstance(v, dict):
        items = sorted((k.encode() if isinstance(k, str) else k, x) for k, x in v.items())
        return b"d" + b"".join(benc(k) + benc(x) for k, x in items) + b"e"
    raise TypeError(type(v))


def bdec(b, i=0):
    c = b[i:i + 1]
    if c == b"i":
        j = b.index(b"e", i)
        return int(b[i + 1:j]), j + 1
    if c == b"l":
        out, i = [], i + 1
        while b[i:i + 1] != b"e":
            x, i = bdec(b, i)
            out.append(x)
        return out, i + 1
    if c == b"d":
        out, i = {}, i + 1
        while b[i:i + 1] != b"e":
            k, i = bdec(b, i)
            x, i = bdec(b, i)
            out[k] = x
        return out, i + 1
    j = b.index(b":", i)
    n = int(b[i:j])
    return b[j + 1:j + 1 + n], j + 1 + n


def record(packet):
    payload = benc(packet)
    return b"P\x00\x00\x00" + struct.pack(">I", len(payload)) + payload


class Peer:
    def __init__(self, port, source="127.0.0.1"):
        self.s = socket.socket()
        self.s.bind((source, 0))
        self.s.connect(("127.0.0.1", port))
        self.buf = b""

    def send(self, packet):
        self.s.sendall(record(packet))

    def recv(self, timeout=10.0):
        """The next packet as a list, or None when closed / timed out."""
        deadline = time.monotonic() + timeout
        while True:
            if len(self.buf) >= 8:
                size = struct.unpack(">I", self.buf[4:8])[0]
                if len(self.buf) >= 8 + size:
                    flags, comp, idx = self.buf[1], self.buf[2], self.buf[3]
                    payload = self.buf[8:8 + size]
                    self.buf = self.buf[8 + size:]
                    if idx != 0 or flags & 1 or comp:
                        continue  # raw chunks, rencode or compressed: not needed here
                    return bdec(payload)[0]
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.s.settimeout(left)
            try:
                data = self.s.recv(65536)
            except (socket.timeout, OSError):
                return None
            if not data:
                return None
            self.buf += data

    def recv_type(self, types, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            p = self.recv(deadline - time.monotonic())
            if p is None:
                return None
            if p and p[0] in types:
                return p
        return None

    def close(self):
        self.s.close()


def hello(username="user", **extra):
    caps = {"version": "3.1.3", "rencode": False, "bencode": True, "windows": True,
            "encodings": ["rgb"], "encodings.core": ["rgb24", "rgb32"], "username": username,
            "digest": ["hmac+sha256"], "salt-digest": ["hmac+sha256"]}
    caps.update(extra)
    return caps


def answer(challenge, password):
    server_salt = challenge[1]
    client_salt = os.urandom(32)
    combined = hmac.new(client_salt, server_salt, hashlib.sha256).hexdigest().encode()
    response = hmac.new(password, combined, hashlib.sha256).hexdigest().encode()
    return response, client_salt


def login(port, password, close_after=None, source="127.0.0.1"):
    """'ok', 'failed' (a wrong-password verdict), 'abandoned', 'refused' or 'other'."""
    p = Peer(port, source)
    try:
        p.send(["hello", hello()])
        ch = p.recv_type([b"challenge", b"disconnect"])
        if not ch or ch[0] != b"challenge":
            return "refused"
        response, salt = answer(ch, password)
        p.send(["hello", hello(challenge_response=response, challenge_client_salt=salt)])
        reply = p.recv_type([b"hello", b"disconnect"], close_after if close_after else 60)
        if reply is None:
            return "abandoned"
        if reply[0] == b"hello":
            return "ok"
        return "failed" if reply[1:2] == [b"authentication failed"] else "other"
    finally:
        p.close()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, *sets):
        self.port = free_port()
        self.pwfile = tempfile.NamedTemporaryFile(delete=False)
        self.pwfile.write(PASSWORD)
        self.pwfile.close()
        args = [RDK, "serve", "--bind", "tcp://127.0.0.1:%d" % self.port,
                "--set", "logging.level=error"]
        for s in sets:
            args += ["--set", s.replace("PWFILE", self.pwfile.name)]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        time.sleep(0.3)

    def rss_kb(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        os.unlink(self.pwfile.name)


def row(name, value, detail):
    print("| %-15s | %-28s | %s |" % (name, value, detail), flush=True)


def idle_sockets():
    srv = Server()
    times = []
    for _ in range(5):
        idle = [Peer(srv.port) for _ in range(500)]
        time.sleep(0.3)
        t0 = time.monotonic()
        p = Peer(srv.port)
        p.send(["hello", {"version": "3.1.3", "windows": True, "encodings": ["rgb"],
                          "encodings.core": ["rgb24"]}])
        got = p.recv_type([b"hello"], 10)
        times.append((time.monotonic() - t0) * 1000 if got else float("inf"))
        p.close()
        for s in idle:
            s.close()
    srv.stop()
    times.sort()
    row("idle-sockets", "hello in %.0f ms (median)" % times[2],
        "5 rounds of 500 idle sockets; max %.0f ms" % times[-1])


def guesses(mode):
    srv = Server("server.auth=file:filename=PWFILE")
    stop = time.monotonic() + GUESS_SECONDS
    counts = {"ok": 0, "failed": 0, "abandoned": 0, "refused": 0, "other": 0}
    lock = threading.Lock()

    def worker():
        n = 0
        while time.monotonic() < stop:
            n += 1
            r = login(srv.port, b"guess-%d" % n, 0.1 if mode == "early-close" else None)
            with lock:
                # Only what the attacker learned inside the window counts.
                if time.monotonic() <= stop or r != "failed":
                    counts[r] += 1

    threads = [threading.Thread(target=worker) for _ in range(8 if mode == "parallel" else 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    srv.stop()
    per_min = counts["failed"] * 60.0 / GUESS_SECONDS
    row("guess-" + mode, "%.1f verdicts/min" % per_min,
        "%d s: %d failed, %d abandoned, %d refused, %d other" % (
            GUESS_SECONDS, counts["failed"], counts["abandoned"], counts["refused"],
            counts["other"]))


def victim_ping():
    srv = Server("server.auth=file:filename=PWFILE,failure_delay_ms=500,max_failure_delay_ms=5000")
    victim = Peer(srv.port)
    victim.send(["hello", hello("victim")])
    ch = victim.recv_type([b"challenge"])
    response, salt = answer(ch, PASSWORD)
    victim.send(["hello", hello("victim", challenge_response=response, challenge_client_salt=salt)])
    assert victim.recv_type([b"hello"]) is not None, "victim cannot log in"
    done = threading.Event()

    def attacker():
        for n in range(5):
            login(srv.port, b"wrong-%d" % n)
        done.set()

    t = threading.Thread(target=attacker)
    t.start()
    rtts = []
    while not done.is_set():
        t0 = time.monotonic()
        victim.send(["ping", int(t0 * 1000)])
        if victim.recv_type([b"ping_echo"], 30) is None:
            break
        rtts.append((time.monotonic() - t0) * 1000)
        time.sleep(0.05)
    t.join()
    srv.stop()
    rtts.sort()
    row("victim-ping", "p50 %.1f ms, max %.1f ms" % (rtts[len(rtts) // 2], rtts[-1]),
        "%d pings during 5 wrong passwords (plugin back-off 0.5..5 s)" % len(rtts))


def pending_memory():
    srv = Server("server.auth=file:filename=PWFILE")
    time.sleep(0.5)
    before = srv.rss_kb()
    filler = bytes((i * 7919) % 251 for i in range(1000 * 1000))
    peers = []
    for i in range(64):
        p = Peer(srv.port, "127.0.0.%d" % (2 + i))
        p.send(["hello", hello(padding=filler)])
        peers.append(p)
    challenged = sum(1 for p in peers if p.recv_type([b"challenge"], 10))
    time.sleep(1.0)
    after = srv.rss_kb()
    # The same, over the limit: 2 MB hellos are refused before they are buffered whole.
    big = bytes((i * 7919) % 251 for i in range(2 * 1000 * 1000))
    refused = 0
    for i in range(16):
        p = Peer(srv.port, "127.0.1.%d" % (2 + i))
        try:
            p.send(["hello", hello(padding=big)])
        except OSError:
            pass
        # Told why, or reset: the server stops reading at the record header, and closing a
        # socket with unread data resets it (the client may lose the disconnect then).
        d = p.recv_type([b"disconnect"], 5)
        refused += 1 if d is not None or p.recv(1) is None else 0
        p.close()
    alive = srv.alive()
    for p in peers:
        p.close()
    srv.stop()
    row("pending-memory", "+%.1f MiB for 64 peers" % ((after - before) / 1024.0),
        "%.0f KiB per peer holding a 1 MB hello; %d/64 challenged; %d/16 2 MB hellos cut off; "
        "alive %s" % ((after - before) / 64.0, challenged, refused, alive))


if __name__ == "__main__":
    print("| scenario        | result                       | detail |")
    print("|-----------------|------------------------------|--------|")
    idle_sockets()
    victim_ping()
    pending_memory()
    for mode in ("sequential", "early-close", "parallel"):
        guesses(mode)
