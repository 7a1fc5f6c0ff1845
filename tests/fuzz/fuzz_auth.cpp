// libFuzzer target: authentication parsing - Xpra's auth option syntax (kernel/authcfg), the
// password plugin's options JSON, multifile lines, client digest and salt-digest lists, challenge
// responses and client salts, and the client side's handling of a server challenge
// (plugins/auth/password).
//
// The input is up to 12 fields separated by NUL bytes (missing fields are empty):
//   0 auth setting ("multifile:filename=...,prompt=pin")   6 challenge response
//   1 client digest list ("hmac,hmac+sha256,xor")         7 multifile password file text
//   2 client salt-digest list                               8 server digest ("hmac+sha256:svc")
//   3 flags (bit 0 of the first byte: encrypted or local)  9 server salt digest
//   4 username                                              10 server salt
//   5 client salt                                           11 password (client side)
// Checked, besides no crash: every failure is an rdk::Error (std::invalid_argument for the auth
// setting); the options JSON that parseAuthSpec writes reads back to the same options; and a
// client that knows the multifile password of a user always passes a fresh challenge.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "auth_options.h"
#include "challenge_authenticator.h"
#include "digest.h"
#include "password_source.h"
#include "rdk/authcfg/auth_spec.h"
#include "responder.h"

using namespace rdk::auth;

namespace {

void check(bool ok) {
  if (!ok)
    std::abort();
}

bool ascii(const std::string& s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80)
      return false;
  }
  return true;
}

std::string passwordFile() {
  static const std::string path = [] {
    char name[] = "/tmp/rdk-fuzz-auth-XXXXXX";
    const int fd = mkstemp(name);
    if (fd < 0)
      std::abort();
    close(fd);
    return std::string(name);
  }();
  return path;
}

void writeFile(const std::string& path, const std::string& text) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f)
    std::abort();
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
}

rdk_bytes bytesOf(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

rdk_bytes bytesOf(const Bytes& b) {
  return {b.data(), b.size()};
}

// parseAuthSpec, and the plugin reading the JSON it produced.
void authSetting(const std::string& text) {
  rdk::authcfg::AuthSpec spec;
  try {
    spec = rdk::authcfg::parseAuthSpec(text);
  } catch (const std::invalid_argument&) {
    return;
  }
  check(!spec.module.empty());
  AuthOptions options;
  try {
    options = AuthOptions::parse(spec.optionsJson);
  } catch (const rdk::Error&) {
    check(!ascii(text));  // only bytes outside ASCII (not UTF-8?) may fail to be JSON
    return;
  }
  for (const auto& [key, value] : spec.options)
    check(options.get(key) == value);
  try {
    (void)options.getInt("failure_delay_ms", 500);
  } catch (const rdk::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> field(12);
  size_t index = 0;
  for (size_t i = 0; i < size && index < field.size(); ++i) {
    if (data[i] == 0)
      ++index;
    else
      field[index].push_back(static_cast<char>(data[i]));
  }
  const bool encrypted = !field[3].empty() && (field[3][0] & 1);
  const std::string& username = field[4];

  authSetting(field[0]);
  try {
    (void)AuthOptions::parse(field[0]);  // the same text as a plugin's options JSON
  } catch (const rdk::Error&) {
  }

  // The multifile module on field 7 as the password file.
  SharedAuthState shared(16);  // per input: state carried across inputs would look like leaks
  const std::string path = passwordFile();
  writeFile(path, field[7]);
  AuthOptions options = AuthOptions::parse("{\"filename\":" + rdk::authcfg::jsonQuote(path) + "}");
  std::string why;
  std::optional<std::string> password =
      makePasswordSource("multifile", options)->passwordFor(username, why);
  if (!password)
    check(!why.empty());
  else
    check(!password->empty() && password->find('|') == std::string::npos);

  BackoffPolicy noDelay;
  noDelay.baseDelay = std::chrono::milliseconds(0);
  noDelay.maxDelay = std::chrono::milliseconds(0);
  ChallengeAuthenticator auth("multifile", makePasswordSource("multifile", options), "password",
                              noDelay, shared, rdk::Host(nullptr));
  // A client's answer from the input.
  try {
    auth.makeChallenge(username, field[1], field[2], encrypted);
    try {
      auth.authenticate(username, bytesOf(field[6]), bytesOf(field[5]));
    } catch (const rdk::Error& e) {
      check(e.status() == RDK_E_AUTH);
    }
  } catch (const rdk::Error& e) {
    check(e.status() == RDK_E_AUTH);
  }
  // A client that knows the password passes.
  if (password) {
    try {
      rdk::Challenge c = auth.makeChallenge(username, field[1], field[2], encrypted);
      rdk::ChallengeResponse r =
          respondToChallenge(c.digest, c.saltDigest, c.salt, asBytes(*password));
      auth.authenticate(username, bytesOf(r.response), bytesOf(r.clientSalt));
    } catch (const rdk::Error& e) {
      // Only the digest negotiation may refuse (no acceptable digest among the client's).
      check(e.status() == RDK_E_AUTH && std::string(e.what()).find("digest") != std::string::npos);
    }
  }

  // The client side: a server's challenge, whatever it says.
  try {
    (void)respondToChallenge(field[8], field[9], asBytes(field[10]), asBytes(field[11]));
  } catch (const rdk::Error&) {
  }
  // The digest functions on the lists and names as given.
  (void)chooseDigest(splitList(field[1]), encrypted);
  try {
    (void)computeDigest(field[8], asBytes(field[11]), asBytes(field[10]));
  } catch (const rdk::Error&) {
  }
  return 0;
}
