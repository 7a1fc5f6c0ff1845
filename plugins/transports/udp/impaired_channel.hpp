// Wraps a channel with the impairment layer: send-side loss, delay, jitter, reordering,
// duplication and drop-first-N; receive-side loss (RDK_UDP_DROP_PCT). Delayed datagrams wait here
// until the endpoint calls releaseDue().
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "datagram_channel.hpp"
#include "impairment.hpp"

namespace rdk::udp {

class ImpairedChannel : public DatagramChannel {
 public:
  ImpairedChannel(std::unique_ptr<DatagramChannel> inner, const ImpairmentConfig& send,
                  const ImpairmentConfig& receive, uint64_t seed);
  SendStatus sendTo(const PeerAddress& to, const uint8_t* data, size_t size) override;
  ssize_t receiveFrom(uint8_t* buf, size_t capacity, PeerAddress& from) override;
  int pollFd() const override { return inner_->pollFd(); }
  size_t pathMtu(const PeerAddress& to) override { return inner_->pathMtu(to); }
  PeerAddress localAddress() const override { return inner_->localAddress(); }

  /// Sends the delayed datagrams whose time has come; returns the next release time or UINT64_MAX.
  uint64_t releaseDue(uint64_t nowUs);
  uint64_t service(uint64_t nowUs) override {
    return std::min(releaseDue(nowUs), inner_->service(nowUs));
  }
  void setClock(uint64_t (*now)()) { now_ = now; }

 private:
  struct Held {
    PeerAddress to;
    std::vector<uint8_t> bytes;
  };
  std::unique_ptr<DatagramChannel> inner_;
  Impairment send_, receive_;
  std::multimap<uint64_t, Held> held_;
  uint64_t (*now_)() = nullptr;
};

}  // namespace rdk::udp
