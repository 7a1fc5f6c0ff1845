// Positional field access for typed messages: every error names the packet, the field and its
// index, e.g. "draw: field 'wid' (1): expected int, got list".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rdk/protocol/value.h"

namespace rdk::protocol::detail {

class Fields {
 public:
  // Checks the packet type and that at least minArgs arguments follow it.
  Fields(const Packet& packet, std::string_view type, size_t minArgs);

  size_t argCount() const { return packet_.size() - 1; }
  bool has(size_t index) const { return index < packet_.size(); }

  const Value& any(size_t index, const char* name) const;
  int64_t integer(size_t index, const char* name) const;
  bool boolean(size_t index, const char* name) const;
  double number(size_t index, const char* name) const;
  const std::string& bytes(size_t index, const char* name) const;
  const Value::List& list(size_t index, const char* name) const;
  const Value::Dict& dict(size_t index, const char* name) const;
  // Dict, or the "" Xpra sends in place of an empty dict (e.g. challenge auth_caps).
  Value::Dict dictOrEmpty(size_t index, const char* name) const;
  std::vector<std::string> strings(size_t index, const char* name) const;
  std::vector<int64_t> integers(size_t index, const char* name) const;

  // Optional trailing fields: nullopt when the packet is shorter.
  std::optional<int64_t> optInteger(size_t index, const char* name) const;
  std::optional<bool> optBoolean(size_t index, const char* name) const;
  std::optional<std::string> optBytes(size_t index, const char* name) const;
  std::optional<Value::Dict> optDict(size_t index, const char* name) const;
  // Every argument from |index| on, as they are (e.g. ["server-event", event, *args]).
  Value::List rest(size_t index) const;

 private:
  [[noreturn]] void fail(size_t index, const char* name, const std::string& what) const;

  const Packet& packet_;
  std::string_view type_;
};

Value stringList(const std::vector<std::string>& items);
Value intList(const std::vector<int64_t>& items);

}  // namespace rdk::protocol::detail
