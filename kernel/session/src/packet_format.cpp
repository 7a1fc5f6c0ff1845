#include "rdk/session/packet_format.h"

#include "rdk/json/writer.hpp"

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
  if (!feature.properties.isObject())
    return "{\"kind\":\"encoder\",\"name\":" + rdk::json::quote(feature.name) + "}";
  return feature.properties.dump();
}

}  // namespace rdk::session
