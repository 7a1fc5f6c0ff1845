#include "rdk/proxy/proxy_server.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "bind_url.h"
#include "proxy_connection.h"
#include "rdk/base/clock.h"
#include "rdk/kernel/plugin_registry.h"
#include "rdk/proxy/udp_hello.h"
#include "rdk/proxy/users_file.h"
#include "tls_context.h"
#include "udp_proxy.h"
#include "ws_front.h"

namespace rdk::proxy {

namespace {

std::string peerText(const sockaddr_storage& addr) {
  char host[NI_MAXHOST], port[NI_MAXSERV];
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&addr), sizeof addr, host, sizeof host, port,
                  sizeof port, NI_NUMERICHOST | NI_NUMERICSERV) != 0)
    return "tcp://?";
  const std::string h(host);
  return "tcp://" + (h.find(':') != std::string::npos ? "[" + h + "]" : h) + ":" + port;
}

}  // namespace

ProxyServer::ProxyServer(ProxyOptions options, SessionRegistry& sessions,
                         plugin::Registry& registry)
    : options_(std::move(options)),
      sessions_(sessions),
      registry_(registry),
      throttle_(options_.throttle) {}

ProxyServer::~ProxyServer() {
  udp_.reset();
  for (int fd : listeners_)
    close(fd);
}

void ProxyServer::log(const std::string& line) const {
  if (options_.log) {
    options_.log(line);
  } else {
    std::fprintf(stderr, "proxy: %s\n", line.c_str());
  }
}

bool ProxyServer::start(std::string* error) {
  std::string why;
  authPlugin_ = registry_.select(plugin::Kind::Auth, "multifile", &why);
  if (!authPlugin_) {
    *error = "no auth plugin provides 'multifile': " + why;
    return false;
  }
  std::vector<std::string> udpBinds;
  for (const std::string& url : options_.binds) {
    if (url.compare(0, 6, "udp://") == 0 || url.compare(0, 7, "dtls://") == 0) {
      udpBinds.push_back(url);
      continue;
    }
    std::string host, port, scheme;
    for (const char* s : {"tcp", "ssl", "ws", "wss"})
      if (splitBindUrl(url, s, &host, &port))
        scheme = s;
    if (scheme.empty()) {
      *error = "cannot bind " + url +
               ": the proxy takes tcp://, ssl://, ws://, wss://, udp:// or dtls://HOST:PORT";
      return false;
    }
    if ((scheme == "ssl" || scheme == "wss") && !tls_) {
      if (options_.tlsCert.empty()) {
        *error = "cannot bind " + url + ": " + scheme +
                 " needs a certificate (--set transport.tls.cert=PEM, transport.tls.key=PEM)";
        return false;
      }
      try {
        ssl::SslOptions tls;
        tls.cert = options_.tlsCert;
        tls.key = options_.tlsKey;
        tls_ = std::shared_ptr<SSL_CTX>(ssl::makeServerContext(tls).release(), SSL_CTX_free);
      } catch (const std::exception& e) {
        *error = "cannot bind " + url + ": " + e.what();
        return false;
      }
    }
    if ((scheme == "ws" || scheme == "wss") && !wsFront_)
      wsFront_ = std::make_unique<io::WsFront>(options_.wwwDir, options_.wwwLinkDirs);
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* list = nullptr;
    if (const int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &list)) {
      *error = "cannot bind " + url + ": " + gai_strerror(rc);
      return false;
    }
    const int fd = socket(list->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    const bool ok =
        fd >= 0 && bind(fd, list->ai_addr, list->ai_addrlen) == 0 && listen(fd, 128) == 0;
    freeaddrinfo(list);
    if (!ok) {
      if (fd >= 0)
        close(fd);
      *error = "cannot bind " + url + ": " + std::strerror(errno);
      return false;
    }
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    bound_.push_back(scheme + peerText(addr).substr(3));  // "tcp://..." with the bind's scheme
    listeners_.push_back(fd);
    schemes_.push_back(scheme);
  }
  if (!udpBinds.empty()) {
    UdpProxyHooks hooks;
    hooks.join = [this](const UdpHello& hello, std::string* user, udp::PeerAddress* session,
                        std::string* why) { return joinUdp(hello, user, session, why); };
    hooks.leave = [this](const std::string& user) { sessions_.release(user, monotonicUs()); };
    hooks.touch = [this](const std::string& user) { sessions_.touch(user, monotonicUs()); };
    hooks.log = [this](const std::string& line) { log(line); };
    udp_ = std::make_unique<UdpProxy>(options_.udp, std::move(hooks));
    if (!udp_->bind(udpBinds, options_.tlsCert, options_.tlsKey, error))
      return false;
    for (const std::string& url : udp_->boundUrls())
      bound_.push_back(url);
  }
  return true;
}

