// The CLI's side of configuration: exit code 2 with FILE:LINE: key, --check-config, --set.
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

struct Run {
  int exitCode;
  std::string output;
};

Run rdkernel(const std::vector<std::string>& args) {
  Poco::Pipe out;
  Poco::ProcessHandle h = Poco::Process::launch(RDKERNEL_EXE, args, nullptr, &out, &out);
  Poco::PipeInputStream in(out);
  std::ostringstream text;
  text << in.rdbuf();
  return {h.wait(), text.str()};
}

std::string writeConf(const std::string& name, const std::string& text) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("rdk-config-cli-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

}  // namespace

class ConfigCliTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ConfigCliTest);
  CPPUNIT_TEST(testBadFilesExitTwoWithLocation);
  CPPUNIT_TEST(testExampleConfigChecksOk);
  CPPUNIT_TEST(testSetOverridesAndBadSetFails);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testBadFilesExitTwoWithLocation() {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"# ok\nserver.fps = 30\nmystery = 1\n", ":3: key 'mystery': unknown key"},
        {"encoder.quality = high\n", ":1: key 'encoder.quality': 'high' is not an integer"},
        {"\nlogging.level = verbose\n", ":2: key 'logging.level': 'verbose' is not one of"},
        {"server.bind = 127.0.0.1:14500\n", ":1: key 'server.bind': '127.0.0.1:14500' is not"},
        {"demo.size = big\n", ":1: key 'demo.size': 'big' is not a size"},
    };
    int n = 0;
    for (const auto& [text, expected] : cases) {
      const std::string path = writeConf("bad" + std::to_string(++n) + ".conf", text);
      for (const std::vector<std::string>& args :
           {std::vector<std::string>{"--check-config", path},
            std::vector<std::string>{"--config", path, "--plugins"}}) {
        const Run run = rdkernel(args);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 2, run.exitCode);
        CPPUNIT_ASSERT_MESSAGE(run.output, run.output.find(path + expected) != std::string::npos);
      }
    }
  }

  void testExampleConfigChecksOk() {
    const Run run = rdkernel({"--check-config", RDK_TEST_SOURCE_DIR "/config/rdkernel.conf"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
    const Run missing = rdkernel({"--check-config", "/nonexistent.conf"});
    CPPUNIT_ASSERT_EQUAL(2, missing.exitCode);
  }

  void testSetOverridesAndBadSetFails() {
    const std::string path = writeConf("good.conf", "logging.level = warning\n");
    Run run = rdkernel({"--config", path, "--set", "server.fps=abc", "--plugins"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 2, run.exitCode);
    CPPUNIT_ASSERT(run.output.find("--set:1: key 'server.fps'") != std::string::npos);
    run = rdkernel({"--config", path, "--set", "plugins.allow=none-such", "--plugins", "--json"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigCliTest);
