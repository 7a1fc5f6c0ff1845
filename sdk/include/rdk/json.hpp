// rdk::json: the one JSON reader and writer of rdkernel, header-only so that the kernel and every
// plugin compile the same source (plugins must not receive kernel C++ types across the ABI, but
// they may share code). The kernel's protocol::Value reads and writes JSON through it too.
//
// Writing: strings are UTF-8; quotes, backslashes and control characters are escaped (\n, \t, ...
// or \u00XX), other UTF-8 passes through as it is, and bytes that are not UTF-8 become U+FFFD so
// that the text is always valid JSON. Numbers are the shortest text that reads back as the same
// double (0.1, not 0.10000000000000001); non-finite numbers are null, as JSON has none.
// Reading: RFC 8259 strictly (no trailing commas, comments, raw control characters in strings,
// leading zeros or invalid UTF-8); any error throws json::ParseError "invalid JSON at offset N:
// why". Nesting is bounded (kMaxDepth) so that hostile input cannot exhaust the stack.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

namespace rdk::json {

constexpr int kMaxDepth = 200;

class ParseError : public std::runtime_error {
 public:
  ParseError(size_t offset, const std::string& what)
      : std::runtime_error("invalid JSON at offset " + std::to_string(offset) + ": " + what),
        offset_(offset) {}
  size_t offset() const { return offset_; }

 private:
  size_t offset_;
};

/// Wrong type or missing key when reading a parsed document.
class TypeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {

/// Length of the valid UTF-8 sequence at s[i] (1..4), or 0 when there is none (overlong forms,
/// surrogates and code points above U+10FFFF are invalid, as RFC 3629 says).
inline size_t utf8SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80)
    return 1;
  size_t n;
  unsigned lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0)
      lo = 0xA0;
    if (c == 0xED)
      hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0)
      lo = 0x90;
    if (c == 0xF4)
      hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size())
    return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi)
    return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
      return 0;
  }
  return n;
}

inline void appendUtf8(unsigned cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace detail

/// True when |s| is valid UTF-8 (what writeString passes through unchanged).
inline bool isValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = detail::utf8SequenceLength(s, i);
    if (n == 0)
      return false;
    i += n;
  }
  return true;
}

/// Appends |s| as a quoted JSON string.
inline void writeString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const size_t n = detail::utf8SequenceLength(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not UTF-8
        ++i;
      } else {
        out.append(s, i, n);
        i += n;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

/// |s| as a quoted JSON string.
inline std::string quote(std::string_view s) {
  std::string out;
  writeString(out, s);
  return out;
}

/// Appends |d| as the shortest text that reads back as the same double, with ".0" when that
/// would look like an integer (so that a reader keeps it a float); null when not finite.
inline void writeNumber(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  char buf[40];
  const auto written = std::to_chars(buf, buf + sizeof buf, d);
  const std::string_view text(buf, static_cast<size_t>(written.ptr - buf));
  out += text;
  if (text.find_first_of(".eE") == std::string_view::npos)
    out += ".0";
}

inline void writeNumber(std::string& out, int64_t i) {
  out += std::to_string(i);
}

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

  /// Compact JSON text.
  std::string dump() const {
    std::string out;
    write(out);
    return out;
  }
  void write(std::string& out) const {
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
        out += '[';
        bool first = true;
        for (const Value& item : std::get<Array>(v_)) {
          if (!first)
            out += ',';
          first = false;
          item.write(out);
        }
        out += ']';
        return;
      }
      case Type::Object: {
        out += '{';
        bool first = true;
        for (const auto& [k, item] : std::get<Object>(v_)) {
          if (!first)
            out += ',';
          first = false;
          writeString(out, k);
          out += ':';
          item.write(out);
        }
        out += '}';
        return;
      }
    }
  }

  /// Parses one JSON document (surrounding white space allowed); throws ParseError.
  static Value parse(std::string_view text);

 private:
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

namespace detail {

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Value document() {
    Value v = value(0);
    space();
    if (pos_ != text_.size())
      fail("trailing characters after the value");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw ParseError(pos_, what); }

  void space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool word(std::string_view w) {
    if (text_.substr(pos_, w.size()) == w) {
      pos_ += w.size();
      return true;
    }
    return false;
  }

