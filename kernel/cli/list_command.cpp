// `rdkernel list`: the sessions of this user on this host, as `xpra list` shows them. A session
// whose process is gone is DEAD and its record and socket are removed; one whose process runs
// but whose socket does not answer is UNKNOWN (starting, stopping or hung) and left alone.
#include <cstdio>

#include "command_support.h"
#include "session_commands.h"
#include "session_dir.h"

namespace rdk::cli {

namespace {

const char* stateName(SessionState state) {
  switch (state) {
    case SessionState::Live:
      return "LIVE";
    case SessionState::Dead:
      return "DEAD";
    case SessionState::Unknown:
      break;
  }
  return "UNKNOWN";
}

}  // namespace

int runList(config::Config&, plugin::Registry&, const std::vector<std::string>& args) {
  ArgParser parser(args);
  const std::vector<std::string> positional = parser.positional();
  if (!parser.error().empty() || !positional.empty()) {
    std::fprintf(stderr, "usage: rdkernel list\n");
    return 2;
  }
  const std::string dir = sessionDirectory();
  const std::vector<SessionRecord> records = readSessionRecords(dir);
  if (records.empty()) {
    std::printf("No rdkernel sessions found in %s\n", dir.c_str());
    return 0;
  }
  std::printf("Found the following rdkernel sessions in %s:\n", dir.c_str());
  for (const SessionRecord& record : records) {
    const SessionState state = probeSession(record);
    std::printf("\t%s session at %s (%s, pid %ld)", stateName(state), record.display.c_str(),
                record.mode.c_str(), record.pid);
    if (state == SessionState::Dead) {
      removeSessionRecord(record);
      std::printf(" (cleaned up)\n");
      continue;
    }
    for (const std::string& url : record.urls)
      std::printf(" %s", url.c_str());
    std::printf("\n");
  }
  return 0;
}

}  // namespace rdk::cli
