// A point-to-point "cable" between two network namespaces: IP packets read from one persistent
// TUN device are written into the other after a delay chosen by our impairment layer (the same
// Impairment class the udp transport uses). There is no netem on these machines (reference 11.1);
// random loss comes from nftables in the namespaces, delay (and Gilbert-Elliott bursts, which
// nftables' stateless numgen cannot make) from here, for TCP and UDP alike. Bytes of packets lost
// on the cable count as forwarded, as those nftables drops later do (they were on the wire).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
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
  /// Packets the cable's own impairment (bursts) dropped.
  uint64_t packetsDropped() const { return dropped_; }
  /// Packets read from side A (the client's), lost or not.
  uint64_t packetsFromA() const { return fromA_; }
  /// CPU time of the relay thread (to subtract from the process's).
  uint64_t cpuUs() const { return cpuUs_; }

 private:
  void run();
  int fdA_, fdB_;
  udp::ImpairmentConfig delay_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> bytes_{0}, packets_{0}, dropped_{0}, cpuUs_{0}, fromA_{0};
  std::thread thread_;
};

/// The cable's impairment from the bench options: --delay-ms one way (+1 ms jitter) and, when
/// --burst-p/--burst-r are given, Gilbert-Elliott loss on the cable (per packet: good->bad with
/// probability p, bad->good with r, every packet in the bad state lost) for TCP and UDP alike.
udp::ImpairmentConfig cableImpairment(std::map<std::string, std::string>& a);

/// The stream workload of the SRT side by side: one 15 kB message every 1/30 s.
constexpr size_t kStreamBytes = 15000;
constexpr uint64_t kStreamPeriodUs = 33333;

/// Moves the calling thread into namespace |netns| (empty = stay).
void enterNetns(const std::string& netns);

}  // namespace rdk::bench
