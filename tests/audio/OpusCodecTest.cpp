#include "OpusCodecTest.h"

#include <unistd.h>

#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "rdk/audio/opus_codec.h"
#include "rdk/audio/tone.h"
#include "rdk/audio/wav_file.h"

using namespace rdk::audio;

CPPUNIT_TEST_SUITE_REGISTRATION(OpusCodecTest);

namespace {

// Encodes |seconds| of a |hz| tone frame by frame; every packet for which |lost| says so is
// replaced by concealment (or FEC recovery when |fec|) on decode.
template <typename Lost>
std::vector<int16_t> roundTrip(AudioFormat f, double hz, double seconds, Lost lost,
                               bool fec = false, int lossPercent = 10) {
  OpusEncoder enc(f, 64000, lossPercent);
  OpusDecoder dec(f);
  const size_t frames = static_cast<size_t>(seconds * 1000 / f.frameMs);
  std::vector<std::string> packets;
  for (size_t i = 0; i < frames; ++i) {
    const auto pcm = sine(hz, f.rate, f.channels, f.frameSamples(), 0.5, i * f.frameSamples());
    packets.push_back(enc.encode(pcm));
  }
  std::vector<int16_t> out;
  for (size_t i = 0; i < frames; ++i) {
    std::vector<int16_t> pcm;
    if (!lost(i))
      pcm = dec.decode(packets[i]);
    else if (fec && i + 1 < frames && !lost(i + 1))
      pcm = dec.recover(packets[i + 1]);
    else
      pcm = dec.conceal();
    CPPUNIT_ASSERT_EQUAL(f.frameValues(), pcm.size());
    out.insert(out.end(), pcm.begin(), pcm.end());
  }
  return out;
}

void assertWithinOnePercent(double expected, double measured) {
  const std::string msg =
      "expected " + std::to_string(expected) + " Hz, measured " + std::to_string(measured) + " Hz";
  CPPUNIT_ASSERT_MESSAGE(msg, std::fabs(measured - expected) <= expected * 0.01);
}

// Mean square of channel 0 over frames [from, to).
double power(const std::vector<int16_t>& pcm, int channels, size_t from, size_t to) {
  double sum = 0;
  for (size_t i = from; i < to; ++i) {
    const double v = pcm[i * static_cast<size_t>(channels)];
    sum += v * v;
  }
  return sum / static_cast<double>(to - from);
}

}  // namespace

void OpusCodecTest::testToneKeepsItsFrequency() {
  for (double hz : {220.0, 440.0, 1000.0, 3000.0}) {
    const AudioFormat f{48000, 2, 20};
    const auto out = roundTrip(f, hz, 1.0, [](size_t) { return false; });
    // Skip the codec's start (look-ahead, ramp-up).
    const std::span<const int16_t> steady(out.data() + 4800 * 2, out.size() - 4800 * 2);
    assertWithinOnePercent(hz, estimateFrequency(steady, f.rate, f.channels));
    // Also near the tone's level (0.5 of full scale: rms 0.354 * 32767 = 11585).
    const double rms = std::sqrt(power(out, 2, 4800, out.size() / 2));
    CPPUNIT_ASSERT_MESSAGE(std::to_string(rms), rms > 9000 && rms < 14000);
  }
}

void OpusCodecTest::testMonoAndStereo() {
  for (int channels : {1, 2}) {
    for (int rate : {16000, 48000}) {
      const AudioFormat f{rate, channels, 20};
      const auto out = roundTrip(
          f, 440, 0.5, [](size_t) { return false; }, false, 0);
      CPPUNIT_ASSERT_EQUAL(f.frameValues() * 25, out.size());
      const std::span<const int16_t> steady(out.data() + f.frameValues() * 5,
                                            out.size() - f.frameValues() * 5);
      assertWithinOnePercent(440, estimateFrequency(steady, rate, channels));
    }
  }
}

