// rdk::json document model: one JSON value (null, boolean, integer, float, string, array, object)
// with typed accessors and lookups, written compact or indented. Value::parse comes with
// rdk/json/reader.hpp, which this header includes at its end.
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "rdk/json/writer.hpp"

namespace rdk::json {

/// Wrong type or missing key when reading a parsed document.
class TypeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One JSON value. Objects keep their keys in order (a repeated key replaces the earlier value).
class Value {
 public:
  // Boolean, not Bool: X11 headers #define Bool.
  enum class Type { Null, Boolean, Int, Float, String, Array, Object };
  using Array = std::vector<Value>;
  using Object = std::vector<std::pair<std::string, Value>>;

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : v_(b) {}
  Value(int i) : v_(int64_t{i}) {}
  Value(unsigned i) : v_(int64_t{i}) {}
  Value(long i) : v_(int64_t{i}) {}
  Value(long long i) : v_(int64_t{i}) {}
  Value(unsigned long i) : v_(static_cast<int64_t>(i)) {}
  Value(unsigned long long i) : v_(static_cast<int64_t>(i)) {}
  Value(double d) : v_(d) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(std::string_view s) : v_(std::string(s)) {}
  Value(Array a) : v_(std::move(a)) {}
  Value(Object o) : v_(std::move(o)) {}

  static Value object() { return Value(Object{}); }
  static Value array() { return Value(Array{}); }

  Type type() const { return static_cast<Type>(v_.index()); }
  bool isNull() const { return type() == Type::Null; }
  bool isBool() const { return type() == Type::Boolean; }
  bool isInt() const { return type() == Type::Int; }
  bool isFloat() const { return type() == Type::Float; }
  bool isNumber() const { return isInt() || isFloat(); }
  bool isString() const { return type() == Type::String; }
  bool isArray() const { return type() == Type::Array; }
  bool isObject() const { return type() == Type::Object; }

  bool asBool() const {
    if (!isBool())
      throw TypeError("expected true or false, got " + typeName());
    return std::get<bool>(v_);
  }
  /// An integer, or a float with no fraction within int64's range.
  int64_t asInt() const {
    if (isInt())
      return std::get<int64_t>(v_);
    if (isFloat()) {
      const double d = std::get<double>(v_);
      if (std::trunc(d) == d && d >= -9.2e18 && d <= 9.2e18)
        return static_cast<int64_t>(d);
      throw TypeError("expected an integer, got " + dump());
    }
    throw TypeError("expected an integer, got " + typeName());
  }
  double asDouble() const {
    if (isFloat())
      return std::get<double>(v_);
    if (isInt())
      return static_cast<double>(std::get<int64_t>(v_));
    throw TypeError("expected a number, got " + typeName());
  }
  const std::string& asString() const {
    if (!isString())
      throw TypeError("expected a string, got " + typeName());
    return std::get<std::string>(v_);
  }
  std::string& asString() {
    if (!isString())
      throw TypeError("expected a string, got " + typeName());
    return std::get<std::string>(v_);
  }
  /// A number, or a string that is one ("5000"): options that the kernel passes as settings
  /// (text) or as numbers.
  double asNumber() const {
    if (isNumber())
      return asDouble();
    if (isString()) {
      const std::string& s = std::get<std::string>(v_);
      double d = 0;
      const auto r = std::from_chars(s.data(), s.data() + s.size(), d);
      if (!s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size())
        return d;
      throw TypeError("expected a number, got \"" + s + "\"");
    }
    throw TypeError("expected a number, got " + typeName());
  }
  /// true/false, or a string or number that says so (true/false, yes/no, on/off, 1/0).
  bool asFlag() const {
    if (isBool())
      return asBool();
    if (isInt() && (asInt() == 0 || asInt() == 1))
      return asInt() == 1;
    if (isString()) {
      const std::string& s = std::get<std::string>(v_);
      if (s == "true" || s == "yes" || s == "on" || s == "1")
        return true;
      if (s == "false" || s == "no" || s == "off" || s == "0")
        return false;
      throw TypeError("expected true or false, got \"" + s + "\"");
    }
    throw TypeError("expected true or false, got " + typeName());
  }
  /// A string as it is, anything else as its JSON text (5, true, null): for options that a
  /// caller may pass either way.
  std::string asText() const { return isString() ? std::get<std::string>(v_) : dump(); }
  const Array& asArray() const {
    if (!isArray())
      throw TypeError("expected an array, got " + typeName());
    return std::get<Array>(v_);
  }
  Array& asArray() {
    if (!isArray())
      throw TypeError("expected an array, got " + typeName());
    return std::get<Array>(v_);
  }
  const Object& asObject() const {
    if (!isObject())
      throw TypeError("expected an object, got " + typeName());
    return std::get<Object>(v_);
  }
  Object& asObject() {
    if (!isObject())
      throw TypeError("expected an object, got " + typeName());
    return std::get<Object>(v_);
  }

