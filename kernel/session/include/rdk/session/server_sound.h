// The server's sound source from the configuration (server.sound): a private PulseAudio server
// whose null sink is the default sink of the applications the server starts (PULSE_SERVER is set
// in the server's environment before the platform starts them, as Xpra does), or a source of the
// user's own PulseAudio server (server.sound-source, e.g. a monitor for shadow sessions).
#pragma once

#include <memory>

#include "rdk/audio/opus_source.h"

namespace rdk::config {
class Config;
}

namespace rdk::session {

/// Null when server.sound is "off", or when PulseAudio cannot be started (logged: the session
/// runs without sound rather than not at all).
std::unique_ptr<audio::OpusSource> startServerSound(const config::Config& config);

}  // namespace rdk::session
