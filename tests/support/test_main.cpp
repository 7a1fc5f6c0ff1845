// The one CppUnit runner every test executable links: runs the suites registered with
// CPPUNIT_TEST_SUITE_REGISTRATION, or only those named on the command line.
#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <csignal>
#include <iostream>

int main(int argc, char** argv) {
  // A peer closing a socket must fail a test, not kill the runner.
  std::signal(SIGPIPE, SIG_IGN);
  CppUnit::TestResult controller;
  CppUnit::TestResultCollector result;
  controller.addListener(&result);
  CppUnit::BriefTestProgressListener progress;
  controller.addListener(&progress);

  CppUnit::Test* all = CppUnit::TestFactoryRegistry::getRegistry().makeTest();
  CppUnit::TestRunner runner;
  if (argc > 1) {
    for (int i = 1; i < argc; ++i) {
      try {
        runner.addTest(all->findTest(argv[i]));
      } catch (const std::exception& e) {
        std::cerr << "no test named " << argv[i] << "\n";
        return 2;
      }
    }
  } else {
    runner.addTest(all);
  }
  runner.run(controller);
  CppUnit::CompilerOutputter outputter(&result, std::cerr);
  outputter.write();
  return result.wasSuccessful() ? 0 : 1;
}
