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
    io::writeAll(clientFd, toClient.write(packet), 5000);
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
  c.client = std::make_unique<io::PacketStream>(c.clientFd, options_.maxHelloBytes);
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
  const bool secure = session::isLoopbackPeer(c.peer);
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

  const int fd = io::connectTcp(record->session.host, record->session.port, 5000, &error);
  if (fd < 0) {
    c.disconnectClient("session not found error", "the session does not answer");
    log(c.peer + ": user '" + user + "': " + error);
    return false;
  }
  c.sessionFd.store(fd);
  io::PacketStream session(fd, 4u << 20);
  protocol::RecordWriter toSession;
  toSession.setEncoding(c.client->peerEncoding());
  const Value::Dict caps = helloForSession(c.hello);
  const uint64_t deadline = monotonicUs() + uint64_t(options_.sessionHandshakeTimeoutMs) * 1000;
  protocol::Packet reply;
  std::string raw;
  bool ok = io::writeAll(fd, toSession.write(protocol::Hello{caps}.toPacket()), 5000) &&
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
      ok = io::writeAll(fd, toSession.write(protocol::Hello{hello.asDict()}.toPacket()), 5000);
    }
  }
  if (!ok) {
    c.disconnectClient("session not found error", "the session refused the proxy");
    log(c.peer + ": user '" + user + "': session handshake: " + error);
    return false;
  }
  log(c.peer + ": user '" + user + "' -> session " + record->session.handle + " on " +
      record->session.host + ":" + std::to_string(record->session.port));
  // Whatever either side sent past the handshake goes first (the session's reply when it asked
  // for no challenge), then the kernel moves the bytes.
  const std::string fromSession = raw + session.takeBuffered();
  const std::string fromClient = c.client->takeBuffered();
  if (!io::writeAll(c.clientFd, fromSession, 5000) || !io::writeAll(fd, fromClient, 5000))
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
  std::thread upstream([&] {
    stats_.bytesToSession += io::pump(c.clientFd, fd, [&](size_t n) { onBytes(n); });
    c.shutdownAll();
  });
  stats_.bytesToClient += io::pump(fd, c.clientFd, [&](size_t n) { onBytes(n); });
  c.shutdownAll();
  upstream.join();
  log(c.peer + ": user '" + user + "' disconnected");
  return true;
}

}  // namespace rdk::proxy
