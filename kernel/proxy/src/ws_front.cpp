#include "ws_front.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <strings.h>

#include <ctime>

#include "rdk/base/clock.h"
#include "ws_handshake_rules.h"

namespace rdk::proxy::io {

namespace {

constexpr size_t kMaxHead = 16384;

const char* reasonPhrase(int status) {
  switch (status) {
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 301:
      return "Moved Permanently";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 426:
      return "Upgrade Required";
    default:
      return "Error";
  }
}

std::string httpDate(time_t t) {
  char buffer[64];
  tm parts{};
  gmtime_r(&t, &parts);
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &parts);
  return buffer;
}

/// Reads one HTTP head from |channel| into |head|, the bytes after it staying in |buffer|.
bool readHead(Channel& channel, std::string& buffer, uint64_t deadlineUs, std::string* head,
              std::string* error) {
  for (;;) {
    size_t length = 0;
    try {
      length = ws::headLength(buffer, kMaxHead);
    } catch (const std::exception& e) {
      *error = e.what();
      return false;
    }
    if (length > 0) {
      *head = buffer.substr(0, length);
      buffer.erase(0, length);
      return true;
    }
    char chunk[4096];
    const long n = channel.read(chunk, sizeof chunk, deadlineUs, error);
    if (n <= 0) {
      if (n == 0)
        *error = buffer.empty() ? "connection closed" : "connection closed mid-request";
      return false;
    }
    buffer.append(chunk, static_cast<size_t>(n));
  }
}

}  // namespace

WsFront::WsFront(const std::string& wwwDir, const std::vector<std::string>& linkDirs)
    : www_(std::make_unique<rdk::ws::WwwRoot>(
          wwwDir, linkDirs, "the proxy serves no web files (no web client in '" + wwwDir + "')")) {}

std::string WsFront::securityHeaders(bool secure) const {
  // The same headers as the ws transport's files (plugins/transports/ws/ws_listener.cpp).
  std::string h =
      "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: "
      "no-referrer\r\nCross-Origin-Opener-Policy: same-origin\r\nCross-Origin-Resource-Policy: "
      "same-origin\r\nContent-Security-Policy: " +
      www_->contentSecurityPolicy() +
      "\r\nPermissions-Policy: camera=(), microphone=(), geolocation=()\r\nCache-Control: "
      "no-cache\r\nServer: rdkernel proxy\r\n";
  if (secure)
    h += "Strict-Transport-Security: max-age=31536000\r\n";
  return h;
}

void WsFront::sendText(Channel& client, int status, const std::string& text, bool secure,
                       const std::string& extraHeaders) const {
  const std::string body = text + "\n";
  client.write("HTTP/1.1 " + std::to_string(status) + " " + reasonPhrase(status) + "\r\n" +
                   securityHeaders(secure) + extraHeaders +
                   "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " +
                   std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body,
               5000);
}

void WsFront::sendFile(Channel& client, const ws::HttpHead& request, bool secure,
                       bool keepAlive) const {
  const rdk::ws::WwwRoot::Resolved r = www_->resolve(request.target);
  if (r.status == 301) {
    sendText(client, 301, "moved to " + r.location, secure, "Location: " + r.location + "\r\n");
    return;
  }
  if (r.status != 200) {
    sendText(client, r.status, r.message, secure);
    return;
  }
  const int fd = ::open(r.file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0)
      ::close(fd);
    sendText(client, 404, "not found", secure);
    return;
  }
  const std::string etag = "\"" + std::to_string(st.st_size) + "-" +
                           std::to_string(static_cast<long long>(st.st_mtime)) + "\"";
  const bool notModified = request.get("If-None-Match") == etag;
  std::string head =
      std::string("HTTP/1.1 ") + (notModified ? "304 Not Modified" : "200 OK") + "\r\n" +
      securityHeaders(secure) + "ETag: " + etag + "\r\nLast-Modified: " + httpDate(st.st_mtime) +
      "\r\nContent-Type: " + r.contentType +
      "\r\nContent-Length: " + std::to_string(notModified ? 0 : st.st_size) +
      (keepAlive ? "\r\nConnection: keep-alive" : "\r\nConnection: close") + "\r\n\r\n";
  bool ok = client.write(head, 5000);
  if (!notModified && request.method == "GET") {
    char buffer[65536];
    for (ssize_t n; ok && (n = ::read(fd, buffer, sizeof buffer)) > 0;)
      ok = client.write(std::string_view(buffer, static_cast<size_t>(n)), 10000);
  }
  ::close(fd);
}

