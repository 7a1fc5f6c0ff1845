// Value <-> JSON. A small hand-written codec: the protocol library must not depend on the
// kernel's JSON choice, and it needs the "$bytes" convention for binary strings.
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "base64.h"
#include "rdk/protocol/value.h"
#include "utf8.h"

namespace rdk::protocol {
namespace {

constexpr int kMaxJsonDepth = 200;

void appendJsonString(std::string_view s, std::string& out) {
  out += '"';
  for (unsigned char c : s) {
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
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void appendJson(const Value& v, std::string& out) {
  switch (v.type()) {
    case Value::Type::None:
      out += "null";
      return;
    case Value::Type::Bool:
      out += v.asBool() ? "true" : "false";
      return;
    case Value::Type::Int:
      out += std::to_string(v.asInt());
      return;
    case Value::Type::Float: {
      double d = v.asFloat();
      if (!std::isfinite(d)) {
        out += "null";  // JSON has no inf/nan
        return;
      }
      // The shortest text that reads back as the same double (5.002153, not %.17g's
      // 5.0021529999999998).
      char buf[40];
      const auto written = std::to_chars(buf, buf + sizeof buf, d);
      std::string_view text(buf, static_cast<size_t>(written.ptr - buf));
      out += text;
      if (text.find_first_of(".eE") == std::string_view::npos)
        out += ".0";
      return;
    }
    case Value::Type::Bytes:
      if (isValidUtf8(v.asBytes())) {
        appendJsonString(v.asBytes(), out);
      } else {
        out += "{\"$bytes\":\"" + base64Encode(v.asBytes()) + "\"}";
      }
      return;
    case Value::Type::List: {
      out += '[';
      bool first = true;
      for (const auto& item : v.asList()) {
        if (!first)
          out += ',';
        first = false;
        appendJson(item, out);
      }
      out += ']';
      return;
    }
    case Value::Type::Dict: {
      out += '{';
      bool first = true;
      for (const auto& [k, item] : v.asDict()) {
        if (!first)
          out += ',';
        first = false;
        if (k.isBytes()) {
          appendJsonString(k.asBytes(), out);
        } else if (k.type() == Value::Type::List || k.type() == Value::Type::Dict) {
          // A container key (rencode allows them) as its bounded debug form: its full JSON,
          // escaped once per level of keys inside keys, grows exponentially (a 41 kB packet made
          // 250 MB in the fuzzer).
          appendJsonString(k.debugString(), out);
        } else {
          appendJsonString(k.toJson(), out);
        }
        out += ':';
        appendJson(item, out);
      }
      out += '}';
      return;
    }
  }
}

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  Value parseDocument() {
    Value v = parseValue(0);
    skipSpace();
    if (pos_ != text_.size())
      fail("trailing characters");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw ProtocolError("invalid JSON at offset " + std::to_string(pos_) + ": " + what);
  }

  void skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }

  bool consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) == word) {
      pos_ += word.size();
      return true;
    }
    return false;
  }

  Value parseValue(int depth) {
    if (depth > kMaxJsonDepth)
      fail("nesting too deep");
    skipSpace();
    if (pos_ >= text_.size())
      fail("unexpected end");
    char c = text_[pos_];
    if (c == '{')
      return parseObject(depth);
    if (c == '[')
      return parseArray(depth);
    if (c == '"')
      return Value(parseString());
    if (consume("true"))
      return Value(true);
    if (consume("false"))
      return Value(false);
    if (consume("null"))
      return Value();
    return parseNumber();
  }

  Value parseObject(int depth) {
    ++pos_;
    Value::Dict dict;
    skipSpace();
    if (consume("}"))
      return Value(std::move(dict));
    while (true) {
      skipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"')
        fail("expected object key");
      std::string key = parseString();
      skipSpace();
      if (!consume(":"))
        fail("expected ':'");
      Value item = parseValue(depth + 1);
      dict.emplace_back(Value(std::move(key)), std::move(item));
      skipSpace();
      if (consume(","))
        continue;
      if (consume("}"))
        break;
      fail("expected ',' or '}'");
    }
    // {"$bytes": "..."} is how toJson() writes binary strings.
    if (dict.size() == 1 && dict[0].first.asBytes() == "$bytes" && dict[0].second.isBytes()) {
      return Value(base64Decode(dict[0].second.asBytes()));
    }
    return Value(std::move(dict));
  }

  Value parseArray(int depth) {
    ++pos_;
    Value::List list;
    skipSpace();
    if (consume("]"))
      return Value(std::move(list));
    while (true) {
      list.push_back(parseValue(depth + 1));
      skipSpace();
      if (consume(","))
        continue;
      if (consume("]"))
        break;
      fail("expected ',' or ']'");
    }
    return Value(std::move(list));
  }

  unsigned parseHex4() {
    if (pos_ + 4 > text_.size())
      fail("short \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      char h = text_[pos_++];
      v <<= 4;
      if (h >= '0' && h <= '9') {
        v |= static_cast<unsigned>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        v |= static_cast<unsigned>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        v |= static_cast<unsigned>(h - 'A' + 10);
      } else {
        fail("bad hex digit");
      }
    }
    return v;
  }

  std::string parseString() {
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= text_.size())
        fail("unterminated string");
      char c = text_[pos_++];
      if (c == '"')
        return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size())
        fail("unterminated escape");
      char e = text_[pos_++];
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
          unsigned cp = parseHex4();
          if (cp >= 0xD800 && cp < 0xDC00 && consume("\\u")) {
            unsigned low = parseHex4();
            if (low < 0xDC00 || low >= 0xE000)
              fail("bad surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          appendUtf8(cp, out);
          break;
        }
        default:
          fail("bad escape");
      }
    }
  }

  Value parseNumber() {
    size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-')
      ++pos_;
    bool isFloat = false;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c >= '0' && c <= '9') {
        ++pos_;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        isFloat = true;
        ++pos_;
      } else {
        break;
      }
    }
    std::string token(text_.substr(start, pos_ - start));
    if (token.empty() || token == "-")
      fail("unexpected character");
    char* end = nullptr;
    errno = 0;
    if (!isFloat) {
      long long v = std::strtoll(token.c_str(), &end, 10);
      if (errno == 0 && end == token.c_str() + token.size())
        return Value(v);
    }
    double d = std::strtod(token.c_str(), &end);
    if (end != token.c_str() + token.size())
      fail("bad number");
    return Value(d);
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::string Value::toJson() const {
  std::string out;
  appendJson(*this, out);
  return out;
}

Value Value::fromJson(std::string_view json) {
  return JsonParser(json).parseDocument();
}

}  // namespace rdk::protocol
