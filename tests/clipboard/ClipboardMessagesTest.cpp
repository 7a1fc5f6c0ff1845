// The clipboard packets as Xpra 3.1.3 lays them out, through rencode and bencode and back.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include "rdk/protocol/codec.h"
#include "rdk/protocol/messages/clipboard.h"

using namespace rdk::protocol;

namespace {

Packet viaRencode(const Packet& p) {
  return rdecode(rencode(Value(p))).asList();
}
Packet viaBencode(const Packet& p) {
  return bdecode(bencode(Value(p))).asList();
}

}  // namespace

class ClipboardMessagesTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ClipboardMessagesTest);
  CPPUNIT_TEST(testBareTokenIsTwoFields);
  CPPUNIT_TEST(testGreedyTokenRoundTrip);
  CPPUNIT_TEST(testStockTokenWithTargetsOnly);
  CPPUNIT_TEST(testRequestContentsAndNone);
  CPPUNIT_TEST(testAtomsContents);
  CPPUNIT_TEST(testMalformedPacketsNameTheField);
  CPPUNIT_TEST(testSelectionsPendingEnabled);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testBareTokenIsTwoFields() {
    Packet p = ClipboardToken{"CLIPBOARD"}.toPacket();
    CPPUNIT_ASSERT_EQUAL(size_t(2), p.size());
    ClipboardToken t = ClipboardToken::fromPacket(viaRencode(p));
    CPPUNIT_ASSERT_EQUAL(std::string("CLIPBOARD"), t.selection);
    CPPUNIT_ASSERT(!t.targets && !t.data);
    CPPUNIT_ASSERT(t.claim);  // older peers: a token always claims
  }

  void testGreedyTokenRoundTrip() {
    ClipboardToken t;
    t.selection = "PRIMARY";
    t.targets = std::vector<std::string>{"UTF8_STRING", "TEXT"};
    t.target = "UTF8_STRING";
    t.data = ClipboardWireData{"UTF8_STRING", 8, "bytes", Value("h\xc3\xa9")};
    t.claim = true;
    t.greedy = true;
    Packet p = t.toPacket();
    CPPUNIT_ASSERT_EQUAL(size_t(11), p.size());  // as _send_clipboard_token_handler + sync
    CPPUNIT_ASSERT(ClipboardToken::fromPacket(viaRencode(p)) == t);
    ClipboardToken b = ClipboardToken::fromPacket(viaBencode(p));
    CPPUNIT_ASSERT(b.data && b.data->data == Value("h\xc3\xa9"));
  }

  void testStockTokenWithTargetsOnly() {
    // ["clipboard-token", sel, targets]: a want-targets peer without data.
    Packet p{Value("clipboard-token"), Value("CLIPBOARD"),
             Value(Value::List{Value("TARGETS"), Value("UTF8_STRING")})};
    ClipboardToken t = ClipboardToken::fromPacket(p);
    CPPUNIT_ASSERT(t.targets && t.targets->size() == 2);
    CPPUNIT_ASSERT(!t.data);
  }

  void testRequestContentsAndNone() {
    ClipboardRequest r{7, "CLIPBOARD", "image/png"};
    CPPUNIT_ASSERT(ClipboardRequest::fromPacket(viaRencode(r.toPacket())) == r);
    ClipboardContents c;
    c.requestId = 7;
    c.selection = "CLIPBOARD";
    c.data = {"image/png", 8, "bytes", Value(std::string("\x89PNG\0\1", 6))};
    c.truncated = 0;
    Packet p = c.toPacket();
    CPPUNIT_ASSERT_EQUAL(size_t(8), p.size());
    CPPUNIT_ASSERT_EQUAL(ClipboardContents::kDataIndex, size_t(6));
    CPPUNIT_ASSERT(p[ClipboardContents::kDataIndex].isBytes());
    CPPUNIT_ASSERT(ClipboardContents::fromPacket(viaRencode(p)) == c);
    ClipboardContentsNone n{7, "CLIPBOARD"};
    CPPUNIT_ASSERT(ClipboardContentsNone::fromPacket(viaBencode(n.toPacket())) == n);
  }

  void testAtomsContents() {
    Packet p{Value("clipboard-contents"),
             Value(1),
             Value("CLIPBOARD"),
             Value("ATOM"),
             Value(32),
             Value("atoms"),
             Value(Value::List{Value("TARGETS"), Value("UTF8_STRING")})};
    ClipboardContents c = ClipboardContents::fromPacket(p);
    CPPUNIT_ASSERT_EQUAL(std::string("atoms"), c.data.encoding);
    CPPUNIT_ASSERT(c.data.data.isList());
    CPPUNIT_ASSERT(!c.truncated);
  }

  void testMalformedPacketsNameTheField() {
    auto expectError = [](const Packet& p, const std::string& needle) {
      try {
        ClipboardContents::fromPacket(p);
        CPPUNIT_FAIL("accepted a malformed clipboard-contents");
      } catch (const ProtocolError& e) {
        CPPUNIT_ASSERT_MESSAGE(e.what(), std::string(e.what()).find(needle) != std::string::npos);
      }
    };
    expectError({Value("clipboard-contents"), Value(1)}, "clipboard-contents");
    expectError({Value("clipboard-contents"), Value(1), Value("CLIPBOARD"), Value("STRING"),
                 Value(12), Value("bytes"), Value("x")},
                "dformat");
    expectError({Value("clipboard-contents"), Value(1), Value("CLIPBOARD"), Value("STRING"),
                 Value(8), Value("bytes"), Value(3)},
                "wire_data");
    CPPUNIT_ASSERT_THROW(ClipboardRequest::fromPacket({Value("clipboard-request"), Value("x"),
                                                       Value("CLIPBOARD"), Value("TARGETS")}),
                         ProtocolError);
  }

  void testSelectionsPendingEnabled() {
    ClipboardEnableSelections e{{"CLIPBOARD"}};
    CPPUNIT_ASSERT(ClipboardEnableSelections::fromPacket(viaRencode(e.toPacket())) == e);
    ClipboardPendingRequests pr{3};
    CPPUNIT_ASSERT(ClipboardPendingRequests::fromPacket(viaRencode(pr.toPacket())) == pr);
    SetClipboardEnabled s{false, std::string("loop")};
    CPPUNIT_ASSERT(SetClipboardEnabled::fromPacket(viaRencode(s.toPacket())) == s);
    SetClipboardEnabled c =
        SetClipboardEnabled::fromPacket({Value("set-clipboard-enabled"), Value(true)});
    CPPUNIT_ASSERT(c.enabled && !c.reason);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ClipboardMessagesTest);
