// The jpeg encoder plugin (libturbojpeg). Quality is Xpra's 0..100 used directly (clamped to
// 1..100); at quality >= 90 chroma is kept whole (4:4:4), below it is subsampled 4:2:0. Speed >= 80
// picks the fast DCT. Decoding writes BGRX straight into the draw rectangle.
#include "rdk_plugin_manifest.h"

#include <turbojpeg.h>

#include "codec_util.hpp"
#include "rdk/plugin.hpp"

namespace rdk::jpeg {

namespace {
class TjHandle {
 public:
  explicit TjHandle(bool compress) : handle_(compress ? tjInitCompress() : tjInitDecompress()) {
    if (!handle_)
      throw Error(RDK_E_NO_MEMORY, "turbojpeg init failed");
  }
  ~TjHandle() { tjDestroy(handle_); }
  TjHandle(const TjHandle&) = delete;
  TjHandle& operator=(const TjHandle&) = delete;
  tjhandle get() const { return handle_; }
  std::string error() const { return tjGetErrorStr2(handle_); }

 private:
  tjhandle handle_;
};
}  // namespace

class JpegEncoder : public Encoder {
 public:
  Encoded encode(const rdk_image& image, const rdk_encode_params& params) override {
    codec::checkInput(image);
    const int quality = std::clamp(codec::scale(params.quality, 80), 1, 100);
    const int speed = codec::scale(params.speed, 50);
    const int subsamp = quality >= 90 ? TJSAMP_444 : TJSAMP_420;
    unsigned char* jpeg = nullptr;
    unsigned long size = 0;
    const int flags = speed >= 80 ? TJFLAG_FASTDCT : 0;
    if (tjCompress2(tj_.get(), image.pixels, static_cast<int>(image.width),
                    static_cast<int>(image.stride), static_cast<int>(image.height),
                    image.format == RDK_PIXEL_BGRA ? TJPF_BGRA : TJPF_BGRX, &jpeg, &size, subsamp,
                    quality, flags) != 0) {
      tjFree(jpeg);
      throw Error(RDK_E_INTERNAL, "jpeg encode: " + tj_.error());
    }
    Encoded out;
    out.coding = "jpeg";
    out.data.assign(jpeg, jpeg + size);
    tjFree(jpeg);
    out.optionsJson = "{\"quality\":" + std::to_string(quality) + "}";
    return out;
  }

 private:
  TjHandle tj_{true};
};

class JpegDecoder : public Decoder {
 public:
  void decode(rdk_bytes data, std::string_view, rdk_image_out& out) override {
    codec::checkOutput(out);
    if (data.size < 4 || data.size > (1ull << 31))
      throw Error(RDK_E_CORRUPT, "not jpeg data");
    int w = 0, h = 0, subsamp = 0, colourspace = 0;
    if (tjDecompressHeader3(tj_.get(), data.data, static_cast<unsigned long>(data.size), &w, &h,
                            &subsamp, &colourspace) != 0)
      throw Error(RDK_E_CORRUPT, "jpeg header: " + tj_.error());
    codec::checkSize(static_cast<uint32_t>(w), static_cast<uint32_t>(h), out);
    // Stop on warnings too: a truncated picture ("premature end of data") is an error for us.
    if (tjDecompress2(tj_.get(), data.data, static_cast<unsigned long>(data.size), out.pixels, w,
                      static_cast<int>(out.stride), h, TJPF_BGRX, TJFLAG_STOPONWARNING) != 0)
      throw Error(RDK_E_CORRUPT, "jpeg decode: " + tj_.error());
  }

 private:
  TjHandle tj_{false};
};

class JpegPlugin : public Plugin {
 public:
  explicit JpegPlugin(const Host& host) : Plugin(host) {}
  std::unique_ptr<Encoder> createEncoder(const std::string& encoding, uint32_t, uint32_t,
                                         const std::string&) override {
    check(encoding);
    return std::make_unique<JpegEncoder>();
  }
  std::unique_ptr<Decoder> createDecoder(const std::string& encoding, uint32_t, uint32_t) override {
    check(encoding);
    return std::make_unique<JpegDecoder>();
  }

 private:
  static void check(const std::string& e) {
    if (e != "jpeg")
      throw Error(RDK_E_UNSUPPORTED, "jpeg plugin has no encoding " + e);
  }
};

}  // namespace rdk::jpeg

RDK_DEFINE_PLUGIN(rdk::jpeg::JpegPlugin)
