// Base64 (RFC 4648, with padding) for the JSON "$bytes" convention.
#pragma once

#include <string>
#include <string_view>

namespace rdk::protocol {

std::string base64Encode(std::string_view data);
// Throws ProtocolError on characters outside the alphabet or a bad length.
std::string base64Decode(std::string_view text);

}  // namespace rdk::protocol
