#!/usr/bin/python3
"""Connects to an ssl:// listener through Xpra 3.1.3's own TLS client code (ssl_wrap_socket_fn with
Xpra's default options: TLS 1.2, "DEFAULT" ciphers, server verification required, hostname check),
sends a line and prints what comes back.

  xpra_ssl_client.py PORT CA_FILE SERVER_HOSTNAME MESSAGE
"""
import socket
import sys

from xpra.scripts.config import make_defaults_struct
from xpra.scripts.main import ssl_wrap_socket_fn


def main(argv):
    port, ca_file, hostname, message = int(argv[1]), argv[2], argv[3], argv[4]
    opts = make_defaults_struct()
    opts.ssl_ca_certs = ca_file
    opts.ssl_server_hostname = hostname
    wrap = ssl_wrap_socket_fn(opts, server_side=False)
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    tls = wrap(sock)
    tls.sendall(message.encode())
    reply = tls.recv(4096)
    print("version=%s cipher=%s reply=%s" % (tls.version(), tls.cipher()[0], reply.decode()))
    tls.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
