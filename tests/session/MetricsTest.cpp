#include "MetricsTest.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <sstream>
#include <thread>

#include "rdk/session/metrics_endpoint.h"
#include "rdk/session/server_metrics.h"
#include "session_fixture.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(MetricsTest);

using rdk::session::MetricsEndpoint;
using rdk::session::prometheusText;
using rdk::session::ServerMetrics;
using rdk::session::SessionMetrics;
using rdk::test::runClient;
using rdk::test::RunningServer;
using rdk::test::testConfig;

namespace {

bool has(const std::string& text, const std::string& line) {
  return text.find(line) != std::string::npos;
}

struct HttpReply {
  int status = 0;
  std::string contentType, body;
};

HttpReply fetch(uint16_t port, const std::string& method, const std::string& path) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpReply reply;
  reply.status = response.getStatus();
  reply.contentType = response.getContentType();
  std::ostringstream body;
  Poco::StreamCopier::copyStream(in, body);
  reply.body = body.str();
  return reply;
}

}  // namespace

void MetricsTest::testPrometheusText() {
  ServerMetrics m;
  m.uptimeSeconds = 12.5;
  m.clientsAccepted = 3;
  m.draws = 1234;
  m.pendingConnections = 2;
  SessionMetrics s;
  s.id = 7;
  s.peer = "fe80::1%eth0\"\\\n";  // every character a label value must escape
  s.transport = "udp";
  s.rttMs = 4.5;
  s.lossPermille = 125;
  s.draws = 99;
  m.sessions.push_back(s);
  m.perEncoding["vp8"] = {40, 2'500'000};
  m.refusals[static_cast<size_t>(rdk::session::Refusal::AuthFailed)] = 3;
  const std::string text = prometheusText(m);
  CPPUNIT_ASSERT(has(text, "# TYPE rdk_refusals_total counter\n"));
  CPPUNIT_ASSERT(has(text, "rdk_refusals_total{reason=\"auth-failed\"} 3\n"));
  CPPUNIT_ASSERT(has(text, "rdk_refusals_total{reason=\"window-size\"} 0\n"));
  CPPUNIT_ASSERT(has(text, "rdk_encoding_draws_total{encoding=\"vp8\"} 40\n"));
  CPPUNIT_ASSERT(has(text, "rdk_encoding_encode_seconds_total{encoding=\"vp8\"} 2.5\n"));
  CPPUNIT_ASSERT(has(text, "# TYPE rdk_draws_total counter\nrdk_draws_total 1234\n"));
  CPPUNIT_ASSERT(has(text, "# TYPE rdk_uptime_seconds gauge\nrdk_uptime_seconds 12.5\n"));
  CPPUNIT_ASSERT(has(text, "rdk_clients_active 1\n"));
  CPPUNIT_ASSERT(has(text, "rdk_connections_pending 2\n"));
  const std::string labels = "{session=\"7\",peer=\"fe80::1%eth0\\\"\\\\\\n\",transport=\"udp\"}";
  CPPUNIT_ASSERT_MESSAGE(text, has(text, "rdk_session_ping_rtt_milliseconds" + labels + " 4.5\n"));
  CPPUNIT_ASSERT(has(text, "rdk_session_transport_loss_ratio" + labels + " 0.125\n"));
  CPPUNIT_ASSERT(has(text, "rdk_session_draws_total" + labels + " 99\n"));
  // Every sample line is "name[{labels}] value": no raw newline inside a label broke a line.
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#')
      continue;
    CPPUNIT_ASSERT_MESSAGE(line, line.rfind("rdk_", 0) == 0);
    CPPUNIT_ASSERT_MESSAGE(line, line.find(' ') != std::string::npos);
  }
}

