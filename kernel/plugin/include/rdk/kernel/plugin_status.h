// Status tokens of a plugin row (StatusRow::status), shared by the registry, CLI and tests.
#pragma once

namespace rdk::plugin::status {

inline constexpr const char* kOk = "ok";                             // scanned (and inspected) fine
inline constexpr const char* kLoaded = "loaded";                     // loaded and initialised here
inline constexpr const char* kIncompatibleAbi = "incompatible-abi";  // other ABI major
inline constexpr const char* kTooNew = "too-new";  // ABI minor newer than the kernel's
inline constexpr const char* kMissingDependency = "missing-dependency";
inline constexpr const char* kLoadFailed = "load-failed";  // dlopen failed for another reason
inline constexpr const char* kNotAPlugin =
    "not-a-plugin";  // no entry symbol / no manifest / no .so
inline constexpr const char* kBadManifest = "bad-manifest";  // unreadable or invalid manifest JSON
inline constexpr const char* kManifestMismatch = "manifest-mismatch";
inline constexpr const char* kInitFailed = "init-failed";
inline constexpr const char* kDisabled = "disabled";  // plugins.allow / plugins.deny
inline constexpr const char* kShadowed = "shadowed";  // same name earlier in the path
inline constexpr const char* kProbeFailed = "probe-failed";
inline constexpr const char* kCrashed = "crashed";  // the inspection child died

}  // namespace rdk::plugin::status