bool ProxyServer::joinUdp(const UdpHello& hello, std::string* user, udp::PeerAddress* session,
                          std::string* error) {
  std::string why;
  *user = helloUsername(hello.packet, &why);
  if (user->empty()) {
    *error = "authentication failed: " + why;
    return false;
  }
  UserEntry entry;
  try {
    const UsersFile users = UsersFile::load(options_.usersPath);
    const UserEntry* found = users.find(*user);
    if (!found) {
      ++stats_.authFailures;
      *error = "authentication failed";
      log(hello.client + ": unknown user '" + *user + "'");
      return false;
    }
    entry = *found;
  } catch (const std::exception& e) {
    *error = "server error: no session settings";
    log(hello.client + ": " + e.what());
    return false;
  }
  std::optional<SessionRecord> record = sessions_.acquire(entry, monotonicUs(), &why);
  if (!record) {
    *error = "session not found error: the session could not be started";
    log(hello.client + ": " + why);
    return false;
  }
  addrinfo hints{};
  hints.ai_family = AF_INET;  // the upstream socket's family
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* list = nullptr;
  const std::string port = std::to_string(record->session.udpPort);
  if (record->session.udpPort <= 0 ||
      getaddrinfo(record->session.host.c_str(), port.c_str(), &hints, &list) != 0) {
    sessions_.release(*user, monotonicUs());
    *error = "session not found error: the session has no udp bind";
    log(hello.client + ": user '" + *user + "': the session (" + record->session.handle +
        ") has no IPv4 udp bind (the " + "launcher does not give sessions one)");
    return false;
  }
  std::memcpy(&session->storage, list->ai_addr, list->ai_addrlen);
  session->length = list->ai_addrlen;
  freeaddrinfo(list);
  ++stats_.connections;
  ++stats_.forwarded;
  return true;
}

void ProxyServer::run(const std::atomic<bool>& stop) {
  if (udp_)
    udp_->start();
  uint64_t nextReapUs = monotonicUs() + 1'000'000;
  std::vector<pollfd> polls;
  for (int fd : listeners_)
    polls.push_back({fd, POLLIN, 0});
  while (!stop.load()) {
    const int rc = poll(polls.data(), polls.size(), 200);
    for (size_t i = 0; rc > 0 && i < polls.size(); ++i) {
      if (!(polls[i].revents & POLLIN))
        continue;
      sockaddr_storage addr{};
      socklen_t len = sizeof addr;
      const int fd = accept4(polls[i].fd, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_CLOEXEC);
      if (fd < 0)
        continue;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (connections_.size() >= options_.maxConnections) {
          close(fd);
          if (++stats_.refused % 100 == 1)
            log("connection limit (" + std::to_string(options_.maxConnections) +
                ") reached: " + peerText(addr) + " closed");
          continue;
        }
      }
      const int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      auto connection = std::make_unique<Connection>();
      connection->clientFd = fd;
      connection->peer = peerText(addr);
      connection->scheme = schemes_[i];
      Connection* c = connection.get();
      ++stats_.connections;
      std::lock_guard<std::mutex> lock(mutex_);
      connections_.push_back(std::move(connection));
      c->thread = std::thread([this, c] {
        handle(*c);
        c->done.store(true);
      });
    }
    const uint64_t now = monotonicUs();
    if (now >= nextReapUs) {
      nextReapUs = now + 1'000'000;
      for (const std::string& line : sessions_.reap(now))
        log("session reaped: " + line);
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto it = connections_.begin(); it != connections_.end();) {
        if ((*it)->done.load()) {
          (*it)->thread.join();
          it = connections_.erase(it);
        } else {
          ++it;
        }
      }
    }
  }
  if (udp_)
    udp_->stop();
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& c : connections_)
    c->shutdownAll();
  for (auto& c : connections_)
    c->thread.join();
  connections_.clear();
}

}  // namespace rdk::proxy
