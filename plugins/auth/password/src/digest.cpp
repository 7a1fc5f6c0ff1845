#include "digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>

#include "rdk/plugin.hpp"
#include "vnc_des.h"

namespace rdk::auth {
namespace {

// Xpra's preference order (choose_digest), strongest first.
const std::vector<std::string> kDigestOrder = {"hmac+sha512", "hmac+sha384", "hmac+sha256",
                                               "hmac+sha224", "hmac+sha1",   "hmac+md5",
                                               "hmac",        "xor",         "des"};

const EVP_MD* hmacHash(std::string_view digest) {
  if (digest == "hmac" || digest == "hmac+md5")
    return EVP_md5();
  if (digest == "hmac+sha1")
    return EVP_sha1();
  if (digest == "hmac+sha224")
    return EVP_sha224();
  if (digest == "hmac+sha256")
    return EVP_sha256();
  if (digest == "hmac+sha384")
    return EVP_sha384();
  if (digest == "hmac+sha512")
    return EVP_sha512();
  return nullptr;
}

Bytes hexBytes(ByteView raw) {
  const std::string hex = toHex(raw);
  return Bytes(hex.begin(), hex.end());
}

}  // namespace

const std::vector<std::string>& knownDigests() {
  return kDigestOrder;
}

bool isWeakDigest(std::string_view digest) {
  return digest == "xor" || digest == "des";
}

std::optional<std::string> chooseDigest(const std::vector<std::string>& offers, bool allowWeak) {
  for (const std::string& name : kDigestOrder) {
    if (!allowWeak && isWeakDigest(name))
      continue;
    if (std::find(offers.begin(), offers.end(), name) != offers.end())
      return name;
  }
  return std::nullopt;
}

std::vector<std::string> splitList(std::string_view csv) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= csv.size()) {
    size_t end = csv.find(',', start);
    if (end == std::string_view::npos)
      end = csv.size();
    std::string_view item = csv.substr(start, end - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
      item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t'))
      item.remove_suffix(1);
    if (!item.empty())
      items.emplace_back(item);
    start = end + 1;
  }
  return items;
}

Bytes computeDigest(std::string_view digest, ByteView secret, ByteView salt) {
  if (secret.empty())
    throw Error(RDK_E_INVALID_ARG, "empty secret for digest " + std::string(digest));
  if (salt.empty())
    throw Error(RDK_E_INVALID_ARG, "empty salt for digest " + std::string(digest));
  if (digest == "xor") {
    Bytes out(secret.size());
    for (size_t i = 0; i < secret.size(); ++i)
      out[i] = secret[i] ^ (i < salt.size() ? salt[i] : 0);
    return out;
  }
  if (digest == "des")
    return hexBytes(vncDesResponse(secret, salt));
  const EVP_MD* md = hmacHash(digest);
  if (md == nullptr)
    throw Error(RDK_E_UNSUPPORTED, "unsupported digest '" + std::string(digest) + "'");
  std::array<uint8_t, EVP_MAX_MD_SIZE> mac{};
  unsigned int macSize = 0;
  if (HMAC(md, secret.data(), static_cast<int>(secret.size()), salt.data(), salt.size(), mac.data(),
           &macSize) == nullptr) {
    throw Error(RDK_E_INTERNAL, "HMAC failed for digest " + std::string(digest));
  }
  return hexBytes(ByteView(mac.data(), macSize));
}

bool constantTimeEquals(ByteView a, ByteView b) {
  if (a.size() != b.size())
    return false;
  if (a.empty())
    return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Bytes randomBytes(size_t count) {
  Bytes out(count);
  if (count > 0 && RAND_bytes(out.data(), static_cast<int>(count)) != 1) {
    throw Error(RDK_E_INTERNAL, "the random number generator failed");
  }
  return out;
}

std::string toHex(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

}  // namespace rdk::auth
