#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "proxy_connection.h"
#include "rdk/authcfg/auth_spec.h"
#include "rdk/base/clock.h"
#include "rdk/kernel/plugin_objects.h"
#include "rdk/kernel/plugin_registry.h"
#include "rdk/protocol/messages/core.h"
#include "rdk/proxy/users_file.h"
#include "rdk/session/challenge_answer.h"
#include "rdk/session/peer_host.h"
#include "ws_front.h"

namespace rdk::proxy {

using protocol::Value;

namespace {

std::string joinList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items)
    out += (out.empty() ? "" : ",") + item;
  return out;
}

std::string packetType(const protocol::Packet& packet) {
  return !packet.empty() && packet[0].isBytes() ? packet[0].asBytes() : "";
}

/// The client's hello for the session: its own challenge answer removed, the session's added
/// by the caller. The digests are the proxy's choice: the session challenges the proxy, not the
/// client, and hmac+sha256 is what the proxy answers best.
Value::Dict helloForSession(const protocol::Capabilities& hello) {
  Value caps(hello.dict());
  Value::Dict out;
  for (auto& [key, value] : caps.asDict()) {
    const std::string name = key.isBytes() ? key.asBytes() : "";
    if (name == "challenge_response" || name == "challenge_client_salt" || name == "digest" ||
        name == "salt-digest")
      continue;
    out.emplace_back(key, value);
  }
  out.emplace_back(Value("digest"), Value(Value::List{Value("hmac+sha256")}));
  out.emplace_back(Value("salt-digest"), Value(Value::List{Value("hmac+sha256")}));
  return out;
}

}  // namespace

ProxyServer::Connection::~Connection() {
  if (clientFd >= 0)
    close(clientFd);
  if (sessionFd.load() >= 0)
    close(sessionFd.load());
}

void ProxyServer::Connection::shutdownAll() {
  shutdown(clientFd, SHUT_RDWR);
  if (const int fd = sessionFd.load(); fd >= 0)
    shutdown(fd, SHUT_RDWR);
}

void ProxyServer::Connection::sendToClient(const protocol::Packet& packet) {
  try {
    top->write(toClient.write(packet), 5000);
  } catch (const std::exception&) {
    // Nothing to tell a peer whose packet cannot even be encoded.
  }
}

void ProxyServer::Connection::disconnectClient(const std::string& reason,
                                               const std::string& detail) {
  protocol::Disconnect packet{reason, {}};
  if (!detail.empty())
    packet.extra.push_back(detail);
  sendToClient(packet.toPacket());
}

void ProxyServer::handle(Connection& c) {
  const bool secure = c.scheme == "ssl" || c.scheme == "wss";
  if (secure) {
    try {
      c.base = std::make_unique<io::TlsChannel>(
          tls_.get(), c.clientFd, monotonicUs() + uint64_t(options_.helloTimeoutMs) * 1000);
    } catch (const std::exception& e) {
      log(c.peer + " (" + c.scheme + "): " + e.what());
      return;
    }
  } else {
    c.base = std::make_unique<io::FdChannel>(c.clientFd);
  }
  c.top = c.base.get();
  if (c.scheme == "ws" || c.scheme == "wss") {
    // The web client's page and files first, then its WebSocket; frames are read only until
    // the login is done (joinSession), then they pass through unchanged.
    std::string leftover, why;
    if (!wsFront_->accept(*c.base, secure, options_.helloTimeoutMs, &leftover, &why)) {
      if (!why.empty())
        log(c.peer + " (" + c.scheme + "): " + why);
      return;
    }
    c.ws =
        std::make_unique<io::WsChannel>(*c.base, true, std::move(leftover), options_.maxHelloBytes);
    c.top = c.ws.get();
  }
  c.client = std::make_unique<io::PacketStream>(*c.top, options_.maxHelloBytes);
  std::string user;
  if (!authenticate(c, &user))
    return;
  if (joinSession(c, user))
    ++stats_.forwarded;
}

