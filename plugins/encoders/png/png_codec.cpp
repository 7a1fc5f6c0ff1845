#include "png_codec.hpp"

#include <png.h>

#include <array>
#include <csetjmp>
#include <cstring>
#include <unordered_map>

#include "codec_util.hpp"

namespace rdk::png {

namespace {

// libpng reports errors with longjmp; these adapters turn them into a message we throw after the
// jump, outside libpng's frames.
struct ErrorState {
  char message[256] = "libpng error";
};
void onError(png_structp png, png_const_charp msg) {
  auto* st = static_cast<ErrorState*>(png_get_error_ptr(png));
  std::snprintf(st->message, sizeof(st->message), "%s", msg ? msg : "libpng error");
  png_longjmp(png, 1);
}
void onWarning(png_structp, png_const_charp) {}

struct Writer {
  std::vector<uint8_t> bytes;
};
void writeData(png_structp png, png_bytep data, png_size_t size) {
  auto* w = static_cast<Writer*>(png_get_io_ptr(png));
  w->bytes.insert(w->bytes.end(), data, data + size);
}
void flushData(png_structp) {}

struct Reader {
  const uint8_t* data;
  size_t size;
  size_t offset;
};
void readData(png_structp png, png_bytep out, png_size_t size) {
  auto* r = static_cast<Reader*>(png_get_io_ptr(png));
  if (size > r->size - r->offset)
    png_error(png, "truncated png data");
  std::memcpy(out, r->data + r->offset, size);
  r->offset += size;
}

enum class Mode { kRgb, kPalette, kGrey };

// The picture's colours when there are at most 256 of them (BGR packed as 0xRRGGBB).
bool collectPalette(const rdk_image& img, std::vector<uint32_t>& colours,
                    std::vector<uint8_t>& indices) {
  std::unordered_map<uint32_t, uint8_t> index;
  indices.resize(static_cast<size_t>(img.width) * img.height);
  uint32_t last = 0xffffffff;
  uint8_t lastIndex = 0;
  for (uint32_t y = 0; y < img.height; ++y) {
    const uint8_t* p = img.pixels + static_cast<size_t>(y) * img.stride;
    for (uint32_t x = 0; x < img.width; ++x, p += 4) {
      const uint32_t c = (p[2] << 16) | (p[1] << 8) | p[0];
      if (c != last) {
        auto it = index.find(c);
        if (it == index.end()) {
          if (colours.size() == 256)
            return false;
          it = index.emplace(c, static_cast<uint8_t>(colours.size())).first;
          colours.push_back(c);
        }
        last = c;
        lastIndex = it->second;
      }
      indices[static_cast<size_t>(y) * img.width + x] = lastIndex;
    }
  }
  return true;
}

bool isGrey(const rdk_image& img) {
  for (uint32_t y = 0; y < img.height; ++y) {
    const uint8_t* p = img.pixels + static_cast<size_t>(y) * img.stride;
    for (uint32_t x = 0; x < img.width; ++x, p += 4)
      if (p[0] != p[1] || p[1] != p[2])
        return false;
  }
  return true;
}

std::vector<uint8_t> writePng(const rdk_image& img, Mode mode, int speed,
                              const std::vector<uint32_t>& palette,
                              const std::vector<uint8_t>& rows8) {
  ErrorState err;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &err, onError, onWarning);
  if (!png)
    throw Error(RDK_E_NO_MEMORY, "png_create_write_struct failed");
  png_infop info = png_create_info_struct(png);
  Writer writer;
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    throw Error(RDK_E_INTERNAL, std::string("png encode: ") + err.message);
  }
  png_set_write_fn(png, &writer, writeData, flushData);
  // Speed 100 -> zlib level 1 and the SUB filter only; speed 0 -> level 9 and all filters.
  png_set_compression_level(png, std::clamp(9 - speed * 9 / 100, 1, 9));
  png_set_filter(png, 0,
                 speed >= 70 ? PNG_FILTER_SUB
                             : (speed >= 40 ? PNG_FILTER_SUB | PNG_FILTER_UP : PNG_ALL_FILTERS));
  const int colourType = mode == Mode::kRgb       ? PNG_COLOR_TYPE_RGB
                         : mode == Mode::kPalette ? PNG_COLOR_TYPE_PALETTE
                                                  : PNG_COLOR_TYPE_GRAY;
  png_set_IHDR(png, info, img.width, img.height, 8, colourType, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  std::array<png_color, 256> entries{};
  if (mode == Mode::kPalette) {
    for (size_t i = 0; i < palette.size(); ++i)
      entries[i] = {static_cast<png_byte>(palette[i] >> 16), static_cast<png_byte>(palette[i] >> 8),
                    static_cast<png_byte>(palette[i])};
    png_set_PLTE(png, info, entries.data(), static_cast<int>(palette.size()));
  }
  png_write_info(png, info);
  if (mode == Mode::kRgb) {
    png_set_bgr(png);
    png_set_filler(png, 0, PNG_FILLER_AFTER);  // on write: strip the X byte
    for (uint32_t y = 0; y < img.height; ++y)
      png_write_row(png, const_cast<png_bytep>(img.pixels + static_cast<size_t>(y) * img.stride));
  } else {
    for (uint32_t y = 0; y < img.height; ++y)
      png_write_row(png, const_cast<png_bytep>(rows8.data() + static_cast<size_t>(y) * img.width));
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return std::move(writer.bytes);
}

}  // namespace

PngEncoder::PngEncoder(std::string coding, bool exactDowngrade)
    : coding_(std::move(coding)), exactDowngrade_(exactDowngrade) {}

namespace {
void toGrey(const rdk_image& image, std::vector<uint8_t>& rows8) {
  rows8.resize(static_cast<size_t>(image.width) * image.height);
  for (uint32_t y = 0; y < image.height; ++y) {
    const uint8_t* p = image.pixels + static_cast<size_t>(y) * image.stride;
    for (uint32_t x = 0; x < image.width; ++x, p += 4)  // BT.601 luma
      rows8[static_cast<size_t>(y) * image.width + x] =
          static_cast<uint8_t>((p[2] * 77 + p[1] * 150 + p[0] * 29) >> 8);
  }
}

void toColourCube(const rdk_image& image, std::vector<uint32_t>& palette,
                  std::vector<uint8_t>& rows8) {
  palette.resize(256);
  for (uint32_t i = 0; i < 256; ++i) {
    const uint32_t r = (i >> 5) * 255 / 7, g = ((i >> 2) & 7) * 255 / 7, b = (i & 3) * 255 / 3;
    palette[i] = (r << 16) | (g << 8) | b;
  }
  rows8.resize(static_cast<size_t>(image.width) * image.height);
  for (uint32_t y = 0; y < image.height; ++y) {
    const uint8_t* p = image.pixels + static_cast<size_t>(y) * image.stride;
    for (uint32_t x = 0; x < image.width; ++x, p += 4)
      rows8[static_cast<size_t>(y) * image.width + x] =
          static_cast<uint8_t>((p[2] & 0xe0) | ((p[1] >> 3) & 0x1c) | (p[0] >> 6));
  }
}
}  // namespace

Encoded PngEncoder::encode(const rdk_image& image, const rdk_encode_params& params) {
  codec::checkInput(image);
  const int speed = codec::scale(params.speed, 50);
  const bool mustBeExact = (params.flags & RDK_ENCODE_LOSSLESS) != 0 || coding_ == "png";
  std::vector<uint32_t> palette;
  std::vector<uint8_t> rows8;
  Encoded out;
  out.flags = RDK_ENCODED_LOSSLESS;
  Mode mode = Mode::kRgb;
  const bool grey = isGrey(image);
  if (coding_ == "png/L" && (grey || !mustBeExact)) {
    mode = Mode::kGrey;
    if (!grey)
      out.flags = 0;
  } else if (grey && exactDowngrade_ && coding_ == "png") {
    mode = Mode::kGrey;
  } else if ((coding_ == "png/P" || exactDowngrade_) && collectPalette(image, palette, rows8)) {
    mode = Mode::kPalette;
  } else if (coding_ == "png/P" && !mustBeExact) {
    mode = Mode::kPalette;
    palette.clear();
    toColourCube(image, palette, rows8);
    out.flags = 0;
  }
  if (mode == Mode::kGrey)
    toGrey(image, rows8);
  out.data = writePng(image, mode, speed, palette, rows8);
  out.coding = mode == Mode::kRgb ? "png" : (mode == Mode::kPalette ? "png/P" : "png/L");
  return out;
}

void PngDecoder::decode(rdk_bytes data, std::string_view, rdk_image_out& out) {
  codec::checkOutput(out);
  if (data.size < 8 || png_sig_cmp(data.data, 0, 8) != 0)
    throw Error(RDK_E_CORRUPT, "not png data");
  ErrorState err;
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &err, onError, onWarning);
  if (!png)
    throw Error(RDK_E_NO_MEMORY, "png_create_read_struct failed");
  png_infop info = png_create_info_struct(png);
  Reader reader{data.data, data.size, 0};
  std::vector<png_bytep> rows;
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    throw Error(RDK_E_CORRUPT, std::string("png decode: ") + err.message);
  }
  png_set_read_fn(png, &reader, readData);
  png_set_user_limits(png, codec::kMaxSide, codec::kMaxSide);
  png_read_info(png, info);
  const uint32_t w = png_get_image_width(png, info), h = png_get_image_height(png, info);
  if (w != out.width || h != out.height) {
    png_destroy_read_struct(&png, &info, nullptr);
    codec::checkSize(w, h, out);
  }
  // Whatever the stored form, ask libpng for 8-bit B,G,R,X.
  png_set_expand(png);
  png_set_strip_16(png);
  png_set_gray_to_rgb(png);
  png_set_bgr(png);
  png_set_filler(png, 0xff, PNG_FILLER_AFTER);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  if (png_get_rowbytes(png, info) != static_cast<size_t>(w) * 4) {
    png_destroy_read_struct(&png, &info, nullptr);
    throw Error(RDK_E_CORRUPT, "unexpected png row layout");
  }
  rows.resize(h);
  for (uint32_t y = 0; y < h; ++y)
    rows[y] = out.pixels + static_cast<size_t>(y) * out.stride;
  png_read_image(png, rows.data());
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
}

}  // namespace rdk::png
