#include "virtual_display.h"

#include <X11/Xlib.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <sstream>
#include <thread>

#include "rdk/plugin.hpp"

namespace rdk::x11 {
namespace {

using Clock = std::chrono::steady_clock;

void replaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

// In the child after fork: only async-signal-safe calls until exec.
void redirectStdio(bool quiet) {
  const int devnull = open("/dev/null", O_RDWR);
  if (devnull < 0)
    return;
  dup2(devnull, STDIN_FILENO);
  if (quiet) {
    dup2(devnull, STDOUT_FILENO);
    dup2(devnull, STDERR_FILENO);
  }
  if (devnull > STDERR_FILENO)
    close(devnull);
}

bool stopProcess(pid_t pid, bool group, int graceMs) {
  kill(group ? -pid : pid, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::milliseconds(graceMs);
  while (Clock::now() < deadline) {
    if (waitpid(pid, nullptr, WNOHANG) == pid)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(group ? -pid : pid, SIGKILL);
  return waitpid(pid, nullptr, 0) == pid;
}

}  // namespace

std::vector<std::string> VirtualDisplay::words(const std::string& commandTemplate, uint32_t width,
                                               uint32_t height) {
  std::string command = commandTemplate;
  replaceAll(command, "{W}", std::to_string(width));
  replaceAll(command, "{H}", std::to_string(height));
  std::istringstream in(command);
  std::vector<std::string> out;
  for (std::string word; in >> word;)
    out.push_back(word);
  return out;
}

VirtualDisplay::VirtualDisplay(const std::string& commandTemplate, const std::string& display,
                               uint32_t width, uint32_t height, int timeoutMs) {
  std::vector<std::string> argv = words(commandTemplate, width, height);
  if (argv.empty())
    throw Error(RDK_E_INVALID_ARG, "seamless: the xvfb command is empty");
  int fds[2] = {-1, -1};
  if (display.empty()) {
    // Xvfb picks a free display number and writes it to this pipe: no race with other servers.
    if (pipe(fds) != 0)
      throw Error(RDK_E_INTERNAL, std::string("seamless: pipe: ") + std::strerror(errno));
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    argv.push_back("-displayfd");
    argv.push_back(std::to_string(fds[1]));
  } else {
    // An X server that already answers there would be mistaken for ours (Xvfb exits, but the
    // connection below may reach the other server first).
    if (Display* other = XOpenDisplay(display.c_str())) {
      XCloseDisplay(other);
      throw Error(RDK_E_NO_DEVICE, "seamless: display " + display + " is in use");
    }
    argv.push_back(display);
  }
  std::vector<char*> args;
  for (std::string& a : argv)
    args.push_back(a.data());
  args.push_back(nullptr);
  pid_ = fork();
  if (pid_ < 0) {
    if (fds[0] >= 0) {
      close(fds[0]);
      close(fds[1]);
    }
    throw Error(RDK_E_INTERNAL, std::string("seamless: fork: ") + std::strerror(errno));
  }
  if (pid_ == 0) {
    setsid();  // a Ctrl-C meant for the server reaches Xvfb only through our orderly stop
    redirectStdio(true);
    execvp(args[0], args.data());
    _exit(127);
  }
  std::string number;
  if (fds[0] >= 0) {
    close(fds[1]);
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    while (number.find('\n') == std::string::npos && Clock::now() < deadline) {
      pollfd p{fds[0], POLLIN, 0};
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (poll(&p, 1, static_cast<int>(std::max<int64_t>(left, 1))) <= 0)
        continue;
      char buffer[32];
      const ssize_t n = read(fds[0], buffer, sizeof(buffer));
      if (n <= 0)
        break;  // Xvfb exited (or closed the pipe) without a number
      number.append(buffer, static_cast<size_t>(n));
      if (number.size() > 16)
        break;
    }
    close(fds[0]);
    while (!number.empty() && (number.back() == '\n' || number.back() == '\r'))
      number.pop_back();
    if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos) {
      int status = 0;
      const bool exited = waitpid(pid_, &status, WNOHANG) == pid_;
      if (!exited)
        stopProcess(pid_, true, 1000);
      pid_ = -1;
      throw Error(RDK_E_NO_DEVICE, "seamless: '" + argv[0] + "' did not report a display number" +
                                       (exited && WIFEXITED(status) && WEXITSTATUS(status) == 127
                                            ? " (not installed? Debian: apt-get install xvfb)"
                                            : ""));
    }
    name_ = ":" + number;
  } else {
    name_ = display;
  }
  waitForConnections(timeoutMs);
}

void VirtualDisplay::waitForConnections(int timeoutMs) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
  while (Clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw Error(RDK_E_NO_DEVICE, "seamless: the X server for " + name_ + " exited" +
                                       (WIFEXITED(status) && WEXITSTATUS(status) == 127
                                            ? " (not installed? Debian: apt-get install xvfb)"
                                            : " (display in use?)"));
    }
    if (Display* d = XOpenDisplay(name_.c_str())) {
      XCloseDisplay(d);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stopProcess(pid_, true, 1000);
  pid_ = -1;
  throw Error(RDK_E_NO_DEVICE, "seamless: display " + name_ + " did not accept connections");
}

VirtualDisplay::~VirtualDisplay() {
  if (pid_ > 0)
    stopProcess(pid_, true, 3000);
}

ChildProcesses::~ChildProcesses() {
  for (Child& c : children_) {
    if (c.running)
      stopProcess(c.pid, true, 1000);
  }
}

pid_t ChildProcesses::spawn(const std::string& command, const std::string& display, bool counted) {
  const pid_t pid = fork();
  if (pid < 0)
    throw Error(RDK_E_INTERNAL, std::string("seamless: fork: ") + std::strerror(errno));
  if (pid == 0) {
    setsid();
    redirectStdio(false);
    setenv("DISPLAY", display.c_str(), 1);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  children_.push_back({pid, command, counted, true});
  return pid;
}

size_t ChildProcesses::reap() {
  size_t exited = 0;
  for (Child& c : children_) {
    if (c.running && waitpid(c.pid, nullptr, WNOHANG) == c.pid) {
      c.running = false;
      ++exited;
    }
  }
  return exited;
}

size_t ChildProcesses::countedRunning() const {
  size_t n = 0;
  for (const Child& c : children_)
    n += c.counted && c.running ? 1 : 0;
  return n;
}

size_t ChildProcesses::countedStarted() const {
  size_t n = 0;
  for (const Child& c : children_)
    n += c.counted ? 1 : 0;
  return n;
}

size_t ChildProcesses::running() const {
  size_t n = 0;
  for (const Child& c : children_)
    n += c.running ? 1 : 0;
  return n;
}

}  // namespace rdk::x11
