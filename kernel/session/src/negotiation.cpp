#include "rdk/session/negotiation.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "rdk/config/config.h"
#include "rdk/session/bind_spec.h"
#include "rdk/session/packet_format.h"

namespace rdk::session {

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty())
      out += ", ";
    out += item;
  }
  return out;
}

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

}  // namespace

std::vector<std::string> clientCoreEncodings(const protocol::Capabilities& caps) {
  std::vector<std::string> core = caps.getStringList("encodings.core");
  if (!core.empty())
    return core;
  for (const std::string& encoding : caps.getStringList("encodings")) {
    if (encoding == "rgb") {
      core.push_back("rgb24");
      core.push_back("rgb32");
    } else {
      core.push_back(encoding);
    }
  }
  return core;
}

Negotiation negotiateEncodings(const protocol::Capabilities& client,
                               const std::vector<plugin::Feature>& serverEncoders,
                               const std::vector<std::string>& allowedByConfig) {
  Negotiation result;
  result.offered = clientCoreEncodings(client);
  std::set<std::string> seen;
  for (const plugin::Feature& feature : serverEncoders) {
    if (!plugin::featureEncodes(feature)) {
      result.explanation.push_back(feature.name + ": plugin " + feature.plugin +
                                   " passed over: it only decodes");
      continue;
    }
    if (seen.count(feature.name)) {
      result.explanation.push_back(feature.name + ": plugin " + feature.plugin +
                                   " passed over: a preferred plugin already provides it");
      continue;
    }
    if (!allowedByConfig.empty() && !contains(allowedByConfig, feature.name)) {
      result.explanation.push_back(feature.name + ": plugin " + feature.plugin +
                                   " passed over: not in server.encodings");
      continue;
    }
    result.available.push_back(feature.name);
    if (!contains(result.offered, feature.name)) {
      result.explanation.push_back(feature.name + ": plugin " + feature.plugin +
                                   " passed over: the client does not decode it");
      continue;
    }
    seen.insert(feature.name);
    result.encodings.push_back({feature.name, feature.plugin});
    result.explanation.push_back(feature.name + ": chosen, plugin " + feature.plugin + " (rank " +
                                 std::to_string(feature.rank) + ")");
  }
  for (const std::string& offered : result.offered) {
    if (!contains(result.available, offered)) {
      result.explanation.push_back(offered + ": offered by the client, no usable plugin here");
    }
  }
  if (result.encodings.empty()) {
    result.error = "no common encodings: client offered [" + join(result.offered) +
                   "], server has [" + join(result.available) + "]";
  }
  return result;
}

namespace {

void explainKind(std::ostringstream& out, plugin::Registry& registry, plugin::Kind kind,
                 const std::string& wanted, const std::string& why) {
  out << plugin::kindName(kind) << ": want '" << wanted << "' (" << why << ")\n";
  bool chosen = false;
  for (const plugin::Feature& feature : registry.features(kind)) {
    if (feature.name != wanted) {
      out << "  " << feature.name << " (" << feature.plugin << "): passed over: not '" << wanted
          << "'\n";
      continue;
    }
    if (chosen) {
      out << "  " << feature.name << " (" << feature.plugin
          << "): passed over: a preferred plugin already provides it\n";
      continue;
    }
    chosen = true;
    out << "  " << feature.name << " (" << feature.plugin << "): chosen, rank " << feature.rank
        << "\n";
  }
  if (!chosen)
    out << "  nothing provides '" << wanted << "': the session would fail\n";
}

}  // namespace

std::string explainNegotiation(const protocol::Value& hello, plugin::Registry& registry,
                               const config::Config& config) {
  std::ostringstream out;
  if (!hello.isDict())
    return "the hello must be a JSON object of capabilities\n";
  protocol::Capabilities caps(hello.asDict());
  const auto version = caps.getString("version");
  out << "client version: " << (version ? *version : std::string("(missing: would be refused)"))
      << "\n";
  const auto format = negotiatePacketFormat(caps);
  out << "packet encoder: " << format.describe() << "\n\n";

  Negotiation encodings = negotiateEncodings(caps, registry.features(plugin::Kind::Encoder),
                                             config.getList("server.encodings"));
  out << "encoder:\n";
  for (const auto& line : encodings.explanation)
    out << "  " << line << "\n";
  if (!encodings.ok())
    out << "  => disconnect: " << encodings.error << "\n";
  out << "\n";

  for (const std::string& url : config.getList("server.bind")) {
    BindSpec bind = BindSpec::fromConfig(url, config);
    explainKind(out, registry, plugin::Kind::Transport, bind.scheme, "bind " + url);
    explainKind(out, registry, plugin::Kind::Auth, bind.authModule,
                "auth for " + bind.scheme + " binds");
  }
  explainKind(out, registry, plugin::Kind::Platform, config.getString("server.platform"),
              "server.platform");
  return out.str();
}

}  // namespace rdk::session
