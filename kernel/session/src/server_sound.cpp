#include "rdk/session/server_sound.h"

#include <Poco/Logger.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "rdk/config/config.h"

namespace rdk::session {

std::unique_ptr<audio::OpusSource> startServerSound(const config::Config& config) {
  const std::string mode = config.getString("server.sound");
  if (mode == "off")
    return nullptr;
  audio::OpusSourceSettings settings;
  settings.bitrate = static_cast<int>(config.getInt("server.sound-bitrate"));
  if (mode == "pulse") {
    static std::atomic<unsigned> counter{0};
    const char* runtime = std::getenv("XDG_RUNTIME_DIR");
    settings.privateDir = std::string(runtime && *runtime ? runtime : "/tmp") + "/rdkernel-pulse-" +
                          std::to_string(getpid()) + "-" + std::to_string(counter++);
  } else {
    // The default *source* is usually a microphone; a shadow session wants what the user hears.
    settings.source = config.getString("server.sound-source");
    if (settings.source.empty())
      settings.source = "@DEFAULT_MONITOR@";
  }
  try {
    auto source = std::make_unique<audio::OpusSource>(settings);
    if (!source->pulseServer().empty()) {
      // Before the platform starts the applications (fork/exec inherit it). The loop and the
      // transports do not read the environment.
      setenv("PULSE_SERVER", source->pulseServer().c_str(), 1);
    }
    Poco::Logger::get("rdk.server")
        .information("sound: capturing %s (opus, %d kbit/s)",
                     source->pulseServer().empty()
                         ? "source '" + settings.source + "'"
                         : "the session's PulseAudio server " + source->pulseServer(),
                     settings.bitrate / 1000);
    return source;
  } catch (const audio::AudioError& e) {
    Poco::Logger::get("rdk.server").warning("sound: off: %s", std::string(e.what()));
    return nullptr;
  }
}

}  // namespace rdk::session
