// libFuzzer target: rdkernel.conf parsing (kernel/config) on arbitrary file text.
//
// Checked, besides no crash: a bad file fails with a ConfigError only (what `rdkernel --config`
// turns into "FILE:LINE: key 'k': message" and exit code 2); a file that parses yields, for every
// key of the schema, a value its typed getter reads without an exception (the server reads them
// long after the file was checked: a value the check accepts but the getter cannot read would be a
// crash at start-up, not an error message); an auth setting the check accepts parses with the
// kernel's parser (kernel/authcfg); every explicit value can be set again with --set.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "rdk/authcfg/auth_spec.h"
#include "rdk/config/config.h"
#include "rdk/config/schema.h"

using namespace rdk::config;

namespace {

void check(bool ok) {
  if (!ok)
    std::abort();
}

void readEveryKey(const Config& config) {
  for (const SchemaEntry& entry : schema()) {
    const std::string key = entry.key;
    switch (entry.type) {
      case ValueType::Int: {
        const long long v = config.getInt(key);
        check(v >= entry.minInt && v <= entry.maxInt);
        (void)config.getDouble(key);
        break;
      }
      case ValueType::Bool:
        (void)config.getBool(key);
        break;
      case ValueType::Percent: {
        const double v = config.getDouble(key);
        check(v >= 0 && v <= 100);
        break;
      }
      case ValueType::List:
      case ValueType::UrlList:
        for (const std::string& item : config.getList(key))
          check(!item.empty());
        break;
      case ValueType::Size: {
        const Size s = config.getSize(key);
        check(s.width >= 1 && s.height >= 1 && s.width <= 16384 && s.height <= 16384);
        break;
      }
      case ValueType::AuthSpec: {
        const std::string v = config.getString(key);
        if (!v.empty())
          (void)rdk::authcfg::parseAuthSpec(v);  // throws: the check let a bad setting through
        break;
      }
      case ValueType::String:
      case ValueType::Enum:
        (void)config.getString(key);
        break;
    }
    check(config.find(key).has_value());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  Config config;
  try {
    config = Config::parse(text, "fuzz.conf");
  } catch (const ConfigError& e) {
    check(e.line() >= 1);
    return 0;
  }
  readEveryKey(config);
  // --set takes back what the file said, key by key.
  Config again;
  for (const auto& [key, value] : config.explicitValues())
    again.setAssignment(key + "=" + value, "--set");
  check(again.explicitValues() == config.explicitValues());
  return 0;
}
