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
  CPPUNIT_TEST(testUnopenableLogFileFailsAtStartWithLocation);
  CPPUNIT_TEST(testPluginSettingsAreValidatedKeys);
  CPPUNIT_TEST(testPluginNamesInAllowAndDenyMustExist);
  CPPUNIT_TEST(testExampleIsThePrintedDefault);
  CPPUNIT_TEST(testReadmeCheckConfigCommandWorks);
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
    run = rdkernel({"--config", path, "--set", "plugins.allow=rgb", "--plugins", "--json"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
  }

  // Issue 20 item 1: a logging.file that cannot be opened passed --check-config and aborted
  // `serve` (exit 134) at the first client connection, a restart loop under systemd.
  void testUnopenableLogFileFailsAtStartWithLocation() {
    const std::string bad = "/nonexistent-rdk-dir/rdkernel.log";
    const std::string path = writeConf("badlog.conf", "# log\nlogging.file = " + bad + "\n");
    Run run = rdkernel({"--check-config", path});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 2, run.exitCode);
    CPPUNIT_ASSERT_MESSAGE(run.output, run.output.find(path +
                                                       ":2: key 'logging.file': cannot "
                                                       "create '" +
                                                       bad + "': directory") != std::string::npos);
    // Every command sets up logging first: it fails there, before any plugin or socket.
    run = rdkernel({"--config", path, "--plugins"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 2, run.exitCode);
    CPPUNIT_ASSERT_MESSAGE(run.output,
                           run.output.find(path + ":2: key 'logging.file'") != std::string::npos);
    run = rdkernel({"--set", "logging.file=/", "serve", "--bind", "tcp://127.0.0.1:0"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 2, run.exitCode);
    CPPUNIT_ASSERT_MESSAGE(run.output, run.output.find("--set:1: key 'logging.file': '/' is a "
                                                       "directory") != std::string::npos);
    // A file that can be created is fine and is written to.
    const std::string logFile = writeConf("ok.log", "");
    std::filesystem::remove(logFile);
    run =
        rdkernel({"--set", "logging.file=" + logFile, "--set", "logging.level=debug", "--plugins"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
    CPPUNIT_ASSERT(std::filesystem::exists(logFile));
  }

  // Issue 20 item 2: settings plugins read (encoder.vpx.threads, encoder.rgb.compressor,
  // auth.used-salt-cache-size) were refused; plugin.<name>.* typos passed silently.
  void testPluginSettingsAreValidatedKeys() {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"encoder.rgb.compressor = brotli\n",
         ":1: key 'encoder.rgb.compressor': 'brotli' is not one of enum{lz4,zlib,none}"},
        {"auth.used-salt-cache-size = 0\n",
         ":1: key 'auth.used-salt-cache-size': 0 is out of "
         "range"},
        {"server.fps = 30\nplugin.rgb.compresor = zlib\n",
         ":2: key 'plugin.rgb.compresor': "
         "unknown key"},
        {"encoder.rgb.compresor = zlib\n", ":1: key 'encoder.rgb.compresor': unknown key"},
    };
    int n = 0;
    for (const auto& [text, expected] : bad) {
      const std::string path = writeConf("plugin-bad" + std::to_string(++n) + ".conf", text);
      for (const std::vector<std::string>& args :
           {std::vector<std::string>{"--check-config", path},
            std::vector<std::string>{"--config", path, "--plugins"}}) {
        const Run run = rdkernel(args);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 2, run.exitCode);
        CPPUNIT_ASSERT_MESSAGE(run.output, run.output.find(path + expected) != std::string::npos);
      }
    }
    const std::string good = writeConf(
        "plugin-good.conf", "encoder.rgb.compressor = zlib\nauth.used-salt-cache-size = 1024\n");
    Run run = rdkernel({"--check-config", good});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
    run = rdkernel({"--set", "encoder.rgb.compressor=none", "--plugins"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
    run = rdkernel({"--print-default-config"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
    CPPUNIT_ASSERT_MESSAGE(
        run.output, run.output.find("\nencoder.rgb.compressor = lz4\n") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(
        run.output, run.output.find("\nauth.used-salt-cache-size = 65536\n") != std::string::npos);
  }

  // Issue 20 item 2: plugins.deny=ssl did nothing (the plugin is transport-ssl) and said nothing.
  void testPluginNamesInAllowAndDenyMustExist() {
    const std::string path = writeConf("deny.conf", "\nplugins.deny = rgb, nosuch\n");
    Run run = rdkernel({"--check-config", path});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 2, run.exitCode);
    CPPUNIT_ASSERT_MESSAGE(
        run.output, run.output.find(path + ":2: key 'plugins.deny': unknown "
                                           "plugin 'nosuch' (installed: ") != std::string::npos);
    run = rdkernel({"--set", "plugins.allow=none-such", "--plugins"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 2, run.exitCode);
    CPPUNIT_ASSERT_MESSAGE(run.output, run.output.find("--set:1: key 'plugins.allow': unknown "
                                                       "plugin 'none-such'") != std::string::npos);
    // The documented alias rule: "password" is auth-password, the one plugin named <kind>-password.
    run = rdkernel({"--set", "plugins.deny=password", "--plugins"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
    const size_t row = run.output.find("\nauth-password ");
    CPPUNIT_ASSERT_MESSAGE(run.output, row != std::string::npos);
    const size_t lineEnd = run.output.find('\n', row + 1);
    CPPUNIT_ASSERT_MESSAGE(
        run.output, run.output.substr(row, lineEnd - row).find(" disabled ") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(
        run.output, run.output.compare(lineEnd + 1, 34, "    reason: listed in plugins.deny") == 0);
  }

  // Issue 20 item 8: the README said `rdkernel --check-config rdkernel.conf`, a file that is not
  // there from the clone's root. Every --check-config FILE in the README must check ok from there.
  void testReadmeCheckConfigCommandWorks() {
    std::ifstream in(RDK_TEST_SOURCE_DIR "/README.md");
    std::string line;
    int commands = 0;
    while (std::getline(in, line)) {
      const size_t at = line.find("rdkernel --check-config ");
      if (at == std::string::npos)
        continue;
      std::istringstream words(line.substr(at + 24));
      std::string file;
      words >> file;
      if (file == "FILE")
        continue;
      ++commands;
      const Run run = rdkernel({"--check-config", RDK_TEST_SOURCE_DIR "/" + file});
      CPPUNIT_ASSERT_EQUAL_MESSAGE("README: " + line + "\n" + run.output, 0, run.exitCode);
    }
    CPPUNIT_ASSERT(commands >= 1);
  }

  // --print-default-config lists the kernel's keys and the built plugins' declared settings;
  // config/rdkernel.conf must be exactly that.
  void testExampleIsThePrintedDefault() {
    const Run run = rdkernel({"--print-default-config"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
    std::ifstream in(RDK_TEST_SOURCE_DIR "/config/rdkernel.conf");
    std::ostringstream example;
    example << in.rdbuf();
    CPPUNIT_ASSERT_MESSAGE(
        "config/rdkernel.conf is stale: regenerate it with "
        "`rdkernel --print-default-config` (HELPER_RULES)",
        example.str() == run.output);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigCliTest);
