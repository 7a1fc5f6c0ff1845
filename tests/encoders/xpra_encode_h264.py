#!/usr/bin/python3
"""Encodes a moving test picture with stock Xpra 3.1.3's own x264 encoder (what an Xpra server sends).

Usage: xpra_encode_h264.py <dir> <width> <height> <frames>
Writes <dir>/frame-<i>.h264 (one access unit each), <dir>/frame-<i>.yuv (the I420 planes that were
encoded) and <dir>/frame-<i>.json (the draw options). Exit 77 when xpra's x264 is not importable.
"""
import json
import os
import sys

try:
    from xpra.codecs.enc_x264 import encoder
    from xpra.codecs.image_wrapper import ImageWrapper
    from xpra.util import typedict
except Exception as e:  # pragma: no cover - environment dependent
    print("SKIP: cannot import xpra 3.1.3's x264 encoder: %s" % e)
    sys.exit(77)


def planes(w, h, t):
    y = bytes((x * 3 + r * 5 + t * 7) % 200 + 20 for r in range(h) for x in range(w))
    cw, ch = (w + 1) // 2, (h + 1) // 2
    u = bytes((x * 2 + t * 3) % 160 + 48 for r in range(ch) for x in range(cw))
    v = bytes((r * 4 + t) % 160 + 48 for r in range(ch) for x in range(cw))
    return y, u, v


def main():
    base, w, h, frames = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    enc = encoder.Encoder()
    enc.init_context(w, h, "YUV420P", ("YUV420P",), "h264", 90, 50, (1, 1), typedict({}))
    cw = (w + 1) // 2
    for i in range(frames):
        y, u, v = planes(w, h, i)
        image = ImageWrapper(0, 0, w, h, [y, u, v], "YUV420P", 24, [w, cw, cw], 1,
                             ImageWrapper.PLANAR_3)
        result = enc.compress_image(image, 90, 50, typedict({}))
        if not result:
            print("x264 returned nothing for frame %i" % i)
            return 1
        data, options = result
        with open(os.path.join(base, "frame-%i.h264" % i), "wb") as f:
            f.write(data)
        with open(os.path.join(base, "frame-%i.yuv" % i), "wb") as f:
            f.write(y + u + v)
        with open(os.path.join(base, "frame-%i.json" % i), "w") as f:
            json.dump({k: (v.decode() if isinstance(v, bytes) else v) for k, v in options.items()}, f)
    enc.clean()
    return 0


if __name__ == "__main__":
    sys.exit(main())
