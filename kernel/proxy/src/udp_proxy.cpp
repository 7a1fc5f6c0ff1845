#include "udp_proxy.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "bind_url.h"
#include "datagram_channel.hpp"
#include "dtls_listener.h"
#include "rdk/base/clock.h"

namespace rdk::proxy {

namespace {

constexpr size_t kMaxDatagram = 65536;
constexpr int kSocketBuffer = 4 << 20;  // as the udp plugin's sockets: bursts of a busy session

int udpSocket(int family, const sockaddr* addr, socklen_t len, std::string* error) {
  const int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    *error = std::strerror(errno);
    return -1;
  }
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kSocketBuffer, sizeof kSocketBuffer);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &kSocketBuffer, sizeof kSocketBuffer);
  if (bind(fd, addr, len) != 0) {
    *error = std::strerror(errno);
    close(fd);
    return -1;
  }
  return fd;
}

udp::PeerAddress localAddress(int fd) {
  udp::PeerAddress a;
  a.length = sizeof a.storage;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a.storage), &a.length);
  return a;
}

}  // namespace

UdpProxy::UdpProxy(UdpRouterLimits limits, UdpProxyHooks hooks)
    : router_(limits), hooks_(std::move(hooks)) {}

UdpProxy::~UdpProxy() {
  stop();
  for (Listener& l : listeners_)
    if (l.fd >= 0)
      close(l.fd);
  if (upstream_ >= 0)
    close(upstream_);
}

bool UdpProxy::bind(const std::vector<std::string>& urls, const std::string& cert,
                    const std::string& key, std::string* error) {
  for (const std::string& url : urls) {
    std::string host, port, why;
    if (url.compare(0, 7, "dtls://") == 0) {
      Listener listener;
      std::string bound;
      listener.channel = makeDtlsListener(url, cert, key, &bound, error);
      if (!listener.channel)
        return false;
      listeners_.push_back(std::move(listener));
      bound_.push_back(bound);
      continue;
    }
    if (!splitBindUrl(url, "udp", &host, &port)) {
      *error = "cannot bind " + url + ": the proxy takes udp://HOST:PORT";
      return false;
    }
    addrinfo hints{};
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* list = nullptr;
    if (const int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &list)) {
      *error = "cannot bind " + url + ": " + gai_strerror(rc);
      return false;
    }
    const int fd = udpSocket(list->ai_family, list->ai_addr, list->ai_addrlen, &why);
    freeaddrinfo(list);
    if (fd < 0) {
      *error = "cannot bind " + url + ": " + why;
      return false;
    }
    listeners_.push_back({fd, nullptr});
    bound_.push_back(udpPeerText(localAddress(fd)));
  }
  // Sessions see every client through this one socket; they tell clients apart by connection id.
  sockaddr_in any{};
  any.sin_family = AF_INET;
  std::string why;
  upstream_ = udpSocket(AF_INET, reinterpret_cast<const sockaddr*>(&any), sizeof any, &why);
  if (upstream_ < 0) {
    *error = "cannot open the proxy's upstream udp socket: " + why;
    return false;
  }
  return true;
}

void UdpProxy::start() {
  if (!listeners_.empty() && !thread_.joinable())
    thread_ = std::thread([this] { loop(); });
}

void UdpProxy::stop() {
  stop_.store(true);
  if (thread_.joinable())
    thread_.join();
  for (Worker& w : workers_)
    w.thread.join();
  workers_.clear();
}

void UdpProxy::send(std::vector<UdpSend>& out) {
  for (const UdpSend& s : out) {
    // A full socket buffer drops the datagram, as the network would: the transport resends.
    if (!s.toSession && listeners_[s.via].channel)
      listeners_[s.via].channel->sendTo(s.to, s.bytes.data(), s.bytes.size());
    else
      sendto(s.toSession ? upstream_ : listeners_[s.via].fd, s.bytes.data(), s.bytes.size(),
             MSG_DONTWAIT, s.to.sa(), s.to.length);
  }
  out.clear();
}