void MetricsTest::testSnapshotOfALiveSession() {
  auto config = testConfig();
  RunningServer server(config, "tcp://127.0.0.1:0");
  const std::string url = server.url();
  auto client =
      std::async(std::launch::async, [&config, url] { return runClient(config, url, 4.0, false); });
  // The loop publishes once a second: wait for a snapshot with the session drawing.
  ServerMetrics seen;
  for (int i = 0; i < 100; ++i) {
    seen = server.server().metrics();
    if (!seen.sessions.empty() && seen.sessions[0].draws > 0)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CPPUNIT_ASSERT_EQUAL(size_t{1}, seen.sessions.size());
  CPPUNIT_ASSERT(seen.sessions[0].draws > 0);
  CPPUNIT_ASSERT(seen.sessions[0].drawBytes > 0);
  CPPUNIT_ASSERT_EQUAL(std::string("tcp"), seen.sessions[0].transport);
  CPPUNIT_ASSERT_MESSAGE(seen.sessions[0].peer,
                         seen.sessions[0].peer.find("127.0.0.1") != std::string::npos);
  CPPUNIT_ASSERT(seen.draws >= seen.sessions[0].draws);
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, seen.clientsAccepted);
  uint64_t encodedDraws = 0;
  for (const auto& [coding, e] : seen.perEncoding)
    encodedDraws += e.draws;
  CPPUNIT_ASSERT_EQUAL(seen.draws, encodedDraws);
  CPPUNIT_ASSERT(client.get().handshakeOk);
  // Once the client left, its draws stay in the totals and its row goes.
  ServerMetrics after;
  for (int i = 0; i < 50; ++i) {
    after = server.server().metrics();
    if (after.sessions.empty())
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CPPUNIT_ASSERT(after.sessions.empty());
  CPPUNIT_ASSERT(after.draws >= seen.draws);
}

void MetricsTest::testHttpEndpoint() {
  int scrapes = 0;
  MetricsEndpoint endpoint([&scrapes] {
    ++scrapes;
    return std::string("rdk_draws_total 5\n");
  });
  std::string error;
  CPPUNIT_ASSERT_MESSAGE(error, endpoint.start("127.0.0.1:0", &error));
  CPPUNIT_ASSERT(endpoint.port() != 0);
  const HttpReply ok = fetch(endpoint.port(), "GET", "/metrics");
  CPPUNIT_ASSERT_EQUAL(200, ok.status);
  CPPUNIT_ASSERT_EQUAL(std::string("text/plain; version=0.0.4; charset=utf-8"), ok.contentType);
  CPPUNIT_ASSERT_EQUAL(std::string("rdk_draws_total 5\n"), ok.body);
  CPPUNIT_ASSERT_EQUAL(404, fetch(endpoint.port(), "GET", "/").status);
  CPPUNIT_ASSERT_EQUAL(404, fetch(endpoint.port(), "GET", "/metrics/../etc/passwd").status);
  CPPUNIT_ASSERT_EQUAL(405, fetch(endpoint.port(), "POST", "/metrics").status);
  CPPUNIT_ASSERT_EQUAL(1, scrapes);  // only the GET of /metrics asked for the text
  // A second endpoint on the same port fails with a reason naming the address.
  MetricsEndpoint clash([] { return std::string(); });
  const std::string taken = "127.0.0.1:" + std::to_string(endpoint.port());
  CPPUNIT_ASSERT(!clash.start(taken, &error));
  CPPUNIT_ASSERT_MESSAGE(error, error.find("cannot serve metrics on " + taken) == 0);
}

namespace {

uint64_t refusalsOf(const ServerMetrics& m, const std::string& reason, std::string* plugin) {
  for (const auto& r : m.pluginRefusals) {
    if (r.reason == reason) {
      *plugin = r.plugin;
      return r.count;
    }
  }
  return 0;
}

}  // namespace

void MetricsTest::testTransportRefusalsAreCounted() {
  auto config = testConfig();
  RunningServer server(config, "udp://127.0.0.1:0");
  const std::string url = server.url();
  std::string plugin;
  // Counters live as long as the process (other tests may have counted): compare.
  const uint64_t before = refusalsOf(server.server().metrics(), "udp-malformed-header", &plugin);
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(std::stoi(url.substr(url.rfind(':') + 1))));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int i = 0; i < 10; ++i)
    ::sendto(fd, "xyz", 3, 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
  ::close(fd);
  ServerMetrics seen;
  uint64_t after = before;
  for (int i = 0; i < 100 && after < before + 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    seen = server.server().metrics();
    after = refusalsOf(seen, "udp-malformed-header", &plugin);
  }
  CPPUNIT_ASSERT_EQUAL(before + 10, after);
  CPPUNIT_ASSERT_EQUAL(std::string("udp"), plugin);
  const std::string text = prometheusText(seen);
  CPPUNIT_ASSERT_MESSAGE(text, has(text,
                                   "rdk_plugin_refusals_total{plugin=\"udp\","
                                   "reason=\"udp-malformed-header\"} " +
                                       std::to_string(after)));
}
