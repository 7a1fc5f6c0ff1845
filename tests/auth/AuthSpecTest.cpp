#include "AuthSpecTest.h"

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include <unistd.h>

#include "auth_test_util.h"
#include "rdk/authcfg/auth_spec.h"
#include "rdk/json.hpp"

CPPUNIT_TEST_SUITE_REGISTRATION(AuthSpecTest);

using rdk::authcfg::parseAuthSpec;

namespace {

rdk::json::Value parsed(const std::string& json) {
  return rdk::json::Value::parse(json);
}

}  // namespace

void AuthSpecTest::testColonAndCommaForms() {
  for (const std::string spec :
       {"file:filename=/etc/pw,prompt=pin", "file,filename=/etc/pw,prompt=pin"}) {
    const auto result = parseAuthSpec(spec);
    CPPUNIT_ASSERT_EQUAL(std::string("file"), result.module);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"filename":"/etc/pw","prompt":"pin"})"),
                         result.optionsJson);
    CPPUNIT_ASSERT_EQUAL(std::string("/etc/pw"), result.options.at("filename"));
  }
  // A repeated key keeps the last value, as Xpra's parse_simple_dict does.
  CPPUNIT_ASSERT_EQUAL(std::string(R"({"value":"b"})"),
                       parseAuthSpec("password:value=a,value=b").optionsJson);
}

void AuthSpecTest::testModuleOnly() {
  CPPUNIT_ASSERT_EQUAL(std::string("{}"), parseAuthSpec("none").optionsJson);
  CPPUNIT_ASSERT_EQUAL(std::string("none"), parseAuthSpec(" none ").module);
  CPPUNIT_ASSERT_EQUAL(std::string("{}"), parseAuthSpec("env:").optionsJson);
  CPPUNIT_ASSERT_EQUAL(std::string("{}"), parseAuthSpec("env,").optionsJson);
}

void AuthSpecTest::testValuesKeepSeparatorsAndEscapes() {
  // The module ends at the first separator; later ':' and '=' belong to the value.
  auto result = parseAuthSpec("file:filename=C:/pw=1");
  CPPUNIT_ASSERT_EQUAL(std::string("C:/pw=1"), result.options.at("filename"));
  result = parseAuthSpec(R"(password,value=a"b\c	d)");
  const auto object = parsed(result.optionsJson);
  CPPUNIT_ASSERT_EQUAL(std::string("a\"b\\c\td"), object.getString("value"));
  result = parseAuthSpec("password:value=h\xc3\xa9llo");
  CPPUNIT_ASSERT_EQUAL(std::string("h\xc3\xa9llo"), parsed(result.optionsJson).getString("value"));
}

void AuthSpecTest::testBadSpecsAreErrors() {
  CPPUNIT_ASSERT_THROW(parseAuthSpec(""), std::invalid_argument);
  CPPUNIT_ASSERT_THROW(parseAuthSpec("  "), std::invalid_argument);
  CPPUNIT_ASSERT_THROW(parseAuthSpec(":filename=x"), std::invalid_argument);
  CPPUNIT_ASSERT_THROW(parseAuthSpec("file:filename"), std::invalid_argument);
  CPPUNIT_ASSERT_THROW(parseAuthSpec("file:=x"), std::invalid_argument);
  try {
    parseAuthSpec("file:/etc/pw");
    CPPUNIT_FAIL("no error for an option without '='");
  } catch (const std::invalid_argument& e) {
    CPPUNIT_ASSERT(std::string(e.what()).find("not key=value") != std::string::npos);
  }
  // A Latin-1 value would reach the plugin as U+FFFD (JSON is UTF-8): refused instead.
  try {
    parseAuthSpec("file:filename=/etc/p\xe4sswords");
    CPPUNIT_FAIL("no error for a value that is not UTF-8");
  } catch (const std::invalid_argument& e) {
    CPPUNIT_ASSERT(std::string(e.what()).find("'filename'") != std::string::npos);
    CPPUNIT_ASSERT(std::string(e.what()).find("is not UTF-8 text") != std::string::npos);
  }
  CPPUNIT_ASSERT_EQUAL(std::string("/etc/p\xc3\xa4sswords"),
                       parseAuthSpec("file:filename=/etc/p\xc3\xa4sswords").options.at("filename"));
}

void AuthSpecTest::testJsonFeedsThePlugin() {
  char name[] = "/tmp/rdk-authspec-XXXXXX";
  const int fd = mkstemp(name);
  CPPUNIT_ASSERT(fd >= 0);
  ::close(fd);
  std::ofstream(name) << "pw";
  static rdk::test::LoadedTestPlugin plugin("auth-password");
  const auto spec = parseAuthSpec(std::string("file:filename=") + name + ",failure_delay_ms=0");
  rdk::test::PluginAuthenticator auth(plugin, spec.module, spec.optionsJson);
  CPPUNIT_ASSERT_EQUAL_MESSAGE(plugin.host().lastError(), RDK_OK, auth.createStatus());
  CPPUNIT_ASSERT(plugin.host().log().find("unused option") == std::string::npos);
  std::remove(name);
}
