// What a cached probe result depends on besides the plugin file: a probe answers
// "depends":[paths] (driver libraries, device directories, the loader cache) and "env":[names]
// (variables that steer it, like RDK_VAAPI_DEVICE). The cache stores their state beside the result
// and drops the result when any of them changed, so a new driver, a GPU that appears or a changed
// variable is probed again instead of served stale.
#pragma once

#include <Poco/JSON/Object.h>

namespace rdk::plugin {

/// The current state of what |result|'s probe declared ({"paths":{..},"env":{..}}), or null when
/// it declared nothing.
Poco::JSON::Object::Ptr snapshotProbeDependencies(const Poco::JSON::Object::Ptr& result);

/// True when |stored| (a snapshot taken earlier, or null) still matches now.
bool probeDependenciesUnchanged(const Poco::JSON::Object::Ptr& result,
                                const Poco::JSON::Object::Ptr& stored);

}  // namespace rdk::plugin
