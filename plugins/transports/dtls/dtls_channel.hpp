// DTLS 1.2 as a DatagramChannel: each peer address has an SSL object whose records travel through
// the inner channel (a UDP socket). The udp transport's reliability core runs unchanged on top:
// its datagrams become DTLS application records, and DTLS never resends application data, so
// droppable stays droppable. A server keeps no state for a peer until its ClientHello carries a
// valid cookie (DTLSv1_listen); a client starts its handshake at once and retransmits it on
// OpenSSL's timer.
#pragma once

#include <openssl/ssl.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "datagram_channel.hpp"

namespace rdk::dtls {

class DtlsChannel : public udp::DatagramChannel {
 public:
  static constexpr size_t kMaxPeers = 4096;
  static constexpr size_t kMaxEarlyDatagrams = 8;
  static constexpr size_t kRecordOverhead = 13 + 8 + 16;  // header + GCM nonce + tag

  /// Takes ownership of |ctx|. A client gives the server address to handshake with.
  DtlsChannel(std::unique_ptr<udp::DatagramChannel> inner, SSL_CTX* ctx, bool server,
              const udp::PeerAddress* serverAddress = nullptr);
  ~DtlsChannel() override;

  udp::SendStatus sendTo(const udp::PeerAddress& to, const uint8_t* data, size_t size) override;
  ssize_t receiveFrom(uint8_t* buf, size_t capacity, udp::PeerAddress& from) override;
  int pollFd() const override { return inner_->pollFd(); }
  size_t pathMtu(const udp::PeerAddress& to) override;
  udp::PeerAddress localAddress() const override { return inner_->localAddress(); }
  uint64_t service(uint64_t nowUs) override;

  /// Why the last handshake failed (empty when none did).
  std::string lastError();
  size_t peerCount();

  struct Peer;

 private:
  Peer* newPeer(const udp::PeerAddress& addr, bool server);
  void dropPeer(const std::string& key);
  /// Advances a handshake; false when it failed (the peer is dropped).
  bool driveHandshake(Peer& p);

  std::unique_ptr<udp::DatagramChannel> inner_;
  SSL_CTX* ctx_;
  const bool server_;
  std::mutex mutex_;  // peers_ (sendTo may come from the I/O thread only, but stats read it)
  std::map<std::string, std::unique_ptr<Peer>> peers_;
  std::string lastError_;
};

}  // namespace rdk::dtls
