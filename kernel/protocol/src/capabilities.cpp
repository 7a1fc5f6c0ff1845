#include "rdk/protocol/capabilities.h"

#include <algorithm>

namespace rdk::protocol {
namespace {

// A nested dict may carry the parent's own value under the key "".
const Value* unwrapSelf(const Value* v) {
  if (v != nullptr && v->isDict()) {
    if (const Value* self = v->find(""))
      return self;
  }
  return v;
}

const Value* lookup(const Value& dict, std::string_view key, int depth) {
  if (depth > 16)
    return nullptr;  // dotted keys deeper than this are not capabilities
  if (const Value* exact = dict.find(key))
    return exact;
  for (size_t dot = key.find('.'); dot != std::string_view::npos; dot = key.find('.', dot + 1)) {
    const Value* parent = dict.find(key.substr(0, dot));
    if (parent != nullptr && parent->isDict()) {
      if (const Value* found = lookup(*parent, key.substr(dot + 1), depth + 1))
        return found;
    }
  }
  return nullptr;
}

}  // namespace

const Value* Capabilities::get(std::string_view key) const {
  const Value* v = lookup(caps_, key, 0);
  // "encodings" given as {"": [...], "core": [...]}: the "" entry is the value itself.
  return v != nullptr && v->isDict() && v->find("") != nullptr ? unwrapSelf(v) : v;
}

std::optional<std::string> Capabilities::getString(std::string_view key) const {
  const Value* v = get(key);
  if (v == nullptr || !v->isBytes())
    return std::nullopt;
  return v->asBytes();
}

std::optional<int64_t> Capabilities::getInt(std::string_view key) const {
  const Value* v = get(key);
  if (v == nullptr || !(v->isInt() || v->isBool()))
    return std::nullopt;
  return v->asInt();
}

std::optional<bool> Capabilities::getBool(std::string_view key) const {
  const Value* v = get(key);
  if (v == nullptr)
    return std::nullopt;
  if (v->isBool() || v->isInt())
    return v->asBool();
  // Some peers send "true"/"false" strings (e.g. from config files).
  if (v->isBytes()) {
    const std::string& s = v->asBytes();
    if (s == "true" || s == "True" || s == "1" || s == "yes" || s == "on")
      return true;
    if (s == "false" || s == "False" || s == "0" || s == "no" || s == "off")
      return false;
  }
  return std::nullopt;
}

std::vector<std::string> Capabilities::getStringList(std::string_view key) const {
  std::vector<std::string> out;
  const Value* v = get(key);
  if (v == nullptr)
    return out;
  if (v->isBytes()) {
    std::string_view s = v->asBytes();
    while (!s.empty()) {
      size_t comma = s.find(',');
      std::string_view item = s.substr(0, comma);
      if (!item.empty())
        out.emplace_back(item);
      if (comma == std::string_view::npos)
        break;
      s.remove_prefix(comma + 1);
    }
    return out;
  }
  if (!v->isList())
    return out;
  for (const auto& item : v->asList()) {
    if (item.isBytes())
      out.push_back(item.asBytes());
  }
  return out;
}

std::vector<int64_t> Capabilities::getIntList(std::string_view key) const {
  std::vector<int64_t> out;
  const Value* v = get(key);
  if (v == nullptr || !v->isList())
    return out;
  for (const auto& item : v->asList()) {
    if (item.isInt())
      out.push_back(item.asInt());
  }
  return out;
}

std::map<int64_t, std::string> Capabilities::aliases() const {
  std::map<int64_t, std::string> out;
  const Value* v = lookup(caps_, "aliases", 0);
  if (v == nullptr || !v->isDict())
    return out;
  for (const auto& [name, id] : v->asDict()) {
    if (name.isBytes() && id.isInt())
      out[id.asInt()] = name.asBytes();
  }
  return out;
}

PacketEncoding chooseEncoding(const Capabilities& peer) {
  return peer.getBool("rencode", false) ? PacketEncoding::Rencode : PacketEncoding::Bencode;
}

std::pair<Compression, int> chooseCompression(const Capabilities& peer) {
  int level =
      static_cast<int>(std::clamp<int64_t>(peer.getInt("compression_level").value_or(1), 0, 9));
  if (level == 0)
    return {Compression::None, 0};
  std::vector<std::string> names = peer.getStringList("compressors");
  auto offered = [&](const char* name) {
    return std::find(names.begin(), names.end(), name) != names.end() || peer.getBool(name, false);
  };
  if (offered("lz4"))
    return {Compression::Lz4, level};
  if (offered("zlib"))
    return {Compression::Zlib, level};
  return {Compression::None, 0};
}

}  // namespace rdk::protocol
