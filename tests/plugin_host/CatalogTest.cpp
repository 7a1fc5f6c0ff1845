// The catalog scan on hostile files: truncated and garbage shared objects, bad manifests,
// shadowing. Nothing is loaded and nothing crashes.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "fixture_env.h"
#include "rdk/kernel/plugin_catalog.h"
#include "rdk/kernel/plugin_status.h"

namespace fs = std::filesystem;
namespace status = rdk::plugin::status;

namespace {

const rdk::plugin::CatalogEntry* entryNamed(const std::vector<rdk::plugin::CatalogEntry>& all,
                                            const std::string& name) {
  for (const auto& e : all) {
    if (e.row.name == name)
      return &e;
  }
  return nullptr;
}

void copyManifestAs(const std::string& dir, const std::string& name) {
  std::string text =
      rdk::test::readFile(std::string(RDK_FIXTURE_PLUGIN_DIR) + "/rdk-good.rdkplugin.json");
  const auto replaceAll = [&](const std::string& from, const std::string& to) {
    for (size_t p = text.find(from); p != std::string::npos; p = text.find(from, p + to.size())) {
      text.replace(p, from.size(), to);
    }
  };
  replaceAll("\"name\": \"good\"", "\"name\": \"" + name + "\"");
  replaceAll("rdk-good.so", "rdk-" + name + ".so");
  replaceAll("\"plugin.good.", "\"plugin." + name + ".");  // its declared settings follow the name
  std::ofstream(dir + "/rdk-" + name + ".rdkplugin.json") << text;
}

}  // namespace

class CatalogTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CatalogTest);
  CPPUNIT_TEST(testHostileFilesBecomeRows);
  CPPUNIT_TEST(testShadowingAndSearchOrder);
  CPPUNIT_TEST(testTruncatedManifestBesideLibraryIsBadManifest);
  CPPUNIT_TEST(testLongEncodingNameIsRejectedWithReason);
  CPPUNIT_TEST(testAllowDenyNamesResolveOrFail);
  CPPUNIT_TEST_SUITE_END();

 public:
  void testHostileFilesBecomeRows() {
    const std::string dir = rdk::test::freshTempDir("catalog");
    const std::string good =
        rdk::test::readFile(std::string(RDK_FIXTURE_PLUGIN_DIR) + "/rdk-good.so");
    CPPUNIT_ASSERT(good.size() > 4096);
    // The ELF header survives, the section table points past the end of the file.
    std::ofstream(dir + "/rdk-truncated.so", std::ios::binary) << good.substr(0, 200);
    copyManifestAs(dir, "truncated");
    std::ofstream(dir + "/rdk-garbage.so", std::ios::binary) << std::string(5000, '\x7f');
    copyManifestAs(dir, "garbage");
    std::ofstream(dir + "/rdk-broken.rdkplugin.json") << "{\"schema\":1,";
    const auto entries = rdk::plugin::scanDirectories({dir}, {});
    const auto* truncated = entryNamed(entries, "truncated");
    const auto* garbage = entryNamed(entries, "garbage");
    const auto* broken = entryNamed(entries, "broken");
    CPPUNIT_ASSERT(truncated && garbage && broken);
    CPPUNIT_ASSERT_EQUAL(std::string(status::kNotAPlugin), truncated->row.status);
    CPPUNIT_ASSERT_MESSAGE(truncated->row.reason,
                           truncated->row.reason.find("truncated") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::string(status::kNotAPlugin), garbage->row.status);
    CPPUNIT_ASSERT_MESSAGE(garbage->row.reason,
                           garbage->row.reason.find("not an ELF") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::string(status::kBadManifest), broken->row.status);
    CPPUNIT_ASSERT(broken->row.reason.find("invalid JSON") != std::string::npos);
  }

  // Issue 22 item 6: a plugin next to a truncated manifest is one bad-manifest row that says where
  // the text breaks off, not a "no manifest" row for its library.
  void testTruncatedManifestBesideLibraryIsBadManifest() {
    const std::string dir = rdk::test::freshTempDir("cutmanifest");
    fs::copy_file(std::string(RDK_FIXTURE_PLUGIN_DIR) + "/rdk-good.so", dir + "/rdk-cut.so");
    copyManifestAs(dir, "cut");
    const std::string manifestPath = dir + "/rdk-cut.rdkplugin.json";
    const std::string whole = rdk::test::readFile(manifestPath);
    const std::string cut = whole.substr(0, whole.find("\"features\"") + 20);
    CPPUNIT_ASSERT(cut.size() > 20 && cut.size() < whole.size());
    std::ofstream(manifestPath, std::ios::trunc) << cut;
    const size_t line = static_cast<size_t>(std::count(cut.begin(), cut.end(), '\n')) + 1;
    const size_t column = cut.size() - (cut.rfind('\n') + 1) + 1;

    const auto entries = rdk::plugin::scanDirectories({dir}, {});
    CPPUNIT_ASSERT_EQUAL(size_t(1), entries.size());
    const auto& row = entries.at(0).row;
    CPPUNIT_ASSERT_EQUAL(std::string("cut"), row.name);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(row.reason, std::string(status::kBadManifest), row.status);
    CPPUNIT_ASSERT_MESSAGE(row.reason, row.reason.find("no manifest") == std::string::npos);
    // file:line:column of the end of the text, the byte count, and the library left unused.
    const std::string where =
        "rdk-cut.rdkplugin.json:" + std::to_string(line) + ":" + std::to_string(column) + ": ";
    CPPUNIT_ASSERT_MESSAGE(row.reason + " lacks " + where, row.reason.rfind(where, 0) == 0);
    const std::string bytes = std::to_string(cut.size());
    CPPUNIT_ASSERT_MESSAGE(row.reason, row.reason.find("invalid JSON (byte " + bytes + " of " +
                                                       bytes + ")") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(row.reason, row.reason.find("rdk-cut.so") != std::string::npos);

    // The listing says the same.
    const auto run = rdk::test::runRdkernel(
        {"--plugins"}, {{"RDK_PLUGIN_PATH", dir}, {"XDG_CACHE_HOME", dir + "/cache"}});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
    CPPUNIT_ASSERT_MESSAGE(run.output, run.output.find("bad-manifest") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(run.output, run.output.find("reason: " + where) != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(run.output, run.output.find("no manifest") == std::string::npos);
  }

  // Issue 20 item 3: rdk_encoded::coding is char[24]. An encoding name of 24 bytes or more was cut
  // short in every draw while the plugin listed as ok; now the manifest is refused with the reason.
  void testLongEncodingNameIsRejectedWithReason() {
    const std::string dir = rdk::test::freshTempDir("longcoding");
    fs::copy_file(std::string(RDK_FIXTURE_PLUGIN_DIR) + "/rdk-good.so", dir + "/rdk-long.so");
    fs::copy_file(std::string(RDK_FIXTURE_PLUGIN_DIR) + "/rdk-good.so", dir + "/rdk-edge.so");
    const std::string name24(24, 'e');
    const std::string name23(23, 'e');
    for (const auto& [plugin, coding] :
         {std::pair{std::string("long"), name24}, std::pair{std::string("edge"), name23}}) {
      copyManifestAs(dir, plugin);
      const std::string path = dir + "/rdk-" + plugin + ".rdkplugin.json";
      std::string text = rdk::test::readFile(path);
      const size_t at = text.find("\"name\":\"fixture-good\"");
      CPPUNIT_ASSERT_MESSAGE(text, at != std::string::npos);
      text.replace(at, std::string("\"name\":\"fixture-good\"").size(),
                   "\"name\":\"" + coding + "\"");
      std::ofstream(path, std::ios::trunc) << text;
    }
    const auto entries = rdk::plugin::scanDirectories({dir}, {});
    const auto* longRow = entryNamed(entries, "long");
    const auto* edgeRow = entryNamed(entries, "edge");
    CPPUNIT_ASSERT(longRow && edgeRow);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(longRow->row.reason, std::string(status::kBadManifest),
                                 longRow->row.status);
    CPPUNIT_ASSERT_MESSAGE(
        longRow->row.reason,
        longRow->row.reason.find("'" + name24 + "' is 24 bytes") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(longRow->row.reason,
                           longRow->row.reason.find("at most 23") != std::string::npos);
    // 23 bytes still fit (with the terminating NUL).
    CPPUNIT_ASSERT_EQUAL_MESSAGE(edgeRow->row.reason, std::string(status::kOk),
                                 edgeRow->row.status);
  }

  // Issue 20 item 2: plugins.deny=ssl matched nothing (the plugin is transport-ssl) and said
  // nothing. Names are plugin names, or the documented alias: what follows "<kind>-".
  void testAllowDenyNamesResolveOrFail() {
    std::vector<rdk::plugin::CatalogEntry> entries(4);
    entries[0].row.name = "transport-ssl";
    entries[1].row.name = "auth-none";
    entries[2].row.name = "encoder-none";
    entries[3].row.name = "tcp";
    std::string what;
    CPPUNIT_ASSERT(
        (std::vector<std::string>{"transport-ssl", "tcp", "transport-ssl"}) ==
        rdk::plugin::resolvePluginNames({"ssl", "tcp", "transport-ssl"}, entries, &what));
    CPPUNIT_ASSERT_EQUAL(std::string(), what);
    CPPUNIT_ASSERT(rdk::plugin::resolvePluginNames({"tcp", "tls"}, entries, &what).empty());
    CPPUNIT_ASSERT_EQUAL(
        std::string(
            "unknown plugin 'tls' (installed: auth-none, encoder-none, tcp, transport-ssl)"),
        what);
    what.clear();
    CPPUNIT_ASSERT(rdk::plugin::resolvePluginNames({"none"}, entries, &what).empty());
    CPPUNIT_ASSERT_EQUAL(
        std::string("'none' could be any of auth-none, encoder-none: give the full name"), what);
  }

  void testShadowingAndSearchOrder() {
    const std::string first = rdk::test::freshTempDir("first");
    fs::copy_file(std::string(RDK_FIXTURE_PLUGIN_DIR) + "/rdk-good.so", first + "/rdk-good.so");
    fs::copy_file(std::string(RDK_FIXTURE_PLUGIN_DIR) + "/rdk-good.rdkplugin.json",
                  first + "/rdk-good.rdkplugin.json");
    ::setenv("RDK_PLUGIN_PATH", (std::string(RDK_FIXTURE_PLUGIN_DIR) + ":/nonexistent").c_str(), 1);
    const auto dirs = rdk::plugin::pluginSearchDirs({first, first});
    ::unsetenv("RDK_PLUGIN_PATH");
    CPPUNIT_ASSERT(dirs.size() >= 2);
    CPPUNIT_ASSERT_EQUAL(fs::canonical(first).string(), dirs[0]);
    CPPUNIT_ASSERT_EQUAL(fs::canonical(RDK_FIXTURE_PLUGIN_DIR).string(), dirs[1]);
    const auto entries = rdk::plugin::scanDirectories({dirs[0], dirs[1]}, {});
    int goods = 0;
    for (const auto& e : entries) {
      if (e.row.name != "good")
        continue;
      ++goods;
      if (e.libraryPath.rfind(dirs[0], 0) == 0) {
        CPPUNIT_ASSERT_EQUAL(std::string(status::kOk), e.row.status);
      } else {
        CPPUNIT_ASSERT_EQUAL(std::string(status::kShadowed), e.row.status);
      }
    }
    CPPUNIT_ASSERT_EQUAL(2, goods);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CatalogTest);
