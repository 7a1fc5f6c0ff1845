#include "h264_headers.hpp"

#include <array>
#include <stdexcept>
#include <string>

namespace rdk::h264 {

namespace {
constexpr uint32_t kSliceTypeP = 0;
constexpr uint32_t kSliceTypeI = 2;

void writeVui(BitWriter& b) {
  b.flag(false);  // aspect_ratio_info_present_flag
  b.flag(false);  // overscan_info_present_flag
  b.flag(false);  // video_signal_type_present_flag: BT.601 limited range, what libyuv writes
  b.flag(false);  // chroma_loc_info_present_flag
  b.flag(false);  // timing_info_present_flag
  b.flag(false);  // nal_hrd_parameters_present_flag
  b.flag(false);  // vcl_hrd_parameters_present_flag
  b.flag(false);  // pic_struct_present_flag
  // Without bitstream_restriction a decoder may hold pictures back for reordering (FFmpeg derives
  // up to 16 from the level): a remote desktop must see each picture as soon as it is decoded.
  b.flag(true);  // bitstream_restriction_flag
  b.flag(true);  // motion_vectors_over_pic_boundaries_flag
  b.ue(0);       // max_bytes_per_pic_denom
  b.ue(0);       // max_bits_per_mb_denom
  b.ue(15);      // log2_max_mv_length_horizontal
  b.ue(15);      // log2_max_mv_length_vertical
  b.ue(0);       // max_num_reorder_frames
  b.ue(1);       // max_dec_frame_buffering
}
}  // namespace

uint8_t StreamLayout::profileIdc() const {
  switch (profile) {
    case Profile::kConstrainedBaseline:
      return 66;
    case Profile::kMain:
      return 77;
    case Profile::kHigh:
      return 100;
  }
  throw std::invalid_argument("unknown H.264 profile");
}

void validate(const StreamLayout& layout) {
  if (layout.width == 0 || layout.height == 0 || layout.width % 2 || layout.height % 2)
    throw std::invalid_argument("H.264 4:2:0 picture size must be even and non-zero, got " +
                                std::to_string(layout.width) + "x" + std::to_string(layout.height));
  if (layout.log2MaxFrameNum < 4 || layout.log2MaxFrameNum > 16)
    throw std::invalid_argument("log2_max_frame_num out of range");
  if (layout.picInitQp < 0 || layout.picInitQp > 51)
    throw std::invalid_argument("pic_init_qp out of range");
  if (layout.cabac && layout.profile == Profile::kConstrainedBaseline)
    throw std::invalid_argument("constrained baseline has no CABAC");
}

uint8_t levelFor(uint32_t width, uint32_t height) {
  const uint32_t mbs = ((width + 15) / 16) * ((height + 15) / 16);
  // Table A-1 MaxFS (macroblocks per frame) per level; real-time rates are the driver's business.
  constexpr std::array<std::pair<uint32_t, uint8_t>, 8> kLevels = {{{396, 21},
                                                                    {1620, 31},
                                                                    {3600, 31},
                                                                    {5120, 32},
                                                                    {8192, 41},
                                                                    {8704, 50},
                                                                    {22080, 51},
                                                                    {36864, 51}}};
  for (const auto& [maxFs, level] : kLevels)
    if (mbs <= maxFs)
      return level;
  return 62;
}

std::vector<uint8_t> sequenceParameterSet(const StreamLayout& layout) {
  validate(layout);
  BitWriter b;
  b.u(8, layout.profileIdc());
  const bool constrained = layout.profile == Profile::kConstrainedBaseline;
  b.flag(constrained);  // constraint_set0_flag: baseline conformance
  b.flag(constrained || layout.profile == Profile::kMain);  // constraint_set1_flag
  b.flag(false);                                            // constraint_set2_flag
  b.flag(false);                                            // constraint_set3_flag
  b.flag(false);                                            // constraint_set4_flag
  b.flag(false);                                            // constraint_set5_flag
  b.u(2, 0);                                                // reserved_zero_2bits
  b.u(8, layout.levelIdc);
  b.ue(0);  // seq_parameter_set_id
  if (layout.profile == Profile::kHigh) {
    b.ue(1);        // chroma_format_idc: 4:2:0
    b.ue(0);        // bit_depth_luma_minus8
    b.ue(0);        // bit_depth_chroma_minus8
    b.flag(false);  // qpprime_y_zero_transform_bypass_flag
    b.flag(false);  // seq_scaling_matrix_present_flag
  }
  b.ue(layout.log2MaxFrameNum - 4);
  b.ue(2);        // pic_order_cnt_type: output order is decode order
  b.ue(1);        // max_num_ref_frames
  b.flag(false);  // gaps_in_frame_num_value_allowed_flag
  b.ue(layout.widthInMbs() - 1);
  b.ue(layout.heightInMbs() - 1);
  b.flag(true);  // frame_mbs_only_flag
  b.flag(true);  // direct_8x8_inference_flag
  const bool crop = layout.cropRight() || layout.cropBottom();
  b.flag(crop);
  if (crop) {
    b.ue(0);
    b.ue(layout.cropRight());
    b.ue(0);
    b.ue(layout.cropBottom());
  }
  b.flag(true);  // vui_parameters_present_flag
  writeVui(b);
  b.trailingBits();
  return annexBNal(NalType::kSps, kReferenceNalRefIdc, b.bytes());
}

std::vector<uint8_t> pictureParameterSet(const StreamLayout& layout) {
  validate(layout);
  BitWriter b;
  b.ue(0);  // pic_parameter_set_id
  b.ue(0);  // seq_parameter_set_id
  b.flag(layout.cabac);
  b.flag(false);  // bottom_field_pic_order_in_frame_present_flag
  b.ue(0);        // num_slice_groups_minus1
  b.ue(0);        // num_ref_idx_l0_default_active_minus1
  b.ue(0);        // num_ref_idx_l1_default_active_minus1
  b.flag(false);  // weighted_pred_flag
  b.u(2, 0);      // weighted_bipred_idc
  b.se(layout.picInitQp - 26);
  b.se(0);        // pic_init_qs_minus26
  b.se(0);        // chroma_qp_index_offset
  b.flag(true);   // deblocking_filter_control_present_flag
  b.flag(false);  // constrained_intra_pred_flag
  b.flag(false);  // redundant_pic_cnt_present_flag
  b.trailingBits();
  return annexBNal(NalType::kPps, kReferenceNalRefIdc, b.bytes());
}

NalType sliceNalType(const SliceHeader& slice) {
  return slice.idr ? NalType::kIdrSlice : NalType::kSlice;
}

void writeSliceHeader(const StreamLayout& layout, const SliceHeader& slice, BitWriter& b) {
  if (slice.qp < 0 || slice.qp > 51)
    throw std::invalid_argument("slice QP out of range");
  b.ue(0);  // first_mb_in_slice
  b.ue(slice.idr ? kSliceTypeI : kSliceTypeP);
  b.ue(0);  // pic_parameter_set_id
  b.u(layout.log2MaxFrameNum, slice.frameNum);
  if (slice.idr)
    b.ue(slice.idrPicId);
  if (!slice.idr) {
    b.flag(false);  // num_ref_idx_active_override_flag
    b.flag(false);  // ref_pic_list_modification_flag_l0
  }
  // dec_ref_pic_marking(): sliding window, the default.
  if (slice.idr) {
    b.flag(false);  // no_output_of_prior_pics_flag
    b.flag(false);  // long_term_reference_flag
  } else {
    b.flag(false);  // adaptive_ref_pic_marking_mode_flag
  }
  if (layout.cabac && !slice.idr)
    b.ue(0);  // cabac_init_idc
  b.se(slice.qp - layout.picInitQp);
  b.ue(0);  // disable_deblocking_filter_idc: filter on
  b.se(0);  // slice_alpha_c0_offset_div2
  b.se(0);  // slice_beta_offset_div2
}

}  // namespace rdk::h264
