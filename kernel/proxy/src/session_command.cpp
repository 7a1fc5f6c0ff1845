#include "rdk/proxy/session_command.h"

#include <cstdlib>

namespace rdk::proxy {

std::vector<std::string> sessionCommand(const std::string& program,
                                        const std::vector<std::string>& extraArgs,
                                        const UserEntry& user, const std::string& bindUrl,
                                        const std::string& udpBindUrl,
                                        const std::string& wsBindUrl) {
  std::vector<std::string> argv{program};
  argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
  argv.push_back(user.mode);
  if (user.mode == "start") {
    if (!user.displays.empty())
      argv.push_back(user.displays.front());
    for (const std::string& command : user.startCommands)
      argv.push_back("--start=" + command);
  } else if (!user.displays.empty()) {
    argv.push_back("--display");
    argv.push_back(user.displays.front());
  }
  argv.push_back("--bind");
  argv.push_back(bindUrl);
  if (!udpBindUrl.empty()) {
    argv.push_back("--bind");
    argv.push_back(udpBindUrl);
  }
  if (!wsBindUrl.empty()) {
    argv.push_back("--bind");
    argv.push_back(wsBindUrl);
  }
  for (const auto& [key, value] : user.settings) {
    argv.push_back("--set");
    argv.push_back(key + "=" + value);
  }
  // Last, so the users file cannot open the session's port to everyone: the per-scheme key wins
  // over server.auth, and only the proxy knows the token.
  argv.push_back("--set");
  argv.push_back(std::string("server.auth.tcp=env:name=") + kTokenVariable);
  if (!wsBindUrl.empty()) {
    argv.push_back("--set");
    argv.push_back(std::string("server.auth.ws=env:name=") + kTokenVariable);
  }
  if (!udpBindUrl.empty()) {
    argv.push_back("--set");
    argv.push_back(std::string("server.auth.udp=env:name=") + kPasswordVariable);
  }
  return argv;
}

std::vector<std::string> sessionEnvironment(const UserEntry& user, const std::string& token,
                                            bool withPassword) {
  std::vector<std::string> env;
  for (const auto& [key, value] : user.env)
    env.push_back(key + "=" + value);
  env.push_back(std::string(kTokenVariable) + "=" + token);
  if (withPassword)
    env.push_back(std::string(kPasswordVariable) + "=" + user.password);
  return env;
}

int listeningPort(const std::string& output, const std::string& scheme) {
  const std::string marker = "listening on " + scheme + "://";
  const size_t pos = output.find(marker);
  if (pos == std::string::npos)
    return 0;
  const size_t eol = output.find('\n', pos);
  if (eol == std::string::npos)
    return 0;  // the line is not complete yet
  const std::string line = output.substr(pos, eol - pos);
  const size_t colon = line.rfind(':');
  const int port = std::atoi(line.c_str() + colon + 1);
  return port > 0 && port < 65536 ? port : 0;
}

}  // namespace rdk::proxy
