#include "rdk/proxy/kubernetes_launcher.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cctype>
#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "rdk/protocol/value.h"
#include "rdk/proxy/session_command.h"

namespace rdk::proxy {

using protocol::Value;

namespace {

class PocoHttpClient : public HttpClient {
 public:
  PocoHttpClient(const Poco::URI& uri, int timeoutMs) : uri_(uri), timeoutMs_(timeoutMs) {}
  Response request(const std::string& method, const std::string& path,
                   const std::string& jsonBody) override {
    Response response;
    try {
      Poco::Net::HTTPClientSession session(uri_.getHost(), uri_.getPort());
      session.setTimeout(Poco::Timespan(static_cast<long>(timeoutMs_) * 1000));
      Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
      request.set("Accept", "application/json");
      if (!jsonBody.empty()) {
        request.setContentType("application/json");
        request.setContentLength(static_cast<std::streamsize>(jsonBody.size()));
      }
      std::ostream& body = session.sendRequest(request);
      body << jsonBody;
      Poco::Net::HTTPResponse reply;
      std::istream& in = session.receiveResponse(reply);
      std::ostringstream text;
      Poco::StreamCopier::copyStream(in, text, 1 << 16);
      response.status = static_cast<int>(reply.getStatus());
      response.body = text.str();
    } catch (const std::exception& e) {
      response.error = e.what();
    }
    return response;
  }

