// Writes H.264 syntax elements (fixed-width, Exp-Golomb) into an RBSP and wraps an RBSP into an
// Annex-B NAL unit with emulation prevention (ITU-T H.264 7.3, 7.4.1, 9.1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rdk::h264 {

class BitWriter {
 public:
  /// u(n): the low |bits| bits of |value|, most significant first; |bits| <= 32.
  void u(uint32_t bits, uint32_t value);
  void flag(bool value) { u(1, value ? 1 : 0); }
  /// ue(v): unsigned Exp-Golomb.
  void ue(uint32_t value);
  /// se(v): signed Exp-Golomb.
  void se(int32_t value);
  /// rbsp_trailing_bits(): a one bit, then zero bits up to the byte boundary.
  void trailingBits();
  /// Zero bits up to the byte boundary (pcm_alignment_zero_bit and the like).
  void alignZero();
  void byte(uint8_t value) { u(8, value); }

  bool byteAligned() const { return bitCount_ % 8 == 0; }
  /// Number of bits written so far.
  size_t bitCount() const { return bitCount_; }
  /// The bytes written; a partial last byte is padded with zero bits.
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
  size_t bitCount_ = 0;
};

/// NAL unit types used by the encoder (Table 7-1).
enum class NalType : uint8_t { kSlice = 1, kIdrSlice = 5, kSps = 7, kPps = 8 };

/// A four-byte start code, the NAL header, then |rbsp| with emulation-prevention bytes inserted.
std::vector<uint8_t> annexBNal(NalType type, uint8_t refIdc, const std::vector<uint8_t>& rbsp);

}  // namespace rdk::h264
