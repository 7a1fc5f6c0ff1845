// What the proxy's end-to-end suites share: the binary they start, a PNG's size (each user's
// desktop has its own size, so a snapshot's size says whose session a client reached) and a
// self-signed certificate for the TLS, DTLS and wss binds.
#pragma once

#include <cppunit/TestAssert.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "test_files.hpp"

namespace rdk::test::proxy {

inline const std::string kRdkernel = std::string(RDK_TEST_BINARY_DIR) + "/bin/rdkernel";

/// Width x height from a PNG's IHDR, or "no png".
inline std::string pngSize(const std::string& path) {
  const std::string data = readFile(path);
  if (data.size() < 24)
    return "no png";
  auto be32 = [&](size_t at) {
    return (uint32_t(uint8_t(data[at])) << 24) | (uint32_t(uint8_t(data[at + 1])) << 16) |
           (uint32_t(uint8_t(data[at + 2])) << 8) | uint32_t(uint8_t(data[at + 3]));
  };
  return std::to_string(be32(16)) + "x" + std::to_string(be32(20));
}

/// cert.pem and key.pem in |dir|: self-signed for localhost and 127.0.0.1, so a client that
/// verifies can use cert.pem as its CA.
inline void makeCertificate(const std::string& dir) {
  const std::string make =
      "cd '" + dir +
      "' && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "
      "key.pem -out cert.pem -days 2 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 "
      ">openssl.log 2>&1";
  CPPUNIT_ASSERT_EQUAL(0, std::system(make.c_str()));
}

}  // namespace rdk::test::proxy