 private:
  Poco::URI uri_;
  int timeoutMs_;
};

const Value* child(const Value& v, const char* key) {
  return v.isDict() ? v.find(key) : nullptr;
}

/// v[a][b], nullptr when any step is missing.
const Value* child(const Value& v, const char* a, const char* b) {
  const Value* first = child(v, a);
  return first ? child(*first, b) : nullptr;
}

std::string text(const Value* v) {
  return v && v->isBytes() ? v->asBytes() : "";
}

std::string reason(const HttpClient::Response& r) {
  if (r.status == 0)
    return "no answer from the Kubernetes API: " + r.error;
  std::string message;
  try {
    message = text(child(Value::fromJson(r.body.empty() ? "{}" : r.body), "message"));
  } catch (const std::exception&) {
    // Not a Status object: the code says enough.
  }
  return "Kubernetes API " + std::to_string(r.status) + (message.empty() ? "" : ": " + message);
}

/// Ready pods have phase Running and condition Ready=True.
bool podReady(const Value& pod) {
  if (text(child(pod, "status", "phase")) != "Running")
    return false;
  const Value* conditions = child(pod, "status", "conditions");
  if (!conditions || !conditions->isList())
    return false;
  for (const Value& c : conditions->asList())
    if (text(child(c, "type")) == "Ready" && text(child(c, "status")) == "True")
      return true;
  return false;
}

}  // namespace

std::unique_ptr<HttpClient> makeHttpClient(const std::string& baseUrl, int timeoutMs,
                                           std::string* error) {
  const Poco::URI uri(baseUrl);
  if (uri.getScheme() != "http") {
    *error = "the Kubernetes API is reached over http:// (kubectl proxy as a sidecar), not '" +
             baseUrl + "'";
    return nullptr;
  }
  return std::make_unique<PocoHttpClient>(uri, timeoutMs);
}

KubernetesLauncher::KubernetesLauncher(KubernetesLauncherOptions options, HttpClient& http)
    : options_(std::move(options)), http_(http) {
  Value::fromJson(options_.podTemplateJson);  // throws on a template that is not JSON
}

std::string KubernetesLauncher::podName(const std::string& user) {
  std::string name = "rdkernel-session-";
  for (char c : user)
    name.push_back(std::isalnum(static_cast<unsigned char>(c))
                       ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                       : '-');
  return name.substr(0, 63);
}

std::string KubernetesLauncher::path(const std::string& kind, const std::string& name) const {
  return "/api/v1/namespaces/" + options_.ns + "/" + kind + (name.empty() ? "" : "/" + name);
}

std::string KubernetesLauncher::podJson(const UserEntry& user,
                                        const std::string& secretName) const {
  Value pod = Value::fromJson(options_.podTemplateJson);
  if (!pod.isDict() || text(child(pod, "kind")) != "Pod")
    throw std::runtime_error("the pod template is not a Pod object");
  Value* spec = const_cast<Value*>(child(pod, "spec"));
  Value* containers = spec ? const_cast<Value*>(child(*spec, "containers")) : nullptr;
  if (!containers || !containers->isList() || containers->asList().empty())
    throw std::runtime_error("the pod template has no containers");
  if (!child(pod, "metadata"))
    pod.set("metadata", Value(Value::Dict{}));
  Value& metadata = *const_cast<Value*>(child(pod, "metadata"));
  metadata.set("name", Value(podName(user.name)));
  if (!child(metadata, "labels"))
    metadata.set("labels", Value(Value::Dict{}));
  Value& labels = *const_cast<Value*>(child(metadata, "labels"));
  labels.set("app.kubernetes.io/name", Value("rdkernel-session"));
  labels.set("rdkernel.io/user", Value(podName(user.name).substr(17)));
  // The first container is the session: its token from the Secret, the user's environment.
  Value& session = containers->asList().front();
  if (!child(session, "env"))
    session.set("env", Value(Value::List{}));
  Value::List& env = const_cast<Value*>(child(session, "env"))->asList();
  std::erase_if(env, [](const Value& e) { return text(child(e, "name")) == kTokenVariable; });
  Value token(Value::Dict{});
  token.set("name", Value(kTokenVariable));
  Value ref(Value::Dict{});
  ref.set("name", Value(secretName));
  ref.set("key", Value("token"));
  Value from(Value::Dict{});
  from.set("secretKeyRef", ref);
  token.set("valueFrom", from);
  env.push_back(token);
  for (const auto& [key, value] : user.env) {
    Value e(Value::Dict{});
    e.set("name", Value(key));
    e.set("value", Value(value));
    env.push_back(e);
  }
  // The user's settings go to the session as --set, after the template's arguments.
  if (!user.settings.empty()) {
    if (!child(session, "args"))
      session.set("args", Value(Value::List{}));
    Value::List& args = const_cast<Value*>(child(session, "args"))->asList();
    for (const auto& [key, value] : user.settings) {
      args.emplace_back("--set");
      args.emplace_back(key + "=" + value);
    }
  }
  return pod.toJson();
}

bool KubernetesLauncher::launch(const UserEntry& user, const std::string& token,
                                LaunchedSession* out, std::string* error) {
  const std::string name = podName(user.name);
  std::string pod;
  try {
    pod = podJson(user, name);
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
  // A pod of an earlier session that ended is still there (restartPolicy Never): it goes first.
  HttpClient::Response r = http_.request("DELETE", path("pods", name), "");
  if (r.status != 200 && r.status != 202 && r.status != 404) {
    *error = "deleting the old pod: " + reason(r);
    return false;
  }
  for (int i = 0; r.status != 404 && i < options_.startTimeoutMs / options_.pollMs; ++i) {
    r = http_.request("GET", path("pods", name), "");
    if (r.status == 404)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(options_.pollMs));
  }
  Value secret(Value::Dict{});
  secret.set("apiVersion", Value("v1"));
  secret.set("kind", Value("Secret"));
  Value meta(Value::Dict{});
  meta.set("name", Value(name));
  secret.set("metadata", meta);
  Value data(Value::Dict{});
  data.set("token", Value(token));
  secret.set("stringData", data);
  r = http_.request("POST", path("secrets"), secret.toJson());
  if (r.status == 409)
    r = http_.request("PUT", path("secrets", name), secret.toJson());
  if (r.status != 200 && r.status != 201) {
    *error = "creating the token secret: " + reason(r);
    return false;
  }
  r = http_.request("POST", path("pods"), pod);
  if (r.status != 200 && r.status != 201) {
    *error = "creating the pod: " + reason(r);
    return false;
  }
  out->handle = name;
  out->port = options_.sessionPort;
  out->log = "kubectl -n " + options_.ns + " logs " + name;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.startTimeoutMs);
  while (std::chrono::steady_clock::now() < deadline) {
    r = http_.request("GET", path("pods", name), "");
    if (r.status == 200) {
      Value status;
      try {
        status = Value::fromJson(r.body);
      } catch (const std::exception& e) {
        *error = std::string("unreadable pod from the Kubernetes API: ") + e.what();
        return false;
      }
      const std::string phase = text(child(status, "status", "phase"));
      if (phase == "Failed" || phase == "Succeeded") {
        *error = "the pod ended at start (" + phase + "; " + out->log + ")";
        return false;
      }
      const std::string ip = text(child(status, "status", "podIP"));
      if (podReady(status) && !ip.empty()) {
        out->host = ip;
        return true;
      }
    } else if (r.status != 404) {
      *error = "watching the pod: " + reason(r);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(options_.pollMs));
  }
  stop(*out);
  *error = "the pod was not ready within " + std::to_string(options_.startTimeoutMs / 1000) +
           " s (" + out->log + ")";
  return false;
}

bool KubernetesLauncher::alive(const LaunchedSession& session) {
  const HttpClient::Response r = http_.request("GET", path("pods", session.handle), "");
  if (r.status == 0)
    return true;  // the API not answering is not the session ending
  if (r.status != 200)
    return false;
  Value pod;
  try {
    pod = Value::fromJson(r.body);
  } catch (const std::exception&) {
    return true;  // unreadable is not ended either
  }
  const std::string phase = text(child(pod, "status", "phase"));
  return phase != "Succeeded" && phase != "Failed" && !child(pod, "metadata", "deletionTimestamp");
}

void KubernetesLauncher::stop(const LaunchedSession& session) {
  http_.request("DELETE", path("pods", session.handle), "");
  http_.request("DELETE", path("secrets", session.handle), "");
}

}  // namespace rdk::proxy
