#include "rdk/proxy/session_record_file.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace rdk::proxy {

namespace {

bool toNumber(const std::string& text, int64_t* out) {
  if (text.empty() || text.size() > 19)
    return false;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (*end != '\0' || value < 0)
    return false;
  *out = value;
  return true;
}

}  // namespace

std::string formatSavedSession(const SavedSession& saved) {
  std::ostringstream out;
  out << "user=" << saved.user << "\nhost=" << saved.session.host << "\nport=" << saved.session.port
      << "\nudp_port=" << saved.session.udpPort << "\nws_port=" << saved.session.wsPort
      << "\npid=" << saved.session.pid << "\nprocess_start=" << saved.processStart
      << "\nlog=" << saved.session.log << "\ntoken=" << saved.token << "\n";
  return out.str();
}

std::optional<SavedSession> parseSavedSession(const std::string& text) {
  std::map<std::string, std::string> fields;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos)
      fields[line.substr(0, eq)] = line.substr(eq + 1);
  }
  SavedSession saved;
  int64_t port = 0, udpPort = 0, wsPort = 0, pid = 0, start = 0;
  if (!fields.count("token") || fields["user"].empty() || fields["token"].size() < 32 ||
      fields["host"].empty() || !toNumber(fields["port"], &port) ||
      !toNumber(fields["udp_port"], &udpPort) || !toNumber(fields["ws_port"], &wsPort) ||
      !toNumber(fields["pid"], &pid) || !toNumber(fields["process_start"], &start) || port <= 0 ||
      port > 65535 || udpPort > 65535 || wsPort > 65535 || pid <= 1 || start == 0)
    return std::nullopt;
  saved.user = fields["user"];
  saved.token = fields["token"];
  saved.session.host = fields["host"];
  saved.session.port = static_cast<int>(port);
  saved.session.udpPort = static_cast<int>(udpPort);
  saved.session.wsPort = static_cast<int>(wsPort);
  saved.session.pid = pid;
  saved.session.log = fields["log"];
  saved.session.handle = "pid " + std::to_string(pid);
  saved.processStart = static_cast<uint64_t>(start);
  return saved;
}

uint64_t processStartTime(int64_t pid) {
  if (pid <= 0)
    return 0;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text))
    return 0;
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const size_t close = text.rfind(')');
  if (close == std::string::npos)
    return 0;
  std::istringstream rest(text.substr(close + 1));
  std::string field;
  for (int i = 3; i <= 22 && (rest >> field); ++i) {
    if (i == 3 && field == "Z")
      return 0;  // a zombie has ended
    if (i == 22)
      return std::strtoull(field.c_str(), nullptr, 10);
  }
  return 0;
}

}  // namespace rdk::proxy
