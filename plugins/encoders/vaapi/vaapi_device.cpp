#include "vaapi_device.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <va/va_drm.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "rdk/plugin.hpp"

namespace rdk::vaapi {

namespace {
// libva prints through these callbacks; stay quiet, failures are reported through rdk::Error.
void quiet(void*, const char*) {}

std::string profileName(h264::Profile p) {
  switch (p) {
    case h264::Profile::kConstrainedBaseline:
      return "constrained baseline";
    case h264::Profile::kMain:
      return "main";
    case h264::Profile::kHigh:
      return "high";
  }
  return "unknown";
}
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

void check(VAStatus status, const char* what) {
  if (status != VA_STATUS_SUCCESS)
    throw Error(RDK_E_NO_DEVICE, std::string(what) + ": " + vaErrorStr(status));
}

Device::Device(const std::string& node) : node_(node) {
  fd_ = ::open(node.c_str(), O_RDWR | O_CLOEXEC);
  if (fd_ < 0)
    throw Error(RDK_E_NO_DEVICE, node + ": " + std::strerror(errno));
  display_ = vaGetDisplayDRM(fd_);
  if (!display_) {
    ::close(fd_);
    throw Error(RDK_E_NO_DEVICE, node + ": vaGetDisplayDRM failed");
  }
  vaSetErrorCallback(display_, quiet, nullptr);
  vaSetInfoCallback(display_, quiet, nullptr);
  int major = 0, minor = 0;
  if (const VAStatus st = vaInitialize(display_, &major, &minor); st != VA_STATUS_SUCCESS) {
    vaTerminate(display_);
    ::close(fd_);
    throw Error(RDK_E_NO_DEVICE, node + ": vaInitialize failed: " + vaErrorStr(st));
  }
  if (const char* vendor = vaQueryVendorString(display_))
    vendor_ = vendor;
}

Device::~Device() {
  vaTerminate(display_);
  ::close(fd_);
}

std::optional<H264EncodeSupport> findH264Encode(const Device& device, std::string* why) {
  VADisplay dpy = device.display();
  std::vector<VAProfile> profiles(static_cast<size_t>(std::max(1, vaMaxNumProfiles(dpy))));
  int profileCount = 0;
  if (const VAStatus st = vaQueryConfigProfiles(dpy, profiles.data(), &profileCount);
      st != VA_STATUS_SUCCESS) {
    *why = device.node() + ": vaQueryConfigProfiles: " + vaErrorStr(st);
    return std::nullopt;
  }
  profiles.resize(static_cast<size_t>(profileCount));
  std::vector<VAEntrypoint> entrypoints(static_cast<size_t>(std::max(1, vaMaxNumEntrypoints(dpy))));
  const std::pair<VAProfile, h264::Profile> kPreference[] = {
      {VAProfileH264ConstrainedBaseline, h264::Profile::kConstrainedBaseline},
      {VAProfileH264Main, h264::Profile::kMain},
      {VAProfileH264High, h264::Profile::kHigh}};
  std::string tried;
  for (const auto& [vaProfile, profile] : kPreference) {
    if (std::find(profiles.begin(), profiles.end(), vaProfile) == profiles.end())
      continue;
    int count = 0;
    if (vaQueryConfigEntrypoints(dpy, vaProfile, entrypoints.data(), &count) != VA_STATUS_SUCCESS)
      continue;
    const auto end = entrypoints.begin() + count;
    const bool full = std::find(entrypoints.begin(), end, VAEntrypointEncSlice) != end;
    const bool lowPower = std::find(entrypoints.begin(), end, VAEntrypointEncSliceLP) != end;
    if (!full && !lowPower) {
      tried += (tried.empty() ? "" : ", ") + profileName(profile) + " (decode only)";
      continue;
    }
    H264EncodeSupport s;
    s.vaProfile = vaProfile;
    s.profile = profile;
    s.entrypoint = full ? VAEntrypointEncSlice : VAEntrypointEncSliceLP;
    VAConfigAttrib attribs[3] = {{VAConfigAttribRTFormat, 0},
                                 {VAConfigAttribRateControl, 0},
                                 {VAConfigAttribEncPackedHeaders, 0}};
    if (vaGetConfigAttributes(dpy, vaProfile, s.entrypoint, attribs, 3) != VA_STATUS_SUCCESS)
      continue;
    if (attribs[0].value == VA_ATTRIB_NOT_SUPPORTED || !(attribs[0].value & VA_RT_FORMAT_YUV420)) {
      tried += (tried.empty() ? "" : ", ") + profileName(profile) + " (no YUV 4:2:0 input)";
      continue;
    }
    const uint32_t rc = attribs[1].value == VA_ATTRIB_NOT_SUPPORTED ? 0 : attribs[1].value;
    s.rateControl = (rc & VA_RC_CQP) ? VA_RC_CQP : (rc & VA_RC_CBR) ? VA_RC_CBR : 0;
    if (!s.rateControl) {
      tried += (tried.empty() ? "" : ", ") + profileName(profile) + " (neither CQP nor CBR)";
      continue;
    }
    const uint32_t packed = attribs[2].value == VA_ATTRIB_NOT_SUPPORTED ? 0 : attribs[2].value;
    s.packedHeaders = packed & (VA_ENC_PACKED_HEADER_SEQUENCE | VA_ENC_PACKED_HEADER_PICTURE |
                                VA_ENC_PACKED_HEADER_SLICE);
    return s;
  }
  *why = device.node() + " (" + device.vendor() + ") has no usable H.264 encode entrypoint" +
         (tried.empty() ? std::string() : ": " + tried);
  return std::nullopt;
}

}  // namespace rdk::vaapi
