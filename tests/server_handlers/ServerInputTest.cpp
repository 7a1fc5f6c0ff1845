#include "ServerInputTest.h"

#include <map>
#include <string>
#include <vector>

#include "client_test_support.hpp"
#include "rdk/protocol/messages/all.h"
#include "rdk/session/server_input.h"

CPPUNIT_TEST_SUITE_REGISTRATION(ServerInputTest);

using namespace rdk::protocol;
using rdk::session::ServerInput;
using rdk::test::protocolErrorOf;

namespace {

struct Injected {
  rdk_input_event event;
  std::string keyname;  // the event's pointer is only valid during inject()
};

class RecordingTarget final : public rdk::session::InputTarget {
 public:
  std::optional<rdk_rect> windowGeometry(uint64_t wid) const override {
    const auto it = windows.find(wid);
    if (it == windows.end())
      return std::nullopt;
    return it->second;
  }
  bool inject(const rdk_input_event& event, std::string* error) override {
    injected.push_back({event, event.keyname ? event.keyname : ""});
    if (!refusal.empty()) {
      *error = refusal;
      return false;
    }
    return true;
  }
  std::map<uint64_t, rdk_rect> windows{{1, rdk_rect{100, 50, 640, 480}}};
  std::vector<Injected> injected;
  std::string refusal;
};

}  // namespace

void ServerInputTest::testKeyAction() {
  RecordingTarget target;
  ServerInput input(target);
  MessageDispatcher d;
  input.registerWith(d);
  // As a 3.1.3 client sends it: wid, keyname, pressed, modifiers, keyval, string, keycode, group.
  CPPUNIT_ASSERT(
      d.dispatch({Value("key-action"), Value(1), Value("a"), Value(true),
                  Value(Value::List{Value("shift")}), Value(97), Value("A"), Value(38), Value(0)}));
  CPPUNIT_ASSERT_EQUAL(size_t{1}, target.injected.size());
  const rdk_input_event& e = target.injected[0].event;
  CPPUNIT_ASSERT_EQUAL(uint32_t{RDK_INPUT_KEY}, e.type);
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, e.wid);
  CPPUNIT_ASSERT_EQUAL(std::string("a"), target.injected[0].keyname);
  CPPUNIT_ASSERT_EQUAL(1, int(e.pressed));
  CPPUNIT_ASSERT_EQUAL(uint32_t{1}, e.modifiers);
  CPPUNIT_ASSERT_EQUAL(uint32_t{97}, e.keyval);
  CPPUNIT_ASSERT_EQUAL(uint32_t{38}, e.keycode);
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, input.events());
}

void ServerInputTest::testPointerInWindowCoordinates() {
  RecordingTarget target;
  ServerInput input(target);
  MessageDispatcher d;
  input.registerWith(d);
  d.dispatch(ButtonAction{1, 3, true, 110, 70, {"control"}, {}, {}}.toPacket());
  PointerPosition motion;
  motion.wid = 1;
  motion.x = 740;
  motion.y = 530;
  d.dispatch(motion.toPacket());
  CPPUNIT_ASSERT_EQUAL(size_t{2}, target.injected.size());
  const rdk_input_event& click = target.injected[0].event;
  CPPUNIT_ASSERT_EQUAL(uint32_t{RDK_INPUT_BUTTON}, click.type);
  CPPUNIT_ASSERT_EQUAL(int32_t{10}, click.x);
  CPPUNIT_ASSERT_EQUAL(int32_t{20}, click.y);
  CPPUNIT_ASSERT_EQUAL(uint32_t{3}, click.button);
  CPPUNIT_ASSERT_EQUAL(1, int(click.pressed));
  CPPUNIT_ASSERT_EQUAL(uint32_t{1u << 2}, click.modifiers);
  const rdk_input_event& move = target.injected[1].event;
  CPPUNIT_ASSERT_EQUAL(uint32_t{RDK_INPUT_MOTION}, move.type);
  CPPUNIT_ASSERT_EQUAL(int32_t{640}, move.x);
  CPPUNIT_ASSERT_EQUAL(int32_t{480}, move.y);
}

void ServerInputTest::testUnknownWindowKeepsRootCoordinates() {
  // A client may point at a window that just went away: the platform decides what that means.
  RecordingTarget target;
  ServerInput input(target);
  input.onButton(ButtonAction{99, 1, false, 300, 200, {}, {}, {}});
  CPPUNIT_ASSERT_EQUAL(size_t{1}, target.injected.size());
  CPPUNIT_ASSERT_EQUAL(uint64_t{99}, target.injected[0].event.wid);
  CPPUNIT_ASSERT_EQUAL(int32_t{300}, target.injected[0].event.x);
  CPPUNIT_ASSERT_EQUAL(int32_t{200}, target.injected[0].event.y);
}

void ServerInputTest::testModifierMask() {
  CPPUNIT_ASSERT_EQUAL(uint32_t{0}, ServerInput::modifierMask({}));
  CPPUNIT_ASSERT_EQUAL(uint32_t{0xFF},
                       ServerInput::modifierMask(
                           {"shift", "lock", "control", "mod1", "mod2", "mod3", "mod4", "mod5"}));
  // Names Xpra clients may add (or garbage) are ignored, not guessed.
  CPPUNIT_ASSERT_EQUAL(uint32_t{1u << 3},
                       ServerInput::modifierMask({"mod1", "hyper", "Shift", "meta", ""}));
}

void ServerInputTest::testRefusedInputIsCountedAndKept() {
  RecordingTarget target;
  target.refusal = "keysym 'Frobnicate' has no keycode";
  ServerInput input(target);
  input.onKey(KeyAction{1, "Frobnicate", true, {}, 0, "", 0, 0});
  CPPUNIT_ASSERT_EQUAL(uint64_t{1}, input.events());
  CPPUNIT_ASSERT_EQUAL(target.refusal, input.lastError());
  target.refusal.clear();
  input.onKey(KeyAction{1, "a", true, {}, 97, "a", 38, 0});
  CPPUNIT_ASSERT_EQUAL(uint64_t{2}, input.events());
  // The last refusal stays visible (info's input.last-error) after later events succeed.
  CPPUNIT_ASSERT_EQUAL(std::string("keysym 'Frobnicate' has no keycode"), input.lastError());
}

void ServerInputTest::testMalformedInputNeverReachesThePlatform() {
  RecordingTarget target;
  ServerInput input(target);
  MessageDispatcher d;
  input.registerWith(d);
  CPPUNIT_ASSERT(!protocolErrorOf([&] {
                    d.dispatch({Value("key-action"), Value(1), Value("a")});
                  }).empty());
  CPPUNIT_ASSERT(!protocolErrorOf([&] {
                    d.dispatch({Value("button-action"), Value("one"), Value(1), Value(true),
                                Value(Value::List{Value(1), Value(2)}), Value(Value::List{})});
                  }).empty());
  CPPUNIT_ASSERT(!protocolErrorOf([&] {
                    d.dispatch({Value("pointer-position"), Value(1), Value(Value::List{})});
                  }).empty());
  CPPUNIT_ASSERT(target.injected.empty());
  CPPUNIT_ASSERT_EQUAL(uint64_t{0}, input.events());
}
