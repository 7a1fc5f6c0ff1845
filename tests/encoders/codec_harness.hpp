// Drives an encoder plugin through its C vtable exactly as the kernel does (dlopen + FakeHost),
// plus synthetic test pictures and PSNR.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "plugin_harness.hpp"

namespace rdk::test {

/// A BGRX picture owned by the test.
struct Picture {
  uint32_t width = 0, height = 0, stride = 0;
  std::vector<uint8_t> pixels;
  Picture() = default;
  Picture(uint32_t w, uint32_t h) : width(w), height(h), stride(w * 4), pixels(size_t(w) * h * 4) {}
  rdk_image view() const {
    return rdk_image{sizeof(rdk_image), width, height, stride, RDK_PIXEL_BGRX, pixels.data()};
  }
  rdk_image_out out() {
    return rdk_image_out{sizeof(rdk_image_out), width,        height, stride,
                         RDK_PIXEL_BGRX,        pixels.data()};
  }
  uint8_t* at(uint32_t x, uint32_t y) { return pixels.data() + size_t(y) * stride + size_t(x) * 4; }
};

/// Smooth gradients, sharp "text" strokes and a little noise: hard enough for every codec.
inline Picture makeDesktopPicture(uint32_t w, uint32_t h, uint32_t seed = 1) {
  Picture p(w, h);
  uint32_t rng = seed * 2654435761u + 1;
  for (uint32_t y = 0; y < h; ++y) {
    for (uint32_t x = 0; x < w; ++x) {
      uint8_t* px = p.at(x, y);
      rng = rng * 1103515245u + 12345u;
      const uint8_t noise = (rng >> 16) & 3;
      // Gentle gradients (like window backgrounds) wrapping into hard edges every ~85 px.
      px[0] = static_cast<uint8_t>((x * 3 + noise + seed * 13) & 0xff);
      px[1] = static_cast<uint8_t>((y * 2 + noise) & 0xff);
      px[2] = static_cast<uint8_t>(((x + y) + seed * 7) & 0xff);
      px[3] = 0xff;
      // Dark glyph-like strokes on a grid of 8x16 cells.
      if (((x / 8 + y / 16 + seed) % 3 == 0) && (x % 8 == 2 || y % 16 == 5))
        px[0] = px[1] = px[2] = 20;
    }
  }
  return p;
}

/// A picture with few colours (palette material).
inline Picture makeFewColours(uint32_t w, uint32_t h, uint32_t colours) {
  Picture p(w, h);
  for (uint32_t y = 0; y < h; ++y)
    for (uint32_t x = 0; x < w; ++x) {
      const uint32_t c = (x / 3 + y * 7) % colours;
      uint8_t* px = p.at(x, y);
      px[0] = static_cast<uint8_t>(c * 37), px[1] = static_cast<uint8_t>(c * 11 + 5);
      px[2] = static_cast<uint8_t>(255 - c), px[3] = 0xff;
    }
  return p;
}

/// PSNR over B, G, R (X ignored); +inf when identical.
inline double psnr(const Picture& a, const Picture& b) {
  if (a.width != b.width || a.height != b.height)
    return 0.0;
  double sum = 0;
  for (uint32_t y = 0; y < a.height; ++y) {
    const uint8_t* pa = a.pixels.data() + size_t(y) * a.stride;
    const uint8_t* pb = b.pixels.data() + size_t(y) * b.stride;
    for (uint32_t x = 0; x < a.width * 4; ++x) {
      if (x % 4 == 3)
        continue;
      const double d = double(pa[x]) - double(pb[x]);
      sum += d * d;
    }
  }
  if (sum == 0)
    return INFINITY;
  const double mse = sum / (double(a.width) * a.height * 3);
  return 10.0 * std::log10(255.0 * 255.0 / mse);
}

struct EncodedFrame {
  std::string coding;
  std::vector<uint8_t> data;
  uint32_t rowstride = 0;
  uint32_t flags = 0;
  std::string options;
  /// The options the kernel hands to decode: the draw options plus the packet's rowstride.
  std::string decodeOptions() const {
    std::string o = options.empty() ? "{}" : options;
    if (rowstride == 0)
      return o;
    const std::string field = "\"rowstride\":" + std::to_string(rowstride);
    return o == "{}" ? "{" + field + "}" : "{" + field + "," + o.substr(1);
  }
};

/// One plugin with convenience wrappers around its encoder vtable.
class CodecPlugin {
 public:
  explicit CodecPlugin(const std::string& name) : plugin_(name) {
    vt_ = plugin_.descriptor()->encoder;
    if (!vt_)
      throw std::runtime_error(name + " is not an encoder plugin");
  }
  const rdk_encoder_vtbl& vt() const { return *vt_; }
  void* state() const { return plugin_.state(); }
  FakeHost& host() { return plugin_.host(); }
  const rdk_plugin_descriptor* descriptor() const { return plugin_.descriptor(); }

