// Manifest parsing and the descriptor-versus-manifest check.
#include "rdk/kernel/plugin_manifest.h"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "json_syntax.h"

namespace rdk::plugin {
namespace {

const Kind kAllKinds[] = {Kind::Encoder, Kind::Transport, Kind::Auth, Kind::Platform};

// Poco's message without its "JSON Exception: " prefix.
std::string parserMessage(const Poco::Exception& e) {
  return e.message().empty() ? e.displayText() : e.message();
}

Poco::Dynamic::Var parseJson(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(text);
  } catch (const Poco::Exception& e) {
    JsonErrorPlace place;
    if (!findJsonError(text, &place))
      throw ManifestError("invalid JSON: " + parserMessage(e));
    ManifestError error("invalid JSON at line " + std::to_string(place.line) + ", column " +
                        std::to_string(place.column) + " (byte " + std::to_string(place.offset) +
                        " of " + std::to_string(text.size()) + "): " + parserMessage(e));
    error.line = place.line;
    error.column = place.column;
    error.offset = place.offset;
    error.syntaxError = "invalid JSON (byte " + std::to_string(place.offset) + " of " +
                        std::to_string(text.size()) + "): " + parserMessage(e);
    throw error;
  }
}

std::string requireString(const Poco::JSON::Object::Ptr& obj, const std::string& key) {
  if (!obj->has(key) || !obj->get(key).isString()) {
    throw ManifestError("\"" + key + "\" must be a string");
  }
  return obj->getValue<std::string>(key);
}

int requireInt(const Poco::JSON::Object::Ptr& obj, const std::string& key) {
  if (!obj->has(key) || !obj->get(key).isInteger()) {
    throw ManifestError("\"" + key + "\" must be an integer");
  }
  try {
    return obj->getValue<int>(key);
  } catch (const Poco::RangeException&) {
    // 99999999999 is an integer to JSON, not to an int (the fuzzer's find: it escaped as
    // Poco::RangeException and took the whole plugin scan down).
    throw ManifestError("\"" + key + "\" is out of range: " + obj->get(key).toString());
  }
}

std::string stringify(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

std::vector<Feature> featuresFrom(const Poco::JSON::Array::Ptr& array, const std::string& plugin) {
  std::vector<Feature> features;
  for (size_t i = 0; i < array->size(); ++i) {
    Poco::JSON::Object::Ptr obj = array->getObject(static_cast<unsigned>(i));
    if (!obj)
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
    f.rank = obj->has("rank") ? requireInt(obj, "rank") : 0;
    f.plugin = plugin;
    f.properties = obj;
    features.push_back(std::move(f));
  }
  return features;
}

Manifest parseManifestJson(const std::string& text) {
  Poco::Dynamic::Var root = parseJson(text);
  Poco::JSON::Object::Ptr obj = root.type() == typeid(Poco::JSON::Object::Ptr)
                                    ? root.extract<Poco::JSON::Object::Ptr>()
                                    : nullptr;
  if (!obj)
    throw ManifestError("the manifest must be a JSON object");
  Manifest m;
  m.schema = requireInt(obj, "schema");
  if (m.schema != 1)
    throw ManifestError("unsupported manifest schema " + std::to_string(m.schema));
  m.name = requireString(obj, "name");
  m.version = requireString(obj, "version");
  Poco::JSON::Object::Ptr abi = obj->getObject("abi");
  if (!abi)
    throw ManifestError("\"abi\" must be an object {\"major\":..,\"minor\":..}");
  m.abiMajor = requireInt(abi, "major");
  m.abiMinor = requireInt(abi, "minor");
  m.library = requireString(obj, "library");
  if (m.library.empty() || m.library.find('/') != std::string::npos) {
    throw ManifestError("\"library\" must be a file name beside the manifest");
  }
  Poco::JSON::Array::Ptr kinds = obj->getArray("kinds");
  if (!kinds || kinds->size() == 0)
    throw ManifestError("\"kinds\" must be a non-empty array");
  for (size_t i = 0; i < kinds->size(); ++i) {
    const Poco::Dynamic::Var item = kinds->get(static_cast<unsigned>(i));
    if (!item.isString())  // null has no text at all (Poco::InvalidAccessException)
      throw ManifestError("\"kinds\" must be an array of strings");
    const std::optional<Kind> kind = parseKind(item.toString());
    if (!kind)
      throw ManifestError("unknown kind in \"kinds\"");
    m.kinds.push_back(*kind);
  }
  if (obj->has("probe"))
    m.probe = requireString(obj, "probe");
  if (m.probe != "none" && m.probe != "subprocess") {
    throw ManifestError("\"probe\" must be \"none\" or \"subprocess\"");
  }
  m.featuresJson = obj->getArray("features");
  if (!m.featuresJson)
    throw ManifestError("\"features\" must be an array");
  m.features = featuresFrom(m.featuresJson, m.name);
  if (obj->has("settings")) {
    Poco::JSON::Array::Ptr settings = obj->getArray("settings");
    if (!settings)
      throw ManifestError("\"settings\" must be an array");
    m.settings = settingsFrom(settings, m.name, m.kinds);
  }
  return m;
}

// A default or bound may be written as JSON text or as a number/bool: "8" and 8 alike.
std::string scalarText(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                       const std::string& where) {
  const Poco::Dynamic::Var v = obj->get(key);
  if (v.isString() || v.isNumeric() || v.isBoolean())
    return v.toString();
  throw ManifestError(where + ": \"" + key + "\" must be a string, number or boolean");
}

long long boundOf(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                  const std::string& where) {
  if (!obj->has(key) || !obj->get(key).isInteger())
    throw ManifestError(where + ": an int setting needs integer \"min\" and \"max\"");
  try {
    return obj->getValue<long long>(key);
  } catch (const Poco::Exception&) {
    throw ManifestError(where + ": \"" + key + "\" is out of range");
  }
}

}  // namespace

std::vector<rdk::config::PluginSetting> settingsFrom(const Poco::JSON::Array::Ptr& array,
                                                     const std::string& plugin,
                                                     const std::vector<Kind>& kinds) {
  std::vector<std::string> kindNames;
  for (Kind kind : kinds)
    kindNames.push_back(kindName(kind));
  std::vector<rdk::config::PluginSetting> settings;
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string where = "settings[" + std::to_string(i) + "]";
    Poco::JSON::Object::Ptr obj = array->getObject(static_cast<unsigned>(i));
    if (!obj)
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
      Poco::JSON::Array::Ptr choices = obj->getArray("choices");
      if (!choices || choices->size() == 0)
        throw ManifestError(where + ": an enum setting needs a \"choices\" array of strings");
      for (size_t c = 0; c < choices->size(); ++c) {
        const Poco::Dynamic::Var choice = choices->get(static_cast<unsigned>(c));
        if (!choice.isString() || choice.toString().empty() ||
            choice.toString().find('|') != std::string::npos)
          throw ManifestError(where + ": \"choices\" must be non-empty strings without '|'");
        s.choices += (s.choices.empty() ? "" : "|") + choice.toString();
      }
    }
    s.defaultValue = obj->has("default") ? scalarText(obj, "default", where) : "";
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
  } catch (const Poco::Exception& e) {
    // Whatever else Poco refuses in a well-formed document is still the manifest's fault: one
    // bad file must be a bad-manifest row, never an exception through the catalog.
    throw ManifestError("invalid manifest: " + e.displayText());
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
  Poco::Dynamic::Var root = parseJson(jsonArrayText);
  if (root.type() != typeid(Poco::JSON::Array::Ptr))
    throw ManifestError("not a JSON array");
  try {
    return featuresFrom(root.extract<Poco::JSON::Array::Ptr>(), plugin);
  } catch (const Poco::Exception& e) {
    throw ManifestError("invalid features: " + e.displayText());
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
      binaryFeatures = stringify(parseJson(d.features_json));
  } catch (const ManifestError& e) {
    return std::string("features: the binary's features_json is ") + e.what();
  }
  const std::string manifestFeatures = stringify(m.featuresJson);
  if (binaryFeatures != manifestFeatures) {
    return "features: manifest says " + manifestFeatures + ", binary says " + binaryFeatures;
  }
  return {};
}

}  // namespace rdk::plugin
