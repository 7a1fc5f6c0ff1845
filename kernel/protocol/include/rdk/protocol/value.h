// Value: one Xpra packet value, the common model of the rencode and bencode dialects.
//
// Stock rencode 1.0.6 (what Xpra 3.1.3 uses) cannot tell text from bytes, so both are one
// type here (Bytes, a std::string of raw octets). Dicts keep insertion order because neither
// Xpra dialect sorts keys and byte-exact re-encoding of captured packets needs the order.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace rdk::protocol {

// Any malformed input or misuse of a Value (wrong type, undecodable bytes, bad layout).
class ProtocolError : public std::runtime_error {
 public:
  using runtime_error::runtime_error;
};

class Value {
 public:
  enum class Type { None, Bool, Int, Float, Bytes, List, Dict };
  using List = std::vector<Value>;
  using Dict = std::vector<std::pair<Value, Value>>;

  Value();
  Value(bool b);
  Value(int i);
  Value(unsigned i);
  Value(long i);
  Value(unsigned long i);  // throws ProtocolError above INT64_MAX
  Value(long long i);
  Value(unsigned long long i);  // throws ProtocolError above INT64_MAX
  Value(double d);
  Value(const char* s);
  Value(std::string s);
  Value(std::string_view s);
  Value(List l);
  Value(Dict d);

  Type type() const;
  bool isNone() const { return type() == Type::None; }
  bool isBool() const { return type() == Type::Bool; }
  bool isInt() const { return type() == Type::Int; }
  bool isFloat() const { return type() == Type::Float; }
  bool isBytes() const { return type() == Type::Bytes; }
  bool isList() const { return type() == Type::List; }
  bool isDict() const { return type() == Type::Dict; }

  int64_t asInt() const;   // accepts Bool
  bool asBool() const;     // accepts Int
  double asFloat() const;  // accepts Int
  const std::string& asBytes() const;
  const List& asList() const;
  List& asList();
  const Dict& asDict() const;
  Dict& asDict();

  // Dict lookup of a Bytes key; nullptr when absent or when this is not a dict.
  const Value* find(std::string_view key) const;
  // Dict insert (appended) or replace (position kept). Throws unless this is a Dict.
  Value& set(std::string_view key, Value v);

  bool operator==(const Value& other) const;
  bool operator!=(const Value& other) const { return !(*this == other); }

  // JSON view for logs, `--explain` input and tests: bytes are UTF-8 text when valid, else
  // {"$bytes":"<base64>"}; dict keys that are not Bytes are written as their JSON text.
  std::string toJson() const;
  // Objects become Dicts (keys Bytes), arrays Lists, integers Int, other numbers Float.
  static Value fromJson(std::string_view json);
  // Python-like short rendering, bytes shown as text or <N bytes>, cut at maxLen.
  std::string debugString(size_t maxLen = 200) const;

  static const char* typeName(Type t);

 private:
  std::variant<std::monostate, bool, int64_t, double, std::string, List, Dict> v_;
};

// [type, args...]; type is Bytes, or an Int alias on the wire.
using Packet = Value::List;

}  // namespace rdk::protocol
