#!/usr/bin/python3
"""PSNR (dB) between a region of two images: compare_region.py A.png B.png X Y W H.

Prints the PSNR; 100 stands for identical regions."""
import math
import sys

import numpy
from PIL import Image


def main(a_path, b_path, x, y, w, h):
    a = numpy.asarray(Image.open(a_path).convert("RGB"), dtype=numpy.float64)
    b = numpy.asarray(Image.open(b_path).convert("RGB"), dtype=numpy.float64)
    ra, rb = a[y:y + h, x:x + w], b[y:y + h, x:x + w]
    if ra.shape != rb.shape or ra.size == 0:
        sys.exit("compare_region: region %s outside one of the images %s %s" %
                 ((x, y, w, h), a.shape, b.shape))
    mse = float(numpy.mean((ra - rb) ** 2))
    print("%.2f" % (100.0 if mse == 0 else 10 * math.log10(255.0 ** 2 / mse)))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *[int(v) for v in sys.argv[3:7]])
