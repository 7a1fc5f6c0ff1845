#include "vaapi_device.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <va/va.h>
#include <va/va_drm.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace rdk::vaapi {

namespace {
std::string jsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (static_cast<unsigned char>(c) < 0x20)
      continue;
    out += c;
  }
  return out;
}

// libva logs through callbacks; keep it quiet, the probe reports what matters.
void quiet(void*, const char*) {}
}  // namespace

std::vector<std::string> renderNodes() {
  if (const char* forced = std::getenv("RDK_VAAPI_DEVICE"); forced && *forced)
    return {forced};
  std::vector<std::string> nodes;
  for (int i = 128; i < 136; ++i) {
    const std::string node = "/dev/dri/renderD" + std::to_string(i);
    std::error_code ec;
    if (std::filesystem::exists(node, ec))
      nodes.push_back(node);
  }
  return nodes;
}

DeviceReport inspect(const std::string& node) {
  DeviceReport r;
  r.node = node;
  const int fd = ::open(node.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    r.reason = node + ": " + std::strerror(errno);
    return r;
  }
  VADisplay display = vaGetDisplayDRM(fd);
  if (!display) {
    r.reason = node + ": vaGetDisplayDRM failed";
    ::close(fd);
    return r;
  }
  vaSetErrorCallback(display, quiet, nullptr);
  vaSetInfoCallback(display, quiet, nullptr);
  int major = 0, minor = 0;
  const VAStatus st = vaInitialize(display, &major, &minor);
  if (st != VA_STATUS_SUCCESS) {
    r.reason = node + ": vaInitialize failed: " + vaErrorStr(st);
    vaTerminate(display);
    ::close(fd);
    return r;
  }
  if (const char* vendor = vaQueryVendorString(display))
    r.driver = vendor;
  std::vector<VAEntrypoint> entrypoints(
      static_cast<size_t>(std::max(1, vaMaxNumEntrypoints(display))));
  for (VAProfile profile :
       {VAProfileH264ConstrainedBaseline, VAProfileH264Main, VAProfileH264High}) {
    int count = 0;
    if (vaQueryConfigEntrypoints(display, profile, entrypoints.data(), &count) != VA_STATUS_SUCCESS)
      continue;
    for (int i = 0; i < count; ++i)
      if (entrypoints[i] == VAEntrypointEncSlice || entrypoints[i] == VAEntrypointEncSliceLP)
        r.canEncodeH264 = true;
  }
  vaTerminate(display);
  ::close(fd);
  r.reason = r.canEncodeH264 ? node + " (" + r.driver + ") has an H.264 encode entrypoint"
                             : node + " (" + r.driver + ") has no H.264 encode entrypoint";
  return r;
}

// Paths whose appearance or change invalidates a cached probe result (the kernel stats them).
constexpr const char* kDepends = "\"depends\":[\"/etc/ld.so.cache\",\"/dev/dri\"]";

std::string probeJson() {
  const auto nodes = renderNodes();
  if (nodes.empty())
    return "{\"ok\":false,\"reason\":\"no DRM render node (/dev/dri/renderD*): no VA-API "
           "device\",\"encodings\":[]," +
           std::string(kDepends) + "}";
  std::string reasons;
  for (const auto& node : nodes) {
    const DeviceReport r = inspect(node);
    if (r.canEncodeH264) {
      // The device could encode, but this build has no VA-API bitstream path yet (SPS/PPS/slice
      // header packing): report it honestly so the kernel never picks it.
      return "{\"ok\":false,\"reason\":\"" + jsonEscape(r.reason) +
             ", but rdkernel's VA-API H.264 encode path is not implemented "
             "yet\",\"encodings\":[]," +
             kDepends + "}";
    }
    reasons += (reasons.empty() ? "" : "; ") + r.reason;
  }
  return "{\"ok\":false,\"reason\":\"" + jsonEscape(reasons) + "\",\"encodings\":[]," + kDepends +
         "}";
}

}  // namespace rdk::vaapi
