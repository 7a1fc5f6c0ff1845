#include "KubernetesLauncherTest.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <sys/stat.h>

#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <vector>

#include "child_process.hpp"
#include "rdk/protocol/value.h"
#include "rdk/proxy/kubernetes_launcher.h"
#include "rdk/proxy/session_registry.h"
#include "rdk/proxy/systemd_launcher.h"

CPPUNIT_TEST_SUITE_REGISTRATION(KubernetesLauncherTest);

using namespace rdk::proxy;
using rdk::protocol::Value;

namespace {

const char* kTemplate = R"({
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "rdkernel-session-USER", "labels": {"team": "a"}},
  "spec": {"restartPolicy": "Never", "containers": [{
    "name": "session", "image": "rdkernel:latest",
    "args": ["serve", "--bind", "tcp://0.0.0.0:14500"],
    "env": [{"name": "RDK_PROXY_TOKEN", "value": "placeholder"}, {"name": "KEEP", "value": "1"}]
  }]}
})";

/// The few pod and secret endpoints the launcher uses, in memory. A pod becomes Running and
/// Ready with an IP on its second GET, like a scheduled pod whose image is present.
class FakeApi {
 public:
  struct Reply {
    int status;
    std::string body;
  };
  Reply handle(const std::string& method, const std::string& uri, const std::string& body) {
    std::lock_guard<std::mutex> lock(mutex);
    requests.push_back(method + " " + uri);
    if (forbidPods && uri.find("/pods") != std::string::npos && method == "POST")
      return {403, R"({"kind":"Status","message":"pods is forbidden: no RBAC"})"};
    const std::string prefix = "/api/v1/namespaces/" + ns + "/";
    if (uri.compare(0, prefix.size(), prefix) != 0)
      return {404, "{}"};
    std::string rest = uri.substr(prefix.size());
    const std::string kind = rest.substr(0, rest.find('/'));
    const std::string name =
        rest.find('/') == std::string::npos ? "" : rest.substr(rest.find('/') + 1);
    auto& store = kind == "pods" ? pods : secrets;
    if (method == "POST") {
      Value object = Value::fromJson(body);
      const std::string n = object.find("metadata")->find("name")->asBytes();
      if (store.count(n))
        return {409, R"({"message":"already exists"})"};
      if (kind == "pods") {
        object.set("status", Value::fromJson(R"({"phase":"Pending"})"));
        if (kubelet)
          kubelet(object, secrets[n].find("stringData")->find("token")->asBytes());
      }
      store[n] = object;
      gets[n] = 0;
      return {201, object.toJson()};
    }
    if (!store.count(name))
      return {404, R"({"message":"not found"})"};
    if (method == "PUT") {
      store[name] = Value::fromJson(body);
      return {200, body};
    }
    if (method == "DELETE") {
      store.erase(name);
      return {200, "{}"};
    }
    if (kind == "pods" && (ready ? ready(name) : ++gets[name] == 2) &&
        store[name].find("status")->find("phase")->asBytes() == "Pending") {
      store[name].set("status", Value::fromJson(R"({"phase":"Running","podIP":")" + podIp +
                                                R"(","conditions":[)"
                                                R"({"type":"Ready","status":"True"}]})"));
    }
    return {200, store[name].toJson()};
  }
  /// Called (under the lock) for each new pod with its Secret's token; returns whether it runs.
  std::function<void(const Value& pod, const std::string& token)> kubelet;
  /// Whether a pod the kubelet started is ready (default: at the second GET).
  std::function<bool(const std::string& pod)> ready;

  void setPhase(const std::string& pod, const std::string& phase) {
    std::lock_guard<std::mutex> lock(mutex);
    pods[pod].set("status", Value::fromJson(R"({"phase":")" + phase + R"("})"));
  }

  std::string ns = "desktops";
  std::string podIp = "10.1.2.3";
  bool forbidPods = false;
  std::mutex mutex;
  std::vector<std::string> requests;
  std::map<std::string, Value> pods, secrets;
  std::map<std::string, int> gets;
};

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(FakeApi& api) : api_(api) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    std::ostringstream body;
    Poco::StreamCopier::copyStream(request.stream(), body);
    const FakeApi::Reply reply = api_.handle(request.getMethod(), request.getURI(), body.str());
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.setContentType("application/json");
    response.send() << reply.body;
  }

 private:
  FakeApi& api_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(FakeApi& api) : api_(api) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(api_);
  }

 private:
  FakeApi& api_;
};

