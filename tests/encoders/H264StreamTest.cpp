#include "H264StreamTest.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <stdexcept>

#include "h264_pcm_stream.hpp"
#include "python_script.hpp"

using namespace rdk;
using namespace rdk::test;

CPPUNIT_TEST_SUITE_REGISTRATION(H264StreamTest);

namespace {
/// Reads back what h264::BitWriter wrote (u(n), ue(v)) from an unescaped RBSP.
class BitReader {
 public:
  explicit BitReader(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  uint32_t u(uint32_t bits) {
    uint32_t v = 0;
    for (uint32_t i = 0; i < bits; ++i) {
      if (pos_ / 8 >= bytes_.size())
        throw std::out_of_range("read past the end of the RBSP");
      v = v << 1 | ((bytes_[pos_ / 8] >> (7 - pos_ % 8)) & 1u);
      ++pos_;
    }
    return v;
  }
  uint32_t ue() {
    uint32_t zeros = 0;
    while (u(1) == 0)
      ++zeros;
    return (1u << zeros) - 1 + u(zeros);
  }

 private:
  std::vector<uint8_t> bytes_;
  size_t pos_ = 0;
};

std::string bitString(const h264::BitWriter& w) {
  std::string s;
  for (size_t i = 0; i < w.bitCount(); ++i)
    s += (w.bytes()[i / 8] >> (7 - i % 8)) & 1 ? '1' : '0';
  return s;
}

/// The SPS payload after the start code and NAL header, unescaped.
BitReader spsReader(const h264::StreamLayout& layout) {
  const auto nal = h264::sequenceParameterSet(layout);
  CPPUNIT_ASSERT_EQUAL(uint8_t(0x67), nal.at(4));  // nal_ref_idc 3, type 7
  return BitReader(unescapeRbsp({nal.begin() + 5, nal.end()}));
}

void writeFile(const std::filesystem::path& p, const std::vector<uint8_t>& bytes) {
  std::ofstream f(p, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

std::vector<uint8_t> visiblePlanes(const PlanarPicture& p) {
  std::vector<uint8_t> out;
  for (uint32_t r = 0; r < p.height; ++r)
    out.insert(out.end(), p.y.begin() + long(r * p.paddedWidth),
               p.y.begin() + long(r * p.paddedWidth + p.width));
  for (const auto* plane : {&p.u, &p.v})
    for (uint32_t r = 0; r < p.height / 2; ++r)
      out.insert(out.end(), plane->begin() + long(r * p.paddedWidth / 2),
                 plane->begin() + long(r * p.paddedWidth / 2 + p.width / 2));
  return out;
}
}  // namespace

void H264StreamTest::testExpGolombCodes() {
  h264::BitWriter w;
  w.ue(0);   // 1
  w.ue(1);   // 010
  w.ue(4);   // 00101
  w.se(-2);  // codeNum 4: 00101
  w.se(3);   // codeNum 5: 00110
  w.u(3, 5);
  CPPUNIT_ASSERT_EQUAL(std::string("1"
                                   "010"
                                   "00101"
                                   "00101"
                                   "00110"
                                   "101"),
                       bitString(w));
  h264::BitWriter big;
  big.ue(0xFFFFFFFEu);  // 31 zeros, then 32 bits of 0xFFFFFFFF
  CPPUNIT_ASSERT_EQUAL(size_t(63), big.bitCount());
  h264::BitWriter t;
  t.u(3, 0);
  t.trailingBits();
  CPPUNIT_ASSERT_EQUAL(std::string("00010000"), bitString(t));
}

void H264StreamTest::testEmulationPreventionRoundTrips() {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    // Mostly zeros and small values: the patterns that need escaping.
    std::vector<uint8_t> rbsp(1 + rng() % 64);
    for (auto& b : rbsp)
      b = rng() % 3 ? 0 : uint8_t(rng() % 5);
    rbsp.back() = 0x80;  // an RBSP ends in its stop bit
    const auto nal = h264::annexBNal(h264::NalType::kSlice, 2, rbsp);
    CPPUNIT_ASSERT_EQUAL(uint8_t(0x41), nal[4]);
    const std::vector<uint8_t> payload(nal.begin() + 5, nal.end());
    for (size_t i = 0; i + 2 < payload.size(); ++i)
      CPPUNIT_ASSERT(!(payload[i] == 0 && payload[i + 1] == 0 && payload[i + 2] <= 2));
    CPPUNIT_ASSERT(unescapeRbsp(payload) == rbsp);
  }
}

void H264StreamTest::testCroppingAndLevel() {
  h264::StreamLayout layout;
  layout.width = 1920;
  layout.height = 1080;
  layout.levelIdc = h264::levelFor(1920, 1080);
  CPPUNIT_ASSERT_EQUAL(uint8_t(41), layout.levelIdc);
  BitReader r = spsReader(layout);
  CPPUNIT_ASSERT_EQUAL(66u, r.u(8));    // profile_idc
  CPPUNIT_ASSERT_EQUAL(0xC0u, r.u(8));  // constraint_set0+1: constrained baseline
  CPPUNIT_ASSERT_EQUAL(41u, r.u(8));    // level_idc
  CPPUNIT_ASSERT_EQUAL(0u, r.ue());     // seq_parameter_set_id
  CPPUNIT_ASSERT_EQUAL(4u, r.ue());     // log2_max_frame_num_minus4
  CPPUNIT_ASSERT_EQUAL(2u, r.ue());     // pic_order_cnt_type
  CPPUNIT_ASSERT_EQUAL(1u, r.ue());     // max_num_ref_frames
  CPPUNIT_ASSERT_EQUAL(0u, r.u(1));     // gaps
  CPPUNIT_ASSERT_EQUAL(119u, r.ue());   // 120 macroblocks wide
  CPPUNIT_ASSERT_EQUAL(67u, r.ue());    // 68 macroblocks high (1088 lines)
  CPPUNIT_ASSERT_EQUAL(7u, r.u(3));     // frame_mbs_only, direct_8x8, frame_cropping
  CPPUNIT_ASSERT_EQUAL(0u, r.ue());     // left
  CPPUNIT_ASSERT_EQUAL(0u, r.ue());     // right
  CPPUNIT_ASSERT_EQUAL(0u, r.ue());     // top
  CPPUNIT_ASSERT_EQUAL(4u, r.ue());     // bottom: 8 lines in crop units of 2
  CPPUNIT_ASSERT_EQUAL(1u, r.u(1));     // vui_parameters_present_flag
  CPPUNIT_ASSERT_EQUAL(uint8_t(21), h264::levelFor(34, 18));
  CPPUNIT_ASSERT_EQUAL(uint8_t(51), h264::levelFor(3840, 2160));
}

void H264StreamTest::testOddSizesAreRefused() {
  h264::StreamLayout layout;
  layout.width = 33;
  layout.height = 18;
  CPPUNIT_ASSERT_THROW(h264::sequenceParameterSet(layout), std::invalid_argument);
  layout.width = 34;
  layout.cabac = true;  // constrained baseline has no CABAC
  CPPUNIT_ASSERT_THROW(h264::pictureParameterSet(layout), std::invalid_argument);
}

void H264StreamTest::testStockXpraDecodesOurStreams() {
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/rdk-h264-stream-XXXXXX";
  CPPUNIT_ASSERT(mkdtemp(tmpl) != nullptr);
  const fs::path dir(tmpl);
  struct StreamCase {
    const char* name;
    uint32_t width, height;
    h264::Profile profile;
    uint32_t skippedPictures;  // P pictures after the first IDR; more than 256 wraps frame_num
  };
  const StreamCase cases[] = {
      {"baseline-34x18", 34, 18, h264::Profile::kConstrainedBaseline, 300},
      {"main-320x240", 320, 240, h264::Profile::kMain, 3},
      {"high-64x48", 64, 48, h264::Profile::kHigh, 3},
      {"baseline-1920x1080", 1920, 1080, h264::Profile::kConstrainedBaseline, 2}};
  std::string manifest = "[";
  size_t pictures = 0;
  for (const auto& c : cases) {
    h264::StreamLayout layout;
    layout.width = c.width;
    layout.height = c.height;
    layout.profile = c.profile;
    layout.levelIdc = h264::levelFor(c.width, c.height);
    const std::string prefix = c.name;
    std::string frames;
    auto add = [&](const std::vector<uint8_t>& unit, const std::string& expect) {
      const std::string data = prefix + "-" + std::to_string(pictures++) + ".h264";
      writeFile(dir / data, unit);
      frames += std::string(frames.empty() ? "" : ",") + "{\"data\":\"" + data +
                "\",\"expect\":\"" + expect + "\"}";
    };
    // IDR A, P pictures repeating A, IDR B (a new idr_pic_id), one more P repeating B.
    const PlanarPicture a = makePlanarPicture(c.width, c.height, 1);
    const PlanarPicture b = makePlanarPicture(c.width, c.height, 2);
    writeFile(dir / (prefix + "-a.yuv"), visiblePlanes(a));
    writeFile(dir / (prefix + "-b.yuv"), visiblePlanes(b));
    add(pcmIdrAccessUnit(layout, 0, a), prefix + "-a.yuv");
    for (uint32_t i = 1; i <= c.skippedPictures; ++i)
      add(skippedPAccessUnit(layout, i % (1u << layout.log2MaxFrameNum)), prefix + "-a.yuv");
    add(pcmIdrAccessUnit(layout, 1, b), prefix + "-b.yuv");
    add(skippedPAccessUnit(layout, 1), prefix + "-b.yuv");
    manifest += std::string(manifest.size() > 1 ? "," : "") + "{\"name\":\"" + prefix +
                "\",\"w\":" + std::to_string(c.width) + ",\"h\":" + std::to_string(c.height) +
                ",\"frames\":[" + frames + "]}";
  }
  manifest += "]";
  {
    std::ofstream f(dir / "manifest.json");
    f << manifest;
  }
  const ScriptRun run = runPythonScript(RDK_XPRA_DECODE_H264_SCRIPT, {dir.string()});
  fs::remove_all(dir);
  if (run.skipped()) {
    std::cerr << "\nSKIPPED H264StreamTest: " << run.output;
    return;
  }
  CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, pictures, run.linesEndingWith(" ok"));
}
