// One datagram socket and its I/O thread: demultiplexes datagrams to sessions by connection id,
// runs the stateless cookie exchange for new clients (server), drives every session's timers and
// output, and runs the kernel's callbacks. A listener has one endpoint for all its clients; a
// client connection has its own.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cookie.hpp"
#include "datagram_channel.hpp"
#include "impaired_channel.hpp"
#include "rdk/plugin_abi.h"
#include "session.hpp"
#include "udp_options.hpp"

namespace rdk::udp {

/// A session plus what the endpoint needs to call back the kernel for it.
struct SessionEntry {
  std::shared_ptr<Session> session;
  rdk_connection_callbacks callbacks{};  // the kernel's, copied
  std::atomic<bool> callbacksEnabled{false};
  std::atomic<bool> detached{false};
  std::mutex callbackMutex;     // held while this connection's callbacks run
  bool closedReported = false;  // I/O thread only
  std::string peerText;
  // Reassembly refusals already counted (I/O thread only): the session's totals grow.
  uint64_t countedRefusedClaims = 0, countedRefusedDatagrams = 0;
};

class UdpEndpoint : public std::enable_shared_from_this<UdpEndpoint> {
 public:
  static constexpr size_t kMaxSessions = 4096;

  UdpEndpoint(std::unique_ptr<DatagramChannel> channel, const UdpOptions& options,
              const std::string& scheme);
  ~UdpEndpoint();

  /// Server mode: accept clients through |callbacks| (copied).
  void startListening(const rdk_listener_callbacks& callbacks);
  void stopListening();
  /// Client mode: one session towards |server|; blocks until it is established or fails.
  /// |giveUp| (optional) ends the wait early, e.g. when a DTLS handshake has failed.
  std::shared_ptr<SessionEntry> connectTo(const PeerAddress& server, const std::string& peerText,
                                          const std::function<bool()>& giveUp = {});
  void start();

  /// Something changed for a session (send, close): let the I/O thread look soon.
  void wake();
  /// The kernel destroys a connection: after this returns no callback for it runs.
  void detach(const std::shared_ptr<SessionEntry>& entry);
  PeerAddress localAddress() const { return channel_->localAddress(); }
  const std::string& scheme() const { return scheme_; }
  uint64_t garbageDatagrams() const { return garbage_; }
  size_t sessionCount();
  /// Reassembly memory shared by this endpoint's sessions.
  const std::shared_ptr<ReceiveBudget>& receiveBudget() const { return budget_; }
  /// Datagrams dropped (or timer rounds cut short) because memory could not be allocated or a
  /// session threw; the I/O thread carries on.
  uint64_t failures() const { return failures_; }
  /// Where the first failure is reported (e.g. the host's log); stderr when unset. Call before
  /// start().
  void setLogger(std::function<void(const std::string&)> log) { log_ = std::move(log); }
  /// Where refusals are counted by reason (the host's count_refusal). Call before start().
  void setRefusalCounter(std::function<void(const char* reason, uint64_t n)> count) {
    countRefusal_ = std::move(count);
  }

 private:
  void run();
  void handleDatagram(const uint8_t* data, size_t size, const PeerAddress& from, uint64_t nowUs);
  void handleInitial(const Header& h, const uint8_t* body, size_t size, const PeerAddress& from,
                     uint64_t nowUs);
  /// The sessions as of now, copied under the lock so they can be driven without it.
  std::vector<std::shared_ptr<SessionEntry>> sessionsSnapshot();
  void serviceSessions(uint64_t nowUs);
  void dispatchEvents(const std::shared_ptr<SessionEntry>& entry);
  void rememberClosed(uint64_t connId, const PeerAddress& peer, uint64_t nowUs);
  void answerIfRecentlyClosed(uint64_t connId, const PeerAddress& from, size_t size,
                              uint64_t nowUs);
  uint64_t nextWake(uint64_t nowUs);
  /// Counts a failure of the I/O thread; the first one is logged.
  void noteFailure(const std::string& what);
  /// A datagram or peer turned away: counted as garbage and by |reason| for the operator.
  void refuse(const char* reason, uint64_t n = 1);

  std::unique_ptr<DatagramChannel> channel_;
  const UdpOptions options_;
  const std::string scheme_;
  CookieMinter cookies_;
  std::shared_ptr<ReceiveBudget> budget_;
  std::function<void(const std::string&)> log_;
  std::function<void(const char*, uint64_t)> countRefusal_;
  std::atomic<uint64_t> failures_{0};

  std::mutex mutex_;  // sessions_ and listener state
  std::map<uint64_t, std::shared_ptr<SessionEntry>> sessions_;
  struct Closed {
    PeerAddress peer;
    uint64_t expiresUs;
  };
  static constexpr size_t kMaxRecentlyClosed = 1024;
  std::map<uint64_t, Closed> recentlyClosed_;  // connection id -> where and until when to answer
  bool listening_ = false;
  rdk_listener_callbacks listener_{};
  std::atomic<bool> clientMode_{false};
  std::mutex dispatchMutex_;  // held while on_accept runs
  std::condition_variable established_;

  int wakeFd_ = -1;
  int epollFd_ = -1;
  std::atomic<bool> wakePending_{false};
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> garbage_{0};
  std::thread thread_;
};

uint64_t monotonicUs();

}  // namespace rdk::udp
