#include "synthetic_platform.h"

#include <algorithm>
#include <cmath>

#include "json_text.h"

namespace rdk::synthetic {
namespace {

constexpr uint64_t kMaxSoundBacklog = 10;  // chunks; older ones are skipped after a stall

uint32_t newEventType(WindowRole role) {
  switch (role) {
    case WindowRole::kPopup:
      return RDK_WINDOW_NEW_OVERRIDE_REDIRECT;
    case WindowRole::kTray:
      return RDK_WINDOW_NEW_TRAY;
    case WindowRole::kDesktop:
    case WindowRole::kNotes:
    case WindowRole::kDialog:
      return RDK_WINDOW_NEW;
  }
  return RDK_WINDOW_NEW;  // unreachable: every role is listed above
}

}  // namespace

SyntheticPlatform::SyntheticPlatform(const Options& options,
                                     const rdk_platform_callbacks& callbacks)
    : options_(options),
      callbacks_(callbacks),
      schedule_(options.width, options.height),
      scene_(options.width, options.height, options.seed) {
  if (!callbacks_.on_event)
    throw Error(RDK_E_INVALID_ARG, "synthetic: callbacks.on_event is NULL");
  if (!options_.inputLog.empty()) {
    inputLog_.open(options_.inputLog, std::ios::app);
    if (!inputLog_) {
      throw Error(RDK_E_IO, "synthetic: cannot open input_log '" + options_.inputLog + "'");
    }
  }
}

void SyntheticPlatform::emit(uint32_t type, uint64_t wid, const rdk_rect& rect,
                             const std::string& metadata, const rdk_image* image, rdk_bytes data) {
  rdk_window_event e{};
  e.struct_size = sizeof(e);
  e.type = type;
  e.wid = wid;
  e.rect = rect;
  e.metadata_json = metadata.empty() ? nullptr : metadata.c_str();
  e.image = image;
  e.data = data;
  callbacks_.on_event(callbacks_.host, &e);
}

void SyntheticPlatform::damage(uint64_t wid, Surface& surface, const Rect& r) {
  const Rect area = r.intersect(surface.canvas.bounds());
  if (area.empty())
    return;
  // Markers drawn by clicks sit on top of whatever the region was redrawn with.
  for (const ClickMarker& m : surface.markers)
    drawMarker(surface.canvas, m, area);
  emit(RDK_WINDOW_DAMAGE, wid, area.toAbi());
}

void SyntheticPlatform::poll(uint64_t nowUs) {
  if (!startUs_)
    startUs_ = nowUs;
  const uint64_t t = nowUs >= *startUs_ ? nowUs - *startUs_ : 0;
  const uint64_t frame = t * static_cast<uint64_t>(options_.fps) / 1'000'000;
  const Plan plan = schedule_.planAt(t);
  applyPlan(plan, frame);
  applyInput(t);
  renderFrame(frame);
  updatePointer(t, frame);
  if (plan.bells > bellsRung_) {
    bellsRung_ = plan.bells;
    emit(RDK_WINDOW_BELL, Schedule::kDesktopWid, {},
         R"({"percent":50,"pitch":440,"duration":100,"name":"synthetic"})");
  }
  if (options_.sound)
    emitSound(t);
}

std::string SyntheticPlatform::titleOf(const PlannedWindow& w) const {
  if (w.role != WindowRole::kNotes || typed_.empty())
    return w.title;
  std::string tail = typed_.substr(typed_.size() > 24 ? typed_.size() - 24 : 0);
  std::replace(tail.begin(), tail.end(), '\n', ' ');
  return w.title + ": " + tail;
}

std::string SyntheticPlatform::newWindowMetadata(const PlannedWindow& w) const {
  std::string type = "NORMAL", klass = "Desktop";
  switch (w.role) {
    case WindowRole::kDesktop:
      break;
    case WindowRole::kNotes:
      klass = "Notes";
      break;
    case WindowRole::kDialog:
      type = "DIALOG", klass = "Dialog";
      break;
    case WindowRole::kPopup:
      type = "POPUP_MENU", klass = "Menu";
      break;
    case WindowRole::kTray:
      klass = "Tray";
      break;
  }
  std::string m = "{\"title\":" + jsonString(titleOf(w)) + ",\"window-type\":[" + jsonString(type) +
                  "],\"class-instance\":[\"rdk-synthetic\"," + jsonString(klass) + "]";
  if (w.role == WindowRole::kPopup)
    m += ",\"override-redirect\":true";
  if (w.role == WindowRole::kTray)
    m += ",\"tray\":true";
  return m + "}";
}

void SyntheticPlatform::drawContent(Surface& s, uint64_t frame) {
  switch (s.shown.role) {
    case WindowRole::kDesktop:
      scene_.renderAll(s.canvas, frameTimeUs(frame), frame);
      break;
    case WindowRole::kNotes:
      drawNotes(s.canvas, typed_);
      break;
    case WindowRole::kDialog:
      drawDialog(s.canvas, s.shown.cycle, s.shown.title);
      break;
    case WindowRole::kPopup:
      drawPopup(s.canvas);
      break;
    case WindowRole::kTray:
      s.trayPhase = frameTimeUs(frame) / 1'000'000;
      drawTray(s.canvas, s.trayPhase);
      break;
  }
}

void SyntheticPlatform::createSurface(const PlannedWindow& w, uint64_t frame) {
  Surface& s = surfaces_[w.wid];
  s.shown = w;
  s.canvas.resize(w.geometry.w, w.geometry.h);
  drawContent(s, frame);
  emit(newEventType(w.role), w.wid, w.geometry.toAbi(), newWindowMetadata(w));
  damage(w.wid, s, s.canvas.bounds());
}

void SyntheticPlatform::applyPlan(const Plan& plan, uint64_t frame) {
  for (auto it = surfaces_.begin(); it != surfaces_.end();) {
    const bool planned = std::any_of(plan.windows.begin(), plan.windows.end(),
                                     [&](const PlannedWindow& w) { return w.wid == it->first; });
    if (planned) {
      ++it;
      continue;
    }
    emit(RDK_WINDOW_LOST, it->first, it->second.shown.geometry.toAbi());
    it = surfaces_.erase(it);
  }
  for (const PlannedWindow& w : plan.windows) {
    auto it = surfaces_.find(w.wid);
    if (it == surfaces_.end()) {
      createSurface(w, frame);
      continue;
    }
    Surface& s = it->second;
    const Rect before = s.shown.geometry;
    const bool moved = before.x != w.geometry.x || before.y != w.geometry.y;
    const bool resized = before.w != w.geometry.w || before.h != w.geometry.h;
    const bool renamed = s.shown.title != w.title;
    const bool raised = w.raises > s.shown.raises;
    s.shown = w;
    if (moved) {
      emit(RDK_WINDOW_MOVE_RESIZE, w.wid, w.geometry.toAbi());
    } else if (resized) {
      emit(RDK_WINDOW_RESIZED, w.wid, w.geometry.toAbi());
    }
    if (resized || renamed) {
      // The size and the title are part of what dialogs draw.
      if (resized)
        s.canvas.resize(w.geometry.w, w.geometry.h);
      drawContent(s, frame);
      damage(w.wid, s, s.canvas.bounds());
    }
    if (renamed)
      emit(RDK_WINDOW_METADATA, w.wid, {}, "{\"title\":" + jsonString(titleOf(w)) + "}");
    if (raised)
      emit(RDK_WINDOW_RAISE, w.wid, w.geometry.toAbi());
  }
}

void SyntheticPlatform::renderFrame(uint64_t frame) {
  if (frame == lastFrame_)
    return;
  lastFrame_ = frame;
  const uint64_t t = frameTimeUs(frame);
  for (auto& [wid, s] : surfaces_) {
    if (s.shown.role == WindowRole::kDesktop) {
      if (auto r = scene_.renderText(s.canvas, t))
        damage(wid, s, *r);
      if (auto r = scene_.renderClock(s.canvas, t))
        damage(wid, s, *r);
      damage(wid, s, scene_.renderVideo(s.canvas, frame));
    } else if (s.shown.role == WindowRole::kTray && t / 1'000'000 != s.trayPhase) {
      drawContent(s, frame);
      damage(wid, s, s.canvas.bounds());
    }
  }
}

void SyntheticPlatform::updatePointer(uint64_t tUs, uint64_t frame) {
  std::optional<std::pair<int32_t, int32_t>> pos;
  if (injectedPointer_ && tUs < injectedPointerUntilUs_) {
    pos = injectedPointer_;
  } else if (options_.pointer) {
    // A Lissajous path over the whole desktop, sampled at frame times.
    const double s = static_cast<double>(frameTimeUs(frame)) / 1e6;
    pos = std::pair{static_cast<int32_t>(options_.width * (0.5 + 0.45 * std::sin(s * 0.7))),
                    static_cast<int32_t>(options_.height * (0.5 + 0.45 * std::sin(s * 1.1)))};
  }
  const bool overVideo = pos && scene_.videoArea().contains(pos->first, pos->second);
  const CursorShape* shape = overVideo ? &crosshairCursor() : &arrowCursor();
  if (shape != cursor_) {
    cursor_ = shape;
    rdk_image image{};
    image.struct_size = sizeof(image);
    image.width = static_cast<uint32_t>(shape->width);
    image.height = static_cast<uint32_t>(shape->height);
    image.stride = image.width * 4;
    image.format = RDK_PIXEL_BGRA;
    image.pixels = shape->bgra.data();
    emit(RDK_WINDOW_CURSOR, Schedule::kDesktopWid,
         {shape->hotX, shape->hotY, image.width, image.height},
         "{\"name\":" + jsonString(shape->name) + "}", &image);
  }
  if (pos && pos != pointer_) {
    pointer_ = pos;
    emit(RDK_WINDOW_POINTER, Schedule::kDesktopWid, {pos->first, pos->second, 0, 0});
  }
}

void SyntheticPlatform::emitSound(uint64_t tUs) {
  const uint64_t complete = tUs / (TestTone::kToneChunkMs * 1000);
  if (complete > nextSoundChunk_ + kMaxSoundBacklog)
    nextSoundChunk_ = complete - kMaxSoundBacklog;
  const std::vector<uint8_t>& wav = tone_.chunk();
  for (; nextSoundChunk_ < complete; ++nextSoundChunk_) {
    const uint64_t n = nextSoundChunk_;
    const std::string meta = "{\"codec\":\"wav\",\"sequence\":" + std::to_string(n) +
                             ",\"timestamp\":" + std::to_string(n * TestTone::kToneChunkMs) +
                             ",\"duration\":" + std::to_string(TestTone::kToneChunkMs) +
                             ",\"rate\":" + std::to_string(TestTone::kToneRate) +
                             ",\"channels\":1,\"format\":\"S16LE\"}";
    emit(RDK_WINDOW_SOUND, Schedule::kDesktopWid, {}, meta, nullptr, {wav.data(), wav.size()});
  }
}

rdk_image SyntheticPlatform::capture(uint64_t wid, const rdk_rect& rect) {
  auto it = surfaces_.find(wid);
  if (it == surfaces_.end()) {
    throw Error(RDK_E_INVALID_ARG, "synthetic: no window " + std::to_string(wid));
  }
  const Canvas& c = it->second.canvas;
  const Rect r{rect.x, rect.y, static_cast<int32_t>(std::min<uint32_t>(rect.w, INT32_MAX)),
               static_cast<int32_t>(std::min<uint32_t>(rect.h, INT32_MAX))};
  if (r.empty() || r.intersect(c.bounds()) != r) {
    throw Error(RDK_E_INVALID_ARG, "synthetic: capture rectangle outside window " +
                                       std::to_string(wid) + " (" + std::to_string(c.width()) +
                                       "x" + std::to_string(c.height()) + ")");
  }
  return c.view(r);
}

}  // namespace rdk::synthetic