  struct EncoderHandle {
    const rdk_encoder_vtbl* vt;
    rdk_encoder* enc;
    ~EncoderHandle() {
      if (enc)
        vt->encoder_destroy(enc);
    }
  };
  struct DecoderHandle {
    const rdk_encoder_vtbl* vt;
    rdk_decoder* dec;
    ~DecoderHandle() {
      if (dec)
        vt->decoder_destroy(dec);
    }
  };

  std::unique_ptr<EncoderHandle> encoder(const std::string& encoding, uint32_t w, uint32_t h,
                                         const char* options = nullptr) {
    rdk_encoder* e = nullptr;
    const rdk_status st = vt_->encoder_create(state(), encoding.c_str(), w, h, options, &e);
    if (st != RDK_OK)
      throw std::runtime_error("encoder_create(" + encoding + ") = " + std::to_string(st) + ": " +
                               host().lastError());
    return std::unique_ptr<EncoderHandle>(new EncoderHandle{vt_, e});
  }
  std::unique_ptr<DecoderHandle> decoder(const std::string& encoding, uint32_t w, uint32_t h) {
    rdk_decoder* d = nullptr;
    const rdk_status st = vt_->decoder_create(state(), encoding.c_str(), w, h, &d);
    if (st != RDK_OK)
      throw std::runtime_error("decoder_create(" + encoding + ") = " + std::to_string(st) + ": " +
                               host().lastError());
    return std::unique_ptr<DecoderHandle>(new DecoderHandle{vt_, d});
  }

  EncodedFrame encode(EncoderHandle& e, const Picture& pic, int quality = -1, int speed = -1,
                      uint32_t flags = 0) {
    const rdk_image img = pic.view();
    rdk_encode_params params{sizeof(params), quality, speed, flags, 0};
    rdk_encoded out{};
    out.struct_size = sizeof(out);
    const rdk_status st = vt_->encode(e.enc, &img, &params, &out);
    if (st != RDK_OK)
      throw std::runtime_error("encode = " + std::to_string(st) + ": " + host().lastError());
    EncodedFrame f;
    f.coding = out.coding;
    f.data.assign(out.data.data, out.data.data + out.data.size);
    f.rowstride = out.rowstride;
    f.flags = out.flags;
    f.options.assign(reinterpret_cast<const char*>(out.options_json.data), out.options_json.size);
    if (out.data.release)
      out.data.release(&out.data);
    if (out.options_json.release)
      out.options_json.release(&out.options_json);
    return f;
  }

  rdk_status decode(DecoderHandle& d, const uint8_t* data, size_t size, const std::string& options,
                    Picture& out) {
    rdk_image_out o = out.out();
    return vt_->decode(d.dec, rdk_bytes{data, size}, options.c_str(), &o);
  }
  rdk_status decode(DecoderHandle& d, const EncodedFrame& f, Picture& out) {
    return decode(d, f.data.data(), f.data.size(), f.decodeOptions(), out);
  }

 private:
  LoadedTestPlugin plugin_;
  const rdk_encoder_vtbl* vt_ = nullptr;
};

}  // namespace rdk::test
