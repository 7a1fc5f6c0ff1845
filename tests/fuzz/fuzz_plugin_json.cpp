// libFuzzer target: the JSON documents a plugin gives the kernel - its manifest
// (rdk-<name>.rdkplugin.json, read without loading the plugin), the features JSON of its
// descriptor (kernel/plugin/plugin_manifest.cpp, json_syntax.cpp) - and the transport options JSON
// the kernel gives the udp/dtls plugins (plugins/transports/udp/core/udp_options.cpp).
//
// Checked, besides no crash: a bad manifest or features document fails with a ManifestError only
// (the catalog turns it into a bad-manifest row; anything else would take `rdkernel --plugins`
// and the server's plugin scan down with it); a syntax error is located inside the text; a
// manifest that parses compares against a descriptor made from it as equal (name, version, ABI,
// kinds); bad transport options fail with std::invalid_argument only.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>

#include "json_syntax.h"
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
    if (e.line > 0)
      check(e.offset <= text.size() && e.column >= 1 && !e.syntaxError.empty());
    return;
  }
  check(m.schema == 1 && !m.kinds.empty() && !m.library.empty() && m.featuresJson);
  (void)joinKinds(m.kinds);
  (void)joinFeatureNames(m.features);
  uint32_t kinds = 0;
  for (Kind k : m.kinds)
    kinds |= kindBit(k);
  // The descriptor a plugin built from this manifest would carry: they must agree.
  std::ostringstream features;
  m.featuresJson->stringify(features);
  const std::string featuresText = features.str();
  rdk_plugin_descriptor d{};
  d.abi_major = static_cast<uint16_t>(m.abiMajor);
  d.abi_minor = static_cast<uint16_t>(m.abiMinor);
  d.name = m.name.c_str();
  d.version = m.version.c_str();
  d.kinds = kinds;
  d.features_json = featuresText.c_str();
  const std::string diff = compareDescriptor(d, m);
  // (The features may differ: Poco's stringify is not the manifest's text, e.g. for doubles.)
  if (m.abiMajor == d.abi_major && m.abiMinor == d.abi_minor &&
      m.name.find('\0') == std::string::npos && m.version.find('\0') == std::string::npos)
    check(diff.empty() || diff.rfind("features:", 0) == 0);
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
  JsonErrorPlace place;
  if (findJsonError(text, &place))
    check(place.offset <= text.size() && place.line >= 1 && place.column >= 1);
  try {
    (void)rdk::udp::parseUdpOptions(text);
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
