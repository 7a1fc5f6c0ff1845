#include "rdk/session/bind_spec.h"

#include <cstdio>

#include "rdk/config/config.h"

namespace rdk::session {

std::string urlScheme(const std::string& url) {
  const size_t pos = url.find("://");
  return pos == std::string::npos ? std::string() : url.substr(0, pos);
}

namespace {
std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}
}  // namespace

std::string transportOptionsJson(const std::string& scheme, const config::Config& config,
                                 Side side) {
  std::string json = "{";
  auto add = [&json](const std::string& key, const std::string& value) {
    if (json.size() > 1)
      json += ",";
    json += jsonQuote(key) + ":" + value;
  };
  add("idle_timeout_s", std::to_string(config.getInt("server.ping-timeout")));
  if (scheme == "udp" || scheme == "dtls") {
    add("mtu", std::to_string(config.getInt("transport.udp.mtu")));
    add("fec_group", std::to_string(config.getInt("transport.udp.fec-group")));
    add("drop_pct", number(config.getDouble("transport.udp.drop-pct")));
    add("send_loss_pct", number(config.getDouble("transport.udp.send-loss-pct")));
    add("delay_ms", std::to_string(config.getInt("transport.udp.delay-ms")));
    add("jitter_ms", std::to_string(config.getInt("transport.udp.jitter-ms")));
    add("reorder_pct", number(config.getDouble("transport.udp.reorder-pct")));
    add("duplicate_pct", number(config.getDouble("transport.udp.duplicate-pct")));
    add("drop_first", std::to_string(config.getInt("transport.udp.drop-first")));
    add("blackout_every_s", std::to_string(config.getInt("transport.udp.blackout-every-s")));
    add("blackout_ms", std::to_string(config.getInt("transport.udp.blackout-ms")));
  }
  if (scheme == "ws" || scheme == "wss") {
    add("www_dir", jsonQuote(config.getString("server.www-dir")));
    std::string dirs;
    for (const std::string& dir : config.getList("server.www-link-dirs"))
      dirs += (dirs.empty() ? "" : ",") + jsonQuote(dir);
    add("www_link_dirs", "[" + dirs + "]");
  }
  if (scheme == "ssl" || scheme == "dtls" || scheme == "wss") {
    add("cert", jsonQuote(config.getString("transport.tls.cert")));
    add("key", jsonQuote(config.getString("transport.tls.key")));
    add("ca", jsonQuote(config.getString("transport.tls.ca")));
    const bool verify = side == Side::Client ? config.getBool("transport.tls.verify")
                                             : !config.getString("transport.tls.ca").empty();
    add("verify", verify ? "true" : "false");
  }
  return json + "}";
}

BindSpec BindSpec::fromConfig(const std::string& url, const config::Config& config) {
  BindSpec bind;
  bind.url = url;
  bind.scheme = urlScheme(url);
  // Only the schemes the configuration knows have a per-scheme auth key; for any other the
  // transport lookup reports the unknown scheme.
  std::string auth = config.find("server.auth." + bind.scheme).value_or("");
  if (auth.empty())
    auth = config.getString("server.auth");
  const authcfg::AuthSpec spec = authcfg::parseAuthSpec(auth.empty() ? "none" : auth);
  bind.authModule = spec.module;
  bind.authOptionsJson = spec.optionsJson;
  // The plugin's own failure back-off would sleep on the server loop; the session delays the
  // disconnect per peer instead (without blocking), so the plugin's is turned off unless set.
  if (spec.module != "none" &&
      bind.authOptionsJson.find("\"max_failure_delay_ms\"") == std::string::npos &&
      bind.authOptionsJson.size() >= 2) {
    bind.authOptionsJson.insert(
        bind.authOptionsJson.size() - 1,
        std::string(bind.authOptionsJson.size() > 2 ? "," : "") + "\"max_failure_delay_ms\":\"0\"");
  }
  bind.transportOptionsJson = session::transportOptionsJson(bind.scheme, config, Side::Server);
  return bind;
}

}  // namespace rdk::session
