// One UDP connection's reliability engine, free of sockets and clocks (the caller passes time in
// and sends what produce() returns), so tests can drive two of them through a simulated lossy link.
//
// Threads: send() and close() may be called from any thread (encoder threads at once); the rest
// from the one I/O thread. Events are collected and handed to the I/O thread, which runs the
// kernel's callbacks outside the session lock (a callback may call send()).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "ack_tracker.hpp"
#include "congestion_controller.hpp"
#include "pacer.hpp"
#include "parity.hpp"
#include "peer_address.hpp"
#include "rdk/plugin_abi.h"
#include "reassembler.hpp"
#include "ride_along.hpp"
#include "rtt_estimator.hpp"
#include "send_buffer.hpp"
#include "spaced_copies.hpp"
#include "tail_probe.hpp"
#include "udp_options.hpp"
#include "wire.hpp"

namespace rdk::udp {

struct OutDatagram {
  std::vector<uint8_t> bytes;
  PeerAddress to;
  uint64_t pn = 0;  // 0 for handshake datagrams
};

struct SessionEvent {
  enum class Kind { kData, kLost, kClosed };
  Kind kind = Kind::kData;
  std::vector<uint8_t> data;
  uint64_t packetId = 0;
  bool superseded = false;
  rdk_status status = RDK_OK;
  std::string reason;
};

enum class SendResult { kOk, kAgain, kClosed };

class Session {
 public:
  /// |budget|: reassembly memory shared with the endpoint's other sessions (none: this
  /// session's own limits only). A client session trusts its server from the start; a server
  /// session holds at most options.receiveBufferUntrustedBytes until trusted (see trusted()).
  Session(uint64_t connId, bool client, const UdpOptions& options, const PeerAddress& peer,
          uint64_t nowUs, uint64_t seed, std::shared_ptr<ReceiveBudget> budget = nullptr);

  // --- any thread ---
  SendResult send(const rdk_bytes* iov, size_t count, MessageClass cls, uint64_t supersedeKey,
                  uint64_t packetId, uint64_t nowUs);
  /// Orderly close: queued reliable data is flushed (up to 2 s), then a CLOSE goes out.
  void close(const std::string& reason, uint64_t nowUs);
  /// Ends at once (no flush), still telling the peer with CLOSE datagrams.
  void abort(const std::string& reason);
  rdk_transport_stats stats();
  bool established();
  bool closed();
  PeerAddress peer();

  // --- the I/O thread ---
  /// A datagram of this connection (header already parsed) from |from|.
  void onDatagram(const Header& h, const uint8_t* body, size_t size, const PeerAddress& from,
                  uint64_t nowUs);
  /// Server: the client repeated its INITIAL (our ACCEPT was lost).
  void onRepeatedInitial();
  /// Server: the features the client's INITIAL announced (initialFeatures()).
  void setPeerFeatures(uint32_t features);
  uint32_t peerFeatures();
  /// What this side announces: kFeatureReedSolomon unless fec_parity is -1.
  uint32_t localFeatures() const;
  /// Appends up to |max| datagrams that may leave now.
  void produce(uint64_t nowUs, std::vector<OutDatagram>& out, size_t max);
  /// The socket refused datagram |pn| as too big (EMSGSIZE); |pathMtu| is the kernel's view or 0.
  void onDatagramTooBig(uint64_t pn, size_t pathMtu, uint64_t nowUs);
  /// The next time produce() has something to do.
  uint64_t nextWakeUs(uint64_t nowUs);
  void takeEvents(std::vector<SessionEvent>& out);
  bool hasEvents();
  uint64_t connId() const { return connId_; }
  size_t mtu();
  /// Forward error correction counters: parity datagrams sent, fragments rebuilt from parity.
  uint64_t parityDatagramsSent();
  uint64_t fragmentsRecovered();
  /// PINGs sent after a datagram that ended a burst of resends or a large screen update.
  uint64_t tailProbesSent();
  /// Copies of small reliable messages that rode in datagrams going out anyway.
  uint64_t ridesSent();
  /// Mean run of consecutive lost datagrams this side measures (1 for random loss).
  double lossBurst();
  /// A server session trusts its peer with the full receive buffer once the peer's first message
  /// was delivered and then the kernel sent a reliable message of at least kTrustReplyBytes (a
  /// server hello is 0.7-0.9 kB; a challenge ~120 B, a ping ~40 B, a disconnect a few hundred at
  /// most) or any droppable one (pixels go to authenticated clients only), or the session has
  /// lived kTrustAfterUs (beyond the kernel's authentication timeout, 60 s by default, a peer still
  /// there has passed it). Until then it may hold options.receiveBufferUntrustedBytes.
  static constexpr uint64_t kTrustReplyBytes = 512;
  static constexpr uint64_t kTrustAfterUs = 90000000;
  bool trusted();
  /// Bytes held in reassembly now.
  size_t reassemblyBytes();
  /// Messages refused at their first fragment (claim above what the connection may hold) and
  /// datagrams refused for want of reassembly room.
  uint64_t refusedClaims();
  uint64_t refusedDatagrams();
  /// Datagrams dropped, or sessions ended, because memory could not be allocated.
  uint64_t allocationFailures();

