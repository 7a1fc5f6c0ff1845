#include "SeamlessSessionTest.h"

#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "../platforms/xvfb_server.h"
#include "../session/raw_peer.hpp"
#include "child_process.hpp"
#include "rdk/protocol/messages/all.h"

CPPUNIT_TEST_SUITE_REGISTRATION(SeamlessSessionTest);

using rdk::protocol::Packet;
using rdk::protocol::Value;
using rdk::test::ChildProcess;
using rdk::test::RawPeer;

namespace {

const std::string kRdkernel = std::string(RDK_TEST_BINARY_DIR) + "/bin/rdkernel";

Value hello() {
  Value caps(Value::Dict{});
  caps.set("version", Value("3.1.3"));
  caps.set("rencode", Value(true));
  caps.set("windows", Value(true));
  caps.set("encodings", Value(Value::List{Value("rgb")}));
  caps.set("encodings.core", Value(Value::List{Value("rgb24"), Value("rgb32")}));
  return caps;
}

std::string typeOf(const Packet& p) {
  return !p.empty() && p[0].isBytes() ? p[0].asBytes() : std::string();
}

std::string title(const rdk::protocol::NewWindow& w) {
  const Value metadata(w.metadata);
  const Value* t = metadata.find("title");
  return t && t->isBytes() ? t->asBytes() : std::string();
}

/// What a peer saw of the server since its hello: windows by title, the wids drawn. Draws are
/// acknowledged as painted, as a client does, or the server holds further draws back.
struct PeerView {
  std::map<std::string, rdk::protocol::NewWindow> windows;
  std::set<int64_t> drawn;
  size_t moveResizes = 0;

  void handle(RawPeer& peer, const Packet& p) {
    const std::string type = typeOf(p);
    moveResizes += type == "window-move-resize" ? 1 : 0;
    if (type == "new-window") {
      const auto w = rdk::protocol::NewWindow::fromPacket(p);
      windows[title(w)] = w;
    } else if (type == "draw" && p.size() >= 9 && p[1].isInt()) {
      drawn.insert(p[1].asInt());
      rdk::protocol::DamageSequence ack;
      ack.packetSequence = p[8].isInt() ? p[8].asInt() : 0;
      ack.wid = p[1].asInt();
      ack.width = p[4].isInt() ? p[4].asInt() : 0;
      ack.height = p[5].isInt() ? p[5].asInt() : 0;
      ack.decodeTimeUs = 100;
      peer.sendPacket(ack.toPacket());
    }
  }
  /// Receives until |done| holds or |ms| pass.
  bool until(RawPeer& peer, const std::function<bool()>& done, int ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      if (auto p = peer.receive(200))
        handle(peer, *p);
    }
    return done();
  }
};

PeerView attach(RawPeer& peer, size_t windows, int ms = 20000) {
  peer.sendPacket({Value("hello"), hello()});
  PeerView view;
  view.until(
      peer, [&] { return view.windows.size() >= windows; }, ms);
  return view;
}

/// `rdkernel start ARGS --bind tcp://127.0.0.1:0`, its URL once it listens.
struct StartedServer {
  explicit StartedServer(const std::vector<std::string>& extra, const std::string& log)
      : process(
            [&] {
              std::vector<std::string> argv = {
                  kRdkernel, "--set",  std::string("plugins.path=") + RDK_TEST_PLUGIN_DIR,
                  "start",   "--bind", "tcp://127.0.0.1:0"};
              argv.insert(argv.end(), extra.begin(), extra.end());
              return argv;
            }(),
            log,
            // Its session record and socket in the test's directory, not the user's.
            {{"RDK_SOCKET_DIR", log.substr(0, log.rfind('/'))}}) {
    const std::string line = process.waitForOutput("listening on ", 20000);
    if (line.empty())
      throw std::runtime_error("rdkernel start did not listen:\n" + process.output());
    url = line.substr(line.find("tcp://"));
  }
  ChildProcess process;
  std::string url;
};

