#include "vnc_des.h"

#include <openssl/evp.h>
#include <openssl/provider.h>

#include <array>
#include <memory>
#include <mutex>

#include "rdk/plugin.hpp"

namespace rdk::auth {
namespace {

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

// VNC feeds each password byte to DES with its bits in reverse order.
uint8_t reverseBits(uint8_t b) {
  b = static_cast<uint8_t>((b & 0xF0) >> 4 | (b & 0x0F) << 4);
  b = static_cast<uint8_t>((b & 0xCC) >> 2 | (b & 0x33) << 2);
  b = static_cast<uint8_t>((b & 0xAA) >> 1 | (b & 0x55) << 1);
  return b;
}

std::array<uint8_t, 8> vncKey(ByteView password) {
  std::array<uint8_t, 8> key{};
  for (size_t i = 0; i < key.size() && i < password.size(); ++i)
    key[i] = reverseBits(password[i]);
  return key;
}

std::array<uint8_t, 16> paddedChallenge(ByteView challenge) {
  std::array<uint8_t, 16> block{};
  for (size_t i = 0; i < block.size() && i < challenge.size(); ++i)
    block[i] = challenge[i];
  return block;
}

bool ecbEncrypt(const EVP_CIPHER* cipher, const uint8_t* key, const std::array<uint8_t, 16>& in,
                Bytes& out) {
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), cipher, nullptr, key, nullptr) != 1)
    return false;
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
  out.assign(in.size() + 16, 0);
  int written = 0;
  int tail = 0;
  if (EVP_EncryptUpdate(ctx.get(), out.data(), &written, in.data(), static_cast<int>(in.size())) !=
          1 ||
      EVP_EncryptFinal_ex(ctx.get(), out.data() + written, &tail) != 1) {
    return false;
  }
  out.resize(static_cast<size_t>(written + tail));
  return out.size() == in.size();
}

}  // namespace

// Single DES lives in OpenSSL 3's legacy provider, which is not loaded by default (Debian 12).
// Triple DES with three equal keys is single DES (E_k(D_k(E_k(x))) = E_k(x)) and is in the default
// provider, so the response needs no global provider change in the host process.
Bytes vncDesResponse(ByteView password, ByteView challenge) {
  const std::array<uint8_t, 8> key = vncKey(password);
  std::array<uint8_t, 24> tripleKey{};
  for (size_t i = 0; i < 3; ++i)
    std::copy(key.begin(), key.end(), tripleKey.begin() + 8 * i);
  Bytes out;
  if (!ecbEncrypt(EVP_des_ede3_ecb(), tripleKey.data(), paddedChallenge(challenge), out)) {
    throw Error(RDK_E_INTERNAL, "DES encryption failed");
  }
  return out;
}

bool vncDesResponseLegacyProvider(ByteView password, ByteView challenge, Bytes& out) {
  // A private library context, so loading "legacy" does not change the host's global one.
  static std::once_flag once;
  static OSSL_LIB_CTX* libctx = nullptr;
  std::call_once(once, [] {
    OSSL_LIB_CTX* ctx = OSSL_LIB_CTX_new();
    if (ctx && OSSL_PROVIDER_load(ctx, "legacy") && OSSL_PROVIDER_load(ctx, "default")) {
      libctx = ctx;
    }
  });
  if (libctx == nullptr)
    return false;
  std::unique_ptr<EVP_CIPHER, decltype(&EVP_CIPHER_free)> des(
      EVP_CIPHER_fetch(libctx, "DES-ECB", nullptr), &EVP_CIPHER_free);
  if (!des)
    return false;
  const std::array<uint8_t, 8> key = vncKey(password);
  return ecbEncrypt(des.get(), key.data(), paddedChallenge(challenge), out);
}

}  // namespace rdk::auth
