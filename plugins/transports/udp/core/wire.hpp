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
//
// PARITY is forward error correction for droppable messages: with all but one of the n fragments
// of a group, the receiver rebuilds the missing one without waiting a round trip for a resend.
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
  kParity = 7
};
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
};

/// Droppable messages only; slots ascending and disjoint, each inside the message and no longer
/// than the parity data.
struct ParityFrame {
  uint64_t seq = 0;
  uint32_t total = 0;
  std::vector<ParitySlot> slots;
  const uint8_t* data = nullptr;
  uint16_t length = 0;
};
constexpr size_t kMaxParitySlots = 16;

/// A parsed DATA datagram (pointers refer to the datagram buffer).
struct DataFrames {
  std::optional<AckFrame> ack;
  std::vector<FragmentFrame> fragments;
  std::vector<ParityFrame> parities;
  bool ping = false;
  std::optional<std::string> close;
  std::optional<uint64_t> pathChallenge;
  std::optional<uint64_t> pathResponse;
  bool ackEliciting() const { return !fragments.empty() || ping || pathChallenge || pathResponse; }
};

void writeHeader(std::vector<uint8_t>& out, const Header& h);
/// nullopt for anything that is not a version-1 datagram of a known type.
std::optional<Header> parseHeader(const uint8_t* p, size_t n);
/// Frames of a DATA datagram, after the header; nullopt when malformed.
std::optional<DataFrames> parseFrames(const uint8_t* p, size_t n);

size_t ackFrameSize(const AckFrame& a);
void writeAck(std::vector<uint8_t>& out, const AckFrame& a);
constexpr size_t kFragmentOverhead = 1 + 1 + 8 + 4 + 4 + 2;
void writeFragment(std::vector<uint8_t>& out, MessageClass cls, uint64_t seq, uint32_t total,
                   uint32_t offset, const uint8_t* data, uint16_t length);
constexpr size_t parityFrameSize(size_t slots, size_t length) {
  return 1 + 8 + 4 + 1 + 6 * slots + 2 + length;
}
void writeParity(std::vector<uint8_t>& out, uint64_t seq, uint32_t total,
                 const std::vector<ParitySlot>& slots, const uint8_t* data, uint16_t length);
void writeClose(std::vector<uint8_t>& out, const std::string& reason);
void writePath(std::vector<uint8_t>& out, FrameType type, uint64_t token);

std::vector<uint8_t> makeInitial(uint64_t connId, const std::vector<uint8_t>& token);
std::vector<uint8_t> makeRetry(uint64_t connId, const std::vector<uint8_t>& token);
std::vector<uint8_t> makeAccept(uint64_t connId);
/// The token carried by INITIAL or RETRY (after the header), nullopt when malformed.
std::optional<std::vector<uint8_t>> parseToken(const uint8_t* p, size_t n);

}  // namespace rdk::udp
