// rdk::json writer: strings and numbers as JSON text, and the UTF-8 rules both directions share.
// Strings are UTF-8; quotes, backslashes and control characters are escaped (\n, \t, ... or
// \u00XX), other UTF-8 passes through as it is, and bytes that are not UTF-8 become U+FFFD so that
// the text is always valid JSON. Numbers are the shortest text that reads back as the same double
// (0.1, not 0.10000000000000001); non-finite numbers are null, as JSON has none.
#pragma once

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace rdk::json {

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

}  // namespace rdk::json
