// UTF-8 helpers: validity check (JSON output) and code point encoding (JSON \u escapes).
#pragma once

#include <string>
#include <string_view>

namespace rdk::protocol {

bool isValidUtf8(std::string_view s);
void appendUtf8(unsigned codePoint, std::string& out);

}  // namespace rdk::protocol
