#include "password_source.h"

#include <sys/stat.h>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#include "rdk/plugin.hpp"

namespace rdk::auth {
namespace {

constexpr std::streamsize kMaxPasswordFileBytes = 1 << 20;

class EnvPassword : public PasswordSource {
 public:
  explicit EnvPassword(std::string variable) : variable_(std::move(variable)) {}
  std::optional<std::string> passwordFor(const std::string&, std::string& why) override {
    const char* value = std::getenv(variable_.c_str());
    if (value == nullptr || *value == '\0') {
      why = "environment variable " + variable_ + " is not set";
      return std::nullopt;
    }
    return std::string(value);
  }

 private:
  std::string variable_;
};

class FixedPassword : public PasswordSource {
 public:
  explicit FixedPassword(std::string value) : value_(std::move(value)) {}
  std::optional<std::string> passwordFor(const std::string&, std::string&) override {
    return value_;
  }

 private:
  std::string value_;
};

// Reads the whole file, bounded; nullopt with a reason when it cannot.
std::optional<std::string> readSmallFile(const std::string& path, std::string& why) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = "password file '" + path + "' cannot be read";
    return std::nullopt;
  }
  // In pieces: a small file (the usual case, read at every authentication) costs what it holds.
  std::string data;
  char piece[16384];
  while (in.read(piece, sizeof(piece)) || in.gcount() > 0) {
    data.append(piece, static_cast<size_t>(in.gcount()));
    if (data.size() > static_cast<size_t>(kMaxPasswordFileBytes)) {
      why = "password file '" + path + "' is larger than 1 MiB";
      return std::nullopt;
    }
  }
  return data;
}

// file: the whole file is the password, byte for byte, as in Xpra (so a trailing newline is part
// of it; the Xpra client's --password-file sends the file verbatim too).
class FilePassword : public PasswordSource {
 public:
  explicit FilePassword(std::string path) : path_(std::move(path)) {}
  std::optional<std::string> passwordFor(const std::string&, std::string& why) override {
    std::optional<std::string> data = readSmallFile(path_, why);
    if (data && data->empty()) {
      why = "password file '" + path_ + "' is empty";
      return std::nullopt;
    }
    return data;
  }

 private:
  std::string path_;
};

std::string trim(const std::string& s) {
  const char* blanks = " \t\r\n";
  const size_t first = s.find_first_not_of(blanks);
  if (first == std::string::npos)
    return {};
  return s.substr(first, s.find_last_not_of(blanks) - first + 1);
}

// multifile: "username|password[|uid|gid|displays|env|session-options]" per line, '#' comments.
class MultiFilePassword : public PasswordSource {
 public:
  explicit MultiFilePassword(std::string path) : path_(std::move(path)) {}
  std::optional<std::string> passwordFor(const std::string& username, std::string& why) override {
    std::optional<std::string> data = readSmallFile(path_, why);
    if (!data)
      return std::nullopt;
    std::istringstream lines(*data);
    std::string line;
    while (std::getline(lines, line)) {
      line = trim(line);
      if (line.empty() || line[0] == '#')
        continue;
      const size_t bar = line.find('|');
      if (bar == std::string::npos)
        continue;  // malformed line: Xpra skips it too
      if (line.compare(0, bar, username) != 0 || bar != username.size())
        continue;
      const size_t end = line.find('|', bar + 1);
      std::string password = line.substr(bar + 1, end == std::string::npos ? end : end - bar - 1);
      if (password.empty()) {
        why = "empty password for user '" + username + "' in '" + path_ + "'";
        return std::nullopt;
      }
      return password;
    }
    why = "no password for user '" + username + "' in '" + path_ + "'";
    return std::nullopt;
  }

 private:
  std::string path_;
};

std::string requireFile(AuthOptions& options, const std::string& module) {
  const std::optional<std::string> path = options.get("filename");
  if (!path || path->empty()) {
    throw Error(RDK_E_INVALID_ARG, module + " authentication needs the filename= option");
  }
  struct stat st {};
  if (::stat(path->c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    throw Error(RDK_E_INVALID_ARG, module + " authentication: password file '" + *path +
                                       "' does not exist or is not a regular file");
  }
  return *path;
}

}  // namespace

std::unique_ptr<PasswordSource> makePasswordSource(const std::string& module,
                                                   AuthOptions& options) {
  if (module == "env")
    return std::make_unique<EnvPassword>(options.get("name", "RDK_PASSWORD"));
  if (module == "password") {
    const std::optional<std::string> value = options.get("value");
    if (!value || value->empty()) {
      throw Error(RDK_E_INVALID_ARG, "password authentication needs the value= option");
    }
    return std::make_unique<FixedPassword>(*value);
  }
  if (module == "file")
    return std::make_unique<FilePassword>(requireFile(options, module));
  if (module == "multifile") {
    return std::make_unique<MultiFilePassword>(requireFile(options, module));
  }
  throw Error(RDK_E_UNSUPPORTED, "no auth module '" + module + "' in this plugin");
}

}  // namespace rdk::auth
