// bench_keyecho: the keystroke-to-echo latency, end to end, with the same protocol client
// against `rdkernel start` and a stock `xpra start` (3.1.3) in one run. Each server runs
// `xterm -e cat` on a display of its own; the client attaches over TCP (rencode, rgb only, so
// "painted" is a copy and both servers are measured on what they send), maps the xterm's window,
// focuses it and then, key after key, times a key-action (press+release) until the first draw
// for the xterm's window arrives (the echo: nothing else changes in `cat`'s xterm). Blocks of 25
// keys alternate between the servers so that both see the same machine load.
// usage: bench_keyecho [keys=200 [rdkernel options, e.g. --set server.fps=60]]   (from the build
// directory's parent: needs tests/interop/start_xpra_server.sh and build/bin/rdkernel)
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "child_process.hpp"
#include "raw_peer.hpp"
#include "rdk/protocol/messages/all.h"

using rdk::protocol::Packet;
using rdk::protocol::Value;
using rdk::test::ChildProcess;
using rdk::test::RawPeer;
using Clock = std::chrono::steady_clock;

namespace {

double percentile(std::vector<double> v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p / 100.0 * (v.size() - 1) + 0.5))];
}

std::string typeOf(const Packet& p) {
  return !p.empty() && p[0].isBytes() ? p[0].asBytes() : std::string();
}

Value hello() {
  Value caps(Value::Dict{});
  caps.set("version", Value("3.1.3"));
  caps.set("rencode", Value(true));
  caps.set("windows", Value(true));
  caps.set("keyboard", Value(true));
  caps.set("encodings", Value(Value::List{Value("rgb")}));
  caps.set("encodings.core", Value(Value::List{Value("rgb24"), Value("rgb32")}));
  caps.set("encoding", Value("rgb"));
  caps.set("uuid", Value("bench-keyecho"));
  caps.set("rdk.capture-timestamps", Value(true));  // rdkernel: when the echo was captured
  caps.set("xkbmap_layout", Value("us"));
  // Xpra's server refuses a keyboard without the client's keycodes: [keyval, name, keycode,
  // group, level] for the keys typed here (Xvfb's default evdev keycodes).
  Value::List keycodes;
  for (const auto& [keyval, name, keycode] :
       std::vector<std::tuple<int64_t, const char*, int64_t>>{{0x61, "a", 38},
                                                              {0x73, "s", 39},
                                                              {0x64, "d", 40},
                                                              {0x66, "f", 41},
                                                              {0x67, "g", 42},
                                                              {0x68, "h", 43},
                                                              {0x6a, "j", 44},
                                                              {0x6b, "k", 45},
                                                              {0xff0d, "Return", 36}}) {
    keycodes.push_back(
        Value(Value::List{Value(keyval), Value(name), Value(keycode), Value(0), Value(0)}));
  }
  caps.set("xkbmap_keycodes", Value(keycodes));
  return caps;
}

// One attached client: the xterm's wid and its draws acknowledged as painted.
struct Client {
  std::string name;
  RawPeer peer;
  int64_t wid = 0;
  std::vector<double> ms;
  std::vector<double> toCaptureMs;  // rdkernel only: key sent -> echo captured on the server
  size_t lost = 0;
  Clock::time_point keySent;

  Client(std::string n, const std::string& url) : name(std::move(n)), peer(url) {}

