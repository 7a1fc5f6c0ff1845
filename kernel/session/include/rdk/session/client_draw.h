// The client's draw handler: decodes each draw into the window it names and acknowledges it
// with damage-sequence (decode time in microseconds; 0 when painting is skipped; -1 on a decode
// error). A video frame after a missing one is acknowledged as a decode error instead of being
// decoded against the wrong reference, so that the server restarts the stream with a key frame.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "rdk/protocol/message_dispatcher.h"
#include "rdk/protocol/messages/draw.h"
#include "rdk/session/client_window.h"
#include "rdk/session/client_window_mirror.h"
#include "rdk/session/handler_interfaces.h"
#include "rdk/session/latency_stats.h"

namespace rdk::plugin {
class Registry;
}

namespace rdk::session {

/// Makes the decoder of one encoding at one size.
class DecoderSource {
 public:
  virtual ~DecoderSource() = default;
  /// Null with a reason in |error| when no decoder handles |coding|.
  virtual std::unique_ptr<FrameDecoder> create(const std::string& coding, uint32_t width,
                                               uint32_t height, std::string* error) = 0;
};

/// The encoder plugins' decoders (feature "decode"), chosen by the registry.
class PluginDecoderSource final : public DecoderSource {
 public:
  explicit PluginDecoderSource(plugin::Registry& registry) : registry_(registry) {}
  std::unique_ptr<FrameDecoder> create(const std::string& coding, uint32_t width, uint32_t height,
                                       std::string* error) override;

 private:
  plugin::Registry& registry_;
};

struct DrawStats {
  uint64_t draws = 0;      // decoded and painted
  uint64_t drawBytes = 0;  // their compressed bytes
  uint64_t decodeErrors = 0;
  uint64_t videoGaps = 0;
  std::map<std::string, uint64_t> drawsPerEncoding;
  std::map<std::string, uint64_t> pixelsPerEncoding;  // the draws' areas
  LatencyStats latency;  // capture to paint (ms), from the server's rdk.capture-us stamps
};

class DrawHandler {
 public:
  /// |display| may be null (headless).
  DrawHandler(WindowMirror& windows, PacketSink& sink, const Clock& clock, DecoderSource& decoders,
              ClientDisplay* display = nullptr)
      : windows_(windows), sink_(sink), clock_(clock), decoders_(decoders), display_(display) {}

  void registerWith(protocol::MessageDispatcher& dispatcher);
  void onDraw(const protocol::Draw& draw);
  const DrawStats& stats() const { return stats_; }

 private:
  void ack(const protocol::Draw& draw, int64_t decodeTimeUs, std::string message);
  void onScroll(ClientWindow& window, const protocol::Draw& draw);
  void painted(const protocol::Draw& draw);

  WindowMirror& windows_;
  PacketSink& sink_;
  const Clock& clock_;
  DecoderSource& decoders_;
  ClientDisplay* display_;
  DrawStats stats_;
};

}  // namespace rdk::session
