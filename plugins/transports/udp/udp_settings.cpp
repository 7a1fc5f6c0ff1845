// The udp plugin's declared settings (settings.json) as options; see udp_settings.hpp.
#include "udp_settings.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <optional>
#include <sstream>

namespace rdk::udp {

namespace {

// The settings this plugin declares (settings.json) and the option each fills when the kernel's
// options_json does not carry it; empty means the plugin's default (docs/udp.md).
struct DeclaredSetting {
  const char* key;
  const char* option;
  bool boolean;
};
const DeclaredSetting kSettings[] = {
    {"transport.udp.max-mtu", "max_mtu", false},
    {"transport.udp.probe-mtu", "probe_mtu", true},
    {"transport.udp.send-buffer-bytes", "send_buffer_bytes", false},
    {"transport.udp.receive-buffer-bytes", "receive_buffer_bytes", false},
    {"transport.udp.receive-buffer-untrusted-bytes", "receive_buffer_untrusted_bytes", false},
    {"transport.udp.receive-buffer-total-bytes", "receive_buffer_total_bytes", false},
    {"transport.udp.receive-buffer-untrusted-total-bytes", "receive_buffer_untrusted_total_bytes",
     false},
    {"transport.udp.max-ack-delay-ms", "max_ack_delay_ms", false},
    {"transport.udp.max-rto-ms", "max_rto_ms", false},
    {"transport.udp.droppable-deadline-ms", "droppable_deadline_ms", false},
    {"transport.udp.connect-timeout-ms", "connect_timeout_ms", false},
    {"transport.udp.allow-roaming", "allow_roaming", true},
    {"transport.udp.initial-rate-kbps", "initial_rate_kbps", false},
    {"transport.udp.max-rate-kbps", "max_rate_kbps", false},
};

}  // namespace

std::string withDeclaredSettings(const std::string& json, const Host& host) {
  Poco::JSON::Object::Ptr o;
  try {
    o = json.empty() ? Poco::JSON::Object::Ptr(new Poco::JSON::Object)
                     : Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return json;  // parseUdpOptions says what is wrong with it
  }
  if (!o)
    return json;
  bool added = false;
  for (const DeclaredSetting& s : kSettings) {
    if (o->has(s.option))
      continue;
    const std::optional<std::string> value = host.config(s.key);
    if (!value || value->empty())
      continue;
    if (s.boolean) {
      o->set(s.option, *value == "true" || *value == "yes" || *value == "on" || *value == "1");
    } else {
      try {
        o->set(s.option, std::stod(*value));
      } catch (const std::exception&) {
        throw Error(RDK_E_INVALID_ARG, std::string(s.key) + " is not a number: " + *value);
      }
    }
    added = true;
  }
  if (!added)
    return json;
  std::ostringstream text;
  Poco::JSON::Stringifier::condense(o, text);
  return text.str();
}

}  // namespace rdk::udp
