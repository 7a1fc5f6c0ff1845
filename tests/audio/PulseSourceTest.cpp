#include "PulseSourceTest.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <thread>

#include "rdk/audio/ogg_opus.h"
#include "rdk/audio/opus_source.h"
#include "rdk/audio/pulse.h"
#include "rdk/audio/tone.h"

using namespace rdk::audio;

CPPUNIT_TEST_SUITE_REGISTRATION(PulseSourceTest);

namespace {

std::string tempDir(const char* what) {
  return "/tmp/rdk-audio-" + std::string(what) + "-" + std::to_string(getpid());
}

}  // namespace

void PulseSourceTest::testToneThroughPrivateServer() {
  OpusSourceSettings settings;
  settings.privateDir = tempDir("pulse");
  OpusSource source(settings);
  CPPUNIT_ASSERT(source.pulseServer().starts_with("unix:"));
  // An application of the session: plays 1.5 s of 880 Hz into the default (null) sink.
  std::thread app([&] {
    PulsePlayback player(source.pulseServer(), source.format(), 60);
    const AudioFormat f = source.format();
    for (uint64_t i = 0; i < 75; ++i)
      player.write(sine(880, f.rate, f.channels, f.frameSamples(), 0.5, i * f.frameSamples()));
  });
  OpusDecoder decoder(source.format());
  std::vector<int16_t> pcm;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  size_t frames = 0;
  while (std::chrono::steady_clock::now() < deadline && frames < 150) {
    for (const EncodedFrame& f : source.take()) {
      const auto out = decoder.decode(f.packet);
      pcm.insert(pcm.end(), out.begin(), out.end());
      ++frames;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  app.join();
  CPPUNIT_ASSERT_MESSAGE(source.error(), source.error().empty());
  CPPUNIT_ASSERT(frames >= 100);
  const size_t onset = firstSound(pcm, 2, 2000);
  CPPUNIT_ASSERT_MESSAGE("no tone in the capture", onset < pcm.size() / 2);
  // One second of the tone after its onset (skip 100 ms of ramp).
  const size_t from = (onset + 4800) * 2;
  const size_t to = std::min(pcm.size(), from + 48000 * 2);
  const double hz =
      estimateFrequency(std::span<const int16_t>(pcm.data() + from, to - from), 48000, 2);
  CPPUNIT_ASSERT_MESSAGE(std::to_string(hz), std::fabs(hz - 880) < 8.8);
}

void PulseSourceTest::testOggPages() {
  // The CRC of RFC 3533 pages: "OggS" alone, computed with the reference bitwise algorithm.
  uint32_t crc = 0;
  for (char c : std::string("OggS")) {
    crc ^= static_cast<uint32_t>(static_cast<uint8_t>(c)) << 24;
    for (int b = 0; b < 8; ++b)
      crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04c11db7u : crc << 1;
  }
  CPPUNIT_ASSERT_EQUAL(crc, oggCrc("OggS"));
  OpusEncoder enc(AudioFormat{});
  OggOpusWriter w(enc.idHeader(), 1234);
  const std::string h = w.headers();
  CPPUNIT_ASSERT_EQUAL(std::string("OggS"), h.substr(0, 4));
  CPPUNIT_ASSERT_EQUAL(2, static_cast<int>(h[5]));  // beginning of stream
  CPPUNIT_ASSERT(h.find("OpusHead") != std::string::npos);
  CPPUNIT_ASSERT(h.find("OpusTags") != std::string::npos);
  // A page checks out: its CRC over the page with the CRC field zeroed.
  const std::string packet(600, 'x');  // 600 = 255 + 255 + 90: three lacing values
  std::string p = w.page(packet, 960 + static_cast<uint64_t>(enc.preSkip()));
  CPPUNIT_ASSERT_EQUAL(size_t{27 + 3 + 600}, p.size());
  CPPUNIT_ASSERT_EQUAL(3, static_cast<int>(p[26]));
  CPPUNIT_ASSERT_EQUAL(2u, static_cast<uint32_t>(static_cast<uint8_t>(p[18])));  // page sequence
  uint32_t stored = 0;
  for (int i = 3; i >= 0; --i)
    stored = (stored << 8) | static_cast<uint8_t>(p[22 + static_cast<size_t>(i)]);
  for (int i = 0; i < 4; ++i)
    p[22 + static_cast<size_t>(i)] = 0;
  CPPUNIT_ASSERT_EQUAL(oggCrc(p), stored);
}

void PulseSourceTest::testMissingServerIsAnError() {
  OpusSourceSettings settings;
  settings.server = "unix:/nonexistent/rdk-no-pulse";
  CPPUNIT_ASSERT_THROW(OpusSource{settings}, AudioError);
}
