#include "session.hpp"
#include "elapsed.hpp"

#include <algorithm>
#include <cmath>
#include <new>

namespace rdk::udp {

namespace {
constexpr uint32_t kPacketThreshold = 3;  // RFC 9002 kPacketThreshold
constexpr size_t kSmallMessageBytes = 1024;
}  // namespace

Session::Session(uint64_t connId, bool client, const UdpOptions& options, const PeerAddress& peer,
                 uint64_t nowUs, uint64_t seed, std::shared_ptr<ReceiveBudget> budget)
    : connId_(connId),
      client_(client),
      options_(options),
      peer_(peer),
      rng_(seed),
      state_(client ? State::kHandshake : State::kEstablished),
      sendBuffer_(options.sendBufferBytes),
      reassembler_(options.receiveBufferBytes, client ? 0 : options.receiveBufferUntrustedBytes,
                   std::move(budget)),
      controller_(options.controller),
      mtu_(options.mtu),
      mtuLo_(options.mtu),
      mtuHi_(options.probeMtu ? options.maxMtu : options.mtu) {
  handshakeStartUs_ = nowUs;
  handshakeNextUs_ = nowUs;
  lastReceiveUs_ = nowUs;
  lastAckElicitingSentUs_ = nowUs;
  acceptPending_ = !client;
  if (!client)
    establishedUs_ = nowUs;
  round_.startUs = nowUs;
  stats_.struct_size = sizeof(stats_);
}

SendResult Session::send(const rdk_bytes* iov, size_t count, MessageClass cls, uint64_t key,
                         uint64_t packetId, uint64_t nowUs) {
  size_t total = 0;
  for (size_t i = 0; i < count; ++i)
    total += iov[i].size;
  if (total > kMaxMessageSize)
    return SendResult::kAgain;  // caller reports "too big"
  std::vector<uint8_t> data;
  data.reserve(total);
  for (size_t i = 0; i < count; ++i) {
    if (iov[i].size)
      data.insert(data.end(), iov[i].data, iov[i].data + iov[i].size);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_ == State::kClosing || state_ == State::kClosed)
    return SendResult::kClosed;
  // Key frames (well above the running mean size) and small urgent messages (one datagram) get
  // more parity: the ABI says nothing of what a packet is, its size says enough.
  bool strong = false;
  if (cls == MessageClass::kDroppable) {
    strong = total + kHeaderSize + kFragmentOverhead <= mtu_ ||
             (meanDroppableBytes_ > 0 && double(total) >= 3 * meanDroppableBytes_);
    meanDroppableBytes_ =
        meanDroppableBytes_ == 0 ? double(total) : 0.9 * meanDroppableBytes_ + 0.1 * double(total);
  }
  std::vector<LostNotice> lost;
  const bool ok = sendBuffer_.admit(cls, std::move(data), packetId, key, nowUs, lost, strong);
  for (auto& l : lost) {
    SessionEvent e;
    e.kind = SessionEvent::Kind::kLost;
    e.packetId = l.packetId;
    e.superseded = l.superseded;
    events_.push_back(std::move(e));
    stats_.dropped_superseded += l.superseded ? 1 : 0;
  }
  if (!ok)
    return SendResult::kAgain;
  stats_.packets_sent++;
  stats_.bytes_sent += total;
  if (messagesDelivered_ > 0 && (cls == MessageClass::kDroppable || total >= kTrustReplyBytes)) {
    answered_ = true;
    maybeTrust(nowUs);
  }
  return SendResult::kOk;
}

void Session::close(const std::string& reason, uint64_t nowUs) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_ == State::kClosed || state_ == State::kClosing)
    return;
  closeReason_ = reason.empty() ? "closed" : reason;
  if (state_ == State::kHandshake) {
    closeLocked(RDK_OK, closeReason_, false);
    return;
  }
  state_ = State::kClosing;
  closeDeadlineUs_ = nowUs + 2000000;
}

void Session::abort(const std::string& reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  closeLocked(RDK_OK, reason, true);
}

