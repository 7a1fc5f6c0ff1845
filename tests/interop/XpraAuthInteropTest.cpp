#include "XpraAuthInteropTest.h"

#include <fstream>

#include "../platforms/xvfb_server.h"
#include "interop_support.hpp"
#include "test_files.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(XpraAuthInteropTest);

using rdk::test::ChildProcess;
using rdk::test::runProgram;
using rdk::test::testDirectory;
using rdk::test::writeFile;
using namespace rdk::test::interop;

void XpraAuthInteropTest::testXpraClientPasswordFileAgainstRdkernel() {
  const std::string dir = testDirectory("interop-xpra-password");
  writeFile(dir + "/server-pw", "correct horse");
  writeFile(dir + "/good-pw", "correct horse");
  writeFile(dir + "/bad-pw", "battery staple");
  ChildProcess server({kRdkernel, "serve", "--bind", "tcp://127.0.0.1:0", "--set",
                       "server.auth=file:filename=" + dir + "/server-pw"},
                      dir + "/serve.log");
  const std::string url = startRdkernel(server) + "/";
  rdk::test::XvfbServer display(1280, 800);
  {
    auto argv = xpraAttachCommand(url, dir);
    argv.push_back("--password-file=" + dir + "/good-pw");
    ChildProcess client(argv, dir + "/attach-good.log", xpraEnv(dir, display.name()));
    CPPUNIT_ASSERT_MESSAGE(client.output(), !client.waitForOutput("Attached to", 30000).empty());
  }
  auto argv = xpraAttachCommand(url, dir);
  argv.push_back("--password-file=" + dir + "/bad-pw");
  ChildProcess client(argv, dir + "/attach-bad.log", xpraEnv(dir, display.name()));
  const int code = client.wait(30000);
  CPPUNIT_ASSERT_MESSAGE(client.output(), code != 0 && code != -1);
  CPPUNIT_ASSERT_MESSAGE(client.output(),
                         client.output().find("authentication failed") != std::string::npos);
}

void XpraAuthInteropTest::testRdkernelAttachToXpraServerWithFileAuth() {
  const std::string dir = testDirectory("interop-xpra-tcp-auth");
  writeFile(dir + "/pw", "open sesame");
  writeFile(dir + "/bad-pw", "open barley");
  const int port = freeTcpPort();
  ChildProcess xpra({kScripts + "/start_xpra_server.sh", std::to_string(freeDisplayNumber()),
                     std::to_string(port), dir, "--tcp-auth=file:filename=" + dir + "/pw",
                     "--start=xterm -geometry 40x10+0+0"},
                    dir + "/xpra-server.log");
  CPPUNIT_ASSERT_MESSAGE(xpra.output(), !xpra.waitForOutput("xpra is ready", 45000).empty());
  const std::string url = "tcp://127.0.0.1:" + std::to_string(port);
  auto [code, json] = runProgram({kRdkernel, "attach", url, "--headless", "--seconds", "3",
                                  "--password-file", dir + "/pw", "--json", "--no-status"},
                                 dir + "/attach.log", 60000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(json, 0, code);
  CPPUNIT_ASSERT_MESSAGE(json, json.find("\"handshake\":true") != std::string::npos);
  auto [badCode, badJson] =
      runProgram({kRdkernel, "attach", url, "--headless", "--seconds", "3", "--password-file",
                  dir + "/bad-pw", "--json", "--no-status"},
                 dir + "/attach-bad.log", 60000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(badJson, 1, badCode);
  CPPUNIT_ASSERT_MESSAGE(badJson, badJson.find("authentication failed") != std::string::npos);
}

void XpraAuthInteropTest::testXpraClientOverSsl() {
  const std::string dir = testDirectory("interop-xpra-ssl");
  // A CA with key usage (Xpra's client checks strictly) and a server certificate for 127.0.0.1.
  const std::string make =
      "cd '" + dir +
      "' && "
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key "
      "-out ca.pem -days 2 -subj '/CN=rdkernel test CA' "
      "-addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' "
      "&& openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
      "-keyout server.key -out server.csr -subj '/CN=127.0.0.1' "
      "&& printf 'subjectAltName=IP:127.0.0.1\\nkeyUsage=critical,digitalSignature\\n"
      "extendedKeyUsage=serverAuth\\n' > server.ext "
      "&& openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
      "-extfile server.ext -out server.pem >/dev/null 2>&1";
  CPPUNIT_ASSERT_EQUAL(0, std::system(make.c_str()));
  ChildProcess server({kRdkernel, "serve", "--bind", "ssl://127.0.0.1:0", "--set",
                       "transport.tls.cert=" + dir + "/server.pem", "--set",
                       "transport.tls.key=" + dir + "/server.key"},
                      dir + "/serve.log");
  const std::string line = server.waitForOutput("listening on ssl://", 15000);
  CPPUNIT_ASSERT_MESSAGE(server.output(), !line.empty());
  const std::string url = line.substr(line.find("ssl://")) + "/";
  rdk::test::XvfbServer display(1280, 800);
  auto argv = xpraAttachCommand(url, dir);
  argv.push_back("--ssl-ca-certs=" + dir + "/ca.pem");
  ChildProcess client(argv, dir + "/attach.log", xpraEnv(dir, display.name()));
  CPPUNIT_ASSERT_MESSAGE(client.output() + "\nserver:\n" + server.output(),
                         !client.waitForOutput("Attached to", 30000).empty());
}
