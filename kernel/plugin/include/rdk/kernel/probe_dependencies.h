// What a cached probe result depends on besides the plugin file: a probe answers
// "depends":[paths] (driver libraries, device directories, the loader cache) and "env":[names]
// (variables that steer it, like RDK_VAAPI_DEVICE). The cache stores their state beside the result
// and drops the result when any of them changed, so a new driver, a GPU that appears or a changed
// variable is probed again instead of served stale.
#pragma once

#include <optional>

#include "rdk/json/document.hpp"

namespace rdk::plugin {

/// The current state of what |result|'s probe declared ({"paths":{..},"env":{..}}), or nothing
/// when it declared nothing (or declared it malformed: then the result is never reused).
std::optional<rdk::json::Value> snapshotProbeDependencies(const rdk::json::Value& result);

/// True when |stored| (a snapshot taken earlier, or null when there was none) still matches now.
bool probeDependenciesUnchanged(const rdk::json::Value& result, const rdk::json::Value* stored);

}  // namespace rdk::plugin
