// Running a helper process with a deadline and bounded output (plugin inspection and probes).
#pragma once

#include <string>
#include <vector>

namespace rdk::plugin {

struct ChildResult {
  bool started = false;
  bool timedOut = false;
  int exitCode = -1;  // when it exited
  int signal = 0;     // when a signal killed it
  std::string out, err;
  std::string error;  // why it could not start
};

/// Runs |exe| with |args|, kills it after |timeoutMs|, keeps at most |maxOutput| bytes of each
/// stream.
ChildResult runChild(const std::string& exe, const std::vector<std::string>& args, int timeoutMs,
                     size_t maxOutput = 1 << 20);

/// "exit 3", "signal 11 (Segmentation fault)", "timed out after 10000 ms", ...
std::string describeChildEnd(const ChildResult& result, int timeoutMs);

}  // namespace rdk::plugin
