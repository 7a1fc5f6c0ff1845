// A hand-driven Xpra peer over a plain TCP socket, for handshake and robustness tests.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

#include "rdk/protocol/record_reader.h"
#include "rdk/protocol/record_writer.h"

namespace rdk::test {

/// The smallest hello a stock 3.1.3 client could send: rencode packets, windows, rgb only.
inline protocol::Value minimalHello() {
  using protocol::Value;
  Value caps(Value::Dict{});
  caps.set("version", Value("3.1.3"));
  caps.set("rencode", Value(true));
  caps.set("windows", Value(true));
  caps.set("encodings", Value(Value::List{Value("rgb")}));
  caps.set("encodings.core", Value(Value::List{Value("rgb24"), Value("rgb32")}));
  return caps;
}

class RawPeer {
 public:
  explicit RawPeer(const std::string& tcpUrl) {
    if (tcpUrl.rfind("unix://", 0) == 0) {  // a session's socket (rdkernel start)
      const std::string path = tcpUrl.substr(7);
      fd_ = socket(AF_UNIX, SOCK_STREAM, 0);
      sockaddr_un addr{};
      addr.sun_family = AF_UNIX;
      path.copy(addr.sun_path, sizeof(addr.sun_path) - 1);
      if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
        throw std::runtime_error("cannot connect to " + tcpUrl);
      return;
    }
    const size_t colon = tcpUrl.rfind(':');
    const int port = std::stoi(tcpUrl.substr(colon + 1));
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      throw std::runtime_error("cannot connect to " + tcpUrl);
    }
    // As real clients: a small packet (a key) is not held back behind an unacknowledged one.
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  }
  ~RawPeer() { close(fd_); }

  void sendBytes(const std::string& bytes) {
    if (::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(bytes.size())) {
      throw std::runtime_error("send failed");
    }
  }
  void sendPacket(const protocol::Packet& packet) { sendBytes(writer_.write(packet)); }
  /// Sends bencode from now on, as a peer without rencode does (the server answers in kind).
  void useBencode() { writer_.setEncoding(protocol::PacketEncoding::Bencode); }

  /// The next packet, or nullopt when the peer closed or |ms| passed.
  std::optional<protocol::Packet> receive(int ms = 5000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < deadline) {
      if (!queue_.empty()) {
        protocol::Packet p = std::move(queue_.front());
        queue_.erase(queue_.begin());
        return p;
      }
      pollfd pfd{fd_, POLLIN, 0};
      if (poll(&pfd, 1, 100) <= 0)
        continue;
      char buffer[65536];
      const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) {
        closed_ = true;
        return std::nullopt;
      }
      reader_.feed(std::string_view(buffer, static_cast<size_t>(n)),
                   [this](protocol::Packet&& p) { queue_.push_back(std::move(p)); });
    }
    return std::nullopt;
  }
  /// Packets until one of |type| arrives (or nothing more comes).
  std::optional<protocol::Packet> receiveType(const std::string& type, int ms = 5000) {
    while (auto p = receive(ms)) {
      if (!p->empty() && (*p)[0].isBytes() && (*p)[0].asBytes() == type)
        return p;
    }
    return std::nullopt;
  }
  bool closedByPeer(int ms = 5000) {
    while (!closed_ && receive(ms)) {
    }
    return closed_;
  }

 private:
  int fd_ = -1;
  bool closed_ = false;
  protocol::RecordWriter writer_;
  protocol::RecordReader reader_;
  std::vector<protocol::Packet> queue_;
};

}  // namespace rdk::test