 private:
  struct SentPacket {
    uint64_t sentUs = 0;
    uint32_t bytes = 0;
    bool ackEliciting = false;
    size_t mtuProbeSize = 0;  // non-zero for a path MTU probe
    uint64_t prevPn = 0;      // the ack-eliciting datagram sent before this one (burst runs)
    std::vector<Chunk> chunks;
  };
  struct Round {
    uint64_t startUs = 0;
    uint64_t endPn = 0;
    RoundSample sample;
    uint64_t lastLostPn = 0;
    uint32_t run = 0;
  };

  // receive path (session.cpp)
  void processFrames(const DataFrames& f, uint64_t nowUs);
  void maybeTrust(uint64_t nowUs);
  void onAck(const AckFrame& a, uint64_t nowUs);
  void onPacketAcked(uint64_t pn, SentPacket& p, uint64_t nowUs);
  void onPacketLost(uint64_t pn, SentPacket& p, uint64_t nowUs);
  void detectLosses(uint64_t nowUs);
  void endRoundIfDue(uint64_t largestAcked, uint64_t nowUs);
  void closeLocked(rdk_status status, const std::string& reason, bool sendClose);
  bool migrationAllowed(uint64_t nowUs) const;

  // send path (session_output.cpp)
  void runTimers(uint64_t nowUs);
  uint64_t ptoUs() const;
  uint64_t droppableDeadlineUs() const;
  std::vector<uint8_t> startDatagram(uint64_t pn, bool withAck, uint64_t nowUs,
                                     bool withDelivered = true);
  void finishDatagram(OutDatagram&& d, SentPacket&& p, uint64_t nowUs,
                      std::vector<OutDatagram>& out);
  bool buildData(uint64_t nowUs, std::vector<OutDatagram>& out);
  /// Whether a datagram with this chunk from the send buffer ends a burst worth a tail probe.
  bool wantsTailProbe(const Chunk& c) const;
  void buildProbe(uint64_t nowUs, std::vector<OutDatagram>& out);
  void buildPing(uint64_t nowUs, std::vector<OutDatagram>& out, size_t padTo);
  void buildAckOnly(uint64_t nowUs, std::vector<OutDatagram>& out);
  void buildParity(uint64_t nowUs, std::vector<OutDatagram>& out);
  size_t parityGroupSize() const;
  /// Turns Reed-Solomon on when the peer announced it (XOR parity otherwise).
  void configureParity();
  size_t parityCount(size_t k, bool strong) const;
  double lossBurstLocked() const;
  double fecLossLocked() const;
  /// Whether small reliable messages get a spaced copy at their first send (loss was measured).
  bool copySmallMessagesLocked() const;
  /// How old a small message must be before it rides (0 where loss was measured).
  uint64_t rideAfterUsLocked() const;
  /// Whether a rider found no datagram to ride in for too long and goes in one of its own.
  bool ridersDueLocked(uint64_t nowUs) const;
  /// Appends the riders due to a datagram under construction (p becomes ack-eliciting if any).
  void addRiders(uint64_t nowUs, std::vector<uint8_t>& bytes, SentPacket& p);
  /// 1% loss or a loss burst measured (or assumed: the first 30 datagrams count as 5% lost).
  bool lossMeasuredLocked() const;

