// What a client's hello and the server's catalog and configuration agree on: the packet format,
// the encodings (and which plugin serves each), and, for `--plugins --explain`, why every other
// candidate was passed over. Pure functions over data: nothing is loaded here.
#pragma once

#include <string>
#include <vector>

#include "rdk/kernel/plugin_registry.h"
#include "rdk/protocol/capabilities.h"
#include "rdk/protocol/value.h"

namespace rdk::config {
class Config;
}

namespace rdk::session {

struct EncodingChoice {
  std::string encoding;
  std::string plugin;
};

struct Negotiation {
  std::vector<EncodingChoice> encodings;  // common encodings, server preference order
  std::vector<std::string> offered;       // the client's core encodings
  std::vector<std::string> available;     // what the server's plugins and config allow
  std::vector<std::string> explanation;   // one line per decision
  std::string error;                      // non-empty: the disconnect reason
  bool ok() const { return error.empty(); }
};

/// The client's core encodings, with Xpra's rules: encodings.core, else encodings with "rgb"
/// expanded to rgb24 and rgb32.
std::vector<std::string> clientCoreEncodings(const protocol::Capabilities& caps);

/// Intersects the client's encodings with |serverEncoders| (from the registry, already in
/// preference order) and the config's server.encodings allow list.
Negotiation negotiateEncodings(const protocol::Capabilities& client,
                               const std::vector<plugin::Feature>& serverEncoders,
                               const std::vector<std::string>& allowedByConfig);

/// A dry run for `rdkernel --plugins --explain HELLO.json`: per kind, what would be chosen and
/// why each other candidate was passed over. Returns the text to print.
std::string explainNegotiation(const protocol::Value& hello, plugin::Registry& registry,
                               const config::Config& config);

}  // namespace rdk::session
