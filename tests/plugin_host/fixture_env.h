// Shared helpers for the plugin host tests: fixture paths, a private cache, running rdkernel.
#pragma once

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <stdlib.h>
#include <unistd.h>

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

}  // namespace rdk::test
