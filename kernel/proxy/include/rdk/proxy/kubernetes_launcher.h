// Sessions as pods: the proxy asks the Kubernetes API for the user's session pod, creating it from
// a pod template (deploy/kubernetes/session-pod-template.json) with a per-session Secret holding
// the token, waits until it is Running and Ready, and connects to its pod IP. An ended pod
// (Succeeded, Failed, deleted) is reaped like an exited child; stop deletes pod and Secret.
//
// The API is spoken over plain HTTP through an HttpClient: in a cluster, `kubectl proxy` as a
// sidecar (http://127.0.0.1:8001) holds the service account's credentials and the CA, so the
// proxy needs no TLS client or token handling of its own; the tests use a fake API server.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "rdk/proxy/session_launcher.h"

namespace rdk::proxy {

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  struct Response {
    int status = 0;  // 0: no answer (error says why)
    std::string body, error;
  };
  virtual Response request(const std::string& method, const std::string& path,
                           const std::string& jsonBody) = 0;
};

/// Poco::Net HTTP/1.1 against |baseUrl| ("http://host:port"), |timeoutMs| per request.
std::unique_ptr<HttpClient> makeHttpClient(const std::string& baseUrl, int timeoutMs,
                                           std::string* error);

struct KubernetesLauncherOptions {
  std::string ns = "default";
  std::string podTemplateJson;  // a Pod object; name, labels and the token env are filled in
  int sessionPort = 14500;      // the container port the session binds
  int startTimeoutMs = 120000;  // image pulls take a while
  int pollMs = 500;
};

class KubernetesLauncher : public SessionLauncher {
 public:
  KubernetesLauncher(KubernetesLauncherOptions options, HttpClient& http);
  std::string name() const override { return "kubernetes"; }
  bool launch(const UserEntry& user, const std::string& token, LaunchedSession* out,
              std::string* error) override;
  bool alive(const LaunchedSession& session) override;
  void stop(const LaunchedSession& session) override;

  /// "rdkernel-session-<user>" with the user name reduced to what a DNS label allows.
  static std::string podName(const std::string& user);
  /// The Pod to create (public for the tests); throws std::runtime_error on a bad template.
  std::string podJson(const UserEntry& user, const std::string& secretName) const;

 private:
  std::string path(const std::string& kind, const std::string& name = "") const;

  KubernetesLauncherOptions options_;
  HttpClient& http_;
};

}  // namespace rdk::proxy