bool ProxyServer::authenticate(Connection& c, std::string* user) {
  protocol::Packet packet;
  std::string raw, error;
  const uint64_t helloDeadline = monotonicUs() + uint64_t(options_.helloTimeoutMs) * 1000;
  if (!c.client->read(helloDeadline, &packet, &raw, &error)) {
    log(c.peer + ": no hello: " + error);
    return false;
  }
  c.toClient.setEncoding(c.client->peerEncoding());
  if (packetType(packet) != protocol::Hello::kType) {
    c.disconnectClient("protocol error", "expected a hello");
    return false;
  }
  try {
    c.hello = protocol::Capabilities(protocol::Hello::fromPacket(packet).caps);
  } catch (const std::exception& e) {
    c.disconnectClient("protocol error", "malformed hello");
    return false;
  }
  if (c.hello.getBool("version_request").value_or(false)) {
    Value reply(Value::Dict{});
    reply.set("version", Value("rdkernel proxy (xpra protocol 3.1.3)"));
    c.sendToClient(protocol::Hello{std::move(reply.asDict())}.toPacket());
    c.disconnectClient("done", "version sent");
    return false;
  }
  *user = c.hello.getString("username").value_or("");
  if (user->empty()) {
    c.disconnectClient("authentication failed", "the proxy needs a username");
    log(c.peer + ": no username");
    return false;
  }
  // The auth plugin reads the users file itself at each verdict, so edits apply at once; its
  // own failure delay is off because the throttle below spaces verdicts per address.
  std::string options = "{\"filename\":" + authcfg::jsonQuote(options_.usersPath) +
                        ",\"max_failure_delay_ms\":\"0\"}";
  std::shared_ptr<plugin::AuthenticatorObject> auth =
      plugin::AuthenticatorObject::create(*authPlugin_, "multifile", options, &error);
  if (!auth) {
    c.disconnectClient("server error", "authentication unavailable");
    log(c.peer + ": authentication unavailable: " + error);
    return false;
  }
  plugin::AuthenticatorObject::Challenge challenge;
  // TLS protects the answer as loopback does (digests that reveal the password need either).
  const bool secure = c.scheme == "ssl" || c.scheme == "wss" || session::isLoopbackPeer(c.peer);
  if (!auth->makeChallenge(*user, joinList(c.hello.getStringList("digest")),
                           joinList(c.hello.getStringList("salt-digest")), secure, &challenge,
                           &error)) {
    c.disconnectClient("authentication failed");
    log(c.peer + ": user '" + *user + "': " + error);
    return false;
  }
  c.sendToClient(protocol::Challenge{
      challenge.salt, {}, challenge.digest, challenge.saltDigest, challenge.prompt}
                     .toPacket());
  const uint64_t authDeadline = monotonicUs() + uint64_t(options_.authTimeoutMs) * 1000;
  if (!c.client->read(authDeadline, &packet, &raw, &error) ||
      packetType(packet) != protocol::Hello::kType) {
    log(c.peer + ": no answer to the challenge: " + (error.empty() ? "not a hello" : error));
    c.disconnectClient("authentication failed", "no answer to the challenge");
    return false;
  }
  try {
    c.hello = protocol::Capabilities(protocol::Hello::fromPacket(packet).caps);
  } catch (const std::exception&) {
    c.disconnectClient("protocol error", "malformed hello");
    return false;
  }
  const Value* response = c.hello.get("challenge_response");
  const Value* clientSalt = c.hello.get("challenge_client_salt");
  const std::string address = session::addressKey(c.peer);
  // One verdict per address at a time, spaced after failures, as the server does.
  while (!throttle_.tryBeginVerdict(address, monotonicUs())) {
    if (monotonicUs() > authDeadline) {
      c.disconnectClient("authentication failed", "timed out");
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const bool ok =
      auth->authenticate(c.hello.getString("username").value_or(*user),
                         response && response->isBytes() ? response->asBytes() : "",
                         clientSalt && clientSalt->isBytes() ? clientSalt->asBytes() : "", &error);
  throttle_.finishVerdict(address, ok, monotonicUs());
  if (!ok || c.hello.getString("username").value_or(*user) != *user) {
    ++stats_.authFailures;
    c.disconnectClient("authentication failed");
    log(c.peer + ": user '" + *user + "': authentication failed: " + error);
    return false;
  }
  return true;
}

bool ProxyServer::joinSession(Connection& c, const std::string& user) {
  UserEntry entry;
  try {
    const UsersFile users = UsersFile::load(options_.usersPath);
    const UserEntry* found = users.find(user);
    if (!found)
      throw UsersFileError("user '" + user + "' left the users file");
    entry = *found;
  } catch (const std::exception& e) {
    c.disconnectClient("server error", "no session settings");
    log(c.peer + ": " + e.what());
    return false;
  }
  std::string error;
  std::optional<SessionRecord> record = sessions_.acquire(entry, monotonicUs(), &error);
  if (!record) {
    c.disconnectClient("session not found error", "the session could not be started");
    log(c.peer + ": " + error);
    return false;
  }
  struct Release {
    SessionRegistry& sessions;
    std::string user;
    ~Release() { sessions.release(user, monotonicUs()); }
  } release{sessions_, user};

  // A WebSocket client goes to the session's own ws bind, so that its frames can pass through
  // unchanged; the other clients to the session's tcp bind.
  const bool ws = c.ws != nullptr;
  const int port = ws ? record->session.wsPort : record->session.port;
  if (port <= 0) {
    c.disconnectClient("session not found error", "the session has no ws bind");
    log(c.peer + ": user '" + user + "': the session (" + record->session.handle +
        ") has no ws bind (the " + "launcher does not give sessions one)");
    return false;
  }
  const int fd = io::connectTcp(record->session.host, port, 5000, &error);
  if (fd < 0) {
    c.disconnectClient("session not found error", "the session does not answer");
    log(c.peer + ": user '" + user + "': " + error);
    return false;
  }
  c.sessionFd.store(fd);
  const uint64_t deadline = monotonicUs() + uint64_t(options_.sessionHandshakeTimeoutMs) * 1000;
  io::FdChannel sessionBase(fd);
  std::unique_ptr<io::WsChannel> sessionWs;
  io::Channel* sessionTop = &sessionBase;
  if (ws) {
    std::string leftover;
    if (!io::WsFront::connect(sessionBase, record->session.host + ":" + std::to_string(port),
                              deadline, &leftover, &error)) {
      c.disconnectClient("session not found error", "the session refused the proxy");
      log(c.peer + ": user '" + user + "': session WebSocket: " + error);
      return false;
    }
    sessionWs = std::make_unique<io::WsChannel>(sessionBase, false, std::move(leftover), 4u << 20);
    sessionTop = sessionWs.get();
  }
  io::PacketStream session(*sessionTop, 4u << 20);
  protocol::RecordWriter toSession;
  toSession.setEncoding(c.client->peerEncoding());
  const Value::Dict caps = helloForSession(c.hello);
  protocol::Packet reply;
  std::string raw;
  bool ok = sessionTop->write(toSession.write(protocol::Hello{caps}.toPacket()), 5000) &&
            session.read(deadline, &reply, &raw, &error);
  if (ok && packetType(reply) == protocol::Challenge::kType) {
    // The session's login: the proxy answers with the token only it and the session know.
    std::string response, clientSalt;
    ok = session::answerChallenge(registry_, reply, record->token, &response, &clientSalt, &error);
    if (ok) {
      Value hello(caps);
      hello.set("challenge_response", Value(response));
      hello.set("challenge_client_salt", Value(clientSalt));
      raw.clear();  // from here on the session's bytes go to the client as they are
      ok = sessionTop->write(toSession.write(protocol::Hello{hello.asDict()}.toPacket()), 5000);
    }
  }
  // Whatever either side sent past the handshake goes first (the session's reply when it asked
  // for no challenge). Over WebSocket, payload the proxy decoded goes out in frames of its own,
  // ending the message it belongs to, so that the next frame of either side starts a message.
  std::string toClientPayload = raw + session.takeBuffered(), toClientRaw;
  std::string toSessionPayload = c.client->takeBuffered(), toSessionRaw;
  if (ok && ws) {
    ok = sessionWs->finishMessage(deadline, &toClientPayload, &error) &&
         c.ws->finishMessage(deadline, &toSessionPayload, &error);
    toClientRaw = sessionWs->takeRaw();
    toSessionRaw = c.ws->takeRaw();
  }
  if (!ok) {
    c.disconnectClient("session not found error", "the session refused the proxy");
    log(c.peer + ": user '" + user + "': session handshake: " + error);
    return false;
  }
  log(c.peer + ": user '" + user + "' -> session " + record->session.handle + " on " +
      record->session.host + ":" + std::to_string(port) +
      (c.scheme == "tcp" ? "" : " (" + c.scheme + (ws ? ", its ws bind)" : ")")));
  if ((!toClientPayload.empty() && !c.top->write(toClientPayload, 5000)) ||
      !c.base->write(toClientRaw, 5000) ||
      (!toSessionPayload.empty() && !sessionTop->write(toSessionPayload, 5000)) ||
      !sessionBase.write(toSessionRaw, 5000))
    return false;
  uint64_t lastTouchUs = 0;
  std::mutex touchMutex;
  auto onBytes = [&](size_t) {
    const uint64_t now = monotonicUs();
    std::lock_guard<std::mutex> lock(touchMutex);
    if (now - lastTouchUs > 1'000'000) {
      lastTouchUs = now;
      sessions_.touch(user, now);
    }
  };
  // From here on the bytes are the client's and the session's: spliced when neither side has
  // TLS (tcp, ws), else through the proxy's TLS end (ssl, wss).
  const auto moved = io::pumpChannels(*c.base, sessionBase, onBytes, [&] { c.shutdownAll(); });
  stats_.bytesToSession += moved.first;
  stats_.bytesToClient += moved.second;
  log(c.peer + ": user '" + user + "' disconnected");
  return true;
}

}  // namespace rdk::proxy
