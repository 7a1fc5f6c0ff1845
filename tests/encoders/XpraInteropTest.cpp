#include "XpraInteropTest.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "codec_cases.hpp"
#include "python_script.hpp"

using namespace rdk::test;

CPPUNIT_TEST_SUITE_REGISTRATION(XpraInteropTest);

namespace {
void writeFile(const std::filesystem::path& p, const uint8_t* data, size_t size) {
  std::ofstream f(p, std::ios::binary);
  f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}
}  // namespace

void XpraInteropTest::testStockXpraDecodesOurOutput() {
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/rdk-xpra-interop-XXXXXX";
  CPPUNIT_ASSERT(mkdtemp(tmpl) != nullptr);
  const fs::path dir(tmpl);
  std::string manifest = "[";
  int n = 0;
  auto add = [&](const std::string& name, const std::string& stream, const EncodedFrame& f,
                 const Picture& original, double minPsnr) {
    const std::string data = name + ".bin", orig = name + ".bgrx";
    writeFile(dir / data, f.data.data(), f.data.size());
    writeFile(dir / orig, original.pixels.data(), original.pixels.size());
    manifest += std::string(n++ ? "," : "") + "{\"name\":\"" + name + "\",\"stream\":\"" + stream +
                "\",\"coding\":\"" + f.coding + "\",\"w\":" + std::to_string(original.width) +
                ",\"h\":" + std::to_string(original.height) +
                ",\"rowstride\":" + std::to_string(f.rowstride) +
                ",\"options\":" + (f.options.empty() ? "{}" : f.options) + ",\"data\":\"" + data +
                "\",\"original\":\"" + orig +
                "\",\"min_psnr\":" + (std::isinf(minPsnr) ? "null" : std::to_string(minPsnr)) + "}";
  };
  int index = 0;
  for (const auto& c : codecCases()) {
    for (const auto& [w, h] : {std::pair<uint32_t, uint32_t>{64, 48}, {33, 17}}) {
      CodecPlugin& plugin = codecPlugin(c.plugin);
      auto enc = plugin.encoder(c.encoding, w, h, c.createOptions);
      const std::string stream = "s" + std::to_string(index++);
      // Video: a key frame then an inter frame, decoded in order by one Xpra decoder.
      const int frames = (c.encoding == "vp8" || c.encoding == "vp9") ? 2 : 1;
      for (int i = 0; i < frames; ++i) {
        const Picture pic = makeContent(c.content, w, h, 4 + i);
        const EncodedFrame f = plugin.encode(*enc, pic, c.quality, c.speed, c.flags);
        // The Y-plane comparison for video is against studio-range luma: a little looser.
        const double bound = std::isinf(c.minPsnr) ? c.minPsnr : c.minPsnr - 2;
        add(stream + "_" + c.plugin + "_" + std::to_string(i), stream, f, pic, bound);
      }
    }
  }
  manifest += "]";
  {
    std::ofstream f(dir / "manifest.json");
    f << manifest;
  }
  const ScriptRun run = runPythonScript(RDK_XPRA_DECODE_SCRIPT, {dir.string()});
  fs::remove_all(dir);
  if (run.skipped()) {
    std::cerr << "\nSKIPPED XpraInteropTest: " << run.output;
    return;
  }
  CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
  // Every entry was checked: one "ok" line each.
  CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, static_cast<size_t>(n), run.linesEndingWith(" ok"));
}
