#include "rdk/protocol/value.h"

#include <cstdio>
#include <limits>

namespace rdk::protocol {
namespace {

int64_t checkedSigned(unsigned long long i) {
  if (i > static_cast<unsigned long long>(std::numeric_limits<int64_t>::max())) {
    throw ProtocolError("integer " + std::to_string(i) + " does not fit in 64 signed bits");
  }
  return static_cast<int64_t>(i);
}

[[noreturn]] void wrongType(const char* expected, Value::Type got) {
  throw ProtocolError(std::string("expected ") + expected + ", got " + Value::typeName(got));
}

}  // namespace

Value::Value() = default;
Value::Value(bool b) : v_(b) {}
Value::Value(int i) : v_(int64_t{i}) {}
Value::Value(unsigned i) : v_(int64_t{i}) {}
Value::Value(long i) : v_(int64_t{i}) {}
Value::Value(unsigned long i) : v_(checkedSigned(i)) {}
Value::Value(long long i) : v_(int64_t{i}) {}
Value::Value(unsigned long long i) : v_(checkedSigned(i)) {}
Value::Value(double d) : v_(d) {}
Value::Value(const char* s) : v_(std::string(s)) {}
Value::Value(std::string s) : v_(std::move(s)) {}
Value::Value(std::string_view s) : v_(std::string(s)) {}
Value::Value(List l) : v_(std::move(l)) {}
Value::Value(Dict d) : v_(std::move(d)) {}

Value::Type Value::type() const {
  switch (v_.index()) {
    case 0:
      return Type::None;
    case 1:
      return Type::Bool;
    case 2:
      return Type::Int;
    case 3:
      return Type::Float;
    case 4:
      return Type::Bytes;
    case 5:
      return Type::List;
    default:
      return Type::Dict;
  }
}

const char* Value::typeName(Type t) {
  switch (t) {
    case Type::None:
      return "none";
    case Type::Bool:
      return "bool";
    case Type::Int:
      return "int";
    case Type::Float:
      return "float";
    case Type::Bytes:
      return "bytes";
    case Type::List:
      return "list";
    case Type::Dict:
      return "dict";
  }
  return "unknown";  // impossible: every enumerator is handled above
}

int64_t Value::asInt() const {
  if (auto* i = std::get_if<int64_t>(&v_))
    return *i;
  if (auto* b = std::get_if<bool>(&v_))
    return *b ? 1 : 0;
  wrongType("int", type());
}

bool Value::asBool() const {
  if (auto* b = std::get_if<bool>(&v_))
    return *b;
  if (auto* i = std::get_if<int64_t>(&v_))
    return *i != 0;
  wrongType("bool", type());
}

double Value::asFloat() const {
  if (auto* d = std::get_if<double>(&v_))
    return *d;
  if (auto* i = std::get_if<int64_t>(&v_))
    return static_cast<double>(*i);
  wrongType("float", type());
}

const std::string& Value::asBytes() const {
  if (auto* s = std::get_if<std::string>(&v_))
    return *s;
  wrongType("bytes", type());
}

const Value::List& Value::asList() const {
  if (auto* l = std::get_if<List>(&v_))
    return *l;
  wrongType("list", type());
}

Value::List& Value::asList() {
  if (auto* l = std::get_if<List>(&v_))
    return *l;
  wrongType("list", type());
}

const Value::Dict& Value::asDict() const {
  if (auto* d = std::get_if<Dict>(&v_))
    return *d;
  wrongType("dict", type());
}

Value::Dict& Value::asDict() {
  if (auto* d = std::get_if<Dict>(&v_))
    return *d;
  wrongType("dict", type());
}

const Value* Value::find(std::string_view key) const {
  auto* d = std::get_if<Dict>(&v_);
  if (d == nullptr)
    return nullptr;
  for (const auto& [k, v] : *d) {
    if (k.isBytes() && k.asBytes() == key)
      return &v;
  }
  return nullptr;
}

Value& Value::set(std::string_view key, Value v) {
  Dict& d = asDict();
  for (auto& [k, existing] : d) {
    if (k.isBytes() && k.asBytes() == key) {
      existing = std::move(v);
      return existing;
    }
  }
  d.emplace_back(Value(key), std::move(v));
  return d.back().second;
}

bool Value::operator==(const Value& other) const {
  return v_ == other.v_;
}

namespace {

void appendDebug(const Value& v, std::string& out, size_t maxLen) {
  if (out.size() > maxLen)
    return;
  switch (v.type()) {
    case Value::Type::None:
      out += "None";
      break;
    case Value::Type::Bool:
      out += v.asBool() ? "True" : "False";
      break;
    case Value::Type::Int:
      out += std::to_string(v.asInt());
      break;
    case Value::Type::Float: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", v.asFloat());
      out += buf;
      break;
    }
    case Value::Type::Bytes: {
      const std::string& s = v.asBytes();
      bool printable = s.size() <= 64;
      for (unsigned char c : s)
        printable = printable && c >= 0x20 && c < 0x7f;
      if (printable) {
        out += '\'';
        out += s;
        out += '\'';
      } else {
        out += "<" + std::to_string(s.size()) + " bytes>";
      }
      break;
    }
    case Value::Type::List: {
      out += '[';
      bool first = true;
      for (const auto& item : v.asList()) {
        if (!first)
          out += ", ";
        first = false;
        appendDebug(item, out, maxLen);
        if (out.size() > maxLen)
          return;
      }
      out += ']';
      break;
    }
    case Value::Type::Dict: {
      out += '{';
      bool first = true;
      for (const auto& [k, item] : v.asDict()) {
        if (!first)
          out += ", ";
        first = false;
        appendDebug(k, out, maxLen);
        out += ": ";
        appendDebug(item, out, maxLen);
        if (out.size() > maxLen)
          return;
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string Value::debugString(size_t maxLen) const {
  std::string out;
  appendDebug(*this, out, maxLen);
  if (out.size() > maxLen) {
    out.resize(maxLen);
    out += "...";
  }
  return out;
}

}  // namespace rdk::protocol