  /// The member |key| of an object; nullptr when absent or when this is not an object.
  const Value* find(std::string_view key) const {
    if (!isObject())
      return nullptr;
    for (const auto& [k, v] : std::get<Object>(v_)) {
      if (k == key)
        return &v;
    }
    return nullptr;
  }
  bool has(std::string_view key) const { return find(key) != nullptr; }
  /// The member |key|; throws TypeError when absent.
  const Value& at(std::string_view key) const {
    const Value* v = find(key);
    if (!v)
      throw TypeError("missing key '" + std::string(key) + "'");
    return *v;
  }
  /// Sets the member |key| (appended, or replaced in place). Throws unless this is an object.
  Value& set(std::string_view key, Value v) {
    Object& o = asObject();
    for (auto& [k, item] : o) {
      if (k == key) {
        item = std::move(v);
        return item;
      }
    }
    o.emplace_back(std::string(key), std::move(v));
    return o.back().second;
  }
  void push(Value v) { asArray().push_back(std::move(v)); }

  /// Typed lookups with a default for an absent (or null) member; a present member of another
  /// type throws TypeError naming the key.
  std::string getString(std::string_view key, const std::string& fallback = "") const {
    return get(key, fallback, [](const Value& v) { return v.asString(); });
  }
  bool getBool(std::string_view key, bool fallback = false) const {
    return get(key, fallback, [](const Value& v) { return v.asBool(); });
  }
  int64_t getInt(std::string_view key, int64_t fallback = 0) const {
    return get(key, fallback, [](const Value& v) { return v.asInt(); });
  }
  double getDouble(std::string_view key, double fallback = 0) const {
    return get(key, fallback, [](const Value& v) { return v.asDouble(); });
  }

  bool operator==(const Value& other) const { return v_ == other.v_; }
  bool operator!=(const Value& other) const { return !(*this == other); }

  std::string typeName() const {
    static const char* const kNames[] = {"null",     "a boolean", "an integer", "a number",
                                         "a string", "an array",  "an object"};
    return kNames[v_.index()];
  }

  /// JSON text: compact, or with |indent| spaces per level, one member or item a line (for
  /// files and listings that people read).
  std::string dump(int indent = 0) const {
    std::string out;
    write(out, indent);
    return out;
  }
  void write(std::string& out, int indent = 0) const { writeAt(out, indent, 0); }

  /// Parses one JSON document (surrounding white space allowed); throws ParseError.
  static Value parse(std::string_view text);

 private:
  static void newline(std::string& out, int indent, int level) {
    if (indent > 0) {
      out += '\n';
      out.append(static_cast<size_t>(indent) * static_cast<size_t>(level), ' ');
    }
  }
  void writeAt(std::string& out, int indent, int level) const {
    switch (type()) {
      case Type::Null:
        out += "null";
        return;
      case Type::Boolean:
        out += std::get<bool>(v_) ? "true" : "false";
        return;
      case Type::Int:
        writeNumber(out, std::get<int64_t>(v_));
        return;
      case Type::Float:
        writeNumber(out, std::get<double>(v_));
        return;
      case Type::String:
        writeString(out, std::get<std::string>(v_));
        return;
      case Type::Array: {
        const Array& items = std::get<Array>(v_);
        out += '[';
        for (size_t i = 0; i < items.size(); ++i) {
          out += i == 0 ? "" : ",";
          newline(out, indent, level + 1);
          items[i].writeAt(out, indent, level + 1);
        }
        if (!items.empty())
          newline(out, indent, level);
        out += ']';
        return;
      }
      case Type::Object: {
        const Object& members = std::get<Object>(v_);
        out += '{';
        for (size_t i = 0; i < members.size(); ++i) {
          out += i == 0 ? "" : ",";
          newline(out, indent, level + 1);
          writeString(out, members[i].first);
          out += indent > 0 ? ": " : ":";
          members[i].second.writeAt(out, indent, level + 1);
        }
        if (!members.empty())
          newline(out, indent, level);
        out += '}';
        return;
      }
    }
  }

  template <typename T, typename F>
  T get(std::string_view key, T fallback, F read) const {
    const Value* v = find(key);
    if (!v || v->isNull())
      return fallback;
    try {
      return read(*v);
    } catch (const TypeError& e) {
      throw TypeError("'" + std::string(key) + "': " + e.what());
    }
  }

  std::variant<std::monostate, bool, int64_t, double, std::string, Array, Object> v_;
};

}  // namespace rdk::json

// Value::parse is declared above and defined by the reader, which needs Value complete.
#include "rdk/json/reader.hpp"
