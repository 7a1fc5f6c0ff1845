// The synthetic desktop as an rdk::Platform: a scripted, deterministic set of windows drawn in
// software, reported through window events from poll(). Everything it shows is a function of the
// seed, the simulated time (now_us minus the first poll's now_us) and the input injected so far.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "canvas.h"
#include "cursor_and_tone.h"
#include "desktop_scene.h"
#include "options.h"
#include "rdk/plugin.hpp"
#include "schedule.h"
#include "window_content.h"

namespace rdk::synthetic {

class SyntheticPlatform : public rdk::Platform {
 public:
  SyntheticPlatform(const Options& options, const rdk_platform_callbacks& callbacks);

  void poll(uint64_t nowUs) override;
  rdk_image capture(uint64_t wid, const rdk_rect& rect) override;
  void inject(const rdk_input_event& event) override;

  static constexpr size_t kMaxPendingInput = 4096;
  static constexpr size_t kMaxTyped = 4096;
  static constexpr size_t kMaxMarkers = 64;
  static constexpr uint64_t kPointerOverrideUs = 2'000'000;  // injected motion beats the script

 private:
  struct Surface {
    PlannedWindow shown;  // what clients were last told
    Canvas canvas;
    std::vector<ClickMarker> markers;
    uint64_t trayPhase = 0;
  };
  struct PendingInput {
    rdk_input_event event;
    std::string keyname;  // owned copy of event.keyname
  };

  void emit(uint32_t type, uint64_t wid, const rdk_rect& rect, const std::string& metadata = {},
            const rdk_image* image = nullptr, rdk_bytes data = {});
  void damage(uint64_t wid, Surface& surface, const Rect& r);

  void applyPlan(const Plan& plan, uint64_t frame);
  void createSurface(const PlannedWindow& w, uint64_t frame);
  void drawContent(Surface& s, uint64_t frame);
  void applyInput(uint64_t tUs);
  void applyKey(const rdk_input_event& e);
  void applyButton(const rdk_input_event& e);
  void logInput(uint64_t tUs, const PendingInput& in);
  void renderFrame(uint64_t frame);
  void updatePointer(uint64_t tUs, uint64_t frame);
  void emitSound(uint64_t tUs);

  std::string titleOf(const PlannedWindow& w) const;
  std::string newWindowMetadata(const PlannedWindow& w) const;
  uint64_t frameTimeUs(uint64_t frame) const { return frame * 1'000'000 / options_.fps; }

  Options options_;
  rdk_platform_callbacks callbacks_;
  Schedule schedule_;
  DesktopScene scene_;
  TestTone tone_;
  std::map<uint64_t, Surface> surfaces_;

  std::optional<uint64_t> startUs_;
  uint64_t lastFrame_ = UINT64_MAX;
  uint64_t bellsRung_ = 0;
  uint64_t nextSoundChunk_ = 0;

  std::optional<std::pair<int32_t, int32_t>> pointer_;
  const CursorShape* cursor_ = nullptr;
  std::optional<std::pair<int32_t, int32_t>> injectedPointer_;  // root coordinates
  uint64_t injectedPointerUntilUs_ = 0;

  std::string typed_;
  std::mutex pendingMutex_;  // inject() may come from another thread than poll()
  std::vector<PendingInput> pending_;
  std::ofstream inputLog_;
};

}  // namespace rdk::synthetic
