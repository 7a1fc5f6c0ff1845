#include "rdk/audio/wav_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "rdk/audio/opus_codec.h"

namespace rdk::audio {

namespace {

void put32(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put16(std::string& s, uint16_t v) {
  s.push_back(static_cast<char>(v & 0xff));
  s.push_back(static_cast<char>(v >> 8));
}
uint32_t get32(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i)
    v = (v << 8) | static_cast<uint8_t>(s[at + static_cast<size_t>(i)]);
  return v;
}
uint16_t get16(const std::string& s, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(s[at]) |
                               (static_cast<uint8_t>(s[at + 1]) << 8));
}

std::string header(int rate, int channels, uint64_t dataBytes) {
  const auto data = static_cast<uint32_t>(std::min<uint64_t>(dataBytes, 0xffffffffu - 36));
  std::string h = "RIFF";
  put32(h, 36 + data);
  h += "WAVEfmt ";
  put32(h, 16);
  put16(h, 1);  // PCM
  put16(h, static_cast<uint16_t>(channels));
  put32(h, static_cast<uint32_t>(rate));
  put32(h, static_cast<uint32_t>(rate * channels * 2));
  put16(h, static_cast<uint16_t>(channels * 2));
  put16(h, 16);
  h += "data";
  put32(h, data);
  return h;
}

}  // namespace

WavWriter::WavWriter(const std::string& path, int rate, int channels)
    : rate_(rate), channels_(channels) {
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_)
    throw AudioError("cannot write " + path + ": " + std::strerror(errno));
  const std::string h = header(rate_, channels_, 0);
  std::fwrite(h.data(), 1, h.size(), file_);
}

WavWriter::~WavWriter() {
  if (file_) {
    finish();
    std::fclose(file_);
  }
}

void WavWriter::write(std::span<const int16_t> pcm) {
  // WAV is little-endian, and so is every host this builds on (x86-64, aarch64).
  dataBytes_ += std::fwrite(pcm.data(), 2, pcm.size(), file_) * 2;
}

void WavWriter::finish() {
  const long end = std::ftell(file_);
  const std::string h = header(rate_, channels_, dataBytes_);
  std::fseek(file_, 0, SEEK_SET);
  std::fwrite(h.data(), 1, h.size(), file_);
  std::fseek(file_, end, SEEK_SET);
  std::fflush(file_);
}

WavData readWav(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw AudioError("cannot read " + path);
  const std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (s.size() < 12 || s.compare(0, 4, "RIFF") != 0 || s.compare(8, 4, "WAVE") != 0)
    throw AudioError(path + ": not a WAV file");
  WavData w;
  bool fmt = false;
  for (size_t at = 12; at + 8 <= s.size();) {
    const std::string id = s.substr(at, 4);
    const size_t size = get32(s, at + 4);
    const size_t body = at + 8;
    const size_t avail =
        std::min(size, s.size() - body);  // a writer killed mid-way: take what is there
    if (id == "fmt " && avail >= 16) {
      if (get16(s, body) != 1 || get16(s, body + 14) != 16)
        throw AudioError(path + ": not 16-bit PCM");
      w.channels = get16(s, body + 2);
      w.rate = static_cast<int>(get32(s, body + 4));
      fmt = true;
    } else if (id == "data") {
      if (!fmt)
        throw AudioError(path + ": data before fmt");
      const size_t bytes = (size == 0 ? s.size() - body : avail) & ~size_t{1};
      w.samples.resize(bytes / 2);
      std::memcpy(w.samples.data(), s.data() + body, bytes);
      return w;
    }
    at = body + size + (size & 1);
  }
  throw AudioError(path + ": no data chunk");
}

}  // namespace rdk::audio
