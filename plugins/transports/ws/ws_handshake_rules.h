// The header checks of a WebSocket upgrade request, apart from the HTTP server so that they are
// fuzzed (tests/fuzz/fuzz_ws_http.cpp) with whatever a peer can put in a header.
#pragma once

#include <string>

namespace rdk::ws {

/// "host:port" of an Origin header ("https://example.com:8443" -> "example.com:8443"), without
/// the scheme's default port, lower case; empty when |origin| has no scheme.
std::string originAuthority(const std::string& origin);
/// A Host header the same way, for a ws (|secure| false) or wss listener.
std::string hostAuthority(const std::string& host, bool secure);
/// Whether a page from |origin| may open a WebSocket on the listener named by |host|: no Origin
/// (not a browser), "null", or the same authority. Cross-site pages are refused (CSWSH).
bool sameOrigin(const std::string& origin, const std::string& host, bool secure);
/// Whether a Sec-WebSocket-Protocol list ("a, binary") offers "binary", the one we speak.
bool offersBinary(const std::string& protocols);

}  // namespace rdk::ws
