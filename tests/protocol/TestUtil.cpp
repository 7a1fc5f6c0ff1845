#include "TestUtil.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rdk::protocol::test {

std::string toHex(std::string_view bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string fromHex(std::string_view hex) {
  auto nibble = [](char c) {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    throw std::invalid_argument("bad hex");
  };
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1]));
  }
  return out;
}

std::string runPython(const std::string& script, bool& ok) {
  ok = false;
  if (access("/usr/bin/python3", X_OK) != 0)
    return "";
  char path[] = "/tmp/rdk-protocol-test-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0)
    return "";
  std::FILE* f = fdopen(fd, "w");
  std::fwrite(script.data(), 1, script.size(), f);
  std::fclose(f);
  std::string cmd = std::string("/usr/bin/python3 ") + path + " 2>&1";
  std::FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  if (p != nullptr) {
    std::array<char, 4096> buf;
    size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
      out.append(buf.data(), n);
    ok = pclose(p) == 0;
  }
  unlink(path);
  return out;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace rdk::protocol::test