  Value value(int depth) {
    if (depth > kMaxDepth)
      fail("nesting deeper than " + std::to_string(kMaxDepth));
    space();
    if (pos_ >= text_.size())
      fail("unexpected end of text");
    const char c = text_[pos_];
    if (c == '{')
      return object(depth);
    if (c == '[')
      return array(depth);
    if (c == '"')
      return Value(string());
    if (c == '-' || (c >= '0' && c <= '9'))
      return number();
    if (word("true"))
      return Value(true);
    if (word("false"))
      return Value(false);
    if (word("null"))
      return Value();
    fail(std::string("unexpected character '") + c + "'");
  }

  Value object(int depth) {
    ++pos_;
    Value result = Value::object();
    space();
    if (consume('}'))
      return result;
    while (true) {
      space();
      if (pos_ >= text_.size() || text_[pos_] != '"')
        fail("expected a string key");
      std::string key = string();
      space();
      if (!consume(':'))
        fail("expected ':'");
      Value item = value(depth + 1);
      result.set(key, std::move(item));
      space();
      if (consume(','))
        continue;
      if (consume('}'))
        return result;
      fail("expected ',' or '}'");
    }
  }

  Value array(int depth) {
    ++pos_;
    Value::Array items;
    space();
    if (consume(']'))
      return Value(std::move(items));
    while (true) {
      items.push_back(value(depth + 1));
      space();
      if (consume(','))
        continue;
      if (consume(']'))
        return Value(std::move(items));
      fail("expected ',' or ']'");
    }
  }

  unsigned hex4() {
    if (pos_ + 4 > text_.size())
      fail("short \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = text_[pos_];
      v <<= 4;
      if (h >= '0' && h <= '9')
        v |= static_cast<unsigned>(h - '0');
      else if (h >= 'a' && h <= 'f')
        v |= static_cast<unsigned>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        v |= static_cast<unsigned>(h - 'A' + 10);
      else
        fail("bad hex digit in \\u escape");
      ++pos_;
    }
    return v;
  }

  std::string string() {
    ++pos_;  // the opening quote
    std::string out;
    while (true) {
      if (pos_ >= text_.size())
        fail("unterminated string");
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20)
        fail("control character in a string (escape it)");
      if (c >= 0x80) {
        const size_t n = utf8SequenceLength(text_, pos_);
        if (n == 0)
          fail("invalid UTF-8");
        out.append(text_, pos_, n);
        pos_ += n;
        continue;
      }
      ++pos_;
      if (c != '\\') {
        out += static_cast<char>(c);
        continue;
      }
      if (pos_ >= text_.size())
        fail("unterminated escape");
      const char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          unsigned cp = hex4();
          if (cp >= 0xDC00 && cp < 0xE000)
            fail("lone low surrogate");
          if (cp >= 0xD800 && cp < 0xDC00) {
            if (!word("\\u"))
              fail("high surrogate without its low half");
            const unsigned low = hex4();
            if (low < 0xDC00 || low >= 0xE000)
              fail("bad surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          appendUtf8(cp, out);
          break;
        }
        default:
          pos_ -= 2;
          fail(std::string("bad escape '\\") + e + "'");
      }
    }
  }

  Value number() {
    const size_t start = pos_;
    const auto digits = [&] {
      const size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9')
        ++pos_;
      return pos_ - from;
    };
    consume('-');
    const size_t intStart = pos_;
    const size_t intDigits = digits();
    if (intDigits == 0)
      fail("expected a digit");
    if (intDigits > 1 && text_[intStart] == '0') {
      pos_ = intStart;
      fail("leading zero in a number");
    }
    bool isFloat = false;
    if (consume('.')) {
      isFloat = true;
      if (digits() == 0)
        fail("expected a digit after '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      isFloat = true;
      if (!consume('+'))
        consume('-');
      if (digits() == 0)
        fail("expected a digit in the exponent");
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    if (!isFloat) {
      int64_t i = 0;
      const auto r = std::from_chars(first, last, i);
      if (r.ec == std::errc() && r.ptr == last)
        return Value(i);
      // Beyond int64: read as a double, as JavaScript would.
    }
    double d = 0;
    const auto r = std::from_chars(first, last, d);
    if (r.ec == std::errc::result_out_of_range) {
      pos_ = start;
      fail("number out of range");
    }
    if (r.ec != std::errc() || r.ptr != last) {
      pos_ = start;
      fail("bad number");
    }
    return Value(d);
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace detail

inline Value Value::parse(std::string_view text) {
  return detail::Parser(text).document();
}

/// Shorthand: Value::parse.
inline Value parse(std::string_view text) {
  return Value::parse(text);
}

}  // namespace rdk::json
