// Issue 21 item 1 against a real server process: after the cheap cookie handshake, one datagram of
// fragments that each claim a 16 MiB message (4, 24 and 200 of them, reliable and droppable) must
// not grow `rdkernel serve` (before the fix: +64 MiB, +384 MiB, and an abort under a 1.5 GB
// address-space limit), and the server must still answer a real client afterwards.
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
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
#include "wire.hpp"

using namespace rdk::udp;
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

/// The pid of our child process named |name| (ChildProcess does not tell it).
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
  return -1;  // gone
}

/// A hand-made client: the real cookie round trip over a real socket, then raw datagrams.
class RawClient {
 public:
  explicit RawClient(int port) : fd_(socket(AF_INET, SOCK_DGRAM, 0)) {
    to_.sin_family = AF_INET;
    to_.sin_port = htons(static_cast<uint16_t>(port));
    to_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connId_ = std::random_device()() * 0x100000001ull + 1;
  }
  ~RawClient() { close(fd_); }

  bool handshake() {
    send(makeInitial(connId_, {}));
    auto retry = receive(DatagramType::kRetry);
    if (retry.empty())
      return false;
    auto token = parseToken(retry.data() + kHeaderSize, retry.size() - kHeaderSize);
    if (!token)
      return false;
    send(makeInitial(connId_, *token));
    return !receive(DatagramType::kAccept).empty();
  }
  /// One datagram of |n| one-byte fragments of messages 0..n-1, each claiming 16 MiB.
  size_t sendClaims(size_t n, MessageClass cls) {
    std::vector<uint8_t> d;
    writeHeader(d, {DatagramType::kData, connId_, 1});
    const uint8_t x = 'x';
    for (size_t i = 0; i < n; ++i)
      writeFragment(d, cls, i, 16u << 20, 0, &x, 1);
    send(d);
    return d.size();
  }

 private:
  void send(const std::vector<uint8_t>& d) {
    sendto(fd_, d.data(), d.size(), 0, reinterpret_cast<const sockaddr*>(&to_), sizeof(to_));
  }
  std::vector<uint8_t> receive(DatagramType type) {
    std::vector<uint8_t> buf(2048);
    pollfd p{fd_, POLLIN, 0};
    while (poll(&p, 1, 3000) == 1) {
      const ssize_t n = recv(fd_, buf.data(), buf.size(), 0);
      auto h = n > 0 ? parseHeader(buf.data(), static_cast<size_t>(n)) : std::nullopt;
      if (h && h->type == type && h->connId == connId_) {
        buf.resize(static_cast<size_t>(n));
        return buf;
      }
    }
    return {};
  }

  int fd_;
  sockaddr_in to_{};
  uint64_t connId_;
};

}  // namespace

class UdpServerClaimsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(UdpServerClaimsTest);
  CPPUNIT_TEST(testClaimedSizesDoNotGrowTheServer);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testClaimedSizesDoNotGrowTheServer() {
    const std::string dir = rdk::test::testDirectory("udp-claims");
    std::string command = "exec '" + kRdkernel + "' serve --bind udp://127.0.0.1:0";
    if (!kSanitized)
      command = "ulimit -v 1536000 && " + command;  // 1.5 GB, as in the report
    ChildProcess server({"/bin/sh", "-c", command}, dir + "/serve.log");
    const std::string line = server.waitForOutput("listening on udp://", 15000);
    CPPUNIT_ASSERT_MESSAGE("rdkernel serve did not start:\n" + server.output(), !line.empty());
    const std::string url = line.substr(line.find("udp://"));
    const int port = std::stoi(url.substr(url.rfind(':') + 1));
    const pid_t pid = childNamed("rdkernel");
    CPPUNIT_ASSERT(pid > 0);
    const long start = vmRssKb(pid);
    std::printf("\n");
    for (MessageClass cls : {MessageClass::kReliable, MessageClass::kDroppable}) {
      for (size_t n : {4, 24, 200}) {
        RawClient attacker(port);
        CPPUNIT_ASSERT(attacker.handshake());
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        const long before = vmRssKb(pid);
        const size_t bytes = attacker.sendClaims(n, cls);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        const long after = vmRssKb(pid);
        const std::string what = std::to_string(n) +
                                 (cls == MessageClass::kReliable ? " reliable" : " droppable") +
                                 " claims of 16 MiB in " + std::to_string(bytes) + " bytes: RSS " +
                                 std::to_string(before) + " -> " + std::to_string(after) + " kB";
        std::printf("  %s\n", what.c_str());
        CPPUNIT_ASSERT_MESSAGE(what + "\n" + server.output(), after > 0);  // still running
        CPPUNIT_ASSERT_MESSAGE(what, after - before < 4096);
      }
    }
    CPPUNIT_ASSERT_MESSAGE("growth over all six", vmRssKb(pid) - start < 8192);
    // Still serving: a real client gets the server's info.
    auto [code, info] = rdk::test::runProgram({kRdkernel, "info", url}, dir + "/info.log", 20000);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(info, 0, code);
    CPPUNIT_ASSERT_MESSAGE(info, info.find("rdkernel") != std::string::npos);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(UdpServerClaimsTest);
