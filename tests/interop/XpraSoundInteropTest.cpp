#include "XpraSoundInteropTest.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "../platforms/xvfb_server.h"
#include "interop_support.hpp"
#include "rdk/audio/pulse.h"
#include "rdk/audio/tone.h"

CPPUNIT_TEST_SUITE_REGISTRATION(XpraSoundInteropTest);

using rdk::test::ChildProcess;
using rdk::test::testDirectory;
using namespace rdk::test::interop;
namespace audio = rdk::audio;

namespace {

// The median frequency over 200 ms windows of the stretch where channel 0 is loud (its onset
// +100 ms to its end -100 ms): a glitch at a buffer boundary moves one window, not the median.
double toneFrequency(const std::vector<int16_t>& pcm, int rate, int channels, double* seconds) {
  const auto ch = static_cast<size_t>(channels);
  const size_t frames = pcm.size() / ch;
  size_t first = SIZE_MAX, last = 0;
  for (size_t i = 0; i < frames; ++i) {
    if (std::abs(static_cast<int>(pcm[i * ch])) > 1500) {
      first = std::min(first, i);
      last = i;
    }
  }
  const auto margin = static_cast<size_t>(rate / 10);
  if (first == SIZE_MAX || last < first + 3 * margin)
    return 0;
  *seconds = static_cast<double>(last - first) / rate;
  const std::span<const int16_t> tone(pcm.data() + (first + margin) * ch,
                                      (last - first - 2 * margin) * ch);
  const size_t window = static_cast<size_t>(rate / 5) * ch;
  std::vector<double> hz;
  for (size_t at = 0; at + window <= tone.size(); at += window)
    hz.push_back(audio::estimateFrequency(tone.subspan(at, window), rate, channels));
  if (hz.empty())
    return 0;
  std::sort(hz.begin(), hz.end());
  return hz[hz.size() / 2];
}

// The lines of |log| from the one holding |from| on that contain |word|.
std::string linesWith(const std::string& log, const std::string& from, const std::string& word) {
  std::istringstream lines(log.substr(std::min(log.size(), log.find(from))));
  std::string found;
  for (std::string line; std::getline(lines, line);) {
    if (line.find(word) != std::string::npos)
      found += line + "\n";
  }
  return found;
}

}  // namespace

void XpraSoundInteropTest::testStockClientPlaysTheSessionsSound() {
  const std::string dir = testDirectory("interop-xpra-sound");
  const audio::AudioFormat format;
  // The client's own sound server: a null sink whose monitor the test records.
  audio::PrivatePulseServer clientPulse(dir + "/client-pulse", format);
  // Recording starts now: a fresh null sink's monitor delivers its first block only after ~2 s.
  std::mutex mutex;
  std::vector<int16_t> recorded;
  auto capture = std::make_unique<audio::PulseCapture>(
      clientPulse.address(), audio::PrivatePulseServer::kMonitor, format,
      [&](std::span<const int16_t> frame, uint64_t) {
        std::lock_guard<std::mutex> lock(mutex);
        recorded.insert(recorded.end(), frame.begin(), frame.end());
      });
  ChildProcess server({kRdkernel, "serve", "--bind", "tcp://127.0.0.1:0", "--set",
                       "server.sound=pulse", "--set", "server.size=320x240"},
                      dir + "/serve.log");
  const std::string url = startRdkernel(server);
  const std::string marker = "sound: capturing the session's PulseAudio server ";
  const std::string line = server.waitForOutput(marker, 5000);
  CPPUNIT_ASSERT_MESSAGE("no sound on the server:\n" + server.output(), !line.empty());
  const size_t at = line.find(marker) + marker.size();
  const std::string serverPulse = line.substr(at, line.find(' ', at) - at);

  rdk::test::XvfbServer display(640, 480);
  std::vector<std::string> attach = xpraAttachCommand(url + "/", dir);
  for (auto& a : attach) {
    if (a == "--speaker=off")
      a = "--speaker=on";
  }
  attach.push_back("--speaker-codec=opus+ogg");
  auto env = xpraEnv(dir, display.name());
  env["PULSE_SERVER"] = clientPulse.address();
  ChildProcess client(attach, dir + "/xpra-attach.log", env);
  // Xpra's client asks for the stream once its GStreamer sink is ready, and logs its decoder.
  const std::string codec = "sound output using 'opus' audio codec";
  CPPUNIT_ASSERT_MESSAGE(
      "the client did not start its sound sink (python3-gst-1.0, "
      "gstreamer1.0-plugins-base/-good/-pulseaudio installed?):\n" +
          client.output(),
      !client.waitForOutput(codec, 40000).empty());

  // Xpra's sink fades its volume in and drops what arrives while its PulseAudio stream starts
  // (a second or so on a fresh null sink): the tone comes after that.
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  {
    // 3 s of 440 Hz into the session's sink, as an application there would play it.
    audio::PulsePlayback player(serverPulse, format, 60);
    for (uint64_t i = 0; i < 150; ++i)
      player.write(audio::sine(440, format.rate, format.channels, format.frameSamples(), 0.5,
                               i * format.frameSamples()));
  }
  // The client's own buffering (Xpra's sink queues ~100-200 ms) and a loaded machine.
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  capture.reset();
  const std::string log = client.output();
  client.stop();
  server.stop();

  CPPUNIT_ASSERT_MESSAGE(
      log, log.find("sound output using 'ogg' container format") != std::string::npos);
  // Nothing went wrong after the sink started (before it, Xpra's client logs unrelated errors of
  // the machine's set-up, e.g. no D-Bus system bus).
  CPPUNIT_ASSERT_EQUAL_MESSAGE(log, std::string(""), linesWith(log, codec, "rror"));
  CPPUNIT_ASSERT_EQUAL_MESSAGE(log, std::string(""), linesWith(log, codec, "stopped"));
  double seconds = 0;
  std::vector<int16_t> pcm;
  {
    std::lock_guard<std::mutex> lock(mutex);
    pcm = recorded;
  }
  // What the client played, for a look when this fails (48 kHz stereo S16LE).
  std::ofstream(dir + "/client-sink.raw", std::ios::binary)
      .write(reinterpret_cast<const char*>(pcm.data()),
             static_cast<std::streamsize>(pcm.size() * sizeof(int16_t)));
  const double hz = toneFrequency(pcm, format.rate, format.channels, &seconds);
  CPPUNIT_ASSERT_MESSAGE("no tone out of the client's sink (" + std::to_string(pcm.size() / 2) +
                             " frames recorded)\n" + log,
                         seconds > 2.0);
  CPPUNIT_ASSERT_MESSAGE("measured " + std::to_string(hz) + " Hz", std::fabs(hz - 440) <= 4.4);
}
