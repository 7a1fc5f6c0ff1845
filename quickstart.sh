#!/usr/bin/env bash
# The README's two commands:
#   ./quickstart.sh         install what is missing, build, run the main job (rdkernel demo)
#   ./quickstart.sh test    install what is missing, build, run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"
mode="${1:-demo}"
shift || true

./scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"

case "$mode" in
  demo)
    ./build/bin/rdkernel --plugins
    ./build/bin/rdkernel demo --snapshot build/demo-last-frame.png "$@"
    echo "last frame of the demo desktop: build/demo-last-frame.png"
    ;;
  test)
    ctest --test-dir build --output-on-failure -j2 "$@"
    ;;
  *)
    echo "usage: $0 [demo|test] [args...]" >&2
    exit 2
    ;;
esac
