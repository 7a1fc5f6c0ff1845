// bench_protocol: encode/decode throughput of the packet layer on two real workloads, against
// Debian's python3-rencode (what Xpra 3.1.3 runs) timed on the same packets in the same run.
//
//   hello: the full client hello captured from a stock Xpra 3.1.3 client (219 capabilities)
//   draw:  a 1920x1080 rgb24 draw (BGRX, rowstride 7680: 8,294,400 bytes of pixels)
//
// Rows: rencode = Value -> bytes; rdecode = bytes -> Value; record write = RecordWriter with
// rencode + lz4 level 1 (what goes on the socket); record read = RecordReader on those bytes.
// MB/s counts the rencoded packet size (MB = 10^6 bytes).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "rdk/protocol/protocol.h"

using namespace rdk::protocol;
using Clock = std::chrono::steady_clock;

// Results feed this (external linkage) so the measured work cannot be optimised away.
size_t benchSink = 0;

namespace {

constexpr double kMinSeconds = 0.5;

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Seconds per operation, repeating until kMinSeconds have passed.
double perOp(const std::function<void()>& op) {
  for (size_t n = 1;; n *= 2) {
    auto start = Clock::now();
    for (size_t i = 0; i < n; ++i)
      op();
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (elapsed >= kMinSeconds)
      return elapsed / static_cast<double>(n);
  }
}

Packet makeDraw() {
  std::string pixels(1920 * 1080 * 4, '\0');
  uint32_t state = 12345;
  for (size_t i = 0; i < pixels.size(); i += 4) {
    state = state * 1103515245u + 12345u;
    pixels[i] = static_cast<char>(state >> 24);
    pixels[i + 1] = static_cast<char>(i / 7680);
    pixels[i + 2] = static_cast<char>(i >> 3);
  }
  Value::Dict options{{Value("rgb_format"), Value("BGRX")}, {Value("flush"), Value(0)}};
  return Draw{1, 0, 0, 1920, 1080, "rgb24", std::move(pixels), 1, 7680, std::move(options)}
      .toPacket();
}

struct Workload {
  std::string name;
  Packet packet;
  std::string encoded;
  std::map<std::string, double> ours;    // seconds per op
  std::map<std::string, double> python;  // seconds per op
};

void measureOurs(Workload& w) {
  Value v(w.packet);
  size_t& sink = benchSink;
  w.ours["rencode"] = perOp([&] { sink += rencode(v).size(); });
  w.ours["rdecode"] = perOp([&] { sink += rdecode(w.encoded).asList().size(); });
  RecordWriter writer;
  writer.setCompression(Compression::Lz4, 1);
  std::string records = writer.write(w.packet);
  w.ours["record write"] = perOp([&] { sink += writer.write(w.packet).size(); });
  w.ours["record read"] = perOp([&] {
    RecordReader reader;
    reader.feed(records, [&](Packet&& p) { sink += p.size(); });
  });
}

bool measurePython(std::vector<Workload>& workloads) {
  if (access("/usr/bin/python3", X_OK) != 0)
    return false;
  std::string cmd =
      std::string("/usr/bin/python3 ") + RDK_BENCH_PY_SCRIPT + " " + std::to_string(kMinSeconds);
  std::vector<std::string> files;
  for (const auto& w : workloads) {
    std::string path = "/tmp/rdk-bench-protocol-" + w.name + "-" + std::to_string(getpid());
    std::ofstream(path, std::ios::binary) << w.encoded;
    files.push_back(path);
    cmd += " " + path;
  }
  std::FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n = 0;
  while (p != nullptr && (n = std::fread(buf, 1, sizeof buf, p)) > 0)
    out.append(buf, n);
  int rc = p != nullptr ? pclose(p) : -1;
  for (const auto& f : files)
    unlink(f.c_str());
  if (rc != 0) {
    std::cerr << "python reference failed:\n" << out << "\n";
    return false;
  }
  std::istringstream lines(out);
  for (auto& w : workloads) {
    std::string file, k1, k2, k3, k4;
    double dumps = 0, loads = 0, write = 0, read = 0;
    lines >> file >> k1 >> dumps >> k2 >> loads >> k3 >> write >> k4 >> read;
    w.python["rencode"] = dumps;
    w.python["rdecode"] = loads;
    // python-lz4 + rencode is what Xpra does for a main record; raw-chunk draws are not
    // comparable there (Xpra hands the pixel buffer to the socket without re-encoding it).
    if (w.name == "hello") {
      w.python["record write"] = write;
      w.python["record read"] = read;
    }
  }
  return true;
}

}  // namespace

int main() {
  try {
    std::vector<Workload> workloads;
    RecordReader helloReader;
    Packet hello;
    helloReader.feed(readFile(std::string(RDK_BENCH_DATA_DIR) + "/xpra-3.1.3/client-hello.bin"),
                     [&](Packet&& p) { hello = std::move(p); });
    if (hello.empty())
      throw std::runtime_error("captured client hello did not decode");
    workloads.push_back({"hello", hello, rencode(Value(hello)), {}, {}});
    Packet draw = makeDraw();
    workloads.push_back({"draw", draw, rencode(Value(draw)), {}, {}});

    for (auto& w : workloads)
      measureOurs(w);
    bool havePython = measurePython(workloads);

    std::printf(
        "packet layer throughput (MB = 10^6 bytes of rencoded packet; >= %.1f s per cell)\n",
        kMinSeconds);
    std::printf("%-6s %9s  %-13s %10s %11s  %10s %11s  %7s\n", "packet", "bytes", "operation",
                "rdk MB/s", "rdk pkt/s", "py MB/s", "py pkt/s", "rdk/py");
    for (const auto& w : workloads) {
      for (const char* op : {"rencode", "rdecode", "record write", "record read"}) {
        double ours = w.ours.at(op);
        double mb = static_cast<double>(w.encoded.size()) / 1e6;
        std::printf("%-6s %9zu  %-13s %10.1f %11.1f", w.name.c_str(), w.encoded.size(), op,
                    mb / ours, 1.0 / ours);
        auto py = w.python.find(op);
        if (havePython && py != w.python.end() && py->second > 0) {
          std::printf("  %10.1f %11.1f  %6.2fx\n", mb / py->second, 1.0 / py->second,
                      py->second / ours);
        } else {
          std::printf("  %10s %11s  %7s\n", "-", "-", "-");
        }
      }
    }
    if (!havePython)
      std::printf("(python3-rencode reference unavailable)\n");
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "bench_protocol: " << e.what() << "\n";
    return 1;
  }
}
