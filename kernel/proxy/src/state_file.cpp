#include "rdk/proxy/state_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

#include "rdk/base/clock.h"
#include "rdk/protocol/value.h"

namespace rdk::proxy {

using protocol::Value;

std::string stateJson(const ProxyState& header, const std::vector<SessionRecord>& records,
                      uint64_t nowUs) {
  Value v(Value::Dict{});
  v.set("proxy_pid", Value(static_cast<int64_t>(header.proxyPid)));
  Value::List binds;
  for (const std::string& b : header.binds)
    binds.emplace_back(b);
  v.set("binds", Value(binds));
  v.set("launcher", Value(header.launcher));
  v.set("written_ms", Value(static_cast<int64_t>(wallClockMs())));
  Value::List sessions;
  for (const SessionRecord& r : records) {
    Value s(Value::Dict{});
    s.set("user", Value(r.user));
    s.set("host", Value(r.session.host));
    s.set("port", Value(r.session.port));
    s.set("pid", Value(static_cast<int64_t>(r.session.pid)));
    s.set("handle", Value(r.session.handle));
    s.set("log", Value(r.session.log));
    s.set("connections", Value(r.connections));
    s.set("uptime_s", Value(static_cast<int64_t>(elapsedUs(nowUs, r.startedUs) / 1'000'000)));
    s.set("idle_s", Value(static_cast<int64_t>(
                        r.connections > 0 ? 0 : elapsedUs(nowUs, r.lastActiveUs) / 1'000'000)));
    sessions.push_back(std::move(s));
  }
  v.set("sessions", Value(sessions));
  return v.toJson() + "\n";
}

bool writeStateFile(const std::string& path, const std::string& json) {
  const std::string tmp = path + ".tmp";
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return false;
  const bool ok = write(fd, json.data(), json.size()) == static_cast<ssize_t>(json.size());
  close(fd);
  return ok && std::rename(tmp.c_str(), path.c_str()) == 0;
}

ProxyState parseState(const std::string& json) {
  const Value v = Value::fromJson(json);
  if (!v.isDict() || !v.find("sessions"))
    throw std::runtime_error("not a proxy state file");
  auto str = [](const Value& d, const char* key) {
    const Value* f = d.find(key);
    return f && f->isBytes() ? f->asBytes() : std::string();
  };
  auto num = [](const Value& d, const char* key) -> int64_t {
    const Value* f = d.find(key);
    return f && f->isInt() ? f->asInt() : 0;
  };
  ProxyState state;
  state.proxyPid = num(v, "proxy_pid");
  state.launcher = str(v, "launcher");
  state.writtenMs = static_cast<uint64_t>(num(v, "written_ms"));
  if (const Value* binds = v.find("binds"); binds && binds->isList())
    for (const Value& b : binds->asList())
      if (b.isBytes())
        state.binds.push_back(b.asBytes());
  for (const Value& s : v.find("sessions")->asList()) {
    if (!s.isDict())
      continue;
    ProxyState::Session out;
    out.user = str(s, "user");
    out.host = str(s, "host");
    out.handle = str(s, "handle");
    out.log = str(s, "log");
    out.port = static_cast<int>(num(s, "port"));
    out.pid = num(s, "pid");
    out.connections = static_cast<int>(num(s, "connections"));
    out.uptimeS = static_cast<uint64_t>(num(s, "uptime_s"));
    out.idleS = static_cast<uint64_t>(num(s, "idle_s"));
    state.sessions.push_back(out);
  }
  return state;
}

std::string listTable(const ProxyState& state, const std::vector<UserEntry>& users,
                      bool proxyRunning) {
  std::string out;
  char line[512];
  if (proxyRunning) {
    std::string binds;
    for (const std::string& b : state.binds)
      binds += (binds.empty() ? "" : " ") + b;
    std::snprintf(line, sizeof line, "proxy pid %lld on %s, launcher %s\n",
                  static_cast<long long>(state.proxyPid), binds.c_str(), state.launcher.c_str());
  } else {
    std::snprintf(line, sizeof line, "proxy not running (last state from pid %lld)\n",
                  static_cast<long long>(state.proxyPid));
  }
  out += line;
  std::snprintf(line, sizeof line, "%-16s %-8s %-22s %-36s %5s %8s %6s\n", "USER", "STATE",
                "ENDPOINT", "SESSION", "CONNS", "UPTIME_S", "IDLE_S");
  out += line;
  std::vector<std::string> names;
  for (const UserEntry& u : users)
    names.push_back(u.name);
  for (const ProxyState::Session& s : state.sessions) {
    bool known = false;
    for (const std::string& n : names)
      known = known || n == s.user;
    if (!known)
      names.push_back(s.user);
  }
  for (const std::string& name : names) {
    const ProxyState::Session* session = nullptr;
    for (const ProxyState::Session& s : state.sessions)
      if (s.user == name && proxyRunning)
        session = &s;
    if (!session) {
      std::snprintf(line, sizeof line, "%-16s %-8s %-22s %-36s %5s %8s %6s\n", name.c_str(), "-",
                    "-", "-", "-", "-", "-");
    } else {
      const std::string endpoint = session->host + ":" + std::to_string(session->port);
      std::snprintf(line, sizeof line, "%-16s %-8s %-22s %-36s %5d %8llu %6llu\n", name.c_str(),
                    "running", endpoint.c_str(), session->handle.c_str(), session->connections,
                    static_cast<unsigned long long>(session->uptimeS),
                    static_cast<unsigned long long>(session->idleS));
    }
    out += line;
  }
  return out;
}

}  // namespace rdk::proxy
