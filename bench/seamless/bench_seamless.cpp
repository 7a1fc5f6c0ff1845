// bench_seamless: what one keystroke costs until its echo is captured, and what capturing a whole
// application window costs, for the seamless platform (the xterm is its own window, read from its
// composite pixmap) and, in the same run as the reference, the x11 shadow platform (the same xterm
// on a plain Xvfb, read from the root). Usage: bench_seamless [keys=200]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "platform_events.hpp"
#include "x_test_client.hpp"
#include "xvfb_server.h"

using rdk::test::LoadedTestPlugin;
using rdk::test::OpenedPlatform;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p / 100.0 * (v.size() - 1) + 0.5))];
}

struct Result {
  std::vector<double> keyMs;  // key press injected -> damage reported -> damaged area captured
  std::vector<double> captureMs;
  uint32_t w = 0, h = 0;
  size_t lostKeys = 0;
};

bool pollUntil(OpenedPlatform& p, const std::function<bool()>& done, int ms) {
  return rdk::test::XTestClient::waitFor(
      [&] {
        p.poll(rdk::test::nowUs());
        return done();
      },
      ms);
}

// Types |keys| characters into window |wid| of |p| and captures the window |captures| times.
Result measure(OpenedPlatform& p, uint64_t wid, rdk_rect window, int keys, int captures) {
  Result r;
  r.w = window.w;
  r.h = window.h;
  pollUntil(
      p, [] { return false; }, 1000);  // the xterm settles
  const char* letters[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
  for (int i = 0; i < keys; ++i) {
    p.recorder().clear();
    const char* key = (i % 60 == 59) ? "Return" : letters[i % 8];
    const auto start = Clock::now();
    p.inject(rdk::test::keyEvent(wid, key, 0, true));
    p.inject(rdk::test::keyEvent(wid, key, 0, false));
    rdk_rect damaged{};
    const bool seen = pollUntil(
        p,
        [&] {
          for (const auto& e : p.recorder().ofType(RDK_WINDOW_DAMAGE)) {
            if (e.wid == wid) {
              damaged = e.rect;
              return true;
            }
          }
          return false;
        },
        1000);
    if (!seen) {
      ++r.lostKeys;
      continue;
    }
    rdk_image image{};
    p.capture(wid, damaged, image);
    r.keyMs.push_back(msSince(start));
    pollUntil(
        p, [] { return false; }, 5);  // the rest of this echo's damage
  }
  for (int i = 0; i < captures; ++i) {
    const auto start = Clock::now();
    rdk_image image{};
    if (p.capture(wid, window, image) == RDK_OK)
      r.captureMs.push_back(msSince(start));
  }
  return r;
}

void row(const char* name, const Result& r) {
  std::printf("| %-34s | %4ux%-4u | %4zu | %8.2f | %8.2f | %8.2f | %10.3f |\n", name, r.w, r.h,
              r.keyMs.size(), percentile(r.keyMs, 50), percentile(r.keyMs, 90),
              percentile(r.keyMs, 99), percentile(r.captureMs, 50));
}

}  // namespace

int main(int argc, char** argv) {
  const int keys = argc > 1 ? std::max(10, std::atoi(argv[1])) : 200;
  const int captures = 100;
  LoadedTestPlugin plugin("x11");
  const std::string xterm = "xterm -T bench -geometry 80x24+0+0 -e cat";

  Result seamless;
  {
    OpenedPlatform p(plugin, "seamless", R"({"width":1280,"height":720,"start":")" + xterm + "\"}");
    if (!p.ok()) {
      std::fprintf(stderr, "seamless: %s\n", p.lastError().c_str());
      return 1;
    }
    const rdk::test::RecordedEvent* term = nullptr;
    pollUntil(
        p,
        [&] {
          for (const auto& e : p.recorder().events()) {
            if (e.type == RDK_WINDOW_NEW &&
                e.metadata.find("\"title\":\"bench\"") != std::string::npos)
              term = &e;
          }
          return term != nullptr;
        },
        20000);
    if (!term) {
      std::fprintf(stderr, "seamless: no xterm window\n");
      return 1;
    }
    const uint64_t wid = term->wid;
    const rdk_rect window = term->rect;
    seamless = measure(p, wid, {0, 0, window.w, window.h}, keys, captures);
  }

  Result shadow;
  {
    rdk::test::XvfbServer xvfb(1280, 720);
    rdk::test::XProgram program(xvfb.name(), {"sh", "-c", xterm});
    OpenedPlatform p(plugin, "x11", R"({"display":")" + xvfb.name() + "\"}");
    if (!p.ok()) {
      std::fprintf(stderr, "shadow: %s\n", p.lastError().c_str());
      return 1;
    }
    // The xterm's size on the root: the same as in seamless mode (no window manager, no border
    // difference that matters for the capture cost).
    rdk_rect window{0, 0, seamless.w, seamless.h};
    pollUntil(
        p, [] { return false; }, 2000);
    // Without a window manager the keyboard focus follows the pointer: put it on the xterm.
    p.inject(rdk::test::motionEvent(1, 50, 50));
    shadow = measure(p, 1, window, keys, captures);
  }

  std::printf(
      "keys typed into `%s`: press injected -> damage reported -> damaged area "
      "captured, %d keys; whole-window capture, %d times\n\n",
      xterm.c_str(), keys, captures);
  std::printf("| %-34s | %-9s | %-4s | %-8s | %-8s | %-8s | %-10s |\n", "platform", "window",
              "keys", "p50 ms", "p90 ms", "p99 ms", "capture ms");
  std::printf("|%s|%s|%s|%s|%s|%s|%s|\n", std::string(36, '-').c_str(),
              std::string(11, '-').c_str(), std::string(6, '-').c_str(),
              std::string(10, '-').c_str(), std::string(10, '-').c_str(),
              std::string(10, '-').c_str(), std::string(12, '-').c_str());
  row("seamless (window pixmap)", seamless);
  row("x11 shadow (root), reference", shadow);
  if (seamless.lostKeys || shadow.lostKeys)
    std::printf("\nkeys without damage within 1 s: seamless %zu, shadow %zu\n", seamless.lostKeys,
                shadow.lostKeys);
  return 0;
}
