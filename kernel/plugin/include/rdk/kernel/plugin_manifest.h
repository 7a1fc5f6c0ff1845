// rdk-<name>.rdkplugin.json: what a plugin provides, readable without loading it.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "rdk/config/plugin_setting.h"
#include "rdk/json/document.hpp"
#include "rdk/kernel/plugin_registry.h"

namespace rdk::plugin {

/// The longest encoding name an encoder feature may have: rdk_encoded::coding is char[24].
inline constexpr size_t kMaxEncodingNameBytes = sizeof(rdk_encoded{}.coding) - 1;

struct Manifest {
  int schema = 1;
  std::string name;
  std::string version;
  int abiMajor = 0;
  int abiMinor = 0;
  std::string library;  // file name beside the manifest
  std::vector<Kind> kinds;
  std::string probe = "none";  // "none" or "subprocess"
  std::vector<Feature> features;
  rdk::json::Value featuresJson;  // the "features" array as the manifest has it
  /// "settings": the configuration keys the plugin reads, with type, default and help.
  std::vector<rdk::config::PluginSetting> settings;
};

class ManifestError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  /// Where a JSON syntax error lies (line and column 1-based; 0 for errors that are not JSON
  /// syntax), and the text after the place: "invalid JSON (byte 41 of 41): unexpected end of text".
  size_t line = 0, column = 0, offset = 0;
  std::string syntaxError;
};

/// Parses manifest text; throws ManifestError naming the first problem ("invalid JSON at line 3,
/// column 9 (byte 41): unexpected end of text" for a syntax error).
Manifest parseManifest(const std::string& text);
/// The same from a file; a syntax error reads "rdk-x.rdkplugin.json:3:9: invalid JSON (byte 41 of
/// 41): unexpected end of text".
Manifest readManifest(const std::string& path);

std::optional<Kind> parseKind(const std::string& text);
uint32_t kindBit(Kind kind);
std::string joinKinds(const std::vector<Kind>& kinds);               // "encoder,transport"
std::string joinFeatureNames(const std::vector<Feature>& features);  // "vp8,vp9"

/// Settings from a manifest's "settings" array (docs/plugins.md); throws ManifestError.
std::vector<rdk::config::PluginSetting> settingsFrom(const rdk::json::Value& array,
                                                     const std::string& plugin,
                                                     const std::vector<Kind>& kinds);

/// Features from a JSON array text (the descriptor's features_json); throws ManifestError.
std::vector<Feature> parseFeatures(const std::string& jsonArrayText, const std::string& plugin);

/// Empty when the loaded descriptor agrees with the manifest, else "field: what differs" for the
/// first field that differs (abi, name, version, kinds, features).
std::string compareDescriptor(const rdk_plugin_descriptor& descriptor, const Manifest& manifest);

}  // namespace rdk::plugin
