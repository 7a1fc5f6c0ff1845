// Small JSON text helpers for the metadata the x11 platforms hand across the ABI, on rdk::json.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rdk/json.hpp"

namespace rdk::x11 {

/// |s| as a JSON string literal (rdk::json::quote: bytes that are not UTF-8 become U+FFFD)
/// without its control characters: titles and names never need them and a client would show
/// them as boxes.
inline std::string jsonString(const std::string& s) {
  std::string visible;
  for (char ch : s) {
    if (static_cast<unsigned char>(ch) >= 0x20)
      visible += ch;
  }
  return json::quote(visible);
}

inline std::string jsonStringList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i)
    out += (i ? "," : "") + jsonString(items[i]);
  return out + "]";
}

/// ICCCM STRING properties are Latin-1; clients get UTF-8.
inline std::string latin1ToUtf8(const std::string& s) {
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
    }
  }
  return out;
}

}  // namespace rdk::x11
