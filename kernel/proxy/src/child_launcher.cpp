#include "rdk/proxy/child_launcher.h"

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "rdk/proxy/session_command.h"
#include "rdk/proxy/session_record_file.h"

extern char** environ;

namespace rdk::proxy {

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string tail(const std::string& text, size_t max) {
  return text.size() <= max ? text : "..." + text.substr(text.size() - max);
}

bool reapIfExited(pid_t pid) {
  int status = 0;
  const pid_t r = waitpid(pid, &status, WNOHANG);
  return r == pid || (r < 0 && errno == ECHILD);
}

}  // namespace

bool ChildLauncher::launch(const UserEntry& user, const std::string& token, LaunchedSession* out,
                           std::string* error) {
  const bool switchUser =
      (user.uid && *user.uid != getuid()) || (user.gid && *user.gid != getgid());
  if (switchUser && geteuid() != 0) {
    *error = "the users file gives uid/gid " + std::to_string(user.uid.value_or(getuid())) + "/" +
             std::to_string(user.gid.value_or(getgid())) +
             " but the proxy is not root (leave them empty to run sessions as the proxy's user)";
    return false;
  }
  const std::string logPath = options_.logDir + "/" + user.name + ".log";
  // Everything the child needs is built before fork: between fork and exec only async-signal-safe
  // calls are allowed in a threaded program.
  const std::vector<std::string> argv = sessionCommand(
      options_.program, options_.extraArgs, user, "tcp://127.0.0.1:0",
      options_.udp ? "udp://127.0.0.1:0" : "", options_.ws ? "ws://127.0.0.1:0" : "");
  std::vector<std::string> env;
  const std::vector<std::string> added = sessionEnvironment(user, token, options_.udp);
  for (char** e = environ; *e; ++e) {
    const std::string entry(*e);
    const std::string key = entry.substr(0, entry.find('=') + 1);
    bool replaced = false;
    for (const std::string& a : added)
      replaced = replaced || a.compare(0, key.size(), key) == 0;
    if (!replaced)
      env.push_back(entry);
  }
  env.insert(env.end(), added.begin(), added.end());
  std::vector<char*> args, envp;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (auto& e : env)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  const int logFd = open(logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (logFd < 0) {
    *error = "cannot write " + logPath;
    return false;
  }
  if (switchUser && user.uid && fchown(logFd, *user.uid, user.gid.value_or(getgid())) != 0) {
    // Not fatal: the log stays root's, the child writes through the inherited descriptor.
  }
  const uid_t uid = user.uid.value_or(getuid());
  const gid_t gid = user.gid.value_or(getgid());
  const pid_t pid = fork();
  if (pid < 0) {
    close(logFd);
    *error = "fork failed";
    return false;
  }
  if (pid == 0) {
    setpgid(0, 0);
    const int devNull = open("/dev/null", O_RDONLY);
    dup2(devNull, STDIN_FILENO);
    dup2(logFd, STDOUT_FILENO);
    dup2(logFd, STDERR_FILENO);
    // The proxy's listening and client sockets must not live on in the session.
    for (int fd = 3; fd < 1024; ++fd)
      close(fd);
    if (switchUser && (setgroups(0, nullptr) != 0 || setgid(gid) != 0 || setuid(uid) != 0))
      _exit(126);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(logFd);
  out->pid = pid;
  out->log = logPath;
  out->handle = "pid " + std::to_string(pid);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.startTimeoutMs);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string output = readFile(logPath);
    const int port = listeningPort(output);
    const int udpPort = options_.udp ? listeningPort(output, "udp") : 0;
    const int wsPort = options_.ws ? listeningPort(output, "ws") : 0;
    if (port && (udpPort || !options_.udp) && (wsPort || !options_.ws)) {
      out->host = "127.0.0.1";
      out->port = port;
      out->udpPort = udpPort;
      out->wsPort = wsPort;
      // The record a later proxy adopts the session from; private (it holds the token).
      SavedSession saved{user.name, *out, token, processStartTime(pid)};
      const std::string path = recordPath(user.name);
      const int fd = open((path + ".tmp").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      if (fd >= 0) {
        const std::string text = formatSavedSession(saved);
        const bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
        close(fd);
        if (!ok || rename((path + ".tmp").c_str(), path.c_str()) != 0)
          unlink((path + ".tmp").c_str());
      }
      return true;
    }
    if (reapIfExited(pid)) {
      *error = "the session exited at start (" + logPath + "): " + tail(output, 400);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop(*out);
  *error = "the session did not listen within " + std::to_string(options_.startTimeoutMs / 1000) +
           " s (" + logPath + ")";
  return false;
}

std::string ChildLauncher::recordPath(const std::string& user) const {
  return options_.logDir + "/" + user + ".session";
}

void ChildLauncher::forget(const LaunchedSession& session) {
  // <logDir>/<user>.log -> <logDir>/<user>.session
  const std::string& log = session.log;
  if (log.size() > 4 && log.compare(log.size() - 4, 4, ".log") == 0)
    unlink((log.substr(0, log.size() - 4) + ".session").c_str());
  std::lock_guard<std::mutex> lock(mutex_);
  adopted_.erase(session.pid);
}

bool ChildLauncher::adopted(int64_t pid, uint64_t* start) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = adopted_.find(pid);
  if (it == adopted_.end())
    return false;
  *start = it->second;
  return true;
}

bool ChildLauncher::alive(const LaunchedSession& session) {
  uint64_t start = 0;
  const bool running = session.pid > 0 && (adopted(session.pid, &start)
                                               ? processStartTime(session.pid) == start
                                               : !reapIfExited(static_cast<pid_t>(session.pid)));
  if (!running)
    forget(session);
  return running;
}

void ChildLauncher::stop(const LaunchedSession& session) {
  const auto pid = static_cast<pid_t>(session.pid);
  uint64_t start = 0;
  const bool ours = !adopted(pid, &start);
  // An adopted session is not our child: it has ended when its pid no longer names it.
  auto ended = [&] { return ours ? reapIfExited(pid) : processStartTime(pid) != start; };
  if (pid <= 0 || ended()) {
    forget(session);
    return;
  }
  kill(-pid, SIGTERM);
  for (int i = 0; i < 100; ++i) {  // serve tells its clients and exits well within 5 s
    if (ended()) {
      forget(session);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(-pid, SIGKILL);
  if (ours)
    waitpid(pid, nullptr, 0);
  forget(session);
}

std::vector<AdoptedSession> ChildLauncher::adopt() {
  std::vector<AdoptedSession> found;
  DIR* dir = opendir(options_.logDir.c_str());
  if (!dir)
    return found;
  while (const dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.size() <= 8 || name.compare(name.size() - 8, 8, ".session") != 0)
      continue;
    const std::string path = options_.logDir + "/" + name;
    const std::optional<SavedSession> saved = parseSavedSession(readFile(path));
    // Only a record whose process still runs (the same process: its start time) is adopted.
    if (!saved || saved->user + ".session" != name ||
        processStartTime(saved->session.pid) != saved->processStart) {
      unlink(path.c_str());
      continue;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      adopted_[saved->session.pid] = saved->processStart;
    }
    found.push_back({saved->user, saved->session, saved->token});
  }
  closedir(dir);
  return found;
}

}  // namespace rdk::proxy
