// libFuzzer target: what a peer sends to a ws/wss port (plugins/transports/ws) before and after
// the upgrade. The input is an HTTP request head up to the first blank line, then the bytes of
// WebSocket frames from a client.
//
// The head goes through Poco's request parser (what the listener's HTTPServer runs), then the
// listener's own rules: the web root's resolution (WwwRoot::resolve, on the parsed target and
// on the raw first line), the Origin and subprotocol checks. The frames go through Poco's
// WebSocket frame reader on a socket pair (server side: masked frames required, payloads capped
// as ws.max-frame-bytes does) and each frame through the transport's rules (judgeFrame).
//
// Checked, besides no crash, leak or undefined behaviour: a resolved file is a regular file inside
// the root or an allowed link directory with no hidden segment; a redirect stays on this site;
// Poco reports only Poco exceptions; frame verdicts keep RFC 6455's rules (data only while the
// message state allows it, control payloads <= 125 bytes, no refusal without a close code).
#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/Net/WebSocketImpl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "ws_frame_rules.h"
#include "ws_handshake_rules.h"
#include "www_root.h"

using rdk::ws::FrameVerdict;
using rdk::ws::WwwRoot;

namespace {

void check(bool ok) {
  if (!ok)
    std::abort();
}

struct Site {
  std::string root, linkDir;
  WwwRoot* www = nullptr;
};

// A web root with a file, a subdirectory with and without index.html, a hidden file, a link out
// of the root (refused) and a link into the allowed link directory (served).
const Site& site() {
  static Site s = [] {
    Site made;
    char rootTemplate[] = "/tmp/rdk-fuzz-www-XXXXXX";
    char linkTemplate[] = "/tmp/rdk-fuzz-lib-XXXXXX";
    made.root = mkdtemp(rootTemplate);
    made.linkDir = mkdtemp(linkTemplate);
    std::ofstream(made.root + "/index.html") << "<html></html>";
    mkdir((made.root + "/js").c_str(), 0700);
    std::ofstream(made.root + "/js/app.js") << "1";
    mkdir((made.root + "/empty").c_str(), 0700);
    std::ofstream(made.root + "/.secret") << "no";
    std::ofstream(made.linkDir + "/jquery.js") << "2";
    (void)symlink("/etc", (made.root + "/out").c_str());
    (void)symlink((made.linkDir + "/jquery.js").c_str(), (made.root + "/jquery.js").c_str());
    made.www = new WwwRoot(made.root, {made.linkDir});
    // Canonical forms, as resolve() reports files.
    char* real = realpath(made.root.c_str(), nullptr);
    made.root = real;
    free(real);
    real = realpath(made.linkDir.c_str(), nullptr);
    made.linkDir = real;
    free(real);
    return made;
  }();
  return s;
}

bool under(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() + 1 && path.compare(0, dir.size(), dir) == 0 &&
         path[dir.size()] == '/';
}

void resolve(const std::string& target) {
  const Site& s = site();
  const WwwRoot::Resolved r = s.www->resolve(target);
  switch (r.status) {
    case 200: {
      check(under(r.file, s.root) || under(r.file, s.linkDir));
      check(r.file.find("/.") == std::string::npos);
      struct stat st {};
      check(stat(r.file.c_str(), &st) == 0 && S_ISREG(st.st_mode));
      check(!r.contentType.empty());
      break;
    }
    case 301:
      check(!r.location.empty() && r.location[0] == '/' &&
            (r.location.size() == 1 || r.location[1] != '/'));
      break;
    case 400:
    case 403:
    case 404:
      check(!r.message.empty());
      break;
    default:
      check(false);
  }
}

void request(const std::string& head) {
  resolve(head.substr(0, head.find('\n')));
  std::istringstream in(head);
  Poco::Net::HTTPRequest req;
  try {
    req.read(in);
  } catch (const Poco::Exception&) {
    return;  // the HTTP server answers 400 and closes
  }
  resolve(req.getURI());
  // As the listener reads them: a missing header is empty (getHost() would throw).
  const std::string origin = req.get("Origin", "");
  const std::string host = req.get("Host", "");
  for (const bool secure : {false, true}) {
    const bool same = rdk::ws::sameOrigin(origin, host, secure);
    if (!origin.empty() && origin != "null")
      check(same == (rdk::ws::originAuthority(origin) == rdk::ws::hostAuthority(host, secure)));
  }
  (void)rdk::ws::offersBinary(req.get("Sec-WebSocket-Protocol", ""));
}

void frames(const std::string& bytes) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
    return;
  // A fuzz input is at most -max_len bytes: it fits in the socket buffer without a reader.
  size_t off = 0;
  while (off < bytes.size()) {
    const ssize_t n = write(fds[1], bytes.data() + off, bytes.size() - off);
    if (n <= 0)
      break;
    off += static_cast<size_t>(n);
  }
  shutdown(fds[1], SHUT_WR);
  Poco::Net::HTTPClientSession session;  // only its (empty) read-ahead buffer is handed over
  auto* socket = new Poco::Net::StreamSocketImpl(fds[0]);
  auto* ws = new Poco::Net::WebSocketImpl(socket, session, true);
  socket->release();  // the WebSocketImpl holds it now, and closes fds[0] with it
  ws->setMaxPayloadSize(64 * 1024);
  Poco::Buffer<char> payload(0);
  bool inMessage = false;
  for (int i = 0; i < 1000; ++i) {
    payload.resize(0);
    int n = 0;
    try {
      n = ws->receiveBytes(payload, 0);
    } catch (const Poco::Exception&) {
      break;  // the connection refuses the frame (1002 / 1009) or the stream ended inside one
    }
    const int flags = ws->frameFlags();
    if (n <= 0 && flags == 0)
      break;  // end of stream
    const size_t size = n > 0 ? static_cast<size_t>(n) : 0;
    check(size == payload.size() || n <= 0);
    const FrameVerdict v = rdk::ws::judgeFrame(flags, size, inMessage);
    const int opcode = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
    if (v.action == FrameVerdict::Action::kRefuse) {
      check(v.code == 1002 || v.code == 1003);
      check(!v.reason.empty());
      break;
    }
    if ((opcode & 0x8) != 0)
      check(size <= 125 && (flags & Poco::Net::WebSocket::FRAME_FLAG_FIN) != 0);
    if (v.action == FrameVerdict::Action::kData) {
      check(opcode == Poco::Net::WebSocket::FRAME_OP_BINARY ? !inMessage : inMessage);
      inMessage = v.inMessage;
    }
    if (v.action == FrameVerdict::Action::kClose)
      break;
  }
  ws->release();
  close(fds[1]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t blank = input.find("\r\n\r\n");
  const size_t split = blank == std::string::npos ? input.size() : blank + 4;
  request(input.substr(0, split));
  frames(input.substr(split));
  return 0;
}
