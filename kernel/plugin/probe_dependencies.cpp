#include "rdk/kernel/probe_dependencies.h"

#include <sys/stat.h>

#include <cstdlib>
#include <string>

namespace rdk::plugin {

namespace {

using rdk::json::Value;

/// "missing", or device, inode, size and modification time: a replaced driver file, a node added
/// to /dev/dri (the directory's mtime) or an ldconfig run all change it.
std::string pathState(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return "missing";
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" +
         std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

/// The probe's "depends" or "env" array; null when it has none (anything but an array is none).
const Value* declared(const Value& result, const char* key) {
  const Value* probe = result.find("probe");
  const Value* list = probe ? probe->find(key) : nullptr;
  return list && list->isArray() ? list : nullptr;
}
}  // namespace

std::optional<Value> snapshotProbeDependencies(const Value& result) {
  const Value* paths = declared(result, "depends");
  const Value* env = declared(result, "env");
  if (!paths && !env)
    return std::nullopt;
  Value pathStates = Value::object();
  Value envStates = Value::object();
  try {
    for (size_t i = 0; paths && i < paths->asArray().size(); ++i) {
      const std::string& path = paths->asArray()[i].asString();
      pathStates.set(path, pathState(path));
    }
    for (size_t i = 0; env && i < env->asArray().size(); ++i) {
      const std::string& name = env->asArray()[i].asString();
      const char* value = std::getenv(name.c_str());
      envStates.set(name, value ? std::string("=") + value : std::string("unset"));
    }
  } catch (const rdk::json::TypeError&) {
    return std::nullopt;  // a malformed declaration: store no snapshot, so the result is never
                          // reused
  }
  Value snapshot = Value::object();
  snapshot.set("paths", std::move(pathStates));
  snapshot.set("env", std::move(envStates));
  return snapshot;
}

bool probeDependenciesUnchanged(const Value& result, const Value* stored) {
  const bool declaresAny = declared(result, "depends") || declared(result, "env");
  if (!declaresAny)
    return true;
  if (!stored)
    return false;
  const std::optional<Value> now = snapshotProbeDependencies(result);
  if (!now)
    return false;
  for (const char* part : {"paths", "env"}) {
    const Value* a = now->find(part);
    const Value* b = stored->find(part);
    if (!a || !b || !b->isObject() || a->asObject().size() != b->asObject().size())
      return false;
    for (const auto& [key, value] : a->asObject()) {
      const Value* before = b->find(key);
      if (!before || *before != value)
        return false;
    }
  }
  return true;
}

}  // namespace rdk::plugin
