#include "udp_connection.hpp"

#include "udp_url.hpp"

namespace rdk::udp {

UdpConnection::~UdpConnection() {
  endpoint_->detach(entry_);
}

void UdpConnection::send(const rdk_bytes* iov, size_t count, const rdk_send_info& info) {
  const MessageClass cls =
      info.delivery == RDK_DELIVERY_DROPPABLE ? MessageClass::kDroppable : MessageClass::kReliable;
  size_t total = 0;
  for (size_t i = 0; i < count; ++i)
    total += iov[i].size;
  if (total > kMaxMessageSize) {
    throw Error(RDK_E_INVALID_ARG, "packet of " + std::to_string(total) + " bytes exceeds " +
                                       std::to_string(kMaxMessageSize));
  }
  const SendResult r =
      entry_->session->send(iov, count, cls, info.supersede_key, info.packet_id, monotonicUs());
  if (r == SendResult::kClosed)
    throw Error(RDK_E_CLOSED, "connection closed");
  endpoint_->wake();
  if (r == SendResult::kAgain)
    throw Error(RDK_E_AGAIN, "send buffer full");
}

void UdpConnection::close(std::string_view reason) {
  entry_->session->close(std::string(reason), monotonicUs());
  endpoint_->wake();
}

std::string UdpConnection::peerAddress() {
  return formatPeer(endpoint_->scheme(), entry_->session->peer());
}

}  // namespace rdk::udp
