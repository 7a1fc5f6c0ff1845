#include "RoundTripTest.h"

#include <cstdio>
#include <cstdlib>

#include "codec_cases.hpp"

using namespace rdk::test;

CPPUNIT_TEST_SUITE_REGISTRATION(RoundTripTest);

namespace {
struct Size {
  uint32_t w, h;
};
const Size kSizes[] = {{1, 1}, {3, 5}, {17, 9}, {4097, 3}, {1920, 1080}};
}  // namespace

void RoundTripTest::testAwkwardSizes() {
  for (const auto& c : codecCases()) {
    CodecPlugin& plugin = codecPlugin(c.plugin);
    for (const auto& size : kSizes) {
      const std::string what =
          describe(c) + " " + std::to_string(size.w) + "x" + std::to_string(size.h);
      const Picture input = makeContent(c.content, size.w, size.h, 3);
      auto enc = plugin.encoder(c.encoding, size.w, size.h, c.createOptions);
      const EncodedFrame frame = plugin.encode(*enc, input, c.quality, c.speed, c.flags);
      CPPUNIT_ASSERT_MESSAGE(what, !frame.data.empty());
      CPPUNIT_ASSERT_EQUAL_MESSAGE(what, c.expectCoding, frame.coding);
      auto dec = plugin.decoder(frame.coding, size.w, size.h);
      Picture output(size.w, size.h);
      const rdk_status st = plugin.decode(*dec, frame, output);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(what + ": " + plugin.host().lastError(), RDK_OK, st);
      const double p = psnr(input, output);
      if (getenv("RDK_PRINT_PSNR"))
        std::fprintf(stderr, "%s psnr %.1f bytes %zu\n", what.c_str(), p, frame.data.size());
      if (std::isinf(c.minPsnr)) {
        CPPUNIT_ASSERT_MESSAGE(what + " must be exact, psnr " + std::to_string(p), std::isinf(p));
        CPPUNIT_ASSERT_MESSAGE(what, (frame.flags & RDK_ENCODED_LOSSLESS) != 0);
      } else {
        CPPUNIT_ASSERT_MESSAGE(what + " psnr " + std::to_string(p), p >= c.minPsnr);
      }
    }
  }
}

void RoundTripTest::testVideoSequenceAndKeyframes() {
  for (const std::string encoding : {"vp8", "vp9"}) {
    CodecPlugin& plugin = codecPlugin("vpx");
    const uint32_t w = 321, h = 241;  // odd: chroma planes round up
    auto enc = plugin.encoder(encoding, w, h);
    auto dec = plugin.decoder(encoding, w, h);
    Picture output(w, h);
    for (uint32_t i = 0; i < 6; ++i) {
      const Picture input = makeDesktopPicture(w, h, i + 1);
      const bool forceKey = i == 4;
      if (i == 3)
        CPPUNIT_ASSERT_EQUAL(RDK_OK, plugin.vt().request_keyframe(enc->enc));
      const EncodedFrame f = plugin.encode(*enc, input, 85, 60, forceKey ? RDK_ENCODE_KEYFRAME : 0);
      const bool key = (f.flags & RDK_ENCODED_KEYFRAME) != 0;
      CPPUNIT_ASSERT_MESSAGE(encoding + " frame " + std::to_string(i),
                             key == (i == 0 || i == 3 || i == 4));
      // A forced key frame restarts the frame counter, so stock clients reset their decoder.
      const std::string frameNo =
          key ? "\"frame\":0" : "\"frame\":" + std::to_string(i == 5 ? 1 : i);
      CPPUNIT_ASSERT_MESSAGE(f.options, f.options.find(frameNo) != std::string::npos);
      CPPUNIT_ASSERT_EQUAL(RDK_OK, plugin.decode(*dec, f, output));
      CPPUNIT_ASSERT_MESSAGE(encoding + " psnr " + std::to_string(psnr(input, output)),
                             psnr(input, output) >= 22.0);
    }
    // A frame of the wrong size is refused, not encoded.
    const Picture wrong = makeDesktopPicture(w + 1, h, 1);
    CPPUNIT_ASSERT_THROW(plugin.encode(*enc, wrong), std::runtime_error);
  }
}

