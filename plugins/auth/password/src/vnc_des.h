// The VNC-style DES challenge response that Xpra's "des" digest uses (net/d3des.py).
#pragma once

#include "digest.h"

namespace rdk::auth {

/// DES-ECB of the first 16 bytes of |challenge| (zero-padded) under the first 8 bytes of
/// |password| (zero-padded), with VNC's bit-reversed key bytes. Returns the 16 raw bytes.
Bytes vncDesResponse(ByteView password, ByteView challenge);

/// The same with OpenSSL's single-DES from the legacy provider (false when that provider cannot be
/// loaded). Exposed so the tests can check both implementations agree.
bool vncDesResponseLegacyProvider(ByteView password, ByteView challenge, Bytes& out);

}  // namespace rdk::auth
