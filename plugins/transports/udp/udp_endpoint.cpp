#include "udp_endpoint.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <new>
#include <vector>

#include "rdk/plugin.hpp"
#include "udp_connection.hpp"
#include "udp_url.hpp"

namespace rdk::udp {

namespace {
constexpr size_t kReceiveBatch = 256;
constexpr size_t kOutputBatch = 64;
}  // namespace

uint64_t monotonicUs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

UdpEndpoint::UdpEndpoint(std::unique_ptr<DatagramChannel> channel, const UdpOptions& options,
                         const std::string& scheme)
    : options_(options),
      scheme_(scheme),
      budget_(std::make_shared<ReceiveBudget>(options.receiveBufferTotalBytes,
                                              options.receiveBufferUntrustedTotalBytes)) {
  if (options.sendImpairment.active() || options.receiveImpairment.active()) {
    auto impaired = std::make_unique<ImpairedChannel>(
        std::move(channel), options.sendImpairment, options.receiveImpairment,
        options.impairmentSeed ? options.impairmentSeed : randomU64());
    impaired->setClock(&monotonicUs);
    channel_ = std::move(impaired);
  } else {
    channel_ = std::move(channel);
  }
  wakeFd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epollFd_ = epoll_create1(EPOLL_CLOEXEC);
  if (wakeFd_ < 0 || epollFd_ < 0)
    throw Error(RDK_E_IO, "eventfd/epoll failed");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wakeFd_;
  epoll_ctl(epollFd_, EPOLL_CTL_ADD, wakeFd_, &ev);
  ev.data.fd = channel_->pollFd();
  epoll_ctl(epollFd_, EPOLL_CTL_ADD, channel_->pollFd(), &ev);
}

UdpEndpoint::~UdpEndpoint() {
  stop_ = true;
  uint64_t one = 1;
  ssize_t n = write(wakeFd_, &one, sizeof(one));
  (void)n;
  if (thread_.joinable()) {
    // The I/O thread dropping the last reference would make it join itself (EDEADLK thrown from
    // a noexcept destructor: abort). handleInitial rules that out; detaching is the last guard.
    if (std::this_thread::get_id() == thread_.get_id())
      thread_.detach();
    else
      thread_.join();
  }
  close(wakeFd_);
  close(epollFd_);
}

void UdpEndpoint::start() {
  thread_ = std::thread([this] { run(); });
}

void UdpEndpoint::startListening(const rdk_listener_callbacks& callbacks) {
  std::lock_guard<std::mutex> lock(mutex_);
  listener_ = callbacks;
  listening_ = true;
}

void UdpEndpoint::stopListening() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    listening_ = false;
  }
  if (std::this_thread::get_id() != thread_.get_id()) {
    std::lock_guard<std::mutex> wait(dispatchMutex_);  // an on_accept in flight finishes first
  }
}

size_t UdpEndpoint::sessionCount() {
  std::lock_guard<std::mutex> lock(mutex_);
  return sessions_.size();
}

void UdpEndpoint::wake() {
  if (wakePending_.exchange(true))
    return;
  uint64_t one = 1;
  ssize_t n = write(wakeFd_, &one, sizeof(one));
  (void)n;
}

void UdpEndpoint::detach(const std::shared_ptr<SessionEntry>& entry) {
  entry->detached = true;
  if (std::this_thread::get_id() != thread_.get_id()) {
    // Only this connection's callbacks are waited for: destroying one connection never waits
    // on another's callback (which could be blocked on a lock the destroying thread holds).
    std::lock_guard<std::mutex> wait(entry->callbackMutex);
  }
  // Tell the peer, unless the session already ended.
  entry->session->close("connection destroyed", monotonicUs());
  wake();
}

std::shared_ptr<SessionEntry> UdpEndpoint::connectTo(const PeerAddress& server,
                                                     const std::string& peerText,
                                                     const std::function<bool()>& giveUp) {
  auto entry = std::make_shared<SessionEntry>();
  const uint64_t connId = randomU64();
  entry->session = std::make_shared<Session>(connId, true, options_, server, monotonicUs(),
                                             randomU64(), budget_);
  entry->peerText = peerText;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    clientMode_ = true;
    sessions_[connId] = entry;
  }
  wake();
  std::unique_lock<std::mutex> lock(mutex_);
  while (!entry->session->established() && !entry->session->hasEvents() && !(giveUp && giveUp())) {
    established_.wait_for(lock, std::chrono::milliseconds(10));
  }
  return entry;
}

