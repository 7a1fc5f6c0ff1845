#include "rdk/proxy/udp_hello.h"

#include <algorithm>
#include <exception>

#include "rdk/protocol/capabilities.h"
#include "rdk/protocol/messages/core.h"
#include "rdk/protocol/record_reader.h"

namespace rdk::proxy {

HelloAssembler::Result HelloAssembler::add(uint32_t total, uint32_t offset, const uint8_t* data,
                                           uint16_t length) {
  if (!why_.empty())
    return Result::kRefused;
  if (!started_) {
    if (total == 0 || total > maxBytes_) {
      why_ = "a hello of " + std::to_string(total) + " bytes (the proxy takes at most " +
             std::to_string(maxBytes_) + ")";
      return Result::kRefused;
    }
    total_ = total;
    started_ = true;
  }
  if (total != total_ || uint64_t(offset) + length > total_) {
    why_ = "fragments of the hello disagree on its length";
    return Result::kRefused;
  }
  if (length == 0)
    return complete() ? Result::kComplete : Result::kMore;
  const uint32_t end = offset + length;
  // The buffer grows with what arrived, never to the length a fragment claims.
  if (bytes_.size() < end)
    bytes_.resize(end);
  std::copy(data, data + length, bytes_.begin() + offset);
  uint32_t start = offset, stop = end;
  auto it = have_.upper_bound(start);
  if (it != have_.begin() && std::prev(it)->second >= start)
    --it;
  while (it != have_.end() && it->first <= stop) {
    start = std::min(start, it->first);
    stop = std::max(stop, it->second);
    it = have_.erase(it);
  }
  have_[start] = stop;
  return complete() ? Result::kComplete : Result::kMore;
}

bool HelloAssembler::complete() const {
  return started_ && have_.size() == 1 && have_.begin()->first == 0 &&
         have_.begin()->second == total_;
}

std::string helloUsername(const std::string& packet, std::string* error) {
  protocol::RecordReader reader;
  reader.setMaxPacketSize(packet.size() + 64);
  reader.setMaxDecompressedSize(1u << 20);
  protocol::Packet hello;
  bool got = false;
  try {
    const auto failure = reader.feed(packet, [&](protocol::Packet&& p) {
      if (!got)
        hello = std::move(p);
      got = true;
    });
    if (failure) {
      *error = "not an xpra packet: " + failure->message;
      return "";
    }
    if (!got || hello.empty() || !hello[0].isBytes() ||
        hello[0].asBytes() != protocol::Hello::kType) {
      *error = "the first packet is not a hello";
      return "";
    }
    const protocol::Capabilities caps(protocol::Hello::fromPacket(hello).caps);
    const std::string user = caps.getString("username").value_or("");
    if (user.empty())
      *error = "the proxy needs a username";
    return user;
  } catch (const std::exception& e) {
    *error = std::string("malformed hello: ") + e.what();
    return "";
  }
}

}  // namespace rdk::proxy
