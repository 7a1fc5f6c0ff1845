// Small file and port helpers the end-to-end suites share: they write configuration and users
// files, read logs and snapshots, and give servers ports that the configuration cannot leave to
// the kernel (rdkernel.conf has no port 0).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace rdk::test {

inline void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

/// The whole file, or "" when it cannot be read (callers assert on what they expected in it).
inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A loopback port of |type| (SOCK_STREAM or SOCK_DGRAM) nothing uses now: bound, read,
/// released. Another process may take it before the caller binds it; the suites that use it
/// start one server at a time.
inline int freeLoopbackPort(int type = SOCK_STREAM) {
  const int fd = ::socket(AF_INET, type, 0);
  if (fd < 0)
    return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(addr);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

}  // namespace rdk::test
