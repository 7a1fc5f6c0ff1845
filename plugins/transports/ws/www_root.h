// The web files a ws/wss listener serves over plain HTTP GET on its own port: a directory (the
// web client), never anything outside it. Requests are resolved without touching the network so
// the rules can be tested alone:
//   - the target is percent-decoded once; '..' segments are refused (400), hidden names (a segment
//     starting with '.') are not served (404), NUL bytes are refused (400);
//   - the result is resolved with realpath(): a symbolic link that leads out of the root is
//     refused (403) unless it leads into one of the allowed link directories (Debian's xpra
//     package links its jQuery into /usr/share/javascript);
//   - a directory is served through its index.html, or refused (403): there is no listing;
//   - only regular files are served.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rdk::ws {

class WwwRoot {
 public:
  /// |dir| is made canonical; an empty or missing |dir| gives a root that serves nothing (every
  /// request is 404 with |missingReason|). |linkDirs| that do not exist are ignored.
  WwwRoot(const std::string& dir, const std::vector<std::string>& linkDirs,
          std::string missingReason = {});

  struct Resolved {
    int status = 200;         // 200, 301, 400, 403, 404
    std::string message;      // why, for an error status
    std::string file;         // canonical path of the file to send (status 200)
    std::string contentType;  // for status 200
    std::string location;     // for status 301
  };
  /// Resolves a request target ("/js/app.js?x=1").
  Resolved resolve(const std::string& target) const;

  const std::string& dir() const { return root_; }
  bool available() const { return !root_.empty(); }
  /// The Content-Security-Policy for responses from this root: the first line of the root's
  /// hidden file .rdk-csp when there is one (rdkernel's own client ships a strict one), else a
  /// policy that still lets a stock client run its inline scripts.
  const std::string& contentSecurityPolicy() const { return csp_; }

  static std::string contentTypeFor(const std::string& path);
  /// Percent-decodes |in|; false on a bad escape.
  static bool percentDecode(const std::string& in, std::string& out);

 private:
  bool inside(const std::string& canonical) const;

  std::string root_;
  std::vector<std::string> linkDirs_;
  std::string missingReason_;
  std::string csp_;
};

}  // namespace rdk::ws
