#include "rdk/session/packet_channel.h"

#include "rdk/kernel/plugin_objects.h"
#include "rdk/kernel/plugin_registry.h"

namespace rdk::session {

namespace {
// A peer that stops reading must not make us buffer without bound.
constexpr size_t kMaxPendingBytes = 64u << 20;
}  // namespace

PacketChannel::PacketChannel(const rdk_transport_vtbl* transport, LoopWakeup* wakeup)
    : transport_(transport), wakeup_(wakeup) {
  callbacks_.struct_size = sizeof(callbacks_);
  callbacks_.host_conn = this;
  callbacks_.on_data = &PacketChannel::onData;
  callbacks_.on_closed = &PacketChannel::onClosed;
  callbacks_.on_lost = &PacketChannel::onLost;
}

PacketChannel::~PacketChannel() {
  if (connection_) {
    transport_->close(connection_, "session ended");
    transport_->connection_destroy(connection_);
  }
}

std::unique_ptr<PacketChannel> PacketChannel::connect(const plugin::LoadedPlugin& plugin,
                                                      const std::string& url,
                                                      const std::string& optionsJson,
                                                      LoopWakeup* wakeup, std::string* error) {
  const rdk_transport_vtbl* vtbl = plugin.descriptor->transport;
  if (!vtbl) {
    if (error)
      *error = "plugin " + plugin.name + " is not a transport";
    return nullptr;
  }
  auto channel = std::make_unique<PacketChannel>(vtbl, wakeup);
  rdk_connection* connection = nullptr;
  const rdk_status status = vtbl->connect(plugin.state, url.c_str(), optionsJson.c_str(),
                                          channel->callbacks(), &connection);
  if (status != RDK_OK || !connection) {
    if (error)
      *error = "cannot connect to " + url + ": " + plugin::pluginFailure(status);
    return nullptr;
  }
  channel->attach(connection);
  return channel;
}

void PacketChannel::attach(rdk_connection* connection) {
  connection_ = connection;
}

void PacketChannel::onData(void* host, const uint8_t* data, size_t size, int /*endOfMessage*/) {
  auto* self = static_cast<PacketChannel*>(host);
  std::optional<protocol::ProtocolFailure> failure;
  {
    std::lock_guard<std::mutex> lock(self->readerMutex_);
    failure = self->reader_.feed(std::string_view(reinterpret_cast<const char*>(data), size),
                                 [self](protocol::Packet&& p) {
                                   self->packetsReceived_.fetch_add(1);
                                   ChannelEvent event;
                                   event.type = ChannelEvent::Type::Packet;
                                   event.packet = std::move(p);
                                   self->pushEvent(std::move(event));
                                 });
  }
  if (failure && !self->closeReported_.exchange(true)) {
    ChannelEvent event;
    event.type = ChannelEvent::Type::Closed;
    event.protocolFailure = true;
    event.reason = (failure->kind == protocol::ProtocolFailure::Kind::Gibberish ? "gibberish: "
                                                                                : "invalid: ") +
                   failure->message;
    // Input is over, but output is not: the session still sends a disconnect with the reason
    // before it closes (the reader refuses everything after its failure).
    self->pushEvent(std::move(event));
  }
}

void PacketChannel::onClosed(void* host, rdk_status /*why*/, const char* reason) {
  auto* self = static_cast<PacketChannel*>(host);
  self->closed_ = true;
  if (self->closeReported_.exchange(true))
    return;
  ChannelEvent event;
  event.type = ChannelEvent::Type::Closed;
  event.reason = std::string("connection-lost: ") + (reason ? reason : "closed");
  self->pushEvent(std::move(event));
}

void PacketChannel::onLost(void* host, uint64_t packetId, int superseded) {
  auto* self = static_cast<PacketChannel*>(host);
  ChannelEvent event;
  event.type = ChannelEvent::Type::Lost;
  event.packetId = packetId;
  event.superseded = superseded != 0;
  self->pushEvent(std::move(event));
}

void PacketChannel::pushEvent(ChannelEvent&& event) {
  {
    std::lock_guard<std::mutex> lock(eventsMutex_);
    events_.push_back(std::move(event));
  }
  if (wakeup_)
    wakeup_->notify();
}

std::vector<ChannelEvent> PacketChannel::takeEvents() {
  std::lock_guard<std::mutex> lock(eventsMutex_);
  std::vector<ChannelEvent> out;
  out.swap(events_);
  return out;
}

bool PacketChannel::sendBytes(const std::string& bytes, Delivery delivery, uint64_t supersedeKey,
                              uint64_t packetId) {
  rdk_bytes iov{reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
  rdk_send_info info{};
  info.struct_size = sizeof(info);
  info.delivery = delivery == Delivery::Reliable ? RDK_DELIVERY_RELIABLE : RDK_DELIVERY_DROPPABLE;
  info.supersede_key = supersedeKey;
  info.packet_id = packetId;
  const rdk_status status = transport_->send(connection_, &iov, 1, &info);
  if (status == RDK_OK)
    bytesSent_.fetch_add(bytes.size());
  return status == RDK_OK;
}

bool PacketChannel::send(const protocol::Packet& packet, Delivery delivery, uint64_t supersedeKey,
                         uint64_t* packetIdOut) {
  const uint64_t packetId = nextPacketId_.fetch_add(1);
  if (packetIdOut)
    *packetIdOut = packetId;
  return sendWithId(packet, delivery, supersedeKey, packetId);
}

bool PacketChannel::sendWithId(const protocol::Packet& packet, Delivery delivery,
                               uint64_t supersedeKey, uint64_t packetId) {
  if (closed_ || !connection_)
    return false;
  std::lock_guard<std::mutex> lock(writerMutex_);
  std::string bytes = writer_.write(packet);
  if (delivery == Delivery::Reliable)
    return sendReliableLocked(std::move(bytes), packetId);
  if (sendBytes(bytes, delivery, supersedeKey, packetId))
    return true;
  ChannelEvent event;
  event.type = ChannelEvent::Type::Lost;
  event.packetId = packetId;
  pushEvent(std::move(event));
  return false;
}

bool PacketChannel::sendReliableLocked(std::string&& bytes, uint64_t packetId) {
  // Reliable packets keep their order: once one waits, the ones behind it wait too.
  if (pendingReliable_.empty() && sendBytes(bytes, Delivery::Reliable, 0, packetId))
    return true;
  pendingBytes_ += bytes.size();
  pendingReliable_.push_back(std::move(bytes));
  if (pendingBytes_ > kMaxPendingBytes) {
    transport_->close(connection_, "send buffer overflow: the peer does not read");
  }
  return true;
}

bool PacketChannel::sendCompressed(const protocol::Packet& packet) {
  if (closed_ || !connection_)
    return false;
  const uint64_t packetId = nextPacketId_.fetch_add(1);
  std::lock_guard<std::mutex> lock(writerMutex_);
  return sendReliableLocked(writer_.write(packet, true), packetId);
}

void PacketChannel::flushPending() {
  std::lock_guard<std::mutex> lock(writerMutex_);
  while (!pendingReliable_.empty() && !closed_) {
    if (!sendBytes(pendingReliable_.front(), Delivery::Reliable, 0, nextPacketId_.fetch_add(1))) {
      break;
    }
    pendingBytes_ -= pendingReliable_.front().size();
    pendingReliable_.pop_front();
  }
}

void PacketChannel::close(const std::string& reason) {
  if (connection_ && !closed_.exchange(true))
    transport_->close(connection_, reason.c_str());
}

std::string PacketChannel::peer() const {
  if (!connection_ || !transport_->peer_address)
    return "";
  char buffer[256] = {0};
  if (transport_->peer_address(connection_, buffer, sizeof(buffer)) != RDK_OK)
    return "";
  return buffer;
}

rdk_transport_stats PacketChannel::stats() const {
  rdk_transport_stats stats{};
  stats.struct_size = sizeof(stats);
  if (connection_ && transport_->get_stats)
    transport_->get_stats(connection_, &stats);
  return stats;
}

void PacketChannel::setWriterFormat(protocol::PacketEncoding encoding,
                                    protocol::Compression compression, int level) {
  std::lock_guard<std::mutex> lock(writerMutex_);
  writer_.setEncoding(encoding);
  writer_.setCompression(compression, level);
}

void PacketChannel::setPeerAliases(std::map<int64_t, std::string> aliases) {
  std::lock_guard<std::mutex> lock(readerMutex_);
  reader_.setAliases(std::move(aliases));
}

void PacketChannel::setMaxPacketSize(size_t bytes) {
  std::lock_guard<std::mutex> lock(readerMutex_);
  reader_.setMaxPacketSize(bytes);
}

void PacketChannel::setReaderLimits(size_t maxPacketBytes, size_t maxDecompressedBytes) {
  std::lock_guard<std::mutex> lock(readerMutex_);
  reader_.setMaxPacketSize(maxPacketBytes);
  reader_.setMaxDecompressedSize(maxDecompressedBytes);
}

}  // namespace rdk::session
