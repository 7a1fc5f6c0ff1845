#include "window_content.h"

#include <algorithm>

#include "bitmap_font.h"

namespace rdk::synthetic {

void drawMarker(Canvas& canvas, const ClickMarker& marker, const Rect& clip) {
  // A cross whose colour tells the button apart: red for 1, green for 2, blue for 3 and others.
  const Color c = marker.button == 1 ? 0xff2020 : marker.button == 2 ? 0x20ff20 : 0x2020ff;
  canvas.fill({marker.x - 4, marker.y, 9, 1}, c, clip);
  canvas.fill({marker.x, marker.y - 4, 1, 9}, c, clip);
  canvas.frame(marker.bounds(), 0x000000, clip);
}

void drawNotes(Canvas& canvas, const std::string& typed) {
  canvas.fill(canvas.bounds(), 0xfdfdf6);
  canvas.fill({0, 0, canvas.width(), 14}, 0xe0e0d0);
  canvas.text(4, 2, "Notes - type here", 0x202020);
  const int32_t columns = std::max((canvas.width() - 8) / BitmapFont::kCellWidth, 1);
  const int32_t rows = std::max((canvas.height() - 20) / BitmapFont::kCellHeight, 1);
  // Wrap into lines, then show the last |rows| of them.
  std::vector<std::string> lines(1);
  for (char ch : typed) {
    if (ch == '\n') {
      lines.emplace_back();
      continue;
    }
    if (static_cast<int32_t>(lines.back().size()) == columns)
      lines.emplace_back();
    lines.back() += ch;
  }
  const size_t first = lines.size() > static_cast<size_t>(rows) ? lines.size() - rows : 0;
  int32_t y = 18;
  for (size_t i = first; i < lines.size(); ++i, y += BitmapFont::kCellHeight) {
    const int32_t end = canvas.text(4, y, lines[i], 0x000000);
    if (i + 1 == lines.size()) {
      canvas.fill({end, y, BitmapFont::kCellWidth - 1, BitmapFont::kCellHeight - 1}, 0x3050c0);
    }
  }
}

void drawDialog(Canvas& canvas, uint64_t cycle, const std::string& title) {
  const Color top = 0x8040c0 ^ static_cast<Color>((cycle * 0x1f3d5b) & 0x3f3f3f);
  canvas.verticalGradient(canvas.bounds(), top, 0xf0f0ff);
  canvas.text(8, 8, title, 0xffffff);
  const std::string size = std::to_string(canvas.width()) + "x" + std::to_string(canvas.height());
  canvas.text(8, 22, size, 0xffffff);
  const Rect ok{canvas.width() - 60, canvas.height() - 28, 48, 18};
  canvas.fill(ok, 0xd0d0d0);
  canvas.frame(ok, 0x404040, canvas.bounds());
  canvas.text(ok.x + 18, ok.y + 4, "OK", 0x000000);
}

void drawPopup(Canvas& canvas) {
  canvas.fill(canvas.bounds(), 0xf4f4f4);
  canvas.frame(canvas.bounds(), 0x606060, canvas.bounds());
  const char* items[] = {"Open", "Save", "Close"};
  int32_t y = 4;
  for (const char* item : items) {
    canvas.text(8, y, item, 0x101010);
    y += 16;
  }
  canvas.fill({4, 4 + 16 - 3, canvas.width() - 8, 1}, 0xc0c0c0);
}

void drawTray(Canvas& canvas, uint64_t phase) {
  static constexpr Color kColors[] = {0xe63946, 0xf4a261, 0x2a9d8f, 0x457b9d};
  canvas.fill(canvas.bounds(), 0x202020);
  const Rect dot{3, 3, canvas.width() - 6, canvas.height() - 6};
  canvas.fill(dot, kColors[phase % 4]);
  canvas.text(canvas.width() / 2 - 2, canvas.height() / 2 - 5, "r", 0xffffff);
}

}  // namespace rdk::synthetic
