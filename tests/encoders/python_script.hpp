// Runs the Python side of the Xpra interoperability tests (stock Xpra 3.1.3's own codecs, called
// from /usr/bin/python3) and collects what it printed. Exit code 77 means "Xpra is not importable"
// and the calling test reports a skip rather than a pass.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <vector>

namespace rdk::test {

struct ScriptRun {
  int exitCode = -1;   // -1 when the interpreter did not exit normally
  std::string output;  // stdout and stderr together
  bool skipped() const { return exitCode == 77; }
  /// How many lines of the output end in |suffix| (the scripts print one verdict line per item).
  size_t linesEndingWith(const std::string& suffix) const {
    size_t count = 0;
    for (size_t pos = 0; (pos = output.find(suffix + "\n", pos)) != std::string::npos; ++pos)
      ++count;
    return count;
  }
};

/// /usr/bin/python3 |script| |args|...; arguments are paths and numbers made by the tests, quoted.
inline ScriptRun runPythonScript(const std::string& script, const std::vector<std::string>& args) {
  std::string command = "/usr/bin/python3 '" + script + "'";
  for (const auto& a : args)
    command += " '" + a + "'";
  command += " 2>&1";
  ScriptRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    run.output = "popen failed: " + command;
    return run;
  }
  char buf[512];
  while (fgets(buf, sizeof(buf), pipe))
    run.output += buf;
  const int status = pclose(pipe);
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace rdk::test
