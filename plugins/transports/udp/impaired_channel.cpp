#include "impaired_channel.hpp"

namespace rdk::udp {

ImpairedChannel::ImpairedChannel(std::unique_ptr<DatagramChannel> inner,
                                 const ImpairmentConfig& send, const ImpairmentConfig& receive,
                                 uint64_t seed)
    : inner_(std::move(inner)), send_(send, seed), receive_(receive, seed * 7919 + 1) {}

SendStatus ImpairedChannel::sendTo(const PeerAddress& to, const uint8_t* data, size_t size) {
  const uint64_t now = now_();
  const auto releases = send_.decide(now);
  SendStatus status = SendStatus::kOk;
  for (uint64_t at : releases) {
    if (at <= now) {
      status = inner_->sendTo(to, data, size);
      if (status == SendStatus::kTooBig)
        return status;  // the session must learn it
    } else {
      held_.emplace(at, Held{to, std::vector<uint8_t>(data, data + size)});
    }
  }
  return status;  // a dropped datagram "succeeds", as on a real lossy path
}

ssize_t ImpairedChannel::receiveFrom(uint8_t* buf, size_t capacity, PeerAddress& from) {
  while (true) {
    const ssize_t n = inner_->receiveFrom(buf, capacity, from);
    if (n < 0)
      return n;
    if (!receive_.decide(now_()).empty())
      return n;
  }
}

uint64_t ImpairedChannel::releaseDue(uint64_t nowUs) {
  while (!held_.empty() && held_.begin()->first <= nowUs) {
    auto node = held_.extract(held_.begin());
    inner_->sendTo(node.mapped().to, node.mapped().bytes.data(), node.mapped().bytes.size());
  }
  return held_.empty() ? UINT64_MAX : held_.begin()->first;
}

}  // namespace rdk::udp