struct FakeServer {
  FakeServer() : socket(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    server = std::make_unique<Poco::Net::HTTPServer>(new Factory(api), socket,
                                                     new Poco::Net::HTTPServerParams);
    server->start();
    std::string error;
    http =
        makeHttpClient("http://127.0.0.1:" + std::to_string(socket.address().port()), 5000, &error);
  }
  ~FakeServer() { server->stopAll(true); }
  KubernetesLauncherOptions options() const {
    KubernetesLauncherOptions o;
    o.ns = api.ns;
    o.podTemplateJson = kTemplate;
    o.pollMs = 10;
    o.startTimeoutMs = 10000;
    return o;
  }
  FakeApi api;
  Poco::Net::ServerSocket socket;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::unique_ptr<HttpClient> http;
};

UserEntry alice() {
  UserEntry u;
  u.name = "Alice_1";
  u.password = "pw";
  u.env = {{"LANG", "C"}};
  u.settings = {{"server.size", "800x600"}};
  return u;
}

const Value* envNamed(const Value& container, const std::string& name) {
  for (const Value& e : container.find("env")->asList())
    if (e.find("name")->asBytes() == name)
      return &e;
  return nullptr;
}

}  // namespace

void KubernetesLauncherTest::testLaunchCreatesSecretAndPodAndWaitsForReady() {
  FakeServer fake;
  KubernetesLauncher launcher(fake.options(), *fake.http);
  LaunchedSession session;
  std::string error;
  CPPUNIT_ASSERT_MESSAGE(error, launcher.launch(alice(), "tok123", &session, &error));
  CPPUNIT_ASSERT_EQUAL(std::string("10.1.2.3"), session.host);
  CPPUNIT_ASSERT_EQUAL(14500, session.port);
  CPPUNIT_ASSERT_EQUAL(std::string("rdkernel-session-alice-1"), session.handle);
  const Value& secret = fake.api.secrets.at("rdkernel-session-alice-1");
  CPPUNIT_ASSERT_EQUAL(std::string("tok123"), secret.find("stringData")->find("token")->asBytes());
  const Value& pod = fake.api.pods.at("rdkernel-session-alice-1");
  const Value& labels = *pod.find("metadata")->find("labels");
  CPPUNIT_ASSERT_EQUAL(std::string("a"), labels.find("team")->asBytes());
  CPPUNIT_ASSERT_EQUAL(std::string("alice-1"), labels.find("rdkernel.io/user")->asBytes());
  const Value& container = pod.find("spec")->find("containers")->asList().at(0);
  // The template's token value is replaced by the Secret; other variables stay.
  const Value* token = envNamed(container, "RDK_PROXY_TOKEN");
  CPPUNIT_ASSERT(token && !token->find("value"));
  CPPUNIT_ASSERT_EQUAL(std::string("rdkernel-session-alice-1"),
                       token->find("valueFrom")->find("secretKeyRef")->find("name")->asBytes());
  CPPUNIT_ASSERT(envNamed(container, "KEEP") && envNamed(container, "LANG"));
  const auto& args = container.find("args")->asList();
  CPPUNIT_ASSERT_EQUAL(std::string("server.size=800x600"), args.back().asBytes());
  CPPUNIT_ASSERT(launcher.alive(session));
}

