#include "rdk/session/platform_clipboard.h"

#include <Poco/Logger.h>

namespace rdk::session {

bool PlatformClipboard::open(std::string* error) {
  return platform_.clipboardOpen(this, error);
}

void PlatformClipboard::logError(const std::string& error) {
  if (error == lastError_)
    return;  // one line per kind of failure, not per paste
  lastError_ = error;
  Poco::Logger::get("rdk.clipboard").warning(error);
}

void PlatformClipboard::claim(const std::string& selection,
                              const std::vector<std::string>& targets) {
  std::string list, error;
  for (const auto& t : targets) {
    if (t.find('\n') == std::string::npos)
      list += t + "\n";
  }
  if (!platform_.clipboardClaim(selection, list, &error))
    logError(error);
}

void PlatformClipboard::convert(uint32_t id, const std::string& selection,
                                const std::string& target) {
  std::string error;
  if (!platform_.clipboardConvert(id, selection, target, &error)) {
    logError(error);
    if (core_)
      core_->onLocalContents(id, std::nullopt);
  }
}

void PlatformClipboard::reply(uint32_t id, const std::optional<clipboard::ClipboardData>& data) {
  std::string error;
  bool ok;
  if (!data) {
    ok = platform_.clipboardReply(id, nullptr, &error);
  } else {
    rdk_clipboard_data d{};
    d.struct_size = sizeof(d);
    d.format = static_cast<uint32_t>(data->format);
    d.type = data->type.c_str();
    d.data = {reinterpret_cast<const uint8_t*>(data->bytes.data()), data->bytes.size()};
    ok = platform_.clipboardReply(id, &d, &error);
  }
  if (!ok)
    logError(error);
}

void PlatformClipboard::setCore(clipboard::ClipboardCore* core) {
  core_ = core;
  if (!core_)
    return;
  const std::set<std::string> owned = std::move(ownedWithoutCore_);
  ownedWithoutCore_.clear();
  for (const auto& selection : owned)
    core_->onLocalOwnerChanged(selection, nowUs_);
}

void PlatformClipboard::onClipboardOwnerChanged(const std::string& selection) {
  if (core_)
    core_->onLocalOwnerChanged(selection, nowUs_);
  else if (ownedWithoutCore_.size() < 16)
    ownedWithoutCore_.insert(selection);
}

void PlatformClipboard::onClipboardRequest(uint32_t id, const std::string& selection,
                                           const std::string& target) {
  if (core_) {
    core_->onLocalRequest(id, selection, target, nowUs_);
  } else {
    reply(id, std::nullopt);
  }
}

void PlatformClipboard::onClipboardContents(uint32_t id, const rdk_clipboard_data* data) {
  if (!core_)
    return;
  if (!data || !data->type) {
    core_->onLocalContents(id, std::nullopt);
    return;
  }
  clipboard::ClipboardData d;
  d.type = data->type;
  d.format = static_cast<int>(data->format);
  d.bytes.assign(reinterpret_cast<const char*>(data->data.data), data->data.size);
  core_->onLocalContents(id, d);
}

}  // namespace rdk::session
