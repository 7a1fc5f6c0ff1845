#include "dtls_channel.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>

#include <cstring>
#include <vector>

#include "dtls_context.hpp"
#include "udp_url.hpp"

namespace rdk::dtls {

using udp::PeerAddress;
using udp::SendStatus;

struct DtlsChannel::Peer {
  SSL* ssl = nullptr;
  PeerAddress addr;
  std::string key;   // address bytes; also the cookie input (SSL app data)
  std::string host;  // the IP address without the port, for the per-address share
  bool established = false;
  bool carriedData = false;  // an application datagram came through: a session uses it
  uint64_t createdUs = 0;
  uint64_t establishedUs = 0;
  uint64_t lastReceiveUs = 0;
  const uint8_t* in = nullptr;  // the datagram being fed to OpenSSL
  size_t inLen = 0;
  bool peek = false;  // DTLSv1_listen peeks at the ClientHello before reading it for real
  udp::DatagramChannel* inner = nullptr;
  SendStatus lastSend = SendStatus::kOk;
  // Datagrams the session sent before the handshake finished (its INITIAL), sent right after.
  std::vector<std::vector<uint8_t>> early;
  ~Peer() {
    if (ssl)
      SSL_free(ssl);
  }
};

namespace {

// A datagram BIO over the inner channel: each write is one datagram to the peer, each read hands
// over the one datagram currently being processed.
int bioWrite(BIO* b, const char* data, int len) {
  auto* p = static_cast<DtlsChannel::Peer*>(BIO_get_data(b));
  p->lastSend =
      p->inner->sendTo(p->addr, reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(len));
  BIO_clear_retry_flags(b);
  if (p->lastSend == SendStatus::kTooBig)
    return -1;
  return len;  // a datagram lost on the way is DTLS's (handshake) or the core's (data) business
}

int bioRead(BIO* b, char* out, int len) {
  auto* p = static_cast<DtlsChannel::Peer*>(BIO_get_data(b));
  BIO_clear_retry_flags(b);
  if (!p->in) {
    BIO_set_retry_read(b);
    return -1;
  }
  const int n = static_cast<int>(std::min<size_t>(p->inLen, static_cast<size_t>(len)));
  std::memcpy(out, p->in, static_cast<size_t>(n));
  if (!p->peek) {
    p->in = nullptr;
    p->inLen = 0;
  }
  return n;
}

long bioCtrl(BIO* b, int cmd, long num, void* ptr) {
  (void)ptr;
  auto* p = static_cast<DtlsChannel::Peer*>(BIO_get_data(b));
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_DGRAM_SET_PEEK_MODE:
      if (p)
        p->peek = num != 0;
      return 1;
    case BIO_CTRL_PENDING:
      return p && p->in ? static_cast<long>(p->inLen) : 0;
    case BIO_CTRL_WPENDING:
      return 0;
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
      return 1400;
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
      return 28;
    default:
      return 0;
  }
}

BIO_METHOD* bioMethod() {
  static BIO_METHOD* m = [] {
    BIO_METHOD* method = BIO_meth_new(BIO_TYPE_SOURCE_SINK | BIO_get_new_index(), "rdk-dgram");
    BIO_meth_set_write(method, bioWrite);
    BIO_meth_set_read(method, bioRead);
    BIO_meth_set_ctrl(method, bioCtrl);
    BIO_meth_set_create(method, [](BIO* b) {
      BIO_set_init(b, 1);
      return 1;
    });
    return method;
  }();
  return m;
}

std::string hostKey(const PeerAddress& a) {
  std::string k(reinterpret_cast<const char*>(&a.storage.ss_family), sizeof(a.storage.ss_family));
  if (a.storage.ss_family == AF_INET) {
    k.append(
        reinterpret_cast<const char*>(&reinterpret_cast<const sockaddr_in*>(&a.storage)->sin_addr),
        4);
  } else if (a.storage.ss_family == AF_INET6) {
    k.append(reinterpret_cast<const char*>(
                 &reinterpret_cast<const sockaddr_in6*>(&a.storage)->sin6_addr),
             16);
  }
  return k;
}

bool looksLikeClientHello(const uint8_t* d, size_t n) {
  // DTLS record: content type 22 (handshake), version 0xFEFx, then handshake type 1 at offset 13.
  return n > 25 && d[0] == 22 && d[1] == 0xFE && d[13] == 1;
}

}  // namespace

DtlsChannel::DtlsChannel(std::unique_ptr<udp::DatagramChannel> inner, SSL_CTX* ctx, bool server,
                         const PeerAddress* serverAddress, DtlsPeerLimits limits)
    : inner_(std::move(inner)), ctx_(ctx), server_(server), limits_(limits) {
  if (!server && serverAddress) {
    std::lock_guard<std::mutex> lock(mutex_);
    Peer* p = newPeer(*serverAddress, false);
    driveHandshake(*p);  // the ClientHello leaves now
  }
}

