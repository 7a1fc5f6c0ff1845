// Xpra's bencode dialect: i<n>e, <len>:<bytes>, u<len>:<utf8> (decode only), l...e, d...e with
// keys in insertion order and of any type; bools as i1e/i0e.
#include <charconv>

#include "rdk/json.hpp"
#include "rdk/protocol/codec.h"

namespace rdk::protocol {
namespace {

void encode(const Value& v, std::string& out) {
  switch (v.type()) {
    case Value::Type::None:
      throw ProtocolError("bencode: found None value");
    case Value::Type::Float:
      throw ProtocolError("bencode: cannot encode float");
    case Value::Type::Bool:
      out += v.asBool() ? "i1e" : "i0e";
      return;
    case Value::Type::Int:
      out += 'i';
      out += std::to_string(v.asInt());
      out += 'e';
      return;
    case Value::Type::Bytes:
      out += std::to_string(v.asBytes().size());
      out += ':';
      out += v.asBytes();
      return;
    case Value::Type::List:
      out += 'l';
      for (const auto& item : v.asList())
        encode(item, out);
      out += 'e';
      return;
    case Value::Type::Dict:
      out += 'd';
      for (const auto& [k, item] : v.asDict()) {
        encode(k, out);
        encode(item, out);
      }
      out += 'e';
      return;
  }
}

class Decoder {
 public:
  explicit Decoder(std::string_view data) : data_(data) {}

  Value decodeAll() {
    Value v = decode(0);
    if (pos_ != data_.size())
      fail("trailing " + std::to_string(data_.size() - pos_) + " bytes");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw ProtocolError("bencode: " + what + " at offset " + std::to_string(pos_));
  }

  char peek() const {
    if (pos_ >= data_.size())
      fail("truncated data");
    return data_[pos_];
  }

  Value decodeInt() {
    ++pos_;  // 'i'
    size_t end = data_.find('e', pos_);
    if (end == std::string_view::npos)
      fail("unterminated int");
    std::string_view digits = data_.substr(pos_, end - pos_);
    size_t first = !digits.empty() && digits[0] == '-' ? 1 : 0;
    // Same canonical-form rules as Xpra: no "-0", no leading zeros, no '+'.
    if (digits.size() <= first || (digits[first] == '0' && (first == 1 || digits.size() > 1))) {
      fail("bad int");
    }
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec == std::errc::result_out_of_range)
      fail("integer does not fit in 64 signed bits");
    if (ec != std::errc() || ptr != digits.data() + digits.size())
      fail("bad int");
    pos_ = end + 1;
    return Value(v);
  }

  Value decodeString(bool utf8) {
    if (utf8)
      ++pos_;  // 'u'
    size_t colon = data_.find(':', pos_);
    if (colon == std::string_view::npos || colon == pos_ || colon - pos_ > 19)
      fail("bad string length");
    if (data_[pos_] == '0' && colon - pos_ > 1)
      fail("bad string length");
    uint64_t len = 0;
    auto [ptr, ec] = std::from_chars(data_.data() + pos_, data_.data() + colon, len);
    if (ec != std::errc() || ptr != data_.data() + colon)
      fail("bad string length");
    pos_ = colon + 1;
    if (len > data_.size() - pos_)
      fail("truncated string of " + std::to_string(len) + " bytes");
    std::string_view s = data_.substr(pos_, len);
    if (utf8 && !json::isValidUtf8(s))
      fail("invalid UTF-8 in u-string");
    pos_ += len;
    return Value(s);
  }

  Value decode(int depth) {
    if (depth > kMaxDecodeDepth)
      fail("nesting deeper than " + std::to_string(kMaxDecodeDepth));
    if (++values_ > kMaxDecodeValues)
      fail("more than " + std::to_string(kMaxDecodeValues) + " values");
    char c = peek();
    if (c == 'i')
      return decodeInt();
    if (c >= '0' && c <= '9')
      return decodeString(false);
    if (c == 'u')
      return decodeString(true);
    if (c == 'l') {
      ++pos_;
      Value::List list;
      while (peek() != 'e')
        list.push_back(decode(depth + 1));
      ++pos_;
      return Value(std::move(list));
    }
    if (c == 'd') {
      ++pos_;
      Value::Dict dict;
      while (peek() != 'e') {
        Value k = decode(depth + 1);
        Value v = decode(depth + 1);
        dict.emplace_back(std::move(k), std::move(v));
      }
      ++pos_;
      return Value(std::move(dict));
    }
    fail(std::string("invalid type character 0x") + "0123456789abcdef"[(c >> 4) & 0xf] +
         "0123456789abcdef"[c & 0xf]);
  }

  std::string_view data_;
  size_t pos_ = 0;
  size_t values_ = 0;
};

}  // namespace

void bencodeAppend(const Value& value, std::string& out) {
  encode(value, out);
}

void bencodeListAppend(std::span<const Value* const> items, std::string& out) {
  out += 'l';
  for (const Value* item : items)
    encode(*item, out);
  out += 'e';
}

std::string bencode(const Value& value) {
  std::string out;
  encode(value, out);
  return out;
}

Value bdecode(std::string_view data) {
  return Decoder(data).decodeAll();
}

}  // namespace rdk::protocol
