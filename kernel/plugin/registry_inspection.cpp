// Child-process inspection and hardware probes: the parent side (run, cache, apply) and the child
// side (`rdkernel --probe-plugin NAME|PATH`).
#include <Poco/Logger.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "rdk/json/reader.hpp"
#include "rdk/kernel/child_process.h"
#include "rdk/kernel/host_services.h"
#include "rdk/kernel/inspection_cache.h"
#include "rdk/kernel/plugin_loader.h"
#include "rdk/kernel/plugin_status.h"
#include "registry_state.h"

namespace rdk::plugin {
namespace {

using rdk::json::Value;

constexpr const char* kPhaseMarker = "rdk-phase: ";

Value makeResult(const std::string& status, const std::string& reason) {
  Value result = Value::object();
  result.set("status", status);
  result.set("reason", reason);
  return result;
}

// An object with a string "status" (what a child prints last), else nothing.
std::optional<Value> parseResult(const std::string& text) {
  try {
    Value v = Value::parse(text);
    const Value* st = v.find("status");
    if (st && st->isString())
      return v;
  } catch (const rdk::json::ParseError&) {
  }
  return std::nullopt;
}

// The child prints its result as the last line: what a plugin wrote to stdout comes before it.
std::string lastLine(const std::string& out) {
  const size_t end = out.find_last_not_of("\r\n");
  if (end == std::string::npos)
    return {};
  const size_t newline = out.rfind('\n', end);
  const size_t start = newline == std::string::npos ? 0 : newline + 1;
  return out.substr(start, end + 1 - start);
}

// The last phase the child announced on stderr before it died.
std::string lastPhase(const std::string& err) {
  std::string phase = "start";
  size_t pos = 0;
  while ((pos = err.find(kPhaseMarker, pos)) != std::string::npos) {
    pos += std::string(kPhaseMarker).size();
    phase = err.substr(pos, err.find('\n', pos) - pos);
  }
  return phase;
}

void announcePhase(const char* phase) {
  std::cerr << kPhaseMarker << phase << std::endl;
}

// Child side: the hardware probe of an initialised plugin.
Value runProbe(const rdk_plugin_descriptor& d, void* state) {
  if (!d.encoder || !d.encoder->probe) {
    return makeResult(status::kProbeFailed,
                      "the manifest asks for a probe but the plugin has none");
  }
  rdk_buffer out{};
  HostServices::clearError();
  const rdk_status st = d.encoder->probe(state, &out);
  const std::string text = out.data ? std::string(reinterpret_cast<char*>(out.data), out.size) : "";
  if (out.release)
    out.release(&out);
  if (st != RDK_OK) {
    return makeResult(status::kProbeFailed,
                      HostServices::lastError() + " (" + statusCodeName(st) + ")");
  }
  Value probe;
  try {
    probe = Value::parse(text);
  } catch (const rdk::json::ParseError&) {
  }
  const Value* ok = probe.find("ok");
  if (!ok || !ok->isBool())
    return makeResult(status::kProbeFailed, "the probe did not return {\"ok\":...}: " + text);
  const Value* reason = probe.find("reason");
  Value result = ok->asBool()
                     ? makeResult(status::kOk, "")
                     : makeResult(status::kProbeFailed, reason ? reason->asText() : "not ok");
  result.set("probe", std::move(probe));
  return result;
}

}  // namespace

void applyInspection(CatalogEntry& entry, const Value& result) {
  const Value* st = result.find("status");
  if (!st)
    return;
  entry.inspection = result;
  if (st->asText() == status::kOk)
    return;
  entry.row.status = st->asText();
  const Value* reason = result.find("reason");
  entry.row.reason = reason ? reason->asText() : "";
}

void Registry::setChildExecutable(const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  state_->childExe = path;
}

std::string Registry::childExecutable() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_->childExe;
}

std::optional<Value> Registry::runInspectionChild(const CatalogEntry& entry,
                                                  std::string* unavailable) const {
  const State& s = *state_;
  if (s.childExe.empty()) {
    *unavailable = "no rdkernel executable to run it in";
    return std::nullopt;
  }
  std::vector<std::string> args = {"--probe-plugin", entry.libraryPath};
  for (const auto& [key, value] : s.config.explicitValues()) {
    args.push_back("--set");
    args.push_back(key + "=" + value);
  }
  const ChildResult child = runChild(s.childExe, args, s.childTimeoutMs);
  if (!child.started) {
    *unavailable = child.error;
    return std::nullopt;
  }
  if (!child.timedOut && child.signal == 0) {
    if (std::optional<Value> result = parseResult(lastLine(child.out)))
      return result;
  }
  const std::string phase = lastPhase(child.err);
  const std::string how = describeChildEnd(child, s.childTimeoutMs);
  if (phase == "start") {
    // It ended before it touched the plugin: a kernel or environment problem, not a verdict.
    *unavailable = "the inspection child " + how + " before loading it: " + lastLine(child.err);
    return std::nullopt;
  }
  if (phase == "probe")
    return makeResult(status::kProbeFailed, "probe " + how);
  return makeResult(status::kCrashed, "inspection child " + how + " during " + phase);
}

