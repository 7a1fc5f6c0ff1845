// The H.264 parameter sets and slice headers of rdkernel's low-latency stream: one slice per
// picture, IDR then P pictures that each reference only the previous one, picture order = decode
// order (pic_order_cnt_type 2), and a VUI that tells decoders to output every picture at once
// (max_num_reorder_frames 0). The VA-API encoder hands these to the driver as packed headers; the
// conformance test builds whole streams from them that stock decoders must accept.
#pragma once

#include <cstdint>
#include <vector>

#include "h264_bit_writer.hpp"

namespace rdk::h264 {

enum class Profile : uint8_t { kConstrainedBaseline, kMain, kHigh };

struct StreamLayout {
  uint32_t width = 0;  // visible picture, in pixels
  uint32_t height = 0;
  Profile profile = Profile::kConstrainedBaseline;
  uint8_t levelIdc = 41;
  bool cabac = false;            // entropy_coding_mode_flag; never with constrained baseline
  uint32_t log2MaxFrameNum = 8;  // frame_num counts modulo 256
  int picInitQp = 26;

  uint32_t widthInMbs() const { return (width + 15) / 16; }
  uint32_t heightInMbs() const { return (height + 15) / 16; }
  uint32_t macroblocks() const { return widthInMbs() * heightInMbs(); }
  /// frame_crop_right_offset / frame_crop_bottom_offset, in 4:2:0 crop units of two pixels.
  uint32_t cropRight() const { return (widthInMbs() * 16 - width) / 2; }
  uint32_t cropBottom() const { return (heightInMbs() * 16 - height) / 2; }
  uint8_t profileIdc() const;
};

/// Throws std::invalid_argument when the layout cannot be coded (odd sizes: 4:2:0 crops in pairs
/// of pixels, so the encoder rounds a picture up to even sizes before it gets here).
void validate(const StreamLayout& layout);

/// The smallest level whose frame size limit (MaxFS, Table A-1) holds the picture.
uint8_t levelFor(uint32_t width, uint32_t height);

struct SliceHeader {
  bool idr = false;
  uint32_t frameNum = 0;  // already reduced modulo 2^log2MaxFrameNum
  uint32_t idrPicId = 0;
  int qp = 26;
};

/// seq_parameter_set_rbsp() as an Annex-B NAL unit.
std::vector<uint8_t> sequenceParameterSet(const StreamLayout& layout);
/// pic_parameter_set_rbsp() as an Annex-B NAL unit.
std::vector<uint8_t> pictureParameterSet(const StreamLayout& layout);
/// slice_header() of a reference slice into |bits| (not byte-aligned at the end: slice data
/// follows, starting with cabac_alignment_one_bit for CABAC, which is not written here).
void writeSliceHeader(const StreamLayout& layout, const SliceHeader& slice, BitWriter& bits);
/// The NAL unit type and nal_ref_idc of a slice.
NalType sliceNalType(const SliceHeader& slice);
constexpr uint8_t kReferenceNalRefIdc = 3;

}  // namespace rdk::h264
