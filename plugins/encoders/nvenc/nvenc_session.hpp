// One NVENC encode session on the first CUDA device, driven through the driver libraries loaded
// with dlopen at run time (nothing NVIDIA is linked). Every failure throws rdk::Error with the
// precise step and the loader's or driver's message, which the probe reports as its reason.
#pragma once

#include <ffnvcodec/nvEncodeAPI.h>

#include <cstdint>
#include <string>
#include <vector>

#include "rdk/plugin.hpp"

namespace rdk::nvenc {

/// The driver entry points, loaded once per process.
struct Driver {
  NV_ENCODE_API_FUNCTION_LIST api{};
  // CUDA driver API, as plain function pointers (CUresult is an int, CUcontext a pointer).
  int (*cuInit)(unsigned) = nullptr;
  int (*cuDeviceGet)(int*, int) = nullptr;
  int (*cuCtxCreate)(void**, unsigned, int) = nullptr;
  int (*cuCtxDestroy)(void*) = nullptr;
};

/// Loads libnvidia-encode.so.1 and libcuda.so.1 or throws RDK_E_NO_DEVICE with dlerror().
const Driver& loadDriver();

class Session {
 public:
  Session(bool hevc, uint32_t width, uint32_t height);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Encodes one BGRX frame; returns Annex-B bytes.
  std::vector<uint8_t> encode(const rdk_image& image, bool keyframe, bool* isKey);

 private:
  void check(NVENCSTATUS status, const char* what);
  void release();

  const Driver& driver_;
  bool hevc_;
  uint32_t width_, height_;
  void* cuda_ = nullptr;
  void* encoder_ = nullptr;
  NV_ENC_INPUT_PTR input_ = nullptr;
  NV_ENC_OUTPUT_PTR output_ = nullptr;
  uint32_t frame_ = 0;
};

/// The probe: loads the driver, opens a session and encodes one synthetic frame.
std::string probeJson();

}  // namespace rdk::nvenc
