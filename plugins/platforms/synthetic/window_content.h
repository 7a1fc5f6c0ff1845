// The pixels of the synthetic desktop's ordinary windows (notes, dialog, popup menu, tray icon),
// each a function of the window's size and a little state, plus the click markers inject() adds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "canvas.h"

namespace rdk::synthetic {

struct ClickMarker {
  int32_t x = 0, y = 0;
  uint32_t button = 1;
  /// The pixels a marker covers, in window coordinates.
  Rect bounds() const { return {x - 4, y - 4, 9, 9}; }
};

/// Draws |marker| clipped to |clip|.
void drawMarker(Canvas& canvas, const ClickMarker& marker, const Rect& clip);

/// Notes: a text editor showing |typed| (wrapped, newest lines kept) and a block cursor.
void drawNotes(Canvas& canvas, const std::string& typed);
/// Dialog number |cycle| + 1, showing its own size.
void drawDialog(Canvas& canvas, uint64_t cycle, const std::string& title);
/// A popup menu.
void drawPopup(Canvas& canvas);
/// A tray icon whose colour steps once per |phase|.
void drawTray(Canvas& canvas, uint64_t phase);

}  // namespace rdk::synthetic
