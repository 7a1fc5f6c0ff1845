// Record-level compression as Xpra 3.1.3 frames it: lz4 = 4-byte little-endian uncompressed
// size + one LZ4 block (python-lz4 store_size=True); zlib = a complete zlib stream.
// Also usable for in-packet pixel compression (draw options "lz4"/"zlib").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "rdk/protocol/record.h"

namespace rdk::protocol {

struct CompressedPayload {
  uint8_t flagByte;  // the record header's compression byte
  std::string data;
};

// level 1..15 (lz4: >=7 high compression, <=3 fast with acceleration 8-2*level, else default;
// zlib: clamped to 1..9). Compression::None or level <= 0 returns the data with flag 0.
CompressedPayload compressPayload(Compression c, int level, std::string_view data);

// lz4 block with the 4-byte LE size prefix; throws ProtocolError when the declared size is over
// maxSize or impossible for the input length, or when the block is corrupt.
std::string lz4Decompress(std::string_view data, size_t maxSize = kMaxDecompressedSize);
std::string lz4Compress(std::string_view data, int level);
// zlib stream; throws ProtocolError when corrupt, truncated, or inflating past maxSize.
std::string zlibDecompress(std::string_view data, size_t maxSize = kMaxDecompressedSize);
std::string zlibCompress(std::string_view data, int level);

}  // namespace rdk::protocol
