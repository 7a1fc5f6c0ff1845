// A connection's byte stream as the proxy reads and writes it (private to kernel/proxy): a plain
// socket (tcp://, ws://), TLS over a socket (ssl://, wss://; terminated at the proxy with
// transport.tls.cert/key), or, during the login only, WebSocket frames over either (WsChannel).
// After the login the proxy moves bytes between the two sockets' channels unchanged: splice(2)
// when neither has TLS, else a copy through the TLS layer (pumpChannels).
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "rdk/proxy/ws_codec.h"

namespace rdk::proxy::io {

class Channel {
 public:
  virtual ~Channel() = default;
  /// Up to |size| bytes: > 0 read, 0 at the end of the stream, -1 on an error or when
  /// |deadlineUs| passed (0: no deadline), with |error|.
  virtual long read(char* buffer, size_t size, uint64_t deadlineUs, std::string* error) = 0;
  /// All of |data|; false on an error or after |timeoutMs| (-1: no limit, until shutdown).
  virtual bool write(std::string_view data, int timeoutMs) = 0;
  /// The socket underneath.
  virtual int fd() const = 0;
  /// Whether the socket carries these bytes as they are (no TLS): they can be spliced.
  virtual bool plain() const = 0;
};

class FdChannel : public Channel {
 public:
  explicit FdChannel(int fd) : fd_(fd) {}
  long read(char* buffer, size_t size, uint64_t deadlineUs, std::string* error) override;
  bool write(std::string_view data, int timeoutMs) override;
  int fd() const override { return fd_; }
  bool plain() const override { return true; }

 private:
  int fd_;
};

/// The server end of TLS on an accepted socket. One SSL object serves both directions of the
/// pump, so every OpenSSL call holds |mutex_| (the socket is non-blocking, waits are outside it).
class TlsChannel : public Channel {
 public:
  /// Runs the handshake until |deadlineUs|; throws std::runtime_error with the reason.
  TlsChannel(SSL_CTX* ctx, int fd, uint64_t deadlineUs);
  ~TlsChannel() override;
  long read(char* buffer, size_t size, uint64_t deadlineUs, std::string* error) override;
  bool write(std::string_view data, int timeoutMs) override;
  int fd() const override { return fd_; }
  bool plain() const override { return false; }

 private:
  int fd_;
  SSL* ssl_ = nullptr;
  std::mutex mutex_;
};

/// WebSocket frames over |inner|, for the login: read() gives the payload of data frames
/// (answering pings, a close frame ends the stream), write() sends one binary frame. |server|:
/// the proxy's end towards a client (reads masked frames, sends unmasked), else towards a
/// session's ws bind.
class WsChannel : public Channel {
 public:
  WsChannel(Channel& inner, bool server, std::string alreadyRead, size_t maxFrameBytes);
  long read(char* buffer, size_t size, uint64_t deadlineUs, std::string* error) override;
  bool write(std::string_view data, int timeoutMs) override;
  int fd() const override { return inner_.fd(); }
  bool plain() const override { return inner_.plain(); }

  /// Before the frames pass through unchanged: reads the rest of a message whose start was
  /// read (its payload appended to |payload|, to be sent as a frame of the proxy's), so the
  /// other side's next frame starts a message. False on an error or at |deadlineUs|.
  bool finishMessage(uint64_t deadlineUs, std::string* payload, std::string* error);
  /// Payload decoded but not yet returned by read(), then the bytes read past the last frame.
  std::string takePayload() { return std::exchange(payload_, {}); }
  std::string takeRaw() { return std::exchange(raw_, {}); }
  void sendClose(uint16_t code, const std::string& reason);

 private:
  /// Decodes one more frame into payload_ (reading from inner_ as needed); false at the end.
  bool nextFrame(uint64_t deadlineUs, std::string* error);

  Channel& inner_;
  const bool server_;
  const size_t maxFrameBytes_;
  std::string raw_, payload_;
  bool inMessage_ = false, closed_ = false;
};

/// Moves bytes both ways between |a| and |b| until either side ends: splice(2) when both are
/// plain, else a copy (a thread per direction). |onBytes| after every move. Returns the bytes
/// moved from a to b and from b to a.
std::pair<uint64_t, uint64_t> pumpChannels(Channel& a, Channel& b,
                                           const std::function<void(size_t)>& onBytes,
                                           const std::function<void()>& shutdownBoth);

}  // namespace rdk::proxy::io
