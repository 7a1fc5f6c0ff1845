// The udp plugin's declared settings (settings.json) as options; see udp_settings.hpp.
#include "udp_settings.hpp"

#include <optional>

#include "rdk/json.hpp"

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

std::string withDeclaredSettings(const std::string& text, const Host& host) {
  json::Value o = json::Value::object();
  try {
    if (!text.empty())
      o = json::Value::parse(text);
  } catch (const json::ParseError&) {
    return text;  // parseUdpOptions says what is wrong with it
  }
  if (!o.isObject())
    return text;
  bool added = false;
  for (const DeclaredSetting& s : kSettings) {
    if (o.has(s.option))
      continue;
    const std::optional<std::string> value = host.config(s.key);
    if (!value || value->empty())
      continue;
    if (s.boolean) {
      o.set(s.option, *value == "true" || *value == "yes" || *value == "on" || *value == "1");
    } else {
      try {
        const double d = std::stod(*value);
        if (d == static_cast<double>(static_cast<int64_t>(d)))
          o.set(s.option, static_cast<int64_t>(d));  // 1400, not 1400.0
        else
          o.set(s.option, d);
      } catch (const std::exception&) {
        throw Error(RDK_E_INVALID_ARG, std::string(s.key) + " is not a number: " + *value);
      }
    }
    added = true;
  }
  if (!added)
    return text;
  return o.dump();
}

}  // namespace rdk::udp