bool WsFront::accept(Channel& client, bool secure, int requestTimeoutMs, std::string* leftover,
                     std::string* why) const {
  std::string buffer;
  for (;;) {
    const uint64_t deadline = monotonicUs() + uint64_t(requestTimeoutMs) * 1000;
    std::string text, error;
    if (!readHead(client, buffer, deadline, &text, &error)) {
      *why = "no WebSocket request: " + error;
      return false;
    }
    ws::HttpHead request;
    if (!ws::parseRequest(text, &request, &error)) {
      sendText(client, 400, "bad request: " + error, secure);
      *why = "bad HTTP request: " + error;
      return false;
    }
    if (!ws::isUpgrade(request)) {
      if (request.method != "GET" && request.method != "HEAD") {
        sendText(client, 405, "method not allowed: this port serves GET and HEAD", secure,
                 "Allow: GET, HEAD\r\n");
        *why = "HTTP " + request.method.substr(0, 20);
        return false;
      }
      if (request.get("Content-Length").size() || request.get("Transfer-Encoding").size()) {
        sendText(client, 400, "a GET has no body", secure);
        *why = "GET with a body";
        return false;
      }
      const bool keepAlive = strcasecmp(request.get("Connection").c_str(), "close") != 0;
      sendFile(client, request, secure, keepAlive);
      if (!keepAlive) {
        *why = "";
        return false;
      }
      continue;
    }
    // The checks of the ws transport (ws_listener.cpp handleUpgrade), in its order.
    const std::string host = request.get("Host");
    const std::string origin = request.get("Origin");
    const std::string key = request.get("Sec-WebSocket-Key");
    const std::string protocols = request.get("Sec-WebSocket-Protocol");
    if (request.method != "GET" || host.empty() || key.empty()) {
      sendText(client, 400, "a WebSocket handshake is a GET with Host and Sec-WebSocket-Key",
               secure);
      *why = "bad WebSocket handshake";
      return false;
    }
    if (!rdk::ws::sameOrigin(origin, host, secure)) {
      sendText(client, 403,
               "cross-origin WebSocket refused: the page comes from " + origin +
                   ", this server is " + host,
               secure);
      *why = "cross-origin WebSocket from a page of " + origin.substr(0, 100);
      return false;
    }
    if (request.get("Sec-WebSocket-Version") != "13") {
      sendText(client, 426, "WebSocket version 13 is required", secure,
               "Sec-WebSocket-Version: 13\r\n");
      *why = "WebSocket version '" + request.get("Sec-WebSocket-Version").substr(0, 20) + "'";
      return false;
    }
    if (!protocols.empty() && !rdk::ws::offersBinary(protocols)) {
      sendText(client, 400, "unsupported WebSocket subprotocol: this server speaks 'binary'",
               secure);
      *why = "WebSocket subprotocol '" + protocols.substr(0, 100) + "'";
      return false;
    }
    // No extension is accepted (permessage-deflate would change the frames on one side only).
    if (!client.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
                      "Upgrade\r\nSec-WebSocket-Accept: " +
                          ws::acceptKey(key) + "\r\n" +
                          (protocols.empty() ? "" : "Sec-WebSocket-Protocol: binary\r\n") + "\r\n",
                      5000)) {
      *why = "the client left during the WebSocket handshake";
      return false;
    }
    *leftover = std::move(buffer);
    return true;
  }
}

bool WsFront::connect(Channel& session, const std::string& hostPort, uint64_t deadlineUs,
                      std::string* leftover, std::string* error) {
  const std::string key = ws::randomKey();
  // No Origin: the session's ws bind lets non-browser clients in (its origin check is the
  // proxy's, above); 'binary' as the web client asks.
  if (!session.write(
          "GET / HTTP/1.1\r\nHost: " + hostPort +
              "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
              "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: binary\r\n\r\n",
          5000)) {
    *error = "cannot send the WebSocket upgrade";
    return false;
  }
  std::string buffer, text;
  if (!readHead(session, buffer, deadlineUs, &text, error))
    return false;
  ws::HttpHead response;
  if (!ws::parseResponse(text, &response, error))
    return false;
  if (response.status != 101 || response.get("Sec-WebSocket-Accept") != ws::acceptKey(key) ||
      !response.get("Sec-WebSocket-Extensions").empty()) {
    *error = "the session's ws bind answered the upgrade with " + std::to_string(response.status);
    return false;
  }
  *leftover = std::move(buffer);
  return true;
}

}  // namespace rdk::proxy::io
