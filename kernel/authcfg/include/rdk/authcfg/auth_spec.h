// Xpra's authentication option syntax (--auth, --tcp-auth, --udp-auth, --ssl-auth...), parsed into
// what the auth plugins take: a module name and a flat JSON object of options.
//
//   "file:filename=/etc/pw,prompt=pin"  -> {"file", R"({"filename":"/etc/pw","prompt":"pin"})"}
//   "file,filename=/etc/pw"             -> {"file", R"({"filename":"/etc/pw"})"}
//   "none"                              -> {"none", "{}"}
//
// As in Xpra 3.1.3 (server_core.get_auth_module): the module ends at the first ':' or ',',
// whichever comes first; options are comma-separated key=value pairs split at the first '='; a
// repeated key keeps its last value. Values are strings (the plugins convert). Unlike Xpra, an
// option without
// '=' is an error rather than a warning: a typo in a security setting must not pass silently.
#pragma once

#include <map>
#include <string>

namespace rdk::authcfg {

struct AuthSpec {
  std::string module;       // e.g. "file"; Xpra's virtual "sys" is left for the caller to map
  std::string optionsJson;  // a JSON object, "{}" when there are no options
  std::map<std::string, std::string> options;  // the same options, for the kernel's own use
};

/// Throws std::invalid_argument with a message naming the problem (empty spec, empty module name,
/// an option without '=', an empty key).
AuthSpec parseAuthSpec(const std::string& spec);

/// |text| as a JSON string literal, quotes included: rdk::json::quote (sdk/include/rdk/json.hpp).
std::string jsonQuote(const std::string& text);

}  // namespace rdk::authcfg
