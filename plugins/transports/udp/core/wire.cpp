#include "wire.hpp"

#include <algorithm>

#include "byte_io.hpp"

namespace rdk::udp {

namespace {
constexpr size_t kMaxAckRanges = 32;
constexpr size_t kMaxToken = 256;
constexpr size_t kMaxCloseReason = 512;
}  // namespace

void writeHeader(std::vector<uint8_t>& out, const Header& h) {
  ByteWriter w(out);
  w.u8(kMagic);
  w.u8(kVersion);
  w.u8(static_cast<uint8_t>(h.type));
  w.u64(h.connId);
  w.u64(h.pn);
}

std::optional<Header> parseHeader(const uint8_t* p, size_t n) {
  ByteReader r(p, n);
  if (r.u8() != kMagic || r.u8() != kVersion)
    return std::nullopt;
  const uint8_t type = r.u8();
  Header h;
  h.connId = r.u64();
  h.pn = r.u64();
  if (r.failed() || type < 1 || type > 4)
    return std::nullopt;
  h.type = static_cast<DatagramType>(type);
  return h;
}

size_t ackFrameSize(size_t ranges) {
  return 1 + 8 + 4 + 1 + 4 + 8 * (ranges - 1);
}

size_t ackFrameSize(const AckFrame& a) {
  return ackFrameSize(a.ranges.size());
}

void writeAck(std::vector<uint8_t>& out, const AckFrame& a) {
  ByteWriter w(out);
  w.u8(static_cast<uint8_t>(FrameType::kAck));
  w.u64(a.ranges.front().high);
  w.u32(static_cast<uint32_t>(std::min<uint64_t>(a.ackDelayUs, UINT32_MAX)));
  w.u8(static_cast<uint8_t>(a.ranges.size()));
  w.u32(static_cast<uint32_t>(a.ranges.front().high - a.ranges.front().low));
  for (size_t i = 1; i < a.ranges.size(); ++i) {
    w.u32(static_cast<uint32_t>(a.ranges[i - 1].low - a.ranges[i].high - 2));
    w.u32(static_cast<uint32_t>(a.ranges[i].high - a.ranges[i].low));
  }
}

void writeFragment(std::vector<uint8_t>& out, MessageClass cls, uint64_t seq, uint32_t total,
                   uint32_t offset, const uint8_t* data, uint16_t length) {
  ByteWriter w(out);
  w.u8(static_cast<uint8_t>(FrameType::kFragment));
  w.u8(static_cast<uint8_t>(cls));
  w.u64(seq);
  w.u32(total);
  w.u32(offset);
  w.u16(length);
  w.bytes(data, length);
}

void writeParity(std::vector<uint8_t>& out, uint64_t seq, uint32_t total,
                 const std::vector<ParitySlot>& slots, const uint8_t* data, uint16_t length) {
  ByteWriter w(out);
  w.u8(static_cast<uint8_t>(FrameType::kParity));
  w.u64(seq);
  w.u32(total);
  w.u8(static_cast<uint8_t>(slots.size()));
  for (const auto& s : slots) {
    w.u32(s.offset);
    w.u16(s.length);
  }
  w.u16(length);
  w.bytes(data, length);
}

void writeFec(std::vector<uint8_t>& out, uint64_t seq, uint32_t total,
              const std::vector<ParitySlot>& slots, uint8_t count, uint8_t index,
              const uint8_t* data, uint16_t length) {
  ByteWriter w(out);
  w.u8(static_cast<uint8_t>(FrameType::kFec));
  w.u8(kFecVersion);
  w.u16(static_cast<uint16_t>(fecFrameSize(slots.size(), length) - 4));
  w.u64(seq);
  w.u32(total);
  w.u8(static_cast<uint8_t>(slots.size()));
  w.u8(count);
  w.u8(index);
  for (const auto& s : slots) {
    w.u32(s.offset);
    w.u16(s.length);
  }
  w.u16(length);
  w.bytes(data, length);
}

void writeDelivered(std::vector<uint8_t>& out, const uint64_t* seqs, size_t n) {
  ByteWriter w(out);
  w.u8(static_cast<uint8_t>(FrameType::kDelivered));
  w.u8(static_cast<uint8_t>(n));
  for (size_t i = 0; i < n; ++i)
    w.u64(seqs[i]);
}

void writeClose(std::vector<uint8_t>& out, const std::string& reason) {
  ByteWriter w(out);
  const size_t n = std::min(reason.size(), kMaxCloseReason);
  w.u8(static_cast<uint8_t>(FrameType::kClose));
  w.u16(static_cast<uint16_t>(n));
  w.bytes(reinterpret_cast<const uint8_t*>(reason.data()), n);
}

void writePath(std::vector<uint8_t>& out, FrameType type, uint64_t token) {
  ByteWriter w(out);
  w.u8(static_cast<uint8_t>(type));
  w.u64(token);
}

namespace {
/// Slots ascending, disjoint, non-empty, inside the message and no longer than the parity data.
bool readSlots(ByteReader& r, size_t n, uint32_t total, std::vector<ParitySlot>& slots) {
  uint64_t end = 0;
  for (size_t i = 0; i < n; ++i) {
    ParitySlot s;
    s.offset = r.u32();
    s.length = r.u16();
    if (s.length == 0 || s.offset < end || uint64_t(s.offset) + s.length > total)
      return false;
    end = uint64_t(s.offset) + s.length;
    slots.push_back(s);
  }
  return !r.failed();
}

std::optional<ParityFrame> parseFecBody(const uint8_t* p, size_t n) {
  ByteReader r(p, n);
  ParityFrame pf;
  pf.seq = r.u64();
  pf.total = r.u32();
  const uint8_t k = r.u8();
  pf.parityCount = r.u8();
  pf.index = r.u8();
  if (r.failed() || pf.total > kMaxMessageSize || k == 0 || k > kMaxParitySlots ||
      pf.parityCount == 0 || pf.parityCount > kMaxFecParities || pf.index >= pf.parityCount ||
      !readSlots(r, k, pf.total, pf.slots))
    return std::nullopt;
  pf.length = r.u16();
  pf.data = r.take(pf.length);
  if (r.failed() || r.remaining() != 0)
    return std::nullopt;  // the body length must be exact
  for (const auto& s : pf.slots)
    if (s.length > pf.length)
      return std::nullopt;
  return pf;
}
}  // namespace

std::optional<DataFrames> parseFrames(const uint8_t* p, size_t n) {
  ByteReader r(p, n);
  DataFrames f;
  while (r.remaining() > 0) {
    const uint8_t type = r.u8();
    switch (static_cast<FrameType>(type)) {
      case FrameType::kPad:
        return f;
      case FrameType::kAck: {
        if (f.ack)
          return std::nullopt;
        AckFrame a;
        uint64_t high = r.u64();
        a.ackDelayUs = r.u32();
        const uint8_t count = r.u8();
        if (count == 0 || count > kMaxAckRanges)
          return std::nullopt;
        uint64_t len = r.u32();
        if (len > high)
          return std::nullopt;
        a.ranges.push_back({high - len, high});
        for (uint8_t i = 1; i < count; ++i) {
          const uint64_t gap = r.u32();
          len = r.u32();
          const uint64_t prevLow = a.ranges.back().low;
          if (prevLow < gap + 2 || prevLow - gap - 2 < len)
            return std::nullopt;
          high = prevLow - gap - 2;
          a.ranges.push_back({high - len, high});
        }
        if (r.failed())
          return std::nullopt;
        f.ack = std::move(a);
        break;
      }
      case FrameType::kFragment: {
        FragmentFrame fr;
        const uint8_t cls = r.u8();
        fr.seq = r.u64();
        fr.total = r.u32();
        fr.offset = r.u32();
        fr.length = r.u16();
        fr.data = r.take(fr.length);
        if (r.failed() || cls > 1 || fr.total > kMaxMessageSize ||
            uint64_t(fr.offset) + fr.length > fr.total || (fr.length == 0 && fr.total != 0)) {
          return std::nullopt;
        }
        fr.cls = static_cast<MessageClass>(cls);
        f.fragments.push_back(fr);
        break;
      }
      case FrameType::kParity: {
        ParityFrame pf;
        pf.seq = r.u64();
        pf.total = r.u32();
        const uint8_t n = r.u8();
        if (n == 0 || n > kMaxParitySlots || !readSlots(r, n, pf.total, pf.slots))
          return std::nullopt;
        pf.length = r.u16();
        pf.data = r.take(pf.length);
        if (r.failed() || pf.total > kMaxMessageSize)
          return std::nullopt;
        for (const auto& s : pf.slots)
          if (s.length > pf.length)
            return std::nullopt;
        f.parities.push_back(std::move(pf));
        break;
      }
      case FrameType::kFec: {
        const uint8_t version = r.u8();
        const uint16_t bodyLength = r.u16();
        const uint8_t* body = r.take(bodyLength);
        if (!body)
          return std::nullopt;
        if (version != kFecVersion) {
          f.unknownFecFrames++;  // a later version: its length lets us step over it
          break;
        }
        auto pf = parseFecBody(body, bodyLength);
        if (!pf)
          return std::nullopt;
        f.parities.push_back(std::move(*pf));
        break;
      }
      case FrameType::kDelivered: {
        const uint8_t count = r.u8();
        if (count == 0 || count > kMaxDelivered || f.delivered.size() + count > 4 * kMaxDelivered)
          return std::nullopt;
        for (uint8_t i = 0; i < count; ++i)
          f.delivered.push_back(r.u64());
        break;
      }
      case FrameType::kPing:
        f.ping = true;
        break;
      case FrameType::kClose: {
        const uint16_t len = r.u16();
        const uint8_t* s = r.take(len);
        if (!s || len > kMaxCloseReason)
          return std::nullopt;
        f.close = std::string(reinterpret_cast<const char*>(s), len);
        break;
      }
      case FrameType::kPathChallenge:
        f.pathChallenge = r.u64();
        break;
      case FrameType::kPathResponse:
        f.pathResponse = r.u64();
        break;
      default:
        return std::nullopt;
    }
    if (r.failed())
      return std::nullopt;
  }
  return f;
}

namespace {
std::vector<uint8_t> withToken(DatagramType type, uint64_t connId,
                               const std::vector<uint8_t>& token, size_t padTo) {
  std::vector<uint8_t> out;
  writeHeader(out, {type, connId, 0});
  ByteWriter w(out);
  w.u16(static_cast<uint16_t>(token.size()));
  w.bytes(token.data(), token.size());
  if (out.size() < padTo)
    out.resize(padTo, 0);
  return out;
}
}  // namespace

namespace {
constexpr uint8_t kFeatureMagic[4] = {'R', 'D', 'K', 'F'};
void writeFeatures(std::vector<uint8_t>& out, uint32_t features) {
  ByteWriter w(out);
  w.bytes(kFeatureMagic, 4);
  w.u32(features);
}
uint32_t readFeatures(ByteReader& r) {
  const uint8_t* magic = r.take(4);
  const uint32_t features = r.u32();
  if (!magic || r.failed() || !std::equal(magic, magic + 4, kFeatureMagic))
    return 0;
  return features;
}
}  // namespace

std::vector<uint8_t> makeInitial(uint64_t connId, const std::vector<uint8_t>& token,
                                 uint32_t features) {
  auto out = withToken(DatagramType::kInitial, connId, token, 0);
  if (features)
    writeFeatures(out, features);
  if (out.size() < kMinInitialSize)
    out.resize(kMinInitialSize, 0);
  return out;
}

uint32_t initialFeatures(const uint8_t* p, size_t n) {
  ByteReader r(p, n);
  const uint16_t len = r.u16();
  if (!r.take(len))
    return 0;
  return readFeatures(r);
}

uint32_t acceptFeatures(const uint8_t* p, size_t n) {
  ByteReader r(p, n);
  return readFeatures(r);
}
std::vector<uint8_t> makeRetry(uint64_t connId, const std::vector<uint8_t>& token) {
  return withToken(DatagramType::kRetry, connId, token, 0);
}
std::vector<uint8_t> makeAccept(uint64_t connId, uint32_t features) {
  std::vector<uint8_t> out;
  writeHeader(out, {DatagramType::kAccept, connId, 0});
  if (features)
    writeFeatures(out, features);
  return out;
}

std::optional<std::vector<uint8_t>> parseToken(const uint8_t* p, size_t n) {
  ByteReader r(p, n);
  const uint16_t len = r.u16();
  const uint8_t* t = r.take(len);
  if (!t || len > kMaxToken)
    return std::nullopt;
  return std::vector<uint8_t>(t, t + len);
}

}  // namespace rdk::udp
