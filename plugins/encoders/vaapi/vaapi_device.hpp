// A VA-API display on a DRM render node, and what it can encode. Every failure throws rdk::Error
// (RDK_E_NO_DEVICE) naming the node and the failing call with libva's own message, which is what
// the probe reports and what `rdkernel --plugins` shows.
#pragma once

#include <va/va.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "h264_headers.hpp"

namespace rdk::vaapi {

/// The render nodes to try: $RDK_VAAPI_DEVICE if set, else /dev/dri/renderD128..135 that exist.
std::vector<std::string> renderNodes();

/// Throws rdk::Error(RDK_E_NO_DEVICE) with "|what|: <libva message>" unless |status| is success.
void check(VAStatus status, const char* what);

class Device {
 public:
  /// Opens |node| and initialises libva on it.
  explicit Device(const std::string& node);
  ~Device();
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  VADisplay display() const { return display_; }
  const std::string& node() const { return node_; }
  /// vaQueryVendorString, e.g. "Intel iHD driver for Intel(R) Gen Graphics - 23.1.1".
  const std::string& vendor() const { return vendor_; }

 private:
  std::string node_;
  std::string vendor_;
  int fd_ = -1;
  VADisplay display_ = nullptr;
};

/// An H.264 encode configuration the device offers.
struct H264EncodeSupport {
  VAProfile vaProfile = VAProfileNone;
  h264::Profile profile = h264::Profile::kConstrainedBaseline;
  VAEntrypoint entrypoint = VAEntrypointEncSlice;
  uint32_t rateControl = 0;    // VA_RC_CQP when offered, else VA_RC_CBR
  uint32_t packedHeaders = 0;  // VA_ENC_PACKED_HEADER_* we will send
};

/// The best H.264 encode configuration of |device| (constrained baseline first: it is what every
/// decoder handles at the lowest latency), or nullopt with |why| filled in.
std::optional<H264EncodeSupport> findH264Encode(const Device& device, std::string* why);

}  // namespace rdk::vaapi
