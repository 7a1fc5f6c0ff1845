// The tcp transport plugin over real loopback sockets.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "ConnectionRecorder.hpp"
#include "plugin_harness.hpp"

using rdk::test::ConnectionRecorder;

namespace {

rdk::test::LoadedTestPlugin& plugin() {
  static rdk::test::LoadedTestPlugin p("tcp");
  return p;
}
const rdk_transport_vtbl* vt() {
  return plugin().descriptor()->transport;
}

/// Accepts every connection with a fresh recorder.
struct Server {
  rdk_listener* listener = nullptr;
  std::mutex mutex;
  std::vector<std::unique_ptr<ConnectionRecorder>> recorders;
  std::vector<rdk_connection*> conns;
  rdk_listener_callbacks cb{};
  std::string address;

  explicit Server(const std::string& options = "{}", const std::string& url = "tcp://127.0.0.1:0") {
    cb.struct_size = sizeof(cb);
    cb.host_listener = this;
    cb.on_accept = [](void* h, rdk_connection* c, const char*) -> const rdk_connection_callbacks* {
      auto* self = static_cast<Server*>(h);
      std::lock_guard<std::mutex> lock(self->mutex);
      self->recorders.push_back(std::make_unique<ConnectionRecorder>());
      self->conns.push_back(c);
      return self->recorders.back()->callbacks();
    };
    CPPUNIT_ASSERT_EQUAL(
        RDK_OK, vt()->listen(plugin().state(), url.c_str(), options.c_str(), &cb, &listener));
    char buf[128];
    CPPUNIT_ASSERT_EQUAL(RDK_OK, vt()->listener_address(listener, buf, sizeof(buf)));
    address = buf;
  }
  ~Server() {
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
};

rdk_status sendBytes(rdk_connection* c, const std::vector<uint8_t>& data) {
  rdk_bytes iov{data.data(), data.size()};
  rdk_send_info info{sizeof(info), RDK_DELIVERY_RELIABLE, 0, 0};
  return vt()->send(c, &iov, 1, &info);
}

std::vector<uint8_t> pattern(size_t n, uint32_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = static_cast<uint8_t>((i * 131 + seed * 7) >> 3);
  return v;
}

int portOf(const std::string& url) {
  return std::stoi(url.substr(url.rfind(':') + 1));
}

/// A plain socket server for peer behaviour the plugin cannot produce (not reading, resetting).
int rawListen(int& port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  listen(fd, 4);
  socklen_t len = sizeof(a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return fd;
}

}  // namespace

class TcpTransportTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(TcpTransportTest);
  CPPUNIT_TEST(testListenReportsActualPort);
  CPPUNIT_TEST(testBytesArriveIntactBothWays);
  CPPUNIT_TEST(testManyConcurrentClients);
  CPPUNIT_TEST(testConcurrentSendersKeepPacketsWhole);
  CPPUNIT_TEST(testBackPressureReturnsAgain);
  CPPUNIT_TEST(testPeerCloseAndReset);
  CPPUNIT_TEST(testOrderlyCloseFlushes);
  CPPUNIT_TEST(testIdleTimeout);
  CPPUNIT_TEST(testBadUrlsAndOptions);
  CPPUNIT_TEST(testUnixSocketCarriesBytesAndIsPrivate);
  CPPUNIT_TEST(testUnixSocketReplacesStaleFileOnly);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testListenReportsActualPort() {
    Server s;
    CPPUNIT_ASSERT(s.address.rfind("tcp://127.0.0.1:", 0) == 0);
    CPPUNIT_ASSERT(portOf(s.address) > 0);
  }

  void testBytesArriveIntactBothWays() {
    Server s;
    ConnectionRecorder client;
    rdk_connection* c = nullptr;
    CPPUNIT_ASSERT_EQUAL(
        RDK_OK, vt()->connect(plugin().state(), s.address.c_str(), "{}", client.callbacks(), &c));
    const auto data = pattern(3 << 20, 1);
    for (size_t off = 0; off < data.size(); off += 100000) {
      std::vector<uint8_t> part(data.begin() + off,
                                data.begin() + std::min(data.size(), off + 100000));
      rdk_status st;
      while ((st = sendBytes(c, part)) == RDK_E_AGAIN)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      CPPUNIT_ASSERT_EQUAL(RDK_OK, st);
    }
    CPPUNIT_ASSERT(s.waitCount(1));
    auto& server = *s.recorders[0];
    CPPUNIT_ASSERT(server.waitFor([&](auto& r) { return r.byteCount() >= data.size(); }, 10000));
    CPPUNIT_ASSERT(server.bytes_ == data);
    const auto reply = pattern(50000, 2);
    CPPUNIT_ASSERT_EQUAL(RDK_OK, sendBytes(s.conns[0], reply));
    CPPUNIT_ASSERT(client.waitFor([&](auto& r) { return r.byteCount() >= reply.size(); }));
    CPPUNIT_ASSERT(client.bytes_ == reply);
    char peer[128];
    CPPUNIT_ASSERT_EQUAL(RDK_OK, vt()->peer_address(c, peer, sizeof(peer)));
    CPPUNIT_ASSERT_EQUAL(s.address, std::string(peer));
    rdk_transport_stats st{};
    st.struct_size = sizeof(st);
    CPPUNIT_ASSERT_EQUAL(RDK_OK, vt()->get_stats(c, &st));
    CPPUNIT_ASSERT_EQUAL(static_cast<uint64_t>(data.size()), st.bytes_sent);
    vt()->connection_destroy(c);
  }

