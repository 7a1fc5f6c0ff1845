#include "SeamlessLifecycleTest.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "../platforms/xvfb_server.h"
#include "../session/raw_peer.hpp"
#include "child_process.hpp"
#include "rdk/protocol/messages/all.h"

CPPUNIT_TEST_SUITE_REGISTRATION(SeamlessLifecycleTest);

using rdk::protocol::Packet;
using rdk::protocol::Value;
using rdk::test::ChildProcess;
using rdk::test::RawPeer;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kRdkernel = std::string(RDK_TEST_BINARY_DIR) + "/bin/rdkernel";
const std::string kPlugins = std::string("plugins.path=") + RDK_TEST_PLUGIN_DIR;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string typeOf(const Packet& p) {
  return !p.empty() && p[0].isBytes() ? p[0].asBytes() : std::string();
}

/// `rdkernel ARGS` with the session directory |sockets|; (exit code, output).
std::pair<int, std::string> cli(const std::vector<std::string>& args, const std::string& sockets,
                                const std::string& log) {
  std::vector<std::string> argv = {kRdkernel, "--set", kPlugins};
  argv.insert(argv.end(), args.begin(), args.end());
  return rdk::test::runProgram(argv, log, 60000, {{"RDK_SOCKET_DIR", sockets}});
}

/// The wids of the new-windows a fresh peer gets, once each is drawn; how long that took.
struct Attached {
  std::map<std::string, int64_t> widByTitle;
  double ms = 0;
};

Attached attachAndWait(const std::string& url, size_t windows, int timeoutMs) {
  RawPeer peer(url);
  const auto start = Clock::now();
  peer.sendPacket({Value("hello"), rdk::test::minimalHello()});
  Attached out;
  std::set<int64_t> drawn;
  const auto deadline = start + std::chrono::milliseconds(timeoutMs);
  while ((out.widByTitle.size() < windows || drawn.size() < windows) && Clock::now() < deadline) {
    const auto p = peer.receive(200);
    if (!p)
      continue;
    if (typeOf(*p) == "new-window") {
      const auto w = rdk::protocol::NewWindow::fromPacket(*p);
      // The metadata Value must outlive |title|, which points into it.
      const Value metadata(w.metadata);
      const Value* title = metadata.find("title");
      out.widByTitle[title && title->isBytes() ? title->asBytes() : ""] = w.wid;
    } else if (typeOf(*p) == "draw" && p->size() >= 9 && (*p)[1].isInt()) {
      drawn.insert((*p)[1].asInt());
      rdk::protocol::DamageSequence ack;
      ack.packetSequence = (*p)[8].isInt() ? (*p)[8].asInt() : 0;
      ack.wid = (*p)[1].asInt();
      ack.decodeTimeUs = 100;
      peer.sendPacket(ack.toPacket());
    }
  }
  out.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return out;
}

std::string hostName() {
  char name[256] = {0};
  gethostname(name, sizeof(name) - 1);
  return name;
}

}  // namespace

