#include "SslTransportTest.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "ssl_test_util.h"

CPPUNIT_TEST_SUITE_REGISTRATION(SslTransportTest);

using namespace std::chrono_literals;
using rdk::test::ConnectionSink;
using rdk::test::FakeHost;
using rdk::test::ListenerSink;
using rdk::test::LoadedTestPlugin;
using rdk::test::testCertDir;

namespace {

LoadedTestPlugin& sslPlugin() {
  static LoadedTestPlugin plugin("transport-ssl");
  return plugin;
}
const rdk_transport_vtbl& vtbl() {
  return *sslPlugin().descriptor()->transport;
}

std::string certOptions(const std::string& cert, const std::string& key,
                        const std::string& extra = "") {
  const std::string& d = testCertDir();
  return R"({"cert":")" + d + "/" + cert + R"(","key":")" + d + "/" + key + "\"" + extra + "}";
}
std::string serverOptions() {
  return certOptions("server.pem", "server.key");
}
std::string clientOptions(const std::string& ca = "ca.pem", const std::string& extra = "") {
  return R"({"ca":")" + testCertDir() + "/" + ca + "\"" + extra + "}";
}

// A listener on an ephemeral loopback port, destroyed with the object.
class TestListener {
 public:
  explicit TestListener(const std::string& options) {
    status_ = vtbl().listen(sslPlugin().state(), "ssl://127.0.0.1:0", options.c_str(),
                            sink_.callbacks(), &listener_);
    if (status_ == RDK_OK) {
      char buf[128];
      vtbl().listener_address(listener_, buf, sizeof(buf));
      address_ = buf;
    }
  }
  ~TestListener() {
    // The listener goes first: a handshake that completes while the connections are being
    // destroyed would otherwise hand over one more connection that nobody destroys.
    if (listener_)
      vtbl().listener_destroy(listener_);
    for (size_t i = 0; i < sink_.acceptedCount(); ++i) {
      vtbl().connection_destroy(sink_.waitForAccept(i));
    }
  }
  rdk_status status() const { return status_; }
  const std::string& address() const { return address_; }
  std::string port() const { return address_.substr(address_.rfind(':') + 1); }
  ListenerSink& sink() { return sink_; }

 private:
  ListenerSink sink_;
  rdk_listener* listener_ = nullptr;
  rdk_status status_ = RDK_E_INTERNAL;
  std::string address_;
};

rdk_status connectTo(const std::string& url, const std::string& options, ConnectionSink& sink,
                     rdk_connection** out) {
  return vtbl().connect(sslPlugin().state(), url.c_str(), options.c_str(), sink.callbacks(), out);
}

void sendAll(rdk_connection* conn, const std::string& data) {
  rdk_send_info info{sizeof(rdk_send_info), RDK_DELIVERY_RELIABLE, 0, 0};
  const size_t chunk = 256 * 1024;
  for (size_t offset = 0; offset < data.size();) {
    const size_t n = std::min(chunk, data.size() - offset);
    rdk_bytes iov{reinterpret_cast<const uint8_t*>(data.data() + offset), n};
    const rdk_status status = vtbl().send(conn, &iov, 1, &info);
    if (status == RDK_E_AGAIN) {
      std::this_thread::sleep_for(1ms);
      continue;
    }
    CPPUNIT_ASSERT_EQUAL(RDK_OK, status);
    offset += n;
  }
}

std::string runCommand(const std::string& cmd) {
  FILE* pipe = popen(cmd.c_str(), "r");
  CPPUNIT_ASSERT(pipe != nullptr);
  std::string out;
  char buf[512];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0)
    out.append(buf, n);
  pclose(pipe);
  return out;
}

}  // namespace

