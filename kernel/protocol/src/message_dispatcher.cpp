#include "rdk/protocol/message_dispatcher.h"

#include <algorithm>

namespace rdk::protocol {

std::string TypeNameCounter::printable(std::string_view type, size_t maxBytes) {
  std::string name;
  name.reserve(std::min(type.size(), maxBytes) + 3);
  for (size_t i = 0; i < type.size() && i < maxBytes; ++i) {
    const unsigned char c = static_cast<unsigned char>(type[i]);
    name += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  }
  if (type.size() > maxBytes)
    name += "...";
  return name;
}

std::optional<std::string> TypeNameCounter::add(std::string_view type) {
  ++total_;
  std::string name = printable(type, maxNameBytes_);
  auto it = counts_.find(name);
  if (it == counts_.end() && name != kOverflowName && counts_.size() + 1 >= maxNames_) {
    name = std::string(kOverflowName);
    it = counts_.find(name);
  }
  if (it != counts_.end()) {
    ++it->second;
    return std::nullopt;
  }
  counts_.emplace(name, 1);
  return name;
}

const std::string& MessageDispatcher::typeOf(const Packet& packet) {
  if (packet.empty() || !packet[0].isBytes()) {
    throw ProtocolError(packet.empty() ? "packet without a type: empty list"
                                       : "packet without a type: " + packet[0].debugString(40));
  }
  return packet[0].asBytes();
}

bool MessageDispatcher::dispatch(const Packet& packet) {
  const std::string& type = typeOf(packet);
  auto it = handlers_.find(type);
  if (it == handlers_.end()) {
    if (std::optional<std::string> first = unknown_.add(type); first && onUnknown_)
      onUnknown_(*first, packet);
    return false;
  }
  it->second(packet);
  return true;
}

std::vector<std::string> MessageDispatcher::types() const {
  std::vector<std::string> out;
  out.reserve(handlers_.size());
  for (const auto& [type, handler] : handlers_)
    out.push_back(type);
  return out;
}

}  // namespace rdk::protocol