void UdpEndpoint::run() {
  while (!stop_) {
    uint64_t now = monotonicUs();
    uint64_t wakeAt = now + 1000;
    try {
      wakeAt = nextWake(now);
    } catch (const std::exception&) {
      noteFailure("scheduling failed (out of memory?)");
    }
    timespec timeout{};
    const uint64_t waitUs = wakeAt > now ? std::min<uint64_t>(wakeAt - now, 1000000) : 0;
    timeout.tv_sec = static_cast<time_t>(waitUs / 1000000);
    timeout.tv_nsec = static_cast<long>((waitUs % 1000000) * 1000);
    epoll_event events[4];
    const int n = epoll_pwait2(epollFd_, events, 4, &timeout, nullptr);
    if (n < 0 && errno != EINTR)
      break;
    wakePending_ = false;
    uint64_t v;
    while (read(wakeFd_, &v, sizeof(v)) > 0) {
    }
    now = monotonicUs();
    // Nothing a peer sends may end the process: a datagram whose handling fails (memory could
    // not be allocated, a session threw) is dropped and counted, and the loop carries on.
    // A batch of datagrams (recvmmsg on a socket) per wake-up.
    const DatagramSink sink = [&](const uint8_t* data, size_t size, const PeerAddress& from) {
      try {
        handleDatagram(data, size, from, now);
      } catch (const std::bad_alloc&) {
        noteFailure("out of memory while handling a datagram: dropped");
      } catch (const std::exception& e) {
        noteFailure(std::string("datagram dropped: ") + e.what());
      }
    };
    try {
      channel_->receiveBatch(kReceiveBatch, sink);
    } catch (const std::bad_alloc&) {
      noteFailure("out of memory while receiving");
    }
    try {
      serviceSessions(monotonicUs());
      channel_->service(monotonicUs());
    } catch (const std::bad_alloc&) {
      noteFailure("out of memory while servicing sessions");
    } catch (const std::exception& e) {
      noteFailure(std::string("servicing sessions failed: ") + e.what());
    }
  }
  // Going away (the last connection of a client endpoint was destroyed): tell the peers now
  // rather than leave them to their idle timeout.
  try {
    const std::vector<std::shared_ptr<SessionEntry>> all = sessionsSnapshot();
    std::vector<OutDatagram> out;
    for (auto& e : all) {
      e->session->abort("connection destroyed");
      out.clear();
      e->session->produce(monotonicUs(), out, kOutputBatch);
      for (auto& d : out)
        channel_->sendTo(d.to, d.bytes.data(), d.bytes.size());
    }
  } catch (const std::exception&) {
    noteFailure("out of memory while closing");  // the peers find out by their idle timeout
  }
}

void UdpEndpoint::noteFailure(const std::string& what) {
  if (failures_++ > 0)
    return;  // once: a flood of them must not flood the log too
  const std::string msg = scheme_ + " transport: " + what + " (further failures are only counted)";
  try {
    if (log_)
      log_(msg);
    else
      std::fprintf(stderr, "%s\n", msg.c_str());
  } catch (...) {
  }
}

uint64_t UdpEndpoint::nextWake(uint64_t nowUs) {
  uint64_t t = nowUs + 1000000;
  const std::vector<std::shared_ptr<SessionEntry>> all = sessionsSnapshot();
  for (auto& e : all) {
    t = std::min(t, e->session->nextWakeUs(nowUs));
    if (e->callbacksEnabled && e->session->hasEvents())
      t = nowUs;
  }
  t = std::min(t, channel_->service(nowUs));
  return t;
}