void OpusCodecTest::testConcealmentFillsMissingPackets() {
  const AudioFormat f{48000, 2, 20};
  // Every 10th packet lost: concealment keeps the tone going (energy and frequency).
  const auto out = roundTrip(f, 440, 2.0, [](size_t i) { return i % 10 == 5; });
  CPPUNIT_ASSERT_EQUAL(f.frameValues() * 100, out.size());
  const size_t frame = f.frameSamples();
  for (size_t lostIndex = 15; lostIndex < 100; lostIndex += 10) {
    const double concealed = power(out, 2, lostIndex * frame, (lostIndex + 1) * frame);
    const double before = power(out, 2, (lostIndex - 1) * frame, lostIndex * frame);
    CPPUNIT_ASSERT_MESSAGE("frame " + std::to_string(lostIndex), concealed > before * 0.1);
  }
  const std::span<const int16_t> steady(out.data() + 4800 * 2, out.size() - 4800 * 2);
  assertWithinOnePercent(440, estimateFrequency(steady, f.rate, f.channels));
  // No silent gap anywhere after the start: the longest run near zero is a fraction of a cycle.
  CPPUNIT_ASSERT(longestSilence(out, 2, 300, 4800) < 48000 / 440);
}

void OpusCodecTest::testFecRecoversALostPacket() {
  const AudioFormat f{48000, 2, 20};
  const auto lost = [](size_t i) { return i % 7 == 3; };
  const auto recovered = roundTrip(f, 440, 1.5, lost, true);
  const auto reference = roundTrip(f, 440, 1.5, [](size_t) { return false; });
  const auto concealed = roundTrip(f, 440, 1.5, lost, false);
  // Error against the lossless decode, over the lost frames only.
  const auto error = [&](const std::vector<int16_t>& x) {
    double sum = 0;
    const size_t frame = f.frameSamples();
    for (size_t i = 10; i < 75; ++i) {
      if (!lost(i))
        continue;
      for (size_t s = i * frame; s < (i + 1) * frame; ++s) {
        const double d = x[s * 2] - reference[s * 2];
        sum += d * d;
      }
    }
    return sum;
  };
  CPPUNIT_ASSERT_MESSAGE(
      std::to_string(error(recovered)) + " vs " + std::to_string(error(concealed)),
      error(recovered) < error(concealed));
}

void OpusCodecTest::testBadInputIsAnError() {
  CPPUNIT_ASSERT_THROW(OpusEncoder(AudioFormat{44100, 2, 20}), AudioError);
  CPPUNIT_ASSERT_THROW(OpusDecoder(AudioFormat{48000, 3, 20}), AudioError);
  OpusEncoder enc(AudioFormat{});
  std::vector<int16_t> shortFrame(100);
  CPPUNIT_ASSERT_THROW(enc.encode(shortFrame), AudioError);
  OpusDecoder dec(AudioFormat{});
  CPPUNIT_ASSERT_THROW(dec.decode(""), AudioError);
  // A TOC byte announcing a code-3 packet with an impossible frame count.
  CPPUNIT_ASSERT_THROW(dec.decode(std::string("\x03\xff", 2)), AudioError);
  // Still usable afterwards.
  CPPUNIT_ASSERT_EQUAL(AudioFormat{}.frameValues(), dec.conceal().size());
}

void OpusCodecTest::testIdHeader() {
  OpusEncoder enc(AudioFormat{48000, 2, 20});
  const std::string h = enc.idHeader();
  CPPUNIT_ASSERT_EQUAL(size_t{19}, h.size());
  CPPUNIT_ASSERT_EQUAL(std::string("OpusHead"), h.substr(0, 8));
  CPPUNIT_ASSERT_EQUAL(2, static_cast<int>(h[9]));
  CPPUNIT_ASSERT_EQUAL(enc.preSkip(),
                       static_cast<uint8_t>(h[10]) | (static_cast<uint8_t>(h[11]) << 8));
  CPPUNIT_ASSERT(enc.preSkip() > 0);
}

void OpusCodecTest::testWavRoundTrip() {
  const std::string path = "/tmp/rdk-audio-test-" + std::to_string(getpid()) + ".wav";
  const auto pcm = sine(440, 48000, 2, 4800);
  {
    WavWriter w(path, 48000, 2);
    w.write(pcm);
  }
  const WavData d = readWav(path);
  ::unlink(path.c_str());
  CPPUNIT_ASSERT_EQUAL(48000, d.rate);
  CPPUNIT_ASSERT_EQUAL(2, d.channels);
  CPPUNIT_ASSERT(d.samples == pcm);
  CPPUNIT_ASSERT_THROW(readWav("/nonexistent/x.wav"), AudioError);
}
