#include "dtls_listener.h"

#include <exception>

#include "dtls_channel.hpp"
#include "dtls_context.hpp"
#include "socket_channel.hpp"
#include "udp_url.hpp"

namespace rdk::proxy {

std::unique_ptr<udp::DatagramChannel> makeDtlsListener(const std::string& url,
                                                       const std::string& cert,
                                                       const std::string& key, std::string* bound,
                                                       std::string* error) {
  if (cert.empty() || key.empty()) {
    *error = "cannot bind " + url +
             ": dtls needs a certificate (--set transport.tls.cert=PEM "
             "--set transport.tls.key=PEM)";
    return nullptr;
  }
  try {
    dtls::DtlsOptions options;
    options.cert = cert;
    options.key = key;
    SSL_CTX* ctx = dtls::makeContext(options, true);
    auto socket = std::make_unique<udp::SocketChannel>(udp::resolveUrl(url, "dtls", true));
    auto channel = std::make_unique<dtls::DtlsChannel>(std::move(socket), ctx, true);
    *bound = udp::formatPeer("dtls", channel->localAddress());
    return channel;
  } catch (const std::exception& e) {
    *error = "cannot bind " + url + ": " + e.what();
    return nullptr;
  }
}

}  // namespace rdk::proxy
