// Memory held in reassembly by every session of one endpoint (a listener and all the connections
// it accepted, or one client connection), with a smaller share for sessions that are not trusted
// yet (no complete exchange with the kernel). A session takes bytes before it stores them and gives
// them back when it delivers or drops a message, so the sum over all sessions never exceeds the
// limits. Lock-free: sessions are driven by one I/O thread, but are destroyed from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace rdk::udp {

class ReceiveBudget {
 public:
  ReceiveBudget(size_t totalBytes, size_t untrustedBytes)
      : total_(totalBytes), untrustedLimit_(untrustedBytes) {}

  /// Takes |bytes| from the total, and from the untrusted share when |untrusted|; false (nothing
  /// taken, a refusal counted) when either would go over its limit.
  bool tryTake(size_t bytes, bool untrusted) {
    if (bytes == 0)
      return true;
    if (untrusted && !take(untrusted_, bytes, untrustedLimit_)) {
      refusals_++;
      return false;
    }
    if (!take(held_, bytes, total_)) {
      if (untrusted)
        untrusted_ -= bytes;
      refusals_++;
      return false;
    }
    return true;
  }
  /// Takes without a limit (accounting of bytes already held must stay exact).
  void force(size_t bytes, bool untrusted) {
    held_ += bytes;
    if (untrusted)
      untrusted_ += bytes;
  }
  void give(size_t bytes, bool untrusted) {
    held_ -= bytes;
    if (untrusted)
      untrusted_ -= bytes;
  }
  /// A session became trusted: the |bytes| it holds leave the untrusted share.
  void promote(size_t bytes) { untrusted_ -= bytes; }

  size_t held() const { return held_; }
  size_t untrustedHeld() const { return untrusted_; }
  size_t totalLimit() const { return total_; }
  size_t untrustedLimit() const { return untrustedLimit_; }
  uint64_t refusals() const { return refusals_; }

 private:
  static bool take(std::atomic<size_t>& counter, size_t bytes, size_t limit) {
    size_t now = counter.load(std::memory_order_relaxed);
    do {
      if (bytes > limit || now > limit - bytes)
        return false;
    } while (!counter.compare_exchange_weak(now, now + bytes, std::memory_order_relaxed));
    return true;
  }

  const size_t total_, untrustedLimit_;
  std::atomic<size_t> held_{0}, untrusted_{0};
  std::atomic<uint64_t> refusals_{0};
};

}  // namespace rdk::udp
