// Capabilities: typed, read-only view of a hello dict. Xpra clients send flat dotted keys
// ("encodings.core"), some peers nest dicts ({"encodings": {"core": [...]}}, where a "" key stands
// for the parent itself); every getter accepts both forms.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rdk/protocol/record.h"
#include "rdk/protocol/value.h"

namespace rdk::protocol {

class Capabilities {
 public:
  Capabilities() : caps_(Value::Dict{}) {}
  explicit Capabilities(Value::Dict caps) : caps_(std::move(caps)) {}

  const Value* get(std::string_view key) const;
  bool has(std::string_view key) const { return get(key) != nullptr; }
  // nullopt when absent or of the wrong type (ints are accepted for bools and vice versa).
  std::optional<std::string> getString(std::string_view key) const;
  std::optional<int64_t> getInt(std::string_view key) const;
  std::optional<bool> getBool(std::string_view key) const;
  bool getBool(std::string_view key, bool fallback) const {
    return getBool(key).value_or(fallback);
  }
  // A list of strings; a single string gives a one-item list; a comma-separated string is split
  // (Xpra accepts both); items that are not strings are skipped.
  std::vector<std::string> getStringList(std::string_view key) const;
  std::vector<int64_t> getIntList(std::string_view key) const;

  // The peer's "aliases" dict {packet type -> int} turned around: int -> packet type. Give it to
  // RecordWriter::setAliases so packets to that peer use the ints.
  std::map<int64_t, std::string> aliases() const;

  const Value::Dict& dict() const { return caps_.asDict(); }
  const Value& value() const { return caps_; }

 private:
  Value caps_;
};

// Reference §1.10: rencode when the peer's "rencode" cap is true, else bencode.
PacketEncoding chooseEncoding(const Capabilities& peer);
// First of lz4, zlib named in the peer's "compressors" list or set as a boolean cap; level from
// "compression_level" (default 1, clamped to 0..9; 0 means no compression).
std::pair<Compression, int> chooseCompression(const Capabilities& peer);

}  // namespace rdk::protocol
