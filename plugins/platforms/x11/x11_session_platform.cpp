#include "x11_session_platform.h"

#include <chrono>

#include "x11_keyboard.h"

namespace rdk::x11 {

X11SessionPlatform::X11SessionPlatform(std::unique_ptr<rdk::Platform> inner,
                                       std::function<std::string()> displayName)
    : inner_(std::move(inner)), displayName_(std::move(displayName)) {}

// The clipboard's connection goes first: the inner platform may stop the X server it started.
X11SessionPlatform::~X11SessionPlatform() {
  clipboard_.reset();
  inner_.reset();
}

void X11SessionPlatform::poll(uint64_t nowUs) {
  inner_->poll(nowUs);
  if (clipboard_)
    clipboard_->poll(nowUs);
}

void X11SessionPlatform::displayPoll() {
  inner_->displayPoll();
  if (clipboard_) {
    const auto now = std::chrono::steady_clock::now().time_since_epoch();
    clipboard_->poll(
        static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(now).count()));
  }
}

X11Clipboard& X11SessionPlatform::clipboard() {
  if (!clipboard_)
    throw Error(RDK_E_INVALID_ARG, "x11: clipboard not opened");
  return *clipboard_;
}

void X11SessionPlatform::clipboardOpen(const std::string&,
                                       const rdk_clipboard_callbacks& callbacks) {
  clipboard_ = std::make_unique<X11Clipboard>(displayName_(), callbacks);
}

void X11SessionPlatform::clipboardClaim(const std::string& selection, const std::string& targets) {
  clipboard().claim(selection, targets);
}

void X11SessionPlatform::clipboardConvert(uint32_t id, const std::string& selection,
                                          const std::string& target) {
  clipboard().convert(id, selection, target);
}

void X11SessionPlatform::clipboardReply(uint32_t id, const rdk_clipboard_data* data) {
  clipboard().reply(id, data);
}

void X11SessionPlatform::keyboardSet(const std::string& json) {
  applyLayout(displayName_(), KeyboardLayout::fromJson(json));
  if (auto* listener = dynamic_cast<KeymapListener*>(inner_.get()))
    listener->keymapChanged();
}

std::string X11SessionPlatform::keyboardQuery() {
  return queryLayout(displayName_()).toJson();
}

}  // namespace rdk::x11
