#include "ProxyXpraInteropTest.h"

#include <sys/stat.h>

#include <fstream>

#include "../interop/interop_support.hpp"
#include "../platforms/xvfb_server.h"

CPPUNIT_TEST_SUITE_REGISTRATION(ProxyXpraInteropTest);

using rdk::test::ChildProcess;
using rdk::test::testDirectory;
using namespace rdk::test::interop;

void ProxyXpraInteropTest::testXpraClientReachesItsSession() {
  const std::string dir = testDirectory("proxy-xpra-client");
  std::ofstream(dir + "/users") << "alice|wonderland|||||size=640x480\n";
  chmod((dir + "/users").c_str(), 0600);
  ChildProcess proxy({kRdkernel, "proxy", "--bind", "tcp://127.0.0.1:0", "--users", dir + "/users",
                      "--state-dir", dir + "/state", "--launcher", "child"},
                     dir + "/proxy.log");
  const std::string line = proxy.waitForOutput("listening on tcp://", 20000);
  CPPUNIT_ASSERT_MESSAGE(proxy.output(), !line.empty());
  const std::string port =
      line.substr(line.rfind(':') + 1, line.find(" (proxy") - line.rfind(':') - 1);
  rdk::test::XvfbServer display(1024, 768);
  {
    ChildProcess client(xpraAttachCommand("tcp://alice:wonderland@127.0.0.1:" + port + "/", dir),
                        dir + "/xpra-good.log", xpraEnv(dir, display.name()));
    CPPUNIT_ASSERT_MESSAGE(client.output() + proxy.output(),
                           !client.waitForOutput("Attached to", 60000).empty());
  }
  // The session saw the client's hello as its own (the proxy only answered its challenge).
  std::ifstream log(dir + "/state/alice.log");
  const std::string sessionLog((std::istreambuf_iterator<char>(log)), {});
  CPPUNIT_ASSERT_MESSAGE(sessionLog, sessionLog.find("connected to") != std::string::npos);
  ChildProcess bad(xpraAttachCommand("tcp://alice:queen@127.0.0.1:" + port + "/", dir),
                   dir + "/xpra-bad.log", xpraEnv(dir, display.name()));
  const int code = bad.wait(60000);
  CPPUNIT_ASSERT_MESSAGE(bad.output(), code != 0 && code != -1);
  CPPUNIT_ASSERT_MESSAGE(bad.output(),
                         bad.output().find("authentication failed") != std::string::npos);
}
