#include "command_support.h"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "session_commands.h"

namespace rdk::cli {

std::string urlProblem(const std::string& url) {
  const size_t sep = url.find("://");
  if (sep != std::string::npos && sep > 0 && sep + 3 < url.size())
    return {};
  std::string problem = "not a URL: '" + url + "' (expected scheme://host:port";
  const size_t colon = url.find(':');
  if (sep == std::string::npos && colon != std::string::npos && colon > 0 &&
      colon + 1 < url.size()) {
    problem += "; did you mean '" + url.substr(0, colon) + "://" + url.substr(colon + 1) + "'?";
  }
  return problem + ")";
}

std::atomic<bool>& stopFlag() {
  static std::atomic<bool> flag{false};
  return flag;
}

std::atomic<bool>& reloadFlag() {
  static std::atomic<bool> flag{false};
  return flag;
}

namespace {
void onStopSignal(int) {
  stopFlag().store(true);
}
void onReloadSignal(int) {
  reloadFlag().store(true);
}
}  // namespace

void installReloadSignal() {
  std::signal(SIGHUP, onReloadSignal);
}

void installStopSignals() {
  std::signal(SIGINT, onStopSignal);
  std::signal(SIGTERM, onStopSignal);
  std::signal(SIGPIPE, SIG_IGN);
}

bool stopRequested() {
  return stopFlag().load();
}

std::optional<std::string> ArgParser::value(const std::string& name) {
  auto values = this->values(name);
  if (values.empty())
    return std::nullopt;
  return values.back();
}

std::vector<std::string> ArgParser::values(const std::string& name) {
  std::vector<std::string> found;
  for (size_t i = 0; i < args_.size();) {
    const std::string& arg = args_[i];
    if (arg == name) {
      if (i + 1 >= args_.size()) {
        error_ = name + " needs a value";
        args_.erase(args_.begin() + static_cast<long>(i));
        continue;
      }
      found.push_back(args_[i + 1]);
      args_.erase(args_.begin() + static_cast<long>(i), args_.begin() + static_cast<long>(i) + 2);
      continue;
    }
    if (arg.rfind(name + "=", 0) == 0) {
      found.push_back(arg.substr(name.size() + 1));
      args_.erase(args_.begin() + static_cast<long>(i));
      continue;
    }
    ++i;
  }
  return found;
}

bool ArgParser::flag(const std::string& name) {
  bool found = false;
  for (size_t i = 0; i < args_.size();) {
    if (args_[i] == name) {
      found = true;
      args_.erase(args_.begin() + static_cast<long>(i));
    } else {
      ++i;
    }
  }
  return found;
}

std::vector<std::string> ArgParser::positional() {
  for (const auto& arg : args_) {
    if (arg.rfind("--", 0) == 0 && error_.empty())
      error_ = "unknown option " + arg;
  }
  return args_;
}

std::string readPasswordFile(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read password file " + path;
    return "";
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  // Every byte, as Xpra 3.1.3's client sends it and as the `file:` auth module (ours and Xpra's)
  // reads it: stripping a trailing newline here made `echo secret > pw` fail against a server
  // given the same file. A newline is usually a mistake, so say so (as Xpra's server does).
  const std::string password = buffer.str();
  if (password.find_first_of("\r\n") != std::string::npos) {
    std::fprintf(stderr,
                 "warning: password file %s contains a newline; it is sent as part of the "
                 "password (printf '%%s' secret > FILE writes none)\n",
                 path.c_str());
  }
  return password;
}

}  // namespace rdk::cli
