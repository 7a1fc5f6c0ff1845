// `rdkernel info URL`: the peer's info as JSON, as `xpra info` shows it. `rdkernel stop URL`: the
// same one-shot exchange with a stop request, as `xpra stop` sends it.
#include <cstdio>
#include <optional>

#include "command_support.h"
#include "rdk/base/clock.h"
#include "rdk/config/config.h"
#include "rdk/kernel/plugin_registry.h"
#include "rdk/protocol/message_dispatcher.h"
#include "rdk/protocol/messages/core.h"
#include "rdk/session/bind_spec.h"
#include "rdk/session/challenge_answer.h"
#include "rdk/session/hello_builder.h"
#include "rdk/session/packet_channel.h"
#include "rdk/session/packet_format.h"
#include "rdk/session/server_context.h"
#include "session_commands.h"
#include "session_dir.h"

namespace rdk::cli {

using session::addNetworkCaps;
using session::answerChallenge;
using session::ChannelEvent;
using session::kXpraProtocolVersion;
using session::LoopWakeup;
using session::PacketChannel;
using session::Side;
using session::transportOptionsJson;
using session::urlScheme;

using protocol::Value;

namespace {

// One hello carrying |request| ("info" or "stop"), a challenge answered if asked, one answer.
int runHelloRequest(config::Config& config, plugin::Registry& registry,
                    const std::vector<std::string>& args, const std::string& request) {
  const std::string me = "rdkernel " + request;
  ArgParser parser(args);
  const std::string passwordFile =
      parser.value("--password-file").value_or(config.getString("client.password-file"));
  const std::string username =
      parser.value("--username").value_or(config.getString("client.username"));
  const std::vector<std::string> positional = parser.positional();
  if (!parser.error().empty() || positional.size() > 1) {
    std::fprintf(stderr, "usage: %s [URL | :N] [--password-file FILE] [--username NAME]\n",
                 me.c_str());
    return 2;
  }
  std::string url, error, password;
  // ":N" or nothing: a session of this user's, through its socket (rdkernel list).
  if (!resolveSessionUrl(positional.empty() ? "" : positional[0], &url, &error)) {
    std::fprintf(stderr, "%s: %s\n", me.c_str(), error.c_str());
    return 1;
  }
  if (!passwordFile.empty()) {
    password = readPasswordFile(passwordFile, &error);
    if (!error.empty()) {
      std::fprintf(stderr, "%s: %s\n", me.c_str(), error.c_str());
      return 2;
    }
  }
  // Checked before a transport is picked: "tcp:host:port" has no scheme, and an empty scheme
  // selects any transport (it said "not a dtls URL").
  if (const std::string problem = urlProblem(url); !problem.empty()) {
    std::fprintf(stderr, "%s: %s\n", me.c_str(), problem.c_str());
    return 2;
  }
  const std::string scheme = urlScheme(url);
  plugin::LoadedPlugin* transport = registry.select(plugin::Kind::Transport, scheme, &error);
  if (!transport) {
    std::fprintf(stderr, "%s: no transport for '%s': %s\n", me.c_str(), scheme.c_str(),
                 error.c_str());
    return 1;
  }
  LoopWakeup wakeup;
  auto channel = PacketChannel::connect(
      *transport, url, transportOptionsJson(scheme, config, Side::Client), &wakeup, &error);
  if (!channel) {
    std::fprintf(stderr, "%s: %s\n", me.c_str(), error.c_str());
    return 1;
  }
  auto hello = [&](const std::string& response, const std::string& clientSalt) {
    Value caps(Value::Dict{});
    caps.set("version", Value(kXpraProtocolVersion));
    caps.set(request + "_request", Value(true));
    caps.set("request", Value(request));
    caps.set("username", Value(username));
    caps.set("digest",
             Value(Value::List{Value("hmac+sha512"), Value("hmac+sha384"), Value("hmac+sha256")}));
    caps.set("salt-digest",
             Value(Value::List{Value("hmac+sha512"), Value("hmac+sha384"), Value("hmac+sha256")}));
    addNetworkCaps(caps);
    if (!response.empty()) {
      caps.set("challenge_response", Value(response));
      caps.set("challenge_client_salt", Value(clientSalt));
    }
    channel->send(protocol::Hello{caps.asDict()});
  };
  // The one-shot exchange: the server's hello carries the info; a challenge is answered once
  // more with our hello; anything else is ignored.
  std::optional<int> result;
  protocol::MessageDispatcher dispatcher;
  dispatcher.on<protocol::Hello>([&](const protocol::Hello& reply) {
    channel->send(protocol::Disconnect{std::string(protocol::disconnect_reason::kDone), {}});
    if (request == "stop") {
      // A server that answers with a session hello ignored the request.
      std::fprintf(stderr, "%s: the server at %s does not stop on request\n", me.c_str(),
                   url.c_str());
      result = 1;
      return;
    }
    std::printf("%s\n", Value(reply.caps).toJson().c_str());
    result = 0;
  });
  dispatcher.on<protocol::Disconnect>([&](const protocol::Disconnect& bye) {
    if (request == "stop" && bye.reason == "server shutdown") {
      std::printf("%s: the server at %s is stopping\n", me.c_str(), url.c_str());
      result = 0;
      return;
    }
    std::fprintf(stderr, "%s: disconnected: %s\n", me.c_str(),
                 Value(bye.reason).debugString().c_str());
    result = 1;
  });
  dispatcher.on<protocol::Challenge>([&](const protocol::Challenge& challenge) {
    std::string response, clientSalt;
    if (!answerChallenge(registry, challenge, password, &response, &clientSalt, &error)) {
      std::fprintf(stderr, "%s: %s\n", me.c_str(), error.c_str());
      result = 1;
      return;
    }
    hello(response, clientSalt);
  });
  hello("", "");
  const uint64_t deadline = monotonicUs() + 10'000'000;
  while (monotonicUs() < deadline) {
    for (ChannelEvent& event : channel->takeEvents()) {
      if (event.type == ChannelEvent::Type::Closed) {
        std::fprintf(stderr, "%s: %s\n", me.c_str(), event.reason.c_str());
        return 1;
      }
      if (event.type != ChannelEvent::Type::Packet)
        continue;
      try {
        dispatcher.dispatch(event.packet);
      } catch (const protocol::ProtocolError& e) {
        std::fprintf(stderr, "%s: %s\n", me.c_str(), e.what());
        return 1;
      }
      if (result)
        return *result;
    }
    wakeup.waitFor(std::chrono::microseconds(20'000));
  }
  std::fprintf(stderr, "%s: no answer from %s within 10 s\n", me.c_str(), url.c_str());
  return 1;
}

}  // namespace

int runInfo(config::Config& config, plugin::Registry& registry,
            const std::vector<std::string>& args) {
  return runHelloRequest(config, registry, args, "info");
}

int runStop(config::Config& config, plugin::Registry& registry,
            const std::vector<std::string>& args) {
  return runHelloRequest(config, registry, args, "stop");
}

}  // namespace rdk::cli
