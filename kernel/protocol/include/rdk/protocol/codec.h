// The two packet serialisations a stock Xpra 3.1.3 peer speaks.
//
// rencode: the stock rencode 1.0.6 dialect (python3-rencode), byte-compatible with
// rencode.dumps()/loads() for every Value. Floats go out as float32 (code 66) by default, as
// python rencode does; both float32 and float64 (code 44) are decoded.
// bencode: Xpra's dialect: `u<len>:` strings accepted, dict keys unsorted and of any type,
// bools as i1e/i0e; None and floats cannot be encoded (ProtocolError).
//
// Decoders accept any byte sequence: malformed input throws ProtocolError, nesting is capped at
// kMaxDecodeDepth, the number of values at kMaxDecodeValues (a Value takes ~40 bytes, so a
// 16 MiB list of one-byte ints must not become 640 MiB), and no allocation is sized from a
// declared length before the bytes are there.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "rdk/protocol/value.h"

namespace rdk::protocol {

inline constexpr int kMaxDecodeDepth = 100;
// A full 3.1.3 client hello holds ~6,000 values, a large info-response a few 10,000.
inline constexpr size_t kMaxDecodeValues = size_t{1} << 20;

std::string rencode(const Value& value);
// floatBits is 32 (stock default, lossy) or 64 (exact).
std::string rencode(const Value& value, int floatBits);
// Appends to `out` instead of returning a new string (saves a copy for large packets).
void rencodeAppend(const Value& value, std::string& out, int floatBits = 32);
Value rdecode(std::string_view data);
// Encodes the list of *items without building it (RecordWriter: no deep copy of the packet).
void rencodeListAppend(std::span<const Value* const> items, std::string& out, int floatBits = 32);

std::string bencode(const Value& value);
void bencodeAppend(const Value& value, std::string& out);
Value bdecode(std::string_view data);
void bencodeListAppend(std::span<const Value* const> items, std::string& out);

}  // namespace rdk::protocol
