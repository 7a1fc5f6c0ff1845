#include "HardwareProbeTest.h"

#include <dlfcn.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "codec_cases.hpp"
#include "rdk/encoding/candidates.h"

using namespace rdk::test;

CPPUNIT_TEST_SUITE_REGISTRATION(HardwareProbeTest);

namespace {
std::string probe(CodecPlugin& plugin) {
  CPPUNIT_ASSERT(plugin.vt().probe != nullptr);
  rdk_buffer out{};
  CPPUNIT_ASSERT_EQUAL(RDK_OK, plugin.vt().probe(plugin.state(), &out));
  std::string json(reinterpret_cast<const char*>(out.data), out.size);
  if (out.release)
    out.release(&out);
  return json;
}

bool libraryLoads(const char* name) {
  void* h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
  return h != nullptr;  // deliberately never closed: driver libraries do not like dlclose
}

/// Returns the error message encoder_create reported.
std::string checkUnavailable(CodecPlugin& plugin, const std::string& json,
                             const std::string& encoding) {
  CPPUNIT_ASSERT_MESSAGE(json, json.find("\"ok\":false") != std::string::npos);
  // The kernel's probe cache re-runs the probe when one of these paths changes.
  CPPUNIT_ASSERT_MESSAGE(json, json.find("\"depends\":[\"/etc/ld.so.cache\"") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(json, json.find("\"reason\":\"\"") == std::string::npos);
  rdk_encoder* e = nullptr;
  CPPUNIT_ASSERT_EQUAL(RDK_E_NO_DEVICE, plugin.vt().encoder_create(plugin.state(), encoding.c_str(),
                                                                   640, 480, nullptr, &e));
  CPPUNIT_ASSERT(e == nullptr);
  const std::string error = plugin.host().lastError();
  CPPUNIT_ASSERT(!error.empty());
  rdk_decoder* d = nullptr;
  CPPUNIT_ASSERT_EQUAL(RDK_E_UNSUPPORTED,
                       plugin.vt().decoder_create(plugin.state(), encoding.c_str(), 640, 480, &d));
  return error;
}
}  // namespace

void HardwareProbeTest::testNvencProbeExplainsItself() {
  CodecPlugin& plugin = codecPlugin("nvenc");
  const std::string json = probe(plugin);
  if (libraryLoads("libnvidia-encode.so.1") && libraryLoads("libcuda.so.1")) {
    // Real NVIDIA driver present: the probe decides from an actual encode; both answers are valid
    // but must be explained.
    CPPUNIT_ASSERT_MESSAGE(json, json.find("\"reason\":\"") != std::string::npos);
    return;
  }
  CPPUNIT_ASSERT_MESSAGE(json, json.find("libnvidia-encode.so.1") != std::string::npos ||
                                   json.find("libcuda.so.1") != std::string::npos);
  const std::string error = checkUnavailable(plugin, json, "h264");
  CPPUNIT_ASSERT_MESSAGE(error, error.find("libnvidia-encode.so.1") != std::string::npos);
}

void HardwareProbeTest::testVaapiProbeExplainsItself() {
  CodecPlugin& plugin = codecPlugin("vaapi");
  const std::string json = probe(plugin);
  if (json.find("\"ok\":true") != std::string::npos) {
    // A real VA-API device encoded the probe's test pair: the answer says where and how much.
    CPPUNIT_ASSERT_MESSAGE(json,
                           json.find("encoded a 320x240 IDR+P test pair") != std::string::npos);
    return;
  }
  // No capable device: the reason names the problem (no render node, a node libva cannot
  // initialise, a driver without an H.264 encode entrypoint) and creating an encoder fails with it.
  CPPUNIT_ASSERT_MESSAGE(json, json.find("render node") != std::string::npos ||
                                   json.find("vaInitialize") != std::string::npos ||
                                   json.find("renderD") != std::string::npos);
  const std::string error = checkUnavailable(plugin, json, "h264");
  if (json.find("no DRM render node") != std::string::npos)
    CPPUNIT_ASSERT_MESSAGE(error, error.find("no DRM render node") != std::string::npos);
  // The answer tells the kernel's cache what to watch: devices, drivers, and the variables.
  CPPUNIT_ASSERT_MESSAGE(json, json.find("\"/dev/dri\"") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(json, json.find("\"RDK_VAAPI_DEVICE\"") != std::string::npos);
  // A node that is not a DRM device is reported as such, by name, without crashing the probe.
  setenv("RDK_VAAPI_DEVICE", "/dev/null", 1);
  const std::string notDrm = probe(plugin);
  unsetenv("RDK_VAAPI_DEVICE");
  CPPUNIT_ASSERT_MESSAGE(notDrm, notDrm.find("\"ok\":false") != std::string::npos);
  CPPUNIT_ASSERT_MESSAGE(notDrm, notDrm.find("\"reason\":\"/dev/null: ") != std::string::npos);
  // Forcing a device that does not exist gives that device's error.
  setenv("RDK_VAAPI_DEVICE", "/nonexistent/renderD999", 1);
  const std::string forced = probe(plugin);
  unsetenv("RDK_VAAPI_DEVICE");
  CPPUNIT_ASSERT_MESSAGE(forced,
                         forced.find("/nonexistent/renderD999: No such file") != std::string::npos);
}

void HardwareProbeTest::testManifestsDeclareSubprocessProbe() {
  for (const std::string name : {"nvenc", "vaapi"}) {
    std::ifstream f(std::string(RDK_TEST_PLUGIN_DIR) + "/rdk-" + name + ".rdkplugin.json");
    std::stringstream s;
    s << f.rdbuf();
    CPPUNIT_ASSERT_MESSAGE(name, s.str().find("\"probe\": \"subprocess\"") != std::string::npos);
  }
  // Software plugins need no probe.
  CPPUNIT_ASSERT(codecPlugin("vpx").vt().probe == nullptr);
}

void HardwareProbeTest::testFeaturesFeedThePolicy() {
  // Each plugin's descriptor features parse into policy candidates with the right properties.
  size_t video = 0, lossless = 0, hardware = 0;
  for (const std::string name : {"rgb", "png", "jpeg", "webp", "vpx", "nvenc", "vaapi"}) {
    const auto candidates =
        rdk::encoding::candidatesFromFeatures(codecPlugin(name).descriptor()->features_json);
    CPPUNIT_ASSERT_MESSAGE(name, !candidates.empty());
    for (const auto& c : candidates) {
      video += c.video;
      lossless += c.lossless;
      hardware += c.hardware;
      CPPUNIT_ASSERT_MESSAGE(c.name, c.hardware == (name == "nvenc" || name == "vaapi"));
      if (c.video)
        CPPUNIT_ASSERT_MESSAGE(c.name, c.keyframes);
    }
  }
  CPPUNIT_ASSERT_EQUAL(size_t(5), video);     // vp8, vp9, nvenc h264/h265, vaapi h264
  CPPUNIT_ASSERT_EQUAL(size_t(4), lossless);  // rgb24, rgb32, png, webp
  CPPUNIT_ASSERT_EQUAL(size_t(3), hardware);
}
