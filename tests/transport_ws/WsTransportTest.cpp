// The ws/wss transport plugin over real loopback sockets: WebSocket traffic both ways (plugin to
// plugin), the web files it serves (path escapes, links, listings, headers), and the frames and
// handshakes it must refuse, sent by a hand-written raw client.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ConnectionRecorder.hpp"
#include "plugin_harness.hpp"
#include "rdk/json.hpp"
#include "ssl_test_util.h"

using rdk::test::ConnectionRecorder;
namespace fs = std::filesystem;

namespace {

rdk::test::LoadedTestPlugin& plugin() {
  static rdk::test::LoadedTestPlugin p("transport-ws");
  return p;
}
const rdk_transport_vtbl* vt() {
  return plugin().descriptor()->transport;
}

std::string jsonQuote(const std::string& s) {
  return rdk::json::quote(s);
}

/// A web root in a temp dir: index.html, js/app.js, sub/ (no index), .hidden, a link out of the
/// root, a link into an allowed directory, and a .rdk-csp policy.
struct WebRoot {
  fs::path root, outside, allowed;
  WebRoot() {
    char pattern[] = "/tmp/rdk-ws-test-XXXXXX";
    const fs::path base = mkdtemp(pattern);
    root = base / "www";
    outside = base / "secret";
    allowed = base / "shared-js";
    fs::create_directories(root / "js");
    fs::create_directories(root / "sub");
    fs::create_directories(outside);
    fs::create_directories(allowed);
    write(root / "index.html", "<!doctype html><title>test</title>");
    write(root / "js/app.js", "export const x = 1;\n");
    write(root / "sub/file.txt", "text");
    write(root / ".hidden", "hidden");
    write(root / ".rdk-csp", "default-src 'none'; script-src 'self'\n");
    write(outside / "passwd", "root:x:0:0");
    write(allowed / "lib.js", "var lib = 1;\n");
    fs::create_symlink(outside / "passwd", root / "link-out");
    fs::create_symlink(allowed / "lib.js", root / "js/lib.js");
    fs::create_symlink(outside, root / "dir-out");
  }
  ~WebRoot() { fs::remove_all(root.parent_path()); }
  static void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }
  std::string options(const std::string& extra = "") const {
    return "{\"www_dir\":" + jsonQuote(root.string()) + ",\"www_link_dirs\":[" +
           jsonQuote(allowed.string()) + "]" + extra + "}";
  }
};

/// Accepts every connection with a fresh recorder.
struct Server {
  rdk_listener* listener = nullptr;
  rdk_status status = RDK_OK;
  std::mutex mutex;
  std::vector<std::unique_ptr<ConnectionRecorder>> recorders;
  std::vector<rdk_connection*> conns;
  rdk_listener_callbacks cb{};
  std::string address;
  int port = 0;

  explicit Server(const std::string& options, const std::string& url = "ws://127.0.0.1:0") {
    cb.struct_size = sizeof(cb);
    cb.host_listener = this;
    cb.on_accept = [](void* h, rdk_connection* c, const char*) -> const rdk_connection_callbacks* {
      auto* self = static_cast<Server*>(h);
      std::lock_guard<std::mutex> lock(self->mutex);
      self->recorders.push_back(std::make_unique<ConnectionRecorder>());
      self->conns.push_back(c);
      return self->recorders.back()->callbacks();
    };
    status = vt()->listen(plugin().state(), url.c_str(), options.c_str(), &cb, &listener);
    if (status != RDK_OK)
      return;
    char buf[128];
    CPPUNIT_ASSERT_EQUAL(RDK_OK, vt()->listener_address(listener, buf, sizeof(buf)));
    address = buf;
    port = std::stoi(address.substr(address.rfind(':') + 1));
  }
  ~Server() {
    if (listener)
      vt()->listener_destroy(listener);
    for (auto* c : conns)
      vt()->connection_destroy(c);
  }
  size_t count() {
    std::lock_guard<std::mutex> lock(mutex);
    return recorders.size();
  }
  bool waitCount(size_t n) {
    for (int i = 0; i < 500 && count() < n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return count() >= n;
  }
  ConnectionRecorder& recorder(size_t i) {
    std::lock_guard<std::mutex> lock(mutex);
    return *recorders.at(i);
  }
  rdk_connection* conn(size_t i) {
    std::lock_guard<std::mutex> lock(mutex);
    return conns.at(i);
  }
};

rdk_status sendBytes(rdk_connection* c, const std::string& data) {
  rdk_bytes iov{reinterpret_cast<const uint8_t*>(data.data()), data.size()};
  rdk_send_info info{sizeof(info), RDK_DELIVERY_RELIABLE, 0, 0};
  return vt()->send(c, &iov, 1, &info);
}

std::string pattern(size_t n, uint32_t seed) {
  std::string v(n, '\0');
  for (size_t i = 0; i < n; ++i)
    v[i] = static_cast<char>((i * 131 + seed * 7) >> 3);
  return v;
}

std::string received(ConnectionRecorder& r) {
  std::lock_guard<std::mutex> lock(r.mutex_);
  return std::string(r.bytes_.begin(), r.bytes_.end());
}

// ---- a raw client ------------------------------------------------------------------------------

int rawConnect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void writeAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0)
      return;
    off += static_cast<size_t>(n);
  }
}