DtlsChannel::~DtlsChannel() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    peers_.clear();
  }
  SSL_CTX_free(ctx_);
}

DtlsChannel::Peer* DtlsChannel::newPeer(const PeerAddress& addr, bool server) {
  auto p = std::make_unique<Peer>();
  p->addr = addr;
  p->key = addr.key();
  p->host = hostKey(addr);
  p->createdUs = nowUs_;
  p->lastReceiveUs = nowUs_;
  p->inner = inner_.get();
  p->ssl = SSL_new(ctx_);
  BIO* bio = BIO_new(bioMethod());
  BIO_set_data(bio, p.get());
  SSL_set_bio(p->ssl, bio, bio);
  SSL_set_app_data(p->ssl, &p->key);
  DTLS_set_link_mtu(p->ssl, 1500);
  DTLS_set_timer_cb(
      p->ssl, [](SSL*, unsigned int previousUs) { return nextHandshakeTimeoutUs(previousUs); });
  if (server) {
    SSL_set_accept_state(p->ssl);
  } else {
    SSL_set_connect_state(p->ssl);
  }
  Peer* raw = p.get();
  ++peersPerHost_[p->host];
  peers_[p->key] = std::move(p);
  return raw;
}

void DtlsChannel::dropPeer(const std::string& key) {
  auto it = peers_.find(key);
  if (it == peers_.end())
    return;
  auto count = peersPerHost_.find(it->second->host);
  if (count != peersPerHost_.end() && --count->second == 0)
    peersPerHost_.erase(count);
  peers_.erase(it);
}

bool DtlsChannel::makeRoomFor(const std::string& host, const Peer* self) {
  const size_t fromHost = peersPerHost_.count(host) ? peersPerHost_[host] - (self ? 1 : 0) : 0;
  const size_t total = peers_.size() - (self ? 1 : 0);
  const bool hostFull = fromHost >= limits_.maxPeersPerAddress;
  if (!hostFull && total < limits_.maxPeers)
    return true;
  const Peer* oldest = nullptr;
  for (const auto& [key, p] : peers_) {
    if (p.get() == self || p->carriedData || (hostFull && p->host != host))
      continue;
    if (!oldest || p->createdUs < oldest->createdUs)
      oldest = p.get();
  }
  if (!oldest) {
    refuse("dtls-peer-limit");
    return false;  // every peer carries a session: the newcomer waits (its handshake retries)
  }
  refuse("dtls-unused-peer-evicted");
  ++evicted_;
  dropPeer(oldest->key);
  return true;
}

uint64_t DtlsChannel::expirePeers(uint64_t nowUs) {
  std::vector<std::string> expired;
  uint64_t next = UINT64_MAX;
  for (const auto& [key, p] : peers_) {
    // Stamped before the first service() call (no time known yet): their clock starts now.
    if (p->createdUs == 0)
      p->createdUs = nowUs;
    if (p->established && p->establishedUs == 0)
      p->establishedUs = nowUs;
    if (p->lastReceiveUs == 0)
      p->lastReceiveUs = nowUs;
    uint64_t deadline;
    if (!p->established)
      deadline = p->createdUs + limits_.handshakeTimeoutUs;
    else if (!p->carriedData)
      deadline = p->establishedUs + limits_.unusedTimeoutUs;
    else
      deadline = p->lastReceiveUs + limits_.idleTimeoutUs;
    if (nowUs >= deadline)
      expired.push_back(key);
    else
      next = std::min(next, deadline);
  }
  expired_ += expired.size();
  refuse("dtls-peer-expired", expired.size());
  for (const auto& key : expired)
    dropPeer(key);
  return next;
}

bool DtlsChannel::driveHandshake(Peer& p) {
  ERR_clear_error();
  const int r = SSL_do_handshake(p.ssl);
  if (r == 1) {
    p.established = true;
    p.establishedUs = nowUs_;
    for (auto& d : p.early)
      SSL_write(p.ssl, d.data(), static_cast<int>(d.size()));
    p.early.clear();
    return true;
  }
  const int err = SSL_get_error(p.ssl, r);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
    return true;
  lastError_ =
      "DTLS handshake with " + udp::formatPeer("dtls", p.addr) + " failed: " + opensslError();
  const long verify = SSL_get_verify_result(p.ssl);
  if (verify != X509_V_OK)
    lastError_ += " (" + std::string(X509_verify_cert_error_string(verify)) + ")";
  return false;
}

