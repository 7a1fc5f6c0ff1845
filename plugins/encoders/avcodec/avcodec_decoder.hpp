// One h264 or h265 stream decoded with libavcodec, low-delay: every access unit in, its picture out
// at once, converted to BGRX with libyuv. A bitstream FFmpeg rejects, or a picture it had to
// conceal (missing reference after loss), is RDK_E_CORRUPT so the session asks for a key frame.
#pragma once

#include <cstdint>
#include <string_view>

#include "rdk/plugin.hpp"

struct AVCodecContext;
struct AVFrame;
struct AVPacket;

namespace rdk::avcodec {

class AvDecoder : public Decoder {
 public:
  AvDecoder(bool hevc, uint32_t width, uint32_t height);
  ~AvDecoder() override;
  AvDecoder(const AvDecoder&) = delete;
  AvDecoder& operator=(const AvDecoder&) = delete;

  void decode(rdk_bytes data, std::string_view optionsJson, rdk_image_out& out) override;

 private:
  void convert(const AVFrame& frame, rdk_image_out& out) const;

  const char* codecName_;
  AVCodecContext* context_ = nullptr;
  AVFrame* frame_ = nullptr;
  AVPacket* packet_ = nullptr;
};

}  // namespace rdk::avcodec
