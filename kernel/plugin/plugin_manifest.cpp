// Manifest parsing and the descriptor-versus-manifest check.
#include "rdk/kernel/plugin_manifest.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "rdk/json/reader.hpp"

namespace rdk::plugin {
namespace {

using rdk::json::Value;

const Kind kAllKinds[] = {Kind::Encoder, Kind::Transport, Kind::Auth, Kind::Platform};

// The reader says at which byte the text goes wrong; people and editors want line:column.
Value parseJson(const std::string& text) {
  try {
    return Value::parse(text);
  } catch (const rdk::json::ParseError& e) {
    const size_t offset = std::min(e.offset(), text.size());
    size_t line = 1, lineStart = 0;
    for (size_t i = 0; i < offset; ++i) {
      if (text[i] == '\n') {
        ++line;
        lineStart = i + 1;
      }
    }
    const std::string place = "(byte " + std::to_string(offset) + " of " +
                              std::to_string(text.size()) + "): " + e.reason();
    ManifestError error("invalid JSON at line " + std::to_string(line) + ", column " +
                        std::to_string(offset - lineStart + 1) + " " + place);
    error.line = line;
    error.column = offset - lineStart + 1;
    error.offset = offset;
    error.syntaxError = "invalid JSON " + place;
    throw error;
  }
}

std::string requireString(const Value& obj, const std::string& key) {
  const Value* v = obj.find(key);
  if (!v || !v->isString())
    throw ManifestError("\"" + key + "\" must be a string");
  return v->asString();
}

int requireInt(const Value& obj, const std::string& key) {
  const Value* v = obj.find(key);
  if (!v || !v->isInt())
    throw ManifestError("\"" + key + "\" must be an integer");
  // 99999999999 is an integer to JSON, not to an int (a fuzzer's find).
  if (v->asInt() < INT_MIN || v->asInt() > INT_MAX)
    throw ManifestError("\"" + key + "\" is out of range: " + v->dump());
  return static_cast<int>(v->asInt());
}

// The same document whatever its key order: descriptor and manifest may list keys differently.
Value canonical(const Value& v) {
  if (v.isArray()) {
    Value out = Value::array();
    for (const Value& item : v.asArray())
      out.push(canonical(item));
    return out;
  }
  if (!v.isObject())
    return v;
  Value::Object members;
  for (const auto& [key, item] : v.asObject())
    members.emplace_back(key, canonical(item));
  std::sort(members.begin(), members.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return Value(std::move(members));
}

std::vector<Feature> featuresFrom(const Value& array, const std::string& plugin) {
  std::vector<Feature> features;
  const Value::Array& items = array.asArray();
  for (size_t i = 0; i < items.size(); ++i) {
    const Value& obj = items[i];
    if (!obj.isObject())
      throw ManifestError("features[" + std::to_string(i) + "] must be an object");
    Feature f;
    const std::optional<Kind> kind = parseKind(requireString(obj, "kind"));
    if (!kind)
      throw ManifestError("features[" + std::to_string(i) + "] has an unknown kind");
    f.kind = *kind;
    f.name = requireString(obj, "name");
    if (f.name.empty())
      throw ManifestError("features[" + std::to_string(i) + "] has no name");
    // The encoded result names its encoding in rdk_encoded::coding (char[24]): a longer name
    // would be cut short there and the client would get draws of an encoding it never heard of.
    if (f.kind == Kind::Encoder && f.name.size() >= kMaxEncodingNameBytes + 1) {
      throw ManifestError("features[" + std::to_string(i) + "]: encoding name '" + f.name +
                          "' is " + std::to_string(f.name.size()) +
                          " bytes; the ABI holds at most " + std::to_string(kMaxEncodingNameBytes) +
                          " (rdk_encoded::coding is char[24])");
    }
    f.rank = obj.has("rank") ? requireInt(obj, "rank") : 0;
    f.plugin = plugin;
    f.properties = obj;
    features.push_back(std::move(f));
  }
  return features;
}

Manifest parseManifestJson(const std::string& text) {
  const Value root = parseJson(text);
  if (!root.isObject())
    throw ManifestError("the manifest must be a JSON object");
  const Value& obj = root;
  Manifest m;
  m.schema = requireInt(obj, "schema");
  if (m.schema != 1)
    throw ManifestError("unsupported manifest schema " + std::to_string(m.schema));
  m.name = requireString(obj, "name");
  m.version = requireString(obj, "version");
  const Value* abi = obj.find("abi");
  if (!abi || !abi->isObject())
    throw ManifestError("\"abi\" must be an object {\"major\":..,\"minor\":..}");
  m.abiMajor = requireInt(*abi, "major");
  m.abiMinor = requireInt(*abi, "minor");
  m.library = requireString(obj, "library");
  if (m.library.empty() || m.library.find('/') != std::string::npos) {
    throw ManifestError("\"library\" must be a file name beside the manifest");
  }
  const Value* kinds = obj.find("kinds");
  if (!kinds || !kinds->isArray() || kinds->asArray().empty())
    throw ManifestError("\"kinds\" must be a non-empty array");
  for (const Value& item : kinds->asArray()) {
    if (!item.isString())
      throw ManifestError("\"kinds\" must be an array of strings");
    const std::optional<Kind> kind = parseKind(item.asString());
    if (!kind)
      throw ManifestError("unknown kind in \"kinds\"");
    m.kinds.push_back(*kind);
  }
  if (obj.has("probe"))
    m.probe = requireString(obj, "probe");
  if (m.probe != "none" && m.probe != "subprocess") {
    throw ManifestError("\"probe\" must be \"none\" or \"subprocess\"");
  }
  const Value* features = obj.find("features");
  if (!features || !features->isArray())
    throw ManifestError("\"features\" must be an array");
  m.featuresJson = *features;
  m.features = featuresFrom(m.featuresJson, m.name);
  if (const Value* settings = obj.find("settings")) {
    if (!settings->isArray())
      throw ManifestError("\"settings\" must be an array");
    m.settings = settingsFrom(*settings, m.name, m.kinds);
  }
  return m;
}

// A default may be written as JSON text or as a number/bool: "8" and 8 alike (8.0 too).
std::string scalarText(const Value& obj, const std::string& key, const std::string& where) {
  const Value& v = obj.at(key);
  if (v.isFloat() && std::trunc(v.asDouble()) == v.asDouble() && std::fabs(v.asDouble()) < 1e15)
    return std::to_string(v.asInt());
  if (v.isString() || v.isNumber() || v.isBool())
    return v.asText();
  throw ManifestError(where + ": \"" + key + "\" must be a string, number or boolean");
}

long long boundOf(const Value& obj, const std::string& key, const std::string& where) {
  const Value* v = obj.find(key);
  if (!v || !v->isInt())
    throw ManifestError(where + ": an int setting needs integer \"min\" and \"max\"");
  return v->asInt();
}

}  // namespace

std::vector<rdk::config::PluginSetting> settingsFrom(const Value& array, const std::string& plugin,
                                                     const std::vector<Kind>& kinds) {
  std::vector<std::string> kindNames;
  for (Kind kind : kinds)
    kindNames.push_back(kindName(kind));
  std::vector<rdk::config::PluginSetting> settings;
  const Value::Array& items = array.asArray();
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string where = "settings[" + std::to_string(i) + "]";
    const Value& obj = items[i];
    if (!obj.isObject())
      throw ManifestError(where + " must be an object");
    rdk::config::PluginSetting s;
    s.plugin = plugin;
    s.key = requireString(obj, "key");
    const std::string keyProblem = rdk::config::checkPluginSettingKey(s.key, plugin, kindNames);
    if (!keyProblem.empty())
      throw ManifestError(where + ": " + keyProblem);
    for (const auto& other : settings) {
      if (other.key == s.key)
        throw ManifestError(where + ": '" + s.key + "' is declared twice");
    }
    if (!rdk::config::parseSettingType(requireString(obj, "type"), &s.type)) {
      throw ManifestError(where + ": \"type\" must be string, int, bool, percent, list or enum");
    }
    s.help = requireString(obj, "help");
    if (s.help.empty() || s.help.find('\n') != std::string::npos)
      throw ManifestError(where + ": \"help\" must be one non-empty line");
    if (s.type == rdk::config::ValueType::Int) {
      s.minInt = boundOf(obj, "min", where);
      s.maxInt = boundOf(obj, "max", where);
      if (s.minInt > s.maxInt)
        throw ManifestError(where + ": \"min\" is above \"max\"");
    }
    if (s.type == rdk::config::ValueType::Enum) {
      const Value* choices = obj.find("choices");
      if (!choices || !choices->isArray() || choices->asArray().empty())
        throw ManifestError(where + ": an enum setting needs a \"choices\" array of strings");
      for (const Value& choice : choices->asArray()) {
        if (!choice.isString() || choice.asString().empty() ||
            choice.asString().find('|') != std::string::npos)
          throw ManifestError(where + ": \"choices\" must be non-empty strings without '|'");
        s.choices += (s.choices.empty() ? "" : "|") + choice.asString();
      }
    }
    s.defaultValue = obj.has("default") ? scalarText(obj, "default", where) : "";
    if (!s.defaultValue.empty()) {
      const std::string error = rdk::config::checkValue(s.entry(), s.defaultValue);
      if (!error.empty())
        throw ManifestError(where + ": default " + error);
    }
    settings.push_back(std::move(s));
  }
  return settings;
}

const char* kindName(Kind kind) {
  switch (kind) {
    case Kind::Encoder:
      return "encoder";
    case Kind::Transport:
      return "transport";
    case Kind::Auth:
      return "auth";
    case Kind::Platform:
      return "platform";
  }
  return "unknown";  // impossible: every Kind is handled above
}

std::optional<Kind> parseKind(const std::string& text) {
  for (Kind kind : kAllKinds) {
    if (text == kindName(kind))
      return kind;
  }
  return std::nullopt;
}

uint32_t kindBit(Kind kind) {
  switch (kind) {
    case Kind::Encoder:
      return RDK_KIND_ENCODER;
    case Kind::Transport:
      return RDK_KIND_TRANSPORT;
    case Kind::Auth:
      return RDK_KIND_AUTH;
    case Kind::Platform:
      return RDK_KIND_PLATFORM;
  }
  return 0;  // impossible: every Kind is handled above
}

std::string joinKinds(const std::vector<Kind>& kinds) {
  std::string out;
  for (Kind kind : kinds)
    out += (out.empty() ? "" : ",") + std::string(kindName(kind));
  return out;
}

std::string joinFeatureNames(const std::vector<Feature>& features) {
  std::vector<std::string> seen;  // an encoder and its decoder may share a name; list it once
  std::string out;
  for (const Feature& f : features) {
    if (std::find(seen.begin(), seen.end(), f.name) != seen.end())
      continue;
    seen.push_back(f.name);
    out += (out.empty() ? "" : ",") + f.name;
  }
  return out;
}

Manifest parseManifest(const std::string& text) {
  try {
    return parseManifestJson(text);
  } catch (const ManifestError&) {
    throw;
  } catch (const rdk::json::TypeError& e) {
    // Whatever else is wrong in a well-formed document is still the manifest's fault: one bad
    // file must be a bad-manifest row, never an exception through the catalog.
    throw ManifestError(std::string("invalid manifest: ") + e.what());
  }
}

Manifest readManifest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ManifestError("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > (1u << 20))
    throw ManifestError("manifest larger than 1 MiB");
  try {
    return parseManifest(text.str());
  } catch (const ManifestError& e) {
    if (e.line == 0)
      throw;
    // file:line:column, as compilers say it, so an editor can jump there.
    ManifestError located(std::filesystem::path(path).filename().string() + ":" +
                          std::to_string(e.line) + ":" + std::to_string(e.column) + ": " +
                          e.syntaxError);
    located.line = e.line;
    located.column = e.column;
    located.offset = e.offset;
    located.syntaxError = e.syntaxError;
    throw located;
  }
}

std::vector<Feature> parseFeatures(const std::string& jsonArrayText, const std::string& plugin) {
  const Value root = parseJson(jsonArrayText);
  if (!root.isArray())
    throw ManifestError("not a JSON array");
  try {
    return featuresFrom(root, plugin);
  } catch (const rdk::json::TypeError& e) {
    throw ManifestError(std::string("invalid features: ") + e.what());
  }
}

std::string compareDescriptor(const rdk_plugin_descriptor& d, const Manifest& m) {
  if (d.abi_major != m.abiMajor || d.abi_minor != m.abiMinor) {
    return "abi: manifest says " + std::to_string(m.abiMajor) + "." + std::to_string(m.abiMinor) +
           ", binary says " + std::to_string(d.abi_major) + "." + std::to_string(d.abi_minor);
  }
  const std::string name = d.name ? d.name : "";
  if (name != m.name)
    return "name: manifest says '" + m.name + "', binary says '" + name + "'";
  const std::string version = d.version ? d.version : "";
  if (version != m.version) {
    return "version: manifest says '" + m.version + "', binary says '" + version + "'";
  }
  uint32_t bits = 0;
  for (Kind kind : m.kinds)
    bits |= kindBit(kind);
  if (bits != d.kinds) {
    return "kinds: manifest says " + std::to_string(bits) + ", binary says " +
           std::to_string(d.kinds);
  }
  std::string binaryFeatures = "(none)";
  try {
    if (d.features_json)
      binaryFeatures = canonical(parseJson(d.features_json)).dump();
  } catch (const ManifestError& e) {
    return std::string("features: the binary's features_json is ") + e.what();
  }
  const std::string manifestFeatures = canonical(m.featuresJson).dump();
  if (binaryFeatures != manifestFeatures) {
    return "features: manifest says " + manifestFeatures + ", binary says " + binaryFeatures;
  }
  return {};
}

}  // namespace rdk::plugin
