#include "schedule.h"

#include <algorithm>

namespace rdk::synthetic {

Schedule::Schedule(int32_t desktopWidth, int32_t desktopHeight)
    : width_(desktopWidth), height_(desktopHeight) {}

Rect Schedule::onDesktop(Rect r) const {
  r.w = std::min(r.w, width_);
  r.h = std::min(r.h, height_);
  r.x = std::clamp(r.x, 0, width_ - r.w);
  r.y = std::clamp(r.y, 0, height_ - r.h);
  return r;
}

Rect Schedule::dialogGeometry(uint64_t ms) const {
  Rect r{width_ / 3, height_ / 3, std::max(width_ / 4, 160), std::max(height_ / 4, 100)};
  const int32_t steps =
      ms < 2000 ? 0 : static_cast<int32_t>(std::min<uint64_t>((ms - 2000) / 500 + 1, 5));
  r.x += steps * std::max(width_ / 40, 4);
  r.y += steps * std::max(height_ / 60, 2);
  if (ms >= 4500) {
    r.w += std::max(width_ / 10, 16);
    r.h += std::max(height_ / 12, 10);
  }
  return r;
}

Plan Schedule::planAt(uint64_t tUs) const {
  const uint64_t cycle = tUs / kCycleUs;
  const uint64_t ms = (tUs % kCycleUs) / 1000;
  const std::string n = std::to_string(cycle + 1);
  Plan plan;
  plan.bells = cycle + (ms >= 6000 ? 1 : 0);

  plan.windows.push_back({kDesktopWid,
                          WindowRole::kDesktop,
                          {0, 0, width_, height_},
                          "rdkernel synthetic desktop",
                          0,
                          0});
  const Rect notes{width_ / 16, height_ / 2, std::max(width_ / 3, 200), std::max(height_ / 3, 120)};
  plan.windows.push_back({kNotesWid, WindowRole::kNotes, notes, "Notes",
                          static_cast<uint32_t>(cycle + (ms >= 9000 ? 1 : 0)), 0});
  if (ms >= 1000 && ms < 8000) {
    const Rect dialog = dialogGeometry(ms);
    plan.windows.push_back({cycleWid(cycle, 0), WindowRole::kDialog, dialog,
                            ms >= 5500 ? "Dialog " + n + " (renamed)" : "Dialog " + n,
                            ms >= 5000 ? 1u : 0u, cycle});
  }
  if (ms >= 3000 && ms < 4200) {
    const Rect dialog = dialogGeometry(ms);
    plan.windows.push_back({cycleWid(cycle, 1),
                            WindowRole::kPopup,
                            {dialog.x + 24, dialog.y + 32, 120, 56},
                            "menu " + n,
                            0,
                            cycle});
  }
  if (ms >= 1500 && ms < 10500) {
    plan.windows.push_back({cycleWid(cycle, 2),
                            WindowRole::kTray,
                            {width_ - 30, 0, 22, 22},
                            "rdkernel tray " + n,
                            0,
                            cycle});
  }
  // The script's sizes have minimums (a dialog is at least 160 wide) that a small desktop does
  // not fit: a window past the desktop's edge made a client's picture of it wider than the
  // desktop (a 345x256 snapshot of a 336x256 server).
  for (auto& w : plan.windows)
    w.geometry = onDesktop(w.geometry);
  return plan;
}

}  // namespace rdk::synthetic
