#!/bin/sh
# Builds the protocol fuzz targets with clang++ directly (the main build may use g++):
#   build_fuzzers.sh CLANGXX SOURCE_DIR OUT_DIR
# Library sources are compiled once into OUT_DIR/obj, then linked with each target.
set -eu
CXX="$1"
SRC="$2"
OUT="$3"
FLAGS="-std=c++20 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
INC="-I$SRC/kernel/protocol/include -I$SRC/kernel/protocol/src"
mkdir -p "$OUT/obj"
OBJS=""
for f in "$SRC"/kernel/protocol/src/*.cpp "$SRC"/kernel/protocol/src/messages/*.cpp; do
  o="$OUT/obj/$(basename "$(dirname "$f")")_$(basename "$f" .cpp).o"
  if [ ! -f "$o" ] || [ "$f" -nt "$o" ]; then
    $CXX $FLAGS $INC -c "$f" -o "$o"
  fi
  OBJS="$OBJS $o"
done
for t in record_reader rdecode bdecode; do
  $CXX $FLAGS -fsanitize=fuzzer $INC "$SRC/tests/fuzz/fuzz_$t.cpp" $OBJS -llz4 -lz -o "$OUT/fuzz_$t"
done
