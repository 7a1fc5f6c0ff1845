#include "h264_bit_writer.hpp"

#include <bit>

namespace rdk::h264 {

void BitWriter::u(uint32_t bits, uint32_t value) {
  for (uint32_t i = bits; i-- > 0;) {
    if (bitCount_ % 8 == 0)
      bytes_.push_back(0);
    if ((value >> i) & 1u)
      bytes_.back() |= static_cast<uint8_t>(0x80u >> (bitCount_ % 8));
    ++bitCount_;
  }
}

void BitWriter::ue(uint32_t value) {
  // codeNum + 1 written with as many leading zeros as it has bits after the first.
  const uint64_t codeNum = uint64_t(value) + 1;
  const uint32_t length = static_cast<uint32_t>(std::bit_width(codeNum));
  u(length - 1, 0);
  if (length > 32) {
    u(1, 1);
    u(32, static_cast<uint32_t>(codeNum));
    return;
  }
  u(length, static_cast<uint32_t>(codeNum));
}

void BitWriter::se(int32_t value) {
  // 9.1.1: positive k maps to 2k-1, non-positive k to -2k.
  const int64_t v = value;
  ue(static_cast<uint32_t>(v > 0 ? 2 * v - 1 : -2 * v));
}

void BitWriter::trailingBits() {
  u(1, 1);
  alignZero();
}

void BitWriter::alignZero() {
  while (bitCount_ % 8 != 0)
    u(1, 0);
}

std::vector<uint8_t> annexBNal(NalType type, uint8_t refIdc, const std::vector<uint8_t>& rbsp) {
  std::vector<uint8_t> out = {
      0, 0, 0, 1, static_cast<uint8_t>((refIdc & 3u) << 5 | static_cast<uint8_t>(type))};
  out.reserve(out.size() + rbsp.size() + rbsp.size() / 64 + 1);
  int zeros = 0;
  for (uint8_t b : rbsp) {
    // 7.4.1: within the NAL unit, 0x000000..0x000003 must not appear; escape with 0x03.
    if (zeros == 2 && b <= 3) {
      out.push_back(3);
      zeros = 0;
    }
    out.push_back(b);
    zeros = b == 0 ? zeros + 1 : 0;
  }
  return out;
}

}  // namespace rdk::h264
