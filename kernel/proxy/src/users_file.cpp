#include "rdk/proxy/users_file.h"

#include <sys/stat.h>

#include <charconv>
#include <fstream>
#include <sstream>

namespace rdk::proxy {

namespace {

constexpr size_t kMaxFileBytes = 4u << 20;

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos)
    return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string::npos ? pos : pos - start));
    if (pos == std::string::npos)
      return out;
    start = pos + 1;
  }
}

class LineParser {
 public:
  LineParser(const std::string& path, int line)
      : where_(path + ":" + std::to_string(line) + ": ") {}
  [[noreturn]] void fail(const std::string& message) const {
    throw UsersFileError(where_ + message);
  }

  std::optional<unsigned> id(const std::string& field, const char* what) const {
    if (field.empty())
      return std::nullopt;
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (ec != std::errc() || end != field.data() + field.size())
      fail(std::string(what) + " '" + field + "' is not a number");
    return value;
  }

  std::vector<std::pair<std::string, std::string>> pairs(const std::string& field,
                                                         const char* what) const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const std::string& raw : split(field, ';')) {
      const std::string item = trim(raw);
      if (item.empty())
        continue;
      const size_t eq = item.find('=');
      if (eq == std::string::npos || eq == 0)
        fail(std::string(what) + " '" + item + "' is not key=value");
      out.emplace_back(trim(item.substr(0, eq)), trim(item.substr(eq + 1)));
    }
    return out;
  }

  void sessionOption(UserEntry& user, const std::string& key, const std::string& value) const {
    if (key == "mode") {
      if (value != "serve" && value != "start")
        fail("session option mode='" + value + "': expected serve or start");
      user.mode = value;
    } else if (key == "start") {
      if (value.empty())
        fail("session option start= needs a command");
      user.startCommands.push_back(value);
    } else if (key == "platform") {
      user.settings.emplace_back("server.platform", value);
    } else if (key == "size") {
      user.settings.emplace_back("server.size", value);
    } else if (key.find('.') != std::string::npos) {
      user.settings.emplace_back(key, value);
    } else {
      fail("unknown session option '" + key +
           "' (mode, start, platform, size, or a configuration key such as server.encodings)");
    }
  }

 private:
  std::string where_;
};

}  // namespace

UsersFile UsersFile::parse(const std::string& text, const std::string& path) {
  UsersFile file;
  std::istringstream lines(text);
  std::string raw;
  int number = 0;
  while (std::getline(lines, raw)) {
    ++number;
    const std::string line = trim(raw);
    if (line.empty() || line[0] == '#')
      continue;
    const LineParser p(path, number);
    const std::vector<std::string> fields = split(line, '|');
    if (fields.size() < 2)
      p.fail("expected username|password[|uid|gid|displays|env|session-options]");
    if (fields.size() > 7)
      p.fail("more than 7 '|'-separated fields");
    UserEntry user;
    user.line = number;
    user.name = trim(fields[0]);
    user.password = fields[1];  // as the multifile module reads it: not trimmed inside
    if (user.name.empty())
      p.fail("empty username");
    if (user.name.find_first_of(" \t/") != std::string::npos)
      p.fail("username '" + user.name + "' holds a space or '/'");
    if (user.password.empty())
      p.fail("empty password for user '" + user.name + "'");
    if (file.find(user.name))
      p.fail("user '" + user.name + "' already defined on line " +
             std::to_string(file.find(user.name)->line));
    if (fields.size() > 2)
      user.uid = p.id(trim(fields[2]), "uid");
    if (fields.size() > 3)
      user.gid = p.id(trim(fields[3]), "gid");
    if (fields.size() > 4) {
      for (const std::string& d : split(fields[4], ','))
        if (!trim(d).empty())
          user.displays.push_back(trim(d));
    }
    if (fields.size() > 5)
      user.env = p.pairs(fields[5], "environment option");
    if (fields.size() > 6) {
      for (const auto& [key, value] : p.pairs(fields[6], "session option"))
        p.sessionOption(user, key, value);
    }
    if (user.mode == "serve" && !user.startCommands.empty())
      p.fail("start= needs mode=start");
    file.users_.push_back(std::move(user));
  }
  return file;
}

UsersFile UsersFile::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw UsersFileError(path + ": cannot read the users file");
  std::string text(kMaxFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxFileBytes)
    throw UsersFileError(path + ": larger than 4 MiB");
  return parse(text, path);
}

const UserEntry* UsersFile::find(const std::string& name) const {
  for (const UserEntry& user : users_)
    if (user.name == name)
      return &user;
  return nullptr;
}

std::string usersFilePermissionWarning(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || (st.st_mode & 077) == 0)
    return "";
  return path + " holds passwords and is readable by group or others (chmod 600 it)";
}

}  // namespace rdk::proxy