void SeamlessLifecycleTest::startListAttachStopWithoutAPort() {
  const std::string dir = rdk::test::testDirectory("seamless-lifecycle");
  const std::string sockets = dir + "/s";
  ChildProcess server({kRdkernel, "--set", kPlugins, "start", "--size", "1024x768",
                       "--start=xmessage -name lc-msg -geometry 200x80+30+40 lifecycle",
                       "--start=xclock -title lc-clock -geometry 120x100+400+60"},
                      dir + "/server.log", {{"RDK_SOCKET_DIR", sockets}});
  const std::string listening = server.waitForOutput("listening on unix://", 30000);
  CPPUNIT_ASSERT_MESSAGE(server.output(), !listening.empty());
  const std::string url = listening.substr(listening.find("unix://"));
  const std::string sessionLine = server.waitForOutput("session :", 1000);
  const std::string display = sessionLine.substr(8, sessionLine.find(' ', 8) - 8);
  CPPUNIT_ASSERT_EQUAL(sockets + "/" + hostName() + "-" + display.substr(1), url.substr(7));
  // No --bind: no port at all, as xpra start.
  CPPUNIT_ASSERT_MESSAGE(server.output(), !contains(server.output(), "tcp://"));

  const auto [listCode, list] = cli({"list"}, sockets, dir + "/list.log");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(list, 0, listCode);
  CPPUNIT_ASSERT_MESSAGE(list, contains(list, "LIVE session at " + display + " (seamless, pid "));
  CPPUNIT_ASSERT_MESSAGE(list, contains(list, url));

  // A client comes and goes; the next one gets the same windows, drawn, at once.
  const Attached first = attachAndWait(url, 2, 30000);
  CPPUNIT_ASSERT_MESSAGE(server.output(), first.widByTitle.count("lc-msg") == 1);
  CPPUNIT_ASSERT_MESSAGE(server.output(), first.widByTitle.count("lc-clock") == 1);
  const Attached again = attachAndWait(url, 2, 30000);
  CPPUNIT_ASSERT(first.widByTitle == again.widByTitle);
  std::printf("\n  re-attach: %zu windows drawn %.0f ms after hello\n", again.widByTitle.size(),
              again.ms);
  CPPUNIT_ASSERT_MESSAGE(std::to_string(again.ms), again.ms < 10000);

  // rdkernel attach :N through the socket.
  const auto [attachCode, attach] =
      cli({"attach", display, "--headless", "--seconds", "3", "--json", "--no-status"}, sockets,
          dir + "/attach.log");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(attach, 0, attachCode);
  CPPUNIT_ASSERT_MESSAGE(attach, contains(attach, "\"windows\":2"));
  const auto [infoCode, info] = cli({"info", display}, sockets, dir + "/info.log");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(info, 0, infoCode);
  CPPUNIT_ASSERT_MESSAGE(info, contains(info, "\"server.platform\":\"seamless\""));

  // The only session: stop needs no argument; the record and the socket go with the server.
  const auto [stopCode, stop] = cli({"stop"}, sockets, dir + "/stop.log");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(stop, 0, stopCode);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(server.output(), 0, server.wait(30000));
  const auto [afterCode, after] = cli({"list"}, sockets, dir + "/list-after.log");
  CPPUNIT_ASSERT_MESSAGE(after, contains(after, "No rdkernel sessions"));
  CPPUNIT_ASSERT(access(url.substr(7).c_str(), F_OK) != 0);
  const auto [goneCode, gone] = cli({"attach", display, "--headless"}, sockets, dir + "/gone.log");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(gone, 1, goneCode);
  CPPUNIT_ASSERT_MESSAGE(gone, contains(gone, "no live session at " + display));
}

void SeamlessLifecycleTest::shadowIsListedAndDeadSessionsAreCleaned() {
  const std::string dir = rdk::test::testDirectory("seamless-shadow-list");
  const std::string sockets = dir + "/s";
  CPPUNIT_ASSERT_EQUAL(0, mkdir(sockets.c_str(), 0700));
  // A session that died without cleaning up: its record names a process that has exited, and
  // its socket file is left with nobody listening.
  const std::string stale = sockets + "/" + hostName() + "-7";
  std::ofstream(stale + ".json") << R"({"display":":7","pid":999999999,"mode":"seamless",)"
                                 << R"("socket":")" << stale << R"(","urls":[]})";
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, stale.c_str(), stale.size());
  CPPUNIT_ASSERT_EQUAL(0, bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)));
  close(fd);

  rdk::test::XvfbServer xvfb(640, 480);
  rdk::test::XProgram msg(xvfb.name(), {"xmessage", "-geometry", "+20+20", "shadowed"});
  ChildProcess server({kRdkernel, "--set", kPlugins, "shadow", xvfb.name()}, dir + "/server.log",
                      {{"RDK_SOCKET_DIR", sockets}});
  CPPUNIT_ASSERT_MESSAGE(server.output(),
                         !server.waitForOutput("listening on unix://", 30000).empty());

  const auto [code, list] = cli({"list"}, sockets, dir + "/list.log");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(list, 0, code);
  CPPUNIT_ASSERT_MESSAGE(list, contains(list, "LIVE session at " + xvfb.name() + " (shadow, pid "));
  CPPUNIT_ASSERT_MESSAGE(list, contains(list, "DEAD session at :7 (seamless, pid 999999999)"));
  CPPUNIT_ASSERT_MESSAGE(list, contains(list, "(cleaned up)"));
  CPPUNIT_ASSERT(access((stale + ".json").c_str(), F_OK) != 0);
  CPPUNIT_ASSERT(access(stale.c_str(), F_OK) != 0);
  const auto [code2, list2] = cli({"list"}, sockets, dir + "/list2.log");
  CPPUNIT_ASSERT_MESSAGE(list2, !contains(list2, ":7 "));

  // The shadow is one window, the screen; attach and stop find it by its display.
  const auto [attachCode, attach] =
      cli({"attach", xvfb.name(), "--headless", "--seconds", "2", "--json", "--no-status"}, sockets,
          dir + "/attach.log");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(attach, 0, attachCode);
  CPPUNIT_ASSERT_MESSAGE(attach, contains(attach, "\"windows\":1"));
  const auto [stopCode, stop] = cli({"stop", xvfb.name()}, sockets, dir + "/stop.log");
  CPPUNIT_ASSERT_EQUAL_MESSAGE(stop, 0, stopCode);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(server.output(), 0, server.wait(30000));
  // Usage errors: not a display, not a local display.
  CPPUNIT_ASSERT_EQUAL(2, cli({"shadow", "host:3"}, sockets, dir + "/bad.log").first);
  CPPUNIT_ASSERT_EQUAL(1, cli({"stop", ":x"}, sockets, dir + "/bad2.log").first);
}

