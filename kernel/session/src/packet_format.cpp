#include "rdk/session/packet_format.h"

#include <sstream>

namespace rdk::session {

std::string PacketFormat::describe() const {
  std::string text = protocol::toString(encoding);
  if (compression == protocol::Compression::None || level == 0)
    return text + ", uncompressed";
  return text + ", " + protocol::toString(compression) + " level " + std::to_string(level);
}

PacketFormat negotiatePacketFormat(const protocol::Capabilities& caps) {
  PacketFormat format;
  format.encoding = protocol::chooseEncoding(caps);
  const auto [compression, level] = protocol::chooseCompression(caps);
  format.compression = compression;
  format.level = level;
  return format;
}

std::string featureJson(const plugin::Feature& feature) {
  if (!feature.properties)
    return "{\"kind\":\"encoder\",\"name\":\"" + feature.name + "\"}";
  std::ostringstream out;
  feature.properties->stringify(out);
  return out.str();
}

}  // namespace rdk::session
