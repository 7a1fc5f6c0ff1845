// Writes the generated seed corpora of the fuzz targets from inputs the code itself produces:
//   make_corpus <dir>      (normally tests/fuzz/corpus; built beside the fuzz targets)
// messages/    typed messages as the server and the client send them (toPacket), rencoded and
//              bencoded, with fuzz_messages' leading format byte
// udp_wire/    datagrams of a real client/server session pair: INITIAL, RETRY, ACCEPT, DATA with
//              acks (one and several ranges), fragments of both classes, parity (XOR and
//              Reed-Solomon FEC), ping, close
// udp_session/ scripts for fuzz_udp_session (udp_session_script.hpp): clean exchanges, loss,
//              reordering, roaming, MTU errors, closes, and the udp_wire datagrams replayed
// auth/        fuzz_auth field lists: Xpra auth settings, digest lists, multifile files, responses
// The other corpora (record, rencode, bencode, config, plugin_json) are files copied as they are
// (docs/testing.md). Deterministic: the same tree writes the same files (but for the cookie and
// HMAC bytes, which depend on a per-process secret).
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cookie.hpp"
#include "digest.h"
#include "rdk/protocol/protocol.h"
#include "session.hpp"
#include "udp_session_script.hpp"
#include "wire.hpp"

namespace fs = std::filesystem;
using rdk::fuzz::UdpOp;
using rdk::fuzz::UdpScript;