  void testManyConcurrentClients() {
    Server s;
    constexpr int kClients = 40;
    std::vector<std::unique_ptr<ConnectionRecorder>> recs;
    std::vector<rdk_connection*> conns;
    for (int i = 0; i < kClients; ++i) {
      recs.push_back(std::make_unique<ConnectionRecorder>());
      rdk_connection* c = nullptr;
      CPPUNIT_ASSERT_EQUAL(RDK_OK, vt()->connect(plugin().state(), s.address.c_str(), "",
                                                 recs.back()->callbacks(), &c));
      conns.push_back(c);
      CPPUNIT_ASSERT_EQUAL(RDK_OK, sendBytes(c, pattern(20000, i)));
    }
    CPPUNIT_ASSERT(s.waitCount(kClients));
    for (int i = 0; i < kClients; ++i) {
      CPPUNIT_ASSERT(s.recorders[i]->waitFor([](auto& r) { return r.byteCount() >= 20000; }));
      CPPUNIT_ASSERT_EQUAL(size_t(20000), s.recorders[i]->byteCount());
    }
    for (auto* c : conns)
      vt()->connection_destroy(c);
  }

  void testConcurrentSendersKeepPacketsWhole() {
    // Several encoder threads send on one connection without a lock of their own: every packet
    // must arrive contiguous (never interleaved with another thread's bytes).
    Server s;
    ConnectionRecorder client;
    rdk_connection* c = nullptr;
    CPPUNIT_ASSERT_EQUAL(
        RDK_OK, vt()->connect(plugin().state(), s.address.c_str(), "{}", client.callbacks(), &c));
    constexpr int kThreads = 4, kPackets = 200, kSize = 3000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        std::vector<uint8_t> packet(kSize, static_cast<uint8_t>('A' + t));
        for (int i = 0; i < kPackets; ++i) {
          while (sendBytes(c, packet) == RDK_E_AGAIN)
            std::this_thread::yield();
        }
      });
    }
    for (auto& t : threads)
      t.join();
    CPPUNIT_ASSERT(s.waitCount(1));
    auto& r = *s.recorders[0];
    const size_t total = size_t(kThreads) * kPackets * kSize;
    CPPUNIT_ASSERT(r.waitFor([&](auto& x) { return x.byteCount() >= total; }, 10000));
    for (size_t off = 0; off < total; off += kSize) {
      for (size_t i = 1; i < kSize; ++i)
        CPPUNIT_ASSERT_EQUAL(r.bytes_[off], r.bytes_[off + i]);
    }
    vt()->connection_destroy(c);
  }

  void testBackPressureReturnsAgain() {
    int port = 0;
    const int lfd = rawListen(port);
    ConnectionRecorder client;
    rdk_connection* c = nullptr;
    const std::string url = "tcp://127.0.0.1:" + std::to_string(port);
    CPPUNIT_ASSERT_EQUAL(
        RDK_OK, vt()->connect(plugin().state(), url.c_str(), "{\"send_buffer_bytes\":262144}",
                              client.callbacks(), &c));
    const int afd = accept(lfd, nullptr, nullptr);  // accepted, never read
    const auto chunk = pattern(65536, 3);
    int accepted = 0;
    rdk_status st = RDK_OK;
    for (int i = 0; i < 10000 && st == RDK_OK; ++i) {
      st = sendBytes(c, chunk);
      if (st == RDK_OK)
        ++accepted;
    }
    CPPUNIT_ASSERT_EQUAL(RDK_E_AGAIN, st);
    rdk_transport_stats stats{};
    stats.struct_size = sizeof(stats);
    vt()->get_stats(c, &stats);
    CPPUNIT_ASSERT(stats.send_queue_bytes <= 262144 + 65536);
    // Draining the peer lets sending continue.
    std::vector<uint8_t> sink(1 << 20);
    size_t drained = 0;
    while (drained < size_t(accepted) * chunk.size() / 2) {
      const ssize_t n = recv(afd, sink.data(), sink.size(), 0);
      if (n <= 0)
        break;
      drained += size_t(n);
    }
    bool resumed = false;
    for (int i = 0; i < 200 && !resumed; ++i) {
      resumed = sendBytes(c, chunk) == RDK_OK;
      if (!resumed)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CPPUNIT_ASSERT(resumed);
    vt()->connection_destroy(c);
    close(afd);
    close(lfd);
  }

  void testPeerCloseAndReset() {
    int port = 0;
    const int lfd = rawListen(port);
    const std::string url = "tcp://127.0.0.1:" + std::to_string(port);
    {
      ConnectionRecorder client;
      rdk_connection* c = nullptr;
      CPPUNIT_ASSERT_EQUAL(
          RDK_OK, vt()->connect(plugin().state(), url.c_str(), "{}", client.callbacks(), &c));
      close(accept(lfd, nullptr, nullptr));
      CPPUNIT_ASSERT(client.waitFor([](auto& r) { return r.closed(); }));
      CPPUNIT_ASSERT_EQUAL(RDK_E_CLOSED, client.closedStatus_);
      CPPUNIT_ASSERT(client.closedReason_.find("closed by peer") != std::string::npos);
      CPPUNIT_ASSERT_EQUAL(RDK_E_CLOSED, sendBytes(c, pattern(10, 1)));
      vt()->connection_destroy(c);
      CPPUNIT_ASSERT_EQUAL(1, client.closedCount_);
    }
    {
      ConnectionRecorder client;
      rdk_connection* c = nullptr;
      CPPUNIT_ASSERT_EQUAL(
          RDK_OK, vt()->connect(plugin().state(), url.c_str(), "{}", client.callbacks(), &c));
      const int afd = accept(lfd, nullptr, nullptr);
      linger lg{1, 0};
      setsockopt(afd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
      close(afd);  // RST
      CPPUNIT_ASSERT(client.waitFor([](auto& r) { return r.closed(); }));
      CPPUNIT_ASSERT(client.closedReason_.find("reset") != std::string::npos ||
                     client.closedReason_.find("closed") != std::string::npos);
      vt()->connection_destroy(c);
    }
    close(lfd);
  }

  void testOrderlyCloseFlushes() {
    Server s;
    ConnectionRecorder client;
    rdk_connection* c = nullptr;
    CPPUNIT_ASSERT_EQUAL(
        RDK_OK, vt()->connect(plugin().state(), s.address.c_str(), "{}", client.callbacks(), &c));
    const auto data = pattern(2 << 20, 9);
    CPPUNIT_ASSERT_EQUAL(RDK_OK, sendBytes(c, data));
    vt()->close(c, "bye");
    CPPUNIT_ASSERT(client.waitFor([](auto& r) { return r.closed(); }));
    CPPUNIT_ASSERT_EQUAL(RDK_OK, client.closedStatus_);
    CPPUNIT_ASSERT_EQUAL(std::string("bye"), client.closedReason_);
    CPPUNIT_ASSERT_EQUAL(RDK_E_CLOSED, sendBytes(c, data));
    CPPUNIT_ASSERT(s.waitCount(1));
    auto& server = *s.recorders[0];
    CPPUNIT_ASSERT(server.waitFor([](auto& r) { return r.closed(); }));
    CPPUNIT_ASSERT(server.bytes_ == data);
    vt()->connection_destroy(c);
  }

  void testIdleTimeout() {
    Server s("{\"idle_timeout_s\":1}");
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(portOf(s.address)));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CPPUNIT_ASSERT_EQUAL(0, connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)));
    CPPUNIT_ASSERT(s.waitCount(1));
    auto& server = *s.recorders[0];
    CPPUNIT_ASSERT(server.waitFor([](auto& r) { return r.closed(); }, 4000));
    CPPUNIT_ASSERT_EQUAL(RDK_E_TIMEOUT, server.closedStatus_);
    CPPUNIT_ASSERT(server.closedReason_.find("stopped answering") != std::string::npos);
    close(fd);
  }

  void testBadUrlsAndOptions() {
    ConnectionRecorder r;
    rdk_connection* c = nullptr;
    CPPUNIT_ASSERT(vt()->connect(plugin().state(), "udp://127.0.0.1:1", "{}", r.callbacks(), &c) !=
                   RDK_OK);
    CPPUNIT_ASSERT(vt()->connect(plugin().state(), "tcp://127.0.0.1", "{}", r.callbacks(), &c) !=
                   RDK_OK);
    CPPUNIT_ASSERT(vt()->connect(plugin().state(), "tcp://127.0.0.1:99999", "{}", r.callbacks(),
                                 &c) != RDK_OK);
    CPPUNIT_ASSERT(vt()->connect(plugin().state(), "tcp://127.0.0.1:1", "{not json", r.callbacks(),
                                 &c) != RDK_OK);
    // Nothing listens on port 1: refused, with a message.
    CPPUNIT_ASSERT_EQUAL(
        RDK_E_IO, vt()->connect(plugin().state(), "tcp://127.0.0.1:1", "{}", r.callbacks(), &c));
    CPPUNIT_ASSERT(plugin().host().lastError().find("refused") != std::string::npos);
  }

  static std::string tempDir() {
    char dir[] = "/tmp/rdk-unix-XXXXXX";
    CPPUNIT_ASSERT(mkdtemp(dir) != nullptr);
    return dir;
  }

  // unix:///path: the stream of tcp:// over a socket file only its owner may use, removed when
  // the listener goes.
  void testUnixSocketCarriesBytesAndIsPrivate() {
    const std::string dir = tempDir();
    const std::string path = dir + "/vm-7";
    {
      Server s("{}", "unix://" + path);
      CPPUNIT_ASSERT_EQUAL("unix://" + path, s.address);
      struct stat st {};
      CPPUNIT_ASSERT_EQUAL(0, stat(path.c_str(), &st));
      CPPUNIT_ASSERT(S_ISSOCK(st.st_mode));
      CPPUNIT_ASSERT_EQUAL(0600u, static_cast<unsigned>(st.st_mode & 0777));
      ConnectionRecorder client;
      rdk_connection* c = nullptr;
      CPPUNIT_ASSERT_EQUAL(
          RDK_OK, vt()->connect(plugin().state(), s.address.c_str(), "{}", client.callbacks(), &c));
      const auto data = pattern(1 << 20, 3);
      CPPUNIT_ASSERT_EQUAL(RDK_OK, sendBytes(c, data));
      CPPUNIT_ASSERT(s.waitCount(1));
      CPPUNIT_ASSERT(
          s.recorders[0]->waitFor([&](auto& r) { return r.byteCount() >= data.size(); }, 10000));
      CPPUNIT_ASSERT(s.recorders[0]->bytes_ == data);
      const auto reply = pattern(4000, 4);
      CPPUNIT_ASSERT_EQUAL(RDK_OK, sendBytes(s.conns[0], reply));
      CPPUNIT_ASSERT(client.waitFor([&](auto& r) { return r.byteCount() >= reply.size(); }));
      CPPUNIT_ASSERT(client.bytes_ == reply);
      char peer[256];
      CPPUNIT_ASSERT_EQUAL(RDK_OK, vt()->peer_address(c, peer, sizeof(peer)));
      CPPUNIT_ASSERT_EQUAL(s.address, std::string(peer));
      vt()->connection_destroy(c);
    }
    CPPUNIT_ASSERT(access(path.c_str(), F_OK) != 0);
    rmdir(dir.c_str());
  }

  // A file left by a server that died is replaced; a live server's is not.
  void testUnixSocketReplacesStaleFileOnly() {
    const std::string dir = tempDir();
    const std::string path = dir + "/vm-8";
    const int stale = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::memcpy(a.sun_path, path.c_str(), path.size());
    CPPUNIT_ASSERT_EQUAL(0, bind(stale, reinterpret_cast<sockaddr*>(&a), sizeof(a)));
    close(stale);  // the file stays, nobody listens
    {
      Server s("{}", "unix://" + path);
      ConnectionRecorder r;
      rdk_listener* second = nullptr;
      rdk_listener_callbacks cb = s.cb;
      CPPUNIT_ASSERT_EQUAL(
          RDK_E_IO, vt()->listen(plugin().state(), ("unix://" + path).c_str(), "{}", &cb, &second));
      CPPUNIT_ASSERT(plugin().host().lastError().find("already listens") != std::string::npos);
      rdk_connection* c = nullptr;
      CPPUNIT_ASSERT_EQUAL(
          RDK_OK, vt()->connect(plugin().state(), s.address.c_str(), "{}", r.callbacks(), &c));
      CPPUNIT_ASSERT(s.waitCount(1));
      vt()->connection_destroy(c);
    }
    ConnectionRecorder r;
    rdk_connection* c = nullptr;
    CPPUNIT_ASSERT_EQUAL(RDK_E_IO, vt()->connect(plugin().state(), ("unix://" + path).c_str(), "{}",
                                                 r.callbacks(), &c));
    CPPUNIT_ASSERT(vt()->connect(plugin().state(), "unix://relative/x", "{}", r.callbacks(), &c) !=
                   RDK_OK);
    CPPUNIT_ASSERT(vt()->connect(plugin().state(), ("unix:///" + std::string(200, 'x')).c_str(),
                                 "{}", r.callbacks(), &c) != RDK_OK);
    rmdir(dir.c_str());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TcpTransportTest);
