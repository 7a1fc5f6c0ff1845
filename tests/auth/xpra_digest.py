#!/usr/bin/python3
"""Runs the installed Xpra 3.1.3's own digest code, so the C++ tests can compare against it.

  xpra_digest.py gendigest DIGEST SECRET_HEX SALT_HEX
      -> hex of gendigest(DIGEST, secret, salt)
  xpra_digest.py respond DIGEST SALT_DIGEST SERVER_SALT_HEX PASSWORD_HEX
      -> "CLIENT_SALT_HEX RESPONSE_HEX", computed as client_base.send_challenge_reply does
"""
import binascii
import sys

from xpra.net.digest import gendigest, get_salt
from xpra.os_util import bytestostr, strtobytes


def hexout(value):
    return binascii.hexlify(strtobytes(value)).decode()


def main(argv):
    if argv[1] == "gendigest":
        digest, secret, salt = argv[2], binascii.unhexlify(argv[3]), binascii.unhexlify(argv[4])
        print(hexout(gendigest(digest, secret, salt)))
    elif argv[1] == "respond":
        digest, salt_digest = argv[2], argv[3]
        server_salt = bytestostr(binascii.unhexlify(argv[4]))
        password = binascii.unhexlify(argv[5])
        client_salt = get_salt(32)
        salt = gendigest(salt_digest, client_salt, server_salt)
        response = gendigest(digest.split(":", 1)[0], password, salt)
        print(hexout(client_salt), hexout(response))
    else:
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
