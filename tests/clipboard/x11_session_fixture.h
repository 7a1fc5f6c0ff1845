// Two Xvfb displays, `rdkernel serve` shadowing the first and `rdkernel attach` showing it on the
// second: the setting of the clipboard and keyboard tests. Helpers copy with xclip (staying in
// the foreground as the selection's owner) and paste with xclip -o.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "../platforms/xvfb_server.h"
#include "child_process.hpp"

namespace rdk::test {

class X11Session {
 public:
  /// |serverSettings|: extra `--set key=value` for the server; |clientLayout| non-empty: the
  /// client display gets that layout (setxkbmap) before attaching.
  X11Session(const std::string& name, const std::vector<std::string>& serverSettings,
             const std::string& clientLayout = "");
  /// Seamless instead: `rdkernel start --start=|start|` on the Xvfb it starts itself.
  struct Seamless {
    std::string start;
  };
  X11Session(const std::string& name, const Seamless& seamless);
  ~X11Session();

  const std::string& dir() const { return dir_; }
  const std::string& serverDisplay() const {
    return serverX_ ? serverX_->name() : seamlessDisplay_;
  }
  const std::string& clientDisplay() const { return clientX_->name(); }
  ChildProcess& server() { return *server_; }
  ChildProcess& client() { return *client_; }

  /// Owns |selection| on |display| with |file|'s bytes as |target| until the next copy there.
  void copy(const std::string& display, const std::string& selection, const std::string& target,
            const std::string& file);
  /// What pasting |target| of |selection| on |display| gives (empty when nothing).
  std::string paste(const std::string& display, const std::string& selection,
                    const std::string& target);
  /// Pastes until the result equals |expected| or |timeoutMs| passed; returns the last result.
  std::string pasteUntil(const std::string& display, const std::string& selection,
                         const std::string& target, const std::string& expected, int timeoutMs);

 private:
  void attach(const std::string& url);

  std::string dir_;
  std::string seamlessDisplay_;
  std::unique_ptr<XvfbServer> serverX_, clientX_;
  std::unique_ptr<ChildProcess> server_, client_;
  std::vector<std::unique_ptr<ChildProcess>> owners_;
  int pastes_ = 0;
};

std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& bytes);
/// A PNG of |w|x|h| noisy pixels (stored zlib, so big), seeded.
std::string makePng(int w, int h, unsigned seed);

}  // namespace rdk::test
