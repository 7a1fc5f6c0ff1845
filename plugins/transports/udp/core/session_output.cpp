// The sending half of Session: timers, loss probes, pacing and datagram assembly.
#include <algorithm>

#include "elapsed.hpp"
#include "fec_policy.hpp"
#include "session.hpp"

namespace rdk::udp {

namespace {
constexpr uint64_t kKeepaliveUs = 1000000;
constexpr uint64_t kPartialDroppableMaxAgeUs = 3000000;
constexpr size_t kMinFragmentPayload = 16;
}  // namespace

uint64_t Session::ptoUs() const {
  const uint64_t base =
      rtt_.srttUs() + std::max<uint64_t>(4 * rtt_.rttvarUs(), 1000) + options_.maxAckDelayUs;
  // Back-off of 1.5x per expiry (KCP's nodelay lesson) with a cap, not TCP's doubling.
  double t = static_cast<double>(base);
  for (uint32_t i = 0; i < ptoCount_ && t < 1e9; ++i)
    t *= 1.5;
  return std::min<uint64_t>(static_cast<uint64_t>(t), std::max(options_.maxPtoUs, base));
}

uint64_t Session::droppableDeadlineUs() const {
  if (options_.droppableDeadlineUs)
    return options_.droppableDeadlineUs;
  return std::min<uint64_t>(4 * rtt_.srttUs() + 100000, 1000000);
}

void Session::runTimers(uint64_t nowUs) {
  if (state_ == State::kHandshake) {
    if (elapsedUs(nowUs, handshakeStartUs_) > options_.connectTimeoutUs) {
      closeLocked(RDK_E_TIMEOUT, "no answer from the server", false);
    }
    return;
  }
  if (state_ == State::kClosed)
    return;
  maybeTrust(nowUs);
  if (elapsedUs(nowUs, lastReceiveUs_) > options_.idleTimeoutUs) {
    closeLocked(
        RDK_E_TIMEOUT,
        "peer stopped answering for " + std::to_string(options_.idleTimeoutUs / 1000000) + " s",
        false);
    return;
  }
  if (sendBuffer_.oldestReliableAgeUs(nowUs) > options_.idleTimeoutUs) {
    closeLocked(
        RDK_E_TIMEOUT,
        "peer stopped acknowledging for " + std::to_string(options_.idleTimeoutUs / 1000000) + " s",
        false);
    return;
  }
  if (state_ == State::kClosing) {
    if (sendBuffer_.oldestReliableAgeUs(nowUs) == 0 || nowUs >= closeDeadlineUs_) {
      closeLocked(RDK_OK, closeReason_, true);
      return;
    }
  }
  std::vector<LostNotice> lost;
  sendBuffer_.expireDroppable(nowUs, droppableDeadlineUs(), lost);
  for (auto& l : lost) {
    SessionEvent e;
    e.kind = SessionEvent::Kind::kLost;
    e.packetId = l.packetId;
    events_.push_back(std::move(e));
    stats_.dropped_lost++;
  }
  reassembler_.expire(nowUs, kPartialDroppableMaxAgeUs);
  detectLosses(nowUs);
  if (ackElicitingInFlight_ > 0 && nowUs >= ptoBaseUs_ + ptoUs()) {
    ptoCount_++;
    ptoBaseUs_ = nowUs;
    probesPending_ = 2;  // two probes, as QUIC, so one loss does not wait another timeout
  }
}

std::vector<uint8_t> Session::startDatagram(uint64_t pn, bool withAck, uint64_t nowUs,
                                            bool withDelivered) {
  std::vector<uint8_t> b;
  b.reserve(mtu_);
  writeHeader(b, {DatagramType::kData, connId_, pn});
  if (withAck) {
    if (auto a = acks_.build(nowUs))
      writeAck(b, *a);
  }
  if (responsePending_) {
    writePath(b, FrameType::kPathResponse, responseToken_);
    responsePending_ = false;
  }
  // At most a quarter of the datagram: the rest is for data.
  while (withDelivered && !deliveredPending_.empty()) {
    const size_t n = std::min(deliveredPending_.size(), kMaxDelivered);
    if (b.size() + deliveredFrameSize(n) > mtu_ / 4 + kHeaderSize)
      break;
    writeDelivered(b, deliveredPending_.data(), n);
    deliveredPending_.erase(deliveredPending_.begin(), deliveredPending_.begin() + n);
  }
  return b;
}

void Session::finishDatagram(OutDatagram&& d, SentPacket&& p, uint64_t nowUs,
                             std::vector<OutDatagram>& out) {
  p.sentUs = nowUs;
  p.bytes = static_cast<uint32_t>(d.bytes.size());
  stats_.datagrams_sent++;
  stats_.wire_bytes_sent += d.bytes.size();
  if (p.chunks.empty())
    stats_.control_datagrams_sent++;
  if (p.ackEliciting) {
    p.prevPn = lastAckElicitingPn_;
    lastAckElicitingPn_ = d.pn;
    if (ackElicitingInFlight_ == 0)
      ptoBaseUs_ = nowUs;
    ackElicitingInFlight_++;
    round_.sample.sentPackets++;
    lastAckElicitingSentUs_ = nowUs;
    bytesInFlight_ += p.bytes;
    sent_.emplace(d.pn, std::move(p));
  }
  pacer_.onSent(nowUs, d.bytes.size());
  out.push_back(std::move(d));
}

bool Session::buildData(uint64_t nowUs, std::vector<OutDatagram>& out) {
  OutDatagram d;
  d.pn = nextPn_++;
  d.to = peer_;
  // A resend goes in one piece where it can (SendBuffer::next): a lost fragment's bytes filled a
  // datagram that had no ack frame, so the ack (and DELIVERED news) wait for a datagram they
  // leave room in (10% loss, simulated: 97.2% -> 98.0% of updates by the deadline, wire overhead
  // 21.2% -> 19.9%).
  const size_t freshRoom = mtu_ - kHeaderSize - kFragmentOverhead;
  const size_t leadingResend = sendBuffer_.leadingResendBytes();
  const bool resendFills = leadingResend > 0 && leadingResend + acks_.maxFrameSize() > freshRoom;
  d.bytes = startDatagram(d.pn, acks_.hasNewInfo(nowUs) && !resendFills, nowUs, !resendFills);
  SentPacket p;
  p.ackEliciting = true;
  // Copies of small reliable messages that fell due go first (their first copies left a burst
  // ago).
  while (d.bytes.size() + kFragmentOverhead < mtu_) {
    auto c = copies_.takeDue(nowUs, mtu_ - d.bytes.size() - kFragmentOverhead);
    if (!c)
      break;
    writeFragment(d.bytes, c->msg->cls, c->msg->seq, static_cast<uint32_t>(c->msg->data.size()),
                  c->offset, c->msg->data.data() + c->offset, c->length);
    stats_.retransmissions++;
    p.chunks.push_back(std::move(*c));
  }
  // Not beside a resend that fills the datagram: it would be cut or put off (see above).
  if (!resendFills)
    addRiders(nowUs, d.bytes, p);
  bool probe = false;
  const bool copyNew = copySmallMessagesLocked();
  const bool secondCopy = copyNew && lossBurstLocked() >= SpacedCopies::kBurstForSecondCopy;
  // Pack as many fragments as fit: small control messages share a datagram. With parity on, a
  // droppable fragment leaves room for the parity frame's slot list in a datagram of its own.
  const size_t parityFrame = parity_.reedSolomon() ? fecFrameSize(parity_.groupSize(), 0)
                                                   : parityFrameSize(parity_.groupSize(), 0);
  const size_t parityRoom = parity_.groupSize() ? mtu_ - kHeaderSize - parityFrame : SIZE_MAX;
  while (d.bytes.size() + kFragmentOverhead + kMinFragmentPayload <= mtu_) {
    const size_t room = mtu_ - d.bytes.size() - kFragmentOverhead;
    Chunk c = sendBuffer_.next(room, parityRoom, p.chunks.empty() ? 0 : freshRoom);
    if (!c.msg)
      break;
    writeFragment(d.bytes, c.msg->cls, c.msg->seq, static_cast<uint32_t>(c.msg->data.size()),
                  c.offset, c.msg->data.data() + c.offset, c.length);
    const bool cut = c.msg->cls == MessageClass::kDroppable &&
                     uint64_t(c.offset) + c.length < c.msg->data.size();
    if (!c.resend)
      copies_.earn(c.length, nowUs);
    if (options_.smallMessageRides && RideAlong::wants(c))
      riders_.track(c, nowUs, rtt_.srttUs());
    if (copyNew && !c.resend && SpacedCopies::wants(c) && copies_.spend(c.length)) {
      const uint64_t spacing = SpacedCopies::spacingUs(rtt_.srttUs());
      copies_.schedule(c, nowUs + spacing);
      if (secondCopy && copies_.spend(c.length))
        copies_.schedule(c, nowUs + 2 * spacing, true);
    }
    if (c.msg->cls == MessageClass::kDroppable && !c.resend) {
      parity_.onFirstSend(c.msg->seq, static_cast<uint32_t>(c.msg->data.size()), c.offset,
                          c.msg->data.data() + c.offset, c.length, c.msg->strong);
    }
    // Copies (taken above) are not counted: they are the redundancy already.
    probe = probe || wantsTailProbe(c);
    p.chunks.push_back(std::move(c));
    // With parity on, a droppable fragment cut short for the parity frame's room ends the
    // datagram: a sliver of the same message in the rest would put two slots of one group in
    // one datagram, and losing it would cost two parities (XOR could then rebuild neither).
    if (cut && parity_.groupSize())
      break;
  }
  if (p.chunks.empty()) {
    nextPn_--;  // nothing to send after all (everything pending was finished meanwhile)
    return false;
  }
  const uint64_t pn = d.pn;
  finishDatagram(std::move(d), std::move(p), nowUs, out);
  if (probe)
    tailProbe_.arm(pn, nowUs, rtt_.srttUs());
  return true;
}

bool Session::wantsTailProbe(const Chunk& c) const {
  if (!options_.tailProbes)
    return false;
  if (c.resend)
    return true;
  // Loss was measured (not the 5% assumed at the start, when no datagram can be spared for it).
  return c.msg->cls == MessageClass::kDroppable &&
         uint64_t(c.offset) + c.length == c.msg->data.size() &&
         c.msg->data.size() >= TailProbe::kMinUpdateDatagrams * mtu_ &&
         ackedCount_ + lostCount_ >= 30 && lossMeasuredLocked();
}

void Session::buildProbe(uint64_t nowUs, std::vector<OutDatagram>& out) {
  // Tail-loss probe: resend the first unacknowledged bytes of the oldest message, so that the
  // ack it elicits lets the thresholds declare what was really lost.
  auto m = sendBuffer_.oldestUnacked();
  if (!m || m->data.empty()) {
    buildPing(nowUs, out, 0);
    return;
  }
  RangeSet missing;
  missing.add(0, m->data.size());
  for (auto& [b, e] : m->acked.map())
    missing.remove(b, e);
  if (missing.empty()) {
    buildPing(nowUs, out, 0);
    return;
  }
  OutDatagram d;
  d.pn = nextPn_++;
  d.to = peer_;
  d.bytes = startDatagram(d.pn, acks_.hasNewInfo(nowUs), nowUs);
  const auto first = *missing.map().begin();
  const size_t room = mtu_ - d.bytes.size() - kFragmentOverhead;
  const auto len =
      static_cast<uint16_t>(std::min<uint64_t>({first.second - first.first, room, 65535}));
  writeFragment(d.bytes, m->cls, m->seq, static_cast<uint32_t>(m->data.size()),
                static_cast<uint32_t>(first.first), m->data.data() + first.first, len);
  SentPacket p;
  p.ackEliciting = true;
  p.chunks.push_back(Chunk{m, static_cast<uint32_t>(first.first), len});
  stats_.retransmissions++;
  finishDatagram(std::move(d), std::move(p), nowUs, out);
}

size_t Session::parityGroupSize() const {
  if (options_.fecGroup != 0)
    return options_.fecGroup < 0 ? 0 : static_cast<size_t>(options_.fecGroup);
  if (parity_.reedSolomon()) {
    // Whole updates as one group (up to 16 fragments): the parities then cover any holes in it.
    // Off while no loss is measured unless a fixed parity count asks for it.
    return options_.fecParity > 0 || fecLossLocked() >= 0.005 ? kMaxParitySlots : 0;
  }
  // By the loss this side measures on what it sends. Steady random loss costs a droppable update
  // of n fragments a repair round trip with probability 1-(1-p)^n; a parity per g fragments
  // makes that 1-P(at most one of g+1 lost) per group, for 1/g more bytes.
  const uint32_t loss = controller_.lossPermille();
  if (loss >= 150)
    return 2;
  if (loss >= 50)
    return 4;
  if (loss >= 10)
    return 8;
  return 0;
}

void Session::configureParity() {
  const bool rs = options_.fecParity >= 0 && (peerFeatures_ & kFeatureReedSolomon);
  if (rs != parity_.reedSolomon()) {
    parity_.setReedSolomon(
        rs ? ParityCountFn([this](size_t k, bool strong) { return parityCount(k, strong); })
           : ParityCountFn());
  }
  if (const size_t group = parityGroupSize(); group != parity_.groupSize())
    parity_.setGroupSize(group);
}

size_t Session::parityCount(size_t k, bool strong) const {
  if (options_.fecParity > 0)
    return static_cast<size_t>(options_.fecParity);
  FecConditions c;
  c.loss = fecLossLocked();
  c.burst = lossBurstLocked();
  c.srttUs = rtt_.srttUs();
  c.repairRttUs = options_.fecRepairRttUs;
  c.maxParityShare = options_.fecMaxParityShare;
  // A fixed fec_group asks for parity on every group, as it did with XOR.
  return std::max<size_t>(options_.fecGroup > 0 ? 1 : 0, rsParityCount(k, c, strong));
}

void Session::buildParity(uint64_t nowUs, std::vector<OutDatagram>& out) {
  // Not ack-eliciting and never resent: a lost parity costs nothing but its bytes.
  PendingParity pp = std::move(parityReady_.back());
  parityReady_.pop_back();
  OutDatagram d;
  d.pn = nextPn_++;
  d.to = peer_;
  // No DELIVERED news either: the group's fragments were cut to leave room for this frame only.
  d.bytes = startDatagram(d.pn, false, nowUs, false);
  const size_t frame = pp.count ? fecFrameSize(pp.slots.size(), pp.data.size())
                                : parityFrameSize(pp.slots.size(), pp.data.size());
  if (d.bytes.size() + frame > mtu_)
    return;  // the path MTU shrank since the group was cut: the resend path covers it
  if (pp.count) {
    writeFec(d.bytes, pp.seq, pp.total, pp.slots, pp.count, pp.index, pp.data.data(),
             static_cast<uint16_t>(pp.data.size()));
  } else {
    writeParity(d.bytes, pp.seq, pp.total, pp.slots, pp.data.data(),
                static_cast<uint16_t>(pp.data.size()));
  }
  stats_.datagrams_sent++;
  stats_.wire_bytes_sent += d.bytes.size();
  parityDatagramsSent_++;
  pacer_.onSent(nowUs, d.bytes.size());
  out.push_back(std::move(d));
}

void Session::buildPing(uint64_t nowUs, std::vector<OutDatagram>& out, size_t padTo) {
  OutDatagram d;
  d.pn = nextPn_++;
  d.to = peer_;
  d.bytes = startDatagram(d.pn, padTo == 0 && acks_.hasNewInfo(nowUs), nowUs);
  d.bytes.push_back(static_cast<uint8_t>(FrameType::kPing));
  SentPacket p;
  p.ackEliciting = true;
  if (padTo == 0)
    addRiders(nowUs, d.bytes, p);
  if (padTo > d.bytes.size()) {
    d.bytes.resize(padTo, 0);  // PAD frames
    p.mtuProbeSize = padTo;
  }
  finishDatagram(std::move(d), std::move(p), nowUs, out);
}

void Session::buildAckOnly(uint64_t nowUs, std::vector<OutDatagram>& out) {
  OutDatagram d;
  d.pn = nextPn_++;
  d.to = peer_;
  d.bytes = startDatagram(d.pn, true, nowUs);
  SentPacket p;
  // Riders make the ack count against the window and the pacer like data: only where they allow.
  if (bytesInFlight_ + d.bytes.size() + RideAlong::kMaxBytesPerDatagram <=
          controller_.windowBytes(rtt_.srttUs()) &&
      pacer_.canSend(nowUs, mtu_))
    addRiders(nowUs, d.bytes, p);
  finishDatagram(std::move(d), std::move(p), nowUs, out);
}

uint64_t Session::rideAfterUsLocked() const {
  // Where loss was measured, at once; else once the message is overdue (its ack should have come:
  // the probe timeout's base, per message and not reset by other acks).
  if (copySmallMessagesLocked())
    return 0;
  return rtt_.srttUs() + std::max<uint64_t>(4 * rtt_.rttvarUs(), 1000) + options_.maxAckDelayUs;
}

bool Session::ridersDueLocked(uint64_t nowUs) const {
  return options_.smallMessageRides && riders_.nextOwnDatagramUs(rideAfterUsLocked()) <= nowUs;
}

void Session::addRiders(uint64_t nowUs, std::vector<uint8_t>& bytes, SentPacket& p) {
  if (bytes.size() + kFragmentOverhead >= mtu_ || !options_.smallMessageRides)
    return;
  for (auto& c : riders_.take(nowUs, mtu_ - bytes.size(), kFragmentOverhead, rideAfterUsLocked())) {
    // A spaced copy of the same message already in this datagram does the ride's work.
    if (std::any_of(p.chunks.begin(), p.chunks.end(),
                    [&](const Chunk& in) { return in.msg == c.msg; }))
      continue;
    writeFragment(bytes, c.msg->cls, c.msg->seq, static_cast<uint32_t>(c.msg->data.size()),
                  c.offset, c.msg->data.data() + c.offset, c.length);
    stats_.retransmissions++;
    ridesSent_++;
    p.ackEliciting = true;
    p.chunks.push_back(std::move(c));
  }
}

void Session::produce(uint64_t nowUs, std::vector<OutDatagram>& out, size_t max) {
  std::lock_guard<std::mutex> lock(mutex_);
  runTimers(nowUs);
  if (state_ == State::kClosed) {
    while (closeFramesPending_ > 0 && out.size() < max) {
      closeFramesPending_--;
      OutDatagram d;
      d.pn = nextPn_++;
      d.to = peer_;
      writeHeader(d.bytes, {DatagramType::kData, connId_, d.pn});
      writeClose(d.bytes, closeReason_);
      stats_.datagrams_sent++;
      stats_.control_datagrams_sent++;
      out.push_back(std::move(d));
    }
    return;
  }
  if (state_ == State::kHandshake) {
    if (nowUs >= handshakeNextUs_ && out.size() < max) {
      OutDatagram d;
      d.to = peer_;
      d.bytes = makeInitial(connId_, retryToken_, localFeatures());
      handshakeLastSentUs_ = nowUs;
      handshakeNextUs_ = nowUs + handshakeIntervalUs_;
      handshakeIntervalUs_ = std::min<uint64_t>(handshakeIntervalUs_ * 3 / 2, 1000000);
      stats_.datagrams_sent++;
      stats_.control_datagrams_sent++;
      out.push_back(std::move(d));
    }
    return;
  }
  if (acceptPending_ && out.size() < max) {
    acceptPending_ = false;
    OutDatagram d;
    d.to = peer_;
    d.bytes = makeAccept(connId_, localFeatures());
    stats_.datagrams_sent++;
    stats_.control_datagrams_sent++;
    out.push_back(std::move(d));
  }
  if (challengePending_ && candidateActive_ && out.size() < max) {
    challengePending_ = false;
    OutDatagram d;
    d.pn = nextPn_++;
    d.to = candidate_;
    writeHeader(d.bytes, {DatagramType::kData, connId_, d.pn});
    writePath(d.bytes, FrameType::kPathChallenge, candidateToken_);
    // Never more than 3x what the unvalidated address sent us (anti-amplification).
    if (candidateBytesOut_ + d.bytes.size() <= 3 * candidateBytesIn_) {
      candidateBytesOut_ += d.bytes.size();
      stats_.datagrams_sent++;
      stats_.control_datagrams_sent++;
      out.push_back(std::move(d));
    }
  }
  pacer_.configure(controller_.pacingRateBytesPerS() * 5 / 4, mtu_);
  while (probesPending_ > 0 && out.size() < max) {
    probesPending_--;
    buildProbe(nowUs, out);
  }
  const uint64_t window = controller_.windowBytes(rtt_.srttUs());
  configureParity();
  while (out.size() < max &&
         (sendBuffer_.hasPending() || copies_.anyDue(nowUs) || ridersDueLocked(nowUs))) {
    if (bytesInFlight_ + mtu_ > window || !pacer_.canSend(nowUs, mtu_)) {
      round_.sample.limitedByController = true;
      break;
    }
    if (!buildData(nowUs, out))
      break;
    // A group's parity follows its last fragment at once: it is worth most before the receiver
    // notices a hole.
    for (auto& pp : parity_.takeReady())
      parityReady_.push_back(std::move(pp));
    while (!parityReady_.empty() && out.size() < max)
      buildParity(nowUs, out);
  }
  while (!parityReady_.empty() && out.size() < max)
    buildParity(nowUs, out);
  if (out.size() < max && mtuHi_ >= mtuLo_ + 16 && !mtuProbeInFlight_ && rtt_.hasSample() &&
      nowUs >= nextMtuProbeUs_ && mtuProbeFailures_ < 8) {
    // First try the top of the range (the usual answer), then bisect.
    const size_t candidate = mtuProbeFailures_ == 0 ? mtuHi_ : (mtuLo_ + mtuHi_ + 1) / 2;
    mtuProbeInFlight_ = true;
    nextMtuProbeUs_ = nowUs + 1000000;
    buildPing(nowUs, out, candidate);
  }
  if (out.size() < max) {
    const auto after = tailProbe_.takeDue(nowUs);
    // Only an idle tail: bytes waiting for the pacer or the window, or a spaced copy waiting
    // for its time, follow soon and do the probe's work.
    if (after && lastAckElicitingPn_ == *after && sent_.count(*after) &&
        !sendBuffer_.hasPending() && copies_.nextDueUs() == UINT64_MAX) {
      buildPing(nowUs, out, 0);
      tailProbesSent_++;
    }
  }
  if (out.size() < max && elapsedUs(nowUs, lastAckElicitingSentUs_) >= kKeepaliveUs) {
    buildPing(nowUs, out, 0);
  }
  if (out.size() < max &&
      (acks_.dueUs() <= nowUs || responsePending_ || !deliveredPending_.empty())) {
    buildAckOnly(nowUs, out);
  }
}

uint64_t Session::nextWakeUs(uint64_t nowUs) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_ == State::kClosed)
    return closeFramesPending_ ? nowUs : UINT64_MAX;
  if (state_ == State::kHandshake) {
    return std::min(handshakeNextUs_, handshakeStartUs_ + options_.connectTimeoutUs + 1);
  }
  uint64_t t = lastReceiveUs_ + options_.idleTimeoutUs + 1;
  if (acceptPending_ || probesPending_ || challengePending_ || responsePending_ ||
      !parityReady_.empty() || !deliveredPending_.empty())
    return nowUs;
  t = std::min(t, acks_.dueUs());
  t = std::min(t, tailProbe_.dueUs());
  t = std::min(t, lastAckElicitingSentUs_ + kKeepaliveUs);
  if (ackElicitingInFlight_ > 0)
    t = std::min(t, ptoBaseUs_ + ptoUs());
  if (bytesInFlight_ + mtu_ <= controller_.windowBytes(rtt_.srttUs())) {
    if (sendBuffer_.hasPending())
      t = std::min(t, pacer_.nextSendUs(nowUs, mtu_));
    if (const uint64_t copyUs = copies_.nextDueUs(); copyUs != UINT64_MAX)
      t = std::min(t, std::max(copyUs, pacer_.nextSendUs(nowUs, mtu_)));
    if (options_.smallMessageRides) {
      const uint64_t rideUs = riders_.nextOwnDatagramUs(rideAfterUsLocked());
      if (rideUs != UINT64_MAX)
        t = std::min(t, std::max(rideUs, pacer_.nextSendUs(nowUs, mtu_)));
    }
  }
  if (!sent_.empty() && anyAcked_ && sent_.begin()->first < largestAcked_) {
    const uint64_t lossDelay =
        std::max<uint64_t>(9 * std::max(rtt_.srttUs(), rtt_.latestUs()) / 8, 1000);
    t = std::min(t, sent_.begin()->second.sentUs + lossDelay);
  }
  if (sendBuffer_.messages() > 0)
    t = std::min(t, nowUs + 20000);  // droppable deadlines
  if (state_ == State::kClosing)
    t = std::min(t, nowUs + 10000);
  if (mtuHi_ >= mtuLo_ + 16 && !mtuProbeInFlight_ && rtt_.hasSample() && mtuProbeFailures_ < 8) {
    t = std::min(t, nextMtuProbeUs_);
  }
  return std::max(t, nowUs);
}

