#!/usr/bin/python3
"""Reference side of bench_protocol: times stock python3-rencode (what Xpra 3.1.3 uses) and
python-lz4 on the exact packets the C++ side measured.

usage: python_rencode_bench.py MIN_SECONDS FILE...   (each FILE holds one rencoded packet)
prints per file: <name> dumps <seconds/op> loads <seconds/op> lz4rec_write <s/op> lz4rec_read <s/op>
(the lz4 figures are what Xpra's record path does for a main packet: dumps + lz4 block level 1,
and lz4 decompress + loads)
"""
import os
import sys
import time

import lz4.block
import rencode


def per_op(fn, min_seconds):
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return elapsed / n
        n *= 2


def main():
    min_seconds = float(sys.argv[1])
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            data = f.read()
        packet = rencode.loads(data)
        compressed = lz4.block.compress(data, mode="fast", acceleration=6)
        dumps = per_op(lambda: rencode.dumps(packet), min_seconds)
        loads = per_op(lambda: rencode.loads(data), min_seconds)
        write = per_op(lambda: lz4.block.compress(rencode.dumps(packet), mode="fast", acceleration=6), min_seconds)
        read = per_op(lambda: rencode.loads(lz4.block.decompress(compressed)), min_seconds)
        print(os.path.basename(path), "dumps", dumps, "loads", loads, "lz4rec_write", write, "lz4rec_read", read)


if __name__ == "__main__":
    main()
