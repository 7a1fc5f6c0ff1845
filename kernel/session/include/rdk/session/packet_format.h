// The packet encoder and compressor to use towards a peer, from its hello (Xpra's rules: rencode
// when offered, else bencode; lz4 before zlib; the peer's compression_level).
#pragma once

#include <string>

#include "rdk/kernel/plugin_registry.h"
#include "rdk/protocol/capabilities.h"
#include "rdk/protocol/record.h"

namespace rdk::session {

struct PacketFormat {
  protocol::PacketEncoding encoding = protocol::PacketEncoding::Bencode;
  protocol::Compression compression = protocol::Compression::None;
  int level = 0;
  std::string describe() const;
};

PacketFormat negotiatePacketFormat(const protocol::Capabilities& caps);

/// One registry feature as the JSON object its manifest declared.
std::string featureJson(const plugin::Feature& feature);

}  // namespace rdk::session
