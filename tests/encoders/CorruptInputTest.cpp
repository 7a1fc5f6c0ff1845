#include "CorruptInputTest.h"

#include "codec_cases.hpp"

using namespace rdk::test;

CPPUNIT_TEST_SUITE_REGISTRATION(CorruptInputTest);

namespace {
constexpr uint32_t kW = 64, kH = 48;

EncodedFrame encodeOne(const CodecCase& c, CodecPlugin& plugin) {
  auto enc = plugin.encoder(c.encoding, kW, kH, c.createOptions);
  return plugin.encode(*enc, makeContent(c.content, kW, kH, 9), c.quality, c.speed, c.flags);
}
}  // namespace

void CorruptInputTest::testTruncated() {
  for (const auto& c : codecCases()) {
    CodecPlugin& plugin = codecPlugin(c.plugin);
    const EncodedFrame f = encodeOne(c, plugin);
    for (size_t keep :
         {size_t(0), size_t(1), size_t(7), f.data.size() / 2, f.data.size() * 3 / 4}) {
      if (keep >= f.data.size())
        continue;
      auto dec = plugin.decoder(f.coding, kW, kH);
      Picture out(kW, kH);
      const rdk_status st = plugin.decode(*dec, f.data.data(), keep, f.decodeOptions(), out);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(c) + " truncated to " + std::to_string(keep),
                                   RDK_E_CORRUPT, st);
      CPPUNIT_ASSERT_MESSAGE(describe(c), !plugin.host().lastError().empty());
    }
  }
}

void CorruptInputTest::testBitFlipsNeverCrash() {
  // Flipped bits may still decode (most formats carry no checksum); they must never crash, hang or
  // report anything but OK or CORRUPT. Run under ASan (RDK_SANITIZE=ON) for memory errors.
  for (const auto& c : codecCases()) {
    CodecPlugin& plugin = codecPlugin(c.plugin);
    const EncodedFrame f = encodeOne(c, plugin);
    uint32_t rng = 12345;
    for (int round = 0; round < 40; ++round) {
      std::vector<uint8_t> bad = f.data;
      for (int flips = 0; flips < 1 + round % 8; ++flips) {
        rng = rng * 1103515245u + 12345u;
        bad[(rng >> 8) % bad.size()] ^= static_cast<uint8_t>(1u << ((rng >> 4) & 7));
      }
      auto dec = plugin.decoder(f.coding, kW, kH);
      Picture out(kW, kH);
      const rdk_status st = plugin.decode(*dec, bad.data(), bad.size(), f.decodeOptions(), out);
      CPPUNIT_ASSERT_MESSAGE(describe(c) + " status " + std::to_string(st),
                             st == RDK_OK || st == RDK_E_CORRUPT);
    }
  }
}

void CorruptInputTest::testGarbage() {
  std::vector<uint8_t> garbage(4096);
  uint32_t rng = 777;
  for (auto& b : garbage) {
    rng = rng * 1103515245u + 12345u;
    b = static_cast<uint8_t>(rng >> 16);
  }
  for (const auto& c : codecCases()) {
    CodecPlugin& plugin = codecPlugin(c.plugin);
    const EncodedFrame f = encodeOne(c, plugin);
    auto dec = plugin.decoder(f.coding, kW, kH);
    Picture out(kW, kH);
    const rdk_status st =
        plugin.decode(*dec, garbage.data(), garbage.size(), f.decodeOptions(), out);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(c), RDK_E_CORRUPT, st);
  }
}

void CorruptInputTest::testWrongSize() {
  // A valid picture that does not match the draw rectangle is refused (no overflow of |out|).
  for (const auto& c : codecCases()) {
    CodecPlugin& plugin = codecPlugin(c.plugin);
    const EncodedFrame f = encodeOne(c, plugin);
    auto dec = plugin.decoder(f.coding, kW / 2, kH / 2);
    Picture small(kW / 2, kH / 2);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(c), RDK_E_CORRUPT, plugin.decode(*dec, f, small));
  }
}

void CorruptInputTest::testBadArguments() {
  for (const std::string name : {"rgb", "png", "jpeg", "webp", "vpx"}) {
    CodecPlugin& plugin = codecPlugin(name);
    rdk_encoder* e = nullptr;
    CPPUNIT_ASSERT_EQUAL_MESSAGE(
        name, RDK_E_UNSUPPORTED,
        plugin.vt().encoder_create(plugin.state(), "h265", 8, 8, nullptr, &e));
    rdk_decoder* d = nullptr;
    CPPUNIT_ASSERT_EQUAL_MESSAGE(name, RDK_E_UNSUPPORTED,
                                 plugin.vt().decoder_create(plugin.state(), "nope", 8, 8, &d));
  }
  // Malformed options are an error, not a crash.
  CodecPlugin& rgb = codecPlugin("rgb");
  rdk_encoder* e = nullptr;
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG,
                       rgb.vt().encoder_create(rgb.state(), "rgb24", 8, 8, "{\"compressor\":", &e));
  auto dec = rgb.decoder("rgb24", 4, 4);
  Picture out(4, 4);
  const uint8_t raw[64] = {};
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, rgb.decode(*dec, raw, 64, "{bad json", out));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, rgb.decode(*dec, raw, 64, "{\"rgb_format\":\"BGRX\"}", out));
  CPPUNIT_ASSERT_EQUAL(RDK_E_CORRUPT, rgb.decode(*dec, raw, 64, "{\"rowstride\":3}", out));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, rgb.decode(*dec, raw, 48, "{\"rgb_format\":\"RGB\"}", out));
  CPPUNIT_ASSERT_EQUAL(RDK_E_UNSUPPORTED,
                       rgb.decode(*dec, raw, 64, "{\"rgb_format\":\"YUV\"}", out));
}

void CorruptInputTest::testInterFrameWithoutKeyframe() {
  // A client that lost the key frame must report an error (damage-sequence decode_time -1, which
  // makes the server send a key frame), not paint garbage silently.
  for (const std::string encoding : {"vp8", "vp9"}) {
    CodecPlugin& plugin = codecPlugin("vpx");
    auto enc = plugin.encoder(encoding, kW, kH);
    const EncodedFrame key = plugin.encode(*enc, makeDesktopPicture(kW, kH, 1), 80, 60);
    const EncodedFrame inter = plugin.encode(*enc, makeDesktopPicture(kW, kH, 2), 80, 60);
    CPPUNIT_ASSERT(key.flags & RDK_ENCODED_KEYFRAME);
    CPPUNIT_ASSERT(!(inter.flags & RDK_ENCODED_KEYFRAME));
    auto dec = plugin.decoder(encoding, kW, kH);
    Picture out(kW, kH);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(encoding, RDK_E_CORRUPT, plugin.decode(*dec, inter, out));
    // The next key frame recovers the stream.
    CPPUNIT_ASSERT_EQUAL(RDK_OK, plugin.vt().request_keyframe(enc->enc));
    const EncodedFrame again = plugin.encode(*enc, makeDesktopPicture(kW, kH, 3), 80, 60);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(encoding, RDK_OK, plugin.decode(*dec, again, out));
  }
}
