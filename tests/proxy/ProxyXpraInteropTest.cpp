#include "ProxyXpraInteropTest.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "../interop/interop_support.hpp"
#include "../platforms/xvfb_server.h"
#include "proxy_test_support.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(ProxyXpraInteropTest);

using rdk::test::ChildProcess;
using rdk::test::testDirectory;
using rdk::test::proxy::makeCertificate;
using namespace rdk::test::interop;

void ProxyXpraInteropTest::testXpraClientReachesItsSession() {
  const std::string dir = testDirectory("proxy-xpra-client");
  std::ofstream(dir + "/users") << "alice|wonderland|||||size=640x480\n";
  chmod((dir + "/users").c_str(), 0600);
  makeCertificate(dir);
  ChildProcess proxy(
      {kRdkernel, "proxy", "--bind", "tcp://127.0.0.1:0", "--bind", "ssl://127.0.0.1:0", "--users",
       dir + "/users", "--state-dir", dir + "/state", "--launcher", "child", "--set",
       "transport.tls.cert=" + dir + "/cert.pem", "--set", "transport.tls.key=" + dir + "/key.pem"},
      dir + "/proxy.log");
  auto portOf = [&](const std::string& scheme) {
    const std::string line = proxy.waitForOutput("listening on " + scheme + "://", 20000);
    CPPUNIT_ASSERT_MESSAGE(proxy.output(), !line.empty());
    return line.substr(line.rfind(':') + 1, line.find(" (proxy") - line.rfind(':') - 1);
  };
  const std::string port = portOf("tcp"), sslPort = portOf("ssl");
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
  // Over TLS terminated at the proxy, the client checking the proxy's certificate (its own CA
  // here; the certificate names the address, not a host name).
  auto overSsl = [&](const std::string& password) {
    std::vector<std::string> argv =
        xpraAttachCommand("ssl://alice:" + password + "@127.0.0.1:" + sslPort + "/", dir);
    argv.push_back("--ssl-ca-certs=" + dir + "/cert.pem");
    argv.push_back("--ssl-server-verify-mode=required");
    argv.push_back("--ssl-check-hostname=no");
    return argv;
  };
  {
    ChildProcess client(overSsl("wonderland"), dir + "/xpra-ssl.log", xpraEnv(dir, display.name()));
    CPPUNIT_ASSERT_MESSAGE(client.output() + proxy.output(),
                           !client.waitForOutput("Attached to ssl://", 60000).empty());
  }
  ChildProcess badSsl(overSsl("queen"), dir + "/xpra-ssl-bad.log", xpraEnv(dir, display.name()));
  const int sslCode = badSsl.wait(60000);
  CPPUNIT_ASSERT_MESSAGE(badSsl.output(), sslCode != 0 && sslCode != -1);
  CPPUNIT_ASSERT_MESSAGE(badSsl.output(),
                         badSsl.output().find("authentication failed") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(proxy.output(), proxy.output().find("(ssl)") != std::string::npos);
}