void RoundTripTest::testKeyframeIntervalFromConfig() {
  CodecPlugin& plugin = codecPlugin("vpx");
  auto countKeys = [&](const char* options) {
    auto enc = plugin.encoder("vp8", 64, 64, options);
    int keys = 0;
    for (uint32_t i = 0; i < 12; ++i) {
      const EncodedFrame f = plugin.encode(*enc, makeDesktopPicture(64, 64, i + 1), 70, 80);
      if (f.flags & RDK_ENCODED_KEYFRAME)
        ++keys;
    }
    return keys;
  };
  CPPUNIT_ASSERT_EQUAL(1, countKeys(nullptr));  // on demand only
  CPPUNIT_ASSERT(countKeys("{\"keyframe_interval\":4}") >= 3);
  plugin.host().setConfig("encoder.keyframe-interval", "5");
  CPPUNIT_ASSERT(countKeys(nullptr) >= 2);
  plugin.host().setConfig("encoder.keyframe-interval", "0");
}

void RoundTripTest::testXpraDrawOptions() {
  // The options a stock Xpra 3.1.3 client needs to decode each coding.
  struct Expect {
    std::string plugin, encoding;
    const char* create;
    std::vector<std::string> fragments;
    uint32_t rowstride;  // 0 = compressed, else bytes per row for width 10
  };
  const std::vector<Expect> expectations = {
      {"rgb", "rgb24", nullptr, {"\"rgb_format\":\"BGRX\"", "\"lz4\":1"}, 40},
      {"rgb", "rgb24", "{\"compressor\":\"zlib\"}", {"\"rgb_format\":\"BGRX\"", "\"zlib\":"}, 40},
      {"rgb", "rgb32", nullptr, {"\"rgb_format\":\"BGRA\""}, 40},
      {"webp", "webp", nullptr, {"\"rgb_format\":\"BGRX\"", "\"quality\":"}, 0},
      {"vpx", "vp8", nullptr, {"\"frame\":0", "\"csc\":\"YUV420P\""}, 0},
      {"vpx", "vp9", nullptr, {"\"frame\":0", "\"csc\":\"YUV420P\""}, 0},
      {"png", "png", nullptr, {}, 0},
      {"jpeg", "jpeg", nullptr, {}, 0},
  };
  for (const auto& e : expectations) {
    CodecPlugin& plugin = codecPlugin(e.plugin);
    auto enc = plugin.encoder(e.encoding, 10, 8, e.create);
    const EncodedFrame f = plugin.encode(*enc, makeDesktopPicture(10, 8, 2), 80, 50);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(e.encoding, e.rowstride, f.rowstride);
    for (const auto& frag : e.fragments)
      CPPUNIT_ASSERT_MESSAGE(e.encoding + ": " + f.options,
                             f.options.find(frag) != std::string::npos);
  }
}

void RoundTripTest::testBgraInputAccepted() {
  for (const auto& c : codecCases()) {
    CodecPlugin& plugin = codecPlugin(c.plugin);
    Picture input = makeContent(c.content, 16, 16, 5);
    auto enc = plugin.encoder(c.encoding, 16, 16, c.createOptions);
    rdk_image img = input.view();
    img.format = RDK_PIXEL_BGRA;
    rdk_encode_params params{sizeof(params), c.quality, c.speed, c.flags, 0};
    rdk_encoded out{};
    out.struct_size = sizeof(out);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(c), RDK_OK,
                                 plugin.vt().encode(enc->enc, &img, &params, &out));
    out.data.release(&out.data);
    out.options_json.release(&out.options_json);
    // Formats we cannot read are refused with a status, not misread.
    img.format = RDK_PIXEL_RGB;
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(c), RDK_E_UNSUPPORTED,
                                 plugin.vt().encode(enc->enc, &img, &params, &out));
  }
}
