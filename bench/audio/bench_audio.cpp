// Play-to-decode latency of the session's sound on one host: an application plays 100 ms beeps
// (1 kHz, every 600 ms) into the server's PulseAudio sink; the time it hands a beep to PulseAudio
// plus what PulseAudio still had buffered before it is "play"; the client's player reports when
// its decoded output rose from silence ("decode"). Rows: the capture and Opus alone (no session:
// the floor), then rdkernel serve + attach over TCP and UDP at 0 and 10% loss (each direction).
//
//   bench_audio [--seconds N] [--delay MS]     (N per row, default 20; MS: client.sound-delay)
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "rdk/audio/opus_source.h"
#include "rdk/audio/pulse.h"
#include "rdk/audio/tone.h"
#include "rdk/base/clock.h"
#include "session_fixture.hpp"

using namespace rdk;

namespace {

constexpr uint64_t kPeriodFrames = 30;  // 600 ms
constexpr uint64_t kBeepFrames = 5;     // 100 ms

// Plays silence with a beep every 600 ms until |stop|; returns when each beep should be heard.
std::vector<uint64_t> playBeeps(const std::string& server, const std::atomic<bool>& stop) {
  const audio::AudioFormat f;
  audio::PulsePlayback player(server, f, 40);
  std::vector<uint64_t> played;
  const std::vector<int16_t> silence(f.frameValues());
  for (uint64_t i = 0; !stop.load(); ++i) {
    const uint64_t inPeriod = i % kPeriodFrames;
    if (inPeriod == 0 && i > 0) {
      // What is already queued plays first: the beep is heard after it.
      played.push_back(monotonicUs() + player.latencyUs());
    }
    if (inPeriod < kBeepFrames && i > 0)
      player.write(
          audio::sine(1000, f.rate, f.channels, f.frameSamples(), 0.5, i * f.frameSamples()));
    else
      player.write(silence);
  }
  return played;
}

struct Row {
  std::string name;
  std::vector<double> ms;
  uint64_t concealed = 0, recovered = 0, late = 0, played = 0;
};

// Each beep's latency: the first onset in [play - 5 ms, play + 1 s).
std::vector<double> match(const std::vector<uint64_t>& played,
                          const std::vector<uint64_t>& onsets) {
  std::vector<double> out;
  for (uint64_t p : played) {
    auto it = std::lower_bound(onsets.begin(), onsets.end(), p > 5000 ? p - 5000 : 0);
    if (it != onsets.end() && *it < p + 1'000'000)
      out.push_back((static_cast<double>(*it) - static_cast<double>(p)) / 1000.0);
  }
  return out;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p / 100.0 * static_cast<double>(v.size())))];
}

// The floor: capture + encode + decode in one process, no transport, no jitter buffer.
Row local(double seconds) {
  audio::OpusSourceSettings settings;
  settings.privateDir = "/tmp/rdk-bench-audio-" + std::to_string(getpid());
  audio::OpusSource source(settings);
  std::atomic<bool> stop{false};
  std::vector<uint64_t> played;
  std::thread app([&] { played = playBeeps(source.pulseServer(), stop); });
  audio::OpusDecoder decoder(source.format());
  std::vector<uint64_t> onsets;
  uint64_t silent = 10;
  const uint64_t end = monotonicUs() + static_cast<uint64_t>(seconds * 1e6);
  while (monotonicUs() < end) {
    for (const auto& f : source.take()) {
      const auto pcm = decoder.decode(f.packet);
      int peak = 0;
      for (size_t i = 0; i < pcm.size(); i += 2)
        peak = std::max(peak, std::abs(static_cast<int>(pcm[i])));
      if (peak > 1036) {
        if (silent >= 10)
          onsets.push_back(monotonicUs());
        silent = 0;
      } else {
        ++silent;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  stop = true;
  app.join();
  Row r{"capture + Opus, no session", match(played, onsets)};
  return r;
}

Row overSession(const std::string& scheme, const char* loss, double seconds, int delayMs) {
  config::Config config = test::testConfig();
  config.set("logging.level", "error", "bench");
  config.set("server.sound", "pulse", "bench");
  config.set("server.size", "320x240", "bench");
  config.set("client.sound", "wav", "bench");
  const std::string wav = "/tmp/rdk-bench-audio-" + std::to_string(getpid()) + ".wav";
  config.set("client.sound-wav", wav, "bench");
  config.set("client.sound-delay", std::to_string(delayMs), "bench");
  config.set("transport.udp.drop-pct", loss, "bench");
  test::RunningServer server(config, scheme + "://127.0.0.1:0");
  const std::string pulse = std::getenv("PULSE_SERVER") ? std::getenv("PULSE_SERVER") : "";
  std::atomic<bool> stop{false};
  std::vector<uint64_t> played;
  std::thread app([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    played = playBeeps(pulse, stop);
  });
  session::ClientOptions options;
  options.url = server.url();
  options.headless = true;
  options.seconds = seconds;
  session::Client client(config, test::testRegistry(config), options);
  std::atomic<bool> clientStop{false};
  client.run(clientStop);
  stop = true;
  app.join();
  ::unlink(wav.c_str());
  const session::ClientSoundStats s = client.summary().sound;
  Row r{scheme + " " + loss + "% loss", match(played, s.onsetsUs)};
  r.concealed = s.jitter.concealed;
  r.recovered = s.jitter.recovered;
  r.late = s.jitter.late;
  r.played = s.jitter.played;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 20;
  int delayMs = 60;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--seconds")
      seconds = std::atof(argv[i + 1]);
    else if (a == "--delay")
      delayMs = std::atoi(argv[i + 1]);
  }
  std::vector<Row> rows;
  rows.push_back(local(seconds));
  for (const char* scheme : {"tcp", "udp"})
    for (const char* loss : {"0", "10"}) {
      if (std::string(scheme) == "tcp" && std::string(loss) == "10")
        continue;  // the loss layer is the UDP plugin's (transport.udp.drop-pct)
      rows.push_back(overSession(scheme, loss, seconds, delayMs));
    }
  double load[1] = {0};
  getloadavg(load, 1);
  std::printf("play-to-decode latency, %g s per row, jitter buffer %d ms, load average %.1f\n",
              seconds, delayMs, load[0]);
  std::printf("| path | beeps | p50 ms | p99 ms | max ms | played | FEC | concealed | late |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  for (const Row& r : rows)
    std::printf(
        "| %s | %zu | %.1f | %.1f | %.1f | %llu | %llu | %llu | %llu |\n", r.name.c_str(),
        r.ms.size(), percentile(r.ms, 50), percentile(r.ms, 99),
        r.ms.empty() ? 0 : *std::max_element(r.ms.begin(), r.ms.end()),
        static_cast<unsigned long long>(r.played), static_cast<unsigned long long>(r.recovered),
        static_cast<unsigned long long>(r.concealed), static_cast<unsigned long long>(r.late));
  return 0;
}