uint64_t Session::parityDatagramsSent() {
  std::lock_guard<std::mutex> lock(mutex_);
  return parityDatagramsSent_;
}

uint64_t Session::tailProbesSent() {
  std::lock_guard<std::mutex> lock(mutex_);
  return tailProbesSent_;
}

uint64_t Session::ridesSent() {
  std::lock_guard<std::mutex> lock(mutex_);
  return ridesSent_;
}

uint64_t Session::fragmentsRecovered() {
  std::lock_guard<std::mutex> lock(mutex_);
  return reassembler_.recovered();
}

rdk_transport_stats Session::stats() {
  std::lock_guard<std::mutex> lock(mutex_);
  rdk_transport_stats s = stats_;
  s.struct_size = sizeof(s);
  s.srtt_us = static_cast<uint32_t>(rtt_.srttUs());
  s.rttvar_us = static_cast<uint32_t>(rtt_.rttvarUs());
  s.min_rtt_us = static_cast<uint32_t>(rtt_.minRttUs());
  s.loss_permille = controller_.lossPermille();
  s.bandwidth_bps = controller_.bandwidthEstimateBps();
  s.mtu = static_cast<uint32_t>(mtu_);
  s.send_queue_bytes = sendBuffer_.bytes();
  return s;
}

}  // namespace rdk::udp
