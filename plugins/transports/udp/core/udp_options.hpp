// Settings of the UDP transport, from the kernel's options_json and the environment.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "congestion_controller.hpp"
#include "impairment.hpp"

namespace rdk::udp {

struct UdpOptions {
  size_t mtu = 1200;  // starting datagram payload size (UDP payload incl. our header)
  size_t minMtu = 576;
  size_t maxMtu = 1472;  // probing stops here (Ethernet path); raise for loopback/jumbo
  bool probeMtu = true;
  size_t sendBufferBytes = 32u << 20;     // queued + unacknowledged payload; AGAIN beyond it
  size_t receiveBufferBytes = 64u << 20;  // out-of-order reliable + partial droppable data
  // Until a server connection is trusted (its first message was delivered and the kernel answered
  // as it answers an authenticated peer; see Session::trusted()), it may hold this much in
  // reassembly, one message at a time: its first messages (the hello, ~1-30 kB) must fit.
  size_t receiveBufferUntrustedBytes = 256u << 10;
  // Shared by every connection of one endpoint (a listener and its clients), and the part of it
  // connections not trusted yet may hold together.
  size_t receiveBufferTotalBytes = 256u << 20;
  size_t receiveBufferUntrustedTotalBytes = 64u << 20;
  uint64_t idleTimeoutUs = 60000000;  // "peer stopped answering for N s"
  uint64_t maxAckDelayUs = 20000;
  uint32_t ackEveryPackets = 32;
  uint64_t maxPtoUs = 1000000;       // cap of the retransmission timeout back-off
  uint64_t droppableDeadlineUs = 0;  // 0 = auto: 4 srtt + 100 ms, at most 1 s
  uint64_t connectTimeoutUs = 10000000;
  bool allowRoaming = false;  // plain UDP: bound to its address (issue 7 item 4)
  int fecGroup = 0;  // droppable fragments per parity: 0 = by measured loss, -1 = never, N = fixed
  // Reed-Solomon parities per group: 0 = from the measured loss, N = fixed, -1 = XOR parity only
  // (neither announced nor sent: behaves as a version-1 peer).
  int fecParity = 0;
  uint64_t fecRepairRttUs = 10000;  // below this srtt a repair round trip is cheap: less parity
  double fecMaxParityShare = 0;  // parities at most this share of a group's fragments, 0 = no cap
  // Small reliable messages are sent twice, the copy spaced past a loss burst (SpacedCopies).
  bool smallMessageCopies = true;
  // A PING shortly after a burst of resends or a large screen update's last datagram (TailProbe).
  bool tailProbes = true;
  // Reliable messages of <= 256 B ride in datagrams going out anyway until acknowledged
  // (RideAlong): at once where loss was measured, else once overdue.
  bool smallMessageRides = true;
  // Batched socket I/O (sendmmsg/recvmmsg) and UDP segmentation offloads, each used when the
  // kernel offers it (see SocketChannel).
  bool batchIo = true;
  bool gso = true;
  bool gro = true;
  ControllerConfig controller;
  ImpairmentConfig sendImpairment;
  ImpairmentConfig receiveImpairment;
  uint64_t impairmentSeed = 0;  // 0 = random
};

/// Unknown keys are ignored; a malformed document or value throws std::invalid_argument.
/// RDK_UDP_DROP_PCT (receive-side random loss, after Xpra's XPRA_UDP_DROP_PCT) applies when the
/// options ask for no receive-side loss (drop_pct absent or 0).
UdpOptions parseUdpOptions(const std::string& json);

}  // namespace rdk::udp
