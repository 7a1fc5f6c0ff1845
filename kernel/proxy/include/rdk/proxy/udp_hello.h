// The client's hello as the UDP proxy sees it: rebuilt from the FRAGMENT frames of the datagrams
// it holds (reliable message 0, whatever order and repeats they come in), then read for the user
// name. No sockets: tests feed fragments directly.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace rdk::proxy {

class HelloAssembler {
 public:
  enum class Result { kMore, kComplete, kRefused };
  /// At most |maxBytes| for the whole message; memory grows with the bytes that arrived.
  explicit HelloAssembler(size_t maxBytes) : maxBytes_(maxBytes) {}
  /// One fragment of the client's reliable message 0. kRefused (with why()) when it claims more
  /// than the bound, disagrees with an earlier fragment's length, or lies outside the message.
  Result add(uint32_t total, uint32_t offset, const uint8_t* data, uint16_t length);
  bool complete() const;
  /// The whole message once complete.
  const std::string& bytes() const { return bytes_; }
  const std::string& why() const { return why_; }

 private:
  size_t maxBytes_;
  uint32_t total_ = 0;
  bool started_ = false;
  std::string bytes_;
  std::map<uint32_t, uint32_t> have_;  // start -> end, disjoint, merged
  std::string why_;
};

/// The "username" of a hello packet (its Xpra records, as sent); "" with |error| when the bytes
/// are not a hello or name no user.
std::string helloUsername(const std::string& packet, std::string* error);

}  // namespace rdk::proxy
