// A program run by a test: its output goes to a log file the test can read and wait on; it is
// stopped (SIGTERM, then SIGKILL) when the object goes away, so no test leaves processes behind.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace rdk::test {

class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::string& logPath,
               const std::map<std::string, std::string>& env = {})
      : logPath_(logPath) {
    std::vector<std::string> envStrings;
    for (char** e = environ; *e; ++e) {
      const std::string entry(*e);
      const std::string key = entry.substr(0, entry.find('='));
      if (!env.count(key))
        envStrings.push_back(entry);
    }
    for (const auto& [key, value] : env)
      envStrings.push_back(key + "=" + value);
    std::vector<char*> args, envp;
    for (const auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    for (auto& e : envStrings)
      envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, logPath.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // Its own process group, so stopping it also stops what it started (xpra's Xvfb).
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    const int rc = posix_spawnp(&pid_, args[0], &actions, &attr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0)
      throw std::runtime_error("cannot start " + argv[0]);
  }
  ~ChildProcess() { stop(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// The exit code, or -1 when it is still running after |timeoutMs|.
  int wait(int timeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (pid_ > 0) {
      int status = 0;
      const pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        pid_ = -1;
        exitCode_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        break;
      }
      if (std::chrono::steady_clock::now() > deadline)
        return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return exitCode_;
  }

  void stop() {
    if (pid_ <= 0)
      return;
    kill(-pid_, SIGTERM);
    if (wait(3000) == -1 && pid_ > 0) {
      kill(-pid_, SIGKILL);
      wait(3000);
    }
  }

  std::string output() const {
    std::ifstream in(logPath_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  /// Waits until the output contains |text|; returns the line holding it, "" on timeout.
  std::string waitForOutput(const std::string& text, int timeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string out = output();
      const size_t pos = out.find(text);
      if (pos != std::string::npos) {
        const size_t start = out.rfind('\n', pos);
        const size_t end = out.find('\n', pos);
        return out.substr(start == std::string::npos ? 0 : start + 1,
                          end == std::string::npos
                              ? std::string::npos
                              : end - (start == std::string::npos ? 0 : start + 1));
      }
      if (pid_ > 0) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = -1;
          exitCode_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return "";
  }

 private:
  pid_t pid_ = -1;
  int exitCode_ = -1;
  std::string logPath_;
};

/// Runs |argv| to completion (at most |timeoutMs|) and returns (exit code, output).
inline std::pair<int, std::string> runProgram(const std::vector<std::string>& argv,
                                              const std::string& logPath, int timeoutMs,
                                              const std::map<std::string, std::string>& env = {}) {
  ChildProcess child(argv, logPath, env);
  const int code = child.wait(timeoutMs);
  return {code, child.output()};
}

/// A fresh directory under the build tree for one test's files.
inline std::string testDirectory(const std::string& name) {
  const std::string dir = std::string(RDK_TEST_BINARY_DIR) + "/test-output/" + name;
  const std::string command = "rm -rf '" + dir + "' && mkdir -p '" + dir + "'";
  if (std::system(command.c_str()) != 0)
    throw std::runtime_error("cannot create " + dir);
  return dir;
}

}  // namespace rdk::test
