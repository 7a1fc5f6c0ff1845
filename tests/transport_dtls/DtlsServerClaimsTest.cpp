// Issue 21 item 1 over DTLS: the dtls transport runs the udp endpoint and sessions over DTLS
// records, so after a DTLS handshake and the cookie round trip, one record of fragments that each
// claim a 16 MiB message (4, 24, 200; reliable and droppable) must not grow `rdkernel serve`, and
// the server must still answer a real client. A real server process; our client is the dtls
// plugin's own DtlsChannel over a socket, sending hand-made datagrams.
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "child_process.hpp"
#include "dtls_channel.hpp"
#include "dtls_context.hpp"
#include "socket_channel.hpp"
#include "udp_url.hpp"
#include "wire.hpp"

using namespace rdk::udp;
using rdk::dtls::DtlsChannel;
using rdk::test::ChildProcess;

namespace {

const std::string kRdkernel = std::string(RDK_TEST_BINARY_DIR) + "/bin/rdkernel";

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;  // ASan reserves terabytes of address space: no ulimit -v
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

uint64_t nowUs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

pid_t childNamed(const std::string& name) {
  DIR* d = opendir("/proc");
  pid_t found = -1;
  while (dirent* e = d ? readdir(d) : nullptr) {
    const pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
    if (pid <= 0)
      continue;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(in, line);
    const size_t open = line.find('('), close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos)
      continue;
    std::istringstream rest(line.substr(close + 2));
    char state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == getpid() && line.substr(open + 1, close - open - 1) == name) {
      found = pid;
      break;
    }
  }
  if (d)
    closedir(d);
  return found;
}

long vmRssKb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0)
      return std::atol(line.c_str() + 6);
  }
  return -1;
}

/// DTLS handshake, then the cookie round trip inside it, then raw datagrams.
class DtlsRawClient {
 public:
  explicit DtlsRawClient(const PeerAddress& server)
      : server_(server),
        channel_(std::make_unique<SocketChannel>(anyAddress(AF_INET)),
                 rdk::dtls::makeContext(rdk::dtls::DtlsOptions{}, false), false, &server) {
    connId_ = std::random_device()() * 0x100000001ull + 3;
  }

  bool handshake() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    const uint8_t probe = 0;
    while (channel_.sendTo(server_, &probe, 0) == SendStatus::kWouldBlock) {
      if (std::chrono::steady_clock::now() > deadline)
        return false;
      drain(DatagramType::kData, 10);
    }
    auto initial = makeInitial(connId_, {});
    channel_.sendTo(server_, initial.data(), initial.size());
    auto retry = drain(DatagramType::kRetry, 3000);
    if (retry.empty())
      return false;
    auto token = parseToken(retry.data() + kHeaderSize, retry.size() - kHeaderSize);
    if (!token)
      return false;
    initial = makeInitial(connId_, *token);
    channel_.sendTo(server_, initial.data(), initial.size());
    return !drain(DatagramType::kAccept, 3000).empty();
  }
  size_t sendClaims(size_t n, MessageClass cls) {
    std::vector<uint8_t> d;
    writeHeader(d, {DatagramType::kData, connId_, 1});
    const uint8_t x = 'x';
    for (size_t i = 0; i < n; ++i)
      writeFragment(d, cls, i, 16u << 20, 0, &x, 1);
    channel_.sendTo(server_, d.data(), d.size());
    return d.size();
  }

 private:
  /// Runs the channel for up to |ms|; returns the first datagram of |type| for our id.
  std::vector<uint8_t> drain(DatagramType type, int ms) {
    std::vector<uint8_t> buf(65536);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    do {
      channel_.service(nowUs());
      PeerAddress from;
      const ssize_t n = channel_.receiveFrom(buf.data(), buf.size(), from);
      if (n > 0) {
        auto h = parseHeader(buf.data(), static_cast<size_t>(n));
        if (h && h->type == type && h->connId == connId_) {
          buf.resize(static_cast<size_t>(n));
          return buf;
        }
        continue;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    } while (std::chrono::steady_clock::now() < deadline);
    return {};
  }

  PeerAddress server_;
  DtlsChannel channel_;
  uint64_t connId_;
};

}  // namespace

class DtlsServerClaimsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DtlsServerClaimsTest);
  CPPUNIT_TEST(testClaimedSizesDoNotGrowTheServer);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testClaimedSizesDoNotGrowTheServer() {
    const std::string dir = rdk::test::testDirectory("dtls-claims");
    CPPUNIT_ASSERT_EQUAL(
        0, std::system(("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
                        "-nodes -keyout '" +
                        dir + "/key.pem' -out '" + dir +
                        "/cert.pem' -days 2 -subj /CN=localhost >/dev/null 2>&1")
                           .c_str()));
    std::string command = "exec '" + kRdkernel +
                          "' serve --bind dtls://127.0.0.1:0 --set transport.tls.cert='" + dir +
                          "/cert.pem' --set transport.tls.key='" + dir + "/key.pem'";
    if (!kSanitized)
      command = "ulimit -v 1536000 && " + command;  // 1.5 GB, as in the report
    ChildProcess server({"/bin/sh", "-c", command}, dir + "/serve.log");
    const std::string line = server.waitForOutput("listening on dtls://", 15000);
    CPPUNIT_ASSERT_MESSAGE("rdkernel serve did not start:\n" + server.output(), !line.empty());
    const std::string url = line.substr(line.find("dtls://"));
    const PeerAddress address = resolveUrl(url, "dtls", false);
    const pid_t pid = childNamed("rdkernel");
    CPPUNIT_ASSERT(pid > 0);
    const long start = vmRssKb(pid);
    std::printf("\n");
    for (MessageClass cls : {MessageClass::kReliable, MessageClass::kDroppable}) {
      for (size_t n : {4, 24, 200}) {
        DtlsRawClient attacker(address);
        CPPUNIT_ASSERT_MESSAGE(server.output(), attacker.handshake());
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        const long before = vmRssKb(pid);
        const size_t bytes = attacker.sendClaims(n, cls);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        const long after = vmRssKb(pid);
        const std::string what = std::to_string(n) +
                                 (cls == MessageClass::kReliable ? " reliable" : " droppable") +
                                 " claims of 16 MiB in " + std::to_string(bytes) + " bytes: RSS " +
                                 std::to_string(before) + " -> " + std::to_string(after) + " kB";
        std::printf("  dtls: %s\n", what.c_str());
        CPPUNIT_ASSERT_MESSAGE(what + "\n" + server.output(), after > 0);
        CPPUNIT_ASSERT_MESSAGE(what, after - before < 4096);
      }
    }
    CPPUNIT_ASSERT_MESSAGE("growth over all six", vmRssKb(pid) - start < 8192);
    auto [code, info] = rdk::test::runProgram(
        {kRdkernel, "info", url, "--set", "transport.tls.verify=false"}, dir + "/info.log", 20000);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(info, 0, code);
    CPPUNIT_ASSERT_MESSAGE(info, info.find("rdkernel") != std::string::npos);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DtlsServerClaimsTest);
