// Private: where a JSON text stops being valid, for error messages that point at it (Poco's parser
// says what went wrong but not where).
#pragma once

#include <cstddef>
#include <string>

namespace rdk::plugin {

struct JsonErrorPlace {
  size_t offset = 0;  // byte offset of the first byte that cannot continue the text
  size_t line = 1;    // 1-based
  size_t column = 1;  // 1-based, in bytes
};

/// The place of the first syntax error in |text| (RFC 8259): text.size() when the text ends early
/// (a truncated file). False when the text is valid JSON. Iterative: deep nesting costs no stack.
bool findJsonError(const std::string& text, JsonErrorPlace* place);

}  // namespace rdk::plugin
