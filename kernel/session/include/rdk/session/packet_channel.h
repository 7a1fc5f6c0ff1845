// One connection carrying Xpra packets: a transport plugin's connection below, the record layer
// (rdk_protocol) above. Transport threads feed the reader and queue events; the owning session
// loop takes them with takeEvents(). Sending is thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rdk/plugin_abi.h"
#include "rdk/protocol/message.h"
#include "rdk/protocol/record_reader.h"
#include "rdk/protocol/record_writer.h"
#include "rdk/protocol/value.h"
#include "rdk/session/loop_wakeup.h"

namespace rdk::plugin {
struct LoadedPlugin;
}

namespace rdk::session {

enum class Delivery { Reliable, Droppable };

struct ChannelEvent {
  enum class Type { Packet, Lost, Closed };
  Type type = Type::Packet;
  protocol::Packet packet;       // Packet
  uint64_t packetId = 0;         // Lost
  bool superseded = false;       // Lost
  std::string reason;            // Closed
  bool protocolFailure = false;  // Closed: the peer sent something we could not parse
};

class PacketChannel {
 public:
  PacketChannel(const rdk_transport_vtbl* transport, LoopWakeup* wakeup);
  ~PacketChannel();
  PacketChannel(const PacketChannel&) = delete;
  PacketChannel& operator=(const PacketChannel&) = delete;

  /// Connects to |url| with |plugin|; nullptr and |error| when it cannot.
  static std::unique_ptr<PacketChannel> connect(const plugin::LoadedPlugin& plugin,
                                                const std::string& url,
                                                const std::string& optionsJson, LoopWakeup* wakeup,
                                                std::string* error);

  /// The callbacks to hand to the transport (stable address).
  const rdk_connection_callbacks* callbacks() const { return &callbacks_; }
  /// For accepted connections: the plugin's connection object.
  void attach(rdk_connection* connection);

  /// Thread-safe. Reliable packets that meet a full send buffer wait in order and go out from
  /// flushPending(); a droppable one is dropped and reported as lost instead.
  bool send(const protocol::Packet& packet, Delivery delivery = Delivery::Reliable,
            uint64_t supersedeKey = 0, uint64_t* packetIdOut = nullptr);
  /// The same for a typed message (rdk/protocol/messages): sends message.toPacket().
  template <protocol::Message M>
  bool send(const M& message, Delivery delivery = Delivery::Reliable, uint64_t supersedeKey = 0,
            uint64_t* packetIdOut = nullptr) {
    return send(message.toPacket(), delivery, supersedeKey, packetIdOut);
  }
  /// A packet id for a send made later, maybe from another thread (sendWithId): the loop can
  /// book the packet (for on_lost) before an encode worker sends it.
  uint64_t reservePacketId() { return nextPacketId_.fetch_add(1); }
  /// send() with an id from reservePacketId(). Thread-safe.
  bool sendWithId(const protocol::Packet& packet, Delivery delivery, uint64_t supersedeKey,
                  uint64_t packetId);
  /// A reliable packet whose large bytes fields go as compressed raw chunks (clipboard
  /// contents), with the record compressor negotiated with the peer (none: uncompressed).
  bool sendCompressed(const protocol::Packet& packet);
  /// Retries reliable packets held back by a full send buffer. Loop thread.
  void flushPending();
  /// Starts an orderly close; a Closed event follows.
  void close(const std::string& reason);

  std::vector<ChannelEvent> takeEvents();
  bool closed() const { return closed_.load(); }
  std::string peer() const;
  rdk_transport_stats stats() const;
  uint64_t bytesSent() const { return bytesSent_.load(); }
  uint64_t packetsReceived() const { return packetsReceived_.load(); }

  void setWriterFormat(protocol::PacketEncoding encoding, protocol::Compression compression,
                       int level);
  void setPeerAliases(std::map<int64_t, std::string> aliases);
  void setMaxPacketSize(size_t bytes);
  /// Record size and decompressed size limits (smaller before authentication).
  void setReaderLimits(size_t maxPacketBytes, size_t maxDecompressedBytes);

 private:
  static void onData(void* host, const uint8_t* data, size_t size, int endOfMessage);
  static void onClosed(void* host, rdk_status why, const char* reason);
  static void onLost(void* host, uint64_t packetId, int superseded);
  void pushEvent(ChannelEvent&& event);
  bool sendBytes(const std::string& bytes, Delivery delivery, uint64_t supersedeKey,
                 uint64_t packetId);
  bool sendReliableLocked(std::string&& bytes, uint64_t packetId);

  const rdk_transport_vtbl* transport_;
  LoopWakeup* wakeup_;
  rdk_connection* connection_ = nullptr;
  rdk_connection_callbacks callbacks_{};

  std::mutex readerMutex_;
  protocol::RecordReader reader_;

  std::mutex writerMutex_;
  protocol::RecordWriter writer_;
  std::deque<std::string> pendingReliable_;
  size_t pendingBytes_ = 0;

  mutable std::mutex eventsMutex_;
  std::vector<ChannelEvent> events_;

  std::atomic<bool> closed_{false};
  std::atomic<bool> closeReported_{false};
  std::atomic<uint64_t> nextPacketId_{1};
  std::atomic<uint64_t> bytesSent_{0};
  std::atomic<uint64_t> packetsReceived_{0};
};

}  // namespace rdk::session
