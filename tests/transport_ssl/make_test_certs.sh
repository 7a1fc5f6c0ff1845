#!/bin/sh
# Makes the certificates the TLS tests need in directory $1:
#   ca.pem/ca.key          a test CA
#   server.pem/server.key  localhost + 127.0.0.1, signed by the CA, valid 30 days
#   other-ca.pem           an unrelated CA (the "wrong CA" case)
#   expired.pem/.key       localhost, signed by the CA, expired in 2021 (built with python3-cryptography,
#                          because `openssl req/x509` in OpenSSL 3.0 cannot back-date a certificate)
set -eu
dir=$1
cd "$dir"
ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
# Key usage on the CA: strict X.509 checking (Python 3.11's ssl, used by Xpra) requires it.
ca_ext='-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign'
openssl req -x509 $ec -keyout ca.key -out ca.pem -days 30 -subj "/CN=rdk test CA" $ca_ext 2>/dev/null
openssl req -x509 $ec -keyout other-ca.key -out other-ca.pem -days 30 -subj "/CN=rdk other CA" \
  $ca_ext 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n' > san.ext
openssl req -new $ec -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
  -extfile san.ext -out server.pem 2>/dev/null
/usr/bin/python3 - <<'PY'
import datetime, ipaddress
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ca_key = serialization.load_pem_private_key(open("ca.key", "rb").read(), None)
ca_cert = x509.load_pem_x509_certificate(open("ca.pem", "rb").read())
key = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(ca_cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(datetime.datetime(2020, 1, 1))
        .not_valid_after(datetime.datetime(2021, 1, 1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                       x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(ca_key, hashes.SHA256()))
open("expired.pem", "wb").write(cert.public_bytes(serialization.Encoding.PEM))
open("expired.key", "wb").write(key.private_bytes(serialization.Encoding.PEM,
    serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
PY
