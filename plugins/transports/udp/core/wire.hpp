// Datagram format, version 1 (all integers big-endian):
//
//   header  : u8 magic 0xD7 | u8 version 1 | u8 type | u64 connection id | u64 packet number
//   INITIAL : u16 token length | token | padding (client -> server, padded to >= 1200 bytes)
//   RETRY   : u16 token length | token  (server -> client, stateless cookie)
//   ACCEPT  : (nothing) the server created the connection
//   DATA    : frames until the end:
//     0x00 PAD      rest of the datagram is padding
//     0x01 ACK      u64 largest | u32 ack delay us | u8 n | u32 first range length-1 |
//                   n-1 x (u32 gap-1, u32 length-1), ranges descending
//     0x02 FRAGMENT u8 class | u64 message seq | u32 message length | u32 offset | u16 length |
//     data 0x03 PING 0x04 CLOSE    u16 length | reason 0x05 PATH_CHALLENGE u64 ; 0x06 PATH_RESPONSE
//     u64
//     0x07 PARITY   u64 message seq | u32 message length | u8 n | n x (u32 offset, u16 length) |
//                   u16 length | data: XOR of n droppable fragments, each zero-padded to length
//     0x08 FEC      u8 version | u16 body length | body; version 1 (Reed-Solomon):
//                   u64 message seq | u32 message length | u8 k | u8 m | u8 index (< m) |
//                   k x (u32 offset, u16 length) | u16 length | parity shard |index| of the k
//                   fragments, each zero-padded to length
//     0x09 DELIVERED u8 n (1..32) | n x u64 message seq: droppable messages the receiver completed
//                   with parity (their lost fragments are never acknowledged: stop resending them)
//
// PARITY (XOR) and FEC (Reed-Solomon) are forward error correction for droppable messages: with
// all but one of the n fragments of a group (PARITY), or any k of the k + m shards (FEC), the
// receiver rebuilds what is missing without waiting a round trip for a resend. FEC carries its
// version and length so that a later version is skipped, not taken for a malformed datagram; a
// peer sends FEC and DELIVERED only to a peer that announced it (kFeatureReedSolomon after the
// INITIAL's token, after the ACCEPT's header), and PARITY to the others, so version-1 peers keep
// working.
// Packet numbers count datagrams and are never reused, so every ack gives an unambiguous RTT sample
// and a retransmission travels in a new datagram. Fragments are addressed by byte offset rather
// than by index so that a message can be cut differently after an MTU change without losing the
// parts that already arrived.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rdk::udp {

constexpr uint8_t kMagic = 0xD7;
constexpr uint8_t kVersion = 1;
constexpr size_t kHeaderSize = 19;
constexpr size_t kMaxMessageSize = 16u << 20;  // Xpra's largest packet (reference 1.6) plus room
constexpr size_t kMinInitialSize = 1200;       // anti-amplification padding of the client's INITIAL

enum class DatagramType : uint8_t { kInitial = 1, kRetry = 2, kAccept = 3, kData = 4 };
enum class FrameType : uint8_t {
  kPad = 0,
  kAck = 1,
  kFragment = 2,
  kPing = 3,
  kClose = 4,
  kPathChallenge = 5,
  kPathResponse = 6,
  kParity = 7,
  kFec = 8,
  kDelivered = 9
};
constexpr size_t kMaxDelivered = 32;  // message ids per DELIVERED frame
constexpr uint8_t kFecVersion = 1;
/// Capabilities announced in the handshake (an old peer sends none and ignores ours).
constexpr uint32_t kFeatureReedSolomon = 1u << 0;
enum class MessageClass : uint8_t { kReliable = 0, kDroppable = 1 };

struct Header {
  DatagramType type = DatagramType::kData;
  uint64_t connId = 0;
  uint64_t pn = 0;
};

struct AckRange {
  uint64_t low, high;  // inclusive
};

struct AckFrame {
  uint64_t ackDelayUs = 0;
  std::vector<AckRange> ranges;  // descending, disjoint
};

struct FragmentFrame {
  MessageClass cls = MessageClass::kReliable;
  uint64_t seq = 0;
  uint32_t total = 0;
  uint32_t offset = 0;
  const uint8_t* data = nullptr;
  uint16_t length = 0;
};

struct ParitySlot {
  uint32_t offset = 0;
  uint16_t length = 0;
  bool operator==(const ParitySlot&) const = default;
};

