#include "h264_pcm_stream.hpp"

namespace rdk::test {

namespace {
constexpr uint32_t kMbTypeIPcm = 25;  // Table 7-11, in I slices
}

PlanarPicture makePlanarPicture(uint32_t width, uint32_t height, uint32_t seed) {
  PlanarPicture p;
  p.width = width;
  p.height = height;
  p.paddedWidth = (width + 15) / 16 * 16;
  p.paddedHeight = (height + 15) / 16 * 16;
  p.y.resize(size_t(p.paddedWidth) * p.paddedHeight);
  p.u.resize(p.y.size() / 4);
  p.v.resize(p.y.size() / 4);
  // Studio-range values with runs of equal samples (exercising emulation prevention) and edges.
  for (uint32_t r = 0; r < p.paddedHeight; ++r)
    for (uint32_t c = 0; c < p.paddedWidth; ++c)
      p.y[size_t(r) * p.paddedWidth + c] = uint8_t(16 + (c * 7 + r * 13 + seed * 29) % 220);
  for (uint32_t r = 0; r < p.paddedHeight / 2; ++r)
    for (uint32_t c = 0; c < p.paddedWidth / 2; ++c) {
      p.u[size_t(r) * p.paddedWidth / 2 + c] = uint8_t(16 + (c * 5 + seed * 11) % 225);
      p.v[size_t(r) * p.paddedWidth / 2 + c] = uint8_t(16 + (r * 3 + c + seed * 17) % 225);
    }
  return p;
}

std::vector<uint8_t> pcmIdrAccessUnit(const h264::StreamLayout& layout, uint32_t idrPicId,
                                      const PlanarPicture& picture) {
  std::vector<uint8_t> out = h264::sequenceParameterSet(layout);
  const auto pps = h264::pictureParameterSet(layout);
  out.insert(out.end(), pps.begin(), pps.end());
  h264::SliceHeader header;
  header.idr = true;
  header.idrPicId = idrPicId;
  header.qp = layout.picInitQp;
  h264::BitWriter bits;
  h264::writeSliceHeader(layout, header, bits);
  const uint32_t chromaStride = picture.paddedWidth / 2;
  for (uint32_t mby = 0; mby < layout.heightInMbs(); ++mby)
    for (uint32_t mbx = 0; mbx < layout.widthInMbs(); ++mbx) {
      bits.ue(kMbTypeIPcm);
      bits.alignZero();  // pcm_alignment_zero_bit
      for (uint32_t r = 0; r < 16; ++r)
        for (uint32_t c = 0; c < 16; ++c)
          bits.byte(picture.y[size_t(mby * 16 + r) * picture.paddedWidth + mbx * 16 + c]);
      for (const auto* plane : {&picture.u, &picture.v})
        for (uint32_t r = 0; r < 8; ++r)
          for (uint32_t c = 0; c < 8; ++c)
            bits.byte((*plane)[size_t(mby * 8 + r) * chromaStride + mbx * 8 + c]);
    }
  bits.trailingBits();
  const auto slice =
      h264::annexBNal(h264::sliceNalType(header), h264::kReferenceNalRefIdc, bits.bytes());
  out.insert(out.end(), slice.begin(), slice.end());
  return out;
}

std::vector<uint8_t> skippedPAccessUnit(const h264::StreamLayout& layout, uint32_t frameNum) {
  h264::SliceHeader header;
  header.idr = false;
  header.frameNum = frameNum;
  header.qp = layout.picInitQp;
  h264::BitWriter bits;
  h264::writeSliceHeader(layout, header, bits);
  bits.ue(layout.macroblocks());  // mb_skip_run over the whole picture
  bits.trailingBits();
  return h264::annexBNal(h264::sliceNalType(header), h264::kReferenceNalRefIdc, bits.bytes());
}

std::vector<uint8_t> unescapeRbsp(const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> out;
  int zeros = 0;
  for (uint8_t b : payload) {
    if (zeros == 2 && b == 3) {
      zeros = 0;
      continue;
    }
    out.push_back(b);
    zeros = b == 0 ? zeros + 1 : 0;
  }
  return out;
}

}  // namespace rdk::test