namespace {

fs::path gOut;

void writeFile(const std::string& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(gOut / dir);
  std::ofstream(gOut / dir / name, std::ios::binary) << bytes;
}

void writeFile(const std::string& dir, const std::string& name, const std::vector<uint8_t>& b) {
  writeFile(dir, name, std::string(b.begin(), b.end()));
}

// ---- messages

using rdk::protocol::Value;

Value::Dict dict(std::initializer_list<std::pair<Value, Value>> items) {
  return Value::Dict(items);
}

void messages() {
  using namespace rdk::protocol;
  std::map<std::string, Packet> packets;
  Hello hello;
  hello.caps = dict({{"version", "3.1.3"},
                     {"rencode", true},
                     {"bencode", true},
                     {"lz4", true},
                     {"zlib", true},
                     {"compression_level", 1},
                     {"encodings", Value::List{Value("rgb"), Value("png"), Value("webp")}},
                     {"encodings.core", Value::List{Value("rgb24"), Value("png")}},
                     {"username", "alice"},
                     {"uuid", "6f1c2d3e"},
                     {"desktop_size", Value::List{Value(1280), Value(720)}},
                     {"aliases", dict({{"hello", 1}, {"draw", 35}})},
                     {"challenge_response", "3f0a9c"},
                     {"challenge_client_salt", std::string(32, 'S')},
                     {"digest", Value::List{Value("hmac"), Value("hmac+sha256")}}});
  packets["hello"] = hello.toPacket();
  Challenge challenge;
  challenge.salt = std::string(64, 's');
  challenge.digest = "hmac+sha256";
  challenge.saltDigest = "hmac+sha256";
  packets["challenge"] = challenge.toPacket();
  packets["disconnect"] = Disconnect{"server shutdown", {"bye"}}.toPacket();
  packets["ping"] = Ping{123456, 1700000000000}.toPacket();
  packets["ping_echo"] = PingEcho{123456, 250, 300, 350, 12, "sid"}.toPacket();
  packets["set_deflate"] = SetDeflate{1}.toPacket();
  packets["startup_complete"] = StartupComplete{}.toPacket();
  packets["info_request"] = InfoRequest{{"uuid"}, {1, 2}, {"client", "server"}}.toPacket();
  packets["info_response"] = InfoResponse{dict({{"server", dict({{"pid", 42}})}})}.toPacket();
  Draw draw;
  draw.wid = 1;
  draw.width = 4;
  draw.height = 2;
  draw.coding = "rgb24";
  draw.data = std::string(24, '\x7f');
  draw.packetSequence = 7;
  draw.rowstride = 12;
  draw.options = dict({{"rgb_format", "RGB"}, {"lz4", 1}, {"flush", 0}});
  packets["draw"] = draw.toPacket();
  packets["damage_sequence"] = DamageSequence{7, 1, 4, 2, 1500, ""}.toPacket();
  KeyAction key;
  key.wid = 1;
  key.keyname = "a";
  key.pressed = true;
  key.modifiers = {"shift"};
  key.keyval = 97;
  key.string = "a";
  key.keycode = 38;
  packets["key_action"] = key.toPacket();
  ButtonAction button;
  button.wid = 1;
  button.button = 1;
  button.pressed = true;
  button.x = 10;
  button.y = 20;
  button.buttons = {1};
  packets["button_action"] = button.toPacket();
  PointerPosition pointer;
  pointer.wid = 1;
  pointer.x = 10;
  pointer.y = 20;
  pointer.relative = std::make_pair<int64_t, int64_t>(3, 4);
  packets["pointer_position"] = pointer.toPacket();
  Cursor cursor;
  cursor.encoding = "raw";
  cursor.width = 2;
  cursor.height = 2;
  cursor.serial = 9;
  cursor.pixels = std::string(16, '\xff');
  cursor.name = "left_ptr";
  cursor.defaultSize = 24;
  cursor.maxWidth = cursor.maxHeight = 64;
  packets["cursor"] = cursor.toPacket();
  Bell bell;
  bell.wid = 1;
  bell.percent = 50;
  bell.bellName = "bell";
  packets["bell"] = bell.toPacket();
  SoundData sound;
  sound.codec = "opus";
  sound.data = std::string(40, 'o');
  sound.metadata = dict({{"timestamp", 5}});
  packets["sound_data"] = sound.toPacket();
  NewWindow window;
  window.wid = 1;
  window.width = 640;
  window.height = 480;
  window.metadata = dict({{"title", "xterm"}, {"size-constraints", dict({})}});
  packets["new_window"] = window.toPacket();
  packets["window_move_resize"] = WindowMoveResize{1, 5, 6, 700, 500, 2}.toPacket();
  packets["window_metadata"] = WindowMetadata{1, dict({{"title", "vim"}})}.toPacket();
  MapWindow map;
  map.wid = 1;
  map.width = 640;
  map.height = 480;
  map.state = dict({{"focused", true}});
  packets["map_window"] = map.toPacket();
  UnmapWindow unmap;
  unmap.wid = 1;
  unmap.iconified = true;
  packets["unmap_window"] = unmap.toPacket();
  ConfigureWindow configure;
  configure.wid = 1;
  configure.width = 640;
  configure.height = 480;
  configure.resizeCounter = 3;
  configure.pointer = ConfigureWindow::Pointer{1, 10, 20, {"control"}};
  packets["configure_window"] = configure.toPacket();
  packets["focus"] = Focus{1, {"shift"}}.toPacket();
  packets["setting_change"] = SettingChange{"xdg-menu", Value(dict({{"a", "b"}}))}.toPacket();
  packets["server_event"] = ServerEvent{"window-title", {Value(1), Value("vim")}}.toPacket();
  packets["sound_control"] = SoundControl{"start", {Value("opus")}}.toPacket();
  packets["configure_override_redirect"] =
      ConfigureOverrideRedirect{7, -5, 10, 200, 100}.toPacket();
  packets["window_icon"] = WindowIcon{7, 16, 16, "png", std::string(60, 'i')}.toPacket();
  packets["buffer_refresh"] =
      BufferRefresh{7, 0, 50, BufferRefresh::Extra{dict({{"refresh-now", true}}), {}}}.toPacket();
  for (const auto& [name, packet] : packets) {
    writeFile("messages", name + ".r", std::string(1, '\0') + rencode(Value(packet)));
    writeFile("messages", name + ".b", std::string(1, '\1') + bencode(Value(packet)));
  }
}

// ---- udp: a client and a server session exchanging messages, every datagram recorded

using namespace rdk::udp;
constexpr uint64_t kConnId = 0x0123456789abcdefULL;

PeerAddress address(uint32_t ip, uint16_t port) {
  PeerAddress a;
  auto* in = reinterpret_cast<sockaddr_in*>(&a.storage);
  in->sin_family = AF_INET;
  in->sin_port = htons(port);
  in->sin_addr.s_addr = htonl(ip);
  a.length = sizeof(sockaddr_in);
  return a;
}

std::vector<std::vector<uint8_t>> recordUdpExchange() {
  UdpOptions options;
  options.fecGroup = 2;
  options.allowRoaming = true;
  const PeerAddress clientAddr = address(0x0a000001, 5000), moved = address(0x0a000002, 6000),
                    serverAddr = address(0x0a0000fe, 14500);
  PeerAddress from = clientAddr;
  uint64_t now = 1'000'000'000;
  CookieMinter cookies;
  Session client(kConnId, true, options, serverAddr, now, 1);
  std::unique_ptr<Session> server;
  std::vector<std::vector<uint8_t>> recorded;
  int counter = 0;
  auto message = [&](size_t size) {
    std::vector<uint8_t> m(size);
    for (size_t i = 0; i < size; ++i)
      m[i] = static_cast<uint8_t>(i * 31 + counter);
    ++counter;
    return m;
  };
  auto send = [&](Session& s, MessageClass cls, size_t size, uint64_t key) {
    auto m = message(size);
    rdk_bytes iov{m.data(), m.size()};
    s.send(&iov, 1, cls, key, counter, now);
  };
  auto round = [&](uint64_t stepUs, std::function<bool(size_t)> lost) {
    now += stepUs;
    std::vector<OutDatagram> fromClient, fromServer;
    client.produce(now, fromClient, 64);
    if (server)
      server->produce(now, fromServer, 64);
    size_t i = 0;
    for (auto& d : fromClient) {
      recorded.push_back(d.bytes);
      if (lost(i++))
        continue;
      auto h = parseHeader(d.bytes.data(), d.bytes.size());
      const uint8_t* body = d.bytes.data() + kHeaderSize;
      const size_t size = d.bytes.size() - kHeaderSize;
      if (h->type == DatagramType::kInitial && !server) {
        auto token = parseToken(body, size);
        if (token->empty() || !cookies.verify(*token, from, kConnId, now)) {
          auto retry = makeRetry(kConnId, cookies.mint(from, kConnId, now));
          recorded.push_back(retry);
          auto rh = parseHeader(retry.data(), retry.size());
          client.onDatagram(*rh, retry.data() + kHeaderSize, retry.size() - kHeaderSize, serverAddr,
                            now);
        } else {
          server = std::make_unique<Session>(kConnId, false, options, from, now, 2);
        }
      } else if (server && h->type != DatagramType::kInitial) {
        server->onDatagram(*h, body, size, from, now);
      }
    }
    for (auto& d : fromServer) {
      recorded.push_back(d.bytes);
      if (lost(i++))
        continue;
      auto h = parseHeader(d.bytes.data(), d.bytes.size());
      client.onDatagram(*h, d.bytes.data() + kHeaderSize, d.bytes.size() - kHeaderSize, serverAddr,
                        now);
    }
    std::vector<SessionEvent> events;
    client.takeEvents(events);
    if (server)
      server->takeEvents(events);
  };
  auto none = [](size_t) { return false; };
  for (int i = 0; i < 5; ++i)
    round(20000, none);  // handshake: INITIAL, RETRY, INITIAL with cookie, ACCEPT
  send(client, MessageClass::kReliable, 3000, 0);  // a hello
  for (int i = 0; i < 5; ++i)
    round(10000, none);
  send(*server, MessageClass::kReliable, 6000, 0);
  for (int i = 0; i < 30; ++i) {
    send(*server, MessageClass::kDroppable, 4000 + 500 * (i % 4), 1 + i % 2);
    if (i % 5 == 0)
      send(client, MessageClass::kReliable, 40, 0);
    round(10000, [i](size_t k) { return (k + i) % 7 == 3; });  // ~14% loss: several ack ranges
  }
  for (int i = 0; i < 200; ++i)
    round(10000, none);  // keep-alive pings, MTU probes
  from = moved;          // the client's address changes: path challenge and response
  send(client, MessageClass::kReliable, 100, 0);
  for (int i = 0; i < 20; ++i)
    round(10000, none);
  client.close("client request", now);
  for (int i = 0; i < 20; ++i)
    round(10000, none);
  return recorded;
}

// One datagram per kind of content, so the corpus stays small.
std::vector<std::pair<std::string, std::vector<uint8_t>>> pickDatagrams(
    const std::vector<std::vector<uint8_t>>& all) {
  std::map<std::string, std::vector<uint8_t>> byKind;
  for (const auto& d : all) {
    auto h = parseHeader(d.data(), d.size());
    if (!h)
      continue;
    std::string kind;
    switch (h->type) {
      case DatagramType::kInitial:
        kind = parseToken(d.data() + kHeaderSize, d.size() - kHeaderSize)->empty()
                   ? "initial"
                   : "initial_cookie";
        break;
      case DatagramType::kRetry:
        kind = "retry";
        break;
      case DatagramType::kAccept:
        kind = "accept";
        break;
      case DatagramType::kData: {
        auto f = parseFrames(d.data() + kHeaderSize, d.size() - kHeaderSize);
        if (!f)
          continue;
        kind = "data";
        if (f->ack)
          kind += f->ack->ranges.size() > 1 ? "_acks" : "_ack";
        bool reliable = false, droppable = false;
        for (auto& fr : f->fragments)
          (fr.cls == MessageClass::kReliable ? reliable : droppable) = true;
        if (reliable)
          kind += "_reliable";
        if (droppable)
          kind += "_droppable";
        for (auto& p : f->parities)
          kind += p.parityCount ? "_fec" : "_parity";  // one datagram carries one parity
        if (f->ping)
          kind += "_ping";
        if (f->close)
          kind += "_close";
        if (f->pathChallenge)
          kind += "_challenge";
        if (f->pathResponse)
          kind += "_response";
        break;
      }
    }
    if (!byKind.count(kind) || d.size() < byKind[kind].size())
      byKind[kind] = d;  // the smallest example of each kind
  }
  return {byKind.begin(), byKind.end()};
}

void udp() {
  const auto all = recordUdpExchange();
  const auto picked = pickDatagrams(all);
  for (const auto& [kind, d] : picked)
    writeFile("udp_wire", kind, d);

  // Scripts. Options byte: fec (bits 0-1), roaming (bit 2), small buffers (bit 3), probing (bit 4).
  auto exchange = [](UdpScript& s, uint32_t loss, int rounds) {
    for (int i = 0; i < rounds; ++i) {
      if (i % 4 == 0)
        s.send(true, true, static_cast<uint8_t>(i % 3), 3000);
      if (i % 6 == 0)
        s.send(false, false, 0, 60);
      s.pump(100, loss >> (i % 8), 0);
    }
  };
  {
    UdpScript s(0x10);  // clean: handshake, a hello each way, screen updates, acks
    for (int i = 0; i < 6; ++i)
      s.pump(200);
    s.send(false, false, 0, 2500).send(true, false, 0, 5000);
    exchange(s, 0, 40);
    writeFile("udp_session", "clean", s.bytes);
  }
  {
    UdpScript s(0x02);  // 25% loss, reordering and duplicates, parity every 2 fragments
    for (int i = 0; i < 6; ++i)
      s.pump(200);
    s.send(false, false, 0, 2500).send(true, false, 0, 5000);
    exchange(s, 0x11111111, 30);
    s.pump(300, 0x44444444, 1).pump(300, 0, 2).pump(5000, 0xffffffff).pump(20000);
    writeFile("udp_session", "lossy_fec", s.bytes);
  }
  {
    UdpScript s(0x04);  // roaming: the client moves after a second of traffic
    for (int i = 0; i < 6; ++i)
      s.pump(200);
    s.send(false, false, 0, 2500).send(true, false, 0, 5000);
    exchange(s, 0, 20);
    s.op(UdpOp::kAdvance).u32(1200000);
    s.send(false, false, 0, 100).pump(100, 0, 4);
    exchange(s, 0, 10);
    writeFile("udp_session", "roaming", s.bytes);
  }
  {
    UdpScript s(0x18);  // small buffers, big messages, an MTU error, then closes
    for (int i = 0; i < 6; ++i)
      s.pump(200);
    s.send(false, false, 0, 20000, true).send(true, true, 1, 30000, true);
    for (int i = 0; i < 10; ++i)
      s.pump(100, i == 3 ? 0x5 : 0);
    s.op(UdpOp::kTooBig).u8(1).u16(1000);
    s.op(UdpOp::kStats);
    exchange(s, 0x01010101, 10);
    s.op(UdpOp::kClose).u8(0);
    for (int i = 0; i < 10; ++i)
      s.pump(500);
    writeFile("udp_session", "big_close", s.bytes);
  }
  {
    UdpScript s(0x01);  // damaged copies of real datagrams
    for (int i = 0; i < 6; ++i)
      s.pump(200);
    s.send(false, false, 0, 2500).send(true, true, 1, 5000);
    for (int i = 0; i < 8; ++i)
      s.op(UdpOp::kCorruptPump)
          .u16(100)
          .u8(static_cast<uint8_t>(i))
          .u16(static_cast<uint16_t>(19 + i * 7))
          .u8(0x40);
    writeFile("udp_session", "damaged", s.bytes);
  }
  {
    UdpScript s(0x00);  // the recorded datagrams replayed at both ends
    for (int i = 0; i < 6; ++i)
      s.pump(200);
    for (const auto& [kind, d] : picked) {
      if (d.size() > 1300)
        continue;  // the full-size ones: the script stays under fuzz_udp_session's -max_len
      s.rawTo(true, d);
      s.rawTo(false, d);
    }
    s.pump(1000);
    writeFile("udp_session", "replayed", s.bytes);
  }
}

// ---- auth

void auth() {
  using rdk::auth::asBytes;
  using rdk::auth::computeDigest;
  using rdk::auth::toHex;
  const std::string salt(64, 's'), clientSalt(32, 'c');
  const std::string multifile =
      "# user|password|uid|gid|displays|env|options\n"
      "alice|wonderland|1000|1000|:10||\n"
      "bob|builder\n"
      "  carol | spaces |  \n"
      "broken line without bar\n";
  auto combined = computeDigest("hmac+sha256", asBytes(clientSalt), asBytes(salt));
  auto response = computeDigest("hmac+sha256", asBytes(std::string("wonderland")), combined);
  auto join = [](std::vector<std::string> fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i)
      out += (i ? std::string(1, '\0') : std::string()) + fields[i];
    return out;
  };
  writeFile("auth", "multifile_hmac_sha256",
            join({"multifile:filename=/etc/rdk/users,prompt=pin",
                  "hmac,hmac+sha1,hmac+sha256,hmac+sha512,xor,des", "hmac+sha256,xor", "\1",
                  "alice", clientSalt, std::string(response.begin(), response.end()), multifile,
                  "hmac+sha256:password", "hmac+sha256", salt, "wonderland"}));
  writeFile(
      "auth", "legacy_xor",
      join({"file,filename=/tmp/pw", "hmac,xor", "", "\0", "bob", clientSalt,
            toHex(asBytes(std::string("builder"))), multifile, "xor", "xor", salt, "builder"}));
  writeFile("auth", "des_encrypted",
            join({"password:value=secret,failure_delay_ms=250", "des", "hmac+sha512", "\1", "carol",
                  clientSalt, "00112233445566778899aabbccddeeff", multifile, "des", "hmac+sha512",
                  salt, "spaces"}));
  writeFile("auth", "none", join({"none", "", "", "", "", "", "", "", "hmac", "", "", ""}));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_corpus <corpus dir, e.g. tests/fuzz/corpus>\n");
    return 2;
  }
  gOut = argv[1];
  messages();
  udp();
  auth();
  return 0;
}
