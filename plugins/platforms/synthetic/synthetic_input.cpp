// Input injected into the synthetic desktop. inject() only validates and queues; the next poll()
// applies the queue, so pixels never change under a capture the server is still reading and all
// resulting events come from poll() as the platform contract requires.
#include <algorithm>

#include "json_text.h"
#include "synthetic_platform.h"

namespace rdk::synthetic {
namespace {

/// The character a key press types into the notes window, or 0 for none.
char typedChar(const rdk_input_event& e, const std::string& keyname) {
  if (keyname.size() == 1 && keyname[0] >= 0x20 && keyname[0] < 0x7f)
    return keyname[0];
  if (keyname == "space")
    return ' ';
  if (keyname == "Return" || keyname == "KP_Enter")
    return '\n';
  if (keyname.empty() && e.keyval >= 0x20 && e.keyval < 0x7f)
    return static_cast<char>(e.keyval);
  return 0;
}

const char* typeName(uint32_t type) {
  switch (type) {
    case RDK_INPUT_KEY:
      return "key";
    case RDK_INPUT_BUTTON:
      return "button";
    case RDK_INPUT_MOTION:
      return "motion";
  }
  return "unknown";  // unreachable: inject() rejects other types
}

}  // namespace

void SyntheticPlatform::inject(const rdk_input_event& event) {
  if (event.type != RDK_INPUT_KEY && event.type != RDK_INPUT_BUTTON &&
      event.type != RDK_INPUT_MOTION) {
    throw Error(RDK_E_INVALID_ARG, "synthetic: unknown input type " + std::to_string(event.type));
  }
  if (event.type == RDK_INPUT_BUTTON && event.button == 0) {
    throw Error(RDK_E_INVALID_ARG, "synthetic: button numbers start at 1");
  }
  if (event.type == RDK_INPUT_KEY && !event.keyname && event.keyval == 0) {
    throw Error(RDK_E_INVALID_ARG, "synthetic: key event without keyname or keyval");
  }
  PendingInput in{event, event.keyname ? std::string(event.keyname) : std::string()};
  in.event.keyname = nullptr;  // the copy in |in.keyname| is the one that lives on
  std::lock_guard<std::mutex> lock(pendingMutex_);
  if (pending_.size() >= kMaxPendingInput) {
    throw Error(RDK_E_AGAIN, "synthetic: input queue full (poll() is not being called)");
  }
  pending_.push_back(std::move(in));
}

void SyntheticPlatform::applyInput(uint64_t tUs) {
  std::vector<PendingInput> batch;
  {
    std::lock_guard<std::mutex> lock(pendingMutex_);
    batch.swap(pending_);
  }
  for (PendingInput& in : batch) {
    in.event.keyname = in.keyname.c_str();
    logInput(tUs, in);
    const rdk_input_event& e = in.event;
    auto it = surfaces_.find(e.wid);
    if (e.type == RDK_INPUT_KEY) {
      if (e.pressed)
        applyKey(e);
    } else if (e.type == RDK_INPUT_BUTTON) {
      if (e.pressed && it != surfaces_.end())
        applyButton(e);
    } else if (it != surfaces_.end()) {
      const Rect& g = it->second.shown.geometry;
      injectedPointer_ = std::pair{g.x + e.x, g.y + e.y};
      injectedPointerUntilUs_ = tUs + kPointerOverrideUs;
    }
  }
}

void SyntheticPlatform::applyKey(const rdk_input_event& e) {
  const std::string keyname = e.keyname ? e.keyname : "";
  const char ch = typedChar(e, keyname);
  if (keyname == "BackSpace") {
    if (typed_.empty())
      return;
    typed_.pop_back();
  } else if (ch != 0) {
    typed_ += ch;
    if (typed_.size() > kMaxTyped)
      typed_.erase(0, typed_.size() - kMaxTyped);
  } else {
    return;  // modifiers, function keys: recorded in the log only
  }
  auto it = surfaces_.find(Schedule::kNotesWid);
  if (it == surfaces_.end())
    return;  // impossible while the script keeps notes alive
  Surface& notes = it->second;
  drawNotes(notes.canvas, typed_);
  damage(Schedule::kNotesWid, notes, notes.canvas.bounds());
  emit(RDK_WINDOW_METADATA, Schedule::kNotesWid, {},
       "{\"title\":" + jsonString(titleOf(notes.shown)) + "}");
}

void SyntheticPlatform::applyButton(const rdk_input_event& e) {
  Surface& s = surfaces_.at(e.wid);
  const ClickMarker marker{e.x, e.y, e.button};
  if (s.markers.size() >= kMaxMarkers)
    s.markers.erase(s.markers.begin());
  s.markers.push_back(marker);
  damage(e.wid, s, marker.bounds());  // damage() draws the markers inside the region
}

void SyntheticPlatform::logInput(uint64_t tUs, const PendingInput& in) {
  if (!inputLog_.is_open())
    return;
  const rdk_input_event& e = in.event;
  inputLog_ << "{\"t_us\":" << tUs << ",\"type\":\"" << typeName(e.type) << "\",\"wid\":" << e.wid
            << ",\"x\":" << e.x << ",\"y\":" << e.y << ",\"button\":" << e.button
            << ",\"pressed\":" << (e.pressed ? "true" : "false")
            << ",\"keyname\":" << jsonString(in.keyname) << ",\"keyval\":" << e.keyval
            << ",\"keycode\":" << e.keycode << ",\"modifiers\":" << e.modifiers << "}\n";
  inputLog_.flush();
}

}  // namespace rdk::synthetic
