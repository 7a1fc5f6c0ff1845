#include "vaapi_probe.hpp"

#include <algorithm>

#include "codec_util.hpp"
#include "rdk/plugin.hpp"
#include "vaapi_device.hpp"
#include "vaapi_h264_encoder.hpp"

namespace rdk::vaapi {

namespace {
constexpr uint32_t kProbeWidth = 320;
constexpr uint32_t kProbeHeight = 240;
// What invalidates a cached probe result (the kernel re-checks these before reusing it): the
// loader cache and the VA driver directory change with a driver install or upgrade, /dev/dri when
// a device comes or goes; the variables choose the device and the driver.
constexpr const char* kDepends =
    "\"depends\":[\"/etc/ld.so.cache\",\"/dev/dri\",\"" VA_DRIVERS_DIR
    "\"],"
    "\"env\":[\"RDK_VAAPI_DEVICE\",\"LIBVA_DRIVER_NAME\",\"LIBVA_DRIVERS_PATH\"]";

std::string answer(bool ok, const std::string& reason) {
  return std::string("{\"ok\":") + (ok ? "true" : "false") + ",\"reason\":" + json::quote(reason) +
         ",\"encodings\":[" + (ok ? "\"h264\"" : "") + "]," + kDepends + "}";
}

/// A moving gradient with a sharp edge: enough detail that the encoder must code something.
std::vector<uint8_t> syntheticPicture(uint32_t shift) {
  std::vector<uint8_t> bgrx(size_t(kProbeWidth) * kProbeHeight * 4);
  for (uint32_t y = 0; y < kProbeHeight; ++y)
    for (uint32_t x = 0; x < kProbeWidth; ++x) {
      uint8_t* p = &bgrx[(size_t(y) * kProbeWidth + x) * 4];
      p[0] = uint8_t(x + shift);
      p[1] = uint8_t(y * 2);
      p[2] = (x + shift) % 64 < 32 ? 220 : 30;
      p[3] = 255;
    }
  return bgrx;
}

bool contains(const std::vector<uint8_t>& types, uint8_t type) {
  return std::find(types.begin(), types.end(), type) != types.end();
}

/// Encodes IDR + P on |node|; returns what happened, throws rdk::Error on a driver failure.
bool encodeOnNode(const std::string& node, std::string* report) {
  auto device = std::make_unique<Device>(node);
  std::string why;
  const auto support = findH264Encode(*device, &why);
  if (!support) {
    *report = why;
    return false;
  }
  const std::string where = node + " (" + device->vendor() + ")";
  H264Encoder encoder(std::move(device), *support, kProbeWidth, kProbeHeight);
  size_t bytes = 0;
  for (uint32_t i = 0; i < 2; ++i) {
    const auto pixels = syntheticPicture(i * 8);
    const rdk_image image{sizeof(rdk_image), kProbeWidth,    kProbeHeight,
                          kProbeWidth * 4,   RDK_PIXEL_BGRX, pixels.data()};
    const EncodedPicture picture = encoder.encode(image, false, 28, 2000);
    const auto types = nalTypes(picture.annexB);
    const bool wanted = i == 0 ? contains(types, 7) && contains(types, 8) && contains(types, 5)
                               : contains(types, 1);
    if (!wanted) {
      *report = where + ": the encoded " + (i == 0 ? "IDR" : "P") +
                " picture lacks the expected NAL units (" + std::to_string(types.size()) +
                " found)";
      return false;
    }
    bytes += picture.annexB.size();
  }
  *report = where + ": encoded a " + std::to_string(kProbeWidth) + "x" +
            std::to_string(kProbeHeight) + " IDR+P test pair (" + std::to_string(bytes) + " bytes)";
  return true;
}
}  // namespace

std::vector<uint8_t> nalTypes(const std::vector<uint8_t>& s) {
  std::vector<uint8_t> types;
  for (size_t i = 0; i + 3 < s.size(); ++i)
    if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 1) {
      types.push_back(s[i + 3] & 0x1f);
      i += 3;
    }
  return types;
}

std::string probeJson() {
  const auto nodes = renderNodes();
  if (nodes.empty())
    return answer(false, "no DRM render node (/dev/dri/renderD*): no VA-API device");
  std::string reasons;
  for (const auto& node : nodes) {
    std::string report;
    try {
      if (encodeOnNode(node, &report))
        return answer(true, report);
    } catch (const std::exception& e) {
      report = e.what();  // Device and H264Encoder errors already name the node
    }
    reasons += (reasons.empty() ? "" : "; ") + report;
  }
  return answer(false, reasons);
}

}  // namespace rdk::vaapi
