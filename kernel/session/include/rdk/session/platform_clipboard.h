// The LocalClipboard of a platform plugin (ABI 1.2 clipboard_*): ClipboardCore's calls become
// plugin calls, the plugin's clipboard callbacks (during its poll) become ClipboardCore's
// on* calls. Used by the server (the desktop's platform) and the client (its native display).
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "rdk/clipboard/clipboard_core.h"
#include "rdk/kernel/plugin_objects.h"

namespace rdk::session {

class PlatformClipboard final : public clipboard::LocalClipboard,
                                public plugin::ClipboardEventSink {
 public:
  explicit PlatformClipboard(plugin::PlatformObject& platform) : platform_(platform) {}
  /// Starts the platform's selections; false (with |error|) when it has none.
  bool open(std::string* error);
  /// Where events go; null: no peer takes the clipboard now (local pastes get no data). A new
  /// core hears of the selections local applications took while there was none (as Xpra's
  /// server sends its tokens to a client that arrives), so a copy made before the peer came
  /// still reaches it.
  void setCore(clipboard::ClipboardCore* core);
  /// The loop's time, for the events the next poll delivers.
  void setNow(uint64_t nowUs) { nowUs_ = nowUs; }

  void claim(const std::string& selection, const std::vector<std::string>& targets) override;
  void convert(uint32_t id, const std::string& selection, const std::string& target) override;
  void reply(uint32_t id, const std::optional<clipboard::ClipboardData>& data) override;

  void onClipboardOwnerChanged(const std::string& selection) override;
  void onClipboardRequest(uint32_t id, const std::string& selection,
                          const std::string& target) override;
  void onClipboardContents(uint32_t id, const rdk_clipboard_data* data) override;

 private:
  void logError(const std::string& error);

  plugin::PlatformObject& platform_;
  clipboard::ClipboardCore* core_ = nullptr;
  uint64_t nowUs_ = 0;
  std::string lastError_;
  std::set<std::string> ownedWithoutCore_;
};

}  // namespace rdk::session
