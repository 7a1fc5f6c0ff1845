// A remote window as the client holds it: geometry, metadata, its pixels (BGRX) and the
// decoders its draws need (FrameDecoder: the encoder plugins' decoders, or a test's).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rdk/plugin_abi.h"
#include "rdk/protocol/messages/draw.h"
#include "rdk/protocol/value.h"
#include "rdk/session/window_kind.h"

namespace rdk::session {

/// Decodes the pictures of one encoding at one size into BGRX.
class FrameDecoder {
 public:
  virtual ~FrameDecoder() = default;
  virtual uint32_t width() const = 0;
  virtual uint32_t height() const = 0;
  /// |out| is preallocated (width x height BGRX); false with a reason in |error|.
  virtual bool decode(const std::string& data, const std::string& optionsJson, rdk_image_out& out,
                      std::string* error) = 0;
};

struct ClientWindow {
  uint64_t wid = 0;
  rdk_rect geometry{};
  WindowKind kind = WindowKind::Normal;
  protocol::Value metadata = protocol::Value(protocol::Value::Dict{});
  uint64_t stackOrder = 0;
  std::vector<uint8_t> pixels;  // geometry.w x geometry.h BGRX
  std::map<std::string, std::unique_ptr<FrameDecoder>> decoders;
  std::map<std::string, int64_t> lastVideoFrame;

  void resize(uint32_t width, uint32_t height);
  /// Copies |image| (BGRX) to |x|,|y|, clipped to the window.
  void blit(int32_t x, int32_t y, const rdk_image_out& image);
  /// Applies a `scroll` draw: every move copies rows as they were before the draw (Xpra 3.1.3
  /// clients paint from the old backing). False with a reason, and nothing changed, when a move
  /// is empty or reaches outside the window. |painted|: the bounding box of the destinations.
  bool scroll(const std::vector<protocol::DrawScroll>& moves, rdk_rect* painted,
              std::string* error);
  rdk_image view() const;
};

/// Paints |windows| in stacking order onto a |width| x |height| BGRX canvas.
std::vector<uint8_t> composeDesktop(const std::map<uint64_t, ClientWindow>& windows, uint32_t width,
                                    uint32_t height);

}  // namespace rdk::session