void UdpEndpoint::handleDatagram(const uint8_t* data, size_t size, const PeerAddress& from,
                                 uint64_t nowUs) {
  auto h = parseHeader(data, size);
  if (!h) {
    refuse("udp-malformed-header");
    return;
  }
  const uint8_t* body = data + kHeaderSize;
  const size_t bodySize = size - kHeaderSize;
  std::shared_ptr<SessionEntry> entry;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = sessions_.find(h->connId);
    if (it != sessions_.end())
      entry = it->second;
  }
  if (h->type == DatagramType::kInitial) {
    if (clientMode_)
      return;
    if (entry) {
      if (entry->session->peer() == from) {
        entry->session->setPeerFeatures(initialFeatures(body, bodySize));
        entry->session->onRepeatedInitial();
      }
      return;
    }
    handleInitial(*h, body, bodySize, from, nowUs);
    return;
  }
  if (!entry) {
    answerIfRecentlyClosed(h->connId, from, size, nowUs);
    refuse("udp-unknown-connection");  // dropped silently, no state, no answer
    return;
  }
  entry->session->onDatagram(*h, body, bodySize, from, nowUs);
  if (countRefusal_) {
    // Reassembly budgets: fragments claiming more than the connection may hold, or no room.
    const uint64_t claims = entry->session->refusedClaims();
    const uint64_t datagrams = entry->session->refusedDatagrams();
    if (claims > entry->countedRefusedClaims)
      countRefusal_("udp-reassembly-claim", claims - entry->countedRefusedClaims);
    if (datagrams > entry->countedRefusedDatagrams)
      countRefusal_("udp-reassembly-room", datagrams - entry->countedRefusedDatagrams);
    entry->countedRefusedClaims = claims;
    entry->countedRefusedDatagrams = datagrams;
  }
  if (clientMode_ && entry->session->established())
    established_.notify_all();
}

void UdpEndpoint::refuse(const char* reason, uint64_t n) {
  garbage_ += n;
  if (countRefusal_)
    countRefusal_(reason, n);
}

void UdpEndpoint::handleInitial(const Header& h, const uint8_t* body, size_t size,
                                const PeerAddress& from, uint64_t nowUs) {
  if (size + kHeaderSize < kMinInitialSize) {
    refuse("udp-unpadded-initial");  // unpadded INITIALs would let a spoofer amplify
    return;
  }
  auto token = parseToken(body, size);
  if (!token) {
    refuse("udp-malformed-initial");
    return;
  }
  bool listening, full;
  rdk_listener_callbacks listener;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    listening = listening_;
    full = sessions_.size() >= kMaxSessions;
    listener = listener_;
  }
  if (!listening)
    return;
  if (full) {
    if (countRefusal_)
      countRefusal_("udp-session-limit", 1);
    return;
  }
  if (token->empty() || !cookies_.verify(*token, from, h.connId, nowUs)) {
    if (!token->empty() && countRefusal_)
      countRefusal_("udp-stale-or-forged-cookie", 1);  // answered with a fresh RETRY all the same
    // Stateless: a RETRY (smaller than the padded INITIAL) and nothing remembered.
    auto retry = makeRetry(h.connId, cookies_.mint(from, h.connId, nowUs));
    channel_->sendTo(from, retry.data(), retry.size());
    return;
  }
  auto entry = std::make_shared<SessionEntry>();
  entry->session =
      std::make_shared<Session>(h.connId, false, options_, from, nowUs, randomU64(), budget_);
  entry->session->setPeerFeatures(initialFeatures(body, size));
  entry->peerText = formatPeer(scheme_, from);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_[h.connId] = entry;
  }
  // Under dispatchMutex_ the listener cannot finish stopping, so it still holds the endpoint: the
  // connection made here (which shares the endpoint) is never its last owner, and this thread
  // never runs ~UdpEndpoint on itself.
  std::lock_guard<std::mutex> dispatch(dispatchMutex_);
  bool stillListening;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stillListening = listening_;
  }
  auto forget = [&] {
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_.erase(h.connId);
    entry->detached = true;
  };
  if (!stillListening) {
    forget();
    return;
  }
  auto conn = std::make_unique<UdpConnection>(shared_from_this(), entry);
  {
    // The kernel may destroy the connection the moment on_accept returns; detach then waits for
    // this lock, so the callbacks are stored before anyone can free what they point to.
    std::lock_guard<std::mutex> callbacks(entry->callbackMutex);
    const rdk_connection_callbacks* cb =
        listener.on_accept(listener.host_listener, toHandle(conn.get()), entry->peerText.c_str());
    if (!cb) {
      forget();
      conn.reset();
      return;
    }
    entry->callbacks = *cb;
    entry->callbacksEnabled = true;
  }
  conn.release();  // owned by the kernel until connection_destroy
}

