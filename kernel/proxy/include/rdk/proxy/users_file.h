// The proxy's users file: who may log in, and how their session is started. The format is Xpra's
// multifile (xpra/server/auth/multifile_auth.py), so the same file drives the `multifile` auth
// module that checks the password:
//
//   username|password|uid|gid|displays|env_options|session_options
//
// Only username and password are required. uid/gid: numbers, or empty (the proxy's own).
// displays: comma-separated (the first one is used by `start` sessions). env_options:
// "KEY=value;KEY=value", added to the session's environment. session_options: "key=value;...",
// where mode=serve|start, start=CMD, platform=NAME, size=WxH are shortcuts and any key with a
// dot is an rdkernel configuration key passed to the session as --set key=value.
//
// The password is the secret itself, not a digest: Xpra's hmac challenge makes both ends compute
// hmac(password, salt), so the verifier needs the password (as Xpra's multifile does). Keep the
// file mode 0600.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace rdk::proxy {

struct UserEntry {
  std::string name;
  std::string password;
  std::optional<unsigned> uid, gid;
  std::vector<std::string> displays;
  std::vector<std::pair<std::string, std::string>> env;
  std::string mode = "serve";  // "serve" or "start"
  std::vector<std::string> startCommands;
  std::vector<std::pair<std::string, std::string>> settings;  // --set key=value, in file order
  int line = 0;
};

/// A line the proxy refuses, as "FILE:LINE: message".
class UsersFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class UsersFile {
 public:
  /// Parses |text| read from |path| (the path is only for messages). Throws UsersFileError.
  static UsersFile parse(const std::string& text, const std::string& path);
  /// Reads and parses |path|; a missing or unreadable file throws UsersFileError too.
  static UsersFile load(const std::string& path);

  const UserEntry* find(const std::string& name) const;
  const std::vector<UserEntry>& users() const { return users_; }

 private:
  std::vector<UserEntry> users_;
};

/// Warning text when |path| is readable by group or others (it holds passwords), else "".
std::string usersFilePermissionWarning(const std::string& path);

}  // namespace rdk::proxy
