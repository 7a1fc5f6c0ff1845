#!/bin/sh
# Builds the libFuzzer targets with clang++ directly (the main build may use g++):
#   build_fuzzers.sh CLANGXX SOURCE_DIR OUT_DIR
# fuzzers.mk compiles each library source once into OUT_DIR/obj (with header dependencies) and
# links every fuzz_<target> and the corpus writer make_corpus. RDK_FUZZ_JOBS: parallel compiles
# (default 2, the size of the machine CI runs on).
set -eu
exec make --no-print-directory --quiet -j"${RDK_FUZZ_JOBS:-2}" -f "$2/tests/fuzz/fuzzers.mk" \
  CXX="$1" SRC="$2" OUT="$3"
