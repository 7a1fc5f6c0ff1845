#include "www_root.h"

#include <limits.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace rdk::ws {
namespace {

constexpr const char* kCompatibleCsp =
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "connect-src 'self' ws: wss:; worker-src 'self' blob:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

std::string canonical(const std::string& path) {
  char buffer[PATH_MAX];
  if (path.empty() || ::realpath(path.c_str(), buffer) == nullptr)
    return {};
  return buffer;
}

bool under(const std::string& path, const std::string& dir) {
  if (dir.empty())
    return false;
  if (path == dir)
    return true;
  if (dir == "/")
    return true;
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
         path[dir.size()] == '/';
}

int hexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

WwwRoot::Resolved fail(int status, std::string message) {
  WwwRoot::Resolved r;
  r.status = status;
  r.message = std::move(message);
  return r;
}

}  // namespace

WwwRoot::WwwRoot(const std::string& dir, const std::vector<std::string>& linkDirs,
                 std::string missingReason)
    : missingReason_(std::move(missingReason)), csp_(kCompatibleCsp) {
  root_ = canonical(dir);
  struct stat st {};
  if (!root_.empty() && (::stat(root_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)))
    root_.clear();
  for (const std::string& link : linkDirs) {
    const std::string c = canonical(link);
    if (!c.empty())
      linkDirs_.push_back(c);
  }
  if (root_.empty())
    return;
  std::ifstream policy(root_ + "/.rdk-csp");
  std::string line;
  if (policy && std::getline(policy, line)) {
    line.erase(
        std::remove_if(line.begin(), line.end(), [](char c) { return c == '\r' || c == '\n'; }),
        line.end());
    if (!line.empty())
      csp_ = line;
  }
}

bool WwwRoot::percentDecode(const std::string& in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size())
      return false;
    const int hi = hexValue(in[i + 1]), lo = hexValue(in[i + 2]);
    if (hi < 0 || lo < 0)
      return false;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

std::string WwwRoot::contentTypeFor(const std::string& path) {
  struct Type {
    const char* ext;
    const char* type;
  };
  static constexpr Type kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"txt", "text/plain; charset=utf-8"},
      {"xml", "application/xml"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"ico", "image/vnd.microsoft.icon"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"wasm", "application/wasm"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"ttf", "font/ttf"},
      {"otf", "font/otf"},
      {"mp3", "audio/mpeg"},
      {"ogg", "audio/ogg"},
      {"wav", "audio/wav"},
      {"webmanifest", "application/manifest+json"},
  };
  const size_t slash = path.rfind('/');
  const size_t dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
    return "application/octet-stream";
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const Type& t : kTypes) {
    if (ext == t.ext)
      return t.type;
  }
  return "application/octet-stream";
}

bool WwwRoot::inside(const std::string& path) const {
  if (under(path, root_))
    return true;
  for (const std::string& dir : linkDirs_) {
    if (under(path, dir))
      return true;
  }
  return false;
}

WwwRoot::Resolved WwwRoot::resolve(const std::string& target) const {
  if (target.empty() || target[0] != '/')
    return fail(400, "the request target must be an absolute path");
  const size_t queryPos = target.find_first_of("?#");
  const std::string rawPath = target.substr(0, queryPos);
  const std::string query = queryPos == std::string::npos ? "" : target.substr(queryPos);
  std::string path;
  if (!percentDecode(rawPath, path))
    return fail(400, "bad percent-encoding in the path");
  if (path.find('\0') != std::string::npos)
    return fail(400, "NUL byte in the path");
  std::string relative;
  size_t start = 1;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const std::string segment =
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (segment == "..")
      return fail(400, "the path leaves the web root ('..')");
    if (!segment.empty() && segment != ".") {
      if (segment[0] == '.')
        return fail(404, "hidden files are not served");
      relative += "/" + segment;
    }
    if (slash == std::string::npos)
      break;
    start = slash + 1;
  }
  if (root_.empty())
    return fail(404, missingReason_.empty() ? "no web files are served here" : missingReason_);

  std::string real = canonical(root_ + relative);
  if (real.empty()) {
    if (errno == EACCES)
      return fail(403, "permission denied");
    return fail(404, "not found");
  }
  if (!inside(real))
    return fail(403, "a symbolic link leads out of the web root");
  struct stat st {};
  if (::stat(real.c_str(), &st) != 0)
    return fail(404, "not found");
  std::string name = relative;
  if (S_ISDIR(st.st_mode)) {
    if (rawPath.empty() || rawPath.back() != '/') {
      Resolved r;
      r.status = 301;
      // One leading slash: "//js" must not redirect to "//js/", which a browser reads as the
      // host "js" (an open redirect found by tests/fuzz/fuzz_ws_http).
      const size_t first = rawPath.find_first_not_of('/');
      r.location = "/" + (first == std::string::npos ? "" : rawPath.substr(first)) + "/" + query;
      return r;
    }
    const std::string index = canonical(real + "/index.html");
    struct stat ist {};
    if (index.empty() || ::stat(index.c_str(), &ist) != 0 || !S_ISREG(ist.st_mode))
      return fail(403, "directory listing is disabled");
    if (!inside(index))
      return fail(403, "a symbolic link leads out of the web root");
    real = index;
    name = "index.html";
  } else if (!S_ISREG(st.st_mode)) {
    return fail(403, "not a regular file");
  }
  Resolved r;
  r.file = real;
  // The name asked for decides the type (a link "jquery.js" to a file without extension is still
  // JavaScript); the target's own name when the request named none.
  std::string type = contentTypeFor(name);
  if (type == "application/octet-stream")
    type = contentTypeFor(real);
  r.contentType = type;
  return r;
}

}  // namespace rdk::ws
