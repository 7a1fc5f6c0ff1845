// The input format of fuzz_udp_session: a script of operations on a client and a server udp
// session joined by a simulated link, shared with make_corpus (which writes the seeds).
//
//   byte 0: options   bits 0-1 fec_group (auto, never, 2, 4), bit 2 allow_roaming,
//                     bit 3 small receive buffers (1 MiB, 16 KiB untrusted), bit 4 probe_mtu
//   then operations until the input ends (arguments big-endian; a short input ends the script):
//     kRawToServer/kRawToClient  u8 flags (bit 0: from the second address; bit 1: keep the
//                                connection id, else ours is written in), u16 length, bytes
//     kClientSend/kServerSend    u8 flags (bit 0 droppable, bits 1-2 supersede key, bit 3 size
//                                x16), u16 size
//     kPump                      u16 time step (x100 us), u32 loss bits (datagram i of the round
//                                is lost when bit i%32 is set), u8 flags (bit 0 reverse order,
//                                bit 1 duplicate the first, bit 2 the client moves to the
//                                second address)
//     kCorruptPump               u16 time step, u8 datagram index, u16 byte index, u8 xor
//     kTooBig                    u8 side (bit 0: server), u16 path MTU
//     kClose                     u8 how (0 client close, 1 server close, 2 client abort,
//                                3 server abort, 4 server repeated INITIAL)
//     kAdvance                   u32 microseconds (no datagram moves)
//     kStats                     (reads every counter of both sessions)
#pragma once

#include <cstdint>
#include <vector>

namespace rdk::fuzz {

enum class UdpOp : uint8_t {
  kRawToServer = 0,
  kRawToClient,
  kClientSend,
  kServerSend,
  kPump,
  kCorruptPump,
  kTooBig,
  kClose,
  kAdvance,
  kStats,
  kCount
};

/// Appends big-endian integers and bytes to a script.
struct UdpScript {
  std::vector<uint8_t> bytes;
  explicit UdpScript(uint8_t options) { bytes.push_back(options); }
  UdpScript& op(UdpOp o) {
    bytes.push_back(static_cast<uint8_t>(o));
    return *this;
  }
  UdpScript& u8(uint8_t v) {
    bytes.push_back(v);
    return *this;
  }
  UdpScript& u16(uint16_t v) {
    bytes.push_back(static_cast<uint8_t>(v >> 8));
    bytes.push_back(static_cast<uint8_t>(v));
    return *this;
  }
  UdpScript& u32(uint32_t v) {
    return u16(static_cast<uint16_t>(v >> 16)).u16(static_cast<uint16_t>(v));
  }
  UdpScript& raw(const std::vector<uint8_t>& b) {
    bytes.insert(bytes.end(), b.begin(), b.end());
    return *this;
  }
  // Convenience forms of the operations.
  UdpScript& send(bool server, bool droppable, uint8_t key, uint16_t size, bool times16 = false) {
    return op(server ? UdpOp::kServerSend : UdpOp::kClientSend)
        .u8(static_cast<uint8_t>((droppable ? 1 : 0) | ((key & 3) << 1) | (times16 ? 8 : 0)))
        .u16(size);
  }
  UdpScript& pump(uint16_t step100us, uint32_t lossBits = 0, uint8_t flags = 0) {
    return op(UdpOp::kPump).u16(step100us).u32(lossBits).u8(flags);
  }
  UdpScript& rawTo(bool server, const std::vector<uint8_t>& datagram, uint8_t flags = 0) {
    return op(server ? UdpOp::kRawToServer : UdpOp::kRawToClient)
        .u8(flags)
        .u16(static_cast<uint16_t>(datagram.size()))
        .raw(datagram);
  }
};

}  // namespace rdk::fuzz
