#include "avcodec_decoder.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
}
#include <libyuv.h>

#include <cstring>
#include <string>

#include "codec_util.hpp"

namespace rdk::avcodec {

namespace {
std::string avError(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

// Decoders are created per window, possibly from several threads; FFmpeg's log level is global
// and its default prints every concealed macroblock to stderr.
void quietFfmpeg() {
  static const bool once = [] {
    av_log_set_level(AV_LOG_QUIET);
    return true;
  }();
  (void)once;
}
}  // namespace

AvDecoder::AvDecoder(bool hevc, uint32_t width, uint32_t height)
    : codecName_(hevc ? "h265" : "h264") {
  quietFfmpeg();
  const AVCodec* codec = avcodec_find_decoder(hevc ? AV_CODEC_ID_HEVC : AV_CODEC_ID_H264);
  if (!codec)
    throw Error(RDK_E_UNSUPPORTED,
                std::string("this libavcodec has no ") + codecName_ + " decoder");
  context_ = avcodec_alloc_context3(codec);
  frame_ = av_frame_alloc();
  packet_ = av_packet_alloc();
  if (!context_ || !frame_ || !packet_)
    throw Error(RDK_E_NO_MEMORY, "libavcodec allocation failed");
  context_->width = int(width);
  context_->height = int(height);
  // A remote desktop shows each picture when it arrives: no frame threading (it delays output by
  // one picture per thread) and no reordering delay.
  context_->flags |= AV_CODEC_FLAG_LOW_DELAY;
  context_->thread_type = FF_THREAD_SLICE;
  context_->thread_count = 1;
  context_->err_recognition = AV_EF_CRCCHECK | AV_EF_BITSTREAM;
  if (const int rc = avcodec_open2(context_, codec, nullptr); rc < 0) {
    avcodec_free_context(&context_);
    throw Error(RDK_E_INTERNAL, std::string("avcodec_open2(") + codecName_ + "): " + avError(rc));
  }
}

AvDecoder::~AvDecoder() {
  av_packet_free(&packet_);
  av_frame_free(&frame_);
  avcodec_free_context(&context_);
}

void AvDecoder::decode(rdk_bytes data, std::string_view, rdk_image_out& out) {
  codec::checkOutput(out);
  if (data.size == 0 || data.size > (1u << 30))
    throw Error(RDK_E_CORRUPT, std::string("empty or oversized ") + codecName_ + " picture");
  // libavcodec's parsers may read up to AV_INPUT_BUFFER_PADDING_SIZE past the end: copy into a
  // padded packet rather than lending it the caller's buffer.
  if (const int rc = av_new_packet(packet_, int(data.size)); rc < 0)
    throw Error(RDK_E_NO_MEMORY, "av_new_packet: " + avError(rc));
  std::memcpy(packet_->data, data.data, data.size);
  const int sent = avcodec_send_packet(context_, packet_);
  av_packet_unref(packet_);
  if (sent < 0)
    throw Error(RDK_E_CORRUPT, std::string(codecName_) + " decode: " + avError(sent));
  const int received = avcodec_receive_frame(context_, frame_);
  if (received == AVERROR(EAGAIN))
    throw Error(RDK_E_CORRUPT,
                std::string(codecName_) + " access unit decoded to no picture (no key frame yet?)");
  if (received < 0)
    throw Error(RDK_E_CORRUPT, std::string(codecName_) + " decode: " + avError(received));
  // Everything the decoder had to conceal counts as lost: the session asks for a key frame.
  const bool concealed = frame_->decode_error_flags != 0 || (frame_->flags & AV_FRAME_FLAG_CORRUPT);
  if (concealed) {
    av_frame_unref(frame_);
    throw Error(RDK_E_CORRUPT, std::string(codecName_) + " picture is damaged (concealed errors)");
  }
  try {
    convert(*frame_, out);
  } catch (...) {
    av_frame_unref(frame_);
    throw;
  }
  av_frame_unref(frame_);
}

void AvDecoder::convert(const AVFrame& f, rdk_image_out& out) const {
  // Encoders code odd sizes one pixel larger (4:2:0 crops in pairs): show the draw rectangle.
  if (uint32_t(f.width) < out.width || uint32_t(f.height) < out.height ||
      uint32_t(f.width) > out.width + 1 || uint32_t(f.height) > out.height + 1)
    codec::checkSize(uint32_t(f.width), uint32_t(f.height), out);
  const int w = int(out.width), h = int(out.height), stride = int(out.stride);
  int rc = -1;
  switch (f.format) {
    case AV_PIX_FMT_YUV420P:
    case AV_PIX_FMT_YUVJ420P:
      rc = libyuv::I420ToARGB(f.data[0], f.linesize[0], f.data[1], f.linesize[1], f.data[2],
                              f.linesize[2], out.pixels, stride, w, h);
      break;
    case AV_PIX_FMT_YUV422P:
    case AV_PIX_FMT_YUVJ422P:
      rc = libyuv::I422ToARGB(f.data[0], f.linesize[0], f.data[1], f.linesize[1], f.data[2],
                              f.linesize[2], out.pixels, stride, w, h);
      break;
    case AV_PIX_FMT_YUV444P:
    case AV_PIX_FMT_YUVJ444P:
      rc = libyuv::I444ToARGB(f.data[0], f.linesize[0], f.data[1], f.linesize[1], f.data[2],
                              f.linesize[2], out.pixels, stride, w, h);
      break;
    default:
      throw Error(RDK_E_UNSUPPORTED, std::string(codecName_) + " picture format " +
                                         std::to_string(f.format) + " is not converted");
  }
  if (rc != 0)
    throw Error(RDK_E_INTERNAL, "yuv to BGRX conversion failed");
}

}  // namespace rdk::avcodec
