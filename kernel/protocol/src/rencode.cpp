// rencode, stock 1.0.6 dialect. Type codes (see reference §2.2): 0..43 small ints, 44 float64,
// 59/60 open list/dict ended by 127, 61 decimal big int ended by 127, 62..65 int8..int64 BE,
// 66 float32, 67/68/69 True/False/None, 70..101 ints -1..-32, 102..126 dicts of 0..24 pairs,
// 128..191 strings of 0..63 bytes, 192..255 lists of 0..63 items, '1'..'9' "<len>:<bytes>".
#include <bit>
#include <charconv>
#include <cstring>
#include <limits>

#include "rdk/protocol/codec.h"

namespace rdk::protocol {
namespace {

constexpr uint8_t kFloat64 = 44;
constexpr uint8_t kListOpen = 59;
constexpr uint8_t kDictOpen = 60;
constexpr uint8_t kBigInt = 61;
constexpr uint8_t kInt8 = 62;
constexpr uint8_t kInt16 = 63;
constexpr uint8_t kInt32 = 64;
constexpr uint8_t kInt64 = 65;
constexpr uint8_t kFloat32 = 66;
constexpr uint8_t kTrue = 67;
constexpr uint8_t kFalse = 68;
constexpr uint8_t kNone = 69;
constexpr uint8_t kNegFixedStart = 70;
constexpr int kNegFixedCount = 32;
constexpr uint8_t kDictFixedStart = 102;
constexpr size_t kDictFixedCount = 25;
constexpr uint8_t kTerminator = 127;
constexpr uint8_t kStrFixedStart = 128;
constexpr size_t kStrFixedCount = 64;
constexpr uint8_t kListFixedStart = 192;
constexpr size_t kListFixedCount = 64;
constexpr int kPosFixedCount = 44;
constexpr size_t kMaxBigIntDigits = 64;  // rencode's MAX_INT_LENGTH

void putBigEndian(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i)
    out += static_cast<char>((v >> (8 * i)) & 0xff);
}

void encodeInt(int64_t v, std::string& out) {
  if (v >= 0 && v < kPosFixedCount) {
    out += static_cast<char>(v);
  } else if (v < 0 && v >= -kNegFixedCount) {
    out += static_cast<char>(kNegFixedStart - 1 - v);
  } else if (v >= -128 && v < 128) {
    out += static_cast<char>(kInt8);
    putBigEndian(out, static_cast<uint64_t>(v), 1);
  } else if (v >= -32768 && v < 32768) {
    out += static_cast<char>(kInt16);
    putBigEndian(out, static_cast<uint64_t>(v), 2);
  } else if (v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()) {
    out += static_cast<char>(kInt32);
    putBigEndian(out, static_cast<uint64_t>(v), 4);
  } else {
    out += static_cast<char>(kInt64);
    putBigEndian(out, static_cast<uint64_t>(v), 8);
  }
}

void encode(const Value& v, std::string& out, int floatBits) {
  switch (v.type()) {
    case Value::Type::None:
      out += static_cast<char>(kNone);
      return;
    case Value::Type::Bool:
      out += static_cast<char>(v.asBool() ? kTrue : kFalse);
      return;
    case Value::Type::Int:
      encodeInt(v.asInt(), out);
      return;
    case Value::Type::Float:
      if (floatBits == 32) {
        out += static_cast<char>(kFloat32);
        putBigEndian(out, std::bit_cast<uint32_t>(static_cast<float>(v.asFloat())), 4);
      } else {
        out += static_cast<char>(kFloat64);
        putBigEndian(out, std::bit_cast<uint64_t>(v.asFloat()), 8);
      }
      return;
    case Value::Type::Bytes: {
      const std::string& s = v.asBytes();
      if (s.size() < kStrFixedCount) {
        out += static_cast<char>(kStrFixedStart + s.size());
      } else {
        out += std::to_string(s.size());
        out += ':';
      }
      out += s;
      return;
    }
    case Value::Type::List: {
      const auto& l = v.asList();
      bool fixed = l.size() < kListFixedCount;
      out += static_cast<char>(fixed ? kListFixedStart + l.size() : kListOpen);
      for (const auto& item : l)
        encode(item, out, floatBits);
      if (!fixed)
        out += static_cast<char>(kTerminator);
      return;
    }
    case Value::Type::Dict: {
      const auto& d = v.asDict();
      bool fixed = d.size() < kDictFixedCount;
      out += static_cast<char>(fixed ? kDictFixedStart + d.size() : kDictOpen);
      for (const auto& [k, item] : d) {
        encode(k, out, floatBits);
        encode(item, out, floatBits);
      }
      if (!fixed)
        out += static_cast<char>(kTerminator);
      return;
    }
  }
}

class Decoder {
 public:
  explicit Decoder(std::string_view data) : data_(data) {}

  Value decodeAll() {
    Value v = decode(0);
    if (pos_ != data_.size()) {
      fail("trailing " + std::to_string(data_.size() - pos_) + " bytes");
    }
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw ProtocolError("rencode: " + what + " at offset " + std::to_string(pos_));
  }

  uint8_t peek() const {
    if (pos_ >= data_.size())
      fail("truncated data");
    return static_cast<uint8_t>(data_[pos_]);
  }

  std::string_view take(size_t n) {
    if (n > data_.size() - pos_)
      fail("truncated data (need " + std::to_string(n) + " bytes)");
    std::string_view s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }

  uint64_t readBigEndian(int bytes) {
    std::string_view s = take(static_cast<size_t>(bytes));
    uint64_t v = 0;
    for (char c : s)
      v = (v << 8) | static_cast<uint8_t>(c);
    return v;
  }

