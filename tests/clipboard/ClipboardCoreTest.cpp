// Two ClipboardCores (server and client) back to back through rencode, each with a fake local
// clipboard: the whole token -> request -> contents round, direction and size limits, timeouts,
// the loop guard and what is marked for compression.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <deque>
#include <map>

#include "rdk/clipboard/clipboard_core.h"
#include "rdk/protocol/codec.h"
#include "rdk/protocol/messages/clipboard.h"

using namespace rdk::clipboard;
using rdk::protocol::Packet;
using rdk::protocol::Value;

namespace {

// A display's selections: what local applications copied, what the peer claimed, the
// answers given to local pastes.
struct FakeLocal : LocalClipboard {
  std::map<std::string, std::map<std::string, ClipboardData>> owned;  // local app contents
  std::map<std::string, std::vector<std::string>> claims;             // claimed for the peer
  std::map<uint32_t, std::optional<ClipboardData>> replies;
  std::vector<std::pair<uint32_t, std::pair<std::string, std::string>>> converts;
  bool answerConverts = true;
  ClipboardCore* core = nullptr;

  void claim(const std::string& selection, const std::vector<std::string>& targets) override {
    claims[selection] = targets;
    owned.erase(selection);
  }
  void convert(uint32_t id, const std::string& selection, const std::string& target) override {
    converts.push_back({id, {selection, target}});
    if (!answerConverts)
      return;
    auto s = owned.find(selection);
    if (s == owned.end() || !s->second.count(target)) {
      core->onLocalContents(id, std::nullopt);
      return;
    }
    core->onLocalContents(id, s->second[target]);
  }
  void reply(uint32_t id, const std::optional<ClipboardData>& data) override { replies[id] = data; }
};

struct End {
  FakeLocal local;
  std::deque<std::pair<Packet, bool>> out;
  std::vector<std::string> logs;
  ClipboardCore core;
  explicit End(Settings s)
      : core(
            s, local,
            [this](const Packet& p, bool compress) {
              // Through the wire format, as the peer would read it.
              out.emplace_back(rdk::protocol::rdecode(rdk::protocol::rencode(Value(p))).asList(),
                               compress);
            },
            [this](const std::string& line) { logs.push_back(line); }) {
    local.core = &core;
  }
  bool logged(const std::string& needle) const {
    for (const auto& l : logs)
      if (l.find(needle) != std::string::npos)
        return true;
    return false;
  }
};

Settings side(Side s, Direction d = Direction::Both, size_t maxSize = 1u << 20) {
  Settings st;
  st.side = s;
  st.direction = d;
  st.maxSize = maxSize;
  return st;
}

// Delivers every queued packet both ways until both ends are quiet.
void pump(End& a, End& b, uint64_t now) {
  for (int rounds = 0; rounds < 100 && (!a.out.empty() || !b.out.empty()); ++rounds) {
    while (!a.out.empty()) {
      auto p = a.out.front().first;
      a.out.pop_front();
      b.core.handle(p, now);
    }
    while (!b.out.empty()) {
      auto p = b.out.front().first;
      b.out.pop_front();
      a.core.handle(p, now);
    }
  }
}

ClipboardData text(const std::string& s) {
  return {"UTF8_STRING", 8, s};
}

const std::string kUnicode =
    "gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80 \xe6\x97\xa5\xe6\x9c\xac";

}  // namespace

class ClipboardCoreTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ClipboardCoreTest);
  CPPUNIT_TEST(testTextClientToServer);
  CPPUNIT_TEST(testPngServerToClientCompressed);
  CPPUNIT_TEST(testTargetsAsAtoms);
  CPPUNIT_TEST(testDirectionToServerOnly);
  CPPUNIT_TEST(testDisabled);
  CPPUNIT_TEST(testClientAdoptsServerDirection);
  CPPUNIT_TEST(testOversizeRefusedBothWays);
  CPPUNIT_TEST(testRemoteTimeoutAnswersLocal);
  CPPUNIT_TEST(testLocalTimeoutAnswersPeer);
  CPPUNIT_TEST(testLoopGuardStopsPingPong);
  CPPUNIT_TEST(testEnableSelections);
  CPPUNIT_TEST(testGreedyTokenDataServedWithoutRequest);
  CPPUNIT_TEST(testUnknownRequestIdsIgnored);
  CPPUNIT_TEST(testPendingRequestsAreBounded);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testTextClientToServer() {
    End server(side(Side::Server)), client(side(Side::Client));
    client.local.owned["CLIPBOARD"]["UTF8_STRING"] = text(kUnicode);
    client.core.onLocalOwnerChanged("CLIPBOARD", 1000);
    CPPUNIT_ASSERT_EQUAL(size_t(1), client.out.size());
    CPPUNIT_ASSERT_EQUAL(size_t(2), client.out.front().first.size());  // a bare token
    pump(server, client, 1000);
    CPPUNIT_ASSERT(server.local.claims.count("CLIPBOARD"));
    // A server application pastes.
    server.core.onLocalRequest(42, "CLIPBOARD", "UTF8_STRING", 2000);
    pump(server, client, 2000);
    CPPUNIT_ASSERT(server.local.replies.count(42));
    CPPUNIT_ASSERT(server.local.replies[42] == text(kUnicode));
    CPPUNIT_ASSERT_EQUAL(uint64_t(1), client.core.stats().contentsSent);
    CPPUNIT_ASSERT_EQUAL(uint64_t(kUnicode.size()), server.core.stats().bytesReceived);
  }

  void testPngServerToClientCompressed() {
    End server(side(Side::Server)), client(side(Side::Client));
    std::string png("\x89PNG\r\n\x1a\n", 8);
    png.append(100000, '\0');
    server.local.owned["CLIPBOARD"]["image/png"] = {"image/png", 8, png};
    server.core.onLocalOwnerChanged("CLIPBOARD", 0);
    pump(server, client, 0);
    client.core.onLocalRequest(1, "CLIPBOARD", "image/png", 10);
    CPPUNIT_ASSERT_EQUAL(size_t(1), client.out.size());
    server.core.handle(client.out.front().first, 10);
    client.out.clear();
    CPPUNIT_ASSERT_EQUAL(size_t(1), server.out.size());
    CPPUNIT_ASSERT(server.out.front().second);  // large contents: compressed on the wire
    pump(server, client, 10);
    CPPUNIT_ASSERT(client.local.replies[1] && client.local.replies[1]->bytes == png);
    CPPUNIT_ASSERT_EQUAL(std::string("image/png"), client.local.replies[1]->type);
  }

  void testTargetsAsAtoms() {
    End server(side(Side::Server)), client(side(Side::Client));
    client.local.owned["PRIMARY"]["TARGETS"] = {"ATOM", 32, "TARGETS\nUTF8_STRING\nSTRING\n"};
    client.core.onLocalOwnerChanged("PRIMARY", 0);
    pump(server, client, 0);
    server.core.onLocalRequest(5, "PRIMARY", "TARGETS", 0);
    pump(server, client, 0);
    CPPUNIT_ASSERT(server.local.replies[5]);
    CPPUNIT_ASSERT_EQUAL(std::string("ATOM"), server.local.replies[5]->type);
    CPPUNIT_ASSERT_EQUAL(std::string("TARGETS\nUTF8_STRING\nSTRING\n"),
                         server.local.replies[5]->bytes);
  }

  void testDirectionToServerOnly() {
    End server(side(Side::Server, Direction::ToServer)), client(side(Side::Client));
    // Server -> client refused at the server: no token leaves it.
    server.local.owned["CLIPBOARD"]["UTF8_STRING"] = text("secret");
    server.core.onLocalOwnerChanged("CLIPBOARD", 0);
    CPPUNIT_ASSERT(server.out.empty());
    CPPUNIT_ASSERT(server.logged("clipboard.direction=to-server"));
    // Even when the client asks anyway, it gets no data.
    server.core.handle(
        Packet{Value("clipboard-request"), Value(9), Value("CLIPBOARD"), Value("UTF8_STRING")}, 0);
    CPPUNIT_ASSERT_EQUAL(std::string("clipboard-contents-none"),
                         server.out.front().first[0].asBytes());
    server.out.clear();
    // Client -> server still works.
    client.local.owned["CLIPBOARD"]["UTF8_STRING"] = text("ok");
    client.core.onLocalOwnerChanged("CLIPBOARD", 0);
    pump(server, client, 0);
    server.core.onLocalRequest(1, "CLIPBOARD", "UTF8_STRING", 0);
    pump(server, client, 0);
    CPPUNIT_ASSERT(server.local.replies[1] == text("ok"));
  }

  void testDisabled() {
    End server(side(Side::Server, Direction::Disabled)), client(side(Side::Client));
    client.local.owned["CLIPBOARD"]["UTF8_STRING"] = text("x");
    client.core.onLocalOwnerChanged("CLIPBOARD", 0);
    pump(server, client, 0);
    CPPUNIT_ASSERT(server.local.claims.empty());
    server.core.onLocalRequest(1, "CLIPBOARD", "UTF8_STRING", 0);
    CPPUNIT_ASSERT(server.local.replies.count(1) && !server.local.replies[1]);
    CPPUNIT_ASSERT(server.out.empty());
  }

  void testClientAdoptsServerDirection() {
    End client(side(Side::Client));
    client.core.setPeerDirection(Direction::ToClient);
    CPPUNIT_ASSERT(!client.core.settings().canSend());
    CPPUNIT_ASSERT(client.core.settings().canReceive());
    client.local.owned["CLIPBOARD"]["UTF8_STRING"] = text("x");
    client.core.onLocalOwnerChanged("CLIPBOARD", 0);
    CPPUNIT_ASSERT(client.out.empty());
  }

  void testOversizeRefusedBothWays() {
    End server(side(Side::Server, Direction::Both, 1000)), client(side(Side::Client));
    // The client copies 5000 bytes: the server refuses to take them.
    client.local.owned["CLIPBOARD"]["UTF8_STRING"] = text(std::string(5000, 'a'));
    client.core.onLocalOwnerChanged("CLIPBOARD", 0);
    pump(server, client, 0);
    server.core.onLocalRequest(1, "CLIPBOARD", "UTF8_STRING", 0);
    pump(server, client, 0);
    CPPUNIT_ASSERT(server.local.replies.count(1) && !server.local.replies[1]);
    CPPUNIT_ASSERT(server.logged("refusing 5000 bytes of CLIPBOARD UTF8_STRING from the client"));
    CPPUNIT_ASSERT(server.logged("clipboard.max-size (1000)"));
    // A server application copies 2000 bytes: the server refuses to send them.
    server.local.owned["PRIMARY"]["UTF8_STRING"] = text(std::string(2000, 'b'));
    server.core.onLocalOwnerChanged("PRIMARY", 0);
    pump(server, client, 0);
    client.core.onLocalRequest(2, "PRIMARY", "UTF8_STRING", 0);
    pump(server, client, 0);
    CPPUNIT_ASSERT(client.local.replies.count(2) && !client.local.replies[2]);
    CPPUNIT_ASSERT(server.logged("refusing to send 2000 bytes of PRIMARY UTF8_STRING"));
    CPPUNIT_ASSERT_EQUAL(uint64_t(2), server.core.stats().refusedOversize);
  }

  void testRemoteTimeoutAnswersLocal() {
    End server(side(Side::Server)), client(side(Side::Client));
    client.core.onLocalOwnerChanged("CLIPBOARD", 0);
    pump(server, client, 0);
    server.core.onLocalRequest(3, "CLIPBOARD", "UTF8_STRING", 0);
    server.out.clear();  // the request is lost
    server.core.tick(1'000'000);
    CPPUNIT_ASSERT(!server.local.replies.count(3));
    server.core.tick(1'600'000);
    CPPUNIT_ASSERT(server.local.replies.count(3) && !server.local.replies[3]);
    CPPUNIT_ASSERT(server.logged("did not answer"));
    // A late answer is dropped quietly.
    server.core.handle(Packet{Value("clipboard-contents"), Value(0), Value("CLIPBOARD"),
                              Value("UTF8_STRING"), Value(8), Value("bytes"), Value("late")},
                       2'000'000);
    CPPUNIT_ASSERT(!server.local.replies[3]);
  }

  void testLocalTimeoutAnswersPeer() {
    End server(side(Side::Server));
    server.local.answerConverts = false;  // a local owner that never answers
    server.core.onLocalOwnerChanged("CLIPBOARD", 0);
    server.out.clear();
    server.core.handle(
        Packet{Value("clipboard-request"), Value(4), Value("CLIPBOARD"), Value("UTF8_STRING")}, 0);
    CPPUNIT_ASSERT(server.out.empty());
    server.core.tick(2'500'000);
    CPPUNIT_ASSERT_EQUAL(size_t(1), server.out.size());
    CPPUNIT_ASSERT_EQUAL(std::string("clipboard-contents-none"),
                         server.out.front().first[0].asBytes());
    // The answer arriving later sends nothing more.
    server.core.onLocalContents(server.local.converts.front().first, text("late"));
    CPPUNIT_ASSERT_EQUAL(size_t(1), server.out.size());
  }

  void testLoopGuardStopsPingPong() {
    // Clipboard managers on both ends: each claim is answered by a new local owner.
    End server(side(Side::Server)), client(side(Side::Client));
    uint64_t now = 0;
    client.core.onLocalOwnerChanged("CLIPBOARD", now);
    size_t tokens = 0;
    for (int i = 0; i < 50; ++i) {
      now += 10'000;
      bool moved = false;
      while (!client.out.empty()) {
        server.core.handle(client.out.front().first, now);
        client.out.pop_front();
        ++tokens;
        moved = true;
      }
      if (!server.local.claims.empty()) {
        server.local.claims.clear();
        server.core.onLocalOwnerChanged("CLIPBOARD", now + 1000);  // the manager grabs it
      }
      while (!server.out.empty()) {
        client.core.handle(server.out.front().first, now);
        server.out.pop_front();
        ++tokens;
        moved = true;
      }
      if (!client.local.claims.empty()) {
        client.local.claims.clear();
        client.core.onLocalOwnerChanged("CLIPBOARD", now + 1000);
      }
      if (!moved)
        break;
    }
    CPPUNIT_ASSERT_MESSAGE(std::to_string(tokens), tokens < 12);
    CPPUNIT_ASSERT(server.logged("disabled") || client.logged("disabled"));
    // A token well after the last one received is no echo.
    End a(side(Side::Server)), b(side(Side::Client));
    for (int i = 0; i < 10; ++i) {
      b.core.onLocalOwnerChanged("CLIPBOARD", i * 2'000'000ull);
      pump(a, b, i * 2'000'000ull);
      a.core.onLocalOwnerChanged("CLIPBOARD", i * 2'000'000ull + 1'000'000);
      pump(a, b, i * 2'000'000ull + 1'000'000);
    }
    CPPUNIT_ASSERT_EQUAL(uint64_t(10), a.core.stats().tokensSent);
  }

  void testEnableSelections() {
    End server(side(Side::Server)), client(side(Side::Client));
    server.core.handle(
        Packet{Value("clipboard-enable-selections"), Value(Value::List{Value("CLIPBOARD")})}, 0);
    CPPUNIT_ASSERT(server.core.selectionEnabled("CLIPBOARD"));
    CPPUNIT_ASSERT(!server.core.selectionEnabled("PRIMARY"));
    server.core.onLocalOwnerChanged("PRIMARY", 0);
    CPPUNIT_ASSERT(server.out.empty());
    client.core.onLocalOwnerChanged("PRIMARY", 0);
    pump(server, client, 0);
    CPPUNIT_ASSERT(server.local.claims.empty());
  }

  void testGreedyTokenDataServedWithoutRequest() {
    End server(side(Side::Server));
    rdk::protocol::ClipboardToken t;
    t.selection = "CLIPBOARD";
    t.targets = std::vector<std::string>{"UTF8_STRING"};
    t.target = "UTF8_STRING";
    t.data = rdk::protocol::ClipboardWireData{"UTF8_STRING", 8, "bytes", Value(kUnicode)};
    t.greedy = true;
    server.core.handle(t.toPacket(), 0);
    CPPUNIT_ASSERT_EQUAL(size_t(1), server.local.claims["CLIPBOARD"].size());
    server.core.onLocalRequest(8, "CLIPBOARD", "UTF8_STRING", 0);
    CPPUNIT_ASSERT(server.out.empty());
    CPPUNIT_ASSERT(server.local.replies[8] == text(kUnicode));
  }

  void testUnknownRequestIdsIgnored() {
    End server(side(Side::Server));
    server.core.handle(Packet{Value("clipboard-contents-none"), Value(99), Value("CLIPBOARD")}, 0);
    server.core.handle(Packet{Value("clipboard-pending-requests"), Value(2)}, 0);
    server.core.handle(Packet{Value("clipboard-loop-uuids"), Value(Value::Dict{})}, 0);
    CPPUNIT_ASSERT(server.out.empty() && server.local.replies.empty());
    CPPUNIT_ASSERT(!server.core.handle(Packet{Value("draw")}, 0));
  }

  void testPendingRequestsAreBounded() {
    // A peer that floods requests the local owner never answers: at most kMaxPending wait, the
    // rest get contents-none at once.
    End server(side(Side::Server));
    server.local.answerConverts = false;
    server.core.onLocalOwnerChanged("CLIPBOARD", 0);
    server.out.clear();
    for (int i = 0; i < 10000; ++i) {
      server.core.handle(
          Packet{Value("clipboard-request"), Value(i), Value("CLIPBOARD"), Value("UTF8_STRING")},
          0);
    }
    CPPUNIT_ASSERT_EQUAL(ClipboardCore::kMaxPending, server.local.converts.size());
    CPPUNIT_ASSERT_EQUAL(size_t(10000) - ClipboardCore::kMaxPending, server.out.size());
    // Local pastes while the peer never answers: bounded the same way.
    End client(side(Side::Client));
    client.core.handle(Packet{Value("clipboard-token"), Value("CLIPBOARD")}, 0);
    for (uint32_t i = 0; i < 1000; ++i)
      client.core.onLocalRequest(i, "CLIPBOARD", "UTF8_STRING", 0);
    CPPUNIT_ASSERT_EQUAL(ClipboardCore::kMaxPending, client.out.size());
    CPPUNIT_ASSERT_EQUAL(size_t(1000) - ClipboardCore::kMaxPending, client.local.replies.size());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ClipboardCoreTest);
