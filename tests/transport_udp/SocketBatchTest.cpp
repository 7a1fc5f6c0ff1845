// Batched socket I/O of the udp transport (issue 15): sendmmsg with UDP GSO runs, recvmmsg with
// UDP GRO buffers split back into datagrams, and the fallbacks (one datagram per call) give the
// same datagrams in the same order; a too-big datagram inside a batch fails alone.
#include <arpa/inet.h>
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>
#include <poll.h>

#include <chrono>
#include <thread>

#include "socket_channel.hpp"

using namespace rdk::udp;

namespace {

PeerAddress loopback(uint16_t port = 0) {
  PeerAddress a;
  auto* sin = reinterpret_cast<sockaddr_in*>(&a.storage);
  sin->sin_family = AF_INET;
  sin->sin_port = htons(port);
  sin->sin_addr.s_addr = htonl(0x7f000001);
  a.length = sizeof(sockaddr_in);
  return a;
}

std::vector<uint8_t> datagram(uint32_t index, size_t size) {
  std::vector<uint8_t> v(size);
  for (size_t i = 0; i < size; ++i)
    v[i] = static_cast<uint8_t>(index * 131 + i * 7);
  return v;
}

/// Everything |rx| receives until |expected| datagrams arrived or 3 s passed.
std::vector<std::vector<uint8_t>> drain(SocketChannel& rx, size_t expected, bool batch) {
  std::vector<std::vector<uint8_t>> got;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (got.size() < expected && std::chrono::steady_clock::now() < deadline) {
    pollfd p{rx.pollFd(), POLLIN, 0};
    poll(&p, 1, 50);
    if (batch) {
      rx.receiveBatch(
          256, [&](const uint8_t* d, size_t n, const PeerAddress&) { got.emplace_back(d, d + n); });
    } else {
      std::vector<uint8_t> buf(65536);
      PeerAddress from;
      for (ssize_t n; (n = rx.receiveFrom(buf.data(), buf.size(), from)) >= 0;)
        got.emplace_back(buf.begin(), buf.begin() + n);
    }
  }
  return got;
}

}  // namespace

class SocketBatchTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SocketBatchTest);
  CPPUNIT_TEST(testBatchesArriveWholeAndInOrder);
  CPPUNIT_TEST(testTooBigFailsAlone);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testBatchesArriveWholeAndInOrder() {
    // Full datagrams (GSO runs), a shorter tail, a size change, a zero-length one: every mix of
    // batched and one-at-a-time sender and receiver gets the same datagrams.
    std::vector<size_t> sizes;
    for (int i = 0; i < 30; ++i)
      sizes.push_back(1200);
    sizes.push_back(700);
    for (int i = 0; i < 10; ++i)
      sizes.push_back(1472);
    sizes.push_back(0);
    sizes.push_back(100);
    std::vector<std::vector<uint8_t>> data;
    for (size_t i = 0; i < sizes.size(); ++i)
      data.push_back(datagram(static_cast<uint32_t>(i), sizes[i]));
    for (int mode = 0; mode < 4; ++mode) {
      const bool batchSend = mode & 1, batchReceive = mode & 2;
      SocketChannel rx(loopback(), {batchReceive, batchReceive, batchReceive});
      SocketChannel tx(loopback(), {batchSend, batchSend, batchSend});
      const PeerAddress to = rx.localAddress();
      std::vector<OutgoingDatagram> out;
      for (auto& d : data)
        out.push_back({&to, d.data(), d.size()});
      std::vector<SendStatus> status(out.size(), SendStatus::kError);
      tx.sendBatch(out.data(), out.size(), status.data());
      for (auto s : status)
        CPPUNIT_ASSERT(s == SendStatus::kOk);
      const auto got = drain(rx, data.size(), batchReceive);
      const std::string what = "mode " + std::to_string(mode) + ": " + std::to_string(got.size()) +
                               " of " + std::to_string(data.size());
      CPPUNIT_ASSERT_EQUAL_MESSAGE(what, data.size(), got.size());
      for (size_t i = 0; i < data.size(); ++i)
        CPPUNIT_ASSERT_MESSAGE(what + " datagram " + std::to_string(i), got[i] == data[i]);
      if (batchSend) {
        CPPUNIT_ASSERT_MESSAGE(std::to_string(tx.sendCalls()), tx.sendCalls() <= 2);
      } else {
        CPPUNIT_ASSERT_EQUAL(uint64_t(data.size()), tx.sendCalls());
      }
      std::printf("\n  send %s (%llu calls, gso %d), receive %s (%llu calls, gro %d)",
                  batchSend ? "batched" : "one by one", (unsigned long long)tx.sendCalls(),
                  tx.active().gso, batchReceive ? "batched" : "one by one",
                  (unsigned long long)rx.receiveCalls(), rx.active().gro);
    }
    std::printf("\n");
  }

  void testTooBigFailsAlone() {
    SocketChannel rx(loopback());
    SocketChannel tx(loopback());
    const PeerAddress to = rx.localAddress();
    std::vector<std::vector<uint8_t>> data = {datagram(0, 1200), datagram(1, 1200),
                                              datagram(2, 66000), datagram(3, 1200),
                                              datagram(4, 1200)};
    std::vector<OutgoingDatagram> out;
    for (auto& d : data)
      out.push_back({&to, d.data(), d.size()});
    std::vector<SendStatus> status(out.size(), SendStatus::kError);
    tx.sendBatch(out.data(), out.size(), status.data());
    CPPUNIT_ASSERT(status[0] == SendStatus::kOk && status[1] == SendStatus::kOk);
    CPPUNIT_ASSERT(status[2] == SendStatus::kTooBig);
    CPPUNIT_ASSERT(status[3] == SendStatus::kOk && status[4] == SendStatus::kOk);
    const auto got = drain(rx, 4, true);
    CPPUNIT_ASSERT_EQUAL(size_t(4), got.size());
    CPPUNIT_ASSERT(got[2] == data[3]);
    CPPUNIT_ASSERT(tx.active().mmsg);  // a failure of one datagram turns nothing off
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SocketBatchTest);
