// The SDK example plugin really encodes and decodes (loaded with the fake host, no kernel).
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <vector>

#include "plugin_harness.hpp"

class HelloEncoderTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HelloEncoderTest);
  CPPUNIT_TEST(testRoundTripIsExact);
  CPPUNIT_TEST(testCorruptInputIsAnError);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testRoundTripIsExact() {
    rdk::test::LoadedTestPlugin plugin("hello_encoder", RDK_EXAMPLE_PLUGIN_DIR);
    const rdk_encoder_vtbl* v = plugin.descriptor()->encoder;
    CPPUNIT_ASSERT(v);
    const uint32_t w = 7, h = 5, stride = w * 4 + 12;  // padded rows must be packed on the wire
    std::vector<uint8_t> pixels(size_t{stride} * h);
    for (size_t i = 0; i < pixels.size(); ++i)
      pixels[i] = static_cast<uint8_t>(i * 31 + 7);
    rdk_image image{sizeof(rdk_image), w, h, stride, RDK_PIXEL_BGRX, pixels.data()};
    rdk_encoder* enc = nullptr;
    CPPUNIT_ASSERT_EQUAL(RDK_OK,
                         v->encoder_create(plugin.state(), "rgb24-example", w, h, nullptr, &enc));
    rdk_encode_params params{sizeof(rdk_encode_params), -1, -1, 0, 0};
    rdk_encoded out{};
    out.struct_size = sizeof out;
    CPPUNIT_ASSERT_EQUAL(RDK_OK, v->encode(enc, &image, &params, &out));
    CPPUNIT_ASSERT_EQUAL(std::string("rgb24-example"), std::string(out.coding));
    CPPUNIT_ASSERT_EQUAL(size_t{w} * 4 * h, out.data.size);

    rdk_decoder* dec = nullptr;
    CPPUNIT_ASSERT_EQUAL(RDK_OK, v->decoder_create(plugin.state(), "rgb24-example", w, h, &dec));
    std::vector<uint8_t> decoded(size_t{w} * 4 * h);
    rdk_image_out target{sizeof(rdk_image_out), w, h, w * 4, RDK_PIXEL_BGRX, decoded.data()};
    CPPUNIT_ASSERT_EQUAL(RDK_OK,
                         v->decode(dec, rdk_bytes{out.data.data, out.data.size}, "{}", &target));
    for (uint32_t y = 0; y < h; ++y) {
      for (uint32_t x = 0; x < w * 4; ++x) {
        CPPUNIT_ASSERT_EQUAL(pixels[size_t{y} * stride + x], decoded[size_t{y} * w * 4 + x]);
      }
    }
    out.data.release(&out.data);
    if (out.options_json.release)
      out.options_json.release(&out.options_json);
    v->encoder_destroy(enc);
    v->decoder_destroy(dec);
  }

  void testCorruptInputIsAnError() {
    rdk::test::LoadedTestPlugin plugin("hello_encoder", RDK_EXAMPLE_PLUGIN_DIR);
    const rdk_encoder_vtbl* v = plugin.descriptor()->encoder;
    rdk_decoder* dec = nullptr;
    CPPUNIT_ASSERT_EQUAL(RDK_OK, v->decoder_create(plugin.state(), "rgb24-example", 4, 4, &dec));
    std::vector<uint8_t> shortData(10), target(64);
    rdk_image_out out{sizeof(rdk_image_out), 4, 4, 16, RDK_PIXEL_BGRX, target.data()};
    CPPUNIT_ASSERT_EQUAL(RDK_E_CORRUPT,
                         v->decode(dec, rdk_bytes{shortData.data(), shortData.size()}, "", &out));
    CPPUNIT_ASSERT(plugin.host().lastError().find("expected 64 bytes") != std::string::npos);
    rdk_encoder* enc = nullptr;
    CPPUNIT_ASSERT_EQUAL(RDK_E_UNSUPPORTED,
                         v->encoder_create(plugin.state(), "h264", 4, 4, nullptr, &enc));
    v->decoder_destroy(dec);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HelloEncoderTest);
