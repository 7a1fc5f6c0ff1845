// The processes seamless mode owns: the virtual X server (Xvfb, or whatever command replaces it)
// and the applications started on it. Each runs in its own session (setsid) so that stopping one
// stops everything it started, and only pids we started are ever waited for (the host process may
// have children of its own).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace rdk::x11 {

class VirtualDisplay {
 public:
  /// Runs |commandTemplate| ({W}, {H} replaced; words split on blanks, no quoting) with |display|
  /// appended, or with "-displayfd FD" when |display| is empty, and waits until the display accepts
  /// connections. Throws rdk::Error(RDK_E_NO_DEVICE) with the reason when it does not within
  /// |timeoutMs|.
  VirtualDisplay(const std::string& commandTemplate, const std::string& display, uint32_t width,
                 uint32_t height, int timeoutMs = 15000);
  /// Stops the server (SIGTERM, SIGKILL after 3 s).
  ~VirtualDisplay();
  VirtualDisplay(const VirtualDisplay&) = delete;
  VirtualDisplay& operator=(const VirtualDisplay&) = delete;

  const std::string& name() const { return name_; }
  pid_t pid() const { return pid_; }

  /// The words of the command line for |commandTemplate| (exposed for tests).
  static std::vector<std::string> words(const std::string& commandTemplate, uint32_t width,
                                        uint32_t height);

 private:
  void waitForConnections(int timeoutMs);

  std::string name_;
  pid_t pid_ = -1;
};

/// Applications started on the display with /bin/sh -c, stdin from /dev/null.
class ChildProcesses {
 public:
  ChildProcesses() = default;
  /// Terminates every child still running (SIGTERM to its process group).
  ~ChildProcesses();
  ChildProcesses(const ChildProcesses&) = delete;
  ChildProcesses& operator=(const ChildProcesses&) = delete;

  /// Starts |command| with DISPLAY=|display|. |counted|: part of exit-with-children. Throws
  /// rdk::Error(RDK_E_INTERNAL) when fork fails.
  pid_t spawn(const std::string& command, const std::string& display, bool counted);
  /// Collects children that exited; returns how many did.
  size_t reap();
  /// Counted children started and not yet exited.
  size_t countedRunning() const;
  size_t countedStarted() const;
  size_t running() const;

 private:
  struct Child {
    pid_t pid;
    std::string command;
    bool counted;
    bool running;
  };
  std::vector<Child> children_;
};

}  // namespace rdk::x11
