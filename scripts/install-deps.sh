#!/usr/bin/env bash
# Installs, with apt, every Debian 12 package rdkernel needs to build, run, test and benchmark.
# Idempotent: only what is missing is installed.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config clang clang-format libclang-rt-14-dev libfuzzer-14-dev
  # libraries
  libpoco-dev libboost-dev libboost-filesystem-dev libcppunit-dev libssl-dev liblz4-dev zlib1g-dev
  libvpx-dev libwebp-dev libpng-dev libturbojpeg0-dev libyuv-dev libva-dev libffmpeg-nvenc-dev
  libavcodec-dev
  libx11-dev libxext-dev libxdamage-dev libxfixes-dev libxtst-dev
  # tests: X server, X programs, network namespaces, reference tools
  xvfb xauth x11-apps xterm xdotool iproute2 nftables openssl vpx-tools webp python3 python3-rencode
  # stock Xpra 3.1.3 peer for the interoperability tests
  xpra python3-lz4 python3-lzo python3-brotli python3-pil python3-numpy python3-setproctitle
  python3-gi-cairo
  # tests/transport_ssl builds an expired certificate with it (OpenSSL 3.0 cannot back-date)
  python3-cryptography
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
