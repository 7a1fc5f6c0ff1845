// The clipboard with a stock Xpra 3.1.3 at the other end (issue 16): `xpra attach
// --clipboard=yes` exchanges text (and a PNG) with `rdkernel serve` both ways, and
// `rdkernel attach` exchanges text with `xpra start`. xclip copies and pastes on each display.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "../platforms/xvfb_server.h"
#include "interop_support.hpp"

using namespace rdk::test;
using namespace rdk::test::interop;

namespace {

const std::string kText = "xpra \xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe6\x97\xa5";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// One display's selections through xclip (with that display's XAUTHORITY when it has one).
class Selections {
 public:
  Selections(std::string display, std::string dir, std::string xauthority = "")
      : display_(std::move(display)), dir_(std::move(dir)), xauthority_(std::move(xauthority)) {}

  void copy(const std::string& target, const std::string& bytes) {
    const std::string file = dir_ + "/copy-" + std::to_string(++n_);
    std::ofstream(file, std::ios::binary) << bytes;
    owners_.push_back(std::make_unique<ChildProcess>(
        std::vector<std::string>{"xclip", "-quiet", "-display", display_, "-selection", "clipboard",
                                 "-t", target, "-i", file},
        file + ".log", env()));
  }

  std::string pasteUntil(const std::string& target, const std::string& expected, int timeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    std::string got;
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string out = dir_ + "/paste-" + std::to_string(++n_);
      runProgram(
          {"sh", "-c",
           "xclip -o -display " + display_ + " -selection clipboard -t '" + target + "' > " + out},
          out + ".log", 10000, env());
      got = slurp(out);
      if (got == expected)
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return got;
  }

 private:
  std::map<std::string, std::string> env() const {
    std::map<std::string, std::string> e;
    if (!xauthority_.empty())
      e["XAUTHORITY"] = xauthority_;
    return e;
  }
  std::string display_, dir_, xauthority_;
  std::vector<std::unique_ptr<ChildProcess>> owners_;
  int n_ = 0;
};

std::string png(size_t bytes) {
  // Not a valid picture, only its signature and bulk: the clipboard carries bytes, and
  // incompressible ones travel as raw chunks.
  std::string p("\x89PNG\r\n\x1a\n", 8);
  uint32_t x = 12345;
  while (p.size() < bytes) {
    x = x * 1103515245 + 12345;
    p += static_cast<char>(x >> 24);
  }
  return p;
}

}  // namespace

class XpraClipboardInteropTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(XpraClipboardInteropTest);
  CPPUNIT_TEST(testStockClientAndRdkernelServe);
  CPPUNIT_TEST(testRdkernelAttachAndXpraStart);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testStockClientAndRdkernelServe() {
    const std::string dir = testDirectory("interop-clipboard-xpra-client");
    XvfbServer serverX(800, 600), clientX(1024, 768);
    ChildProcess server(
        {kRdkernel, "--set", std::string("plugins.path=") + RDK_TEST_PLUGIN_DIR, "--set",
         "server.platform=x11", "--set", "server.display=" + serverX.name(), "serve", "--bind",
         "tcp://127.0.0.1:0"},
        dir + "/serve.log");
    const std::string url = startRdkernel(server);
    std::vector<std::string> attach = xpraAttachCommand(url + "/", dir);
    for (auto& a : attach) {
      if (a == "--clipboard=no")
        a = "--clipboard=yes";
    }
    ChildProcess client(attach, dir + "/xpra-attach.log", xpraEnv(dir, clientX.name()));
    CPPUNIT_ASSERT_MESSAGE(client.output(), !client.waitForOutput("Attached to", 30000).empty());
    CPPUNIT_ASSERT_MESSAGE(server.output(),
                           !server.waitForOutput("is the clipboard peer", 10000).empty());
    Selections onServer(serverX.name(), dir), onClient(clientX.name(), dir);
    onClient.copy("UTF8_STRING", kText);
    std::string got = onServer.pasteUntil("UTF8_STRING", kText, 15000);
    CPPUNIT_ASSERT_MESSAGE("xpra client -> rdkernel: '" + got + "'\n" + client.output(),
                           got == kText);
    const std::string back = kText + " <- rdkernel";
    onServer.copy("UTF8_STRING", back);
    got = onClient.pasteUntil("UTF8_STRING", back, 15000);
    CPPUNIT_ASSERT_MESSAGE("rdkernel -> xpra client: '" + got + "'\n" + client.output(),
                           got == back);
    // 200 kB: a compressed raw chunk the stock client decompresses.
    const std::string picture = png(200000);
    onServer.copy("image/png", picture);
    got = onClient.pasteUntil("image/png", picture, 15000);
    CPPUNIT_ASSERT_MESSAGE("png rdkernel -> xpra client: " + std::to_string(got.size()) + " bytes",
                           got == picture);
  }

  void testRdkernelAttachAndXpraStart() {
    const std::string dir = testDirectory("interop-clipboard-xpra-server");
    const int number = freeDisplayNumber();
    const int port = freeTcpPort();
    ChildProcess xpra({kScripts + "/start_xpra_server.sh", std::to_string(number),
                       std::to_string(port), dir, "--clipboard=yes"},
                      dir + "/xpra-server.log");
    CPPUNIT_ASSERT_MESSAGE(xpra.output(), !xpra.waitForOutput("xpra is ready", 45000).empty());
    const std::string url = "tcp://127.0.0.1:" + std::to_string(port);
    XvfbServer clientX(1024, 768);
    ChildProcess client(
        {kRdkernel, "--set", std::string("plugins.path=") + RDK_TEST_PLUGIN_DIR, "attach", url,
         "--display", clientX.name(), "--no-status", "--seconds", "120"},
        dir + "/attach.log");
    // The hello and the clipboard's setup on both sides take a moment; the pastes below retry.
    std::this_thread::sleep_for(std::chrono::milliseconds(3000));
    Selections onServer(":" + std::to_string(number), dir, dir + "/home/.Xauthority");
    Selections onClient(clientX.name(), dir);
    onClient.copy("UTF8_STRING", kText);
    std::string got = onServer.pasteUntil("UTF8_STRING", kText, 20000);
    CPPUNIT_ASSERT_MESSAGE("rdkernel attach -> xpra start: '" + got + "'\n" + client.output(),
                           got == kText);
    const std::string back = kText + " <- xpra";
    onServer.copy("UTF8_STRING", back);
    got = onClient.pasteUntil("UTF8_STRING", back, 15000);
    CPPUNIT_ASSERT_MESSAGE("xpra start -> rdkernel attach: '" + got + "'\n" + client.output(),
                           got == back);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(XpraClipboardInteropTest);