void Registry::inspectAll(bool fresh) {
  std::lock_guard<std::mutex> lock(mutex_);
  State& s = *state_;
  for (CatalogEntry& e : s.entries) {
    if (!e.usable() || e.row.loaded)
      continue;
    const auto identity = identifyFile(e.libraryPath);
    if (!identity)
      continue;
    if (!fresh && e.inspection)
      continue;  // configure() applied a matching cached result
    std::string unavailable;
    const std::optional<Value> result = runInspectionChild(e, &unavailable);
    if (!result) {
      Poco::Logger::get("rdk.plugin").warning("cannot inspect " + e.row.name + ": " + unavailable);
      continue;
    }
    storeInspection(s.cacheFile, e.libraryPath, *identity, *result);
    applyInspection(e, *result);
  }
}

bool Registry::ensureInspectedLocked(CatalogEntry& entry, std::string* whyNot) {
  State& s = *state_;
  if (!entry.inspection) {
    const auto identity = identifyFile(entry.libraryPath);
    std::optional<Value> result =
        identity ? cachedInspection(s.cacheFile, entry.libraryPath, *identity) : std::nullopt;
    if (!result) {
      const auto start = std::chrono::steady_clock::now();
      std::string unavailable;
      result = runInspectionChild(entry, &unavailable);
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
      if (result) {
        Poco::Logger::get("rdk.plugin")
            .debug("inspected " + entry.row.name + " in a child in " + std::to_string(ms) +
                   " ms: " + result->at("status").asText());
        if (identity)
          storeInspection(s.cacheFile, entry.libraryPath, *identity, *result);
      } else if (entry.needsProbe()) {
        result = makeResult(status::kProbeFailed, "cannot run the probe: " + unavailable);
      } else if (s.childExe.empty()) {
        // No child executable at all (an embedder with no rdkernel beside it): the plugin is
        // loaded unchecked, as before; nothing is cached.
        Poco::Logger::get("rdk.plugin")
            .information("loading " + entry.row.name +
                         " without a child inspection: " + unavailable);
        return true;
      } else {
        // Never fall back to loading unchecked: passed over for now, not cached.
        result = makeResult(status::kLoadFailed,
                            "not loaded: cannot inspect it in a child first: " + unavailable);
      }
    }
    applyInspection(entry, *result);
  }
  if (entry.usable())
    return true;
  Poco::Logger::get("rdk.plugin")
      .warning(entry.row.name + ": " + entry.row.status + ": " + entry.row.reason);
  if (whyNot)
    *whyNot = entry.row.name + ": " + entry.row.status + ": " + entry.row.reason;
  return false;
}

std::string Registry::inspectHere(const std::string& nameOrPath,
                                  const rdk::config::Config& config) {
  HostServices::instance().setConfig(config);
  std::string path = nameOrPath;
  if (nameOrPath.find('/') == std::string::npos) {
    path.clear();
    for (const std::string& dir : pluginSearchDirs(config.getList("plugins.path"))) {
      const std::string manifest = dir + "/rdk-" + nameOrPath + ".rdkplugin.json";
      if (std::filesystem::exists(manifest)) {
        path = manifest;
        break;
      }
    }
    if (path.empty()) {
      return makeResult(status::kNotAPlugin, "no plugin named '" + nameOrPath + "'").dump();
    }
  }
  // The parent already applied its allow/deny policy; the child only checks the file.
  const CatalogEntry entry = scanFile(path, ScanPolicy{});
  if (!entry.usable())
    return makeResult(entry.row.status, entry.row.reason).dump();
  announcePhase("load");
  const LoadOutcome opened = openPlugin(entry);
  if (opened.status != status::kOk)
    return makeResult(opened.status, opened.reason).dump();
  announcePhase("init");
  void* state = nullptr;
  const LoadOutcome init =
      initPlugin(*opened.descriptor, HostServices::instance().apiFor(entry.row.name), &state);
  if (init.status != status::kOk)
    return makeResult(init.status, init.reason).dump();
  Value result = makeResult(status::kOk, "");
  if (entry.needsProbe()) {
    announcePhase("probe");
    result = runProbe(*opened.descriptor, state);
  }
  announcePhase("shutdown");
  if (opened.descriptor->shutdown)
    opened.descriptor->shutdown(state);
  announcePhase("done");
  return result.dump();
}

}  // namespace rdk::plugin
