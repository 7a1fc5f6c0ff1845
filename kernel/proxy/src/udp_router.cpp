#include "rdk/proxy/udp_router.h"

#include <netdb.h>

#include <utility>

#include "cookie.hpp"
#include "rdk/proxy/udp_hello.h"
#include "wire.hpp"

namespace rdk::proxy {

using udp::DatagramType;
using udp::kHeaderSize;

namespace {

enum class State { kHello, kWaiting, kSessionHandshake, kForwarding };

/// The packet number of the proxy's own CLOSE datagrams: far above any the session will use, so
/// the client never takes it for a repeat of one it has seen.
constexpr uint64_t kProxyPn = uint64_t(1) << 62;
constexpr uint64_t kInitialIntervalUs = 200'000;

}  // namespace

struct UdpRouter::Route {
  explicit Route(size_t maxHello) : hello(maxHello) {}
  uint64_t connId = 0;
  State state = State::kHello;
  udp::PeerAddress client;
  size_t via = 0;
  uint32_t clientFeatures = 0;
  uint64_t largestClientPn = 0;
  bool anyClientPn = false;
  udp::PeerAddress session;
  std::string user;
  std::deque<std::vector<uint8_t>> held;
  size_t heldBytes = 0;
  HelloAssembler hello;
  std::vector<uint8_t> sessionToken;
  uint64_t createdUs = 0, lastUs = 0, handshakeStartUs = 0, nextInitialUs = 0;
  uint64_t closeAtUs = 0, lastActiveUs = 0;
};

std::string udpPeerText(const udp::PeerAddress& address) {
  char host[NI_MAXHOST], port[NI_MAXSERV];
  if (getnameinfo(address.sa(), address.length, host, sizeof host, port, sizeof port,
                  NI_NUMERICHOST | NI_NUMERICSERV) != 0)
    return "udp://?";
  const std::string h(host);
  return "udp://" + (h.find(':') != std::string::npos ? "[" + h + "]" : h) + ":" + port;
}

UdpRouter::UdpRouter(UdpRouterLimits limits)
    : limits_(limits), cookies_(std::make_unique<udp::CookieMinter>()) {}

UdpRouter::~UdpRouter() = default;

size_t UdpRouter::pending() const {
  size_t n = 0;
  for (const auto& [id, r] : routes_)
    n += r->state != State::kForwarding;
  return n;
}

std::string UdpRouter::clientOf(uint64_t connId) const {
  auto it = routes_.find(connId);
  return it == routes_.end() ? "" : udpPeerText(it->second->client);
}

std::vector<UdpHello> UdpRouter::takeHellos() {
  return std::exchange(hellos_, {});
}

std::vector<std::string> UdpRouter::takeActiveUsers() {
  return std::exchange(active_, {});
}

std::vector<std::string> UdpRouter::takeLog() {
  return std::exchange(log_, {});
}

void UdpRouter::markActive(Route& r, uint64_t nowUs) {
  r.lastUs = nowUs;
  if (!r.user.empty() && nowUs - r.lastActiveUs >= 1'000'000) {
    r.lastActiveUs = nowUs;
    active_.push_back(r.user);
  }
}

void UdpRouter::end(std::map<uint64_t, std::unique_ptr<Route>>::iterator it,
                    const std::string& why) {
  ended_.push_back({it->first, it->second->user, why});
  routes_.erase(it);
}

void UdpRouter::closeAndEnd(std::map<uint64_t, std::unique_ptr<Route>>::iterator it,
                            const std::string& reason, const std::string& why,
                            std::vector<UdpSend>& out) {
  const Route& r = *it->second;
  sendClose(r, reason, out);
  if (refused_.size() < limits_.maxRoutes)
    refused_[r.connId] = {r.client, r.via, reason, nowUs_ + limits_.closeLingerUs};
  end(it, why);
}

void UdpRouter::fromClient(const uint8_t* p, size_t n, const udp::PeerAddress& from, size_t via,
                           uint64_t nowUs, std::vector<UdpSend>& out) {
  nowUs_ = nowUs;
  const auto h = udp::parseHeader(p, n);
  if (!h) {
    stats_.garbage++;
    return;
  }
  const uint8_t* body = p + kHeaderSize;
  const size_t bodySize = n - kHeaderSize;
  auto it = routes_.find(h->connId);
  if (h->type == DatagramType::kInitial) {
    if (n < udp::kMinInitialSize) {
      stats_.garbage++;  // unpadded INITIALs would let a spoofer amplify
      return;
    }
    if (it != routes_.end()) {
      // Our ACCEPT was lost: say it again (only to the address that made the route).
      if (it->second->client == from && it->second->via == via)
        out.push_back({false, via, from, udp::makeAccept(h->connId, limits_.acceptFeatures)});
      return;
    }
    const auto token = udp::parseToken(body, bodySize);
    if (!token) {
      stats_.garbage++;
      return;
    }
    if (token->empty() || !cookies_->verify(*token, from, h->connId, nowUs)) {
      // Stateless, as the udp server: a RETRY smaller than the padded INITIAL, nothing kept.
      out.push_back(
          {false, via, from, udp::makeRetry(h->connId, cookies_->mint(from, h->connId, nowUs))});
      return;
    }
    if (routes_.size() >= limits_.maxRoutes || pending() >= limits_.maxPending) {
      stats_.refusedLimit++;
      return;
    }
    auto route = std::make_unique<Route>(limits_.maxPendingBytes);
    route->connId = h->connId;
    route->client = from;
    route->via = via;
    route->clientFeatures = udp::initialFeatures(body, bodySize);
    route->createdUs = route->lastUs = nowUs;
    routes_.emplace(h->connId, std::move(route));
    out.push_back({false, via, from, udp::makeAccept(h->connId, limits_.acceptFeatures)});
    return;
  }
  if (h->type != DatagramType::kData) {
    stats_.garbage++;
    return;
  }
  if (it == routes_.end()) {
    stats_.unknownId++;
    const auto refused = refused_.find(h->connId);
    if (refused != refused_.end() && refused->second.client == from && refused->second.via == via &&
        nowUs < refused->second.untilUs) {
      std::vector<uint8_t> bytes;
      udp::writeHeader(bytes, {DatagramType::kData, h->connId, kProxyPn});
      udp::writeClose(bytes, refused->second.reason.substr(0, 400));
      out.push_back({false, via, from, std::move(bytes)});
    }
    return;
  }
  Route& r = *it->second;
  const auto frames = udp::parseFrames(body, bodySize);
  if (!frames) {
    stats_.garbage++;  // the session would drop it too; it must not move the route
    return;
  }
  if (from != r.client || via != r.via) {
    // A new path (NAT rebinding, another network): only with a packet number never seen, so an
    // old datagram replayed from elsewhere cannot pull the route away.
    if (r.anyClientPn && h->pn <= r.largestClientPn) {
      stats_.garbage++;
      return;
    }
    log_.push_back("udp connection " + std::to_string(h->connId) +
                   (r.user.empty() ? "" : " of '" + r.user + "'") + ": client moved from " +
                   udpPeerText(r.client) + " to " + udpPeerText(from));
    r.client = from;
    r.via = via;
    stats_.addressChanges++;
  }
  if (!r.anyClientPn || h->pn > r.largestClientPn) {
    r.largestClientPn = h->pn;
    r.anyClientPn = true;
  }
  if (frames->close && !r.closeAtUs)
    r.closeAtUs = nowUs + limits_.closeLingerUs;
  if (r.state == State::kForwarding) {
    markActive(r, nowUs);
    forwardToSession(r, p, n, out);
    return;
  }
  r.lastUs = nowUs;
  // Held until the session is there; not acknowledged, so what does not fit is simply resent.
  if (r.heldBytes + n <= limits_.maxPendingBytes) {
    r.held.emplace_back(p, p + n);
    r.heldBytes += n;
  } else {
    stats_.heldDropped++;
  }
  if (r.state != State::kHello)
    return;
  for (const udp::FragmentFrame& f : frames->fragments) {
    if (f.cls != udp::MessageClass::kReliable || f.seq != 0)
      continue;
    const auto result = r.hello.add(f.total, f.offset, f.data, f.length);
    if (result == HelloAssembler::Result::kRefused) {
      log_.push_back(udpPeerText(r.client) + ": " + r.hello.why());
      closeAndEnd(it, r.hello.why(), r.hello.why(), out);
      return;
    }
    if (result == HelloAssembler::Result::kComplete) {
      hellos_.push_back({r.connId, r.hello.bytes(), udpPeerText(r.client)});
      r.state = State::kWaiting;
      r.hello = HelloAssembler(0);  // its bytes are the caller's now
      break;
    }
  }
}

void UdpRouter::forwardToSession(Route& r, const uint8_t* p, size_t n, std::vector<UdpSend>& out) {
  out.push_back({true, 0, r.session, std::vector<uint8_t>(p, p + n)});
  stats_.toSession++;
  stats_.bytesToSession += n;
}

void UdpRouter::fromSession(const uint8_t* p, size_t n, const udp::PeerAddress& from,
                            uint64_t nowUs, std::vector<UdpSend>& out) {
  nowUs_ = nowUs;
  const auto h = udp::parseHeader(p, n);
  if (!h) {
    stats_.garbage++;
    return;
  }
  auto it = routes_.find(h->connId);
  if (it == routes_.end()) {
    stats_.unknownId++;
    return;
  }
  Route& r = *it->second;
  if (r.state < State::kSessionHandshake || from != r.session) {
    stats_.garbage++;  // only the session this route was given may answer on it
    return;
  }
  switch (h->type) {
    case DatagramType::kRetry:
      if (r.state == State::kSessionHandshake) {
        auto token = udp::parseToken(p + kHeaderSize, n - kHeaderSize);
        if (token && !token->empty()) {
          r.sessionToken = std::move(*token);
          sendInitial(r, nowUs, out);  // the cookie goes back at once
        }
      }
      return;
    case DatagramType::kAccept:
      if (r.state == State::kSessionHandshake)
        startForwarding(r, out);
      r.lastUs = nowUs;
      return;  // the client had the proxy's ACCEPT long ago
    case DatagramType::kData:
      if (r.state == State::kSessionHandshake)
        startForwarding(r, out);  // its ACCEPT was lost; DATA says the same
      markActive(r, nowUs);
      if (!r.closeAtUs) {
        // A session that ends (or answers the client's goodbye) says CLOSE: the route lingers
        // for the repeats, then the user's connection count goes down.
        const auto frames = udp::parseFrames(p + kHeaderSize, n - kHeaderSize);
        if (frames && frames->close)
          r.closeAtUs = nowUs + limits_.closeLingerUs;
      }
      out.push_back({false, r.via, r.client, std::vector<uint8_t>(p, p + n)});
      stats_.toClient++;
      stats_.bytesToClient += n;
      return;
    case DatagramType::kInitial:
      stats_.garbage++;
      return;
  }
}

void UdpRouter::startForwarding(Route& r, std::vector<UdpSend>& out) {
  r.state = State::kForwarding;
  for (const auto& d : r.held)
    forwardToSession(r, d.data(), d.size(), out);
  r.held.clear();
  r.heldBytes = 0;
}

void UdpRouter::sendInitial(Route& r, uint64_t nowUs, std::vector<UdpSend>& out) {
  out.push_back({true, 0, r.session, udp::makeInitial(r.connId, r.sessionToken, r.clientFeatures)});
  r.nextInitialUs = nowUs + kInitialIntervalUs;
}

void UdpRouter::sendClose(const Route& r, const std::string& reason, std::vector<UdpSend>& out) {
  std::vector<uint8_t> bytes;
  udp::writeHeader(bytes, {DatagramType::kData, r.connId, kProxyPn});
  udp::writeClose(bytes, reason.substr(0, 400));
  out.push_back({false, r.via, r.client, std::move(bytes)});
}

bool UdpRouter::routeTo(uint64_t connId, const udp::PeerAddress& session, const std::string& user,
                        uint64_t nowUs, std::vector<UdpSend>& out) {
  auto it = routes_.find(connId);
  if (it == routes_.end() || it->second->state != State::kWaiting)
    return false;
  Route& r = *it->second;
  r.session = session;
  r.user = user;
  r.state = State::kSessionHandshake;
  r.handshakeStartUs = nowUs;
  r.sessionToken.clear();
  sendInitial(r, nowUs, out);
  return true;
}

void UdpRouter::refuse(uint64_t connId, const std::string& reason, std::vector<UdpSend>& out) {
  auto it = routes_.find(connId);
  if (it == routes_.end())
    return;
  closeAndEnd(it, reason, reason, out);
}

std::vector<UdpRouteEnd> UdpRouter::tick(uint64_t nowUs, std::vector<UdpSend>& out) {
  nowUs_ = nowUs;
  std::erase_if(refused_, [nowUs](const auto& entry) { return nowUs >= entry.second.untilUs; });
  for (auto it = routes_.begin(); it != routes_.end();) {
    Route& r = *it->second;
    auto next = std::next(it);
    if (r.closeAtUs && nowUs >= r.closeAtUs) {
      end(it, "closed");
    } else if (nowUs - r.lastUs > limits_.idleTimeoutUs) {
      end(it, "no datagram for " + std::to_string(limits_.idleTimeoutUs / 1'000'000) + " s");
    } else if (r.state != State::kForwarding && nowUs - r.createdUs > limits_.pendingTimeoutUs) {
      closeAndEnd(
          it, "the proxy could not reach the session in time",
          "no session within " + std::to_string(limits_.pendingTimeoutUs / 1'000'000) + " s", out);
    } else if (r.state == State::kSessionHandshake) {
      if (nowUs - r.handshakeStartUs > limits_.sessionHandshakeTimeoutUs) {
        closeAndEnd(it, "the session does not answer", "the session did not answer the handshake",
                    out);
      } else if (nowUs >= r.nextInitialUs) {
        sendInitial(r, nowUs, out);
      }
    }
    it = next;
  }
  return std::exchange(ended_, {});
}

}  // namespace rdk::proxy
