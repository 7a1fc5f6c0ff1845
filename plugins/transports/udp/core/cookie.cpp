#include "cookie.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace rdk::udp {

namespace {
constexpr size_t kMacBytes = 16;
}

uint64_t randomU64() {
  uint64_t v = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&v), sizeof(v)) != 1) {
    throw std::runtime_error("no randomness from OpenSSL");
  }
  return v;
}

CookieMinter::CookieMinter() {
  if (RAND_bytes(secret_, sizeof(secret_)) != 1)
    throw std::runtime_error("no randomness");
}

std::vector<uint8_t> CookieMinter::mac(const PeerAddress& from, uint64_t connId,
                                       uint64_t stamp) const {
  std::vector<uint8_t> msg;
  const std::string key = from.key();
  msg.insert(msg.end(), key.begin(), key.end());
  for (int i = 0; i < 8; ++i)
    msg.push_back(static_cast<uint8_t>(connId >> (8 * i)));
  for (int i = 0; i < 8; ++i)
    msg.push_back(static_cast<uint8_t>(stamp >> (8 * i)));
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_, sizeof(secret_), msg.data(), msg.size(), out, &len);
  return std::vector<uint8_t>(out, out + kMacBytes);
}

std::vector<uint8_t> CookieMinter::mint(const PeerAddress& from, uint64_t connId,
                                        uint64_t nowUs) const {
  std::vector<uint8_t> t;
  for (int i = 0; i < 8; ++i)
    t.push_back(static_cast<uint8_t>(nowUs >> (8 * i)));
  auto m = mac(from, connId, nowUs);
  t.insert(t.end(), m.begin(), m.end());
  return t;
}

bool CookieMinter::verify(const std::vector<uint8_t>& token, const PeerAddress& from,
                          uint64_t connId, uint64_t nowUs) const {
  if (token.size() != 8 + kMacBytes)
    return false;
  uint64_t stamp = 0;
  for (int i = 0; i < 8; ++i)
    stamp |= uint64_t(token[i]) << (8 * i);
  if (stamp > nowUs || nowUs - stamp > kLifetimeUs)
    return false;
  auto m = mac(from, connId, stamp);
  return CRYPTO_memcmp(m.data(), token.data() + 8, kMacBytes) == 0;
}

}  // namespace rdk::udp
