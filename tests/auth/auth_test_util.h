// Helpers shared by the auth tests: hex, Xpra's Python digest code, and the plugin's C vtable.
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "plugin_harness.hpp"
#include "rdk/plugin_abi.h"

namespace rdk::test {

inline std::string hexOf(const uint8_t* data, size_t size) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}
inline std::string hexOf(const std::vector<uint8_t>& v) {
  return hexOf(v.data(), v.size());
}
inline std::string hexOf(const std::string& s) {
  return hexOf(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

inline std::vector<uint8_t> unhex(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

/// Runs tests/auth/xpra_digest.py (Xpra 3.1.3's own code) and returns its trimmed stdout.
inline std::string xpraDigest(const std::string& args) {
  const std::string cmd = "/usr/bin/python3 " RDK_AUTH_TEST_DIR "/xpra_digest.py " + args;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe)
    throw std::runtime_error("popen failed: " + cmd);
  std::string out;
  char buf[512];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0)
    out.append(buf, n);
  if (pclose(pipe) != 0)
    throw std::runtime_error("xpra_digest.py failed: " + cmd);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
    out.pop_back();
  return out;
}

inline rdk_bytes bytesOf(const std::vector<uint8_t>& v) {
  return {v.data(), v.size()};
}

/// One server-side authenticator from the loaded plugin.
class PluginAuthenticator {
 public:
  PluginAuthenticator(LoadedTestPlugin& plugin, const std::string& module,
                      const std::string& optionsJson)
      : plugin_(plugin), vtbl_(plugin.descriptor()->auth) {
    status_ =
        vtbl_->authenticator_create(plugin.state(), module.c_str(), optionsJson.c_str(), &auth_);
  }
  ~PluginAuthenticator() {
    if (auth_)
      vtbl_->authenticator_destroy(auth_);
  }
  rdk_status createStatus() const { return status_; }
  bool requiresChallenge() { return vtbl_->requires_challenge(auth_) != 0; }

  struct Result {
    rdk_status status;
    std::vector<uint8_t> salt;
    std::string digest, saltDigest, prompt;
  };
  Result challenge(const std::string& user, const std::string& digests,
                   const std::string& saltDigests, bool encryptedOrLocal) {
    rdk_auth_challenge c{};
    c.struct_size = sizeof(c);
    Result r{vtbl_->make_challenge(auth_, user.c_str(), digests.c_str(), saltDigests.c_str(),
                                   encryptedOrLocal ? 1 : 0, &c),
             {},
             {},
             {},
             {}};
    if (r.status == RDK_OK) {
      r.salt.assign(c.salt.data, c.salt.data + c.salt.size);
      if (c.salt.release)
        c.salt.release(&c.salt);
      r.digest = c.digest;
      r.saltDigest = c.salt_digest;
      r.prompt = c.prompt;
    }
    return r;
  }
  rdk_status authenticate(const std::string& user, const std::vector<uint8_t>& response,
                          const std::vector<uint8_t>& clientSalt) {
    return vtbl_->authenticate(auth_, user.c_str(), bytesOf(response), bytesOf(clientSalt));
  }
  std::string lastError() { return plugin_.host().lastError(); }

 private:
  LoadedTestPlugin& plugin_;
  const rdk_auth_vtbl* vtbl_;
  rdk_authenticator* auth_ = nullptr;
  rdk_status status_ = RDK_E_INTERNAL;
};

/// The plugin's client-side respond(); returns the status and fills response/clientSalt.
inline rdk_status pluginRespond(LoadedTestPlugin& plugin, const std::string& digest,
                                const std::string& saltDigest,
                                const std::vector<uint8_t>& serverSalt, const std::string& password,
                                std::vector<uint8_t>& response, std::vector<uint8_t>& clientSalt) {
  rdk_buffer r{}, s{};
  const rdk_bytes pw{reinterpret_cast<const uint8_t*>(password.data()), password.size()};
  const rdk_status status = plugin.descriptor()->auth->respond(
      plugin.state(), digest.c_str(), saltDigest.c_str(), bytesOf(serverSalt), pw, &r, &s);
  if (status == RDK_OK) {
    response.assign(r.data, r.data + r.size);
    clientSalt.assign(s.data, s.data + s.size);
    if (r.release)
      r.release(&r);
    if (s.release)
      s.release(&s);
  }
  return status;
}

}  // namespace rdk::test