void Session::closeLocked(rdk_status status, const std::string& reason, bool sendClose) {
  if (state_ == State::kClosed)
    return;
  const bool wasHandshake = state_ == State::kHandshake;
  state_ = State::kClosed;
  closeReason_ = reason;
  closeFramesPending_ = sendClose && !wasHandshake ? 2 : 0;
  SessionEvent e;
  e.kind = SessionEvent::Kind::kClosed;
  e.status = status;
  e.reason = reason;
  events_.push_back(std::move(e));
}

bool Session::established() {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_ == State::kEstablished || state_ == State::kClosing;
}

bool Session::closed() {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_ == State::kClosed && closeFramesPending_ == 0;
}

PeerAddress Session::peer() {
  std::lock_guard<std::mutex> lock(mutex_);
  return peer_;
}

size_t Session::mtu() {
  std::lock_guard<std::mutex> lock(mutex_);
  return mtu_;
}

void Session::onRepeatedInitial() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_ == State::kEstablished)
    acceptPending_ = true;
}

void Session::setPeerFeatures(uint32_t features) {
  std::lock_guard<std::mutex> lock(mutex_);
  peerFeatures_ = features;
}

uint32_t Session::peerFeatures() {
  std::lock_guard<std::mutex> lock(mutex_);
  return peerFeatures_;
}

uint32_t Session::localFeatures() const {
  return options_.fecParity < 0 ? 0 : kFeatureReedSolomon;
}

void Session::takeEvents(std::vector<SessionEvent>& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& e : events_)
    out.push_back(std::move(e));
  events_.clear();
}

bool Session::hasEvents() {
  std::lock_guard<std::mutex> lock(mutex_);
  return !events_.empty();
}

bool Session::migrationAllowed(uint64_t nowUs) const {
  // Only a session that has carried data both ways for over a second may move (the kernel's
  // hello has completed by then); plain UDP keeps it off unless allow_roaming is set.
  return options_.allowRoaming && state_ == State::kEstablished && dataReceivedFragments_ > 0 &&
         anyAcked_ && elapsedUs(nowUs, establishedUs_) > 1000000;
}

void Session::onDatagram(const Header& h, const uint8_t* body, size_t size, const PeerAddress& from,
                         uint64_t nowUs) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_ == State::kClosed)
    return;
  stats_.datagrams_received++;
  stats_.wire_bytes_received += size + kHeaderSize;
  if (client_) {
    if (from != peer_)
      return;  // only the server we dialled
    if (h.type == DatagramType::kRetry) {
      if (state_ != State::kHandshake)
        return;
      auto token = parseToken(body, size);
      if (!token || token->empty())
        return;
      retryToken_ = std::move(*token);
      handshakeNextUs_ = nowUs;  // answer the cookie at once
      handshakeIntervalUs_ = 200000;
      return;
    }
    if (h.type == DatagramType::kAccept)
      peerFeatures_ = acceptFeatures(body, size);
    if (h.type == DatagramType::kAccept || h.type == DatagramType::kData) {
      if (state_ == State::kHandshake) {
        state_ = State::kEstablished;
        establishedUs_ = nowUs;
        // The handshake round trip is the first RTT sample.
        if (!retryToken_.empty())
          rtt_.onSample(elapsedUs(nowUs, handshakeLastSentUs_), 0, nowUs);
      }
    }
    if (h.type != DatagramType::kData)
      return;
  } else if (h.type != DatagramType::kData) {
    return;  // INITIALs are the endpoint's business
  }
  auto frames = parseFrames(body, size);
  if (!frames)
    return;  // malformed: ignored, never fatal (it may be spoofed)
  if (from != peer_) {
    if (!migrationAllowed(nowUs))
      return;
    if (!candidateActive_ || candidate_ != from) {
      candidate_ = from;
      candidateActive_ = true;
      candidateToken_ = rng_();
      candidateBytesIn_ = 0;
      candidateBytesOut_ = 0;
    }
    candidateBytesIn_ += size + kHeaderSize;
    if (frames->pathResponse && *frames->pathResponse == candidateToken_) {
      peer_ = from;  // validated: the new address answered our challenge
      candidateActive_ = false;
    } else {
      challengePending_ = true;
      return;  // nothing from an unvalidated address is used
    }
  }
  switch (reassembler_.canAccept(frames->fragments)) {
    case Reassembler::Verdict::kAccept:
      break;
    case Reassembler::Verdict::kRefuse:
      return;  // not acked: the peer resends later
    case Reassembler::Verdict::kFatal:
      closeLocked(RDK_E_CORRUPT, reassembler_.fatalReason(), true);
      return;
  }
  if (!acks_.onReceived(h.pn, frames->ackEliciting(), nowUs, rtt_.srttUs(), options_.maxAckDelayUs,
                        options_.ackEveryPackets)) {
    reassembler_.settle();
    return;  // duplicate datagram
  }
  lastReceiveUs_ = nowUs;
  try {
    processFrames(*frames, nowUs);
  } catch (const std::bad_alloc&) {
    // Acknowledged but not stored: the stream cannot be trusted any more. This session ends; the
    // process and the other sessions carry on.
    reassembler_.settle();
    allocationFailures_++;
    closeLocked(RDK_E_NO_MEMORY, "out of memory while receiving", true);
    return;
  }
  reassembler_.settle();
}

