// posix_spawn + poll with a deadline: a hanging or crashing child can never hang the kernel.
#include "rdk/kernel/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

extern char** environ;

namespace rdk::plugin {
namespace {

void closeFd(int& fd) {
  if (fd >= 0)
    ::close(fd);
  fd = -1;
}

// Reads what is available from |fd| into |out| (at most |cap| bytes kept); false at EOF.
bool drain(int fd, std::string& out, size_t cap) {
  char buf[4096];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  if (n > 0) {
    const size_t room = out.size() < cap ? cap - out.size() : 0;
    out.append(buf, static_cast<size_t>(n) < room ? static_cast<size_t>(n) : room);
    return true;
  }
  return n < 0 && (errno == EINTR || errno == EAGAIN);
}

}  // namespace

ChildResult runChild(const std::string& exe, const std::vector<std::string>& args, int timeoutMs,
                     size_t maxOutput) {
  ChildResult result;
  int outPipe[2] = {-1, -1}, errPipe[2] = {-1, -1};
  if (::pipe2(outPipe, O_CLOEXEC) != 0 || ::pipe2(errPipe, O_CLOEXEC) != 0) {
    result.error = std::string("pipe: ") + std::strerror(errno);
    closeFd(outPipe[0]), closeFd(outPipe[1]), closeFd(errPipe[0]), closeFd(errPipe[1]);
    return result;
  }
  std::vector<std::string> argvStrings;
  argvStrings.push_back(exe);
  argvStrings.insert(argvStrings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argvStrings)
    argv.push_back(s.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, outPipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, errPipe[1], STDERR_FILENO);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  closeFd(outPipe[1]);
  closeFd(errPipe[1]);
  if (rc != 0) {
    result.error = "cannot run " + exe + ": " + std::strerror(rc);
    closeFd(outPipe[0]), closeFd(errPipe[0]);
    return result;
  }
  result.started = true;

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  bool outOpen = true, errOpen = true;
  while (outOpen || errOpen) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) {
      result.timedOut = true;
      break;
    }
    pollfd fds[2] = {{outOpen ? outPipe[0] : -1, POLLIN, 0},
                     {errOpen ? errPipe[0] : -1, POLLIN, 0}};
    const int n = ::poll(fds, 2, static_cast<int>(left));
    if (n < 0 && errno != EINTR)
      break;
    if (n <= 0)
      continue;
    if (outOpen && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
      outOpen = drain(outPipe[0], result.out, maxOutput);
    }
    if (errOpen && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      errOpen = drain(errPipe[0], result.err, maxOutput);
    }
  }
  if (result.timedOut)
    ::kill(pid, SIGKILL);
  closeFd(outPipe[0]);
  closeFd(errPipe[0]);
  // Both pipes closed: the child has exited or is about to (or was killed); reap it. A child that
  // closed its streams but keeps running is killed once the deadline passes.
  int wstatus = 0;
  while (true) {
    const pid_t done = ::waitpid(pid, &wstatus, WNOHANG);
    if (done == pid)
      break;
    if (done < 0 && errno != EINTR)
      return result;
    if (std::chrono::steady_clock::now() >= deadline && !result.timedOut) {
      result.timedOut = true;
      ::kill(pid, SIGKILL);
    }
    ::usleep(1000);
  }
  if (WIFEXITED(wstatus))
    result.exitCode = WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus))
    result.signal = WTERMSIG(wstatus);
  return result;
}

std::string describeChildEnd(const ChildResult& result, int timeoutMs) {
  if (!result.started)
    return result.error;
  if (result.timedOut)
    return "timed out after " + std::to_string(timeoutMs) + " ms";
  if (result.signal != 0) {
    return "killed by signal " + std::to_string(result.signal) + " (" + ::strsignal(result.signal) +
           ")";
  }
  return "exit code " + std::to_string(result.exitCode);
}

}  // namespace rdk::plugin
