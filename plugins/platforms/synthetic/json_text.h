// Writing small JSON texts (event metadata, input log lines) without a JSON library.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace rdk::synthetic {

/// |s| as a quoted JSON string.
inline std::string jsonString(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof(esc), "\\u%04x", c);
      out += esc;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

}  // namespace rdk::synthetic
