#include "rdk/proxy/session_registry.h"

#include <fstream>
#include <random>

namespace rdk::proxy {

SessionRegistry::SessionRegistry(SessionLauncher& launcher, RegistrySettings settings,
                                 TokenSource tokens)
    : launcher_(launcher), settings_(settings), tokens_(std::move(tokens)) {}

void SessionRegistry::changed() {
  if (onChange_)
    onChange_();
}

std::optional<SessionRecord> SessionRegistry::acquire(const UserEntry& user, uint64_t nowUs,
                                                      std::string* error) {
  std::unique_lock<std::mutex> lock(mutex_);
  Slot& slot = slots_[user.name];
  launched_.wait(lock, [&] { return !slot.launching; });
  if (slot.record) {
    // Checked now rather than only by reap(): a session killed a moment ago must not get the
    // next connection.
    const LaunchedSession running = slot.record->session;
    lock.unlock();
    const bool alive = launcher_.alive(running);
    lock.lock();
    if (slot.launching) {  // another acquire went ahead meanwhile; start over
      lock.unlock();
      return acquire(user, nowUs, error);
    }
    if (alive && slot.record) {
      ++slot.record->connections;
      slot.record->lastActiveUs = nowUs;
      return slot.record;
    }
    slot.record.reset();
  }
  slot.launching = true;
  const std::string token = tokens_();
  lock.unlock();
  LaunchedSession session;
  std::string why;
  const bool ok = launcher_.launch(user, token, &session, &why);
  lock.lock();
  slot.launching = false;
  launched_.notify_all();
  if (!ok) {
    *error = "cannot start a session for '" + user.name + "' (" + launcher_.name() + "): " + why;
    return std::nullopt;
  }
  SessionRecord record;
  record.user = user.name;
  record.session = session;
  record.token = token;
  record.startedUs = record.lastActiveUs = nowUs;
  record.connections = 1;
  record.generation = ++slot.generation;
  slot.record = record;
  lock.unlock();
  changed();
  return record;
}

void SessionRegistry::release(const std::string& user, uint64_t nowUs) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = slots_.find(user);
    if (it == slots_.end() || !it->second.record)
      return;
    SessionRecord& record = *it->second.record;
    if (record.connections > 0)
      --record.connections;
    record.lastActiveUs = nowUs;
  }
  changed();
}

void SessionRegistry::touch(const std::string& user, uint64_t nowUs) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = slots_.find(user);
  if (it != slots_.end() && it->second.record)
    it->second.record->lastActiveUs = nowUs;
}

std::vector<std::string> SessionRegistry::reap(uint64_t nowUs) {
  std::vector<SessionRecord> candidates;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [name, slot] : slots_)
      if (slot.record && !slot.launching)
        candidates.push_back(*slot.record);
  }
  std::vector<std::string> removed;
  for (const SessionRecord& c : candidates) {
    std::string why;
    if (!launcher_.alive(c.session)) {
      why = "session ended";
    } else if (settings_.idleTimeoutUs > 0 && c.connections == 0 &&
               nowUs > c.lastActiveUs + settings_.idleTimeoutUs) {
      why = "idle for " + std::to_string((nowUs - c.lastActiveUs) / 1'000'000) + " s";
    } else {
      continue;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      Slot& slot = slots_[c.user];
      // Skip it when a connection came (or a new session started) since the snapshot.
      if (!slot.record || slot.record->generation != c.generation ||
          (why != "session ended" && slot.record->connections > 0))
        continue;
      slot.record.reset();
    }
    if (why != "session ended")
      launcher_.stop(c.session);
    removed.push_back(c.user + ": " + why);
  }
  if (!removed.empty())
    changed();
  return removed;
}

void SessionRegistry::adopt(const AdoptedSession& session, uint64_t nowUs) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Slot& slot = slots_[session.user];
    SessionRecord record;
    record.user = session.user;
    record.session = session.session;
    record.token = session.token;
    record.startedUs = nowUs;
    record.lastActiveUs = nowUs;
    record.generation = ++slot.generation;
    slot.record = record;
  }
  changed();
}

void SessionRegistry::stopAll() {
  std::vector<LaunchedSession> sessions;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [name, slot] : slots_) {
      if (slot.record)
        sessions.push_back(slot.record->session);
      slot.record.reset();
    }
  }
  for (const LaunchedSession& s : sessions)
    launcher_.stop(s);
  changed();
}

std::vector<SessionRecord> SessionRegistry::list() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<SessionRecord> out;
  for (const auto& [name, slot] : slots_)
    if (slot.record)
      out.push_back(*slot.record);
  return out;
}

std::string randomToken() {
  std::random_device device;  // /dev/urandom on Linux
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  for (int i = 0; i < 8; ++i) {
    const uint32_t v = device();
    for (int b = 0; b < 8; ++b)
      token.push_back(kHex[(v >> (4 * b)) & 0xf]);
  }
  return token;
}

}  // namespace rdk::proxy