void Session::maybeTrust(uint64_t nowUs) {
  if (reassembler_.trusted() || messagesDelivered_ == 0)
    return;
  if (answered_ || elapsedUs(nowUs, establishedUs_) >= kTrustAfterUs)
    reassembler_.trust();
}

bool Session::trusted() {
  std::lock_guard<std::mutex> lock(mutex_);
  return reassembler_.trusted();
}

size_t Session::reassemblyBytes() {
  std::lock_guard<std::mutex> lock(mutex_);
  return reassembler_.bufferedBytes();
}

uint64_t Session::refusedClaims() {
  std::lock_guard<std::mutex> lock(mutex_);
  return reassembler_.refusedClaims();
}

uint64_t Session::refusedDatagrams() {
  std::lock_guard<std::mutex> lock(mutex_);
  return reassembler_.refusedDatagrams();
}

uint64_t Session::allocationFailures() {
  std::lock_guard<std::mutex> lock(mutex_);
  return allocationFailures_;
}

void Session::processFrames(const DataFrames& f, uint64_t nowUs) {
  // Before the ack: the losses it reveals of these messages need no resend.
  for (uint64_t seq : f.delivered)
    sendBuffer_.onDelivered(seq);
  if (f.ack)
    onAck(*f.ack, nowUs);
  if (f.pathChallenge) {
    responsePending_ = true;
    responseToken_ = *f.pathChallenge;
  }
  std::vector<std::vector<uint8_t>> deliver;
  for (auto& frag : f.fragments) {
    dataReceivedFragments_++;
    if (!reassembler_.add(frag, nowUs, deliver))
      break;  // contradicting fragment: ignore the rest
  }
  for (auto& parity : f.parities) {
    // Only a peer that read our announcement sends FEC frames (our ACCEPT may have been lost).
    if (parity.parityCount)
      peerFeatures_ |= kFeatureReedSolomon;
    reassembler_.addParity(parity, nowUs, deliver);
  }
  messagesDelivered_ += deliver.size();
  if (auto done = reassembler_.takeCompletedWithParity();
      !done.empty() && (peerFeatures_ & kFeatureReedSolomon)) {
    deliveredPending_.insert(deliveredPending_.end(), done.begin(), done.end());
    if (deliveredPending_.size() > kMaxDeliveredPending)
      deliveredPending_.erase(deliveredPending_.begin(),
                              deliveredPending_.end() - kMaxDeliveredPending);
  }
  maybeTrust(nowUs);
  for (auto& d : deliver) {
    stats_.packets_received++;
    stats_.bytes_received += d.size();
    SessionEvent e;
    e.kind = SessionEvent::Kind::kData;
    e.data = std::move(d);
    events_.push_back(std::move(e));
  }
  if (f.close)
    closeLocked(RDK_E_CLOSED, "peer closed: " + *f.close, false);
}