void SslTransportTest::testHandshakeAndRoundTrip() {
  TestListener listener(serverOptions());
  CPPUNIT_ASSERT_EQUAL_MESSAGE(sslPlugin().host().lastError(), RDK_OK, listener.status());
  CPPUNIT_ASSERT(listener.address().rfind("ssl://127.0.0.1:", 0) == 0);
  ConnectionSink client;
  rdk_connection* conn = nullptr;
  // Hostname check against the certificate's IP address SAN.
  CPPUNIT_ASSERT_EQUAL_MESSAGE(sslPlugin().host().lastError(), RDK_OK,
                               connectTo(listener.address(), clientOptions(), client, &conn));
  rdk_connection* server = listener.sink().waitForAccept(0);
  CPPUNIT_ASSERT(server != nullptr);
  sendAll(conn, "hello server");
  CPPUNIT_ASSERT_EQUAL(std::string("hello server"), listener.sink().sink(0).waitForData(12));
  rdk_bytes parts[2] = {{reinterpret_cast<const uint8_t*>("hello "), 6},
                        {reinterpret_cast<const uint8_t*>("client"), 6}};
  rdk_send_info info{sizeof(rdk_send_info), RDK_DELIVERY_RELIABLE, 0, 0};
  CPPUNIT_ASSERT_EQUAL(RDK_OK, vtbl().send(server, parts, 2, &info));
  CPPUNIT_ASSERT_EQUAL(std::string("hello client"), client.waitForData(12));

  char peer[128];
  CPPUNIT_ASSERT_EQUAL(RDK_OK, vtbl().peer_address(conn, peer, sizeof(peer)));
  CPPUNIT_ASSERT_EQUAL(listener.address(), std::string(peer));
  CPPUNIT_ASSERT(listener.sink().peer(0).rfind("ssl://127.0.0.1:", 0) == 0);
  rdk_transport_stats stats{};
  stats.struct_size = sizeof(stats);
  CPPUNIT_ASSERT_EQUAL(RDK_OK, vtbl().get_stats(conn, &stats));
  CPPUNIT_ASSERT_EQUAL(uint64_t(12), stats.bytes_sent);
  CPPUNIT_ASSERT(stats.wire_bytes_sent > stats.bytes_sent);  // handshake and record overhead
  vtbl().connection_destroy(conn);
}

void SslTransportTest::testLargeTransferArrivesIntact() {
  TestListener listener(serverOptions());
  ConnectionSink client;
  rdk_connection* conn = nullptr;
  CPPUNIT_ASSERT_EQUAL(
      RDK_OK, connectTo(listener.address(),
                        clientOptions("ca.pem", R"(,"max_queue_bytes":1048576)"), client, &conn));
  std::string payload(16 << 20, '\0');
  for (size_t i = 0; i < payload.size(); ++i)
    payload[i] = static_cast<char>((i * 2654435761u) >> 13);
  sendAll(conn, payload);
  CPPUNIT_ASSERT(listener.sink().waitForAccept(0) != nullptr);
  const std::string got = listener.sink().sink(0).waitForData(payload.size(), 30s);
  CPPUNIT_ASSERT_EQUAL(payload.size(), got.size());
  CPPUNIT_ASSERT(got == payload);
  vtbl().connection_destroy(conn);
}

void SslTransportTest::testCloseReportedOnceOnBothSides() {
  TestListener listener(serverOptions());
  ConnectionSink client;
  rdk_connection* conn = nullptr;
  CPPUNIT_ASSERT_EQUAL(RDK_OK, connectTo(listener.address(), clientOptions(), client, &conn));
  CPPUNIT_ASSERT(listener.sink().waitForAccept(0) != nullptr);
  sendAll(conn, "last words");
  vtbl().close(conn, "client quit");
  vtbl().close(conn, "twice");  // a second close is harmless
  CPPUNIT_ASSERT(client.waitForClosed());
  CPPUNIT_ASSERT_EQUAL(std::string("client quit"), client.closedReason());
  // Queued data is flushed before the close, then the server sees the close.
  CPPUNIT_ASSERT_EQUAL(std::string("last words"), listener.sink().sink(0).waitForData(10));
  CPPUNIT_ASSERT(listener.sink().sink(0).waitForClosed());
  CPPUNIT_ASSERT(listener.sink().sink(0).closedReason().find("peer closed") != std::string::npos);
  rdk_send_info info{sizeof(rdk_send_info), RDK_DELIVERY_RELIABLE, 0, 0};
  rdk_bytes iov{reinterpret_cast<const uint8_t*>("x"), 1};
  CPPUNIT_ASSERT_EQUAL(RDK_E_CLOSED, vtbl().send(conn, &iov, 1, &info));
  std::this_thread::sleep_for(100ms);
  CPPUNIT_ASSERT_EQUAL(1, client.closedCount());
  CPPUNIT_ASSERT_EQUAL(1, listener.sink().sink(0).closedCount());
  vtbl().connection_destroy(conn);
}

