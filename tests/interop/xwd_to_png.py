#!/usr/bin/python3
"""Converts an X window dump (xwd -root of a TrueColor screen) to PNG, for the interop tests."""
import struct
import sys

from PIL import Image


def main(src, dst):
    data = open(src, "rb").read()
    fields = struct.unpack(">25I", data[:100])
    header_size, width, height = fields[0], fields[4], fields[5]
    byte_order, bits_per_pixel, bytes_per_line, ncolors = fields[7], fields[11], fields[12], fields[19]
    modes = {24: "BGR", 32: "BGRX"} if byte_order == 0 else {24: "RGB", 32: "XRGB"}
    if bits_per_pixel not in modes:
        sys.exit("xwd_to_png: %d bits per pixel is not supported" % bits_per_pixel)
    offset = header_size + ncolors * 12
    pixels = data[offset:offset + bytes_per_line * height]
    Image.frombuffer("RGB", (width, height), pixels, "raw", modes[bits_per_pixel],
                     bytes_per_line, 1).save(dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
