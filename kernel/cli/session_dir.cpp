#include "session_dir.h"

#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "rdk/json.hpp"

namespace rdk::cli {

namespace {

std::string hostName() {
  char name[256] = {0};
  if (gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0')
    return "localhost";
  return name;
}

bool pathExists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

bool processRuns(long pid) {
  return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

bool socketAnswers(const std::string& path) {
  if (path.empty() || path.size() >= sizeof(sockaddr_un::sun_path))
    return false;
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::string sessionDirectory() {
  if (const char* dir = std::getenv("RDK_SOCKET_DIR"); dir && *dir)
    return dir;
  if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime && *runtime)
    return std::string(runtime) + "/rdkernel";
  const std::string run = "/run/user/" + std::to_string(::getuid());
  if (pathExists(run))
    return run + "/rdkernel";
  const char* home = std::getenv("HOME");
  if (!home || !*home) {
    const passwd* pw = ::getpwuid(::getuid());
    home = pw ? pw->pw_dir : "/tmp";
  }
  return std::string(home) + "/.rdkernel";
}

bool ensureSessionDirectory(const std::string& dir, std::string* error) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    *error = "cannot create the session directory " + dir + ": " + std::strerror(errno);
    return false;
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    *error = "the session directory " + dir + " is not a directory";
    return false;
  }
  // Another user's directory, or one anyone may write to, could hold a socket planted there.
  if (st.st_uid != ::getuid() || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    *error =
        "the session directory " + dir + " must belong to this user and not be writable by others";
    return false;
  }
  return true;
}

int displayNumber(const std::string& display) {
  if (display.size() < 2 || display[0] != ':' || display.size() > 7 ||
      display.find_first_not_of("0123456789", 1) != std::string::npos)
    return -1;
  return std::stoi(display.substr(1));
}

std::string sessionSocketPath(const std::string& dir, int number) {
  return dir + "/" + hostName() + "-" + std::to_string(number);
}

bool writeSessionRecord(const std::string& dir, SessionRecord& record, std::string* error) {
  const int number = displayNumber(record.display);
  record.file = sessionSocketPath(dir, number) + ".json";
  rdk::json::Value json = rdk::json::Value::object();
  json.set("display", record.display);
  json.set("pid", static_cast<int64_t>(record.pid));
  json.set("mode", record.mode);
  json.set("socket", record.socket);
  rdk::json::Value urls = rdk::json::Value::array();
  for (const std::string& url : record.urls)
    urls.push(url);
  json.set("urls", std::move(urls));
  std::ostringstream text;
  text << json.dump();
  const std::string temporary = record.file + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << text.str() << "\n";
    if (!out.flush()) {
      *error = "cannot write " + temporary;
      return false;
    }
  }
  ::chmod(temporary.c_str(), 0600);
  if (std::rename(temporary.c_str(), record.file.c_str()) != 0) {
    *error = "cannot write " + record.file + ": " + std::strerror(errno);
    ::unlink(temporary.c_str());
    return false;
  }
  return true;
}

void removeSessionRecord(const SessionRecord& record) {
  if (!record.file.empty())
    ::unlink(record.file.c_str());
  struct stat st {};
  if (!record.socket.empty() && ::lstat(record.socket.c_str(), &st) == 0 && S_ISSOCK(st.st_mode))
    ::unlink(record.socket.c_str());
}

std::vector<SessionRecord> readSessionRecords(const std::string& dir) {
  std::vector<SessionRecord> records;
  const std::string prefix = hostName() + "-";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0 || entry.path().extension() != ".json")
      continue;
    try {
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      const rdk::json::Value json = rdk::json::Value::parse(text.str());
      SessionRecord record;
      record.display = json.at("display").asString();
      record.pid = static_cast<long>(json.at("pid").asInt());
      record.mode = json.getString("mode");
      record.socket = json.getString("socket");
      if (const rdk::json::Value* urls = json.find("urls")) {
        for (const rdk::json::Value& url : urls->asArray())
          record.urls.push_back(url.asString());
      }
      record.file = entry.path().string();
      if (displayNumber(record.display) >= 0)
        records.push_back(std::move(record));
    } catch (const std::exception&) {
      // Half-written by a server being started, or not ours: not a session.
    }
  }
  std::sort(records.begin(), records.end(), [](const SessionRecord& a, const SessionRecord& b) {
    return displayNumber(a.display) < displayNumber(b.display);
  });
  return records;
}

SessionState probeSession(const SessionRecord& record) {
  if (socketAnswers(record.socket))
    return SessionState::Live;
  return processRuns(record.pid) ? SessionState::Unknown : SessionState::Dead;
}

std::optional<SessionRecord> findSession(const std::string& display, std::string* error) {
  const std::string dir = sessionDirectory();
  std::vector<SessionRecord> live;
  for (SessionRecord& record : readSessionRecords(dir)) {
    if ((display.empty() || record.display == display) &&
        probeSession(record) == SessionState::Live)
      live.push_back(std::move(record));
  }
  if (live.size() == 1)
    return live.front();
  if (!display.empty())
    *error = "no live session at " + display + " in " + dir + " (rdkernel list shows them)";
  else if (live.empty())
    *error = "no live session in " + dir;
  else
    *error = "more than one live session in " + dir + ": name one (:N)";
  return std::nullopt;
}

bool resolveSessionUrl(const std::string& target, std::string* url, std::string* error) {
  if (!target.empty() && target[0] != ':') {
    *url = target;
    return true;
  }
  if (!target.empty() && displayNumber(target) < 0) {
    *error = "not a display: " + target + " (expected :N)";
    return false;
  }
  const std::optional<SessionRecord> session = findSession(target, error);
  if (!session)
    return false;
  *url = session->socketUrl();
  return true;
}

int freeDisplayNumber(const std::string& dir, int from) {
  for (int n = from; n < from + 1000; ++n) {
    const std::string x = std::to_string(n);
    if (!pathExists("/tmp/.X11-unix/X" + x) && !pathExists("/tmp/.X" + x + "-lock") &&
        !pathExists(sessionSocketPath(dir, n)) && !pathExists(sessionSocketPath(dir, n) + ".json"))
      return n;
  }
  return -1;
}

}  // namespace rdk::cli
