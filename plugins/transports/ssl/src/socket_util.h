// Small POSIX socket pieces for the TLS transport (URL parsing, resolving, non-blocking connect,
// wake-up descriptors).
#pragma once

#include <signal.h>
#include <sys/socket.h>

#include <chrono>
#include <string>

namespace rdk::ssl {

using Clock = std::chrono::steady_clock;

struct HostPort {
  std::string host;  // without IPv6 brackets
  std::string port;
};

/// Parses "ssl://host:port[/...]" (host may be "[v6]"); throws rdk::Error(INVALID_ARG).
HostPort parseUrl(const std::string& url);

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
};

/// Resolves |hp| (first result); throws rdk::Error(INVALID_ARG).
SocketAddress resolve(const HostPort& hp, bool passive);

/// "ssl://1.2.3.4:5678" or "ssl://[::1]:5678".
std::string formatAddress(const sockaddr* sa, socklen_t length);

/// A connected, non-blocking TCP socket, or rdk::Error(IO / TIMEOUT) with the reason.
int connectWithTimeout(const SocketAddress& address, std::chrono::milliseconds timeout);

void setNonBlocking(int fd);

/// True when |host| is a numeric IPv4 or IPv6 address.
bool isIpAddress(const std::string& host);

/// An eventfd that wakes a poll(); signal() is thread-safe and never blocks.
class WakeFd {
 public:
  WakeFd();
  ~WakeFd();
  WakeFd(const WakeFd&) = delete;
  WakeFd& operator=(const WakeFd&) = delete;
  int fd() const { return fd_; }
  void signal();
  void drain();

 private:
  int fd_;
};

/// Blocks SIGPIPE on the current thread for the scope, and swallows one raised meanwhile, so a
/// peer closing mid-write never kills the host process (OpenSSL writes with plain write()).
class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock();
  ~ScopedSigpipeBlock();

 private:
  sigset_t old_{};
};

}  // namespace rdk::ssl