  std::mutex mutex_;
  const uint64_t connId_;
  const bool client_;
  const UdpOptions options_;
  PeerAddress peer_;
  std::mt19937_64 rng_;

  enum class State { kHandshake, kEstablished, kClosing, kClosed } state_;
  std::vector<uint8_t> retryToken_;
  uint64_t handshakeStartUs_ = 0, handshakeNextUs_ = 0, handshakeIntervalUs_ = 200000;
  uint64_t handshakeLastSentUs_ = 0;
  bool acceptPending_ = false;
  uint64_t establishedUs_ = 0;
  std::string closeReason_;
  uint64_t closeDeadlineUs_ = 0;
  int closeFramesPending_ = 0;

  SendBuffer sendBuffer_;
  Reassembler reassembler_;
  ParityEncoder parity_;
  std::vector<PendingParity> parityReady_;
  AckTracker acks_;
  RttEstimator rtt_;
  DelayLossController controller_;
  Pacer pacer_;
  std::map<uint64_t, SentPacket> sent_;
  uint64_t nextPn_ = 1;
  uint64_t largestAcked_ = 0;
  bool anyAcked_ = false;
  uint64_t bytesInFlight_ = 0;
  uint32_t ackElicitingInFlight_ = 0;
  uint64_t lastAckElicitingSentUs_ = 0;
  uint64_t lastReceiveUs_ = 0;
  uint32_t ptoCount_ = 0;
  uint64_t ptoBaseUs_ = 0;  // when the current PTO period started
  int probesPending_ = 0;
  TailProbe tailProbe_;
  uint64_t tailProbesSent_ = 0;
  Round round_;

  size_t mtu_, mtuLo_, mtuHi_;
  bool mtuProbeInFlight_ = false;
  uint64_t nextMtuProbeUs_ = 0;
  int mtuProbeFailures_ = 0;

  // Path validation (roaming, only when allowed).
  PeerAddress candidate_;
  bool candidateActive_ = false;
  uint64_t candidateToken_ = 0;
  uint64_t candidateBytesIn_ = 0, candidateBytesOut_ = 0;
  bool challengePending_ = false;
  bool responsePending_ = false;
  uint64_t responseToken_ = 0;
  uint64_t dataReceivedFragments_ = 0;
  uint64_t parityDatagramsSent_ = 0;
  uint64_t messagesDelivered_ = 0;
  bool answered_ = false;  // the kernel answered the first message as it answers a trusted peer
  uint64_t allocationFailures_ = 0;

  // Small reliable messages go twice, the second copy spaced past a loss burst: when measured
  // loss is on, at their first send; always when one was lost (its resend and a copy).
  SpacedCopies copies_;
  // The smallest reliable messages also ride in datagrams going out anyway until acknowledged:
  // at once where loss was measured, else once overdue.
  RideAlong riders_;
  uint64_t ridesSent_ = 0;
  std::vector<SessionEvent> events_;
  rdk_transport_stats stats_{};
  uint64_t datagramsLost_ = 0;
  // Reed-Solomon: the peer's announced features; burst measurement (lost datagrams, and those
  // whose previous datagram was lost too); the running mean droppable size (key-frame guess).
  uint32_t peerFeatures_ = 0;
  uint64_t lastAckElicitingPn_ = 0;
  uint64_t lastLostPn_ = 0;
  double ackedCount_ = 0, lostCount_ = 0, lostAfterLost_ = 0;
  double meanDroppableBytes_ = 0;
  // Droppable messages we completed with parity, to tell a Reed-Solomon peer (DELIVERED frames)
  // so it stops resending the fragments we rebuilt. Bounded: the oldest go first.
  std::vector<uint64_t> deliveredPending_;
  static constexpr size_t kMaxDeliveredPending = 256;
};

}  // namespace rdk::udp