void KubernetesLauncherTest::testEndedPodIsNoticedAndReplaced() {
  FakeServer fake;
  KubernetesLauncher launcher(fake.options(), *fake.http);
  LaunchedSession session;
  std::string error;
  CPPUNIT_ASSERT_MESSAGE(error, launcher.launch(alice(), "t1", &session, &error));
  fake.api.setPhase(session.handle, "Failed");
  CPPUNIT_ASSERT(!launcher.alive(session));
  fake.api.requests.clear();
  // The ended pod is deleted before the new one; the existing Secret gets the new token.
  CPPUNIT_ASSERT_MESSAGE(error, launcher.launch(alice(), "t2", &session, &error));
  CPPUNIT_ASSERT_EQUAL(
      std::string("DELETE /api/v1/namespaces/desktops/pods/rdkernel-session-alice-1"),
      fake.api.requests.at(0));
  CPPUNIT_ASSERT_EQUAL(
      std::string("t2"),
      fake.api.secrets.at(session.handle).find("stringData")->find("token")->asBytes());
  CPPUNIT_ASSERT(launcher.alive(session));
  launcher.stop(session);
  CPPUNIT_ASSERT(fake.api.pods.empty() && fake.api.secrets.empty());
  CPPUNIT_ASSERT(!launcher.alive(session));
}

void KubernetesLauncherTest::testApiErrorsAreReported() {
  FakeServer fake;
  fake.api.forbidPods = true;
  KubernetesLauncher launcher(fake.options(), *fake.http);
  LaunchedSession session;
  std::string error;
  CPPUNIT_ASSERT(!launcher.launch(alice(), "t", &session, &error));
  CPPUNIT_ASSERT_EQUAL(
      std::string("creating the pod: Kubernetes API 403: pods is forbidden: no RBAC"), error);
  // Nothing answering at all.
  std::string why;
  auto nowhere = makeHttpClient("http://127.0.0.1:1", 1000, &why);
  KubernetesLauncher lost(fake.options(), *nowhere);
  CPPUNIT_ASSERT(!lost.launch(alice(), "t", &session, &error));
  CPPUNIT_ASSERT_MESSAGE(error,
                         error.find("no answer from the Kubernetes API") != std::string::npos);
  CPPUNIT_ASSERT(!makeHttpClient("https://kubernetes.default.svc", 1000, &why));
  CPPUNIT_ASSERT(why.find("kubectl proxy") != std::string::npos);
  KubernetesLauncherOptions bad = fake.options();
  bad.podTemplateJson = R"({"kind":"Deployment"})";
  KubernetesLauncher wrong(bad, *fake.http);
  CPPUNIT_ASSERT(!wrong.launch(alice(), "t", &session, &error));
  CPPUNIT_ASSERT_EQUAL(std::string("the pod template is not a Pod object"), error);
}

void KubernetesLauncherTest::testRegistryOverKubernetes() {
  FakeServer fake;
  KubernetesLauncher launcher(fake.options(), *fake.http);
  SessionRegistry registry(launcher, {}, randomToken);
  std::string error;
  auto first = registry.acquire(alice(), 0, &error);
  CPPUNIT_ASSERT_MESSAGE(error, first.has_value());
  registry.release("Alice_1", 1);
  fake.api.setPhase(first->session.handle, "Succeeded");
  const auto reaped = registry.reap(2);
  CPPUNIT_ASSERT_EQUAL(size_t(1), reaped.size());
  auto second = registry.acquire(alice(), 3, &error);
  CPPUNIT_ASSERT_MESSAGE(error, second.has_value());
  CPPUNIT_ASSERT(second->token != first->token);
  CPPUNIT_ASSERT_EQUAL(
      std::string("Running"),
      fake.api.pods.at(second->session.handle).find("status")->find("phase")->asBytes());
}

