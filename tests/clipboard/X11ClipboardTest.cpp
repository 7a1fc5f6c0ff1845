// The clipboard end to end on real X servers (issue 16): what xclip copies on the client's Xvfb
// is what xclip pastes on the server's, and back; Unicode exact, a PNG byte for byte, CLIPBOARD
// and PRIMARY; clipboard.direction honoured; contents over clipboard.max-size refused with a log
// line.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <thread>

#include "x11_session_fixture.h"

using rdk::test::makePng;
using rdk::test::writeFile;
using rdk::test::X11Session;

namespace {

// German, French, euro, emoji (4-byte UTF-8), Japanese, a combining accent and a newline.
const std::string kUnicode =
    "Gr\xc3\xbc\xc3\x9f\x65 \xc3\xa0 \xc3\xa9t\xc3\xa9 \xe2\x82\xac 5 \xf0\x9f\x98\x80 "
    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e e\xcc\x81\nline 2";

}  // namespace

class X11ClipboardTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(X11ClipboardTest);
  CPPUNIT_TEST(testTextAndPngBothWays);
  CPPUNIT_TEST(testDirectionAndMaxSize);
  CPPUNIT_TEST(testSeamlessServer);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testTextAndPngBothWays() {
    X11Session s("clipboard-x11-both", std::vector<std::string>{});
    const std::string text = s.dir() + "/text.txt", png1 = s.dir() + "/a.png",
                      png2 = s.dir() + "/b.png";
    writeFile(text, kUnicode);
    const std::string imageA = makePng(200, 120, 1), imageB = makePng(90, 300, 2);
    writeFile(png1, imageA);
    writeFile(png2, imageB);
    // Client -> server, CLIPBOARD, Unicode text.
    s.copy(s.clientDisplay(), "clipboard", "UTF8_STRING", text);
    std::string got = s.pasteUntil(s.serverDisplay(), "clipboard", "UTF8_STRING", kUnicode, 15000);
    CPPUNIT_ASSERT_MESSAGE("client -> server text: '" + got + "'\n" + s.server().output(),
                           got == kUnicode);
    // Server -> client, PRIMARY.
    const std::string back = kUnicode + " (from the server)";
    writeFile(text + "2", back);
    s.copy(s.serverDisplay(), "primary", "UTF8_STRING", text + "2");
    got = s.pasteUntil(s.clientDisplay(), "primary", "UTF8_STRING", back, 15000);
    CPPUNIT_ASSERT_MESSAGE("server -> client text: '" + got + "'", got == back);
    // A PNG each way (over 512 bytes: sent compressed), byte for byte; TARGETS lists it.
    s.copy(s.clientDisplay(), "clipboard", "image/png", png1);
    got = s.pasteUntil(s.serverDisplay(), "clipboard", "image/png", imageA, 15000);
    CPPUNIT_ASSERT_MESSAGE("client -> server png: " + std::to_string(got.size()) + " bytes",
                           got == imageA);
    const std::string targets = s.paste(s.serverDisplay(), "clipboard", "TARGETS");
    CPPUNIT_ASSERT_MESSAGE(targets, targets.find("image/png") != std::string::npos);
    s.copy(s.serverDisplay(), "clipboard", "image/png", png2);
    got = s.pasteUntil(s.clientDisplay(), "clipboard", "image/png", imageB, 15000);
    CPPUNIT_ASSERT_MESSAGE("server -> client png: " + std::to_string(got.size()) + " bytes",
                           got == imageB);
  }

  void testDirectionAndMaxSize() {
    X11Session s("clipboard-x11-limits",
                 {"clipboard.direction=to-server", "clipboard.max-size=100000"});
    const std::string small = s.dir() + "/small.txt", big = s.dir() + "/big.txt",
                      server = s.dir() + "/server.txt";
    writeFile(small, "to the server: ok \xc3\xa9");
    writeFile(big, std::string(300000, 'x'));
    writeFile(server, "must stay on the server");
    // to-server: the client's copy arrives.
    s.copy(s.clientDisplay(), "clipboard", "UTF8_STRING", small);
    std::string got = s.pasteUntil(s.serverDisplay(), "clipboard", "UTF8_STRING",
                                   "to the server: ok \xc3\xa9", 15000);
    CPPUNIT_ASSERT_EQUAL(std::string("to the server: ok \xc3\xa9"), got);
    // Over clipboard.max-size: refused by the server, with a log line.
    s.copy(s.clientDisplay(), "clipboard", "UTF8_STRING", big);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    got = s.paste(s.serverDisplay(), "clipboard", "UTF8_STRING");
    CPPUNIT_ASSERT_MESSAGE(std::to_string(got.size()) + " bytes pasted", got.empty());
    const std::string refused =
        s.server().waitForOutput("refusing 300000 bytes of CLIPBOARD UTF8_STRING", 10000);
    CPPUNIT_ASSERT_MESSAGE(s.server().output(),
                           refused.find("clipboard.max-size (100000)") != std::string::npos);
    // Server -> client is not allowed: the client's own PRIMARY stays as it was.
    writeFile(s.dir() + "/mine.txt", "the client's own");
    s.copy(s.clientDisplay(), "primary", "UTF8_STRING", s.dir() + "/mine.txt");
    s.copy(s.serverDisplay(), "primary", "UTF8_STRING", server);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    got = s.paste(s.clientDisplay(), "primary", "UTF8_STRING");
    CPPUNIT_ASSERT_EQUAL(std::string("the client's own"), got);
    CPPUNIT_ASSERT(!s.server().waitForOutput("clipboard.direction=to-server", 5000).empty());
  }

  void testSeamlessServer() {
    // `rdkernel start`: the seamless platform's display has the same clipboard.
    X11Session s("clipboard-x11-seamless", X11Session::Seamless{"xmessage -geometry +10+10 hi"});
    writeFile(s.dir() + "/a.txt", kUnicode);
    s.copy(s.clientDisplay(), "clipboard", "UTF8_STRING", s.dir() + "/a.txt");
    std::string got = s.pasteUntil(s.serverDisplay(), "clipboard", "UTF8_STRING", kUnicode, 15000);
    CPPUNIT_ASSERT_MESSAGE("client -> seamless: '" + got + "'\n" + s.server().output(),
                           got == kUnicode);
    writeFile(s.dir() + "/b.txt", "from the seamless display");
    s.copy(s.serverDisplay(), "primary", "UTF8_STRING", s.dir() + "/b.txt");
    got = s.pasteUntil(s.clientDisplay(), "primary", "UTF8_STRING", "from the seamless display",
                       15000);
    CPPUNIT_ASSERT_EQUAL(std::string("from the seamless display"), got);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(X11ClipboardTest);
