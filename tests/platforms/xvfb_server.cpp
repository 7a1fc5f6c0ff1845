#include "xvfb_server.h"

#include <X11/Xlib.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace rdk::test {
namespace {

void terminate(pid_t pid) {
  kill(pid, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (waitpid(pid, nullptr, WNOHANG) == pid)
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

bool exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

}  // namespace

XvfbServer::XvfbServer(int width, int height) {
  for (int n = 90; n <= 120; ++n) {
    if (exists("/tmp/.X11-unix/X" + std::to_string(n)) ||
        exists("/tmp/.X" + std::to_string(n) + "-lock")) {
      continue;
    }
    if (tryStart(n, width, height))
      return;
  }
  throw std::runtime_error("no free display number in :90..:120 for Xvfb");
}

XvfbServer::~XvfbServer() {
  stop();
}

bool XvfbServer::tryStart(int number, int width, int height) {
  const std::string display = ":" + std::to_string(number);
  const std::string screen = std::to_string(width) + "x" + std::to_string(height) + "x24";
  pid_ = fork();
  if (pid_ < 0)
    throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, STDOUT_FILENO);
      dup2(devnull, STDERR_FILENO);
    }
    execlp("Xvfb", "Xvfb", display.c_str(), "-screen", "0", screen.c_str(), "-nolisten", "tcp",
           "-noreset", "-br", static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {  // lost a race for this number, or no Xvfb
      pid_ = -1;
      if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        throw std::runtime_error("cannot run Xvfb (is the xvfb package installed?)");
      }
      return false;
    }
    if (exists("/tmp/.X11-unix/X" + std::to_string(number))) {
      if (Display* d = XOpenDisplay(display.c_str())) {
        XCloseDisplay(d);
        name_ = display;
        return true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop();
  return false;
}

void XvfbServer::stop() {
  if (pid_ <= 0)
    return;
  terminate(pid_);
  pid_ = -1;
}

XProgram::XProgram(const std::string& display, const std::vector<std::string>& argv) {
  if (argv.empty())
    throw std::invalid_argument("XProgram needs a program");
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_ = fork();
  if (pid_ < 0)
    throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, STDOUT_FILENO);
      dup2(devnull, STDERR_FILENO);
    }
    setenv("DISPLAY", display.c_str(), 1);
    execvp(args[0], args.data());
    _exit(127);
  }
}

XProgram::~XProgram() {
  if (pid_ > 0)
    terminate(pid_);
}

}  // namespace rdk::test
