// The synthetic desktop's script: which windows exist at simulated time t, where they are, what
// they are called and how often they were raised. A pure function of (t, desktop size), so the
// platform only has to diff two plans to know which window events to report, and any run with the
// same times reports the same events.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "canvas.h"

namespace rdk::synthetic {

enum class WindowRole { kDesktop, kNotes, kDialog, kPopup, kTray };

struct PlannedWindow {
  uint64_t wid = 0;
  WindowRole role = WindowRole::kDesktop;
  Rect geometry;  // root coordinates
  std::string title;
  uint32_t raises = 0;  // how many times the script raised it so far
  uint64_t cycle = 0;   // the script cycle that created it
};

struct Plan {
  std::vector<PlannedWindow>
      windows;         // bottom to top at creation: desktop, notes, dialog, popup, tray
  uint64_t bells = 0;  // bells rung so far
};

/// The script repeats every kCycleUs; within each cycle (times in ms):
///   1000 dialog appears, 1500 tray icon appears, 2000..4000 dialog moves every 500,
///   3000 override-redirect popup appears, 4200 popup closes, 4500 dialog grows (resize only),
///   5000 dialog raised, 5500 dialog renamed, 6000 bell, 8000 dialog closes, 9000 notes raised,
///   10500 tray icon closes. The desktop (wid 1) and the notes window (wid 2) live forever.
class Schedule {
 public:
  static constexpr uint64_t kCycleUs = 12'000'000;
  static constexpr uint64_t kDesktopWid = 1;
  static constexpr uint64_t kNotesWid = 2;

  Schedule(int32_t desktopWidth, int32_t desktopHeight);
  Plan planAt(uint64_t tUs) const;

 private:
  static uint64_t cycleWid(uint64_t cycle, int slot) { return 3 + cycle * 3 + slot; }
  Rect dialogGeometry(uint64_t msInCycle) const;
  /// |r| moved (and cut, where it is larger) to lie on the desktop.
  Rect onDesktop(Rect r) const;

  int32_t width_;
  int32_t height_;
};

}  // namespace rdk::synthetic
