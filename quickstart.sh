#!/usr/bin/env bash
# The README's commands:
#   ./quickstart.sh              install what is missing, build, run the main job (rdkernel demo)
#   ./quickstart.sh test         install what is missing, build, run the whole test suite
#   ./quickstart.sh sanitize     install what is missing, build the ASan+UBSan and TSan trees
#                                (CMakePresets.json: build-asan, build-tsan) and run the suite
#                                under both; `sanitize ci` builds and runs only CI's subset
#                                (session, protocol, transports). docs/testing.md says which
#                                tests the sanitizer runs leave out and why.
set -euo pipefail
cd "$(dirname "$0")"
mode="${1:-demo}"
shift || true

./scripts/install-deps.sh

build_main() {
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
  cmake --build build -j"$(nproc)"
}

# sanitize_tree PRESET SCOPE [ctest args...]: configure, build and test one sanitizer tree.
sanitize_tree() {
  local preset="$1" scope="$2" start=$SECONDS
  shift 2
  cmake --preset "$preset" >/dev/null
  if [ "$scope" = ci ]; then
    # The subset's test executables; the plugins they load come with them as dependencies.
    local targets
    targets=$(cmake --build --preset "$preset" --target help |
      sed -n 's/^\(test_\(session\|protocol\|transport_[a-z_]*\)\):.*/\1/p' | sort -u)
    # shellcheck disable=SC2086
    cmake --build --preset "$preset" -j"$(nproc)" --target $targets
  else
    cmake --build --preset "$preset" -j"$(nproc)"
  fi
  local built=$SECONDS
  local rc=0
  ctest --preset "$preset${scope:+-$scope}" "$@" || rc=$?
  echo "sanitize: $preset (${scope:-all}): build $((built - start)) s, tests $((SECONDS - built)) s," \
    "$([ $rc -eq 0 ] && echo passed || echo FAILED)"
  return $rc
}

case "$mode" in
  demo)
    build_main
    ./build/bin/rdkernel --plugins
    ./build/bin/rdkernel demo --snapshot build/demo-last-frame.png "$@"
    echo "last frame of the demo desktop: build/demo-last-frame.png"
    ;;
  test)
    build_main
    ctest --test-dir build --output-on-failure -j2 "$@"
    ;;
  sanitize)
    scope=""
    if [ "${1:-}" = ci ]; then
      scope=ci
      shift
    fi
    status=0
    sanitize_tree asan "$scope" "$@" || status=1
    sanitize_tree tsan "$scope" "$@" || status=1
    exit $status
    ;;
  *)
    echo "usage: $0 [demo|test|sanitize [ci]] [args...]" >&2
    exit 2
    ;;
esac
