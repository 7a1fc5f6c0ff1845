#include "rdk/kernel/probe_dependencies.h"

#include <Poco/JSON/Array.h>
#include <sys/stat.h>

#include <cstdlib>
#include <string>

namespace rdk::plugin {

namespace {
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

Poco::JSON::Array::Ptr declared(const Poco::JSON::Object::Ptr& result, const char* key) {
  if (!result)
    return nullptr;
  Poco::JSON::Object::Ptr probe = result->getObject("probe");
  return probe ? probe->getArray(key) : nullptr;
}
}  // namespace

Poco::JSON::Object::Ptr snapshotProbeDependencies(const Poco::JSON::Object::Ptr& result) {
  Poco::JSON::Array::Ptr paths = declared(result, "depends");
  Poco::JSON::Array::Ptr env = declared(result, "env");
  if (!paths && !env)
    return nullptr;
  Poco::JSON::Object::Ptr snapshot = new Poco::JSON::Object;
  Poco::JSON::Object::Ptr pathStates = new Poco::JSON::Object;
  Poco::JSON::Object::Ptr envStates = new Poco::JSON::Object;
  try {
    for (size_t i = 0; paths && i < paths->size(); ++i) {
      const std::string path = paths->getElement<std::string>(static_cast<unsigned>(i));
      pathStates->set(path, pathState(path));
    }
    for (size_t i = 0; env && i < env->size(); ++i) {
      const std::string name = env->getElement<std::string>(static_cast<unsigned>(i));
      const char* value = std::getenv(name.c_str());
      envStates->set(name, value ? std::string("=") + value : std::string("unset"));
    }
  } catch (const Poco::Exception&) {
    return nullptr;  // a malformed declaration: store no snapshot, so the result is never reused
  }
  snapshot->set("paths", pathStates);
  snapshot->set("env", envStates);
  return snapshot;
}

bool probeDependenciesUnchanged(const Poco::JSON::Object::Ptr& result,
                                const Poco::JSON::Object::Ptr& stored) {
  const bool declaresAny = declared(result, "depends") || declared(result, "env");
  if (!declaresAny)
    return true;
  if (!stored)
    return false;
  Poco::JSON::Object::Ptr now = snapshotProbeDependencies(result);
  if (!now)
    return false;
  for (const char* part : {"paths", "env"}) {
    Poco::JSON::Object::Ptr a = now->getObject(part);
    Poco::JSON::Object::Ptr b = stored->getObject(part);
    if (!a || !b || a->size() != b->size())
      return false;
    for (const auto& [key, value] : *a)
      if (!b->has(key) || b->get(key).toString() != value.toString())
        return false;
  }
  return true;
}

}  // namespace rdk::plugin
