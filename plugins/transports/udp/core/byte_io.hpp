// Big-endian writer and bounds-checked reader for datagram encoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace rdk::udp {

class ByteWriter {
 public:
  explicit ByteWriter(std::vector<uint8_t>& out) : out_(out) {}
  void u8(uint8_t v) { out_.push_back(v); }
  void u16(uint16_t v) { be(v, 2); }
  void u32(uint32_t v) { be(v, 4); }
  void u64(uint64_t v) { be(v, 8); }
  void bytes(const uint8_t* p, size_t n) { out_.insert(out_.end(), p, p + n); }
  size_t size() const { return out_.size(); }

 private:
  void be(uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i)
      out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  std::vector<uint8_t>& out_;
};

/// Every read checks the remaining length; a short read sets failed() and returns 0.
class ByteReader {
 public:
  ByteReader(const uint8_t* p, size_t n) : p_(p), n_(n) {}
  uint8_t u8() { return static_cast<uint8_t>(be(1)); }
  uint16_t u16() { return static_cast<uint16_t>(be(2)); }
  uint32_t u32() { return static_cast<uint32_t>(be(4)); }
  uint64_t u64() { return be(8); }
  const uint8_t* take(size_t n) {
    if (failed_ || n > n_ - pos_) {
      failed_ = true;
      return nullptr;
    }
    const uint8_t* r = p_ + pos_;
    pos_ += n;
    return r;
  }
  size_t remaining() const { return failed_ ? 0 : n_ - pos_; }
  bool failed() const { return failed_; }

 private:
  uint64_t be(int n) {
    const uint8_t* b = take(static_cast<size_t>(n));
    if (!b)
      return 0;
    uint64_t v = 0;
    for (int i = 0; i < n; ++i)
      v = (v << 8) | b[i];
    return v;
  }
  const uint8_t* p_;
  size_t n_;
  size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace rdk::udp
