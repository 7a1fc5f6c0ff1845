// plugin_abi.h may not change without an ABI version bump: its SHA-256 is recorded, with the
// version it belongs to, in sdk/abi/plugin_abi.sha256.
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <sstream>

#include "rdk/plugin_abi.h"

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

class AbiHashTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AbiHashTest);
  CPPUNIT_TEST(testHeaderHashMatchesRecordedVersion);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testHeaderHashMatchesRecordedVersion() {
    const std::string header = readFile(RDK_TEST_SOURCE_DIR "/sdk/include/rdk/plugin_abi.h");
    CPPUNIT_ASSERT(!header.empty());
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    sha.update(header);
    const std::string actual = Poco::DigestEngine::digestToHex(sha.digest());

    std::istringstream record(readFile(RDK_TEST_SOURCE_DIR "/sdk/abi/plugin_abi.sha256"));
    std::string line, recordedVersion, recordedHash;
    while (std::getline(record, line)) {
      if (line.empty() || line[0] == '#')
        continue;
      if (line.rfind("abi ", 0) == 0) {
        recordedVersion = line.substr(4);
      } else {
        recordedHash = line.substr(0, line.find(' '));
      }
    }
    const std::string version =
        std::to_string(RDK_PLUGIN_ABI_MAJOR) + "." + std::to_string(RDK_PLUGIN_ABI_MINOR);
    const std::string howTo =
        "\nsdk/include/rdk/plugin_abi.h changed. Bump RDK_PLUGIN_ABI_MINOR in "
        "plugin_abi_version.h if you only appended fields at the end of structs, otherwise bump "
        "RDK_PLUGIN_ABI_MAJOR (and the entry symbol name); then update sdk/abi/plugin_abi.sha256 "
        "('abi <major>.<minor>' and `sha256sum sdk/include/rdk/plugin_abi.h`) and the layout "
        "in tests/abi/abi_layout_test.c. See sdk/docs/ABI_POLICY.md.";
    CPPUNIT_ASSERT_EQUAL_MESSAGE("recorded hash of plugin_abi.h" + howTo, recordedHash, actual);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("the hash is recorded for another ABI version" + howTo,
                                 recordedVersion, version);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AbiHashTest);
