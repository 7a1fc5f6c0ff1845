// The HTTP side of the proxy's ws:// and wss:// binds (private to kernel/proxy): towards a client,
// the web client's files (GET/HEAD, from the same web root a ws bind of `rdkernel serve` uses,
// with its security headers) and the WebSocket upgrade, refused for a page of another origin as
// the ws transport does; towards a session's ws bind, the proxy's own upgrade request.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "channel.h"
#include "www_root.h"

namespace rdk::proxy::io {

class WsFront {
 public:
  /// |wwwDir| empty or missing: only WebSockets are served (files get 404).
  WsFront(const std::string& wwwDir, const std::vector<std::string>& linkDirs);

  /// Answers requests on |client| until one is a valid WebSocket upgrade (true, the bytes read
  /// past it in |leftover|) or the client leaves, sends garbage or waits past |requestTimeoutMs|
  /// (false, |why| for the log; files served on the way, keep-alive).
  bool accept(Channel& client, bool secure, int requestTimeoutMs, std::string* leftover,
              std::string* why) const;

  /// The proxy's upgrade to a session's ws bind at |hostPort|; the bytes past the response in
  /// |leftover|. False with |error|.
  static bool connect(Channel& session, const std::string& hostPort, uint64_t deadlineUs,
                      std::string* leftover, std::string* error);

 private:
  void sendFile(Channel& client, const ws::HttpHead& request, bool secure, bool keepAlive) const;
  void sendText(Channel& client, int status, const std::string& text, bool secure,
                const std::string& extraHeaders = "") const;
  std::string securityHeaders(bool secure) const;

  std::unique_ptr<rdk::ws::WwwRoot> www_;
};

}  // namespace rdk::proxy::io