void SslTransportTest::testWrongCaRefused() {
  TestListener listener(serverOptions());
  ConnectionSink client;
  rdk_connection* conn = nullptr;
  CPPUNIT_ASSERT_EQUAL(RDK_E_AUTH,
                       connectTo(listener.address(), clientOptions("other-ca.pem"), client, &conn));
  const std::string error = sslPlugin().host().lastError();
  CPPUNIT_ASSERT_MESSAGE(error, error.find("certificate verification failed") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(error, error.find("local issuer") != std::string::npos);
  std::this_thread::sleep_for(200ms);
  CPPUNIT_ASSERT_EQUAL(size_t(0), listener.sink().acceptedCount());
  // verify=false is the explicit opt-out (like Xpra's --ssl-server-verify-mode=none).
  CPPUNIT_ASSERT_EQUAL(
      RDK_OK, connectTo(listener.address(), clientOptions("other-ca.pem", R"(,"verify":false)"),
                        client, &conn));
  vtbl().connection_destroy(conn);
}

void SslTransportTest::testExpiredCertificateRefused() {
  TestListener listener(certOptions("expired.pem", "expired.key"));
  CPPUNIT_ASSERT_EQUAL(RDK_OK, listener.status());
  ConnectionSink client;
  rdk_connection* conn = nullptr;
  CPPUNIT_ASSERT_EQUAL(RDK_E_AUTH, connectTo(listener.address(), clientOptions(), client, &conn));
  const std::string error = sslPlugin().host().lastError();
  CPPUNIT_ASSERT_MESSAGE(error, error.find("certificate has expired") != std::string::npos);
  CPPUNIT_ASSERT_EQUAL(size_t(0), listener.sink().acceptedCount());
}

void SslTransportTest::testHostnameMismatchRefused() {
  TestListener listener(serverOptions());
  ConnectionSink client;
  rdk_connection* conn = nullptr;
  CPPUNIT_ASSERT_EQUAL(
      RDK_E_AUTH,
      connectTo(listener.address(), clientOptions("ca.pem", R"(,"server_name":"other.example")"),
                client, &conn));
  const std::string error = sslPlugin().host().lastError();
  CPPUNIT_ASSERT_MESSAGE(error, error.find("mismatch") != std::string::npos);
  // The name in the certificate passes.
  CPPUNIT_ASSERT_EQUAL(
      RDK_OK, connectTo(listener.address(),
                        clientOptions("ca.pem", R"(,"server_name":"localhost")"), client, &conn));
  vtbl().connection_destroy(conn);
}

// Issue 20 item 2: the documented client options (server_name, check_hostname, timeouts...) had
// no way in from rdkernel.conf; the plugin declares them as transport.tls.* settings.
void SslTransportTest::testDeclaredSettingsReachTheOptions() {
  TestListener listener(serverOptions());
  ConnectionSink client;
  rdk_connection* conn = nullptr;
  FakeHost& host = sslPlugin().host();
  host.setConfig("transport.tls.server-name", "other.example");
  const rdk_status mismatch = connectTo(listener.address(), clientOptions("ca.pem"), client, &conn);
  const std::string error = host.lastError();
  // What the kernel passes in options_json wins over the setting.
  const rdk_status explicitName = connectTo(
      listener.address(), clientOptions("ca.pem", R"(,"server_name":"localhost")"), client, &conn);
  if (explicitName == RDK_OK)
    vtbl().connection_destroy(conn);
  host.setConfig("transport.tls.check-hostname", "false");
  const rdk_status unchecked =
      connectTo(listener.address(), clientOptions("ca.pem"), client, &conn);
  if (unchecked == RDK_OK)
    vtbl().connection_destroy(conn);
  host.setConfig("transport.tls.server-name", "");  // empty: the plugin's default (the URL's host)
  host.setConfig("transport.tls.check-hostname", "");
  CPPUNIT_ASSERT_EQUAL(RDK_E_AUTH, mismatch);
  CPPUNIT_ASSERT_MESSAGE(error, error.find("mismatch") != std::string::npos);
  CPPUNIT_ASSERT_EQUAL(RDK_OK, explicitName);
  CPPUNIT_ASSERT_EQUAL(RDK_OK, unchecked);
}

void SslTransportTest::testClientCertificateRequired() {
  const std::string d = testCertDir();
  TestListener listener(
      certOptions("server.pem", "server.key", R"(,"ca":")" + d + R"(/ca.pem","verify":true)"));
  ConnectionSink anonymous;
  rdk_connection* conn = nullptr;
  // TLS 1.3 clients learn of the refusal on their first read, so either side may report it.
  const rdk_status status = connectTo(listener.address(), clientOptions(), anonymous, &conn);
  if (status == RDK_OK) {
    CPPUNIT_ASSERT(anonymous.waitForClosed());
    vtbl().connection_destroy(conn);
  }
  std::this_thread::sleep_for(200ms);
  CPPUNIT_ASSERT_EQUAL(size_t(0), listener.sink().acceptedCount());
  ConnectionSink withCert;
  CPPUNIT_ASSERT_EQUAL(
      RDK_OK, connectTo(listener.address(),
                        certOptions("server.pem", "server.key", R"(,"ca":")" + d + R"(/ca.pem")"),
                        withCert, &conn));
  CPPUNIT_ASSERT(listener.sink().waitForAccept(0) != nullptr);
  vtbl().connection_destroy(conn);
}

void SslTransportTest::testListenerNeedsCertificate() {
  TestListener noCert("{}");
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, noCert.status());
  CPPUNIT_ASSERT(sslPlugin().host().lastError().find("cert=") != std::string::npos);
  TestListener mismatched(certOptions("server.pem", "expired.key"));
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, mismatched.status());
  const std::string error = sslPlugin().host().lastError();
  CPPUNIT_ASSERT_MESSAGE(error, error.find("does not match") != std::string::npos);
  ConnectionSink client;
  rdk_connection* conn = nullptr;
  CPPUNIT_ASSERT_EQUAL(RDK_E_INVALID_ARG, connectTo("tcp://127.0.0.1:1", "{}", client, &conn));
}

