#include "ProxyLogicTest.h"

#include "rdk/protocol/codec.h"
#include "rdk/protocol/record.h"
#include "rdk/proxy/packet_splitter.h"
#include "rdk/proxy/session_command.h"
#include "rdk/proxy/state_file.h"
#include "rdk/proxy/users_file.h"

CPPUNIT_TEST_SUITE_REGISTRATION(ProxyLogicTest);

using namespace rdk::proxy;

namespace {

std::string errorOf(const std::string& text) {
  try {
    UsersFile::parse(text, "users.txt");
  } catch (const UsersFileError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

void ProxyLogicTest::testUsersFileFields() {
  const UsersFile file = UsersFile::parse(
      "# comment\n"
      "\n"
      "alice|secret one\n"
      "bob|pw|1001|1002|:10,:11|LANG=C;TZ=UTC|mode=start;start=xterm;size=800x600;"
      "server.encodings=png\n",
      "users.txt");
  CPPUNIT_ASSERT_EQUAL(size_t(2), file.users().size());
  const UserEntry* alice = file.find("alice");
  CPPUNIT_ASSERT(alice);
  CPPUNIT_ASSERT_EQUAL(std::string("secret one"), alice->password);
  CPPUNIT_ASSERT(!alice->uid && !alice->gid);
  CPPUNIT_ASSERT_EQUAL(std::string("serve"), alice->mode);
  CPPUNIT_ASSERT_EQUAL(3, alice->line);
  const UserEntry* bob = file.find("bob");
  CPPUNIT_ASSERT(bob && bob->uid && bob->gid);
  CPPUNIT_ASSERT_EQUAL(1001u, *bob->uid);
  CPPUNIT_ASSERT_EQUAL(1002u, *bob->gid);
  CPPUNIT_ASSERT_EQUAL(size_t(2), bob->displays.size());
  CPPUNIT_ASSERT_EQUAL(std::string(":10"), bob->displays[0]);
  CPPUNIT_ASSERT_EQUAL(size_t(2), bob->env.size());
  CPPUNIT_ASSERT_EQUAL(std::string("TZ"), bob->env[1].first);
  CPPUNIT_ASSERT_EQUAL(std::string("start"), bob->mode);
  CPPUNIT_ASSERT_EQUAL(std::string("xterm"), bob->startCommands.at(0));
  CPPUNIT_ASSERT_EQUAL(size_t(2), bob->settings.size());
  CPPUNIT_ASSERT_EQUAL(std::string("server.size"), bob->settings[0].first);
  CPPUNIT_ASSERT_EQUAL(std::string("server.encodings"), bob->settings[1].first);
  CPPUNIT_ASSERT(!file.find("carol"));
}

void ProxyLogicTest::testUsersFileErrorsNameFileAndLine() {
  CPPUNIT_ASSERT_EQUAL(std::string("users.txt:2: expected "
                                   "username|password[|uid|gid|displays|env|session-options]"),
                       errorOf("a|b\njustaname\n"));
  CPPUNIT_ASSERT_EQUAL(std::string("users.txt:1: empty password for user 'a'"), errorOf("a|\n"));
  CPPUNIT_ASSERT_EQUAL(std::string("users.txt:3: user 'a' already defined on line 1"),
                       errorOf("a|x\n#\na|y\n"));
  CPPUNIT_ASSERT_EQUAL(std::string("users.txt:1: uid 'root' is not a number"),
                       errorOf("a|x|root\n"));
  CPPUNIT_ASSERT(errorOf("a|x||||FOO\n").find("users.txt:1: environment option 'FOO'") == 0);
  CPPUNIT_ASSERT(errorOf("a|x|||||colour=blue\n").find("users.txt:1: unknown session option") == 0);
  CPPUNIT_ASSERT(errorOf("a|x|||||mode=shadow\n").find("users.txt:1: session option mode") == 0);
  CPPUNIT_ASSERT_EQUAL(std::string("users.txt:1: start= needs mode=start"),
                       errorOf("a|x|||||start=xterm\n"));
  CPPUNIT_ASSERT_EQUAL(std::string("users.txt:1: more than 7 '|'-separated fields"),
                       errorOf("a|x|||||||\n"));
  CPPUNIT_ASSERT(errorOf("a b|x\n").find("holds a space") != std::string::npos);
  CPPUNIT_ASSERT_THROW(UsersFile::load("/nonexistent/users"), UsersFileError);
}

void ProxyLogicTest::testSessionCommandLine() {
  const UsersFile file = UsersFile::parse(
      "a|x||||HOME=/h|size=640x480\n"
      "b|y|||:7||mode=start;start=xterm;start=xclock\n",
      "u");
  const auto serve =
      sessionCommand("/bin/rdkernel", {"--config", "c.conf"}, *file.find("a"), "tcp://127.0.0.1:0");
  const std::vector<std::string> expected{
      "/bin/rdkernel", "--config",
      "c.conf",        "serve",
      "--bind",        "tcp://127.0.0.1:0",
      "--set",         "server.size=640x480",
      "--set",         "server.auth.tcp=env:name=RDK_PROXY_TOKEN"};
  CPPUNIT_ASSERT(serve == expected);
  const auto start = sessionCommand("rdk", {}, *file.find("b"), "tcp://127.0.0.1:5");
  const std::vector<std::string> expectedStart{"rdk",
                                               "start",
                                               ":7",
                                               "--start=xterm",
                                               "--start=xclock",
                                               "--bind",
                                               "tcp://127.0.0.1:5",
                                               "--set",
                                               "server.auth.tcp=env:name=RDK_PROXY_TOKEN"};
  CPPUNIT_ASSERT(start == expectedStart);
  const auto env = sessionEnvironment(*file.find("a"), "t0k");
  CPPUNIT_ASSERT(env == (std::vector<std::string>{"HOME=/h", "RDK_PROXY_TOKEN=t0k"}));
  // With a udp bind (the proxy listens on udp://): the client answers the session's challenge
  // itself there, so that bind checks the user's own password, and only that bind.
  const auto withUdp =
      sessionCommand("rdk", {}, *file.find("a"), "tcp://127.0.0.1:0", "udp://127.0.0.1:0");
  const std::vector<std::string> expectedUdp{
      "rdk",    "serve",
      "--bind", "tcp://127.0.0.1:0",
      "--bind", "udp://127.0.0.1:0",
      "--set",  "server.size=640x480",
      "--set",  "server.auth.tcp=env:name=RDK_PROXY_TOKEN",
      "--set",  "server.auth.udp=env:name=RDK_PROXY_PASSWORD"};
  CPPUNIT_ASSERT(withUdp == expectedUdp);
  CPPUNIT_ASSERT(
      sessionEnvironment(*file.find("a"), "t0k", true) ==
      (std::vector<std::string>{"HOME=/h", "RDK_PROXY_TOKEN=t0k", "RDK_PROXY_PASSWORD=x"}));
}

void ProxyLogicTest::testListeningPort() {
  CPPUNIT_ASSERT_EQUAL(0, listeningPort("warning: x\n"));
  CPPUNIT_ASSERT_EQUAL(0, listeningPort("listening on tcp://127.0.0.1:4123"));  // no newline yet
  CPPUNIT_ASSERT_EQUAL(4123, listeningPort("W plugin\nlistening on tcp://127.0.0.1:4123\n"));
  CPPUNIT_ASSERT_EQUAL(0, listeningPort("listening on tcp://127.0.0.1:99999\n"));
  const std::string both = "listening on udp://127.0.0.1:5001\nlistening on tcp://127.0.0.1:5002\n";
  CPPUNIT_ASSERT_EQUAL(5002, listeningPort(both));
  CPPUNIT_ASSERT_EQUAL(5001, listeningPort(both, "udp"));
}

void ProxyLogicTest::testPacketBoundaries() {
  using namespace rdk::protocol;
  const std::string chunk = makeRecord(kFlagRencode, 0, 1, std::string(100, 'c'));
  const std::string main =
      makeRecord(kFlagRencode, 0, 0, rencode(Value(Value::List{Value("hello")})));
  const std::string packet = chunk + main;
  CPPUNIT_ASSERT_EQUAL(size_t(0), firstPacketLength("", 1000));
  CPPUNIT_ASSERT_EQUAL(size_t(0), firstPacketLength(packet.substr(0, 5), 1000));
  CPPUNIT_ASSERT_EQUAL(size_t(0), firstPacketLength(packet.substr(0, chunk.size() + 3), 1000));
  CPPUNIT_ASSERT_EQUAL(packet.size(), firstPacketLength(packet, 1000));
  // What follows the first packet is not part of it.
  CPPUNIT_ASSERT_EQUAL(packet.size(), firstPacketLength(packet + main + "xyz", 1000));
  CPPUNIT_ASSERT_THROW(firstPacketLength("GET / HTTP/1.1\r\n", 1000), std::runtime_error);
  CPPUNIT_ASSERT_THROW(firstPacketLength(packet, 50), std::runtime_error);
  std::string chunks;
  for (uint8_t i = 1; i <= 5; ++i)
    chunks += makeRecord(0, 0, i, "x");
  CPPUNIT_ASSERT_THROW(firstPacketLength(chunks + main, 1000), std::runtime_error);
}

void ProxyLogicTest::testStateFileRoundTripAndTable() {
  ProxyState header;
  header.proxyPid = 4242;
  header.binds = {"tcp://0.0.0.0:14500"};
  header.launcher = "child";
  SessionRecord record;
  record.user = "alice";
  record.session.port = 40001;
  record.session.pid = 777;
  record.session.handle = "pid 777";
  record.connections = 0;
  record.startedUs = 1'000'000;
  record.lastActiveUs = 3'000'000;
  const ProxyState state = parseState(stateJson(header, {record}, 13'000'000));
  CPPUNIT_ASSERT_EQUAL(int64_t(4242), state.proxyPid);
  CPPUNIT_ASSERT_EQUAL(size_t(1), state.sessions.size());
  CPPUNIT_ASSERT_EQUAL(std::string("alice"), state.sessions[0].user);
  CPPUNIT_ASSERT_EQUAL(40001, state.sessions[0].port);
  CPPUNIT_ASSERT_EQUAL(uint64_t(12), state.sessions[0].uptimeS);
  CPPUNIT_ASSERT_EQUAL(uint64_t(10), state.sessions[0].idleS);
  const UsersFile users = UsersFile::parse("alice|a\nbob|b\n", "u");
  const std::string table = listTable(state, users.users(), true);
  CPPUNIT_ASSERT_MESSAGE(table, table.find("proxy pid 4242 on tcp://0.0.0.0:14500") == 0);
  CPPUNIT_ASSERT_MESSAGE(
      table, table.find("alice            running  127.0.0.1:40001") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(table, table.find("\nbob              -") != std::string::npos);
  const std::string stale = listTable(state, users.users(), false);
  CPPUNIT_ASSERT_MESSAGE(stale, stale.find("proxy not running") == 0);
  CPPUNIT_ASSERT_MESSAGE(stale, stale.find("running  127") == std::string::npos);
  CPPUNIT_ASSERT_THROW(parseState("{\"x\":1}"), std::runtime_error);
}
