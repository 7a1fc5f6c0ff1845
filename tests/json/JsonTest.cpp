// The one JSON path (issue 20): rdk::json (sdk/include/rdk/json.hpp) is what the kernel's
// protocol::Value and the plugins read and write JSON with. This pins the behaviour they share:
// escaping, UTF-8, shortest floats, and malformed text refused with its offset.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "rdk/json.hpp"
#include "rdk/protocol/value.h"

namespace {

using rdk::json::Value;

class JsonTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(JsonTest);
  CPPUNIT_TEST(testEscaping);
  CPPUNIT_TEST(testUtf8PassesAndInvalidBytesAreReplaced);
  CPPUNIT_TEST(testShortestFloats);
  CPPUNIT_TEST(testMalformedIsRefusedWithItsOffset);
  CPPUNIT_TEST(testDocumentModel);
  CPPUNIT_TEST(testProtocolValueWritesAndReadsTheSameText);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testEscaping() {
    CPPUNIT_ASSERT_EQUAL(std::string(R"("a\"b\\c/d")"), rdk::json::quote("a\"b\\c/d"));
    CPPUNIT_ASSERT_EQUAL(std::string(R"("\n\r\t\b\f\u0000\u0001\u001f\u007f")"),
                         rdk::json::quote(std::string("\n\r\t\b\f\0\x01\x1f\x7f", 9)));
    // What is escaped reads back as it was, every byte below 0x80.
    std::string all;
    for (int c = 0; c < 0x80; ++c)
      all += static_cast<char>(c);
    CPPUNIT_ASSERT_EQUAL(all, Value::parse(rdk::json::quote(all)).asString());
    // Escapes the writer never makes are read: \/, \u with surrogate pairs.
    CPPUNIT_ASSERT_EQUAL(std::string("/\xC3\xA9\xF0\x9F\x98\x80"),
                         Value::parse(R"("\/\u00e9\ud83d\ude00")").asString());
  }

  void testUtf8PassesAndInvalidBytesAreReplaced() {
    const std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xE4\xB8\xAD";
    CPPUNIT_ASSERT_EQUAL("\"" + text + "\"", rdk::json::quote(text));
    CPPUNIT_ASSERT_EQUAL(text, Value::parse(rdk::json::quote(text)).asString());
    // Not UTF-8 (a Latin-1 byte, a cut sequence, an overlong '/', a surrogate): U+FFFD each, so
    // the output is always valid JSON.
    const std::string fffd = "\xEF\xBF\xBD";
    CPPUNIT_ASSERT_EQUAL("\"a" + fffd + "b\"", rdk::json::quote("a\xE9"
                                                                "b"));
    CPPUNIT_ASSERT_EQUAL("\"" + fffd + fffd + "\"", rdk::json::quote("\xE2\x82"));
    CPPUNIT_ASSERT_EQUAL("\"" + fffd + fffd + "\"", rdk::json::quote("\xC0\xAF"));
    CPPUNIT_ASSERT(!rdk::json::isValidUtf8("\xED\xA0\x80"));
    CPPUNIT_ASSERT(rdk::json::isValidUtf8(text));
  }

  void testShortestFloats() {
    const auto text = [](double d) { return Value(d).dump(); };
    CPPUNIT_ASSERT_EQUAL(std::string("0.1"), text(0.1));
    CPPUNIT_ASSERT_EQUAL(std::string("5.002153"), text(5.002153));
    CPPUNIT_ASSERT_EQUAL(std::string("1.0"), text(1.0));  // stays a float when read back
    CPPUNIT_ASSERT_EQUAL(std::string("-0.0"), text(-0.0));
    CPPUNIT_ASSERT_EQUAL(std::string("1e+21"), text(1e21));
    CPPUNIT_ASSERT_EQUAL(std::string("5e-324"), text(5e-324));
    CPPUNIT_ASSERT_EQUAL(std::string("null"), text(std::nan("")));
    CPPUNIT_ASSERT_EQUAL(std::string("null"), text(std::numeric_limits<double>::infinity()));
    CPPUNIT_ASSERT_EQUAL(std::string("-9223372036854775808"),
                         Value(std::numeric_limits<int64_t>::min()).dump());
    CPPUNIT_ASSERT(Value::parse("1.0").isFloat());
    CPPUNIT_ASSERT(Value::parse("10").isInt());
    CPPUNIT_ASSERT(Value::parse("1e2").isFloat());
    CPPUNIT_ASSERT(Value::parse("9223372036854775808").isFloat());  // beyond int64
    std::mt19937_64 rng(20);
    for (int i = 0; i < 10000; ++i) {
      double d;
      const uint64_t bits = rng();
      std::memcpy(&d, &bits, sizeof d);
      if (!std::isfinite(d))
        continue;
      const std::string t = text(d);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(t, d, Value::parse(t).asDouble());
    }
  }

  void expectRefused(const std::string& text, size_t offset, const std::string& why) {
    try {
      Value::parse(text);
    } catch (const rdk::json::ParseError& e) {
      const std::string message = e.what();
      CPPUNIT_ASSERT_EQUAL_MESSAGE(text + " -> " + message, offset, e.offset());
      CPPUNIT_ASSERT_MESSAGE(
          text + " -> " + message,
          message.find("invalid JSON at offset " + std::to_string(offset) + ": " + why) == 0);
      // protocol::Value reads with the same parser and says the same.
      try {
        rdk::protocol::Value::fromJson(text);
      } catch (const rdk::protocol::ProtocolError& p) {
        CPPUNIT_ASSERT_EQUAL(message, std::string(p.what()));
        return;
      }
      CPPUNIT_FAIL("protocol::Value::fromJson accepted " + text);
    }
    CPPUNIT_FAIL("accepted: " + text);
  }

  void testMalformedIsRefusedWithItsOffset() {
    expectRefused("", 0, "unexpected end of text");
    expectRefused("  ", 2, "unexpected end of text");
    expectRefused("{\"a\":1,}", 7, "expected a string key");
    expectRefused("[1,2", 4, "expected ',' or ']'");
    expectRefused("[1,]", 3, "unexpected character ']'");
    expectRefused("{\"a\" 1}", 5, "expected ':'");
    expectRefused("{'a':1}", 1, "expected a string key");
    expectRefused("01", 0, "leading zero");
    expectRefused("-", 1, "expected a digit");
    expectRefused("1.", 2, "expected a digit after '.'");
    expectRefused("1e", 2, "expected a digit in the exponent");
    expectRefused("1e999", 0, "number out of range");
    // Where the text goes wrong: a literal at its first wrong byte, a text that ends early
    // (a truncated file) at its end.
    expectRefused("tru", 3, "unexpected end of text");
    expectRefused("[trux]", 4, "unexpected character 'x' in true");
    expectRefused("\"\\u12", 5, "unterminated string literal");
    expectRefused("\"\\ud800\\", 8, "unterminated string literal");
    expectRefused("NaN", 0, "unexpected character 'N'");
    expectRefused("1 2", 2, "trailing characters");
    expectRefused("{} // comment", 3, "trailing characters");
    expectRefused("\"abc", 4, "unterminated string");
    expectRefused("\"a\nb\"", 2, "control character in a string");
    expectRefused("\"a\xFF\"", 2, "invalid UTF-8");
    expectRefused("\"\\x\"", 1, "bad escape '\\x'");
    expectRefused("\"\\u12G4\"", 5, "bad hex digit");
    expectRefused("\"\\ud800\"", 7, "high surrogate without its low half");
    expectRefused("\"\\udc00\"", 7, "lone low surrogate");
    expectRefused(std::string(300, '['), 201, "nesting deeper than 200");
    try {
      Value::parse("{\"a\" 1}");
    } catch (const rdk::json::ParseError& e) {
      CPPUNIT_ASSERT_EQUAL(std::string("expected ':' after member name"), e.reason());
    }
  }

  void testDocumentModel() {
    Value v = Value::parse(
        R"( {"name":"x11","n":3,"f":2.5,"ok":true,"none":null,"list":[1,"two"],"n":4} )");
    CPPUNIT_ASSERT(v.isObject());
    CPPUNIT_ASSERT_EQUAL(size_t(6), v.asObject().size());  // the repeated "n" replaced the first
    CPPUNIT_ASSERT_EQUAL(int64_t(4), v.getInt("n"));
    CPPUNIT_ASSERT_EQUAL(2.5, v.getDouble("f"));
    CPPUNIT_ASSERT_EQUAL(std::string("x11"), v.getString("name"));
    CPPUNIT_ASSERT_EQUAL(std::string("fallback"), v.getString("none", "fallback"));
    CPPUNIT_ASSERT_EQUAL(true, v.getBool("ok"));
    CPPUNIT_ASSERT_EQUAL(int64_t(7), v.getInt("absent", 7));
    CPPUNIT_ASSERT_EQUAL(std::string("two"), v.at("list").asArray()[1].asString());
    CPPUNIT_ASSERT_EQUAL(std::string("3"), Value(3).asText());
    CPPUNIT_ASSERT_EQUAL(std::string("x"), Value("x").asText());
    try {
      v.getInt("name");
      CPPUNIT_FAIL("a string read as an integer");
    } catch (const rdk::json::TypeError& e) {
      CPPUNIT_ASSERT_EQUAL(std::string("'name': expected an integer, got a string"),
                           std::string(e.what()));
    }
    CPPUNIT_ASSERT_THROW(v.at("absent"), rdk::json::TypeError);
    CPPUNIT_ASSERT_THROW(Value(2.5).asInt(), rdk::json::TypeError);
    CPPUNIT_ASSERT_EQUAL(int64_t(3), Value(3.0).asInt());
    v.set("name", "x\"11");
    v.set("new", Value::array());
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"({"name":"x\"11","n":4,"f":2.5,"ok":true,"none":null,"list":[1,"two"],)"
                    R"("new":[]})"),
        v.dump());
    CPPUNIT_ASSERT(Value::parse(v.dump()) == v);
    // Indented: one member or item a line; empty containers stay on theirs.
    CPPUNIT_ASSERT_EQUAL(std::string("{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}"),
                         Value::parse(R"({"a":[1,{}],"b":[]})").dump(2));
    CPPUNIT_ASSERT(Value::parse(v.dump(1)) == v);
  }

  void testProtocolValueWritesAndReadsTheSameText() {
    using rdk::protocol::Value;
    Value::Dict d;
    d.emplace_back(Value("title"), Value("caf\xC3\xA9 \"1\"\n"));
    d.emplace_back(Value("fps"), Value(0.1));
    d.emplace_back(Value("n"), Value(3));
    d.emplace_back(Value("raw"), Value(std::string("\xFF\x00", 2)));
    const Value v{std::move(d)};
    const std::string text = v.toJson();
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"title":"caf)") + "\xC3\xA9" +
                             R"( \"1\"\n","fps":0.1,"n":3,)" + R"("raw":{"$bytes":"/wA="}})",
                         text);
    CPPUNIT_ASSERT(Value::fromJson(text) == v);
    // The same text from the SDK's writer for what both can hold.
    CPPUNIT_ASSERT_EQUAL(rdk::json::quote("caf\xC3\xA9 \"1\"\n"),
                         Value("caf\xC3\xA9 \"1\"\n").toJson());
    CPPUNIT_ASSERT_EQUAL(rdk::json::Value(0.1).dump(), Value(0.1).toJson());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonTest);

}  // namespace
