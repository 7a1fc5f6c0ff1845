#include "AvcodecDecoderTest.h"

#include <libyuv.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "codec_cases.hpp"
#include "h264_pcm_stream.hpp"
#include "python_script.hpp"

using namespace rdk;
using namespace rdk::test;

CPPUNIT_TEST_SUITE_REGISTRATION(AvcodecDecoderTest);

namespace {
h264::StreamLayout layoutFor(uint32_t w, uint32_t h, h264::Profile profile) {
  h264::StreamLayout layout;
  layout.width = w;
  layout.height = h;
  layout.profile = profile;
  layout.levelIdc = h264::levelFor(w, h);
  return layout;
}

/// What a correct decoder shows for |p|: its planes through libyuv's BT.601 conversion.
Picture expectedBgrx(const PlanarPicture& p, uint32_t w, uint32_t h) {
  Picture out(w, h);
  libyuv::I420ToARGB(p.y.data(), int(p.paddedWidth), p.u.data(), int(p.paddedWidth / 2), p.v.data(),
                     int(p.paddedWidth / 2), out.pixels.data(), int(out.stride), int(w), int(h));
  return out;
}

std::vector<uint8_t> readFile(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}
}  // namespace

void AvcodecDecoderTest::testDecodesOurStreamsExactly() {
  CodecPlugin& plugin = codecPlugin("avcodec");
  for (const auto& [w, h, profile] :
       {std::tuple{34u, 18u, h264::Profile::kConstrainedBaseline},
        std::tuple{64u, 48u, h264::Profile::kHigh}, std::tuple{320u, 240u, h264::Profile::kMain}}) {
    const auto layout = layoutFor(w, h, profile);
    auto dec = plugin.decoder("h264", w, h);
    const PlanarPicture a = makePlanarPicture(w, h, 3), b = makePlanarPicture(w, h, 4);
    Picture out(w, h);
    const auto idr = pcmIdrAccessUnit(layout, 0, a);
    CPPUNIT_ASSERT_EQUAL(RDK_OK, plugin.decode(*dec, idr.data(), idr.size(), "{}", out));
    CPPUNIT_ASSERT(out.pixels == expectedBgrx(a, w, h).pixels);
    // A P picture repeating the last one, then a new IDR: each shown at once, exactly.
    const auto p = skippedPAccessUnit(layout, 1);
    std::fill(out.pixels.begin(), out.pixels.end(), 0);
    CPPUNIT_ASSERT_EQUAL(RDK_OK, plugin.decode(*dec, p.data(), p.size(), "{}", out));
    CPPUNIT_ASSERT(out.pixels == expectedBgrx(a, w, h).pixels);
    const auto idr2 = pcmIdrAccessUnit(layout, 1, b);
    CPPUNIT_ASSERT_EQUAL(RDK_OK, plugin.decode(*dec, idr2.data(), idr2.size(), "{}", out));
    CPPUNIT_ASSERT(out.pixels == expectedBgrx(b, w, h).pixels);
  }
}

void AvcodecDecoderTest::testOddDrawRectangleShowsTheCodedPicture() {
  // Encoders code a 33x17 window as 34x18 (4:2:0 crops in pairs): the client shows 33x17 of it.
  CodecPlugin& plugin = codecPlugin("avcodec");
  const auto layout = layoutFor(34, 18, h264::Profile::kConstrainedBaseline);
  const PlanarPicture a = makePlanarPicture(34, 18, 5);
  auto dec = plugin.decoder("h264", 33, 17);
  Picture out(33, 17);
  const auto idr = pcmIdrAccessUnit(layout, 0, a);
  CPPUNIT_ASSERT_EQUAL(RDK_OK, plugin.decode(*dec, idr.data(), idr.size(), "{}", out));
  CPPUNIT_ASSERT(out.pixels == expectedBgrx(a, 33, 17).pixels);
  // A rectangle that does not fit the picture is refused, with both sizes in the message (FFmpeg
  // already crops to the size the decoder was created with, so the picture reads 33x17).
  Picture small(30, 16);
  CPPUNIT_ASSERT_EQUAL(RDK_E_CORRUPT, plugin.decode(*dec, idr.data(), idr.size(), "{}", small));
  CPPUNIT_ASSERT_MESSAGE(
      plugin.host().lastError(),
      plugin.host().lastError().find("draw rectangle is 30x16") != std::string::npos);
}

