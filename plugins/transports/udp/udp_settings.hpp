// The transport.udp.* settings the udp plugin declares (udp/settings.json), shared with the dtls
// plugin, whose sessions run the same reliability core.
#pragma once

#include <string>

#include "rdk/plugin.hpp"

namespace rdk::udp {

/// |json| with each declared setting that is set (the kernel validated its value) added where the
/// kernel's options_json does not carry its option: what the kernel passed wins. A document that
/// is not an object comes back as it is, for parseUdpOptions to refuse.
std::string withDeclaredSettings(const std::string& json, const Host& host);

}  // namespace rdk::udp
