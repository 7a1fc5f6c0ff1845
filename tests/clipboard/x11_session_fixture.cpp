#include "x11_session_fixture.h"

#include <zlib.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace rdk::test {
namespace {

const std::string kRdkernel = std::string(RDK_TEST_BINARY_DIR) + "/bin/rdkernel";

void appendChunk(std::string& png, const char* type, const std::string& data) {
  auto be32 = [&](uint32_t v) {
    for (int i = 3; i >= 0; --i)
      png += static_cast<char>((v >> (8 * i)) & 0xff);
  };
  be32(static_cast<uint32_t>(data.size()));
  std::string body = std::string(type, 4) + data;
  png += body;
  be32(static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
}

}  // namespace

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string makePng(int w, int h, unsigned seed) {
  std::mt19937 rng(seed);
  std::string raw;
  for (int y = 0; y < h; ++y) {
    raw += '\0';
    for (int x = 0; x < w * 3; ++x)
      raw += static_cast<char>(rng() & 0xff);
  }
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::string z(size, '\0');
  compress(reinterpret_cast<Bytef*>(z.data()), &size, reinterpret_cast<const Bytef*>(raw.data()),
           static_cast<uLong>(raw.size()));
  z.resize(size);
  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  for (uint32_t v : {static_cast<uint32_t>(w), static_cast<uint32_t>(h)})
    for (int i = 3; i >= 0; --i)
      ihdr += static_cast<char>((v >> (8 * i)) & 0xff);
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);
  appendChunk(png, "IHDR", ihdr);
  appendChunk(png, "IDAT", z);
  appendChunk(png, "IEND", "");
  return png;
}

X11Session::X11Session(const std::string& name, const std::vector<std::string>& serverSettings,
                       const std::string& clientLayout)
    : dir_(testDirectory(name)) {
  serverX_ = std::make_unique<XvfbServer>(640, 480);
  clientX_ = std::make_unique<XvfbServer>(800, 600);
  if (!clientLayout.empty()) {
    auto [code, out] = runProgram({"setxkbmap", "-display", clientX_->name(), clientLayout},
                                  dir_ + "/setxkbmap.log", 20000);
    if (code != 0)
      throw std::runtime_error("setxkbmap " + clientLayout + ": " + out);
  }
  std::vector<std::string> argv{kRdkernel,
                                "--set",
                                std::string("plugins.path=") + RDK_TEST_PLUGIN_DIR,
                                "--set",
                                "server.platform=x11",
                                "--set",
                                "server.display=" + serverX_->name()};
  for (const auto& s : serverSettings) {
    argv.push_back("--set");
    argv.push_back(s);
  }
  argv.insert(argv.end(), {"serve", "--bind", "tcp://127.0.0.1:0"});
  server_ = std::make_unique<ChildProcess>(argv, dir_ + "/server.log");
  const std::string line = server_->waitForOutput("listening on ", 30000);
  if (line.empty())
    throw std::runtime_error("rdkernel serve did not start: " + server_->output());
  attach(line.substr(line.find("tcp://")));
}

X11Session::X11Session(const std::string& name, const Seamless& seamless)
    : dir_(testDirectory(name)) {
  clientX_ = std::make_unique<XvfbServer>(800, 600);
  server_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{
          kRdkernel, "--set", std::string("plugins.path=") + RDK_TEST_PLUGIN_DIR, "start", "--size",
          "1024x768", "--start=" + seamless.start, "--bind", "tcp://127.0.0.1:0"},
      dir_ + "/server.log");
  const std::string managing = server_->waitForOutput("managing display :", 30000);
  const std::string line = server_->waitForOutput("listening on ", 30000);
  if (managing.empty() || line.empty())
    throw std::runtime_error("rdkernel start did not start: " + server_->output());
  const size_t at = managing.find("managing display ") + 17;
  seamlessDisplay_ = managing.substr(at, managing.find(' ', at) - at);
  attach(line.substr(line.find("tcp://")));
}

void X11Session::attach(const std::string& url) {
  client_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{kRdkernel, "--set",
                               std::string("plugins.path=") + RDK_TEST_PLUGIN_DIR, "attach", url,
                               "--display", clientX_->name(), "--no-status", "--seconds", "200"},
      dir_ + "/attach.log");
  // The session is up once the server applied the client's keyboard (it says so at hello) or
  // took it as the clipboard's peer.
  if (server_->waitForOutput("session 1: client", 30000).empty())
    throw std::runtime_error("rdkernel attach did not connect: " + client_->output());
}

X11Session::~X11Session() {
  owners_.clear();
  client_.reset();
  server_.reset();
}

void X11Session::copy(const std::string& display, const std::string& selection,
                      const std::string& target, const std::string& file) {
  const std::string log = dir_ + "/xclip-in-" + std::to_string(owners_.size()) + ".log";
  owners_.push_back(std::make_unique<ChildProcess>(
      std::vector<std::string>{"xclip", "-quiet", "-display", display, "-selection", selection,
                               "-t", target, "-i", file},
      log));
}

std::string X11Session::paste(const std::string& display, const std::string& selection,
                              const std::string& target) {
  const std::string out = dir_ + "/paste-" + std::to_string(++pastes_);
  runProgram({"sh", "-c",
              "xclip -o -display " + display + " -selection " + selection + " -t '" + target +
                  "' > " + out},
             out + ".log", 10000);
  return readFile(out);
}

std::string X11Session::pasteUntil(const std::string& display, const std::string& selection,
                                   const std::string& target, const std::string& expected,
                                   int timeoutMs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  std::string got;
  while (std::chrono::steady_clock::now() < deadline) {
    got = paste(display, selection, target);
    if (got == expected)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return got;
}

}  // namespace rdk::test