/// Reads until |done| says the bytes are complete, the peer closes, or 5 s pass.
template <class Done>
std::string readUntil(int fd, std::string buffer, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done(buffer) && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0)
      continue;
    char chunk[65536];
    const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0)
      break;
    buffer.append(chunk, static_cast<size_t>(n));
  }
  return buffer;
}

/// A whole HTTP exchange on its own connection ("Connection: close").
std::string http(int port, const std::string& requestLine, const std::string& headers = "") {
  const int fd = rawConnect(port);
  if (fd < 0)
    return "";
  writeAll(fd, requestLine + "\r\nHost: 127.0.0.1:" + std::to_string(port) +
                   "\r\nConnection: close\r\n" + headers + "\r\n");
  std::string out = readUntil(fd, "", [](const std::string&) { return false; });
  ::close(fd);
  return out;
}

int statusOf(const std::string& response) {
  return response.size() > 12 ? std::atoi(response.c_str() + 9) : 0;
}
std::string header(const std::string& response, const std::string& name) {
  const size_t end = response.find("\r\n\r\n");
  const std::string head = response.substr(0, end);
  const std::string key = "\r\n" + name + ": ";
  const size_t pos = head.find(key);
  if (pos == std::string::npos)
    return "";
  const size_t stop = head.find("\r\n", pos + key.size());
  return head.substr(pos + key.size(), stop - pos - key.size());
}
std::string body(const std::string& response) {
  const size_t end = response.find("\r\n\r\n");
  return end == std::string::npos ? "" : response.substr(end + 4);
}

const std::string kKey = "dGhlIHNhbXBsZSBub25jZQ==";

/// Sends a handshake; returns the response head (and leaves any extra bytes in |rest|).
std::string handshake(int fd, int port, const std::string& extra, std::string* rest = nullptr) {
  writeAll(fd, "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                   "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + kKey +
                   "\r\nSec-WebSocket-Version: 13\r\n" + extra + "\r\n");
  std::string in = readUntil(fd, "", [](const std::string& b) {
    const size_t end = b.find("\r\n\r\n");
    if (end == std::string::npos)
      return false;
    const std::string length = header(b, "Content-Length");
    return length.empty() || b.size() >= end + 4 + std::stoul(length);
  });
  const size_t end = in.find("\r\n\r\n");
  if (rest)
    *rest = end == std::string::npos ? "" : in.substr(end + 4);
  return in;
}

std::string frame(int opcode, const std::string& payload, bool fin = true, int rsv = 0,
                  bool mask = true) {
  std::string f;
  f += static_cast<char>((fin ? 0x80 : 0) | (rsv << 4) | opcode);
  const uint8_t m = mask ? 0x80 : 0;
  if (payload.size() < 126) {
    f += static_cast<char>(m | payload.size());
  } else if (payload.size() < 65536) {
    f += static_cast<char>(m | 126);
    f += static_cast<char>(payload.size() >> 8);
    f += static_cast<char>(payload.size() & 0xff);
  } else {
    f += static_cast<char>(m | 127);
    for (int i = 7; i >= 0; --i)
      f += static_cast<char>((static_cast<uint64_t>(payload.size()) >> (8 * i)) & 0xff);
  }
  const char key[4] = {0x12, 0x34, 0x56, 0x78};
  if (mask)
    f.append(key, 4);
  for (size_t i = 0; i < payload.size(); ++i)
    f += mask ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i];
  return f;
}

struct Frame {
  int opcode = -1;
  bool fin = false;
  std::string payload;
};

