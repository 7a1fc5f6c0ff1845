// The webp encoder plugin (libwebp). Xpra scales: quality >= 100 or RDK_ENCODE_LOSSLESS gives
// lossless webp ("exact", effort from speed); below, lossy webp at that quality. Speed 100..0 maps
// to libwebp's method 0..6 (lossy) or lossless level 0..9. Options sent: {"rgb_format":"BGRX",
// "quality":q}, as a stock Xpra 3.1.3 server does.
#include "rdk_plugin_manifest.h"

#include <webp/decode.h>
#include <webp/encode.h>

#include "codec_util.hpp"
#include "rdk/plugin.hpp"

namespace rdk::webp {

class WebpEncoder : public Encoder {
 public:
  Encoded encode(const rdk_image& image, const rdk_encode_params& params) override {
    codec::checkInput(image);
    if (image.width > WEBP_MAX_DIMENSION || image.height > WEBP_MAX_DIMENSION)
      throw Error(RDK_E_INVALID_ARG, "webp is limited to 16383 pixels per side");
    const int quality = codec::scale(params.quality, 80);
    const int speed = codec::scale(params.speed, 50);
    const bool lossless = (params.flags & RDK_ENCODE_LOSSLESS) != 0 || quality >= 100;
    WebPConfig config;
    if (!WebPConfigInit(&config))
      throw Error(RDK_E_INTERNAL, "libwebp version mismatch");
    if (lossless) {
      if (!WebPConfigLosslessPreset(&config, codec::mapRange(100 - speed, 0, 9)))
        throw Error(RDK_E_INTERNAL, "bad webp lossless preset");
      config.exact = 1;
    } else {
      config.quality = static_cast<float>(std::max(quality, 1));
      config.method = codec::mapRange(100 - speed, 0, 6);
    }
    WebPPicture picture;
    if (!WebPPictureInit(&picture))
      throw Error(RDK_E_INTERNAL, "libwebp version mismatch");
    picture.width = static_cast<int>(image.width);
    picture.height = static_cast<int>(image.height);
    picture.use_argb = lossless ? 1 : 0;
    WebPMemoryWriter writer;
    WebPMemoryWriterInit(&writer);
    picture.writer = WebPMemoryWrite;
    picture.custom_ptr = &writer;
    const int imported =
        WebPPictureImportBGRX(&picture, image.pixels, static_cast<int>(image.stride));
    const int ok = imported && WebPEncode(&config, &picture);
    const WebPEncodingError code = picture.error_code;
    WebPPictureFree(&picture);
    Encoded out;
    if (ok)
      out.data.assign(writer.mem, writer.mem + writer.size);
    WebPMemoryWriterClear(&writer);
    if (!ok)
      throw Error(RDK_E_INTERNAL, "webp encode failed, error " + std::to_string(code));
    out.coding = "webp";
    out.flags = lossless ? RDK_ENCODED_LOSSLESS : 0;
    out.optionsJson =
        "{\"rgb_format\":\"BGRX\",\"quality\":" + std::to_string(lossless ? 100 : quality) + "}";
    return out;
  }
};

class WebpDecoder : public Decoder {
 public:
  void decode(rdk_bytes data, std::string_view, rdk_image_out& out) override {
    codec::checkOutput(out);
    int w = 0, h = 0;
    if (!WebPGetInfo(data.data, data.size, &w, &h))
      throw Error(RDK_E_CORRUPT, "not webp data");
    codec::checkSize(static_cast<uint32_t>(w), static_cast<uint32_t>(h), out);
    // webp has no BGRX output: BGRA writes 255 in the fourth byte of an opaque picture.
    if (!WebPDecodeBGRAInto(data.data, data.size, out.pixels,
                            static_cast<size_t>(out.stride) * out.height,
                            static_cast<int>(out.stride)))
      throw Error(RDK_E_CORRUPT, "corrupt or truncated webp data");
  }
};

class WebpPlugin : public Plugin {
 public:
  explicit WebpPlugin(const Host& host) : Plugin(host) {}
  std::unique_ptr<Encoder> createEncoder(const std::string& encoding, uint32_t, uint32_t,
                                         const std::string&) override {
    check(encoding);
    return std::make_unique<WebpEncoder>();
  }
  std::unique_ptr<Decoder> createDecoder(const std::string& encoding, uint32_t, uint32_t) override {
    check(encoding);
    return std::make_unique<WebpDecoder>();
  }

 private:
  static void check(const std::string& e) {
    if (e != "webp")
      throw Error(RDK_E_UNSUPPORTED, "webp plugin has no encoding " + e);
  }
};

}  // namespace rdk::webp

RDK_DEFINE_PLUGIN(rdk::webp::WebpPlugin)
