// DTLS 1.2 as a DatagramChannel: each peer address has an SSL object whose records travel through
// the inner channel (a UDP socket). The udp transport's reliability core runs unchanged on top:
// its datagrams become DTLS application records, and DTLS never resends application data, so
// droppable stays droppable. A server keeps no state for a peer until its ClientHello carries a
// valid cookie (DTLSv1_listen); a client starts its handshake at once and retransmits it on
// OpenSSL's timer.
#pragma once

#include <openssl/ssl.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "datagram_channel.hpp"

namespace rdk::dtls {

/// How much DTLS state peers may make a server keep. A peer gets state only with a valid cookie
/// (it owns its address), but a completed handshake costs ~45 kB, so state that carries no
/// session expires, and a full table makes room by dropping the oldest peer that never carried
/// application data rather than ignoring newcomers.
struct DtlsPeerLimits {
  size_t maxPeers = 4096;
  size_t maxPeersPerAddress = 64;            // per IP address (any port)
  uint64_t handshakeTimeoutUs = 10'000'000;  // ClientHello with cookie -> Finished
  uint64_t unusedTimeoutUs = 10'000'000;     // Finished -> first application datagram
  // Nothing received at all for this long: the udp session above (its idle timeout is 60 s,
  // its keep-alives far more frequent) is gone.
  uint64_t idleTimeoutUs = 90'000'000;
};

class DtlsChannel : public udp::DatagramChannel {
 public:
  static constexpr size_t kMaxEarlyDatagrams = 8;
  static constexpr size_t kRecordOverhead = 13 + 8 + 16;  // header + GCM nonce + tag

  /// Takes ownership of |ctx|. A client gives the server address to handshake with.
  DtlsChannel(std::unique_ptr<udp::DatagramChannel> inner, SSL_CTX* ctx, bool server,
              const udp::PeerAddress* serverAddress = nullptr, DtlsPeerLimits limits = {});
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
  /// Peers dropped by expiry or to make room.
  uint64_t peersExpired();
  uint64_t peersEvicted();
  /// Where peers turned away are counted by reason (the host's count_refusal). Before use.
  void setRefusalCounter(std::function<void(const char* reason, uint64_t n)> count) {
    countRefusal_ = std::move(count);
  }

  struct Peer;

 private:
  Peer* newPeer(const udp::PeerAddress& addr, bool server);
  void dropPeer(const std::string& key);
  /// Advances a handshake; false when it failed (the peer is dropped).
  bool driveHandshake(Peer& p);
  /// Room for one more peer from |host|: true when there is, or the oldest unused peer (of that
  /// host when its share is full, else of any host) was dropped for it. |self| is not counted.
  bool makeRoomFor(const std::string& host, const Peer* self);
  /// Drops peers past their deadline; returns the next deadline.
  uint64_t expirePeers(uint64_t nowUs);

  std::unique_ptr<udp::DatagramChannel> inner_;
  SSL_CTX* ctx_;
  const bool server_;
  std::mutex mutex_;  // peers_ (sendTo may come from the I/O thread only, but stats read it)
  std::map<std::string, std::unique_ptr<Peer>> peers_;
  std::map<std::string, size_t> peersPerHost_;
  std::string lastError_;
  const DtlsPeerLimits limits_;
  uint64_t nowUs_ = 0;  // from service(): receiveFrom stamps peers with it
  uint64_t expired_ = 0, evicted_ = 0;
  std::function<void(const char*, uint64_t)> countRefusal_;
  void refuse(const char* reason, uint64_t n = 1) {
    if (countRefusal_ && n > 0)
      countRefusal_(reason, n);
  }
};

}  // namespace rdk::dtls