/// Reads server frames (unmasked) until one with |opcode| (or a close) arrives.
Frame readFrame(int fd, std::string& buffer) {
  for (;;) {
    buffer = readUntil(fd, buffer, [](const std::string& b) {
      if (b.size() < 2)
        return false;
      size_t len = static_cast<uint8_t>(b[1]) & 0x7f, head = 2;
      if (len == 126) {
        if (b.size() < 4)
          return false;
        len = (static_cast<uint8_t>(b[2]) << 8) | static_cast<uint8_t>(b[3]);
        head = 4;
      } else if (len == 127) {
        if (b.size() < 10)
          return false;
        len = 0;
        for (int i = 0; i < 8; ++i)
          len = (len << 8) | static_cast<uint8_t>(b[2 + i]);
        head = 10;
      }
      return b.size() >= head + len;
    });
    if (buffer.size() < 2)
      return {};
    Frame f;
    f.fin = (buffer[0] & 0x80) != 0;
    f.opcode = buffer[0] & 0x0f;
    size_t len = static_cast<uint8_t>(buffer[1]) & 0x7f, head = 2;
    if (len == 126) {
      len = (static_cast<uint8_t>(buffer[2]) << 8) | static_cast<uint8_t>(buffer[3]);
      head = 4;
    } else if (len == 127) {
      len = 0;
      for (int i = 0; i < 8; ++i)
        len = (len << 8) | static_cast<uint8_t>(buffer[2 + i]);
      head = 10;
    }
    if (buffer.size() < head + len)
      return {};
    f.payload = buffer.substr(head, len);
    buffer.erase(0, head + len);
    return f;
  }
}

int closeCode(const Frame& f) {
  if (f.opcode != 8 || f.payload.size() < 2)
    return -1;
  return (static_cast<uint8_t>(f.payload[0]) << 8) | static_cast<uint8_t>(f.payload[1]);
}

}  // namespace

class WsTransportTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(WsTransportTest);
  CPPUNIT_TEST(testBytesBothWaysPluginToPlugin);
  CPPUNIT_TEST(testConcurrentSendersKeepPacketsWhole);
  CPPUNIT_TEST(testWebFiles);
  CPPUNIT_TEST(testPathEscapesAreRefused);
  CPPUNIT_TEST(testMalformedFramesAreRefused);
  CPPUNIT_TEST(testFragmentedMessageAndPing);
  CPPUNIT_TEST(testPeerCloseFrame);
  CPPUNIT_TEST(testOrderlyCloseFlushes);
  CPPUNIT_TEST(testHandshakeRefusals);
  CPPUNIT_TEST(testBadUrlsAndOptions);
  CPPUNIT_TEST(testListenerGoesFirst);
  CPPUNIT_TEST(testWss);
  CPPUNIT_TEST(testWssReadsTheTlsSettings);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testBytesBothWaysPluginToPlugin() {
    WebRoot web;
    Server server(web.options());
    CPPUNIT_ASSERT_EQUAL(RDK_OK, server.status);
    CPPUNIT_ASSERT(server.address.rfind("ws://127.0.0.1:", 0) == 0);
    ConnectionRecorder client;
    rdk_connection* conn = nullptr;
    CPPUNIT_ASSERT_EQUAL(RDK_OK, vt()->connect(plugin().state(), (server.address + "/").c_str(),
                                               "{}", client.callbacks(), &conn));
    CPPUNIT_ASSERT(server.waitCount(1));
    const std::string big = pattern(3 << 20, 7);
    CPPUNIT_ASSERT_EQUAL(RDK_OK, sendBytes(conn, "hello "));
    CPPUNIT_ASSERT_EQUAL(RDK_OK, sendBytes(conn, big));
    CPPUNIT_ASSERT(server.recorder(0).waitFor(
        [&](ConnectionRecorder& r) { return r.byteCount() >= 6 + big.size(); }, 10000));
    CPPUNIT_ASSERT(received(server.recorder(0)) == "hello " + big);
    CPPUNIT_ASSERT_EQUAL(RDK_OK, sendBytes(server.conn(0), big));
    CPPUNIT_ASSERT(
        client.waitFor([&](ConnectionRecorder& r) { return r.byteCount() >= big.size(); }, 10000));
    CPPUNIT_ASSERT(received(client) == big);
    rdk_transport_stats stats{};
    stats.struct_size = sizeof(stats);
    CPPUNIT_ASSERT_EQUAL(RDK_OK, vt()->get_stats(server.conn(0), &stats));
    CPPUNIT_ASSERT_EQUAL(uint64_t(big.size()), stats.bytes_sent);
    CPPUNIT_ASSERT(stats.wire_bytes_sent > stats.bytes_sent);
    char peer[128];
    CPPUNIT_ASSERT_EQUAL(RDK_OK, vt()->peer_address(server.conn(0), peer, sizeof(peer)));
    CPPUNIT_ASSERT(std::string(peer).rfind("ws://127.0.0.1:", 0) == 0);
    vt()->close(conn, "bye");
    CPPUNIT_ASSERT(server.recorder(0).waitFor([](ConnectionRecorder& r) { return r.closed(); }));
    CPPUNIT_ASSERT_EQUAL(RDK_E_CLOSED, server.recorder(0).closedStatus_);
    CPPUNIT_ASSERT(server.recorder(0).closedReason_.find("bye") != std::string::npos);
    CPPUNIT_ASSERT(client.waitFor([](ConnectionRecorder& r) { return r.closed(); }));
    vt()->connection_destroy(conn);
  }

  void testConcurrentSendersKeepPacketsWhole() {
    WebRoot web;
    Server server(web.options());
    ConnectionRecorder client;
    rdk_connection* conn = nullptr;
    CPPUNIT_ASSERT_EQUAL(RDK_OK, vt()->connect(plugin().state(), server.address.c_str(), "{}",
                                               client.callbacks(), &conn));
    CPPUNIT_ASSERT(server.waitCount(1));
    // Each packet is "<4-byte length><body>"; two threads send 300 each.
    auto sender = [&](uint32_t seed) {
      for (uint32_t i = 0; i < 300; ++i) {
        const std::string bodyText = pattern(1 + (i * 977 + seed) % 9000, seed + i);
        std::string packet(4, '\0');
        for (int b = 0; b < 4; ++b)
          packet[b] = static_cast<char>((bodyText.size() >> (8 * b)) & 0xff);
        packet += bodyText;
        while (sendBytes(server.conn(0), packet) == RDK_E_AGAIN)
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    };
    std::thread a(sender, 1), b(sender, 2);
    a.join();
    b.join();
    CPPUNIT_ASSERT(client.waitFor(
        [&](ConnectionRecorder& r) {
          size_t off = 0, n = 0;
          while (off + 4 <= r.bytes_.size()) {
            size_t len = 0;
            for (int k = 0; k < 4; ++k)
              len |= size_t{r.bytes_[off + k]} << (8 * k);
            if (off + 4 + len > r.bytes_.size())
              break;
            off += 4 + len;
            ++n;
          }
          return n == 600 && off == r.bytes_.size();
        },
        10000));
    vt()->connection_destroy(conn);
  }

  void testWebFiles() {
    WebRoot web;
    Server server(web.options());
    const std::string index = http(server.port, "GET / HTTP/1.1");
    CPPUNIT_ASSERT_EQUAL(200, statusOf(index));
    CPPUNIT_ASSERT_EQUAL(std::string("text/html; charset=utf-8"), header(index, "Content-Type"));
    CPPUNIT_ASSERT_EQUAL(std::string("<!doctype html><title>test</title>"), body(index));
    CPPUNIT_ASSERT_EQUAL(std::string("nosniff"), header(index, "X-Content-Type-Options"));
    CPPUNIT_ASSERT_EQUAL(std::string("DENY"), header(index, "X-Frame-Options"));
    CPPUNIT_ASSERT_EQUAL(std::string("no-referrer"), header(index, "Referrer-Policy"));
    CPPUNIT_ASSERT_EQUAL(std::string("default-src 'none'; script-src 'self'"),
                         header(index, "Content-Security-Policy"));
    const std::string js = http(server.port, "GET /js/app.js?v=2 HTTP/1.1");
    CPPUNIT_ASSERT_EQUAL(200, statusOf(js));
    CPPUNIT_ASSERT_EQUAL(std::string("text/javascript; charset=utf-8"), header(js, "Content-Type"));
    // A link into an allowed directory (Debian's xpra links jQuery into /usr/share/javascript).
    const std::string lib = http(server.port, "GET /js/lib.js HTTP/1.1");
    CPPUNIT_ASSERT_EQUAL(200, statusOf(lib));
    CPPUNIT_ASSERT_EQUAL(std::string("var lib = 1;\n"), body(lib));
    const std::string dir = http(server.port, "GET /js?x=1 HTTP/1.1");
    CPPUNIT_ASSERT_EQUAL(301, statusOf(dir));
    CPPUNIT_ASSERT_EQUAL(std::string("/js/?x=1"), header(dir, "Location"));
    // Never "//js/": a browser reads that as a redirect to the host "js".
    const std::string doubled = http(server.port, "GET //js HTTP/1.1");
    CPPUNIT_ASSERT_EQUAL(301, statusOf(doubled));
    CPPUNIT_ASSERT_EQUAL(std::string("/js/"), header(doubled, "Location"));
    const std::string listing = http(server.port, "GET /sub/ HTTP/1.1");
    CPPUNIT_ASSERT_EQUAL(403, statusOf(listing));
    CPPUNIT_ASSERT(body(listing).find("directory listing is disabled") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(404, statusOf(http(server.port, "GET /.hidden HTTP/1.1")));
    CPPUNIT_ASSERT_EQUAL(404, statusOf(http(server.port, "GET /.rdk-csp HTTP/1.1")));
    CPPUNIT_ASSERT_EQUAL(404, statusOf(http(server.port, "GET /missing.js HTTP/1.1")));
    const std::string post = http(server.port, "POST / HTTP/1.1", "Content-Length: 0\r\n");
    CPPUNIT_ASSERT_EQUAL(405, statusOf(post));
    CPPUNIT_ASSERT_EQUAL(std::string("GET, HEAD"), header(post, "Allow"));
    const std::string head = http(server.port, "HEAD /js/app.js HTTP/1.1");
    CPPUNIT_ASSERT_EQUAL(200, statusOf(head));
    CPPUNIT_ASSERT(body(head).empty());
    const std::string etag = header(js, "ETag");
    CPPUNIT_ASSERT(!etag.empty());
    CPPUNIT_ASSERT_EQUAL(304, statusOf(http(server.port, "GET /js/app.js HTTP/1.1",
                                            "If-None-Match: " + etag + "\r\n")));
  }

  void testPathEscapesAreRefused() {
    WebRoot web;
    Server server(web.options());
    for (const char* target :
         {"/../secret/passwd", "/%2e%2e/secret/passwd", "/js/..%2f..%2fsecret%2fpasswd",
          "/js/../../secret/passwd", "/./../secret/passwd", "/%2E%2E/%2E%2E/etc/passwd"}) {
      const std::string r = http(server.port, std::string("GET ") + target + " HTTP/1.1");
      CPPUNIT_ASSERT_EQUAL_MESSAGE(target, 400, statusOf(r));
      CPPUNIT_ASSERT_MESSAGE(target, body(r).find("leaves the web root") != std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(target, r.find("root:x") == std::string::npos);
    }
    for (const char* target : {"/link-out", "/dir-out/passwd"}) {
      const std::string r = http(server.port, std::string("GET ") + target + " HTTP/1.1");
      CPPUNIT_ASSERT_EQUAL_MESSAGE(target, 403, statusOf(r));
      CPPUNIT_ASSERT_MESSAGE(target, body(r).find("symbolic link") != std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(target, r.find("root:x") == std::string::npos);
    }
    CPPUNIT_ASSERT_EQUAL(400, statusOf(http(server.port, "GET /a%00b HTTP/1.1")));
    CPPUNIT_ASSERT_EQUAL(400, statusOf(http(server.port, "GET /bad%zz HTTP/1.1")));
    // The refusals are logged with the reason.
    CPPUNIT_ASSERT(plugin().host().log().find("leaves the web root") != std::string::npos);
  }

  void testMalformedFramesAreRefused() {
    WebRoot web;
    Server server(web.options(",\"max_frame_bytes\":4096"));
    struct Case {
      std::string frames;
      int code;
      const char* reason;
    };
    const std::vector<Case> cases = {
        {frame(1, "hello"), 1003, "text frames are not accepted"},
        {frame(2, "x", true, 4), 1002, "reserved bits"},
        {frame(3, "x"), 1002, "unknown opcode 3"},
        {frame(0, "x"), 1002, "no message to continue"},
        {frame(9, "x", false), 1002, "control frame is fragmented"},
        {frame(9, std::string(126, 'p')), 1002, "longer than 125 bytes"},
        {frame(2, std::string(5000, 'b')), 1009, "longer than the 4096 bytes"},
        {frame(2, "ab", false) + frame(2, "cd"), 1002, "before the previous one ended"},
        {frame(8, "x"), 1002, "1-byte payload"},
    };
    for (size_t i = 0; i < cases.size(); ++i) {
      const Case& c = cases[i];
      const int fd = rawConnect(server.port);
      std::string rest;
      const std::string head = handshake(fd, server.port, "", &rest);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(c.reason, 101, statusOf(head));
      CPPUNIT_ASSERT(server.waitCount(i + 1));
      writeAll(fd, c.frames);
      const Frame reply = readFrame(fd, rest);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(c.reason, c.code, closeCode(reply));
      CPPUNIT_ASSERT_MESSAGE(c.reason + (" != " + reply.payload),
                             reply.payload.find(c.reason) != std::string::npos);
      ConnectionRecorder& r = server.recorder(i);
      CPPUNIT_ASSERT(r.waitFor([](ConnectionRecorder& x) { return x.closed(); }));
      CPPUNIT_ASSERT_EQUAL_MESSAGE(c.reason, RDK_E_CORRUPT, r.closedStatus_);
      CPPUNIT_ASSERT_MESSAGE(c.reason, r.closedReason_.find(c.reason) != std::string::npos);
      ::close(fd);
    }
    // A frame cut short by the peer.
    const int fd = rawConnect(server.port);
    std::string rest;
    CPPUNIT_ASSERT_EQUAL(101, statusOf(handshake(fd, server.port, "", &rest)));
    CPPUNIT_ASSERT(server.waitCount(cases.size() + 1));
    writeAll(fd, frame(2, std::string(1000, 'z')).substr(0, 300));
    ::close(fd);
    ConnectionRecorder& r = server.recorder(cases.size());
    CPPUNIT_ASSERT(r.waitFor([](ConnectionRecorder& x) { return x.closed(); }));
    CPPUNIT_ASSERT(r.closedReason_.find("middle of a WebSocket frame") != std::string::npos);
  }

  void testFragmentedMessageAndPing() {
    WebRoot web;
    Server server(web.options());
    const int fd = rawConnect(server.port);
    std::string rest;
    CPPUNIT_ASSERT_EQUAL(101, statusOf(handshake(fd, server.port, "", &rest)));
    CPPUNIT_ASSERT(server.waitCount(1));
    writeAll(fd, frame(2, "ab", false) + frame(9, "ping!") + frame(0, "cd", false) +
                     frame(0, "ef") + frame(2, "gh"));
    const Frame pong = readFrame(fd, rest);
    CPPUNIT_ASSERT_EQUAL(10, pong.opcode);
    CPPUNIT_ASSERT_EQUAL(std::string("ping!"), pong.payload);
    CPPUNIT_ASSERT(
        server.recorder(0).waitFor([](ConnectionRecorder& r) { return r.byteCount() >= 8; }));
    CPPUNIT_ASSERT_EQUAL(std::string("abcdefgh"), received(server.recorder(0)));
    CPPUNIT_ASSERT(!server.recorder(0).closed());
    // The server's packets arrive as binary frames.
    CPPUNIT_ASSERT_EQUAL(RDK_OK, sendBytes(server.conn(0), "records"));
    const Frame data = readFrame(fd, rest);
    CPPUNIT_ASSERT_EQUAL(2, data.opcode);
    CPPUNIT_ASSERT(data.fin);
    CPPUNIT_ASSERT_EQUAL(std::string("records"), data.payload);
    ::close(fd);
  }

  void testPeerCloseFrame() {
    WebRoot web;
    Server server(web.options());
    const int fd = rawConnect(server.port);
    std::string rest;
    CPPUNIT_ASSERT_EQUAL(101, statusOf(handshake(fd, server.port, "", &rest)));
    CPPUNIT_ASSERT(server.waitCount(1));
    writeAll(fd, frame(8, std::string("\x03\xe9", 2) + "tab closed"));  // 1001
    const Frame reply = readFrame(fd, rest);
    CPPUNIT_ASSERT_EQUAL(1001, closeCode(reply));
    ConnectionRecorder& r = server.recorder(0);
    CPPUNIT_ASSERT(r.waitFor([](ConnectionRecorder& x) { return x.closed(); }));
    CPPUNIT_ASSERT_EQUAL(RDK_E_CLOSED, r.closedStatus_);
    CPPUNIT_ASSERT_EQUAL(std::string("peer closed the WebSocket (1001 going away: tab closed)"),
                         r.closedReason_);
    ::close(fd);
  }

  void testOrderlyCloseFlushes() {
    WebRoot web;
    Server server(web.options());
    const int fd = rawConnect(server.port);
    std::string rest;
    CPPUNIT_ASSERT_EQUAL(101, statusOf(handshake(fd, server.port, "", &rest)));
    CPPUNIT_ASSERT(server.waitCount(1));
    const std::string big = pattern(2 << 20, 3);
    CPPUNIT_ASSERT_EQUAL(RDK_OK, sendBytes(server.conn(0), "one"));
    CPPUNIT_ASSERT_EQUAL(RDK_OK, sendBytes(server.conn(0), big));
    vt()->close(server.conn(0), "server shutting down");
    CPPUNIT_ASSERT_EQUAL(RDK_E_CLOSED, sendBytes(server.conn(0), "late"));
    CPPUNIT_ASSERT_EQUAL(std::string("one"), readFrame(fd, rest).payload);
    CPPUNIT_ASSERT(readFrame(fd, rest).payload == big);
    const Frame close = readFrame(fd, rest);
    CPPUNIT_ASSERT_EQUAL(1000, closeCode(close));
    CPPUNIT_ASSERT_EQUAL(std::string("server shutting down"), close.payload.substr(2));
    writeAll(fd, frame(8, std::string("\x03\xe8", 2)));
    ConnectionRecorder& r = server.recorder(0);
    CPPUNIT_ASSERT(r.waitFor([](ConnectionRecorder& x) { return x.closed(); }));
    CPPUNIT_ASSERT_EQUAL(std::string("server shutting down"), r.closedReason_);
    ::close(fd);
  }

  void testHandshakeRefusals() {
    WebRoot web;
    Server server(web.options());
    auto attempt = [&](const std::string& extra) {
      const int fd = rawConnect(server.port);
      const std::string r = handshake(fd, server.port, extra);
      ::close(fd);
      return r;
    };
    // A page from another site may not open the desktop in a visitor's browser.
    const std::string evil = attempt("Origin: http://evil.example\r\n");
    CPPUNIT_ASSERT_EQUAL(403, statusOf(evil));
    CPPUNIT_ASSERT(body(evil).find("cross-origin WebSocket refused") != std::string::npos);
    const std::string same =
        attempt("Origin: http://127.0.0.1:" + std::to_string(server.port) + "\r\n");
    CPPUNIT_ASSERT_EQUAL(101, statusOf(same));
    const std::string binary = attempt("Sec-WebSocket-Protocol: chat, binary\r\n");
    CPPUNIT_ASSERT_EQUAL(101, statusOf(binary));
    CPPUNIT_ASSERT_EQUAL(std::string("binary"), header(binary, "Sec-WebSocket-Protocol"));
    const std::string chat = attempt("Sec-WebSocket-Protocol: chat\r\n");
    CPPUNIT_ASSERT_EQUAL(400, statusOf(chat));
    CPPUNIT_ASSERT(body(chat).find("unsupported WebSocket subprotocol") != std::string::npos);
    CPPUNIT_ASSERT(server.waitCount(2));
    // One request on its own connection; the answer's head and body.
    auto exchange = [&](const std::string& request) {
      const int fd = rawConnect(server.port);
      writeAll(fd, request);
      const std::string r = readUntil(fd, "", [](const std::string& b) {
        return b.find("\r\n\r\n") != std::string::npos && b.back() == '\n';
      });
      ::close(fd);
      return r;
    };
    auto raw = [&](const std::string& headers) {
      return exchange(
          "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
          headers + "\r\n");
    };
    const std::string nokey = raw("Sec-WebSocket-Version: 13\r\n");
    CPPUNIT_ASSERT_EQUAL(400, statusOf(nokey));
    CPPUNIT_ASSERT(body(nokey).find("Sec-WebSocket-Key") != std::string::npos);
    const std::string version =
        raw("Sec-WebSocket-Key: " + kKey + "\r\nSec-WebSocket-Version: 8\r\n");
    CPPUNIT_ASSERT_EQUAL(426, statusOf(version));
    CPPUNIT_ASSERT_EQUAL(std::string("13"), header(version, "Sec-WebSocket-Version"));
    // No Host header: a precise 400. With an Origin it used to go unanswered (Poco's getHost()
    // threw inside the handler; found by tests/fuzz/fuzz_ws_http).
    const std::string nohost = exchange(
        "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " +
        kKey + "\r\nSec-WebSocket-Version: 13\r\nOrigin: http://evil.example\r\n\r\n");
    CPPUNIT_ASSERT_EQUAL(400, statusOf(nohost));
    CPPUNIT_ASSERT(body(nohost).find("needs a Host header") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(size_t{2}, server.count());
  }

  void testBadUrlsAndOptions() {
    rdk_listener_callbacks cb{};
    cb.struct_size = sizeof(cb);
    rdk_listener* l = nullptr;
    CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG,
                         vt()->listen(plugin().state(), "ws://127.0.0.1", "{}", &cb, &l));
    CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG,
                         vt()->listen(plugin().state(), "tcp://127.0.0.1:0", "{}", &cb, &l));
    CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, vt()->listen(plugin().state(), "ws://127.0.0.1:0",
                                                         "{\"max_frame_bytes\":1}", &cb, &l));
    CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG,
                         vt()->listen(plugin().state(), "ws://127.0.0.1:0",
                                      "{\"www_dir\":\"/nonexistent/www\"}", &cb, &l));
    CPPUNIT_ASSERT(plugin().host().lastError().find("server.www-dir") != std::string::npos);
    // wss without a certificate says which key to set.
    CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG,
                         vt()->listen(plugin().state(), "wss://127.0.0.1:0", "{}", &cb, &l));
    CPPUNIT_ASSERT(plugin().host().lastError().find("transport.tls.cert") != std::string::npos);
    ConnectionRecorder rec;
    rdk_connection* c = nullptr;
    int port = 0;
    {
      Server s("{}");  // find a port nobody listens on once it is gone
      port = s.port;
    }
    CPPUNIT_ASSERT(vt()->connect(plugin().state(),
                                 ("ws://127.0.0.1:" + std::to_string(port)).c_str(),
                                 "{\"connect_timeout_ms\":2000}", rec.callbacks(), &c) != RDK_OK);
  }

  void testListenerGoesFirst() {
    WebRoot web;
    auto server = std::make_unique<Server>(web.options());
    ConnectionRecorder client;
    rdk_connection* conn = nullptr;
    CPPUNIT_ASSERT_EQUAL(RDK_OK, vt()->connect(plugin().state(), server->address.c_str(), "{}",
                                               client.callbacks(), &conn));
    CPPUNIT_ASSERT(server->waitCount(1));
    rdk_connection* accepted = server->conn(0);
    // The listener goes; the connection it handed over keeps working until destroyed.
    vt()->listener_destroy(server->listener);
    server->listener = nullptr;
    CPPUNIT_ASSERT_EQUAL(RDK_OK, sendBytes(accepted, "still here"));
    CPPUNIT_ASSERT(client.waitFor([](ConnectionRecorder& r) { return r.byteCount() >= 10; }));
    server.reset();  // destroys the accepted connection
    CPPUNIT_ASSERT(client.waitFor([](ConnectionRecorder& r) { return r.closed(); }));
    vt()->connection_destroy(conn);
  }

  void testWss() {
    const std::string& d = rdk::test::testCertDir();
    WebRoot web;
    Server server(web.options(",\"cert\":" + jsonQuote(d + "/server.pem") +
                              ",\"key\":" + jsonQuote(d + "/server.key")),
                  "wss://127.0.0.1:0");
    CPPUNIT_ASSERT_EQUAL(RDK_OK, server.status);
    CPPUNIT_ASSERT(server.address.rfind("wss://127.0.0.1:", 0) == 0);
    ConnectionRecorder client;
    rdk_connection* conn = nullptr;
    const std::string ca = "{\"ca\":" + jsonQuote(d + "/ca.pem") + "}";
    CPPUNIT_ASSERT_EQUAL(RDK_OK, vt()->connect(plugin().state(), server.address.c_str(), ca.c_str(),
                                               client.callbacks(), &conn));
    CPPUNIT_ASSERT(server.waitCount(1));
    const std::string big = pattern(1 << 20, 5);
    CPPUNIT_ASSERT_EQUAL(RDK_OK, sendBytes(conn, big));
    CPPUNIT_ASSERT_EQUAL(RDK_OK, sendBytes(server.conn(0), "over TLS"));
    CPPUNIT_ASSERT(server.recorder(0).waitFor(
        [&](ConnectionRecorder& r) { return r.byteCount() >= big.size(); }, 10000));
    CPPUNIT_ASSERT(received(server.recorder(0)) == big);
    CPPUNIT_ASSERT(client.waitFor([](ConnectionRecorder& r) { return r.byteCount() >= 8; }));
    CPPUNIT_ASSERT_EQUAL(std::string("over TLS"), received(client));
    vt()->connection_destroy(conn);
    // A client that trusts another CA refuses the server.
    ConnectionRecorder other;
    rdk_connection* refused = nullptr;
    const std::string otherCa = "{\"ca\":" + jsonQuote(d + "/other-ca.pem") + "}";
    CPPUNIT_ASSERT(vt()->connect(plugin().state(), server.address.c_str(), otherCa.c_str(),
                                 other.callbacks(), &refused) != RDK_OK);
  }

  // The transport.tls.* settings (declared by the ssl plugin) reach wss:// as they reach ssl://:
  // a transport.tls.server-name the certificate does not carry is refused; what the kernel
  // passes wins.
  void testWssReadsTheTlsSettings() {
    const std::string& d = rdk::test::testCertDir();
    WebRoot web;
    Server server(web.options(",\"cert\":" + jsonQuote(d + "/server.pem") +
                              ",\"key\":" + jsonQuote(d + "/server.key")),
                  "wss://127.0.0.1:0");
    CPPUNIT_ASSERT_EQUAL(RDK_OK, server.status);
    const std::string ca = "{\"ca\":" + jsonQuote(d + "/ca.pem") + "}";
    auto connect = [&](const std::string& options) {
      ConnectionRecorder client;
      rdk_connection* conn = nullptr;
      const rdk_status status = vt()->connect(plugin().state(), server.address.c_str(),
                                              options.c_str(), client.callbacks(), &conn);
      if (conn)
        vt()->connection_destroy(conn);
      return status;
    };
    plugin().host().setConfig("transport.tls.server-name", "not-this-server.example");
    const rdk_status misnamed = connect(ca);
    const std::string named = "{\"ca\":" + jsonQuote(d + "/ca.pem") + ",\"server_name\":\"\"}";
    const rdk_status kernelWins = connect(named);
    plugin().host().setConfig("transport.tls.server-name", "");
    CPPUNIT_ASSERT(misnamed != RDK_OK);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(plugin().host().lastError(), RDK_OK, kernelWins);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(plugin().host().lastError(), RDK_OK, connect(ca));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WsTransportTest);