bool waitForFile(const std::string& path, const std::string& content, int ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    if (line == content)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace

void SeamlessSessionTest::startServesEachApplicationAsItsOwnWindow() {
  const std::string dir = rdk::test::testDirectory("seamless-start");
  const std::string typed = dir + "/typed";
  // The shell stays after the line (sleep), so that the xterm outlives the typing.
  StartedServer server({"--size", "800x600", "--start",
                        "xterm -T e2e-term -geometry 40x6+20+30 -e sh -c 'read l; printf %s "
                        "\"$l\" > " +
                            typed + "; exec sleep 600'",
                        "--start=xmessage -name e2e-msg -geometry +300+200 hello"},
                       dir + "/server.log");
  std::map<std::string, rdk::protocol::NewWindow> windows;
  {
    RawPeer peer(server.url);
    PeerView view = attach(peer, 2);
    windows = view.windows;
    CPPUNIT_ASSERT_MESSAGE(server.process.output(), windows.count("e2e-term") == 1);
    CPPUNIT_ASSERT_MESSAGE(server.process.output(), windows.count("e2e-msg") == 1);
    const auto& term = windows["e2e-term"];
    const auto& msg = windows["e2e-msg"];
    // Each application where it asked to be, at its own size: not the 800x600 screen.
    CPPUNIT_ASSERT_EQUAL(int64_t{20}, term.x);
    CPPUNIT_ASSERT_EQUAL(int64_t{30}, term.y);
    CPPUNIT_ASSERT_EQUAL(int64_t{300}, msg.x);
    CPPUNIT_ASSERT_EQUAL(int64_t{200}, msg.y);
    CPPUNIT_ASSERT(term.width > 100 && term.width < 800 && term.height < 600);
    CPPUNIT_ASSERT(msg.width < 800 && msg.height < 600);
    CPPUNIT_ASSERT(term.wid != msg.wid);
    // Pixels follow for each window.
    CPPUNIT_ASSERT(view.until(
        peer, [&] { return view.drawn.size() >= 2; }, 10000));

    // Typed into the xterm through the protocol: the shell in it reads the line.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    for (const char* key : {"o", "k", "exclam", "Return"}) {
      for (bool pressed : {true, false}) {
        rdk::protocol::KeyAction k;
        k.wid = term.wid;
        k.keyname = key;
        k.pressed = pressed;
        peer.sendPacket(k.toPacket());
      }
    }
    CPPUNIT_ASSERT_MESSAGE(server.process.output(), waitForFile(typed, "ok!", 10000));
  }
  // The session outlives its client: a second attach gets the same windows at once.
  RawPeer again(server.url);
  const PeerView second = attach(again, 2, 10000);
  CPPUNIT_ASSERT_EQUAL(size_t{2}, second.windows.size());
  CPPUNIT_ASSERT_EQUAL(windows["e2e-msg"].wid, second.windows.at("e2e-msg").wid);

  // Moved on the client: the X window follows (read back with xwininfo on the server's display),
  // and the server does not echo the move back.
  const std::string log = server.process.output();
  const std::string marker = "managing display ";
  const size_t at = log.find(marker);
  CPPUNIT_ASSERT(at != std::string::npos);
  const std::string display =
      log.substr(at + marker.size(), log.find(' ', at + marker.size()) - (at + marker.size()));
  const auto& msg = second.windows.at("e2e-msg");
  rdk::protocol::ConfigureWindow move;
  move.wid = msg.wid;
  move.x = 410;
  move.y = 320;
  move.width = msg.width;
  move.height = msg.height;
  again.sendPacket(move.toPacket());
  std::string where;
  PeerView echoes;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    echoes.until(
        again, [] { return false; }, 300);
    const auto [code, out] = rdk::test::runProgram(
        {"xwininfo", "-display", display, "-name", "e2e-msg"}, dir + "/xwininfo.log", 10000);
    where = out;
    if (out.find("Absolute upper-left X:  410") != std::string::npos &&
        out.find("Absolute upper-left Y:  320") != std::string::npos)
      break;
  }
  CPPUNIT_ASSERT_MESSAGE(where, where.find("Absolute upper-left X:  410") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(where, where.find("Absolute upper-left Y:  320") != std::string::npos);
  CPPUNIT_ASSERT_EQUAL(size_t{0}, echoes.moveResizes);

  // Closed on the client: the application closes its window (lost-window follows).
  rdk::protocol::CloseWindow close;
  close.wid = msg.wid;
  again.sendPacket(close.toPacket());
  bool lost = false;
  const auto closeDeadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!lost && std::chrono::steady_clock::now() < closeDeadline) {
    if (auto p = again.receive(500)) {
      lost = typeOf(*p) == "lost-window" && p->size() > 1 && (*p)[1].isInt() &&
             (*p)[1].asInt() == msg.wid;
      CPPUNIT_ASSERT(typeOf(*p) != "window-move-resize");
    }
  }
  CPPUNIT_ASSERT_MESSAGE(server.process.output(), lost);
}

