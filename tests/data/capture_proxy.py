#!/usr/bin/python3
"""Loopback TCP proxy that records the first xpra records in each direction.

usage: capture_proxy.py LISTEN_PORT TARGET_PORT OUT_DIR [MAX_RECORDS]

Accepts one client on 127.0.0.1:LISTEN_PORT, connects to 127.0.0.1:TARGET_PORT, forwards bytes
both ways unchanged, and writes, per direction ("client" = client->server, "server" =
server->client):
  <dir>-hello.bin   the records of the first logical packet (raw chunks + the index-0 record)
  <dir>-stream.bin  the first MAX_RECORDS complete records (default 40, at most 512 KiB)
Only the xpra 8-byte header is parsed (to cut at record boundaries); payloads are stored as-is.
"""
import os
import select
import socket
import struct
import sys

HEADER = struct.Struct("!cBBBI")
STREAM_CAP = 512 * 1024


class Recorder:
    def __init__(self, name, out_dir, max_records):
        self.name = name
        self.out_dir = out_dir
        self.max_records = max_records
        self.buf = b""
        self.records = []
        self.hello_done = False
        self.done = False

    def feed(self, data):
        if self.done:
            return
        self.buf += data
        while len(self.buf) >= HEADER.size:
            magic, _flags, _comp, index, size = HEADER.unpack_from(self.buf)
            if magic != b"P":
                self.finish()
                return
            if len(self.buf) < HEADER.size + size:
                return
            record = self.buf[: HEADER.size + size]
            self.buf = self.buf[HEADER.size + size :]
            self.records.append(record)
            if index == 0 and not self.hello_done:
                self.hello_done = True
                self.write("hello", b"".join(self.records))
            total = sum(len(r) for r in self.records)
            if len(self.records) >= self.max_records or total >= STREAM_CAP:
                self.finish()
                return

    def write(self, what, data):
        path = os.path.join(self.out_dir, "%s-%s.bin" % (self.name, what))
        with open(path, "wb") as f:
            f.write(data)

    def finish(self):
        if not self.done:
            self.done = True
            kept = []
            total = 0
            for r in self.records:
                if total + len(r) > STREAM_CAP:
                    break
                kept.append(r)
                total += len(r)
            self.write("stream", b"".join(kept))


def main():
    listen_port, target_port, out_dir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    max_records = int(sys.argv[4]) if len(sys.argv) > 4 else 40
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", listen_port))
    lsock.listen(1)
    print("proxy listening on %i" % listen_port, flush=True)
    client, _ = lsock.accept()
    server = socket.create_connection(("127.0.0.1", target_port))
    rec = {client: Recorder("client", out_dir, max_records), server: Recorder("server", out_dir, max_records)}
    peer = {client: server, server: client}
    open_socks = [client, server]
    while open_socks:
        readable, _, _ = select.select(open_socks, [], [], 30)
        if not readable:
            break
        for s in readable:
            data = s.recv(65536)
            if not data:
                open_socks = []
                break
            rec[s].feed(data)
            peer[s].sendall(data)
    for r in rec.values():
        r.finish()
    print("proxy done", flush=True)


if __name__ == "__main__":
    main()
