// EncodePool without sessions: order within a lane, lanes in parallel, shutdown semantics.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "rdk/session/encode_pool.h"

using rdk::session::EncodePool;
using namespace std::chrono_literals;

class EncodePoolTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(EncodePoolTest);
  CPPUNIT_TEST(testJobsOfOneLaneRunInOrderOneAtATime);
  CPPUNIT_TEST(testTwoLanesRunConcurrently);
  CPPUNIT_TEST(testShutdownDropsQueuedAndWaitsForRunning);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testJobsOfOneLaneRunInOrderOneAtATime() {
    EncodePool pool(4);
    auto lane = pool.newLane();
    std::mutex mutex;
    std::vector<int> order;
    std::atomic<int> running{0}, maxRunning{0};
    std::promise<void> done;
    for (int i = 0; i < 200; ++i) {
      pool.post(lane, [&, i] {
        const int now = ++running;
        maxRunning = std::max(maxRunning.load(), now);
        {
          std::lock_guard<std::mutex> lock(mutex);
          order.push_back(i);
        }
        --running;
        if (i == 199)
          done.set_value();
      });
    }
    CPPUNIT_ASSERT(done.get_future().wait_for(10s) == std::future_status::ready);
    CPPUNIT_ASSERT_EQUAL(1, maxRunning.load());
    for (int i = 0; i < 200; ++i)
      CPPUNIT_ASSERT_EQUAL(i, order[static_cast<size_t>(i)]);
  }

  void testTwoLanesRunConcurrently() {
    EncodePool pool(2);
    auto a = pool.newLane(), b = pool.newLane();
    // Each job waits until both have started: it only finishes if they overlap.
    std::atomic<int> started{0};
    std::atomic<int> overlapped{0};
    auto job = [&] {
      ++started;
      const auto deadline = std::chrono::steady_clock::now() + 5s;
      while (started.load() < 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(1ms);
      if (started.load() == 2)
        ++overlapped;
    };
    std::atomic<int> finished{0};
    auto counted = [&] {
      job();
      ++finished;
    };
    pool.post(a, counted);
    pool.post(b, counted);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (finished.load() < 2 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(1ms);
    CPPUNIT_ASSERT_EQUAL(2, overlapped.load());
  }

  void testShutdownDropsQueuedAndWaitsForRunning() {
    EncodePool pool(1);
    auto lane = pool.newLane();
    std::atomic<bool> inFirst{false}, firstDone{false};
    std::atomic<int> ran{0};
    pool.post(lane, [&] {
      inFirst = true;
      std::this_thread::sleep_for(100ms);
      firstDone = true;
    });
    for (int i = 0; i < 10; ++i)
      pool.post(lane, [&] { ++ran; });
    while (!inFirst)
      std::this_thread::sleep_for(1ms);
    lane->shutdown();
    CPPUNIT_ASSERT(firstDone.load());
    std::this_thread::sleep_for(50ms);
    CPPUNIT_ASSERT_EQUAL(0, ran.load());
    pool.post(lane, [&] { ++ran; });  // a closed lane takes nothing
    std::this_thread::sleep_for(50ms);
    CPPUNIT_ASSERT_EQUAL(0, ran.load());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EncodePoolTest);