  void ack(const Packet& p) {
    rdk::protocol::DamageSequence ack;
    ack.packetSequence = p.size() > 8 && p[8].isInt() ? p[8].asInt() : 0;
    ack.wid = p[1].asInt();
    ack.width = p.size() > 4 && p[4].isInt() ? p[4].asInt() : 0;
    ack.height = p.size() > 5 && p[5].isInt() ? p[5].asInt() : 0;
    ack.decodeTimeUs = 50;
    peer.sendPacket(ack.toPacket());
  }
  // Handles one packet; true when it is a draw of the xterm.
  bool handle(const Packet& p) {
    const std::string type = typeOf(p);
    if (std::getenv("RDK_BENCH_VERBOSE"))
      std::fprintf(stderr, "%s: %s\n", name.c_str(), type.c_str());
    if (type == "new-window" && wid == 0) {
      const auto w = rdk::protocol::NewWindow::fromPacket(p);
      wid = w.wid;
      rdk::protocol::MapWindow map;
      map.wid = w.wid;
      map.x = w.x;
      map.y = w.y;
      map.width = w.width;
      map.height = w.height;
      peer.sendPacket(map.toPacket());
      rdk::protocol::Focus focus;
      focus.wid = w.wid;
      peer.sendPacket(focus.toPacket());
    } else if (type == "draw" && p.size() > 8 && p[1].isInt()) {
      ack(p);
      const Value* captured = p.size() > 10 ? p[10].find("rdk.capture-us") : nullptr;
      if (captured && captured->isInt() && p[1].asInt() == wid && keySent != Clock::time_point{}) {
        const double at =
            static_cast<double>(captured->asInt()) / 1000.0 -
            std::chrono::duration<double, std::milli>(keySent.time_since_epoch()).count();
        if (at > 0)
          toCaptureMs.push_back(at);
        keySent = {};
      }
      return p[1].asInt() == wid;
    } else if (type == "ping" && p.size() > 1) {
      peer.sendPacket({Value("ping_echo"), p[1], Value(0), Value(0), Value(0), Value(0)});
    }
    return false;
  }
  // Receives for |ms| (until |stopAtDraw| and a draw of the xterm arrives).
  bool pump(int ms, bool stopAtDraw) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(ms);
    while (Clock::now() < deadline) {
      const int left = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
      auto p = peer.receive(std::max(left, 1));
      if (p && handle(*p) && stopAtDraw)
        return true;
    }
    return false;
  }
  void key(const char* name, int64_t keyval, int64_t keycode, const char* text, bool pressed) {
    rdk::protocol::KeyAction k;
    k.wid = wid;
    k.keyname = name;
    k.pressed = pressed;
    k.keyval = keyval;
    k.string = text;
    k.keycode = keycode;
    peer.sendPacket(k.toPacket());
  }
  void typeOne(int i) {
    // Keysyms and the keycodes of Xvfb's default (evdev, us) keymap, which both servers use.
    struct K {
      const char* name;
      int64_t keyval, keycode;
      const char* text;
    };
    static const K keys[] = {{"a", 0x61, 38, "a"}, {"s", 0x73, 39, "s"}, {"d", 0x64, 40, "d"},
                             {"f", 0x66, 41, "f"}, {"g", 0x67, 42, "g"}, {"h", 0x68, 43, "h"},
                             {"j", 0x6a, 44, "j"}, {"k", 0x6b, 45, "k"}};
    const K& k = i % 50 == 49 ? K{"Return", 0xff0d, 36, "\r"} : keys[i % 8];
    pump(30, false);  // the previous echo's stragglers
    const auto start = Clock::now();
    keySent = start;
    key(k.name, k.keyval, k.keycode, k.text, true);
    key(k.name, k.keyval, k.keycode, k.text, false);
    if (pump(2000, true))
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    else
      ++lost;
  }
};

int freePort() {
  return 20000 + static_cast<int>(getpid() % 20000);
}

int freeDisplay() {
  for (int n = 300; n < 400; ++n) {
    struct stat st {};
    if (stat(("/tmp/.X11-unix/X" + std::to_string(n)).c_str(), &st) != 0 &&
        stat(("/tmp/.X" + std::to_string(n) + "-lock").c_str(), &st) != 0)
      return n;
  }
  return 399;
}

}  // namespace

