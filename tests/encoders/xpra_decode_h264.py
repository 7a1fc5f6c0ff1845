#!/usr/bin/python3
"""Decodes H.264 access units with stock Xpra 3.1.3's client-side decoder (dec_avcodec2).

Usage: xpra_decode_h264.py <dir>   (dir holds manifest.json written by H264StreamTest)
Each stream is decoded in order by one Xpra decoder; every picture must come out at once (no
reordering delay) and equal the expected Y, U and V planes exactly. Prints one line per picture.
Exit 0 when all match, 1 on a mismatch, 77 when xpra's avcodec decoder is not importable.
"""
import json
import os
import sys

try:
    from xpra.util import typedict
    from xpra.codecs.dec_avcodec2 import decoder as avcodec
except Exception as e:  # pragma: no cover - environment dependent
    print("SKIP: cannot import xpra 3.1.3's avcodec decoder: %s" % e)
    sys.exit(77)


def plane(img, index, w, h):
    data = bytes(img.get_pixels()[index])
    stride = img.get_rowstride()[index]
    return b"".join(data[r * stride: r * stride + w] for r in range(h))


def main():
    base = sys.argv[1]
    with open(os.path.join(base, "manifest.json")) as f:
        streams = json.load(f)
    failures = 0
    for s in streams:
        w, h = s["w"], s["h"]
        dec = avcodec.Decoder()
        dec.init_context("h264", w, h, "YUV420P")
        for i, frame in enumerate(s["frames"]):
            with open(os.path.join(base, frame["data"]), "rb") as f:
                data = f.read()
            with open(os.path.join(base, frame["expect"]), "rb") as f:
                expect = f.read()
            img = dec.decompress_image(data, typedict({"frame": i}))
            if img is None:
                verdict = "FAIL (no picture out: decoder delayed or rejected it)"
            elif (img.get_width(), img.get_height()) != (w, h):
                verdict = "FAIL (decoded %ix%i)" % (img.get_width(), img.get_height())
            else:
                got = plane(img, 0, w, h) + plane(img, 1, w // 2, h // 2) + plane(img, 2, w // 2, h // 2)
                diff = sum(1 for a, b in zip(got, expect) if a != b)
                verdict = "ok" if diff == 0 and len(got) == len(expect) else "FAIL (%i samples differ)" % diff
            print("%-24s %4ix%-4i picture %i %s" % (s["name"], w, h, i, verdict))
            failures += 0 if verdict == "ok" else 1
        dec.clean()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
