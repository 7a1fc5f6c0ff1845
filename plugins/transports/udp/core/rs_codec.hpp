// Reed-Solomon erasure coding of fragment groups over GF(2^8), through Intel ISA-L (Debian's
// libisal). A group is k data shards (fragments, each zero-padded to the longest) and m parity
// shards; parity shard i is row k+i of ISA-L's Cauchy matrix, which depends only on k and i, so any
// k of the k+m shards rebuild the rest. That is what lets a receiver that lost two fragments of a
// group rebuild both from two parities, where the version-1 XOR parity rebuilt only one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rdk::udp {

/// The largest group this transport builds or accepts: k data and m parity shards, k + m <= 64
/// (a Cauchy matrix needs k + m <= 256; 64 bounds the work a peer's frame can ask for).
constexpr size_t kMaxRsData = 16;
constexpr size_t kMaxRsParity = 16;

/// Parity shards |first|..|first|+|count|-1 of |data| (k shards, each |length| bytes).
std::vector<std::vector<uint8_t>> rsEncode(const std::vector<const uint8_t*>& data, size_t length,
                                           size_t first, size_t count);

/// One shard the receiver has: data shard |index| < k, or parity shard index - k.
struct RsShard {
  size_t index = 0;
  const uint8_t* bytes = nullptr;
};

/// Rebuilds the data shards |missing| (indices < k) from exactly k distinct shards |have|, each
/// |length| bytes. Returns one buffer per missing index, or nothing when |have| is not k distinct
/// shards or its matrix is singular (cannot happen for a Cauchy matrix; checked anyway).
std::vector<std::vector<uint8_t>> rsDecode(size_t k, const std::vector<RsShard>& have,
                                           const std::vector<size_t>& missing, size_t length);

}  // namespace rdk::udp