  Value decodeBigInt() {
    size_t end = data_.find(static_cast<char>(kTerminator), pos_);
    if (end == std::string_view::npos)
      fail("unterminated big int");
    std::string_view digits = data_.substr(pos_, end - pos_);
    if (digits.size() >= kMaxBigIntDigits)
      fail("big int longer than 64 characters");
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec == std::errc::result_out_of_range)
      fail("integer does not fit in 64 signed bits");
    if (ec != std::errc() || ptr != digits.data() + digits.size() || digits.empty()) {
      fail("bad big int digits");
    }
    pos_ = end + 1;
    return Value(v);
  }

  Value decodeLongString() {
    size_t colon = data_.find(':', pos_);
    // A length of more than 19 digits cannot be satisfied by any real buffer.
    if (colon == std::string_view::npos || colon - pos_ > 19)
      fail("bad string length");
    uint64_t len = 0;
    auto [ptr, ec] = std::from_chars(data_.data() + pos_, data_.data() + colon, len);
    if (ec != std::errc() || ptr != data_.data() + colon)
      fail("bad string length");
    pos_ = colon + 1;
    return Value(take(len));
  }

  Value decode(int depth) {
    if (depth > kMaxDecodeDepth)
      fail("nesting deeper than " + std::to_string(kMaxDecodeDepth));
    if (++values_ > kMaxDecodeValues)
      fail("more than " + std::to_string(kMaxDecodeValues) + " values");
    uint8_t code = peek();
    ++pos_;
    if (code < kPosFixedCount)
      return Value(static_cast<int64_t>(code));
    if (code >= kNegFixedStart && code < kNegFixedStart + kNegFixedCount) {
      return Value(static_cast<int64_t>(kNegFixedStart - 1) - code);
    }
    if (code >= kStrFixedStart && code < kStrFixedStart + kStrFixedCount) {
      return Value(take(code - kStrFixedStart));
    }
    if (code >= kListFixedStart) {
      size_t n = code - kListFixedStart;
      Value::List list;
      list.reserve(n);
      for (size_t i = 0; i < n; ++i)
        list.push_back(decode(depth + 1));
      return Value(std::move(list));
    }
    if (code >= kDictFixedStart && code < kDictFixedStart + kDictFixedCount) {
      size_t n = code - kDictFixedStart;
      Value::Dict dict;
      dict.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        Value k = decode(depth + 1);
        Value v = decode(depth + 1);
        dict.emplace_back(std::move(k), std::move(v));
      }
      return Value(std::move(dict));
    }
    if (code >= '1' && code <= '9') {
      --pos_;
      return decodeLongString();
    }
    switch (code) {
      case kFloat64:
        return Value(std::bit_cast<double>(readBigEndian(8)));
      case kFloat32: {
        // The shortest decimal that reads back as this float, as a double: what the sender
        // meant (0.1, 78.29), not the float's binary value widened (0.10000000149011612), which
        // printed as such in info and summaries (issue 20 item 10). Python's rencode keeps the
        // widened value; the two differ by less than the float's own precision.
        const float f = std::bit_cast<float>(static_cast<uint32_t>(readBigEndian(4)));
        double d = static_cast<double>(f);
        char text[32];
        const auto written = std::to_chars(text, text + sizeof(text), f);
        if (written.ec == std::errc())
          std::from_chars(text, written.ptr, d);
        return Value(d);
      }
      case kInt8:
        return Value(static_cast<int64_t>(static_cast<int8_t>(readBigEndian(1))));
      case kInt16:
        return Value(static_cast<int64_t>(static_cast<int16_t>(readBigEndian(2))));
      case kInt32:
        return Value(static_cast<int64_t>(static_cast<int32_t>(readBigEndian(4))));
      case kInt64:
        return Value(static_cast<int64_t>(readBigEndian(8)));
      case kTrue:
        return Value(true);
      case kFalse:
        return Value(false);
      case kNone:
        return Value();
      case kBigInt:
        return decodeBigInt();
      case kListOpen: {
        Value::List list;
        while (peek() != kTerminator)
          list.push_back(decode(depth + 1));
        ++pos_;
        return Value(std::move(list));
      }
      case kDictOpen: {
        Value::Dict dict;
        while (peek() != kTerminator) {
          Value k = decode(depth + 1);
          Value v = decode(depth + 1);
          dict.emplace_back(std::move(k), std::move(v));
        }
        ++pos_;
        return Value(std::move(dict));
      }
      default:
        --pos_;
        fail("invalid type code " + std::to_string(code));
    }
  }

  std::string_view data_;
  size_t pos_ = 0;
  size_t values_ = 0;
};

}  // namespace

void rencodeAppend(const Value& value, std::string& out, int floatBits) {
  if (floatBits != 32 && floatBits != 64)
    throw ProtocolError("rencode: float bits must be 32 or 64");
  encode(value, out, floatBits);
}

void rencodeListAppend(std::span<const Value* const> items, std::string& out, int floatBits) {
  if (floatBits != 32 && floatBits != 64)
    throw ProtocolError("rencode: float bits must be 32 or 64");
  const bool fixed = items.size() < kListFixedCount;
  out += static_cast<char>(fixed ? kListFixedStart + items.size() : kListOpen);
  for (const Value* item : items)
    encode(*item, out, floatBits);
  if (!fixed)
    out += static_cast<char>(kTerminator);
}

std::string rencode(const Value& value, int floatBits) {
  std::string out;
  rencodeAppend(value, out, floatBits);
  return out;
}

std::string rencode(const Value& value) {
  return rencode(value, 32);
}

Value rdecode(std::string_view data) {
  return Decoder(data).decodeAll();
}

}  // namespace rdk::protocol
