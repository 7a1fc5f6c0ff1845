#include "SoundSessionTest.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "raw_peer.hpp"
#include "rdk/audio/pulse.h"
#include "rdk/audio/tone.h"
#include "rdk/audio/wav_file.h"
#include "session_fixture.hpp"

using namespace rdk;

CPPUNIT_TEST_SUITE_REGISTRATION(SoundSessionTest);

namespace {

struct Played {
  audio::WavData wav;
  session::ClientSoundStats stats;
  rdk_transport_stats transport{};
  protocol::Value info;  // the server's info while the client played (tcp binds only)
};

// The server's info answer (an info-request hello on a connection of its own).
// Empty when it cannot be had (the assertions on it then fail with the empty answer).
protocol::Value serverInfo(const std::string& url) {
  try {
    test::RawPeer peer(url);
    protocol::Value caps = test::minimalHello();
    caps.set("info_request", protocol::Value(true));
    caps.set("request", protocol::Value("info"));
    peer.sendPacket({protocol::Value("hello"), caps});
    const auto reply = peer.receiveType("hello");
    return reply ? protocol::Value((*reply)[1]) : protocol::Value();
  } catch (const std::exception&) {
    return protocol::Value();
  }
}

// A server with server.sound=pulse on |bind|; a headless client writing its sound to a WAV file
// for |clientSeconds|; |toneSeconds| of |hz| played into the session's sink (as an application
// there would: PULSE_SERVER is the server's) once the client is in.
Played playThrough(const std::string& bind, double hz, double toneSeconds, double clientSeconds,
                   const char* lossPct = nullptr, const char* mode = "pulse") {
  config::Config config = test::testConfig();
  config.set("server.sound", mode, "test");
  config.set("client.sound", "wav", "test");
  const std::string wavPath = "/tmp/rdk-sound-session-" + std::to_string(getpid()) + ".wav";
  config.set("client.sound-wav", wavPath, "test");
  if (lossPct)
    config.set("transport.udp.drop-pct", lossPct, "test");
  // A small desktop: at 1280x720 the synthetic desktop's full-motion draws share the lossy UDP
  // link with the sound, and frames then waited up to ~300 ms in the transport (docs/audio.md).
  config.set("server.size", "320x240", "test");
  // 200 ms of jitter buffer, not the default 60: on the shared 2-core CI machine (load 8) the
  // loops stall for 100-200 ms at times, and a stall is not what these tests are about.
  config.set("client.sound-delay", "200", "test");
  test::RunningServer server(config, bind);
  const char* pulse = std::getenv("PULSE_SERVER");
  CPPUNIT_ASSERT_MESSAGE("no PULSE_SERVER (server.sound=pulse failed?)", pulse);
  const std::string pulseServer = pulse;
  protocol::Value info;
  std::thread app([&] {
    // Let the client connect and ask for the stream first.
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    const audio::AudioFormat f;
    // 500 ms of buffer in the sink: with 60 a stall of this thread on a loaded machine left the
    // sink silent, and the tests read that silence as the session's gap (a clean-clone CI run
    // beside sanitizer builds: 430 ms over tcp and 1266 ms over udp in the same run).
    constexpr int kPlayerBufferMs = 500;
    audio::PulsePlayback player(pulseServer, f, kPlayerBufferMs);
    const auto frames = static_cast<uint64_t>(toneSeconds * 50);
    for (uint64_t i = 0; i < frames; ++i)
      player.write(
          audio::sine(hz, f.rate, f.channels, f.frameSamples(), 0.5, i * f.frameSamples()));
    // What is still buffered plays out before the stream is closed (closing drops it).
    std::this_thread::sleep_for(std::chrono::milliseconds(kPlayerBufferMs + 100));
    if (server.url().rfind("tcp://", 0) == 0)
      info = serverInfo(server.url());
  });
  session::ClientOptions options;
  options.url = server.url();
  options.headless = true;
  options.seconds = clientSeconds;
  session::Client client(config, test::testRegistry(config), options);
  std::atomic<bool> stop{false};
  client.run(stop);
  app.join();
  Played p{audio::readWav(wavPath), client.summary().sound, client.summary().transport, info};
  if (std::getenv("RDK_KEEP_SOUND_WAV")) {
    const auto& j = p.stats.jitter;
    std::fprintf(stderr,
                 "sound: %llu packets, played %llu, recovered %llu, concealed %llu, late %llu, "
                 "skipped %llu, anchors %llu, longest concealed run %u\n",
                 (unsigned long long)p.stats.packets, (unsigned long long)j.played,
                 (unsigned long long)j.recovered, (unsigned long long)j.concealed,
                 (unsigned long long)j.late, (unsigned long long)j.skipped,
                 (unsigned long long)j.anchors, j.longestConcealedRun);
  }
  if (!std::getenv("RDK_KEEP_SOUND_WAV"))
    ::unlink(wavPath.c_str());
  return p;
}

// The tone's stretch in the decoded sound: from its onset (+100 ms) to where it fades (-100 ms).
std::pair<size_t, size_t> toneSpan(const audio::WavData& w) {
  const size_t onset = audio::firstSound(w.samples, w.channels, 3000);
  size_t last = 0;
  const size_t frames = w.samples.size() / static_cast<size_t>(w.channels);
  for (size_t i = 0; i < frames; ++i)
    if (std::abs(static_cast<int>(w.samples[i * static_cast<size_t>(w.channels)])) > 3000)
      last = i;
  return {onset + 4800, last > 4800 ? last - 4800 : 0};
}

// The median of the frequency over 200 ms windows: a concealed frame's phase jump moves one
// window's count, not the tone's.
double medianFrequency(std::span<const int16_t> tone) {
  std::vector<double> hz;
  constexpr size_t kWindow = 9600 * 2;
  for (size_t at = 0; at + kWindow <= tone.size(); at += kWindow)
    hz.push_back(audio::estimateFrequency(tone.subspan(at, kWindow), 48000, 2));
  if (hz.empty())
    return 0;
  std::sort(hz.begin(), hz.end());
  return hz[hz.size() / 2];
}

}  // namespace

