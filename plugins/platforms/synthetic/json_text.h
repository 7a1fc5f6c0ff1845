// Writing small JSON texts (event metadata, input log lines) with rdk::json's writer.
#pragma once

#include <string>
#include <string_view>

#include "rdk/json.hpp"

namespace rdk::synthetic {

/// |s| as a quoted JSON string.
inline std::string jsonString(std::string_view s) {
  return json::quote(s);
}

}  // namespace rdk::synthetic
