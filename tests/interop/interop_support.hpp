// Shared by the interop tests: paths, free ports and displays, starting rdkernel and xpra.
#pragma once

#include <cppunit/extensions/HelperMacros.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace rdk::test::interop {

inline const std::string kRdkernel = std::string(RDK_TEST_BINARY_DIR) + "/bin/rdkernel";
inline const std::string kScripts = std::string(RDK_TEST_SOURCE_DIR) + "/tests/interop";

// xpra runs /usr/bin/python3; a python3 earlier on PATH (pyenv) cannot import it.
inline std::map<std::string, std::string> xpraEnv(const std::string& home,
                                                  const std::string& display = "") {
  std::map<std::string, std::string> env{{"PATH", "/usr/sbin:/usr/bin:/sbin:/bin"}, {"HOME", home}};
  if (!display.empty())
    env["DISPLAY"] = display;
  return env;
}

inline int freeTcpPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

inline int freeDisplayNumber() {
  for (int n = 150; n < 190; ++n) {
    if (!std::filesystem::exists("/tmp/.X11-unix/X" + std::to_string(n)) &&
        !std::filesystem::exists("/tmp/.X" + std::to_string(n) + "-lock")) {
      return n;
    }
  }
  throw std::runtime_error("no free X display number in :150..:189");
}

// Starts `rdkernel serve` on an ephemeral TCP port; returns the tcp:// URL.
inline std::string startRdkernel(ChildProcess& server) {
  const std::string line = server.waitForOutput("listening on tcp://", 15000);
  CPPUNIT_ASSERT_MESSAGE("rdkernel serve did not start:\n" + server.output(), !line.empty());
  return line.substr(line.find("tcp://"));
}

inline std::string xpraAttachArgs() {
  return "--opengl=no --speaker=off --microphone=off --webcam=no --notifications=no --tray=no "
         "--mdns=no --printing=no --file-transfer=no --open-files=no --bell=no --system-tray=no "
         "--clipboard=no --desktop-scaling=off --mmap=no";
}

}  // namespace rdk::test::interop

namespace rdk::test::interop {

/// `xpra attach URL` with the options that keep it headless-friendly, as an argv.
inline std::vector<std::string> xpraAttachCommand(const std::string& url, const std::string& dir) {
  std::vector<std::string> argv{"/usr/bin/xpra", "attach", url};
  const std::string args = xpraAttachArgs();
  for (size_t pos = 0; pos < args.size();) {
    size_t end = args.find(' ', pos);
    if (end == std::string::npos)
      end = args.size();
    argv.push_back(args.substr(pos, end - pos));
    pos = end + 1;
  }
  argv.push_back("--socket-dirs=" + dir);
  argv.push_back("--log-dir=" + dir);
  return argv;
}

}  // namespace rdk::test::interop
