// Poco::Net TLS contexts for wss://, with the same policy as the ssl transport: TLS 1.2 or newer,
// forward-secret AEAD suites only, certificates checked unless verify=false.
#pragma once

#include <Poco/Net/Context.h>

#include "ws_options.h"

namespace rdk::ws {

/// Needs options.cert; key defaults to cert; with verify=true (set when transport.tls.ca is),
/// clients must present a certificate from options.ca. Throws rdk::Error(RDK_E_INVALID_ARG).
Poco::Net::Context::Ptr makeServerContext(const WsOptions& options);

/// Verifies the server (and its host name) unless verify=false, against ca or the system store.
Poco::Net::Context::Ptr makeClientContext(const WsOptions& options);

/// Poco's SSL library, initialised once per process.
void initializeTls();

}  // namespace rdk::ws
