#include <fcntl.h>
#include <pulse/error.h>
#include <pulse/simple.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>
#include <vector>

#include "rdk/audio/pulse.h"

extern char** environ;

namespace rdk::audio {

namespace {

bool answers(const std::string& address, const AudioFormat& format) {
  pa_sample_spec spec{PA_SAMPLE_S16LE, static_cast<uint32_t>(format.rate),
                      static_cast<uint8_t>(format.channels)};
  int err = 0;
  pa_simple* s =
      pa_simple_new(address.c_str(), "rdkernel-probe", PA_STREAM_RECORD,
                    PrivatePulseServer::kMonitor, "probe", &spec, nullptr, nullptr, &err);
  if (!s)
    return false;
  pa_simple_free(s);
  return true;
}

void stopProcess(pid_t pid) {
  kill(pid, SIGTERM);
  for (int i = 0; i < 300; ++i) {  // 3 s, then SIGKILL
    if (waitpid(pid, nullptr, WNOHANG) == pid)
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

}  // namespace

PrivatePulseServer::PrivatePulseServer(const std::string& dir, const AudioFormat& format,
                                       int timeoutMs)
    : dir_(dir), address_("unix:" + dir + "/native") {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec)
    throw AudioError("pulseaudio: cannot create " + dir_ + ": " + ec.message());
  ::chmod(dir_.c_str(), 0700);
  const std::string sink = std::string("module-null-sink sink_name=") + kSink +
                           " rate=" + std::to_string(format.rate) +
                           " channels=" + std::to_string(format.channels) +
                           " sink_properties=device.description=rdkernel";
  const std::string native =
      "module-native-protocol-unix auth-anonymous=1 socket=" + dir_ + "/native";
  // -n: no default.pa (no hardware, no user modules); we load exactly what the session needs.
  // --exit-idle-time: idle means no client, and our capture holds a connection for the owner's
  // lifetime, so this only ends a server whose owner died without its destructor (a crash).
  std::vector<std::string> args{"pulseaudio",
                                "-n",
                                "--daemonize=no",
                                "--exit-idle-time=30",
                                "--use-pid-file=no",
                                "--disable-shm=yes",
                                "--log-target=stderr",
                                "--log-level=error",
                                "-L",
                                sink,
                                "-L",
                                native};
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string_view kv(*e);
    if (kv.starts_with("HOME=") || kv.starts_with("XDG_RUNTIME_DIR=") || kv.starts_with("PULSE_") ||
        kv.starts_with("DBUS_SESSION_BUS_ADDRESS="))
      continue;
    env.emplace_back(kv);
  }
  env.push_back("HOME=" + dir_);
  env.push_back("XDG_RUNTIME_DIR=" + dir_);
  std::vector<char*> argv, envp;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  const std::string log = dir_ + "/pulseaudio.log";
  pid_ = fork();
  if (pid_ < 0)
    throw AudioError(std::string("pulseaudio: fork: ") + std::strerror(errno));
  if (pid_ == 0) {
    setsid();
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in >= 0)
      dup2(in, 0);
    if (out >= 0) {
      dup2(out, 1);
      dup2(out, 2);
    }
    execvpe("pulseaudio", argv.data(), envp.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (!answers(address_, format)) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw AudioError("pulseaudio exited at start (" +
                       std::string(WIFEXITED(status) && WEXITSTATUS(status) == 127
                                       ? "not installed? apt-get install pulseaudio"
                                       : "see " + log) +
                       ")");
    }
    if (std::chrono::steady_clock::now() > deadline) {
      stopProcess(pid_);
      pid_ = -1;
      throw AudioError("pulseaudio did not answer on " + address_ + " within " +
                       std::to_string(timeoutMs) + " ms (see " + log + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

PrivatePulseServer::~PrivatePulseServer() {
  if (pid_ > 0)
    stopProcess(pid_);
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace rdk::audio
