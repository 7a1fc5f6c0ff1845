#include "nvenc_session.hpp"

#include <dlfcn.h>

#include <cstring>
#include <mutex>

#include "codec_util.hpp"

namespace rdk::nvenc {

namespace {
template <class F>
void bind(void* lib, const char* name, F& fn) {
  fn = reinterpret_cast<F>(dlsym(lib, name));
  if (!fn)
    throw Error(RDK_E_NO_DEVICE, std::string("missing symbol ") + name);
}
}  // namespace

const Driver& loadDriver() {
  static std::once_flag once;
  static Driver driver;
  static std::string failure;
  std::call_once(once, [] {
    try {
      void* enc = dlopen("libnvidia-encode.so.1", RTLD_NOW | RTLD_LOCAL);
      if (!enc)
        throw Error(RDK_E_NO_DEVICE, dlerror());
      void* cuda = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
      if (!cuda)
        throw Error(RDK_E_NO_DEVICE, dlerror());
      NVENCSTATUS (*maxVersion)(uint32_t*) = nullptr;
      NVENCSTATUS (*createInstance)(NV_ENCODE_API_FUNCTION_LIST*) = nullptr;
      bind(enc, "NvEncodeAPIGetMaxSupportedVersion", maxVersion);
      bind(enc, "NvEncodeAPICreateInstance", createInstance);
      uint32_t version = 0;
      if (maxVersion(&version) != NV_ENC_SUCCESS)
        throw Error(RDK_E_NO_DEVICE, "NvEncodeAPIGetMaxSupportedVersion failed");
      const uint32_t needed = (NVENCAPI_MAJOR_VERSION << 4) | NVENCAPI_MINOR_VERSION;
      if (version < needed)
        throw Error(RDK_E_NO_DEVICE, "driver supports NVENC API " + std::to_string(version >> 4) +
                                         "." + std::to_string(version & 0xf) + ", need " +
                                         std::to_string(NVENCAPI_MAJOR_VERSION) + "." +
                                         std::to_string(NVENCAPI_MINOR_VERSION));
      driver.api.version = NV_ENCODE_API_FUNCTION_LIST_VER;
      if (createInstance(&driver.api) != NV_ENC_SUCCESS)
        throw Error(RDK_E_NO_DEVICE, "NvEncodeAPICreateInstance failed");
      bind(cuda, "cuInit", driver.cuInit);
      bind(cuda, "cuDeviceGet", driver.cuDeviceGet);
      bind(cuda, "cuCtxCreate_v2", driver.cuCtxCreate);
      bind(cuda, "cuCtxDestroy_v2", driver.cuCtxDestroy);
      if (int rc = driver.cuInit(0); rc != 0)
        throw Error(RDK_E_NO_DEVICE, "cuInit failed: CUDA error " + std::to_string(rc));
    } catch (const Error& e) {
      failure = e.what();
    }
  });
  if (!failure.empty())
    throw Error(RDK_E_NO_DEVICE, failure);
  return driver;
}

void Session::check(NVENCSTATUS status, const char* what) {
  if (status == NV_ENC_SUCCESS)
    return;
  std::string detail;
  if (encoder_ && driver_.api.nvEncGetLastErrorString)
    if (const char* s = driver_.api.nvEncGetLastErrorString(encoder_))
      detail = s;
  throw Error(RDK_E_NO_DEVICE, std::string(what) + " failed: NVENC status " +
                                   std::to_string(status) +
                                   (detail.empty() ? "" : " (" + detail + ")"));
}

Session::Session(bool hevc, uint32_t width, uint32_t height)
    : driver_(loadDriver()), hevc_(hevc), width_(width), height_(height) {
  try {
    int device = 0;
    if (driver_.cuDeviceGet(&device, 0) != 0)
      throw Error(RDK_E_NO_DEVICE, "no CUDA device");
    if (driver_.cuCtxCreate(&cuda_, 0, device) != 0)
      throw Error(RDK_E_NO_DEVICE, "cuCtxCreate failed");
    NV_ENC_OPEN_ENCODE_SESSION_EX_PARAMS open{};
    open.version = NV_ENC_OPEN_ENCODE_SESSION_EX_PARAMS_VER;
    open.device = cuda_;
    open.deviceType = NV_ENC_DEVICE_TYPE_CUDA;
    open.apiVersion = NVENCAPI_VERSION;
    check(driver_.api.nvEncOpenEncodeSessionEx(&open, &encoder_), "nvEncOpenEncodeSessionEx");
    const GUID codec = hevc ? NV_ENC_CODEC_HEVC_GUID : NV_ENC_CODEC_H264_GUID;
    NV_ENC_PRESET_CONFIG preset{};
    preset.version = NV_ENC_PRESET_CONFIG_VER;
    preset.presetCfg.version = NV_ENC_CONFIG_VER;
    check(driver_.api.nvEncGetEncodePresetConfigEx(encoder_, codec, NV_ENC_PRESET_P1_GUID,
                                                   NV_ENC_TUNING_INFO_ULTRA_LOW_LATENCY, &preset),
          "nvEncGetEncodePresetConfigEx");
    NV_ENC_CONFIG config = preset.presetCfg;
    config.gopLength = NVENC_INFINITE_GOPLENGTH;
    config.frameIntervalP = 1;  // no B frames: real time
    NV_ENC_INITIALIZE_PARAMS init{};
    init.version = NV_ENC_INITIALIZE_PARAMS_VER;
    init.encodeGUID = codec;
    init.presetGUID = NV_ENC_PRESET_P1_GUID;
    init.tuningInfo = NV_ENC_TUNING_INFO_ULTRA_LOW_LATENCY;
    init.encodeWidth = init.darWidth = width;
    init.encodeHeight = init.darHeight = height;
    init.frameRateNum = 30;
    init.frameRateDen = 1;
    init.enablePTD = 1;
    init.encodeConfig = &config;
    check(driver_.api.nvEncInitializeEncoder(encoder_, &init), "nvEncInitializeEncoder");
    NV_ENC_CREATE_INPUT_BUFFER in{};
    in.version = NV_ENC_CREATE_INPUT_BUFFER_VER;
    in.width = width;
    in.height = height;
    in.bufferFmt = NV_ENC_BUFFER_FORMAT_ARGB;  // word-ordered ARGB = bytes B,G,R,A: our BGRX
    check(driver_.api.nvEncCreateInputBuffer(encoder_, &in), "nvEncCreateInputBuffer");
    input_ = in.inputBuffer;
    NV_ENC_CREATE_BITSTREAM_BUFFER out{};
    out.version = NV_ENC_CREATE_BITSTREAM_BUFFER_VER;
    check(driver_.api.nvEncCreateBitstreamBuffer(encoder_, &out), "nvEncCreateBitstreamBuffer");
    output_ = out.bitstreamBuffer;
  } catch (...) {
    release();  // the destructor does not run for a constructor that throws
    throw;
  }
}

Session::~Session() {
  release();
}

void Session::release() {
  if (encoder_) {
    if (input_)
      driver_.api.nvEncDestroyInputBuffer(encoder_, input_);
    if (output_)
      driver_.api.nvEncDestroyBitstreamBuffer(encoder_, output_);
    driver_.api.nvEncDestroyEncoder(encoder_);
    encoder_ = nullptr;
    input_ = nullptr;
    output_ = nullptr;
  }
  if (cuda_) {
    driver_.cuCtxDestroy(cuda_);
    cuda_ = nullptr;
  }
}

std::vector<uint8_t> Session::encode(const rdk_image& image, bool keyframe, bool* isKey) {
  if (image.width != width_ || image.height != height_)
    throw Error(RDK_E_INVALID_ARG, "frame size differs from the session");
  NV_ENC_LOCK_INPUT_BUFFER lock{};
  lock.version = NV_ENC_LOCK_INPUT_BUFFER_VER;
  lock.inputBuffer = input_;
  check(driver_.api.nvEncLockInputBuffer(encoder_, &lock), "nvEncLockInputBuffer");
  for (uint32_t y = 0; y < height_; ++y)
    std::memcpy(static_cast<uint8_t*>(lock.bufferDataPtr) + static_cast<size_t>(y) * lock.pitch,
                image.pixels + static_cast<size_t>(y) * image.stride,
                static_cast<size_t>(width_) * 4);
  check(driver_.api.nvEncUnlockInputBuffer(encoder_, input_), "nvEncUnlockInputBuffer");
  NV_ENC_PIC_PARAMS pic{};
  pic.version = NV_ENC_PIC_PARAMS_VER;
  pic.inputWidth = width_;
  pic.inputHeight = height_;
  pic.inputPitch = lock.pitch;
  pic.inputBuffer = input_;
  pic.outputBitstream = output_;
  pic.bufferFmt = NV_ENC_BUFFER_FORMAT_ARGB;
  pic.pictureStruct = NV_ENC_PIC_STRUCT_FRAME;
  pic.frameIdx = frame_;
  pic.inputTimeStamp = frame_++;
  if (keyframe)
    pic.encodePicFlags = NV_ENC_PIC_FLAG_FORCEIDR | NV_ENC_PIC_FLAG_OUTPUT_SPSPPS;
  check(driver_.api.nvEncEncodePicture(encoder_, &pic), "nvEncEncodePicture");
  NV_ENC_LOCK_BITSTREAM bits{};
  bits.version = NV_ENC_LOCK_BITSTREAM_VER;
  bits.outputBitstream = output_;
  check(driver_.api.nvEncLockBitstream(encoder_, &bits), "nvEncLockBitstream");
  const auto* p = static_cast<const uint8_t*>(bits.bitstreamBufferPtr);
  std::vector<uint8_t> out(p, p + bits.bitstreamSizeInBytes);
  *isKey = bits.pictureType == NV_ENC_PIC_TYPE_IDR || bits.pictureType == NV_ENC_PIC_TYPE_I;
  check(driver_.api.nvEncUnlockBitstream(encoder_, output_), "nvEncUnlockBitstream");
  if (out.empty())
    throw Error(RDK_E_INTERNAL, "NVENC returned an empty bitstream");
  return out;
}

// What invalidates a cached probe result (the kernel re-checks these before reusing it): a driver
// install (loader cache, driver version file), a device node coming or going, and the variable
// that hides or reorders GPUs.
constexpr const char* kDepends =
    "\"depends\":[\"/etc/ld.so.cache\",\"/proc/driver/nvidia/version\",\"/dev/nvidia0\","
    "\"/dev/nvidiactl\"],\"env\":[\"CUDA_VISIBLE_DEVICES\"]";

std::string probeJson() {
  try {
    Session session(false, 256, 256);
    std::vector<uint8_t> pixels(256 * 256 * 4);
    for (size_t i = 0; i < pixels.size(); ++i)
      pixels[i] = static_cast<uint8_t>(i * 7);
    const rdk_image img{sizeof(rdk_image), 256, 256, 256 * 4, RDK_PIXEL_BGRX, pixels.data()};
    bool key = false;
    const auto bytes = session.encode(img, true, &key);
    if (!key)
      throw Error(RDK_E_NO_DEVICE, "first NVENC frame was not a key frame");
    return "{\"ok\":true,\"reason\":\"encoded a 256x256 test frame in " +
           std::to_string(bytes.size()) + " bytes\",\"encodings\":[\"h264\",\"h265\"]," + kDepends +
           "}";
  } catch (const std::exception& e) {
    return std::string("{\"ok\":false,\"reason\":") + json::quote(e.what()) + ",\"encodings\":[]," +
           kDepends + "}";
  }
}

}  // namespace rdk::nvenc
