// The endpoint's I/O thread never ends the process for what a peer sends (issue 21 item 1): a
// datagram whose handling throws std::bad_alloc is dropped and counted, the first failure is
// logged once, and the endpoint carries on serving real clients. The endpoint is compiled into
// this test (as the dtls plugin compiles it) with a channel that fails on a marked datagram.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "ConnectionRecorder.hpp"
#include "plugin_harness.hpp"
#include "socket_channel.hpp"
#include "udp_connection.hpp"
#include "udp_endpoint.hpp"
#include "udp_url.hpp"

using namespace rdk::udp;
using rdk::test::ConnectionRecorder;

namespace {

constexpr uint8_t kPoison = 0xBA;  // not our magic: the channel fails on it

/// A socket whose receive fails as an allocation would, for datagrams starting with kPoison.
class FailingChannel : public DatagramChannel {
 public:
  explicit FailingChannel(std::unique_ptr<DatagramChannel> inner) : inner_(std::move(inner)) {}
  SendStatus sendTo(const PeerAddress& to, const uint8_t* data, size_t size) override {
    return inner_->sendTo(to, data, size);
  }
  ssize_t receiveFrom(uint8_t* buf, size_t capacity, PeerAddress& from) override {
    const ssize_t n = inner_->receiveFrom(buf, capacity, from);
    if (n > 0 && buf[0] == kPoison)
      throw std::bad_alloc();
    return n;
  }
  int pollFd() const override { return inner_->pollFd(); }
  size_t pathMtu(const PeerAddress& to) override { return inner_->pathMtu(to); }
  PeerAddress localAddress() const override { return inner_->localAddress(); }

 private:
  std::unique_ptr<DatagramChannel> inner_;
};

rdk::test::LoadedTestPlugin& udpPlugin() {
  static rdk::test::LoadedTestPlugin p("udp");
  return p;
}

struct Accepted {
  std::mutex mutex;
  std::vector<std::unique_ptr<ConnectionRecorder>> recorders;
  std::vector<rdk::Connection*> conns;
  size_t count() {
    std::lock_guard<std::mutex> lock(mutex);
    return recorders.size();
  }
};

}  // namespace

class UdpEndpointFailureTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(UdpEndpointFailureTest);
  CPPUNIT_TEST(testAllocationFailureDropsTheDatagramOnly);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testAllocationFailureDropsTheDatagramOnly() {
    auto sock = std::make_unique<SocketChannel>(resolveUrl("udp://127.0.0.1:0", "udp", true));
    auto endpoint = std::make_shared<UdpEndpoint>(std::make_unique<FailingChannel>(std::move(sock)),
                                                  UdpOptions{}, "udp");
    std::mutex logMutex;
    std::vector<std::string> logged;
    endpoint->setLogger([&](const std::string& msg) {
      std::lock_guard<std::mutex> lock(logMutex);
      logged.push_back(msg);
    });
    Accepted accepted;
    rdk_listener_callbacks cb{};
    cb.struct_size = sizeof(cb);
    cb.host_listener = &accepted;
    cb.on_accept = [](void* h, rdk_connection* c, const char*) -> const rdk_connection_callbacks* {
      auto* a = static_cast<Accepted*>(h);
      std::lock_guard<std::mutex> lock(a->mutex);
      a->recorders.push_back(std::make_unique<ConnectionRecorder>());
      a->conns.push_back(reinterpret_cast<rdk::Connection*>(c));
      return a->recorders.back()->callbacks();
    };
    endpoint->startListening(cb);
    endpoint->start();
    const std::string url = formatPeer("udp", endpoint->localAddress());

    // 50 datagrams whose handling runs out of memory.
    const int fd = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(std::stoi(url.substr(url.rfind(':') + 1))));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const std::vector<uint8_t> poison(100, kPoison);
    for (int i = 0; i < 50; ++i)
      sendto(fd, poison.data(), poison.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
    close(fd);
    for (int i = 0; i < 300 && endpoint->failures() < 50; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CPPUNIT_ASSERT_EQUAL(uint64_t(50), endpoint->failures());
    {
      std::lock_guard<std::mutex> lock(logMutex);
      CPPUNIT_ASSERT_EQUAL(size_t(1), logged.size());  // logged once, counted always
      CPPUNIT_ASSERT(logged[0].find("out of memory") != std::string::npos);
    }

    // The I/O thread is still there: a real client connects and its packet arrives.
    const rdk_transport_vtbl* vt = udpPlugin().descriptor()->transport;
    ConnectionRecorder client;
    rdk_connection* c = nullptr;
    CPPUNIT_ASSERT_EQUAL(
        RDK_OK, vt->connect(udpPlugin().state(), url.c_str(), "{}", client.callbacks(), &c));
    for (int i = 0; i < 300 && accepted.count() < 1; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CPPUNIT_ASSERT_EQUAL(size_t(1), accepted.count());
    const std::vector<uint8_t> hello(5000, 'h');
    rdk_bytes iov{hello.data(), hello.size()};
    rdk_send_info info{sizeof(info), RDK_DELIVERY_RELIABLE, 0, 1};
    CPPUNIT_ASSERT_EQUAL(RDK_OK, vt->send(c, &iov, 1, &info));
    CPPUNIT_ASSERT(accepted.recorders[0]->waitFor(
        [&](auto& r) { return r.messages_.size() == 1 && r.messages_[0] == hello; }));
    vt->connection_destroy(c);
    endpoint->stopListening();
    for (auto* conn : accepted.conns)
      delete conn;
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(UdpEndpointFailureTest);