void AvcodecDecoderTest::testDamagedInputIsCorruptAndRecovers() {
  CodecPlugin& plugin = codecPlugin("avcodec");
  const auto layout = layoutFor(64, 48, h264::Profile::kConstrainedBaseline);
  const PlanarPicture a = makePlanarPicture(64, 48, 6);
  auto dec = plugin.decoder("h264", 64, 48);
  Picture out(64, 48);
  // A P picture with no IDR before it (the key frame was lost): nothing to show.
  const auto p = skippedPAccessUnit(layout, 1);
  CPPUNIT_ASSERT_EQUAL(RDK_E_CORRUPT, plugin.decode(*dec, p.data(), p.size(), "{}", out));
  CPPUNIT_ASSERT(!plugin.host().lastError().empty());
  const std::vector<uint8_t> garbage = {0, 0, 0, 1, 0x65, 0xff, 0x13, 0x00, 0x00, 0x00};
  CPPUNIT_ASSERT_EQUAL(RDK_E_CORRUPT,
                       plugin.decode(*dec, garbage.data(), garbage.size(), "{}", out));
  CPPUNIT_ASSERT_EQUAL(RDK_E_CORRUPT, plugin.decode(*dec, garbage.data(), 0, "{}", out));
  // A truncated IDR: concealed or rejected, either way reported, never shown as good.
  const auto idr = pcmIdrAccessUnit(layout, 0, a);
  CPPUNIT_ASSERT_EQUAL(RDK_E_CORRUPT, plugin.decode(*dec, idr.data(), idr.size() / 2, "{}", out));
  // The next complete IDR recovers the stream.
  const auto idr2 = pcmIdrAccessUnit(layout, 1, a);
  CPPUNIT_ASSERT_EQUAL(RDK_OK, plugin.decode(*dec, idr2.data(), idr2.size(), "{}", out));
  CPPUNIT_ASSERT(out.pixels == expectedBgrx(a, 64, 48).pixels);
}

void AvcodecDecoderTest::testDecodesStockXpraX264() {
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/rdk-x264-XXXXXX";
  CPPUNIT_ASSERT(mkdtemp(tmpl) != nullptr);
  const fs::path dir(tmpl);
  constexpr uint32_t w = 66, h = 34;  // even: Xpra's video path only feeds even sizes to x264
  constexpr int frames = 6;
  const ScriptRun run =
      runPythonScript(RDK_XPRA_ENCODE_H264_SCRIPT,
                      {dir.string(), std::to_string(w), std::to_string(h), std::to_string(frames)});
  if (run.skipped()) {
    fs::remove_all(dir);
    std::cerr << "\nSKIPPED AvcodecDecoderTest::testDecodesStockXpraX264: " << run.output;
    return;
  }
  CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
  CodecPlugin& plugin = codecPlugin("avcodec");
  auto dec = plugin.decoder("h264", w, h);
  for (int i = 0; i < frames; ++i) {
    const std::string stem = "frame-" + std::to_string(i);
    const auto data = readFile(dir / (stem + ".h264"));
    const auto yuv = readFile(dir / (stem + ".yuv"));
    const auto options = readFile(dir / (stem + ".json"));
    CPPUNIT_ASSERT_EQUAL(size_t(w * h * 3 / 2), yuv.size());
    Picture original(w, h), out(w, h);
    libyuv::I420ToARGB(yuv.data(), int(w), yuv.data() + w * h, int(w / 2),
                       yuv.data() + w * h + w * h / 4, int(w / 2), original.pixels.data(),
                       int(original.stride), int(w), int(h));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(stem + ": " + plugin.host().lastError(), RDK_OK,
                                 plugin.decode(*dec, data.data(), data.size(),
                                               std::string(options.begin(), options.end()), out));
    const double quality = psnr(original, out);
    CPPUNIT_ASSERT_MESSAGE(stem + " PSNR " + std::to_string(quality), quality >= 35.0);
  }
  fs::remove_all(dir);
}

void AvcodecDecoderTest::testOnlyDecodes() {
  CodecPlugin& plugin = codecPlugin("avcodec");
  rdk_encoder* e = nullptr;
  CPPUNIT_ASSERT_EQUAL(RDK_E_UNSUPPORTED,
                       plugin.vt().encoder_create(plugin.state(), "h264", 64, 48, nullptr, &e));
  CPPUNIT_ASSERT(plugin.host().lastError().find("only decodes") != std::string::npos);
  rdk_decoder* d = nullptr;
  CPPUNIT_ASSERT_EQUAL(RDK_E_UNSUPPORTED,
                       plugin.vt().decoder_create(plugin.state(), "vp8", 64, 48, &d));
  // The features say so, which is what keeps the server from ever choosing it.
  const std::string features = plugin.descriptor()->features_json;
  CPPUNIT_ASSERT(features.find("\"encode\":false") != std::string::npos);
}
