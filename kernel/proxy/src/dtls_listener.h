// The proxy's dtls:// binds (private to kernel/proxy): DTLS terminated at the proxy, with the
// dtls transport plugin's own channel (plugins/transports/dtls, compiled in). The router gets the
// decrypted datagrams, routes them by the connection id inside and sends them to the session as
// plain UDP on loopback; the session's datagrams are encrypted again for the client. DTLS cannot
// be routed without terminating it: the connection id travels inside the encrypted record.
#pragma once

#include <memory>
#include <string>

#include "datagram_channel.hpp"

namespace rdk::proxy {

/// A DTLS server channel on |url| (dtls://HOST:PORT) with the PEM |cert| and |key|; nullptr with
/// |error|. |bound| gets the address it listens on.
std::unique_ptr<udp::DatagramChannel> makeDtlsListener(const std::string& url,
                                                       const std::string& cert,
                                                       const std::string& key, std::string* bound,
                                                       std::string* error);

}  // namespace rdk::proxy