SendStatus DtlsChannel::sendTo(const PeerAddress& to, const uint8_t* data, size_t size) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = peers_.find(to.key());
  if (it == peers_.end() || !it->second->established)
    return SendStatus::kWouldBlock;
  Peer& p = *it->second;
  ERR_clear_error();
  const int n = SSL_write(p.ssl, data, static_cast<int>(size));
  if (n > 0)
    return p.lastSend == SendStatus::kTooBig ? SendStatus::kTooBig : SendStatus::kOk;
  if (p.lastSend == SendStatus::kTooBig)
    return SendStatus::kTooBig;
  ERR_clear_error();
  return SendStatus::kError;
}

ssize_t DtlsChannel::receiveFrom(uint8_t* buf, size_t capacity, PeerAddress& from) {
  std::vector<uint8_t> raw(65536);
  while (true) {
    const ssize_t n = inner_->receiveFrom(raw.data(), raw.size(), from);
    if (n < 0)
      return -1;
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = peers_.find(from.key());
    Peer* p = it == peers_.end() ? nullptr : it->second.get();
    if (!p) {
      if (!server_ || peers_.size() > limits_.maxPeers ||
          !looksLikeClientHello(raw.data(), static_cast<size_t>(n))) {
        if (server_)
          refuse(peers_.size() > limits_.maxPeers ? "dtls-peer-limit" : "dtls-not-a-client-hello");
        continue;  // garbage and strangers: no state
      }
      // Stateless until the cookie comes back: a throwaway SSL answers HelloVerifyRequest.
      p = newPeer(from, true);
      p->in = raw.data();
      p->inLen = static_cast<size_t>(n);
      BIO_ADDR* client = BIO_ADDR_new();
      ERR_clear_error();
      const int r = DTLSv1_listen(p->ssl, client);
      BIO_ADDR_free(client);
      // A valid cookie: the peer owns its address and gets state, if it can have room.
      if (r <= 0 || !makeRoomFor(p->host, p)) {
        dropPeer(from.key());
        continue;
      }
      if (!driveHandshake(*p))
        dropPeer(from.key());
      continue;
    }
    p->in = raw.data();
    p->inLen = static_cast<size_t>(n);
    p->lastReceiveUs = nowUs_;
    if (!p->established) {
      if (!driveHandshake(*p)) {
        refuse("dtls-handshake-failed");
        dropPeer(from.key());
        continue;
      }
      if (!p->established)
        continue;
    }
    ERR_clear_error();
    const int got = SSL_read(p->ssl, buf, static_cast<int>(capacity));
    p->in = nullptr;
    if (got > 0) {
      p->carriedData = true;
      return got;
    }
    const int err = SSL_get_error(p->ssl, got);
    if (err == SSL_ERROR_ZERO_RETURN || err == SSL_ERROR_SSL) {
      dropPeer(from.key());  // close_notify or a fatal alert
    }
    ERR_clear_error();
  }
}

uint64_t DtlsChannel::service(uint64_t nowUs) {
  std::lock_guard<std::mutex> lock(mutex_);
  nowUs_ = nowUs;
  // A client keeps its one peer: its connect timeout and the session's idle timeout rule it.
  uint64_t next = server_ ? expirePeers(nowUs) : UINT64_MAX;
  std::vector<std::string> failed;
  for (auto& [key, p] : peers_) {
    if (p->established)
      continue;
    if (DTLSv1_handle_timeout(p->ssl) < 0) {
      failed.push_back(key);
      continue;
    }
    if (!server_ && !driveHandshake(*p)) {
      failed.push_back(key);
      continue;
    }
    timeval tv{};
    if (DTLSv1_get_timeout(p->ssl, &tv)) {
      next = std::min(next, nowUs + static_cast<uint64_t>(tv.tv_sec) * 1000000 +
                                static_cast<uint64_t>(tv.tv_usec));
    }
  }
  for (auto& k : failed)
    dropPeer(k);
  return next;
}

size_t DtlsChannel::pathMtu(const PeerAddress& to) {
  const size_t m = inner_->pathMtu(to);
  return m > kRecordOverhead ? m - kRecordOverhead : 0;
}

std::string DtlsChannel::lastError() {
  std::lock_guard<std::mutex> lock(mutex_);
  return lastError_;
}

size_t DtlsChannel::peerCount() {
  std::lock_guard<std::mutex> lock(mutex_);
  return peers_.size();
}

uint64_t DtlsChannel::peersExpired() {
  std::lock_guard<std::mutex> lock(mutex_);
  return expired_;
}

uint64_t DtlsChannel::peersEvicted() {
  std::lock_guard<std::mutex> lock(mutex_);
  return evicted_;
}

}  // namespace rdk::dtls