void KubernetesLauncherTest::testAttachThroughTheProxyToAPod() {
  const std::string dir = rdk::test::testDirectory("proxy-kubernetes");
  const std::string rdkernel = std::string(RDK_TEST_BINARY_DIR) + "/bin/rdkernel";
  FakeServer fake;
  // The "pod": the template's arguments run by a local rdkernel on a port of its own; ready once
  // it listens, as a readiness probe would say.
  const int sessionPort = freeLoopbackPort();
  std::unique_ptr<rdk::test::ChildProcess> session;
  // The fake API's threads read these under its lock; the proxy's first request reaches them
  // through another process, which orders nothing TSan can see.
  std::unique_lock<std::mutex> configuring(fake.api.mutex);
  fake.api.kubelet = [&](const Value& pod, const std::string& token) {
    std::vector<std::string> argv{rdkernel};
    for (const Value& a :
         pod.find("spec")->find("containers")->asList().at(0).find("args")->asList())
      argv.push_back(a.asBytes());
    session = std::make_unique<rdk::test::ChildProcess>(
        argv, dir + "/pod.log", std::map<std::string, std::string>{{"RDK_PROXY_TOKEN", token}});
  };
  fake.api.podIp = "127.0.0.1";
  fake.api.ready = [&](const std::string&) {
    return session && session->output().find("listening on") != std::string::npos;
  };
  configuring.unlock();
  std::ofstream(dir + "/pod.json")
      << R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[{)"
      << R"("name":"session","image":"rdkernel:latest","args":["serve","--bind",)"
      << R"("tcp://127.0.0.1:)" << sessionPort
      << R"(","--set","server.auth.tcp=env:name=RDK_PROXY_TOKEN"]}]}})";
  std::ofstream(dir + "/users") << "alice|wonderland|||||size=352x288\n";
  chmod((dir + "/users").c_str(), 0600);
  std::ofstream(dir + "/pw") << "wonderland";
  rdk::test::ChildProcess proxy(
      {rdkernel, "proxy", "--bind", "tcp://127.0.0.1:0", "--users", dir + "/users", "--state-dir",
       dir + "/state", "--launcher", "kubernetes", "--kube-api",
       "http://127.0.0.1:" + std::to_string(fake.socket.address().port()), "--kube-namespace",
       "desktops", "--kube-pod-template", dir + "/pod.json", "--kube-session-port",
       std::to_string(sessionPort)},
      dir + "/proxy.log");
  const std::string line = proxy.waitForOutput("listening on tcp://", 20000);
  CPPUNIT_ASSERT_MESSAGE(proxy.output(), !line.empty());
  const std::string url =
      line.substr(line.find("tcp://"), line.find(" (proxy") - line.find("tcp://"));
  auto [code, out] = rdk::test::runProgram(
      {rdkernel, "attach", url, "--username", "alice", "--password-file", dir + "/pw", "--headless",
       "--seconds", "2", "--json", "--no-status", "--snapshot", dir + "/a.png"},
      dir + "/attach.log", 60000);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(out + proxy.output(), 0, code);
  CPPUNIT_ASSERT(out.find("\"handshake\":true") != std::string::npos);
  // The user's size reached the pod as --set, so the desktop is theirs.
  std::ifstream png(dir + "/a.png", std::ios::binary);
  std::string header(24, '\0');
  png.read(header.data(), 24);
  CPPUNIT_ASSERT_EQUAL(352, (uint8_t(header[18]) << 8) | uint8_t(header[19]));
  std::lock_guard<std::mutex> lock(fake.api.mutex);
  CPPUNIT_ASSERT(fake.api.pods.count("rdkernel-session-alice"));
  CPPUNIT_ASSERT(fake.api.secrets.count("rdkernel-session-alice"));
  session.reset();  // under the lock: a late readiness GET may still look at it
  fake.api.ready = nullptr;
}

void KubernetesLauncherTest::testShippedTemplate() {
  // deploy/kubernetes/session-pod-template.json as the launcher fills it in: types survive the
  // round trip (booleans stay booleans, or the API refuses the pod), the token comes from the
  // per-user Secret.
  std::ifstream in(std::string(RDK_TEST_SOURCE_DIR) +
                   "/deploy/kubernetes/session-pod-template.json");
  std::stringstream text;
  text << in.rdbuf();
  FakeServer fake;
  KubernetesLauncherOptions options = fake.options();
  options.podTemplateJson = text.str();
  KubernetesLauncher launcher(options, *fake.http);
  const std::string pod = launcher.podJson(alice(), "rdkernel-session-alice-1");
  CPPUNIT_ASSERT_MESSAGE(pod, pod.find("\"runAsNonRoot\":true") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(pod, pod.find("\"readOnlyRootFilesystem\":true") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(pod, pod.find("\"containerPort\":9464") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(pod,
                         pod.find("\"name\":\"rdkernel-session-alice-1\"") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(pod, pod.find("USER") == std::string::npos);
}