void Session::onAck(const AckFrame& a, uint64_t nowUs) {
  const uint64_t largest = a.ranges.front().high;
  if (largest >= nextPn_)
    return;  // acks something never sent: ignore the frame
  bool newlyAcked = false;
  auto largestIt = sent_.find(largest);
  if (largestIt != sent_.end() && largestIt->second.ackEliciting) {
    const uint64_t sample = elapsedUs(nowUs, largestIt->second.sentUs);
    const uint64_t ackDelay = std::min(a.ackDelayUs, options_.maxAckDelayUs);
    rtt_.onSample(sample, ackDelay, nowUs);
    // The queueing-delay signal uses the network part only (without the peer's ack delay).
    const uint64_t network = sample > ackDelay ? sample - ackDelay : sample;
    auto& s = round_.sample;
    s.minRttInRoundUs = s.minRttInRoundUs ? std::min(s.minRttInRoundUs, network) : network;
  }
  for (auto& r : a.ranges) {
    for (auto it = sent_.lower_bound(r.low); it != sent_.end() && it->first <= r.high;) {
      onPacketAcked(it->first, it->second, nowUs);
      it = sent_.erase(it);
      newlyAcked = true;
    }
  }
  if (!anyAcked_ || largest > largestAcked_)
    largestAcked_ = largest;
  anyAcked_ = true;
  if (newlyAcked) {
    ptoCount_ = 0;
    ptoBaseUs_ = nowUs;
  }
  detectLosses(nowUs);
  endRoundIfDue(largest, nowUs);
}

void Session::onPacketAcked(uint64_t /*pn*/, SentPacket& p, uint64_t nowUs) {
  bytesInFlight_ -= p.bytes;
  if (p.ackEliciting)
    ackElicitingInFlight_--;
  if (p.mtuProbeSize) {
    mtuProbeInFlight_ = false;
    mtu_ = mtuLo_ = std::max(mtuLo_, p.mtuProbeSize);
    nextMtuProbeUs_ = nowUs + std::max<uint64_t>(rtt_.srttUs(), 10000);
    return;
  }
  ackedCount_ += 1;
  if (ackedCount_ + lostCount_ > 4000) {
    ackedCount_ /= 2;
    lostCount_ /= 2;
    lostAfterLost_ /= 2;
  }
  round_.sample.ackedBytes += p.bytes;
  round_.sample.ackedPackets++;
  for (auto& c : p.chunks)
    sendBuffer_.onAcked(c);
}

void Session::onPacketLost(uint64_t pn, SentPacket& p, uint64_t nowUs) {
  bytesInFlight_ -= p.bytes;
  if (p.ackEliciting)
    ackElicitingInFlight_--;
  if (p.mtuProbeSize) {
    // A lost probe says the path is smaller; it says nothing about congestion.
    mtuProbeInFlight_ = false;
    mtuHi_ = std::min(mtuHi_, p.mtuProbeSize - 1);
    mtuProbeFailures_++;
    return;
  }
  datagramsLost_++;
  // Burstiness: how often the datagram sent before a lost one was lost too (parity datagrams,
  // never acknowledged, are skipped by prevPn). Halved now and then to follow changes.
  lostCount_ += 1;
  if (p.prevPn != 0 && p.prevPn == lastLostPn_)
    lostAfterLost_ += 1;
  lastLostPn_ = pn;
  if (ackedCount_ + lostCount_ > 4000) {
    ackedCount_ /= 2;
    lostCount_ /= 2;
    lostAfterLost_ /= 2;
  }
  round_.sample.lostPackets++;
  round_.run = (round_.run > 0 && pn == round_.lastLostPn + 1) ? round_.run + 1 : 1;
  round_.lastLostPn = pn;
  round_.sample.longestLossRun = std::max(round_.sample.longestLossRun, round_.run);
  for (auto& c : p.chunks) {
    if (c.msg->finished)
      continue;
    stats_.retransmissions++;
    sendBuffer_.onLost(c);
    // The resend goes at once; its spaced copy saves another round trip if the resend is lost.
    if (options_.smallMessageCopies && SpacedCopies::wants(c))
      copies_.schedule(c, nowUs + SpacedCopies::spacingUs(rtt_.srttUs()));
  }
}