int main(int argc, char** argv) {
  const int keys = argc > 1 ? std::max(10, std::atoi(argv[1])) : 200;
  signal(SIGPIPE, SIG_IGN);
  const std::string dir = "/tmp/bench-keyecho-" + std::to_string(getpid());
  mkdir(dir.c_str(), 0700);
  const std::string xterm = "xterm -geometry 80x24+0+0 -e cat";
  const int rdkPort = freePort(), xpraPort = rdkPort + 1;
  ChildProcess rdk(
      {std::string(RDK_BENCH_BIN_DIR) + "/rdkernel", "--set",
       std::string("plugins.path=") + RDK_TEST_PLUGIN_DIR, "start", "--size", "1280x800", "--bind",
       "tcp://127.0.0.1:" + std::to_string(rdkPort), "--start=" + xterm},
      dir + "/rdkernel.log", {{"RDK_SOCKET_DIR", dir}});
  const int display = freeDisplay();
  ChildProcess xpra(
      {std::string(RDK_SOURCE_DIR) + "/tests/interop/start_xpra_server.sh", std::to_string(display),
       std::to_string(xpraPort), dir + "/xpra", "--start=" + xterm},
      dir + "/xpra.log");
  if (rdk.waitForOutput("listening on tcp://", 30000).empty()) {
    std::fprintf(stderr, "rdkernel start did not listen:\n%s", rdk.output().c_str());
    return 1;
  }
  std::unique_ptr<Client> a, b;
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (!b && Clock::now() < deadline) {
    try {
      b = std::make_unique<Client>("xpra start 3.1.3",
                                   "tcp://127.0.0.1:" + std::to_string(xpraPort));
    } catch (const std::exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
  if (!b) {
    std::fprintf(stderr, "xpra did not listen:\n%s", xpra.output().c_str());
    return 1;
  }
  a = std::make_unique<Client>("rdkernel start", "tcp://127.0.0.1:" + std::to_string(rdkPort));
  for (Client* c : {a.get(), b.get()}) {
    c->peer.sendPacket({Value("hello"), hello()});
    const auto until = Clock::now() + std::chrono::seconds(30);
    while (c->wid == 0 && Clock::now() < until)
      c->pump(200, false);
    if (c->wid == 0) {
      std::fprintf(stderr, "%s: no window\n", c->name.c_str());
      return 1;
    }
    c->pump(1500, false);  // first paint, focus
  }
  for (int block = 0; block * 25 < keys; ++block) {
    for (Client* c : {a.get(), b.get()}) {
      for (int i = block * 25; i < std::min(keys, block * 25 + 25); ++i)
        c->typeOne(i);
    }
  }
  std::printf("keystroke-to-echo, %d keys into `%s`, the same client (rencode, rgb) over TCP:\n\n",
              keys, xterm.c_str());
  std::printf("| server | echoed | p50 ms | p90 ms | p99 ms |\n|---|---|---|---|---|\n");
  for (Client* c : {a.get(), b.get()})
    std::printf("| %s | %zu/%d | %.2f | %.2f | %.2f |\n", c->name.c_str(), c->ms.size(), keys,
                percentile(c->ms, 50), percentile(c->ms, 90), percentile(c->ms, 99));
  if (!a->toCaptureMs.empty())
    std::printf(
        "\nrdkernel: key sent -> echo captured on the server p50 %.2f ms, p99 %.2f ms "
        "(the rest is batching, encoding and sending)\n",
        percentile(a->toCaptureMs, 50), percentile(a->toCaptureMs, 99));
  if (!a->ms.empty() && !b->ms.empty())
    std::printf("\nrdkernel/xpra: p50 %.2fx, p99 %.2fx\n",
                percentile(a->ms, 50) / percentile(b->ms, 50),
                percentile(a->ms, 99) / percentile(b->ms, 99));
  a.reset();
  b.reset();
  rdk.stop();
  xpra.stop();
  if (!std::getenv("RDK_BENCH_VERBOSE"))
    std::system(("rm -rf '" + dir + "'").c_str());
  return 0;
}
