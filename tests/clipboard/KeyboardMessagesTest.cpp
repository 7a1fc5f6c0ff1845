// layout-changed, keymap-changed and key-repeat as Xpra 3.1.3 clients send them.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include "rdk/protocol/codec.h"
#include "rdk/protocol/messages/keyboard.h"

using namespace rdk::protocol;

class KeyboardMessagesTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(KeyboardMessagesTest);
  CPPUNIT_TEST(testLayoutChanged);
  CPPUNIT_TEST(testKeymapChanged);
  CPPUNIT_TEST(testKeyRepeat);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testLayoutChanged() {
    // input_server._process_layout: [layout, variant(, options)].
    LayoutChanged l = LayoutChanged::fromPacket({Value("layout-changed"), Value("de"), Value("")});
    CPPUNIT_ASSERT_EQUAL(std::string("de"), l.layout);
    CPPUNIT_ASSERT(!l.options);
    LayoutChanged f{"fr", "azerty", std::string("grp:alt_shift_toggle")};
    CPPUNIT_ASSERT(LayoutChanged::fromPacket(rdecode(rencode(Value(f.toPacket()))).asList()) == f);
    CPPUNIT_ASSERT_THROW(LayoutChanged::fromPacket({Value("layout-changed"), Value("de")}),
                         ProtocolError);
  }

  void testKeymapChanged() {
    Value props(Value::Dict{});
    props.set("xkbmap_layout", Value("fr"));
    props.set("xkbmap_query", Value("rules: evdev\nlayout: fr\n"));
    KeymapChanged k =
        KeymapChanged::fromPacket({Value("keymap-changed"), props, Value(true), Value(0)});
    CPPUNIT_ASSERT(k.force);
    CPPUNIT_ASSERT(Value(k.properties).find("xkbmap_layout") != nullptr);
    // An empty dict may come as "" from bencode peers.
    CPPUNIT_ASSERT(
        KeymapChanged::fromPacket({Value("keymap-changed"), Value("")}).properties.empty());
  }

  void testKeyRepeat() {
    // [wid, keyname, keyval, keycode, modifiers(, group)].
    KeyRepeat r = KeyRepeat::fromPacket({Value("key-repeat"), Value(1), Value("a"), Value(97),
                                         Value(38), Value(Value::List{Value("shift")}), Value(0)});
    CPPUNIT_ASSERT_EQUAL(std::string("a"), r.keyname);
    CPPUNIT_ASSERT_EQUAL(size_t(1), r.modifiers.size());
    CPPUNIT_ASSERT(KeyRepeat::fromPacket(r.toPacket()) == r);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(KeyboardMessagesTest);