void Session::detectLosses(uint64_t nowUs) {
  if (!anyAcked_)
    return;
  const uint64_t lossDelay =
      std::max<uint64_t>(9 * std::max(rtt_.srttUs(), rtt_.latestUs()) / 8, 1000);
  for (auto it = sent_.begin(); it != sent_.end() && it->first < largestAcked_;) {
    if (largestAcked_ - it->first >= kPacketThreshold || it->second.sentUs + lossDelay <= nowUs) {
      onPacketLost(it->first, it->second, nowUs);
      it = sent_.erase(it);
    } else {
      ++it;
    }
  }
}

void Session::endRoundIfDue(uint64_t largestAcked, uint64_t nowUs) {
  if (largestAcked < round_.endPn)
    return;
  RoundSample s = round_.sample;
  s.nowUs = nowUs;
  s.durationUs = elapsedUs(nowUs, round_.startUs);
  s.pathMinRttUs = rtt_.minRttUs();
  controller_.onRound(s);
  round_ = Round{};
  round_.startUs = nowUs;
  round_.endPn = nextPn_;
}

void Session::onDatagramTooBig(uint64_t pn, size_t pathMtu, uint64_t nowUs) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sent_.find(pn);
  if (it == sent_.end())
    return;
  SentPacket p = std::move(it->second);
  sent_.erase(it);
  bytesInFlight_ -= p.bytes;
  if (p.ackEliciting)
    ackElicitingInFlight_--;
  if (p.mtuProbeSize) {
    mtuProbeInFlight_ = false;
    mtuHi_ = std::min(mtuHi_, p.mtuProbeSize - 1);
    nextMtuProbeUs_ = nowUs;
    return;
  }
  // Shrink and cut the same bytes again smaller; the session carries on.
  size_t next = pathMtu > 0 && pathMtu < mtu_ ? pathMtu : mtu_ * 3 / 4;
  next = std::max(next, std::min(options_.minMtu, mtu_));
  mtu_ = mtuLo_ = next;
  mtuHi_ = next;
  stats_.retransmissions += p.chunks.size();
  for (auto& c : p.chunks)
    sendBuffer_.onLost(c);
}

}  // namespace rdk::udp

namespace rdk::udp {

double Session::lossBurstLocked() const {
  // Mean run = losses / runs; a run starts at every loss whose predecessor arrived. Below 50
  // losses there is too little to tell, and random loss reads as ~1/(1-p): treat < 1.5 as 1.
  if (lostCount_ < 50 || lostCount_ <= lostAfterLost_)
    return 1;
  const double run = lostCount_ / (lostCount_ - lostAfterLost_);
  return run < 1.5 ? 1 : run;
}

double Session::fecLossLocked() const {
  // The controller's per-round average follows a round of ~30 datagrams and swings by a third
  // at 10% loss; parity sized on a low swing leaves updates to wait for repair. This counts the
  // last 2000-4000 datagrams and takes the upper end of its 90% confidence interval.
  const double n = ackedCount_ + lostCount_;
  // Until 30 datagrams were acknowledged or lost (the first round trip or two) nothing is known:
  // protect as if 5% were lost. Without it the updates of the first ~100 ms had no parity at all
  // and, at 10% loss, made half the slow updates of a 10 s run (3 of ~6 over 40 ms, enough to set
  // p99 of 600); on a clean link it costs parity on those first datagrams only.
  if (n < 30)
    return std::max(0.05, controller_.lossPermille() / 1000.0);
  const double p = lostCount_ / n;
  return std::min(1.0, p + 1.64 * std::sqrt(p * (1 - p) / n));  // no loss seen: none assumed
}

bool Session::lossMeasuredLocked() const {
  return fecLossLocked() >= 0.01 || lossBurstLocked() > 1;
}

bool Session::copySmallMessagesLocked() const {
  // From 1% measured loss (or a burst seen): below it a copy would be spent on almost nothing.
  return options_.smallMessageCopies && lossMeasuredLocked();
}

double Session::lossBurst() {
  std::lock_guard<std::mutex> lock(mutex_);
  return lossBurstLocked();
}

}  // namespace rdk::udp
