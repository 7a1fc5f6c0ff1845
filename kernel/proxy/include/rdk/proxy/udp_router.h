// The proxy's UDP side without sockets: datagrams of our UDP transport (docs/udp.md) routed by
// the connection id in their header, forwarded as they are (never re-encoded), so the transport's
// reliability, loss signals and congestion control stay end to end between client and session.
//
// The client cannot be routed before the proxy knows its user, and the user is in the hello,
// which comes after the transport's handshake. So per new connection id the proxy:
//   1. answers the handshake itself: a stateless RETRY cookie, then ACCEPT (nothing kept before
//      the cookie comes back, as the udp plugin's server);
//   2. holds the client's DATA datagrams (bounded; they are not acknowledged, so the client
//      resends) and reads its first reliable message, the hello, from their fragments;
//   3. hands the hello to the caller (takeHellos), who finds the user and starts the session;
//   4. on routeTo, replays the handshake to the session under the client's connection id (its
//      INITIAL, the session's RETRY, the INITIAL with the cookie, the session's ACCEPT), then
//      forwards the held datagrams and from then on every datagram both ways.
// The session sees one peer (the proxy's upstream socket) and authenticates the client itself:
// the Xpra challenge is end to end (the proxy cannot send the challenge without taking over the
// transport's packet and message numbers). A datagram of a known connection id from a new client
// address moves the route when it is a well-formed DATA datagram with a packet number above every
// one seen (a replay from the old path cannot take it back); plain UDP has no datagram
// authentication, so as for the udp transport itself anyone on the path can redirect a route.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "peer_address.hpp"

namespace rdk::udp {
class CookieMinter;
}

namespace rdk::proxy {

struct UdpRouterLimits {
  size_t maxRoutes = 4096;
  /// Routes whose session is not known yet (hello, session start, session handshake).
  size_t maxPending = 256;
  /// Datagram bytes held per pending route; the hello must fit (the session's untrusted budget
  /// is 256 KiB too).
  size_t maxPendingBytes = 256u << 10;
  /// No datagram either way this long: the route is forgotten (the transport's own idle
  /// timeout is 60 s, so a live connection always has traffic well within it).
  uint64_t idleTimeoutUs = 75'000'000;
  /// Hello, session start and session handshake together.
  uint64_t pendingTimeoutUs = 40'000'000;
  uint64_t sessionHandshakeTimeoutUs = 10'000'000;
  /// After a CLOSE either way, the route stays this long for the CLOSE's repeats.
  uint64_t closeLingerUs = 3'000'000;
  /// What the proxy's ACCEPT announces (the session's own features: Reed-Solomon unless the
  /// session runs with fec_parity=-1).
  uint32_t acceptFeatures = 1u;
};

/// A datagram to send: to the client through listener |via|, or to a session (upstream socket).
struct UdpSend {
  bool toSession = false;
  size_t via = 0;
  udp::PeerAddress to;
  std::vector<uint8_t> bytes;
};

/// A client's first reliable message (its hello packet, whole), ready for the caller.
struct UdpHello {
  uint64_t connId = 0;
  std::string packet;
  std::string client;  // "udp://ip:port"
};

struct UdpRouteEnd {
  uint64_t connId = 0;
  std::string user;  // empty when the route never reached a session
  std::string why;
};

struct UdpRouterStats {
  uint64_t toSession = 0, toClient = 0, bytesToSession = 0, bytesToClient = 0;
  uint64_t garbage = 0, unknownId = 0, refusedLimit = 0, heldDropped = 0, addressChanges = 0;
};

class UdpRouter {
 public:
  explicit UdpRouter(UdpRouterLimits limits = {});
  ~UdpRouter();

  /// A datagram from a client on listener |via|.
  void fromClient(const uint8_t* p, size_t n, const udp::PeerAddress& from, size_t via,
                  uint64_t nowUs, std::vector<UdpSend>& out);
  /// A datagram from a session (the upstream socket).
  void fromSession(const uint8_t* p, size_t n, const udp::PeerAddress& from, uint64_t nowUs,
                   std::vector<UdpSend>& out);
  /// Hellos completed since the last call.
  std::vector<UdpHello> takeHellos();
  /// |user|'s session for |connId| is at |session|: replay the handshake to it, then forward.
  /// False when the route is gone (timed out, closed) meanwhile.
  bool routeTo(uint64_t connId, const udp::PeerAddress& session, const std::string& user,
               uint64_t nowUs, std::vector<UdpSend>& out);
  /// Ends |connId| with a CLOSE carrying |reason| to the client.
  void refuse(uint64_t connId, const std::string& reason, std::vector<UdpSend>& out);
  /// Handshake resends and expiry; returns the routes that ended.
  std::vector<UdpRouteEnd> tick(uint64_t nowUs, std::vector<UdpSend>& out);
  /// Users whose routes carried datagrams since the last call (for the idle timeout).
  std::vector<std::string> takeActiveUsers();
  /// One line per event worth logging (a client that moved, a refused hello).
  std::vector<std::string> takeLog();

  size_t routes() const { return routes_.size(); }
  size_t pending() const;
  /// The route's client address as "udp://ip:port", "" when there is no route.
  std::string clientOf(uint64_t connId) const;
  const UdpRouterStats& stats() const { return stats_; }

 private:
  struct Route;
  void forwardToSession(Route& r, const uint8_t* p, size_t n, std::vector<UdpSend>& out);
  void startForwarding(Route& r, std::vector<UdpSend>& out);
  void sendClose(const Route& r, const std::string& reason, std::vector<UdpSend>& out);
  void sendInitial(Route& r, uint64_t nowUs, std::vector<UdpSend>& out);
  void markActive(Route& r, uint64_t nowUs);
  void end(std::map<uint64_t, std::unique_ptr<Route>>::iterator it, const std::string& why);
  void closeAndEnd(std::map<uint64_t, std::unique_ptr<Route>>::iterator it,
                   const std::string& reason, const std::string& why, std::vector<UdpSend>& out);

  /// A route the proxy ended with a CLOSE: the CLOSE may be lost, so the client's next datagrams
  /// on that id get it again (one per datagram, only to that address) for closeLingerUs.
  struct Refused {
    udp::PeerAddress client;
    size_t via = 0;
    std::string reason;
    uint64_t untilUs = 0;
  };

  UdpRouterLimits limits_;
  uint64_t nowUs_ = 0;
  std::map<uint64_t, Refused> refused_;
  std::unique_ptr<udp::CookieMinter> cookies_;
  std::map<uint64_t, std::unique_ptr<Route>> routes_;
  std::vector<UdpHello> hellos_;
  std::vector<std::string> active_;
  std::vector<std::string> log_;
  std::vector<UdpRouteEnd> ended_;
  UdpRouterStats stats_;
};

/// "udp://ip:port" of an address.
std::string udpPeerText(const udp::PeerAddress& address);

}  // namespace rdk::proxy