std::vector<std::shared_ptr<SessionEntry>> UdpEndpoint::sessionsSnapshot() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::shared_ptr<SessionEntry>> all;
  all.reserve(sessions_.size());
  for (auto& [id, e] : sessions_)
    all.push_back(e);
  return all;
}

void UdpEndpoint::serviceSessions(uint64_t nowUs) {
  const std::vector<std::shared_ptr<SessionEntry>> all = sessionsSnapshot();
  std::vector<OutDatagram> out;
  std::vector<OutgoingDatagram> batch;
  std::vector<SendStatus> status;
  for (auto& e : all) {
    out.clear();
    e->session->produce(nowUs, out, kOutputBatch);
    // One batch per session (sendmmsg, GSO runs on a socket).
    batch.clear();
    for (auto& d : out)
      batch.push_back({&d.to, d.bytes.data(), d.bytes.size()});
    status.assign(batch.size(), SendStatus::kOk);
    channel_->sendBatch(batch.data(), batch.size(), status.data());
    for (size_t i = 0; i < out.size(); ++i) {
      if (status[i] == SendStatus::kTooBig && out[i].pn)
        e->session->onDatagramTooBig(out[i].pn, channel_->pathMtu(out[i].to), nowUs);
    }
    if (out.size() == kOutputBatch)
      wakePending_ = false, wake();  // more to send: come back
    dispatchEvents(e);
    if (e->session->closed() && (e->closedReported || e->detached)) {
      std::lock_guard<std::mutex> lock(mutex_);
      sessions_.erase(e->session->connId());
      rememberClosed(e->session->connId(), e->session->peer(), nowUs);
    }
  }
  if (clientMode_)
    established_.notify_all();
}

void UdpEndpoint::rememberClosed(uint64_t connId, const PeerAddress& peer, uint64_t nowUs) {
  // Caller holds mutex_. Bounded: the oldest entries go first.
  while (recentlyClosed_.size() >= kMaxRecentlyClosed)
    recentlyClosed_.erase(recentlyClosed_.begin());
  recentlyClosed_[connId] = {peer, nowUs + options_.idleTimeoutUs};
}

void UdpEndpoint::answerIfRecentlyClosed(uint64_t connId, const PeerAddress& from, size_t size,
                                         uint64_t nowUs) {
  // The CLOSE datagrams of a session can all be lost (at 30% loss, 2 copies: 9%); a peer that
  // keeps talking to a closed session is told again instead of waiting for its idle timeout.
  // Only its own address is answered, never with more than 3x the bytes it sent.
  std::vector<uint8_t> reply;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = recentlyClosed_.find(connId);
    if (it == recentlyClosed_.end())
      return;
    if (nowUs > it->second.expiresUs) {
      recentlyClosed_.erase(it);
      return;
    }
    if (it->second.peer != from)
      return;
  }
  writeHeader(reply, {DatagramType::kData, connId, 0});
  writeClose(reply, "connection closed");
  if (reply.size() <= 3 * size)
    channel_->sendTo(from, reply.data(), reply.size());
}

void UdpEndpoint::dispatchEvents(const std::shared_ptr<SessionEntry>& e) {
  if (!e->callbacksEnabled)
    return;
  std::vector<SessionEvent> events;
  e->session->takeEvents(events);
  if (events.empty())
    return;
  std::lock_guard<std::mutex> dispatch(e->callbackMutex);
  if (e->detached)
    return;
  const rdk_connection_callbacks* cb = &e->callbacks;
  for (auto& ev : events) {
    // A callback may destroy its own connection from this thread (detach allows it there).
    if (e->closedReported || e->detached)
      break;
    switch (ev.kind) {
      case SessionEvent::Kind::kData:
        cb->on_data(cb->host_conn, ev.data.data(), ev.data.size(), 1);
        break;
      case SessionEvent::Kind::kLost:
        if (cb->on_lost)
          cb->on_lost(cb->host_conn, ev.packetId, ev.superseded ? 1 : 0);
        break;
      case SessionEvent::Kind::kClosed:
        e->closedReported = true;
        cb->on_closed(cb->host_conn, ev.status, ev.reason.c_str());
        break;
    }
  }
}

}  // namespace rdk::udp
