// One end of Xpra 3.1.3's clipboard protocol, without X or sockets: tokens (who owns a
// selection), requests and contents between the LocalClipboard and the peer, with
// clipboard.direction and clipboard.max-size applied, request timeouts and a loop guard.
//
// Flow, as Xpra's X11 helper does it: a local application takes a selection -> onLocalOwnerChanged
// -> clipboard-token to the peer, which owns the selection on its side. An application there
// pastes -> the peer sends clipboard-request -> LocalClipboard::convert -> onLocalContents ->
// clipboard-contents (or -none). The other way round: the peer's token -> LocalClipboard::claim;
// a local paste -> onLocalRequest -> clipboard-request -> the peer's contents ->
// LocalClipboard::reply. One thread (the caller's); no call blocks.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "rdk/clipboard/clipboard_settings.h"
#include "rdk/clipboard/local_clipboard.h"
#include "rdk/clipboard/loop_guard.h"
#include "rdk/protocol/value.h"

namespace rdk::protocol {
struct ClipboardToken;
}

namespace rdk::clipboard {

struct ClipboardStats {
  uint64_t tokensSent = 0, tokensReceived = 0;
  uint64_t requestsSent = 0, requestsReceived = 0;
  uint64_t contentsSent = 0, contentsReceived = 0;
  uint64_t bytesSent = 0, bytesReceived = 0;
  uint64_t refusedOversize = 0, refusedDirection = 0, timeouts = 0;
};

class ClipboardCore {
 public:
  // |compress|: the packet carries contents large enough to be worth compressing.
  using Send = std::function<void(const protocol::Packet& packet, bool compress)>;
  using Log = std::function<void(const std::string& line)>;
  // Requests waiting each way at most; more are answered with no data at once.
  static constexpr size_t kMaxPending = 256;

  ClipboardCore(Settings settings, LocalClipboard& local, Send send, Log log);

  const Settings& settings() const { return settings_; }
  const ClipboardStats& stats() const { return stats_; }
  // The selections both ends synchronise (ours, narrowed by the peer's hello or its
  // clipboard-enable-selections).
  void setPeerSelections(const std::vector<std::string>& selections);
  bool selectionEnabled(const std::string& selection) const;
  // The peer's direction (a client learns the server's from its hello): ours narrows to both.
  void setPeerDirection(Direction peer);
  // The peer understands the trailing 'truncated' field of clipboard-contents.
  void setPeerSliceFix(bool on) { peerSliceFix_ = on; }
  // The peer wants clipboard-pending-requests (3.1.3 clients: clipboard.notifications).
  void setPeerNotifications(bool on) { peerNotifications_ = on; }

  // Local side.
  void onLocalOwnerChanged(const std::string& selection, uint64_t nowUs);
  void onLocalRequest(uint32_t localId, const std::string& selection, const std::string& target,
                      uint64_t nowUs);
  void onLocalContents(uint32_t convertId, const std::optional<ClipboardData>& data);

  // Peer side: true when |packet| was a clipboard packet (handled or refused). Throws
  // protocol::ProtocolError for a malformed one.
  bool handle(const protocol::Packet& packet, uint64_t nowUs);
  static bool isClipboardPacket(const protocol::Packet& packet);

  // Expires requests the other end never answered.
  void tick(uint64_t nowUs);
  // The peer went away: answer every local request with no data, forget tokens and the loop.
  void reset();

  // Info dictionary (rdkernel info / xpra info's "clipboard").
  protocol::Value info() const;

 private:
  struct RemoteRequest {  // we asked the peer, for a local application
    uint32_t localId;
    std::string selection, target;
    uint64_t deadlineUs;
  };
  struct LocalConvert {  // the peer asked, we asked the local owner
    int64_t peerRequestId;
    std::string selection, target;
    uint64_t deadlineUs;
  };
  void onToken(const protocol::ClipboardToken& token, uint64_t nowUs);
  void sendNone(int64_t requestId, const std::string& selection);
  void sendPending();
  void logOnce(const std::string& key, const std::string& line);
  const char* peerName() const;

  Settings settings_;
  LocalClipboard& local_;
  Send send_;
  Log log_;
  std::set<std::string> enabled_;
  std::set<std::string> peerOwns_;  // selections we claimed for the peer
  std::map<std::string, std::map<std::string, ClipboardData>> tokenData_;  // greedy peers
  std::map<int64_t, RemoteRequest> remoteRequests_;
  std::map<uint32_t, LocalConvert> localConverts_;
  int64_t nextRequestId_ = 0;
  uint32_t nextConvertId_ = 1;
  size_t pendingSent_ = 0;
  bool peerSliceFix_ = false;
  bool peerNotifications_ = false;
  LoopGuard loopGuard_;
  std::set<std::string> logged_;
  ClipboardStats stats_;
};

}  // namespace rdk::clipboard
