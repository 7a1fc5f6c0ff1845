#include "reference_tools.hpp"

#include <libyuv.h>
#include <sys/resource.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

namespace rdk::bench {

namespace {
double childCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// Runs |cmd| and adds the CPU time of the children it waited for to |cpu|.
std::string run(const std::string& cmd, int* rc, double* cpu) {
  const double before = childCpuSeconds();
  FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
  if (!pipe) {
    *rc = -1;
    return "popen failed";
  }
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0)
    out.append(buf, n);
  *rc = pclose(pipe);
  *cpu += childCpuSeconds() - before;
  return out;
}

std::vector<uint8_t> readFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

uint32_t le32(const uint8_t* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t(p[3]) << 24);
}
}  // namespace

std::string shellQuote(const std::string& s) {
  return "'" + s + "'";
}

ReferenceRun runVpxenc(const std::string& dir, const std::vector<test::Picture>& frames,
                       const VpxencSettings& s) {
  ReferenceRun r;
  if (frames.empty())
    return r;
  const uint32_t w = frames[0].width, h = frames[0].height;
  const std::string yuv = dir + "/input.yuv", ivf = dir + "/output.ivf";
  {
    std::ofstream f(yuv, std::ios::binary);
    const uint32_t cw = (w + 1) / 2, ch = (h + 1) / 2;
    std::vector<uint8_t> planes(size_t(w) * h + 2 * size_t(cw) * ch);
    for (const auto& p : frames) {
      uint8_t* y = planes.data();
      uint8_t* u = y + size_t(w) * h;
      uint8_t* v = u + size_t(cw) * ch;
      libyuv::ARGBToI420(p.pixels.data(), int(p.stride), y, int(w), u, int(cw), v, int(cw), int(w),
                         int(h));
      f.write(reinterpret_cast<const char*>(planes.data()), std::streamsize(planes.size()));
    }
  }
  std::ostringstream cmd;
  cmd << "vpxenc --codec=" << (s.vp9 ? "vp9" : "vp8") << " --rt --cpu-used=" << s.cpuUsed
      << " --end-usage=q --cq-level=" << s.cqLevel << " --min-q=" << s.minQ << " --max-q=" << s.maxQ
      << " --target-bitrate=" << s.targetKbps
      << " --lag-in-frames=0 --error-resilient=1 --threads=" << s.threads
      << " --drop-frame=0 --resize-allowed=0 --disable-kf --noise-sensitivity=0 --static-thresh=1"
      << (s.vp9 ? " --row-mt=1 --tile-columns=0 --tune-content=screen --aq-mode=3"
                : " --token-parts=0 --screen-content-mode=1")
      << " --timebase=1/30 --fps=30/1 --width=" << w << " --height=" << h
      << " --i420 --ivf --disable-warning-prompt -o " << shellQuote(ivf) << " " << shellQuote(yuv);
  int rc = 0;
  double cpu = 0;
  const std::string out = run(cmd.str(), &rc, &cpu);
  std::remove(yuv.c_str());
  if (rc != 0) {
    r.error = "vpxenc failed: " + out.substr(0, 300);
    return r;
  }
  r.encodeSeconds = cpu;
  const auto bytes = readFile(ivf);
  std::remove(ivf.c_str());
  for (size_t pos = 32; pos + 12 <= bytes.size();) {
    const uint32_t size = le32(&bytes[pos]);
    pos += 12;
    if (pos + size > bytes.size())
      break;
    r.frames.emplace_back(bytes.begin() + long(pos), bytes.begin() + long(pos + size));
    pos += size;
  }
  r.ok = r.frames.size() == frames.size();
  if (!r.ok)
    r.error = "vpxenc produced " + std::to_string(r.frames.size()) + " frames";
  return r;
}

ReferenceRun runCwebp(const std::string& dir, const std::vector<test::Picture>& frames,
                      const CwebpSettings& s) {
  ReferenceRun r;
  const std::string ppm = dir + "/frame.ppm", webp = dir + "/frame.webp";
  for (const auto& p : frames) {
    {
      std::ofstream f(ppm, std::ios::binary);
      f << "P6\n" << p.width << " " << p.height << "\n255\n";
      std::vector<uint8_t> rgb(size_t(p.width) * p.height * 3);
      for (uint32_t y = 0; y < p.height; ++y)
        for (uint32_t x = 0; x < p.width; ++x) {
          const uint8_t* px = p.pixels.data() + size_t(y) * p.stride + size_t(x) * 4;
          uint8_t* o = rgb.data() + (size_t(y) * p.width + x) * 3;
          o[0] = px[2], o[1] = px[1], o[2] = px[0];
        }
      f.write(reinterpret_cast<const char*>(rgb.data()), std::streamsize(rgb.size()));
    }
    std::ostringstream cmd;
    cmd << "cwebp -quiet ";
    if (s.lossless)
      cmd << "-lossless -exact -z " << s.level;
    else
      cmd << "-q " << s.quality << " -m " << s.method;
    cmd << " " << shellQuote(ppm) << " -o " << shellQuote(webp);
    int rc = 0;
    const std::string out = run(cmd.str(), &rc, &r.encodeSeconds);
    if (rc != 0) {
      r.error = "cwebp failed: " + out.substr(0, 300);
      return r;
    }
    r.frames.push_back(readFile(webp));
  }
  std::remove(ppm.c_str());
  std::remove(webp.c_str());
  r.ok = true;
  return r;
}

}  // namespace rdk::bench