void UdpProxy::startWorker(UdpHello hello) {
  Worker& w = workers_.emplace_back();
  w.thread = std::thread([this, &w, hello = std::move(hello)] {
    Result r;
    r.connId = hello.connId;
    r.ok = hooks_.join(hello, &r.user, &r.session, &r.error);
    {
      std::lock_guard<std::mutex> lock(resultsMutex_);
      results_.push_back(std::move(r));
    }
    w.done.store(true);
  });
}

void UdpProxy::loop() {
  std::vector<pollfd> polls;
  for (const Listener& l : listeners_)
    polls.push_back({l.channel ? l.channel->pollFd() : l.fd, POLLIN, 0});
  polls.push_back({upstream_, POLLIN, 0});
  std::vector<uint8_t> buffer(kMaxDatagram);
  std::vector<UdpSend> out;
  uint64_t nextTickUs = 0;
  auto flushLog = [&] {
    for (const std::string& line : router_.takeLog())
      hooks_.log(line);
  };
  while (!stop_.load()) {
    poll(polls.data(), polls.size(), 20);
    for (size_t i = 0; i < polls.size(); ++i) {
      if (!(polls[i].revents & POLLIN))
        continue;
      const bool upstream = i + 1 == polls.size();
      // A bounded batch per socket, so one busy direction cannot starve the other.
      for (int k = 0; k < 256; ++k) {
        udp::PeerAddress from;
        from.length = sizeof from.storage;
        udp::DatagramChannel* channel = upstream ? nullptr : listeners_[i].channel.get();
        // A DTLS channel handles handshake records itself and hands up decrypted datagrams.
        const ssize_t n = channel
                              ? channel->receiveFrom(buffer.data(), buffer.size(), from)
                              : recvfrom(polls[i].fd, buffer.data(), buffer.size(), MSG_DONTWAIT,
                                         reinterpret_cast<sockaddr*>(&from.storage), &from.length);
        if (n < 0)
          break;
        const uint64_t now = monotonicUs();
        if (upstream)
          router_.fromSession(buffer.data(), size_t(n), from, now, out);
        else
          router_.fromClient(buffer.data(), size_t(n), from, i, now, out);
        send(out);
      }
    }
    const uint64_t now = monotonicUs();
    std::vector<Result> results;
    {
      std::lock_guard<std::mutex> lock(resultsMutex_);
      results.swap(results_);
    }
    for (Result& r : results) {
      if (!r.ok) {
        hooks_.log(router_.clientOf(r.connId) + ": " + r.error);
        router_.refuse(r.connId, r.error, out);
      } else if (router_.routeTo(r.connId, r.session, r.user, now, out)) {
        hooks_.log(router_.clientOf(r.connId) + ": user '" + r.user + "' -> session on " +
                   udpPeerText(r.session) + " (connection id " + std::to_string(r.connId) + ")");
      } else {
        hooks_.leave(r.user);  // the client went away while its session started
      }
      send(out);
    }
    for (UdpHello& hello : router_.takeHellos())
      startWorker(std::move(hello));
    if (now >= nextTickUs) {
      nextTickUs = now + 50'000;
      for (Listener& l : listeners_)
        if (l.channel)
          l.channel->service(now);  // DTLS handshake resends, expiry of idle DTLS peers
      for (const UdpRouteEnd& e : router_.tick(now, out)) {
        if (!e.user.empty()) {
          hooks_.leave(e.user);
          hooks_.log("user '" + e.user + "': udp connection " + std::to_string(e.connId) +
                     " ended (" + e.why + ")");
        }
      }
      send(out);
      for (const std::string& user : router_.takeActiveUsers())
        hooks_.touch(user);
      for (auto it = workers_.begin(); it != workers_.end();) {
        if (it->done.load()) {
          it->thread.join();
          it = workers_.erase(it);
        } else {
          ++it;
        }
      }
    }
    flushLog();
  }
}

}  // namespace rdk::proxy