/// Droppable messages only; slots ascending and disjoint, each inside the message and no longer
/// than the parity data.
struct ParityFrame {
  uint64_t seq = 0;
  uint32_t total = 0;
  std::vector<ParitySlot> slots;
  const uint8_t* data = nullptr;
  uint16_t length = 0;
  /// Reed-Solomon (FEC frame): shard |index| of |parityCount|; the slots are its k data shards.
  /// parityCount 0: the XOR of the slots (PARITY frame).
  uint8_t parityCount = 0;
  uint8_t index = 0;
};
constexpr size_t kMaxParitySlots = 16;
constexpr size_t kMaxFecParities = 16;  // m of a Reed-Solomon group

/// A parsed DATA datagram (pointers refer to the datagram buffer).
struct DataFrames {
  std::optional<AckFrame> ack;
  std::vector<FragmentFrame> fragments;
  std::vector<ParityFrame> parities;
  bool ping = false;
  std::optional<std::string> close;
  std::optional<uint64_t> pathChallenge;
  std::optional<uint64_t> pathResponse;
  uint32_t unknownFecFrames = 0;    // FEC frames of a later version, skipped
  std::vector<uint64_t> delivered;  // DELIVERED: droppable message ids
  bool ackEliciting() const { return !fragments.empty() || ping || pathChallenge || pathResponse; }
};

void writeHeader(std::vector<uint8_t>& out, const Header& h);
/// nullopt for anything that is not a version-1 datagram of a known type.
std::optional<Header> parseHeader(const uint8_t* p, size_t n);
/// Frames of a DATA datagram, after the header; nullopt when malformed.
std::optional<DataFrames> parseFrames(const uint8_t* p, size_t n);

size_t ackFrameSize(const AckFrame& a);
/// The same for an ack of |ranges| ranges (at least 1).
size_t ackFrameSize(size_t ranges);
void writeAck(std::vector<uint8_t>& out, const AckFrame& a);
constexpr size_t kFragmentOverhead = 1 + 1 + 8 + 4 + 4 + 2;
void writeFragment(std::vector<uint8_t>& out, MessageClass cls, uint64_t seq, uint32_t total,
                   uint32_t offset, const uint8_t* data, uint16_t length);
constexpr size_t parityFrameSize(size_t slots, size_t length) {
  return 1 + 8 + 4 + 1 + 6 * slots + 2 + length;
}
void writeParity(std::vector<uint8_t>& out, uint64_t seq, uint32_t total,
                 const std::vector<ParitySlot>& slots, const uint8_t* data, uint16_t length);
constexpr size_t fecFrameSize(size_t slots, size_t length) {
  return 1 + 1 + 2 + 8 + 4 + 3 + 6 * slots + 2 + length;
}
/// A version-1 FEC frame: parity shard |index| of |count| over |slots|.
void writeFec(std::vector<uint8_t>& out, uint64_t seq, uint32_t total,
              const std::vector<ParitySlot>& slots, uint8_t count, uint8_t index,
              const uint8_t* data, uint16_t length);
constexpr size_t deliveredFrameSize(size_t n) {
  return 2 + 8 * n;
}
void writeDelivered(std::vector<uint8_t>& out, const uint64_t* seqs, size_t n);
void writeClose(std::vector<uint8_t>& out, const std::string& reason);
void writePath(std::vector<uint8_t>& out, FrameType type, uint64_t token);

/// |features| ride after the token (INITIAL) or the header (ACCEPT) as "RDKF" u32; version-1
/// peers read neither (the INITIAL's padding, the ACCEPT's body) and send none.
std::vector<uint8_t> makeInitial(uint64_t connId, const std::vector<uint8_t>& token,
                                 uint32_t features = 0);
std::vector<uint8_t> makeRetry(uint64_t connId, const std::vector<uint8_t>& token);
std::vector<uint8_t> makeAccept(uint64_t connId, uint32_t features = 0);
/// The features an INITIAL's body (after the header) announces; 0 when none.
uint32_t initialFeatures(const uint8_t* p, size_t n);
/// The features an ACCEPT's body announces; 0 when none.
uint32_t acceptFeatures(const uint8_t* p, size_t n);
/// The token carried by INITIAL or RETRY (after the header), nullopt when malformed.
std::optional<std::vector<uint8_t>> parseToken(const uint8_t* p, size_t n);

}  // namespace rdk::udp
