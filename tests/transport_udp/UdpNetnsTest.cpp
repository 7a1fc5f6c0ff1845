// Kernel-level loss: nftables `numgen random mod 100 < 10 drop` (input hook, so the sender is not
// told) on the loopback of a network
// namespace this test creates (and always deletes). Skips, saying why, without root or netns.
#include <sys/wait.h>
#include <unistd.h>

#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include "ConnectionRecorder.hpp"
#include "plugin_harness.hpp"

using rdk::test::ConnectionRecorder;

namespace {

int run(const std::string& cmd) {
  const int rc = std::system((cmd + " >/dev/null 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/// Creates the namespace with a lossy loopback; deletes it on destruction.
class LossyNamespace {
 public:
  explicit LossyNamespace(int lossPct) : name_("rdk-udpt-" + std::to_string(getpid())) {
    run("ip netns del " + name_);
    ok_ = run("ip netns add " + name_) == 0 &&
          run("ip netns exec " + name_ + " ip link set lo up") == 0 &&
          run("ip netns exec " + name_ + " nft add table inet rdkloss") == 0 &&
          run("ip netns exec " + name_ +
              " nft add chain inet rdkloss in '{ type filter hook input priority 0; }'") == 0 &&
          run("ip netns exec " + name_ +
              " nft add rule inet rdkloss in meta l4proto udp numgen random mod 100 '<' " +
              std::to_string(lossPct) + " counter drop") == 0;
  }
  ~LossyNamespace() { run("ip netns del " + name_); }
  bool ok() const { return ok_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  bool ok_ = false;
};

}  // namespace

class UdpNetnsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(UdpNetnsTest);
  CPPUNIT_TEST(testKernelLossTenPercent);
  CPPUNIT_TEST(inner);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testKernelLossTenPercent() {
    if (geteuid() != 0) {
      std::cerr << "[skipped: needs root for ip netns] ";
      return;
    }
    LossyNamespace ns(10);
    if (!ns.ok()) {
      std::cerr << "[skipped: cannot create a network namespace with nftables] ";
      return;
    }
    char self[4096] = {0};
    const ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    CPPUNIT_ASSERT(n > 0);
    const std::string cmd = "RDK_UDP_NETNS_INNER=1 ASAN_OPTIONS=detect_leaks=0 ip netns exec " +
                            ns.name() + " " + std::string(self) + " UdpNetnsTest::inner";
    const int rc = std::system((cmd + " >/tmp/" + ns.name() + ".log 2>&1").c_str());
    std::string log;
    if (FILE* f = std::fopen(("/tmp/" + ns.name() + ".log").c_str(), "r")) {
      char buf[4096];
      size_t got;
      while ((got = std::fread(buf, 1, sizeof(buf), f)) > 0)
        log.append(buf, got);
      std::fclose(f);
    }
    std::remove(("/tmp/" + ns.name() + ".log").c_str());
    CPPUNIT_ASSERT_MESSAGE(log, WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
    CPPUNIT_ASSERT_MESSAGE(log, log.find("OK (1)") != std::string::npos);
    const auto at = log.find("[kernel loss");
    if (at != std::string::npos)
      std::cerr << log.substr(at, log.find(']', at) - at + 1) << " ";
  }

  /// Runs inside the namespace (started by the test above); a no-op otherwise.
  void inner() {
    if (!std::getenv("RDK_UDP_NETNS_INNER"))
      return;
    static rdk::test::LoadedTestPlugin plugin("udp");
    const rdk_transport_vtbl* vt = plugin.descriptor()->transport;
    struct Accept {
      ConnectionRecorder recorder;
      rdk_connection* conn = nullptr;
    } accepted;
    rdk_listener_callbacks lcb{};
    lcb.struct_size = sizeof(lcb);
    lcb.host_listener = &accepted;
    lcb.on_accept = [](void* h, rdk_connection* c, const char*) -> const rdk_connection_callbacks* {
      auto* a = static_cast<Accept*>(h);
      a->conn = c;
      return a->recorder.callbacks();
    };
    rdk_listener* listener = nullptr;
    CPPUNIT_ASSERT_EQUAL(
        RDK_OK, vt->listen(plugin.state(), "udp://127.0.0.1:0",
                           "{\"receive_buffer_untrusted_bytes\":67108864}", &lcb, &listener));
    char address[128];
    vt->listener_address(listener, address, sizeof(address));
    ConnectionRecorder client;
    rdk_connection* c = nullptr;
    CPPUNIT_ASSERT_EQUAL(RDK_OK,
                         vt->connect(plugin.state(), address, "{}", client.callbacks(), &c));
    std::mt19937 rng(8);
    constexpr uint32_t kCount = 300;
    for (uint32_t i = 0; i < kCount; ++i) {
      std::vector<uint8_t> m(4 + rng() % 20000, static_cast<uint8_t>(i));
      std::memcpy(m.data(), &i, 4);
      rdk_bytes iov{m.data(), m.size()};
      rdk_send_info info{sizeof(info), RDK_DELIVERY_RELIABLE, 0, i};
      while (vt->send(c, &iov, 1, &info) == RDK_E_AGAIN)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    CPPUNIT_ASSERT(
        accepted.recorder.waitFor([](auto& r) { return r.messages_.size() >= kCount; }, 30000));
    for (uint32_t i = 0; i < kCount; ++i) {
      uint32_t idx;
      std::memcpy(&idx, accepted.recorder.messages_[i].data(), 4);
      CPPUNIT_ASSERT_EQUAL(i, idx);
    }
    rdk_transport_stats st{};
    st.struct_size = sizeof(st);
    vt->get_stats(c, &st);
    std::cerr << "[kernel loss 10%: " << st.datagrams_sent << " datagrams, " << st.retransmissions
              << " retransmissions] ";
    CPPUNIT_ASSERT(st.retransmissions > 0);  // the kernel really dropped datagrams
    vt->connection_destroy(c);
    vt->connection_destroy(accepted.conn);
    vt->listener_destroy(listener);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(UdpNetnsTest);
