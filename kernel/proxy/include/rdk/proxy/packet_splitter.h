// Where the first whole Xpra packet ends in a byte stream: its raw chunk records (index 1..15)
// and then its main record (index 0). The proxy reads the handshake packet by packet and must
// know exactly which bytes it consumed, because everything after them is forwarded untouched.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rdk::proxy {

/// The length of the first complete packet in |bytes|, 0 when more bytes are needed. Throws
/// std::runtime_error when the stream is not Xpra (bad magic, a record above |maxRecordBytes|,
/// more raw chunks than the protocol allows).
size_t firstPacketLength(std::string_view bytes, size_t maxRecordBytes);

}  // namespace rdk::proxy