void SslTransportTest::testGarbageNeverReachesKernel() {
  TestListener listener(serverOptions());
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::stoi(listener.port())));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CPPUNIT_ASSERT_EQUAL(0, ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)));
  const char garbage[] = "GET / HTTP/1.0\r\n\r\nnot tls at all";
  CPPUNIT_ASSERT(::write(fd, garbage, sizeof(garbage)) > 0);
  char buf[256];
  [[maybe_unused]] ssize_t n = ::read(fd, buf, sizeof(buf));  // the alert, then EOF
  ::close(fd);
  ConnectionSink client;
  rdk_connection* conn = nullptr;
  CPPUNIT_ASSERT_EQUAL(RDK_OK, connectTo(listener.address(), clientOptions(), client, &conn));
  CPPUNIT_ASSERT(listener.sink().waitForAccept(0) != nullptr);
  CPPUNIT_ASSERT_EQUAL(size_t(1), listener.sink().acceptedCount());
  CPPUNIT_ASSERT(sslPlugin().host().log().find("handshake with") != std::string::npos);
  vtbl().connection_destroy(conn);
}

void SslTransportTest::testIdleSocketsDoNotBlockHandshakes() {
  // More idle sockets than handshake slots (64): they used to refuse every TLS client until
  // their handshake timeout (10 s); now the oldest idle one gives way to each newcomer.
  TestListener listener(serverOptions());
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::stoi(listener.port())));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::vector<int> idle;
  for (int i = 0; i < 100; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    CPPUNIT_ASSERT_EQUAL(0, ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)));
    idle.push_back(fd);
  }
  std::this_thread::sleep_for(300ms);
  const auto start = std::chrono::steady_clock::now();
  ConnectionSink client;
  rdk_connection* conn = nullptr;
  CPPUNIT_ASSERT_EQUAL_MESSAGE(sslPlugin().host().lastError(), RDK_OK,
                               connectTo(listener.address(), clientOptions(), client, &conn));
  CPPUNIT_ASSERT(listener.sink().waitForAccept(0) != nullptr);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  CPPUNIT_ASSERT_MESSAGE(std::to_string(ms) + " ms", ms < 2000);
  vtbl().connection_destroy(conn);
  for (int fd : idle)
    ::close(fd);
}

