// A private Xvfb for one test: picks a free display number in :90..:120, starts Xvfb without
// TCP, waits until it accepts connections, and kills it on destruction.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace rdk::test {

class XvfbServer {
 public:
  XvfbServer(int width, int height);
  ~XvfbServer();
  XvfbServer(const XvfbServer&) = delete;
  XvfbServer& operator=(const XvfbServer&) = delete;

  /// ":N"
  const std::string& name() const { return name_; }

 private:
  bool tryStart(int number, int width, int height);
  void stop();

  std::string name_;
  pid_t pid_ = -1;
};

/// An X program (xterm, xclock...) started on a display for one test and killed on destruction.
class XProgram {
 public:
  XProgram(const std::string& display, const std::vector<std::string>& argv);
  ~XProgram();
  XProgram(const XProgram&) = delete;
  XProgram& operator=(const XProgram&) = delete;

 private:
  pid_t pid_ = -1;
};

}  // namespace rdk::test
