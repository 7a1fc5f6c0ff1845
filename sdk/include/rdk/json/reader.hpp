// rdk::json reader: RFC 8259 strictly (no trailing commas, comments, raw control characters in
// strings, leading zeros or invalid UTF-8). Any error throws json::ParseError "invalid JSON at
// offset N: why", N being where the text goes wrong (its length when it ends early, a truncated
// file), so that callers can name a line and column. Nesting is bounded (kMaxDepth) so that
// hostile input cannot exhaust the stack.
#pragma once

#include <charconv>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

#include "rdk/json/document.hpp"

namespace rdk::json {

constexpr int kMaxDepth = 200;

class ParseError : public std::runtime_error {
 public:
  ParseError(size_t offset, const std::string& why)
      : std::runtime_error("invalid JSON at offset " + std::to_string(offset) + ": " + why),
        offset_(offset),
        reason_(why) {}
  size_t offset() const { return offset_; }
  /// What is wrong, without the offset ("unexpected end of text").
  const std::string& reason() const { return reason_; }

 private:
  size_t offset_;
  std::string reason_;
};

namespace detail {

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
    if (c == 't')
      return literal("true", Value(true));
    if (c == 'f')
      return literal("false", Value(false));
    if (c == 'n')
      return literal("null", Value());
    fail(std::string("unexpected character '") + c + "'");
  }

  // Fails at the first byte that differs ("tru" at the end of the text: at its end).
  Value literal(std::string_view w, Value v) {
    for (const char expected : w) {
      if (pos_ >= text_.size())
        fail("unexpected end of text");
      if (text_[pos_] != expected)
        fail(std::string("unexpected character '") + text_[pos_] + "' in " + std::string(w));
      ++pos_;
    }
    return v;
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
        fail("expected ':' after member name");
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
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      if (pos_ >= text_.size())
        fail("unterminated string literal");
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
        fail("unterminated string literal");
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
        fail("unterminated string literal");
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
            if (!word("\\u")) {
              if (std::string_view("\\u").substr(0, text_.size() - pos_) == text_.substr(pos_)) {
                pos_ = text_.size();  // the text ends before the low half
                fail("unterminated string literal");
              }
              fail("high surrogate without its low half");
            }
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
