// Xpra 3.1.3's challenge digests (net/digest.py gendigest/choose_digest), with OpenSSL.
//
// Every digest maps (secret, salt) to the bytes that travel in the hello:
//   hmac+X  -> lowercase hex of HMAC-X(key=secret, msg=salt)
//   hmac    -> legacy name of hmac+md5
//   xor     -> secret XOR salt (salt truncated or zero-padded to the secret's length): reversible,
//              so only acceptable on encrypted or local connections
//   des     -> VNC DES response, hex (see vnc_des.h)
// The same function computes the combined salt (secret = client salt, salt = server salt).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rdk::auth {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline ByteView asBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string asString(ByteView b) {
  return {b.begin(), b.end()};
}

/// Every digest name this implementation computes, strongest first (Xpra's preference order).
const std::vector<std::string>& knownDigests();

/// True for "xor" and "des": they expose the secret (xor) or a brute-forceable form of it (des).
bool isWeakDigest(std::string_view digest);

/// Xpra's choose_digest: the first of hmac+sha512, sha384, sha256, sha224, sha1, md5, hmac, xor,
/// des that |offers| contains; weak digests only when |allowWeak|. nullopt when none fits.
std::optional<std::string> chooseDigest(const std::vector<std::string>& offers, bool allowWeak);

/// Splits a comma-separated offer list, trimming blanks and dropping empty items.
std::vector<std::string> splitList(std::string_view csv);

/// gendigest(digest, secret, salt). Throws rdk::Error(RDK_E_UNSUPPORTED) for an unknown digest and
/// RDK_E_INVALID_ARG for an empty secret or salt (Xpra asserts on both).
Bytes computeDigest(std::string_view digest, ByteView secret, ByteView salt);

/// Constant-time equality (CRYPTO_memcmp); different lengths compare unequal.
bool constantTimeEquals(ByteView a, ByteView b);

/// Cryptographically random bytes (RAND_bytes); throws on RNG failure.
Bytes randomBytes(size_t count);

std::string toHex(ByteView bytes);

}  // namespace rdk::auth
