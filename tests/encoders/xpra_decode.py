#!/usr/bin/python3
"""Decodes rdkernel encoder output with stock Xpra 3.1.3's own client-side decoders.

Usage: xpra_decode.py <dir>   (dir holds manifest.json written by XpraInteropTest)
Exit 0 when every entry decodes within its PSNR bound, 1 on a failure, 77 when xpra or its codecs
are not importable (the test then reports a skip).
"""
import json
import math
import os
import sys

try:
    import numpy
    from xpra.util import typedict
    from xpra.net import compression
    from xpra.codecs.vpx import decoder as vpx_decoder
    from xpra.codecs.webp import decoder as webp_decoder
    from xpra.codecs.jpeg import decoder as jpeg_decoder
    from xpra.codecs.pillow import decoder as pil_decoder
except Exception as e:  # pragma: no cover - environment dependent
    print("SKIP: cannot import xpra 3.1.3 decoders: %s" % e)
    sys.exit(77)


def to_bgr(pixels, fmt, w, h, stride):
    """Any packed Xpra rgb_format -> numpy (h, w, 3) array in B,G,R order."""
    fmt = fmt.decode() if isinstance(fmt, bytes) else str(fmt)
    bpp = len(fmt)
    a = numpy.frombuffer(bytes(pixels), dtype=numpy.uint8)[: stride * h].reshape(h, stride)
    a = a[:, : w * bpp].reshape(h, w, bpp)
    return numpy.stack([a[:, :, fmt.index("B")], a[:, :, fmt.index("G")], a[:, :, fmt.index("R")]], axis=2)


def psnr(a, b):
    mse = numpy.mean((a.astype(numpy.float64) - b.astype(numpy.float64)) ** 2)
    return math.inf if mse == 0 else 10 * math.log10(255.0 * 255.0 / mse)


def main():
    base = sys.argv[1]
    with open(os.path.join(base, "manifest.json")) as f:
        entries = json.load(f)
    video = {}
    failures = 0
    for e in entries:
        w, h = e["w"], e["h"]
        coding = e["coding"]
        options = typedict(e["options"])
        with open(os.path.join(base, e["data"]), "rb") as f:
            data = f.read()
        with open(os.path.join(base, e["original"]), "rb") as f:
            original = to_bgr(f.read(), "BGRX", w, h, w * 4)
        if coding in ("rgb24", "rgb32"):
            comp = [c for c in compression.ALL_COMPRESSORS if options.intget(c, 0)]
            raw = compression.decompress_by_name(data, algo=comp[0]) if comp else data
            got = to_bgr(raw, options.strget("rgb_format"), w, h, e["rowstride"])
            score = psnr(original, got)
        elif coding in ("vp8", "vp9"):
            vd = video.get(e["stream"])
            if vd is None or options.intget("frame", -1) == 0:
                vd = vpx_decoder.Decoder()
                vd.init_context(coding, w, h, options.strget("csc"))
                video[e["stream"]] = vd
            img = vd.decompress_image(data, options)
            if img is None:
                raise Exception("xpra vpx decoder returned nothing")
            y = numpy.frombuffer(bytes(img.get_pixels()[0]), dtype=numpy.uint8)
            ystride = img.get_rowstride()[0]
            y = y[: ystride * h].reshape(h, ystride)[:, :w]
            o = original.astype(numpy.int32)
            luma = ((66 * o[:, :, 2] + 129 * o[:, :, 1] + 25 * o[:, :, 0] + 128) >> 8) + 16
            score = psnr(luma, y)
        elif coding == "webp":
            wrapper, dw, dh, stride, _alpha, fmt = webp_decoder.decompress(
                data, False, options.strget("rgb_format", "BGRX"), ("BGRX", "BGRA", "RGBX", "RGBA"))
            got = to_bgr(wrapper.get_pixels(), fmt, dw, dh, stride)
            wrapper.free()
            score = psnr(original, got)
        elif coding == "jpeg":
            img = jpeg_decoder.decompress_to_rgb("RGBX", data, w, h, options)
            got = to_bgr(img.get_pixels(), img.get_pixel_format(), w, h, img.get_rowstride())
            score = psnr(original, got)
        elif coding.startswith("png"):
            fmt, raw, stride = pil_decoder.decompress(coding, data, options)
            got = to_bgr(raw, fmt, w, h, stride)
            score = psnr(original, got)
        else:
            raise Exception("no xpra decoder for %s" % coding)
        bound = e["min_psnr"]
        ok = math.isinf(score) if bound is None else score >= bound
        print("%-28s %-6s %4ix%-4i psnr=%s %s" % (e["name"], coding, w, h,
              "exact" if math.isinf(score) else "%.1f" % score, "ok" if ok else "FAIL"))
        failures += 0 if ok else 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
