// One low-latency H.264 stream encoded by a VA-API device: IDR then P pictures, each referencing
// only the one before (two reconstructed surfaces used in turn), one slice per picture, and our own
// SPS/PPS/slice headers handed over as packed headers when the driver takes them.
#pragma once

#include <va/va.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "h264_headers.hpp"
#include "rdk/plugin_abi.h"
#include "vaapi_device.hpp"

namespace rdk::vaapi {

struct EncodedPicture {
  std::vector<uint8_t> annexB;
  bool idr = false;
  uint32_t frameNum = 0;
};

class H264Encoder {
 public:
  /// Opens the first render node that can encode H.264 and sets the stream up for |width| x
  /// |height| pictures (odd sizes are coded one pixel larger, the edge repeated, and cropped).
  H264Encoder(uint32_t width, uint32_t height);
  /// Same, on an already opened device with a known configuration (used by the probe).
  H264Encoder(std::unique_ptr<Device> device, const H264EncodeSupport& support, uint32_t width,
              uint32_t height);
  ~H264Encoder();
  H264Encoder(const H264Encoder&) = delete;
  H264Encoder& operator=(const H264Encoder&) = delete;

  /// Encodes a BGRX picture of the stream's size at |qp| (CQP) or |bitrateKbps| (CBR drivers).
  EncodedPicture encode(const rdk_image& image, bool forceIdr, int qp, uint32_t bitrateKbps);

  const Device& device() const { return *device_; }
  const H264EncodeSupport& support() const { return support_; }

 private:
  void create();
  void release();
  void upload(const rdk_image& image);
  VABufferID buffer(VABufferType type, const void* data, size_t size);
  void miscBuffer(uint32_t type, const void* payload, size_t size);
  void addPackedHeader(uint32_t vaType, const std::vector<uint8_t>& bytes, size_t bits);
  void renderSequence(uint32_t bitrateKbps);
  void renderRateControl(uint32_t bitrateKbps);
  void destroyPending();
  void submit();
  std::vector<uint8_t> readCoded();

  std::unique_ptr<Device> device_;
  H264EncodeSupport support_;
  h264::StreamLayout layout_;
  uint32_t alignedWidth_ = 0, alignedHeight_ = 0;
  VAConfigID config_ = VA_INVALID_ID;
  VAContextID context_ = VA_INVALID_ID;
  VASurfaceID input_ = VA_INVALID_SURFACE;
  VASurfaceID recon_[2] = {VA_INVALID_SURFACE, VA_INVALID_SURFACE};
  VABufferID coded_ = VA_INVALID_ID;
  std::vector<VABufferID> pending_;  // parameter buffers of the picture being submitted
  std::vector<uint8_t> nv12_;        // staging picture, padded to whole macroblocks
  uint32_t bitrateKbps_ = 0;         // what the driver's rate control was last given (CBR)
  uint64_t framesSinceIdr_ = 0;
  uint32_t idrCount_ = 0;
  bool started_ = false;
};

}  // namespace rdk::vaapi
