// Finding a VA-API device that can encode H.264.
#pragma once

#include <string>
#include <vector>

namespace rdk::vaapi {

struct DeviceReport {
  bool canEncodeH264 = false;
  std::string node;    // e.g. /dev/dri/renderD128
  std::string driver;  // vaQueryVendorString
  std::string reason;  // why not, or what was found
};

/// The render nodes to try: $RDK_VAAPI_DEVICE if set, else /dev/dri/renderD128..135 that exist.
std::vector<std::string> renderNodes();

/// Opens |node|, runs vaInitialize and looks for an H.264 encode entrypoint.
DeviceReport inspect(const std::string& node);

/// The probe's JSON answer.
std::string probeJson();

}  // namespace rdk::vaapi
