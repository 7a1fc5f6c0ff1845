#include "rdk/clipboard/wire_data.h"

namespace rdk::clipboard {

using protocol::ClipboardWireData;
using protocol::Value;

ClipboardWireData toWire(const ClipboardData& data) {
  ClipboardWireData w;
  w.dtype = data.type;
  if (data.type == "ATOM") {
    Value::List names;
    size_t start = 0;
    while (start < data.bytes.size()) {
      size_t end = data.bytes.find('\n', start);
      if (end == std::string::npos)
        end = data.bytes.size();
      if (end > start)
        names.emplace_back(data.bytes.substr(start, end - start));
      start = end + 1;
    }
    w.dformat = 32;
    w.encoding = "atoms";
    w.data = Value(std::move(names));
    return w;
  }
  w.dformat = 8;
  w.encoding = "bytes";
  w.data = Value(data.bytes);
  return w;
}

std::optional<ClipboardData> fromWire(const ClipboardWireData& wire, std::string* error) {
  ClipboardData d;
  d.type = wire.dtype;
  if (wire.encoding == "bytes" && wire.data.isBytes()) {
    if (wire.dformat != 8) {
      *error = "format " + std::to_string(wire.dformat) + " bytes are not supported";
      return std::nullopt;
    }
    d.bytes = wire.data.asBytes();
    return d;
  }
  if (wire.encoding == "atoms" && wire.data.isList()) {
    d.type = "ATOM";
    d.format = 32;
    for (const Value& v : wire.data.asList()) {
      if (!v.isBytes()) {
        *error = "an atom that is not a string";
        return std::nullopt;
      }
      if (v.asBytes().find('\n') != std::string::npos)
        continue;  // not a target name
      d.bytes += v.asBytes();
      d.bytes += '\n';
    }
    return d;
  }
  *error = "wire encoding '" + wire.encoding + "' is not supported";
  return std::nullopt;
}

size_t wireSize(const ClipboardWireData& wire) {
  if (wire.data.isBytes())
    return wire.data.asBytes().size();
  size_t n = 0;
  if (wire.data.isList()) {
    for (const Value& v : wire.data.asList())
      n += v.isBytes() ? v.asBytes().size() + 1 : 8;
  }
  return n;
}

}  // namespace rdk::clipboard
