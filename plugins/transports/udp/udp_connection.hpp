// The kernel's handle on one UDP session (rdk::Connection).
#pragma once

#include <memory>

#include "rdk/plugin.hpp"
#include "udp_endpoint.hpp"

namespace rdk::udp {

class UdpConnection : public Connection {
 public:
  UdpConnection(std::shared_ptr<UdpEndpoint> endpoint, std::shared_ptr<SessionEntry> entry)
      : endpoint_(std::move(endpoint)), entry_(std::move(entry)) {}
  ~UdpConnection() override;

  void send(const rdk_bytes* iov, size_t count, const rdk_send_info& info) override;
  rdk_transport_stats stats() override { return entry_->session->stats(); }
  void close(std::string_view reason) override;
  std::string peerAddress() override;

 private:
  std::shared_ptr<UdpEndpoint> endpoint_;
  std::shared_ptr<SessionEntry> entry_;
};

}  // namespace rdk::udp
