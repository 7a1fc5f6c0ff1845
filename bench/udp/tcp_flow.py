#!/usr/bin/env python3
"""A competing bulk TCP flow for the tbf runs of bench/udp/run.sh (no iperf3 needed).

  tcp_flow.py sink PORT SECONDS          prints "<Mbit/s received>" when the sender is done
  tcp_flow.py send HOST PORT SECONDS     writes 64 KiB blocks as fast as TCP takes them
"""
import socket
import sys
import time


def sink(port, seconds):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(1)
    srv.settimeout(seconds + 20)
    conn, _ = srv.accept()
    total, start = 0, None
    while True:
        data = conn.recv(1 << 16)
        if not data:
            break
        if start is None:
            start = time.monotonic()
        total += len(data)
    elapsed = max(time.monotonic() - (start or time.monotonic()), 1e-6)
    print(f"{total * 8 / elapsed / 1e6:.2f}")


def send(host, port, seconds):
    s = socket.create_connection((host, port), timeout=10)
    block = b"x" * (1 << 16)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        s.sendall(block)
    s.close()


if __name__ == "__main__":
    if sys.argv[1] == "sink":
        sink(int(sys.argv[2]), float(sys.argv[3]))
    else:
        send(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
