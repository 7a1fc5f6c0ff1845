// unix:///path: the same stream transport as tcp:// over a unix-domain socket. It is how
// `rdkernel start` sessions are found and reached without a port (as Xpra's socket directory):
// the file's permissions (0600, in a 0700 directory) say who may connect.
#pragma once

#include <memory>
#include <string>

#include "event_loop.hpp"
#include "rdk/plugin.hpp"
#include "tcp_options.hpp"

namespace rdk::tcp {

/// The path of "unix:///abs/path" (absolute, shorter than sun_path); throws rdk::Error.
std::string parseUnixUrl(const std::string& url);

std::unique_ptr<Listener> unixListen(EventLoop& loop, const std::string& url,
                                     const TcpOptions& options,
                                     const rdk_listener_callbacks& callbacks);

std::unique_ptr<Connection> unixConnect(EventLoop& loop, const std::string& url,
                                        const TcpOptions& options,
                                        const rdk_connection_callbacks& callbacks);

}  // namespace rdk::tcp