void SoundSessionTest::testToneArrivesOverTcp() {
  const Played p = playThrough("tcp://127.0.0.1:0", 440, 2.0, 5.5);
  CPPUNIT_ASSERT_EQUAL(std::string("opus"), p.stats.codec);
  CPPUNIT_ASSERT(p.stats.packets >= 100);
  CPPUNIT_ASSERT_EQUAL(48000, p.wav.rate);
  const auto [from, to] = toneSpan(p.wav);
  CPPUNIT_ASSERT_MESSAGE("no tone in the client's sound", to > from + 48000);
  const std::span<const int16_t> tone(p.wav.samples.data() + from * 2, (to - from) * 2);
  const double hz = medianFrequency(tone);
  CPPUNIT_ASSERT_MESSAGE("measured " + std::to_string(hz) + " Hz", std::fabs(hz - 440) <= 4.4);
  // Loopback TCP at a loaded machine: no gap in the tone (the client's buffer absorbs a stall
  // of the loop of up to its 60 ms).
  const size_t gap = audio::longestSilence(tone, 2, 500);
  CPPUNIT_ASSERT_MESSAGE("gap of " + std::to_string(gap) + " frames", gap < 2880);
  // rdkernel info shows the client's sound: codec, frames and bytes sent so far (>= the tone).
  const protocol::Value* codec = p.info.find("clients.0.sound.codec");
  const protocol::Value* frames = p.info.find("clients.0.sound.frames");
  const protocol::Value* bytes = p.info.find("clients.0.sound.bytes");
  CPPUNIT_ASSERT_MESSAGE(p.info.toJson(), codec && frames && bytes);
  CPPUNIT_ASSERT_EQUAL(std::string("opus"), codec->asBytes());
  CPPUNIT_ASSERT_MESSAGE(p.info.toJson(), frames->asInt() >= 100);
  CPPUNIT_ASSERT_MESSAGE(p.info.toJson(), bytes->asInt() >= frames->asInt() * 20);
  CPPUNIT_ASSERT(p.info.find("clients.0.sound.streaming")->asBool());
}

void SoundSessionTest::testTenPercentUdpLossLeavesNoLongGap() {
  const Played p = playThrough("udp://127.0.0.1:0", 660, 3.0, 6.5, "10");
  CPPUNIT_ASSERT_EQUAL(std::string("opus"), p.stats.codec);
  const auto [from, to] = toneSpan(p.wav);
  CPPUNIT_ASSERT_MESSAGE("no tone in the client's sound", to > from + 96000);
  const std::span<const int16_t> tone(p.wav.samples.data() + from * 2, (to - from) * 2);
  // Datagrams were lost (10% each way; the transport's resends and parity bring most sound
  // frames back within the 60 ms buffer, the jitter buffer conceals the rest): nowhere is the
  // tone silent for more than 60 ms.
  CPPUNIT_ASSERT_MESSAGE("no loss on the link?",
                         p.transport.retransmissions > 0 || p.transport.loss_permille > 0);
  const size_t gap = audio::longestSilence(tone, 2, 500);
  CPPUNIT_ASSERT_MESSAGE("gap of " + std::to_string(gap * 1000 / 48000) + " ms", gap <= 2880);
  const double hz = medianFrequency(tone);
  CPPUNIT_ASSERT_MESSAGE("measured " + std::to_string(hz) + " Hz", std::fabs(hz - 660) <= 6.6);
}

void SoundSessionTest::testMonitorCapturesTheUsersDefaultSink() {
  // The user's own PulseAudio (a shadow session's desktop): its default sink is a null sink, and
  // server.sound=monitor with no source named captures that sink's monitor (@DEFAULT_MONITOR@).
  const std::string dir = "/tmp/rdk-sound-user-" + std::to_string(getpid());
  audio::PrivatePulseServer user(dir, audio::AudioFormat{});
  // As the user's session has it (the server reads it; the test's player too).
  struct Env {
    explicit Env(const std::string& value) {
      if (const char* v = std::getenv("PULSE_SERVER"))
        saved = v;
      setenv("PULSE_SERVER", value.c_str(), 1);
    }
    ~Env() { saved.empty() ? unsetenv("PULSE_SERVER") : setenv("PULSE_SERVER", saved.c_str(), 1); }
    std::string saved;
  } env(user.address());
  const Played p = playThrough("tcp://127.0.0.1:0", 550, 2.0, 5.5, nullptr, "monitor");
  CPPUNIT_ASSERT_EQUAL(std::string("opus"), p.stats.codec);
  const auto [from, to] = toneSpan(p.wav);
  CPPUNIT_ASSERT_MESSAGE("no tone in the client's sound", to > from + 48000);
  const std::span<const int16_t> tone(p.wav.samples.data() + from * 2, (to - from) * 2);
  const double hz = medianFrequency(tone);
  CPPUNIT_ASSERT_MESSAGE("measured " + std::to_string(hz) + " Hz", std::fabs(hz - 550) <= 5.5);
}
