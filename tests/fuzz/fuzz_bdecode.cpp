// libFuzzer target: bdecode on arbitrary bytes; whatever decodes must re-encode stably.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rdk/protocol/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rdk::protocol;
  Value v;
  try {
    v = bdecode(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const ProtocolError&) {
    return 0;
  }
  std::string once = bencode(v);
  if (bencode(bdecode(once)) != once)
    std::abort();
  Value fromJson = Value::fromJson(v.toJson());
  (void)fromJson;
  return 0;
}