void SeamlessLifecycleTest::trayIconIsANewTrayThatTakesClicks() {
  const std::string dir = rdk::test::testDirectory("seamless-tray");
  const std::string clicked = dir + "/clicked";
  ChildProcess server({kRdkernel, "--set", kPlugins, "start", "--size", "800x600",
                       "--start=/usr/bin/python3 " + std::string(RDK_TEST_SOURCE_DIR) +
                           "/tests/lifecycle/data/tray_icon.py " + clicked},
                      dir + "/server.log", {{"RDK_SOCKET_DIR", dir + "/s"}});
  const std::string listening = server.waitForOutput("listening on unix://", 30000);
  CPPUNIT_ASSERT_MESSAGE(server.output(), !listening.empty());
  RawPeer peer(listening.substr(listening.find("unix://")));
  Value caps = rdk::test::minimalHello();
  caps.set("system_tray", Value(true));  // else the server keeps trays from the client
  peer.sendPacket({Value("hello"), caps});
  std::optional<rdk::protocol::NewTray> tray;
  bool drawn = false;
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while ((!tray || !drawn) && Clock::now() < deadline) {
    const auto p = peer.receive(200);
    if (!p)
      continue;
    if (typeOf(*p) == "new-tray")
      tray = rdk::protocol::NewTray::fromPacket(*p);
    else if (typeOf(*p) == "draw" && tray && p->size() > 1 && (*p)[1].isInt() &&
             (*p)[1].asInt() == tray->wid)
      drawn = true;
  }
  CPPUNIT_ASSERT_MESSAGE(server.output(), tray.has_value());
  CPPUNIT_ASSERT_MESSAGE(server.output(), drawn);
  CPPUNIT_ASSERT_MESSAGE(std::to_string(tray->width), tray->width >= 16 && tray->width <= 64);
  CPPUNIT_ASSERT_MESSAGE(std::to_string(tray->height), tray->height >= 16 && tray->height <= 64);
  // As Xpra's client: the tray is configured where the client's own tray shows it, then a click
  // there (root coordinates) reaches the icon (GTK's "activate").
  rdk::protocol::ConfigureWindow place;
  place.wid = tray->wid;
  place.x = 100;
  place.y = 120;
  place.width = tray->width;
  place.height = tray->height;
  peer.sendPacket(place.toPacket());
  const auto settle = Clock::now() + std::chrono::milliseconds(1500);
  while (Clock::now() < settle)
    peer.receive(100);
  for (bool pressed : {true, false}) {
    rdk::protocol::ButtonAction click;
    click.wid = tray->wid;
    click.button = 1;
    click.pressed = pressed;
    click.x = place.x + tray->width / 2;
    click.y = place.y + tray->height / 2;
    peer.sendPacket(click.toPacket());
  }
  bool activated = false;
  const auto clickDeadline = Clock::now() + std::chrono::seconds(15);
  while (!activated && Clock::now() < clickDeadline) {
    peer.receive(200);
    std::ifstream in(clicked);
    std::string text;
    std::getline(in, text);
    activated = text == "activated";
  }
  CPPUNIT_ASSERT_MESSAGE(server.output(), activated);
}
