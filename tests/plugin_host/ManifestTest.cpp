// Manifest parsing and the descriptor-versus-manifest comparison, without any plugin.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include "rdk/kernel/plugin_manifest.h"

using rdk::plugin::Manifest;
using rdk::plugin::ManifestError;
using rdk::plugin::parseManifest;

namespace {

const char* kGood = R"({"schema":1,"name":"x","version":"1.2.3","abi":{"major":1,"minor":0},
  "library":"rdk-x.so","kinds":["encoder"],"probe":"none",
  "features":[{"kind":"encoder","name":"vp8","rank":7,"video":true}]})";

std::string errorOf(const std::string& text) {
  try {
    parseManifest(text);
  } catch (const ManifestError& e) {
    return e.what();
  }
  return "";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

}  // namespace

class ManifestTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ManifestTest);
  CPPUNIT_TEST(testParsesGoodManifest);
  CPPUNIT_TEST(testRejectsBadManifests);
  CPPUNIT_TEST(testDescriptorComparisonNamesTheField);
  CPPUNIT_TEST(testFuzzFindsAreManifestErrors);
  CPPUNIT_TEST(testSettingsAreParsedAndChecked);
  CPPUNIT_TEST(testLongEncodingNameIsRefused);
  CPPUNIT_TEST_SUITE_END();

 public:
  // Issue 20 item 2: a plugin declares the configuration keys it reads.
  void testSettingsAreParsedAndChecked() {
    const std::string withSettings = replaced(kGood, "\"probe\":\"none\",",
                                              R"("probe":"none","settings":[
          {"key":"encoder.x.threads","type":"int","default":2,"min":0,"max":8,"help":"threads"},
          {"key":"plugin.x.mode","type":"enum","default":"a","choices":["a","b"],"help":"mode"},
          {"key":"encoder.x.name","type":"string","help":"empty: the plugin decides"}],)");
    const Manifest m = parseManifest(withSettings);
    CPPUNIT_ASSERT_EQUAL(size_t(3), m.settings.size());
    CPPUNIT_ASSERT_EQUAL(std::string("encoder.x.threads"), m.settings[0].key);
    CPPUNIT_ASSERT_EQUAL(std::string("2"), m.settings[0].defaultValue);
    CPPUNIT_ASSERT_EQUAL(8LL, m.settings[0].maxInt);
    CPPUNIT_ASSERT_EQUAL(std::string("x"), m.settings[0].plugin);
    CPPUNIT_ASSERT_EQUAL(std::string("a|b"), m.settings[1].choices);
    CPPUNIT_ASSERT_EQUAL(std::string(""), m.settings[2].defaultValue);

    const auto settingError = [&](const std::string& one) {
      return errorOf(
          replaced(kGood, "\"probe\":\"none\",", "\"probe\":\"none\",\"settings\":[" + one + "],"));
    };
    // Outside its kinds, a kernel key, another plugin's plugin.<name>., a bad default or type.
    CPPUNIT_ASSERT(
        settingError(R"({"key":"transport.x.a","type":"int","min":0,"max":1,"help":"h"})")
            .find("outside the plugin's kinds") != std::string::npos);
    CPPUNIT_ASSERT(settingError(R"({"key":"encoder.quality","type":"string","help":"h"})")
                       .find("is a kernel key") != std::string::npos);
    CPPUNIT_ASSERT(
        settingError(R"({"key":"plugin.y.a","type":"string","help":"h"})").find("another plugin") !=
        std::string::npos);
    CPPUNIT_ASSERT_EQUAL(
        std::string("settings[0]: default 9 is out of range 0..8"),
        settingError(
            R"({"key":"encoder.x.a","type":"int","default":9,"min":0,"max":8,"help":"h"})"));
    CPPUNIT_ASSERT(settingError(R"({"key":"encoder.x.a","type":"float","help":"h"})")
                       .find("\"type\" must be") != std::string::npos);
    CPPUNIT_ASSERT(settingError(R"({"key":"encoder.x.a","type":"int","help":"h"})")
                       .find("needs integer \"min\" and \"max\"") != std::string::npos);
    CPPUNIT_ASSERT(settingError(R"({"key":"encoder.x.a","type":"string"})")
                       .find("\"help\" must be a string") != std::string::npos);
  }

  // Issue 20 item 3: rdk_encoded::coding is char[24]; a longer encoding name was cut short
  // silently.
  void testLongEncodingNameIsRefused() {
    const std::string name24(24, 'n');
    CPPUNIT_ASSERT_EQUAL(
        std::string("features[0]: encoding name '" + name24 +
                    "' is 24 bytes; the ABI holds at most 23 "
                    "(rdk_encoded::coding is char[24])"),
        errorOf(replaced(kGood, "\"name\":\"vp8\"", "\"name\":\"" + name24 + "\"")));
    CPPUNIT_ASSERT_EQUAL(
        std::string(""),
        errorOf(replaced(kGood, "\"name\":\"vp8\"", "\"name\":\"" + name24.substr(1) + "\"")));
  }

  void testParsesGoodManifest() {
    const Manifest m = parseManifest(kGood);
    CPPUNIT_ASSERT_EQUAL(std::string("x"), m.name);
    CPPUNIT_ASSERT_EQUAL(1, m.abiMajor);
    CPPUNIT_ASSERT_EQUAL(size_t(1), m.features.size());
    CPPUNIT_ASSERT_EQUAL(std::string("vp8"), m.features[0].name);
    CPPUNIT_ASSERT_EQUAL(7, m.features[0].rank);
    CPPUNIT_ASSERT_EQUAL(std::string("x"), m.features[0].plugin);
    CPPUNIT_ASSERT(m.features[0].properties.getBool("video"));
  }

  // fuzz_plugin_json found these escaping as exceptions the catalog does not catch (when the
  // manifest was read with Poco's JSON): one such file in a plugin directory made
  // `rdkernel --plugins` and the server's plugin scan fail with "Out of range". Each input is in
  // tests/fuzz/corpus/plugin_json.
  void testFuzzFindsAreManifestErrors() {
    CPPUNIT_ASSERT_EQUAL(std::string("\"major\" is out of range: 99999999999"),
                         errorOf(replaced(kGood, "\"major\":1", "\"major\":99999999999")));
    CPPUNIT_ASSERT_EQUAL(std::string("\"schema\" is out of range: -4294967296"),
                         errorOf(replaced(kGood, "\"schema\":1", "\"schema\":-4294967296")));
    CPPUNIT_ASSERT_EQUAL(std::string("\"kinds\" must be an array of strings"),
                         errorOf(replaced(kGood, "[\"encoder\"]", "[null]")));
    CPPUNIT_ASSERT_EQUAL(std::string("\"kinds\" must be an array of strings"),
                         errorOf(replaced(kGood, "[\"encoder\"]", "[\"encoder\",{}]")));
    CPPUNIT_ASSERT_EQUAL(std::string("\"rank\" is out of range: 4294967296"),
                         errorOf(replaced(kGood, "\"rank\":7", "\"rank\":4294967296")));
    try {
      rdk::plugin::parseFeatures(R"([{"kind":"encoder","name":"vp8","rank":99999999999}])", "x");
      CPPUNIT_FAIL("parsed");
    } catch (const ManifestError& e) {
      CPPUNIT_ASSERT_EQUAL(std::string("\"rank\" is out of range: 99999999999"),
                           std::string(e.what()));
    }
  }

  void testRejectsBadManifests() {
    CPPUNIT_ASSERT(errorOf("{not json").find("invalid JSON") != std::string::npos);
    // A syntax error says where it is: line, column and byte.
    CPPUNIT_ASSERT_EQUAL(std::string("invalid JSON at line 3, column 5 (byte 13 of 15): expected "
                                     "':' after member name"),
                         errorOf("{\n\"a\":1,\n\"b\" 2}"));
    const std::string cut = std::string(kGood).substr(0, 38);
    CPPUNIT_ASSERT_EQUAL(std::string("invalid JSON at line 1, column 39 (byte 38 of 38): "
                                     "unterminated string literal"),
                         errorOf(cut));
    try {
      parseManifest("{\"schema\":1,\n\"name\": tru");
      CPPUNIT_FAIL("parsed");
    } catch (const ManifestError& e) {
      CPPUNIT_ASSERT_EQUAL(size_t(2), e.line);
      CPPUNIT_ASSERT_EQUAL(size_t(12), e.column);
      CPPUNIT_ASSERT_EQUAL(size_t(24), e.offset);
    }
    // A misspelt literal: at its first wrong byte.
    CPPUNIT_ASSERT_EQUAL(std::string("invalid JSON at line 2, column 12 (byte 24 of 26): "
                                     "unexpected character 'x' in true"),
                         errorOf("{\"schema\":1,\n\"name\": trux}"));
    CPPUNIT_ASSERT(errorOf("[1]").find("JSON object") != std::string::npos);
    CPPUNIT_ASSERT(errorOf(replaced(kGood, "\"schema\":1", "\"schema\":9")).find("schema") !=
                   std::string::npos);
    CPPUNIT_ASSERT(errorOf(replaced(kGood, "[\"encoder\"]", "[\"toaster\"]")).find("kind") !=
                   std::string::npos);
    CPPUNIT_ASSERT(errorOf(replaced(kGood, "rdk-x.so", "../evil.so")).find("library") !=
                   std::string::npos);
    CPPUNIT_ASSERT(errorOf(replaced(kGood, "\"none\"", "\"sometimes\"")).find("probe") !=
                   std::string::npos);
    CPPUNIT_ASSERT(errorOf(replaced(kGood, "\"name\":\"vp8\"", "\"name\":\"\"")).find("no name") !=
                   std::string::npos);
  }

  void testDescriptorComparisonNamesTheField() {
    const Manifest m = parseManifest(kGood);
    rdk_plugin_descriptor d{};
    d.struct_size = sizeof d;
    d.abi_major = 1;
    d.abi_minor = 0;
    d.name = "x";
    d.version = "1.2.3";
    d.kinds = RDK_KIND_ENCODER;
    // Same JSON with other spacing and key order is the same.
    d.features_json = R"([ {"video":true, "rank":7, "name":"vp8", "kind":"encoder"} ])";
    CPPUNIT_ASSERT_EQUAL(std::string(), rdk::plugin::compareDescriptor(d, m));
    auto field = [&](rdk_plugin_descriptor changed) {
      const std::string diff = rdk::plugin::compareDescriptor(changed, m);
      return diff.substr(0, diff.find(':'));
    };
    rdk_plugin_descriptor c = d;
    c.name = "y";
    CPPUNIT_ASSERT_EQUAL(std::string("name"), field(c));
    c = d;
    c.version = "9";
    CPPUNIT_ASSERT_EQUAL(std::string("version"), field(c));
    c = d;
    c.kinds = RDK_KIND_ENCODER | RDK_KIND_AUTH;
    CPPUNIT_ASSERT_EQUAL(std::string("kinds"), field(c));
    c = d;
    c.features_json = R"([{"kind":"encoder","name":"vp9","rank":7,"video":true}])";
    CPPUNIT_ASSERT_EQUAL(std::string("features"), field(c));
    c = d;
    c.features_json = "garbage";
    CPPUNIT_ASSERT_EQUAL(std::string("features"), field(c));
    c = d;
    c.abi_minor = 1;
    CPPUNIT_ASSERT_EQUAL(std::string("abi"), field(c));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ManifestTest);
