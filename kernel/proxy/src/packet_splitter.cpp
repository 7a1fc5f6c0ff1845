#include "rdk/proxy/packet_splitter.h"

#include <stdexcept>

#include "rdk/protocol/record.h"

namespace rdk::proxy {

size_t firstPacketLength(std::string_view bytes, size_t maxRecordBytes) {
  size_t offset = 0;
  size_t chunks = 0;
  for (;;) {
    if (bytes.size() - offset < protocol::kHeaderSize)
      return 0;
    const auto header = protocol::RecordHeader::parse(bytes.substr(offset));
    if (!header)
      throw std::runtime_error("not an xpra stream (" +
                               protocol::guessProtocol(bytes.substr(offset)) + ")");
    if (header->size > maxRecordBytes)
      throw std::runtime_error("a record of " + std::to_string(header->size) +
                               " bytes during the handshake");
    if (bytes.size() - offset - protocol::kHeaderSize < header->size)
      return 0;
    offset += protocol::kHeaderSize + header->size;
    if (header->index == 0)
      return offset;
    if (++chunks > protocol::kMaxPendingRawChunks)
      throw std::runtime_error("too many raw chunks before the main record");
  }
}

}  // namespace rdk::proxy
