#include "vaapi_h264_encoder.hpp"

#include <libyuv.h>
#include <va/va_enc_h264.h>

#include <algorithm>
#include <cstring>
#include <functional>

#include "rdk/plugin.hpp"

namespace rdk::vaapi {

namespace {
constexpr uint32_t kFrameRate = 30;
// Frame types are ours (idr_pic_flag, slice_type): IDR on the first picture and on request. The
// sequence still needs finite periods: older Mesa divides by intra_idr_period (0 is SIGFPE), and
// 2048 is what Chromium's encoder passes for the same purpose.
constexpr uint32_t kIntraPeriod = 2048;

/// Runs a function when the scope ends, however it ends.
class ScopeExit {
 public:
  explicit ScopeExit(std::function<void()> f) : f_(std::move(f)) {}
  ~ScopeExit() { f_(); }
  ScopeExit(const ScopeExit&) = delete;
  ScopeExit& operator=(const ScopeExit&) = delete;

 private:
  std::function<void()> f_;
};

std::unique_ptr<Device> openCapableDevice(H264EncodeSupport* support) {
  const auto nodes = renderNodes();
  if (nodes.empty())
    throw Error(RDK_E_NO_DEVICE, "no DRM render node (/dev/dri/renderD*): no VA-API device");
  std::string reasons;
  for (const auto& node : nodes) {
    try {
      auto device = std::make_unique<Device>(node);
      std::string why;
      if (auto found = findH264Encode(*device, &why)) {
        *support = *found;
        return device;
      }
      reasons += (reasons.empty() ? "" : "; ") + why;
    } catch (const Error& e) {
      reasons += (reasons.empty() ? "" : "; ") + std::string(e.what());
    }
  }
  throw Error(RDK_E_NO_DEVICE, reasons);
}

VAPictureH264 invalidPicture() {
  VAPictureH264 p{};
  p.picture_id = VA_INVALID_SURFACE;
  p.flags = VA_PICTURE_H264_INVALID;
  return p;
}

VAPictureH264 referencePicture(VASurfaceID surface, uint32_t frameNum, int32_t poc) {
  VAPictureH264 p{};
  p.picture_id = surface;
  p.frame_idx = frameNum;
  p.flags = VA_PICTURE_H264_SHORT_TERM_REFERENCE;
  p.TopFieldOrderCnt = poc;
  p.BottomFieldOrderCnt = poc;
  return p;
}
}  // namespace

H264Encoder::H264Encoder(uint32_t width, uint32_t height) {
  device_ = openCapableDevice(&support_);
  layout_.width = width;
  layout_.height = height;
  create();
}

H264Encoder::H264Encoder(std::unique_ptr<Device> device, const H264EncodeSupport& support,
                         uint32_t width, uint32_t height)
    : device_(std::move(device)), support_(support) {
  layout_.width = width;
  layout_.height = height;
  create();
}

H264Encoder::~H264Encoder() {
  release();
}

void H264Encoder::create() {
  // 4:2:0 crops in pairs of pixels: an odd picture is coded one pixel larger, its edge repeated.
  layout_.width += layout_.width % 2;
  layout_.height += layout_.height % 2;
  layout_.profile = support_.profile;
  layout_.cabac = support_.profile != h264::Profile::kConstrainedBaseline;
  layout_.levelIdc = h264::levelFor(layout_.width, layout_.height);
  h264::validate(layout_);
  alignedWidth_ = layout_.widthInMbs() * 16;
  alignedHeight_ = layout_.heightInMbs() * 16;
  nv12_.assign(size_t(alignedWidth_) * alignedHeight_ * 3 / 2, 0);

  VADisplay dpy = device_->display();
  VAConfigAttrib attribs[3] = {{VAConfigAttribRTFormat, VA_RT_FORMAT_YUV420},
                               {VAConfigAttribRateControl, support_.rateControl},
                               {VAConfigAttribEncPackedHeaders, support_.packedHeaders}};
  const int attribCount = support_.packedHeaders ? 3 : 2;
  try {
    check(vaCreateConfig(dpy, support_.vaProfile, support_.entrypoint, attribs, attribCount,
                         &config_),
          "vaCreateConfig");
    VASurfaceID surfaces[3];
    check(vaCreateSurfaces(dpy, VA_RT_FORMAT_YUV420, alignedWidth_, alignedHeight_, surfaces, 3,
                           nullptr, 0),
          "vaCreateSurfaces");
    input_ = surfaces[0];
    recon_[0] = surfaces[1];
    recon_[1] = surfaces[2];
    check(vaCreateContext(dpy, config_, int(alignedWidth_), int(alignedHeight_), VA_PROGRESSIVE,
                          surfaces, 3, &context_),
          "vaCreateContext");
    // An I picture of busy content at QP 16 can exceed the raw 4:2:0 size: twice that, plus
    // room for headers (FFmpeg's VA-API encoders size it the same way).
    const unsigned codedSize = alignedWidth_ * alignedHeight_ * 3 + 64 * 1024;
    check(vaCreateBuffer(dpy, context_, VAEncCodedBufferType, codedSize, 1, nullptr, &coded_),
          "vaCreateBuffer(coded)");
  } catch (...) {
    release();
    throw;
  }
}

void H264Encoder::release() {
  VADisplay dpy = device_->display();
  for (VABufferID b : pending_)
    vaDestroyBuffer(dpy, b);
  pending_.clear();
  if (coded_ != VA_INVALID_ID)
    vaDestroyBuffer(dpy, coded_);
  if (context_ != VA_INVALID_ID)
    vaDestroyContext(dpy, context_);
  VASurfaceID surfaces[3] = {input_, recon_[0], recon_[1]};
  if (input_ != VA_INVALID_SURFACE)
    vaDestroySurfaces(dpy, surfaces, 3);
  if (config_ != VA_INVALID_ID)
    vaDestroyConfig(dpy, config_);
  coded_ = context_ = config_ = VA_INVALID_ID;
  input_ = VA_INVALID_SURFACE;
}

void H264Encoder::upload(const rdk_image& image) {
  const uint32_t w = std::min(image.width, layout_.width);
  const uint32_t h = std::min(image.height, layout_.height);
  uint8_t* y = nv12_.data();
  uint8_t* uv = y + size_t(alignedWidth_) * alignedHeight_;
  libyuv::ARGBToNV12(image.pixels, int(image.stride), y, int(alignedWidth_), uv, int(alignedWidth_),
                     int(w), int(h));
  // Repeat the last column and row into the macroblock padding: flat edges cost the fewest bits.
  const uint32_t cw = (w + 1) / 2, ch = (h + 1) / 2;
  for (uint32_t row = 0; row < h; ++row) {
    uint8_t* line = y + size_t(row) * alignedWidth_;
    std::memset(line + w, line[w - 1], alignedWidth_ - w);
  }
  for (uint32_t row = h; row < alignedHeight_; ++row)
    std::memcpy(y + size_t(row) * alignedWidth_, y + size_t(h - 1) * alignedWidth_, alignedWidth_);
  for (uint32_t row = 0; row < ch; ++row) {
    uint8_t* line = uv + size_t(row) * alignedWidth_;
    for (uint32_t x = cw; x < alignedWidth_ / 2; ++x) {
      line[2 * x] = line[2 * (cw - 1)];
      line[2 * x + 1] = line[2 * (cw - 1) + 1];
    }
  }
  for (uint32_t row = ch; row < alignedHeight_ / 2; ++row)
    std::memcpy(uv + size_t(row) * alignedWidth_, uv + size_t(ch - 1) * alignedWidth_,
                alignedWidth_);

  VADisplay dpy = device_->display();
  VAImage img{};
  bool derived = vaDeriveImage(dpy, input_, &img) == VA_STATUS_SUCCESS;
  if (derived && img.format.fourcc != VA_FOURCC_NV12) {
    vaDestroyImage(dpy, img.image_id);
    derived = false;
  }
  if (!derived) {
    VAImageFormat nv12{};
    nv12.fourcc = VA_FOURCC_NV12;
    nv12.byte_order = VA_LSB_FIRST;
    nv12.bits_per_pixel = 12;
    check(vaCreateImage(dpy, &nv12, int(alignedWidth_), int(alignedHeight_), &img),
          "vaCreateImage(NV12)");
  }
  void* mapped = nullptr;
  if (const VAStatus st = vaMapBuffer(dpy, img.buf, &mapped); st != VA_STATUS_SUCCESS) {
    vaDestroyImage(dpy, img.image_id);
    check(st, "vaMapBuffer(image)");
  }
  // Row by row: the mapping may be write-combined memory with its own pitches; never read it.
  auto* base = static_cast<uint8_t*>(mapped);
  for (uint32_t row = 0; row < alignedHeight_; ++row)
    std::memcpy(base + img.offsets[0] + size_t(row) * img.pitches[0],
                y + size_t(row) * alignedWidth_, alignedWidth_);
  for (uint32_t row = 0; row < alignedHeight_ / 2; ++row)
    std::memcpy(base + img.offsets[1] + size_t(row) * img.pitches[1],
                uv + size_t(row) * alignedWidth_, alignedWidth_);
  vaUnmapBuffer(dpy, img.buf);
  VAStatus st = VA_STATUS_SUCCESS;
  if (!derived)
    st = vaPutImage(dpy, input_, img.image_id, 0, 0, alignedWidth_, alignedHeight_, 0, 0,
                    alignedWidth_, alignedHeight_);
  vaDestroyImage(dpy, img.image_id);
  check(st, "vaPutImage");
}

VABufferID H264Encoder::buffer(VABufferType type, const void* data, size_t size) {
  VABufferID id = VA_INVALID_ID;
  check(vaCreateBuffer(device_->display(), context_, type, unsigned(size), 1,
                       const_cast<void*>(data), &id),
        "vaCreateBuffer");
  pending_.push_back(id);
  return id;
}

void H264Encoder::miscBuffer(uint32_t type, const void* payload, size_t size) {
  // VAEncMiscParameterBuffer is a type word followed by the payload (a flexible array member).
  std::vector<uint8_t> bytes(sizeof(VAEncMiscParameterBuffer) + size);
  const VAEncMiscParameterType miscType = static_cast<VAEncMiscParameterType>(type);
  std::memcpy(bytes.data(), &miscType, sizeof miscType);
  std::memcpy(bytes.data() + sizeof(VAEncMiscParameterBuffer), payload, size);
  buffer(VAEncMiscParameterBufferType, bytes.data(), bytes.size());
}

void H264Encoder::addPackedHeader(uint32_t vaType, const std::vector<uint8_t>& bytes, size_t bits) {
  VAEncPackedHeaderParameterBuffer param{};
  param.type = vaType;
  param.bit_length = unsigned(bits);
  param.has_emulation_bytes = 1;
  buffer(VAEncPackedHeaderParameterBufferType, &param, sizeof param);
  buffer(VAEncPackedHeaderDataBufferType, bytes.data(), bytes.size());
}

void H264Encoder::renderSequence(uint32_t bitrateKbps) {
  VAEncSequenceParameterBufferH264 seq{};
  seq.seq_parameter_set_id = 0;
  seq.level_idc = layout_.levelIdc;
  seq.intra_period = seq.intra_idr_period = kIntraPeriod;
  seq.ip_period = 1;
  // Not signalled in our SPS (timing_info_present_flag 0), but some drivers take their rate
  // control's frame rate from these two fields.
  seq.num_units_in_tick = 1;
  seq.time_scale = 2 * kFrameRate;
  seq.bits_per_second = bitrateKbps * 1000;
  seq.max_num_ref_frames = 1;
  seq.picture_width_in_mbs = uint16_t(layout_.widthInMbs());
  seq.picture_height_in_mbs = uint16_t(layout_.heightInMbs());
  seq.seq_fields.bits.chroma_format_idc = 1;
  seq.seq_fields.bits.frame_mbs_only_flag = 1;
  seq.seq_fields.bits.direct_8x8_inference_flag = 1;
  seq.seq_fields.bits.log2_max_frame_num_minus4 = layout_.log2MaxFrameNum - 4;
  seq.seq_fields.bits.pic_order_cnt_type = 2;
  seq.frame_cropping_flag = layout_.cropRight() || layout_.cropBottom();
  seq.frame_crop_right_offset = layout_.cropRight();
  seq.frame_crop_bottom_offset = layout_.cropBottom();
  seq.vui_parameters_present_flag = 1;
  seq.vui_fields.bits.bitstream_restriction_flag = 1;
  seq.vui_fields.bits.motion_vectors_over_pic_boundaries_flag = 1;
  seq.vui_fields.bits.log2_max_mv_length_horizontal = 15;
  seq.vui_fields.bits.log2_max_mv_length_vertical = 15;
  buffer(VAEncSequenceParameterBufferType, &seq, sizeof seq);
  renderRateControl(bitrateKbps);
  if (support_.packedHeaders & VA_ENC_PACKED_HEADER_SEQUENCE) {
    auto headers = h264::sequenceParameterSet(layout_);
    const auto pps = h264::pictureParameterSet(layout_);
    if (support_.packedHeaders & VA_ENC_PACKED_HEADER_PICTURE) {
      addPackedHeader(VAEncPackedHeaderPicture, pps, pps.size() * 8);
    } else {
      // A driver that takes packed SPS but not PPS would pair our SPS with its own PPS: send both
      // in the sequence header, as FFmpeg does.
      headers.insert(headers.end(), pps.begin(), pps.end());
    }
    addPackedHeader(VAEncPackedHeaderSequence, headers, headers.size() * 8);
  }
}

void H264Encoder::renderRateControl(uint32_t bitrateKbps) {
  if (support_.rateControl != VA_RC_CBR)
    return;
  VAEncMiscParameterRateControl rate{};
  rate.bits_per_second = bitrateKbps * 1000;
  rate.target_percentage = 100;
  rate.window_size = 500;  // ms: keep bursts short on a remote desktop
  miscBuffer(VAEncMiscParameterTypeRateControl, &rate, sizeof rate);
  VAEncMiscParameterHRD hrd{};
  hrd.buffer_size = bitrateKbps * 1000 / 2;  // half a second of data in flight at most
  hrd.initial_buffer_fullness = hrd.buffer_size / 2;
  miscBuffer(VAEncMiscParameterTypeHRD, &hrd, sizeof hrd);
  VAEncMiscParameterFrameRate frameRate{};
  frameRate.framerate = kFrameRate;
  miscBuffer(VAEncMiscParameterTypeFrameRate, &frameRate, sizeof frameRate);
  bitrateKbps_ = bitrateKbps;
}

void H264Encoder::destroyPending() {
  for (VABufferID b : pending_)
    vaDestroyBuffer(device_->display(), b);
  pending_.clear();
}

void H264Encoder::submit() {
  VADisplay dpy = device_->display();
  check(vaBeginPicture(dpy, context_, input_), "vaBeginPicture");
  const VAStatus rendered = vaRenderPicture(dpy, context_, pending_.data(), int(pending_.size()));
  // A begun picture is always ended, even when rendering failed (FFmpeg does the same).
  const VAStatus ended = vaEndPicture(dpy, context_);
  check(rendered, "vaRenderPicture");
  check(ended, "vaEndPicture");
}

std::vector<uint8_t> H264Encoder::readCoded() {
  VADisplay dpy = device_->display();
  void* mapped = nullptr;
  check(vaMapBuffer(dpy, coded_, &mapped), "vaMapBuffer(coded)");
  std::vector<uint8_t> out;
  for (auto* seg = static_cast<VACodedBufferSegment*>(mapped); seg;
       seg = static_cast<VACodedBufferSegment*>(seg->next)) {
    if (seg->status & VA_CODED_BUF_STATUS_SLICE_OVERFLOW_MASK) {
      vaUnmapBuffer(dpy, coded_);
      throw Error(RDK_E_INTERNAL, "VA-API coded buffer overflow");
    }
    const auto* data = static_cast<const uint8_t*>(seg->buf);
    out.insert(out.end(), data, data + seg->size);
  }
  vaUnmapBuffer(dpy, coded_);
  return out;
}

EncodedPicture H264Encoder::encode(const rdk_image& image, bool forceIdr, int qp,
                                   uint32_t bitrateKbps) {
  EncodedPicture result;
  result.idr = forceIdr || !started_;
  if (result.idr)
    framesSinceIdr_ = 0;
  result.frameNum = uint32_t(framesSinceIdr_ % (1u << layout_.log2MaxFrameNum));
  const int32_t poc = int32_t(2 * (framesSinceIdr_ % (1u << 30)));
  qp = std::clamp(qp, 1, 51);
  upload(image);
  // Every parameter buffer of this picture goes, whether it was submitted or an error came first.
  destroyPending();
  const ScopeExit releaseBuffers([this] { destroyPending(); });

  VADisplay dpy = device_->display();
  const VASurfaceID recon = recon_[framesSinceIdr_ % 2];
  const VASurfaceID reference = recon_[(framesSinceIdr_ + 1) % 2];
  if (result.idr)
    renderSequence(bitrateKbps);
  else if (bitrateKbps != bitrateKbps_)
    renderRateControl(bitrateKbps);

  VAEncPictureParameterBufferH264 pic{};
  pic.CurrPic = referencePicture(recon, result.frameNum, poc);
  pic.CurrPic.flags = 0;
  for (auto& r : pic.ReferenceFrames)
    r = invalidPicture();
  const uint32_t prevFrameNum =
      (result.frameNum + (1u << layout_.log2MaxFrameNum) - 1) % (1u << layout_.log2MaxFrameNum);
  if (!result.idr)
    pic.ReferenceFrames[0] = referencePicture(reference, prevFrameNum, poc - 2);
  pic.coded_buf = coded_;
  pic.frame_num = uint16_t(result.frameNum);
  pic.pic_init_qp = uint8_t(layout_.picInitQp);
  pic.pic_fields.bits.idr_pic_flag = result.idr;
  pic.pic_fields.bits.reference_pic_flag = 1;
  pic.pic_fields.bits.entropy_coding_mode_flag = layout_.cabac;
  pic.pic_fields.bits.deblocking_filter_control_present_flag = 1;
  buffer(VAEncPictureParameterBufferType, &pic, sizeof pic);

  h264::SliceHeader header;
  header.idr = result.idr;
  header.frameNum = result.frameNum;
  header.idrPicId = idrCount_ % 65536;
  header.qp = support_.rateControl == VA_RC_CQP ? qp : layout_.picInitQp;
  VAEncSliceParameterBufferH264 slice{};
  slice.macroblock_address = 0;
  slice.num_macroblocks = layout_.macroblocks();
  slice.macroblock_info = VA_INVALID_ID;
  slice.slice_type = result.idr ? 2 : 0;
  slice.idr_pic_id = uint16_t(header.idrPicId);
  for (auto& r : slice.RefPicList0)
    r = invalidPicture();
  for (auto& r : slice.RefPicList1)
    r = invalidPicture();
  if (!result.idr)
    slice.RefPicList0[0] = pic.ReferenceFrames[0];
  slice.slice_qp_delta = int8_t(header.qp - layout_.picInitQp);
  if (support_.packedHeaders & VA_ENC_PACKED_HEADER_SLICE) {
    h264::BitWriter bits;
    h264::writeSliceHeader(layout_, header, bits);
    if (layout_.cabac) {
      // slice_data() starts with cabac_alignment_one_bit up to the byte boundary; writing them
      // here (as libva-utils does) is harmless for drivers that would align themselves.
      while (!bits.byteAligned())
        bits.u(1, 1);
    }
    const auto nal =
        h264::annexBNal(h264::sliceNalType(header), h264::kReferenceNalRefIdc, bits.bytes());
    // The driver continues with slice data right after the header's last bit.
    const size_t padding = bits.bytes().size() * 8 - bits.bitCount();
    addPackedHeader(VAEncPackedHeaderSlice, nal, nal.size() * 8 - padding);
  }
  buffer(VAEncSliceParameterBufferType, &slice, sizeof slice);

  submit();
  check(vaSyncSurface(dpy, input_), "vaSyncSurface");
  result.annexB = readCoded();
  if (result.annexB.empty())
    throw Error(RDK_E_INTERNAL, "VA-API driver produced an empty picture");
  started_ = true;
  if (result.idr)
    ++idrCount_;
  ++framesSinceIdr_;
  return result;
}

}  // namespace rdk::vaapi
