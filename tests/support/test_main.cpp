// The one CppUnit runner every test executable links: runs the suites registered with
// CPPUNIT_TEST_SUITE_REGISTRATION, or only those named on the command line.
//
// RDK_TEST_SKIP (comma-separated "Suite" or "Suite::testName") leaves tests out, each listed on
// stderr as skipped: the sanitizer test presets use it for the few tests that cannot hold under a
// sanitizer (docs/testing.md says which and why).
#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestComposite.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace {

// The tests to run, owned by the registry's suite (this composite only points at them).
class Selection : public CppUnit::TestComposite {
 public:
  explicit Selection(std::vector<CppUnit::Test*> tests)
      : CppUnit::TestComposite("Selection"), tests_(std::move(tests)) {}
  int getChildTestCount() const override { return static_cast<int>(tests_.size()); }

 protected:
  CppUnit::Test* doGetChildTestAt(int index) const override { return tests_[index]; }

 private:
  std::vector<CppUnit::Test*> tests_;
};

std::set<std::string> skipList() {
  std::set<std::string> names;
  const char* env = std::getenv("RDK_TEST_SKIP");
  std::string text = env ? env : "";
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos)
      end = text.size();
    if (end > start)
      names.insert(text.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

// The leaf tests under |test| that the skip list does not name (by test or by suite).
void collect(CppUnit::Test* test, const std::set<std::string>& skip,
             std::vector<CppUnit::Test*>& out) {
  if (skip.count(test->getName())) {
    std::cerr << "skipped (RDK_TEST_SKIP): " << test->getName() << "\n";
    return;
  }
  if (test->getChildTestCount() == 0) {
    out.push_back(test);
    return;
  }
  for (int i = 0; i < test->getChildTestCount(); ++i)
    collect(test->getChildTestAt(i), skip, out);
}

}  // namespace

int main(int argc, char** argv) {
  // A peer closing a socket must fail a test, not kill the runner.
  std::signal(SIGPIPE, SIG_IGN);
  CppUnit::TestResult controller;
  CppUnit::TestResultCollector result;
  controller.addListener(&result);
  CppUnit::BriefTestProgressListener progress;
  controller.addListener(&progress);

  const std::unique_ptr<CppUnit::Test> all(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
  const std::set<std::string> skip = skipList();
  std::vector<CppUnit::Test*> tests;
  if (argc > 1) {
    for (int i = 1; i < argc; ++i) {
      try {
        collect(all->findTest(argv[i]), skip, tests);
      } catch (const std::exception& e) {
        std::cerr << "no test named " << argv[i] << "\n";
        return 2;
      }
    }
  } else {
    collect(all.get(), skip, tests);
  }
  Selection selection(std::move(tests));
  controller.runTest(&selection);
  CppUnit::CompilerOutputter outputter(&result, std::cerr);
  outputter.write();
  return result.wasSuccessful() ? 0 : 1;
}
