// Shared helpers for the plugin host tests: fixture paths, a private cache, running rdkernel.
#pragma once

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "rdk/kernel/plugin_registry.h"

namespace rdk::test {

inline std::string freshTempDir(const std::string& tag) {
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("rdk-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
  std::filesystem::create_directories(dir);
  return dir.string();
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline const rdk::plugin::StatusRow* findRow(const std::vector<rdk::plugin::StatusRow>& rows,
                                             const std::string& name) {
  for (const auto& r : rows) {
    if (r.name == name)
      return &r;
  }
  return nullptr;
}

struct RunResult {
  int exitCode = -1;
  long pid = 0;
  std::string output;  // stdout and stderr together
};

/// Runs rdkernel with |args| and extra environment |env|; stderr merged into the output.
inline RunResult runRdkernel(const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env) {
  Poco::Process::Env penv(env.begin(), env.end());
  Poco::Pipe out;
  Poco::ProcessHandle handle =
      Poco::Process::launch(RDKERNEL_EXE, args, std::string(), nullptr, &out, &out, penv);
  RunResult result;
  result.pid = handle.id();
  Poco::PipeInputStream stream(out);
  std::ostringstream text;
  text << stream.rdbuf();
  result.output = text.str();
  result.exitCode = handle.wait();
  return result;
}

/// An rdkernel running in the background, its stdout and stderr going to |log|.
struct Background {
  pid_t pid = -1;
  std::string log;
  bool ended = false;
  int status = 0;  // the wait status once ended

  /// True while it runs (an ended process is reaped once and its status kept).
  bool running() {
    if (!ended && pid > 0 && ::waitpid(pid, &status, WNOHANG) == pid)
      ended = true;
    return !ended && pid > 0;
  }
  /// Sends |signal| (unless it already ended) and waits for the end: the wait status.
  int stop(int signal) {
    if (running()) {
      ::kill(pid, signal);
      ::waitpid(pid, &status, 0);
      ended = true;
    }
    return status;
  }
};

/// Starts rdkernel with |args|, this process's environment plus |env|.
inline Background startRdkernel(const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& env,
                                const std::string& log) {
  std::vector<std::string> envStrings;
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    if (!env.count(entry.substr(0, entry.find('='))))
      envStrings.push_back(entry);
  }
  for (const auto& [key, value] : env)
    envStrings.push_back(key + "=" + value);
  std::vector<std::string> argStrings = {RDKERNEL_EXE};
  argStrings.insert(argStrings.end(), args.begin(), args.end());
  std::vector<char*> argv, envp;
  for (std::string& a : argStrings)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  for (std::string& e : envStrings)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  Background bg;
  bg.log = log;
  if (::posix_spawn(&bg.pid, RDKERNEL_EXE, &actions, nullptr, argv.data(), envp.data()) != 0)
    bg.pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return bg;
}

/// Waits up to |timeoutMs| for |needle| in |bg|'s log: the line from the needle on, or "" when
/// it does not come (or the process ends first).
inline std::string waitForLog(Background& bg, const std::string& needle, int timeoutMs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string text = readFile(bg.log);
    const size_t at = text.find(needle);
    if (at != std::string::npos && text.find('\n', at) != std::string::npos)
      return text.substr(at, text.find('\n', at) - at);
    if (!bg.running())
      return "";
    ::usleep(20000);
  }
  return "";
}

}  // namespace rdk::test
