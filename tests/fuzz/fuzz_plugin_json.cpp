// libFuzzer target: the JSON documents a plugin gives the kernel - its manifest
// (rdk-<name>.rdkplugin.json, read without loading the plugin), the features JSON of its
// descriptor (kernel/plugin/plugin_manifest.cpp, read with sdk/include/rdk/json/reader.hpp) - and
// the transport options JSON the kernel gives the udp/dtls plugins
// (plugins/transports/udp/core/udp_options.cpp).
//
// Checked, besides no crash: a bad manifest or features document fails with a ManifestError only
// (the catalog turns it into a bad-manifest row; anything else would take `rdkernel --plugins`
// and the server's plugin scan down with it); a syntax error is located inside the text, at the
// line and column of its byte; a manifest that parses compares against a descriptor made from it
// as equal (name, version, ABI, kinds, and the features: the writer's text reads back as the
// same document); bad transport options fail with std::invalid_argument only.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "rdk/kernel/plugin_manifest.h"
#include "udp_options.hpp"

using namespace rdk::plugin;

namespace {

void check(bool ok) {
  if (!ok)
    std::abort();
}

void manifest(const std::string& text) {
  Manifest m;
  try {
    m = parseManifest(text);
  } catch (const ManifestError& e) {
    if (e.line > 0) {
      check(e.offset <= text.size() && e.column >= 1 && e.column <= e.offset + 1 &&
            !e.syntaxError.empty());
      size_t line = 1;
      for (size_t i = 0; i < e.offset; ++i)
        line += text[i] == '\n';
      check(e.line == line);
    }
    return;
  }
  check(m.schema == 1 && !m.kinds.empty() && !m.library.empty() && m.featuresJson.isArray());
  (void)joinKinds(m.kinds);
  (void)joinFeatureNames(m.features);
  uint32_t kinds = 0;
  for (Kind k : m.kinds)
    kinds |= kindBit(k);
  // The descriptor a plugin built from this manifest would carry: they must agree.
  const std::string featuresText = m.featuresJson.dump();
  rdk_plugin_descriptor d{};
  d.abi_major = static_cast<uint16_t>(m.abiMajor);
  d.abi_minor = static_cast<uint16_t>(m.abiMinor);
  d.name = m.name.c_str();
  d.version = m.version.c_str();
  d.kinds = kinds;
  d.features_json = featuresText.c_str();
  const std::string diff = compareDescriptor(d, m);
  if (m.abiMajor == d.abi_major && m.abiMinor == d.abi_minor &&
      m.name.find('\0') == std::string::npos && m.version.find('\0') == std::string::npos)
    check(diff.empty());
  // The features array alone, as a descriptor's features_json.
  try {
    (void)parseFeatures(featuresText, m.name);
  } catch (const ManifestError&) {
    std::abort();  // it parsed inside the manifest
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  manifest(text);
  try {
    (void)parseFeatures(text, "fuzz");
  } catch (const ManifestError&) {
  }
  try {
    (void)rdk::udp::parseUdpOptions(text);
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