void SslTransportTest::testOpensslSClientConnects() {
  TestListener listener(serverOptions());
  const std::string out = runCommand(
      "echo ping | timeout 20 openssl s_client -brief -connect 127.0.0.1:" + listener.port() +
      " -CAfile " + testCertDir() + "/ca.pem -verify_return_error -verify_hostname localhost 2>&1");
  CPPUNIT_ASSERT_MESSAGE(out, out.find("CONNECTION ESTABLISHED") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(out, out.find("Verification: OK") != std::string::npos);
  CPPUNIT_ASSERT(listener.sink().waitForAccept(0) != nullptr);
  CPPUNIT_ASSERT_EQUAL(std::string("ping\n"), listener.sink().sink(0).waitForData(5));
  // TLS 1.1 is refused.
  TestListener second(serverOptions());
  const std::string old = runCommand(
      "echo ping | timeout 20 openssl s_client -brief -tls1_1 "
      "-connect 127.0.0.1:" +
      second.port() + " 2>&1");
  CPPUNIT_ASSERT_MESSAGE(old, old.find("CONNECTION ESTABLISHED") == std::string::npos);
  std::this_thread::sleep_for(100ms);
  CPPUNIT_ASSERT_EQUAL(size_t(0), second.sink().acceptedCount());
}

void SslTransportTest::testXpraClientTlsLayerConnects() {
  TestListener listener(serverOptions());
  // The server echoes the first bytes back once they arrive.
  std::thread echo([&] {
    rdk_connection* server = listener.sink().waitForAccept(0);
    if (server == nullptr)
      return;
    const std::string got = listener.sink().sink(0).waitForData(10);
    rdk_bytes iov{reinterpret_cast<const uint8_t*>(got.data()), got.size()};
    rdk_send_info info{sizeof(rdk_send_info), RDK_DELIVERY_RELIABLE, 0, 0};
    vtbl().send(server, &iov, 1, &info);
  });
  const std::string out =
      runCommand("timeout 20 /usr/bin/python3 " RDK_SSL_TEST_DIR "/xpra_ssl_client.py " +
                 listener.port() + " " + testCertDir() + "/ca.pem localhost xpra-hello 2>&1");
  echo.join();
  CPPUNIT_ASSERT_MESSAGE(out, out.find("reply=xpra-hello") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(out, out.find("version=TLSv1.2") != std::string::npos);
  // With the wrong CA, Xpra's client refuses us just as we refuse a wrong server.
  const std::string refused =
      runCommand("timeout 20 /usr/bin/python3 " RDK_SSL_TEST_DIR "/xpra_ssl_client.py " +
                 listener.port() + " " + testCertDir() + "/other-ca.pem localhost x 2>&1");
  CPPUNIT_ASSERT_MESSAGE(refused, refused.find("CERTIFICATE_VERIFY_FAILED") != std::string::npos);
}