void SeamlessSessionTest::attachPaintsTheApplicationWindowNotTheScreen() {
  const std::string dir = rdk::test::testDirectory("seamless-attach");
  StartedServer server({"--start=xmessage -name only -geometry 200x80+10+10 one window"},
                       dir + "/server.log");
  const std::string png = dir + "/snapshot.png";
  const auto [code, output] = rdk::test::runProgram(
      {kRdkernel, "--set", std::string("plugins.path=") + RDK_TEST_PLUGIN_DIR, "attach", server.url,
       "--headless", "--seconds", "4", "--json", "--snapshot", png},
      dir + "/attach.log", 30000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(output, 0, code);
  CPPUNIT_ASSERT_MESSAGE(output, output.find("\"windows\":1") != std::string::npos);
  // The snapshot composes the windows from the desktop's origin: the one 200x80 window at 10,10,
  // not the 1280x720 screen.
  std::ifstream in(png, std::ios::binary);
  std::string header(24, '\0');
  in.read(header.data(), 24);
  CPPUNIT_ASSERT_MESSAGE(output, in.good());
  auto be32 = [&](size_t at) {
    return uint32_t(uint8_t(header[at])) << 24 | uint32_t(uint8_t(header[at + 1])) << 16 |
           uint32_t(uint8_t(header[at + 2])) << 8 | uint32_t(uint8_t(header[at + 3]));
  };
  CPPUNIT_ASSERT_EQUAL(210u, be32(16));
  CPPUNIT_ASSERT_EQUAL(90u, be32(20));
}

void SeamlessSessionTest::keysTypedIntoTheAttachedWindowReachTheApplication() {
  const std::string dir = rdk::test::testDirectory("seamless-attach-typing");
  const std::string typed = dir + "/typed";
  StartedServer server({"--start=xterm -T typer -geometry 40x5+10+10 -e sh -c 'read l; printf "
                        "%s \"$l\" > " +
                        typed + "; exec sleep 600'"},
                       dir + "/server.log");
  // rdkernel attach shows the xterm as a window on a display of its own.
  rdk::test::XvfbServer local(1280, 800);
  ChildProcess client({kRdkernel, "--set", std::string("plugins.path=") + RDK_TEST_PLUGIN_DIR,
                       "attach", server.url, "--display", local.name(), "--seconds", "60"},
                      dir + "/attach.log");
  std::string window;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (window.empty() && std::chrono::steady_clock::now() < deadline) {
    const auto [code, out] = rdk::test::runProgram(
        {"xwininfo", "-display", local.name(), "-root", "-tree"}, dir + "/xwininfo.log", 10000);
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
      // The one top-level window the client made, where the xterm is on the server.
      if (line.find("+10+10") != std::string::npos && line.find("0x") != std::string::npos)
        window = line.substr(line.find("0x"), line.find(' ', line.find("0x")) - line.find("0x"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  CPPUNIT_ASSERT_MESSAGE(client.output(), !window.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto [code, out] = rdk::test::runProgram(
      {"xdotool", "windowfocus", "--sync", window, "type", "--delay", "30", "hey"},
      dir + "/xdotool.log", 20000, {{"DISPLAY", local.name()}});
  CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, code);
  const auto [code2, out2] = rdk::test::runProgram(
      {"xdotool", "key", "Return"}, dir + "/xdotool2.log", 20000, {{"DISPLAY", local.name()}});
  CPPUNIT_ASSERT_EQUAL_MESSAGE(out2, 0, code2);
  CPPUNIT_ASSERT_MESSAGE(client.output() + server.process.output(),
                         waitForFile(typed, "hey", 15000));
}

void SeamlessSessionTest::exitWithChildrenEndsTheServer() {
  const std::string dir = rdk::test::testDirectory("seamless-exit-with-children");
  StartedServer server({"--start-child=sleep 2", "--exit-with-children"}, dir + "/server.log");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(server.process.output(), 0, server.process.wait(20000));
  CPPUNIT_ASSERT_MESSAGE(server.process.output(),
                         server.process.output().find("start-child") != std::string::npos);
  // Without a child to wait for, the option is a usage error.
  const auto [code, out] = rdk::test::runProgram(
      {kRdkernel, "start", "--exit-with-children", "--bind", "tcp://127.0.0.1:0"},
      dir + "/usage.log", 20000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 2, code);
}
