#include "rdk/protocol/compression.h"

#include <lz4.h>
#include <lz4hc.h>
#include <zlib.h>

#include <algorithm>
#include <memory>

#include "rdk/protocol/value.h"

namespace rdk::protocol {
namespace {

// LZ4's format cannot expand data by more than ~255x (one literal-length byte per 255 bytes of
// match), so a declared size above this is a lie and is refused before allocating.
constexpr size_t kLz4MaxRatio = 255;

}  // namespace

std::string lz4Compress(std::string_view data, int level) {
  if (data.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
    throw ProtocolError("lz4: input of " + std::to_string(data.size()) + " bytes is too large");
  }
  const int srcSize = static_cast<int>(data.size());
  const int bound = LZ4_compressBound(srcSize);
  std::string out(4 + static_cast<size_t>(bound), '\0');
  for (int i = 0; i < 4; ++i)
    out[i] = static_cast<char>((data.size() >> (8 * i)) & 0xff);
  char* dst = out.data() + 4;
  // python-lz4 (what Xpra uses) compresses through a fresh stream with *_continue(); doing the
  // same makes our records byte-identical to a stock peer's at the same level.
  int n = 0;
  if (level >= 7) {
    std::unique_ptr<LZ4_streamHC_t, int (*)(LZ4_streamHC_t*)> hc(LZ4_createStreamHC(),
                                                                 LZ4_freeStreamHC);
    if (!hc)
      throw ProtocolError("lz4: out of memory");
    LZ4_resetStreamHC_fast(hc.get(), level);
    n = LZ4_compress_HC_continue(hc.get(), data.data(), dst, srcSize, bound);
  } else {
    LZ4_stream_t stream;
    LZ4_initStream(&stream, sizeof stream);
    const int acceleration = level <= 3 ? 8 - 2 * std::max(level, 0) : 1;
    n = LZ4_compress_fast_continue(&stream, data.data(), dst, srcSize, bound, acceleration);
  }
  if (n <= 0)
    throw ProtocolError("lz4: compression failed");
  out.resize(4 + static_cast<size_t>(n));
  return out;
}

std::string lz4Decompress(std::string_view data, size_t maxSize) {
  if (data.size() < 4)
    throw ProtocolError("lz4: payload shorter than its size prefix");
  size_t declared = 0;
  for (int i = 3; i >= 0; --i)
    declared = (declared << 8) | static_cast<uint8_t>(data[i]);
  if (declared > maxSize) {
    throw ProtocolError("lz4: declared size " + std::to_string(declared) + " exceeds limit " +
                        std::to_string(maxSize));
  }
  size_t blockSize = data.size() - 4;
  if (declared > blockSize * kLz4MaxRatio + 16) {
    throw ProtocolError("lz4: declared size " + std::to_string(declared) +
                        " is impossible for a block of " + std::to_string(blockSize) + " bytes");
  }
  if (blockSize > static_cast<size_t>(LZ4_MAX_INPUT_SIZE))
    throw ProtocolError("lz4: block too large");
  std::string out(declared, '\0');
  int n = LZ4_decompress_safe(data.data() + 4, out.data(), static_cast<int>(blockSize),
                              static_cast<int>(declared));
  if (n < 0 || static_cast<size_t>(n) != declared) {
    throw ProtocolError("lz4: corrupt block (declared " + std::to_string(declared) + " bytes)");
  }
  return out;
}

std::string zlibCompress(std::string_view data, int level) {
  level = std::clamp(level, 1, 9);
  uLongf bound = compressBound(static_cast<uLong>(data.size()));
  std::string out(bound, '\0');
  int rc = compress2(reinterpret_cast<Bytef*>(out.data()), &bound,
                     reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()),
                     level);
  if (rc != Z_OK)
    throw ProtocolError("zlib: compression failed (" + std::to_string(rc) + ")");
  out.resize(bound);
  return out;
}

std::string zlibDecompress(std::string_view data, size_t maxSize) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK)
    throw ProtocolError("zlib: inflateInit failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(std::min<size_t>(data.size(), UINT32_MAX));
  std::string out;
  // Grow only as output is produced: a zlib bomb costs at most maxSize bytes.
  size_t chunk = std::min<size_t>(std::max<size_t>(data.size() * 4, 4096), maxSize + 1);
  int rc = Z_OK;
  while (rc == Z_OK) {
    size_t have = out.size();
    if (have > maxSize)
      break;
    size_t grow = std::min(chunk, maxSize + 1 - have);
    out.resize(have + grow);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + have);
    zs.avail_out = static_cast<uInt>(grow);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.resize(have + grow - zs.avail_out);
    if (rc == Z_BUF_ERROR && zs.avail_in == 0)
      break;  // input ended before the stream did
    if (rc == Z_BUF_ERROR)
      rc = Z_OK;  // output full: grow and continue
    chunk = std::min<size_t>(chunk * 2, 64u << 20);
  }
  inflateEnd(&zs);
  if (out.size() > maxSize) {
    throw ProtocolError("zlib: output exceeds limit of " + std::to_string(maxSize) + " bytes");
  }
  if (rc != Z_STREAM_END) {
    throw ProtocolError(rc == Z_OK || rc == Z_BUF_ERROR
                            ? "zlib: truncated stream"
                            : "zlib: corrupt stream (" + std::to_string(rc) + ")");
  }
  return out;
}

CompressedPayload compressPayload(Compression c, int level, std::string_view data) {
  if (c == Compression::None || level <= 0)
    return {0, std::string(data)};
  if (c == Compression::Lz4) {
    return {static_cast<uint8_t>(kCompressLz4 | std::min(level, 15)), lz4Compress(data, level)};
  }
  int zlevel = std::clamp(level, 1, 9);
  return {static_cast<uint8_t>(zlevel), zlibCompress(data, zlevel)};
}

}  // namespace rdk::protocol
