// A point-to-point "cable" between two network namespaces: IP packets read from one persistent
// TUN device are written into the other after a delay chosen by our impairment layer (the same
// Impairment class the udp transport uses). There is no netem on these machines (reference 11.1);
// loss comes from nftables in the namespaces, delay from here, for TCP and UDP alike.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "impairment.hpp"

namespace rdk::bench {

/// Opens TUN device |name| (created beforehand with `ip tuntap add`) inside namespace |netns|.
int openTunIn(const std::string& netns, const std::string& name);

class TunRelay {
 public:
  TunRelay(int fdA, int fdB, const udp::ImpairmentConfig& delay);
  ~TunRelay();
  uint64_t bytesForwarded() const { return bytes_; }
  uint64_t packetsForwarded() const { return packets_; }
  /// CPU time of the relay thread (to subtract from the process's).
  uint64_t cpuUs() const { return cpuUs_; }

 private:
  void run();
  int fdA_, fdB_;
  udp::ImpairmentConfig delay_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> bytes_{0}, packets_{0}, cpuUs_{0};
  std::thread thread_;
};

/// Moves the calling thread into namespace |netns| (empty = stay).
void enterNetns(const std::string& netns);

}  // namespace rdk::bench
