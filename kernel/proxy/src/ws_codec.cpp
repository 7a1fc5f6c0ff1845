#include "rdk/proxy/ws_codec.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <strings.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace rdk::proxy::ws {

namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

std::string base64(const unsigned char* data, size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<size_t>(n));
  return out;
}

bool parseHead(std::string_view head, std::string* first, HttpHead* out, std::string* error) {
  size_t eol = head.find("\r\n");
  if (eol == std::string_view::npos) {
    *error = "no request line";
    return false;
  }
  *first = std::string(head.substr(0, eol));
  head.remove_prefix(eol + 2);
  while (!head.empty()) {
    eol = head.find("\r\n");
    const std::string_view line = head.substr(0, eol);
    head.remove_prefix(eol == std::string_view::npos ? head.size() : eol + 2);
    if (line.empty())
      break;
    const size_t colon = line.find(':');
    const std::string_view name = colon == std::string_view::npos ? "" : line.substr(0, colon);
    const std::string value = colon == std::string_view::npos ? "" : trim(line.substr(colon + 1));
    // RFC 9110: a name is a token (no spaces, no controls); a value has no CR, LF or NUL.
    const bool badName = name.empty() || std::any_of(name.begin(), name.end(), [](char c) {
                           return !std::isalnum(static_cast<unsigned char>(c)) &&
                                  (c == '\0' || std::strchr("!#$%&'*+-.^_`|~", c) == nullptr);
                         });
    if (badName || value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      *error = "malformed header line";
      return false;
    }
    out->headers.emplace_back(std::string(name), value);
  }
  return true;
}

}  // namespace

std::string HttpHead::get(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0)
      return value;
  return {};
}

size_t headLength(std::string_view data, size_t maxBytes) {
  const size_t end = data.substr(0, std::min(data.size(), maxBytes)).find("\r\n\r\n");
  if (end != std::string_view::npos)
    return end + 4;
  if (data.size() >= maxBytes)
    throw std::runtime_error("HTTP head larger than " + std::to_string(maxBytes) + " bytes");
  return 0;
}

bool parseRequest(std::string_view head, HttpHead* out, std::string* error) {
  std::string line;
  if (!parseHead(head, &line, out, error))
    return false;
  const size_t a = line.find(' ');
  const size_t b = a == std::string::npos ? a : line.find(' ', a + 1);
  if (b == std::string::npos || line.compare(b + 1, 7, "HTTP/1.") != 0) {
    *error = "malformed request line";
    return false;
  }
  out->method = line.substr(0, a);
  out->target = line.substr(a + 1, b - a - 1);
  return !out->target.empty();
}

bool parseResponse(std::string_view head, HttpHead* out, std::string* error) {
  std::string line;
  if (!parseHead(head, &line, out, error))
    return false;
  if (line.compare(0, 7, "HTTP/1.") != 0 || line.size() < 12) {
    *error = "malformed status line";
    return false;
  }
  out->status = std::atoi(line.c_str() + 9);
  return out->status >= 100 && out->status < 600;
}

bool isUpgrade(const HttpHead& request) {
  return strcasecmp(request.get("Upgrade").c_str(), "websocket") == 0;
}

std::string acceptKey(const std::string& key) {
  const std::string text = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return base64(digest, sizeof digest);
}

std::string randomKey() {
  unsigned char bytes[16];
  RAND_bytes(bytes, sizeof bytes);
  return base64(bytes, sizeof bytes);
}

std::string encodeFrame(uint8_t opcode, std::string_view payload, bool mask, bool fin) {
  std::string out;
  out.reserve(payload.size() + 14);
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | (opcode & 0x0f)));
  const uint8_t maskBit = mask ? 0x80 : 0;
  const uint64_t n = payload.size();
  if (n < 126) {
    out.push_back(static_cast<char>(maskBit | n));
  } else if (n < 65536) {
    out.push_back(static_cast<char>(maskBit | 126));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n));
  } else {
    out.push_back(static_cast<char>(maskBit | 127));
    for (int shift = 56; shift >= 0; shift -= 8)
      out.push_back(static_cast<char>(n >> shift));
  }
  if (!mask) {
    out.append(payload);
    return out;
  }
  unsigned char key[4];
  RAND_bytes(key, sizeof key);
  out.append(reinterpret_cast<const char*>(key), 4);
  const size_t at = out.size();
  out.append(payload);
  for (size_t i = 0; i < payload.size(); ++i)
    out[at + i] = static_cast<char>(out[at + i] ^ key[i & 3]);
  return out;
}

std::string encodeClose(uint16_t code, const std::string& reason, bool mask) {
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code));
  payload += reason.substr(0, 120);
  return encodeFrame(kClose, payload, mask);
}

size_t decodeFrame(std::string_view data, bool masked, size_t maxPayload, Frame* out) {
  if (data.size() < 2)
    return 0;
  const uint8_t b0 = static_cast<uint8_t>(data[0]), b1 = static_cast<uint8_t>(data[1]);
  if (b0 & 0x70)
    throw WsError(1002, "reserved bits set (no extension was negotiated)");
  const uint8_t opcode = b0 & 0x0f;
  const bool fin = (b0 & 0x80) != 0;
  if ((opcode > kBinary && opcode < kClose) || opcode > kPong)
    throw WsError(1002, "unknown opcode " + std::to_string(opcode));
  if (((b1 & 0x80) != 0) != masked)
    throw WsError(1002, masked ? "unmasked frame from a client" : "masked frame from a server");
  uint64_t length = b1 & 0x7f;
  size_t at = 2;
  if (length == 126 || length == 127) {
    const size_t bytes = length == 126 ? 2 : 8;
    if (data.size() < at + bytes)
      return 0;
    length = 0;
    for (size_t i = 0; i < bytes; ++i)
      length = (length << 8) | static_cast<uint8_t>(data[at + i]);
    at += bytes;
  }
  if (opcode >= kClose && (length > 125 || !fin))
    throw WsError(1002, "bad control frame");
  if (length > maxPayload)
    throw WsError(1009, "frame of " + std::to_string(length) + " bytes");
  unsigned char key[4] = {0, 0, 0, 0};
  if (masked) {
    if (data.size() < at + 4)
      return 0;
    std::memcpy(key, data.data() + at, 4);
    at += 4;
  }
  if (data.size() - at < length)
    return 0;
  out->fin = fin;
  out->opcode = opcode;
  out->payload.assign(data.substr(at, length));
  if (masked)
    for (size_t i = 0; i < out->payload.size(); ++i)
      out->payload[i] = static_cast<char>(out->payload[i] ^ key[i & 3]);
  return at + length;
}

}  // namespace rdk::proxy::ws
