#!/usr/bin/env bash
# Installs, with apt, every Debian 12 package rdkernel needs to build, run, test and benchmark, then
# the browser tests' npm packages (npm ci in tests/web).
# Idempotent: only what is missing is installed.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config clang clang-format libclang-rt-14-dev libfuzzer-14-dev
  # libraries
  libpoco-dev libboost-dev libboost-filesystem-dev libcppunit-dev libssl-dev liblz4-dev zlib1g-dev
  libvpx-dev libwebp-dev libpng-dev libturbojpeg0-dev libyuv-dev libva-dev libffmpeg-nvenc-dev
  libavcodec-dev libxxhash-dev
  # udp transport: Reed-Solomon erasure coding (Intel ISA-L); ENet and SRT (srt-live-transmit)
  # for bench/udp's side by side
  libisal-dev libenet-dev srt-tools
  # audio: Opus, capture from the session's private PulseAudio server and playback (libpulse)
  libopus-dev libpulse-dev pulseaudio pulseaudio-utils
  libx11-dev libxext-dev libxdamage-dev libxfixes-dev libxtst-dev libxcomposite-dev libxcursor-dev
  # tests: X server, X programs, network namespaces, reference tools
  xvfb xauth x11-apps x11-utils xterm xdotool iproute2 nftables openssl vpx-tools webp python3 python3-rencode
  # clipboard and keyboard layouts: selections read and written in tests, setxkbmap (also at run
  # time: the x11 platforms apply a client's layout with it)
  xclip xsel x11-xkb-utils
  # the seamless system tray test: a GTK3 Gtk.StatusIcon (XEmbed) from Python
  python3-gi gir1.2-gtk-3.0
  # stock Xpra 3.1.3 peer for the interoperability tests
  xpra python3-lz4 python3-lzo python3-brotli python3-pil python3-numpy python3-setproctitle
  python3-gi-cairo
  # its sound (tests/interop's speaker test): GStreamer from Python, opusdec/oggdemux (base) and
  # pulsesink (gstreamer1.0-pulseaudio, which brings gstreamer1.0-plugins-good)
  python3-gst-1.0 gstreamer1.0-plugins-base gstreamer1.0-pulseaudio
  # tests/transport_ssl builds an expired certificate with it (OpenSSL 3.0 cannot back-date)
  python3-cryptography
  # tests/web: Debian's Chromium, driven headless by playwright-core (npm, below)
  chromium
)
# Node.js and npm for tests/web: Debian's, unless a node with its npm is there already (NodeSource's
# nodejs package bundles npm and conflicts with Debian's npm package).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: every Debian package is installed"
else
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# tests/web's npm packages (playwright-core) exactly as package-lock.json pins them. No test tool
# may download a browser: the tests use Debian's /usr/bin/chromium.
web_tests="$(cd "$(dirname "$0")/.." && pwd)/tests/web"
if [ ! -f "$web_tests/node_modules/.package-lock.json" ] ||
   [ "$web_tests/package-lock.json" -nt "$web_tests/node_modules/.package-lock.json" ]; then
  echo "install-deps: npm ci in tests/web"
  (cd "$web_tests" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
     npm ci --no-audit --no-fund --loglevel=error)
else
  echo "install-deps: tests/web's npm packages are installed"
fi
