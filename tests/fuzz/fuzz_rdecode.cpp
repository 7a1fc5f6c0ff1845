// libFuzzer target: rdecode on arbitrary bytes; whatever decodes must re-encode stably.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rdk/protocol/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rdk::protocol;
  Value v;
  try {
    v = rdecode(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const ProtocolError&) {
    return 0;
  }
  // float64 keeps every decoded float exact, so encode(decode(encode(v))) == encode(v).
  std::string once = rencode(v, 64);
  std::string twice = rencode(rdecode(once), 64);
  if (once != twice)
    std::abort();
  (void)v.toJson();
  (void)v.debugString();
  return 0;
}
