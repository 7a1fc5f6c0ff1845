// The capability dictionaries rdkernel sends: the server's hello (what a stock Xpra 3.1.3 client
// needs to run a session), the client's hello, and the small one-shot replies.
#pragma once

#include <string>
#include <vector>

#include "rdk/protocol/value.h"

namespace rdk::session {

/// The Xpra protocol level we speak. Xpra clients refuse a "version" below 0.14.10, so our own
/// version travels as rdkernel.version.
inline constexpr const char* kXpraProtocolVersion = "3.1.3";
const char* rdkernelVersion();

struct ServerHelloInputs {
  std::string uuid;
  std::vector<std::string> encodings;  // negotiated, server preference order
  int desktopWidth = 0;
  int desktopHeight = 0;
  std::string platform;
  uint64_t startTimeUs = 0;
  std::string compressor;  // "lz4", "zlib" or "none"
  int compressionLevel = 0;
  bool rencode = true;
  std::vector<std::string> soundEncoders;  // what the server streams; empty: no sound
};

protocol::Value serverHello(const ServerHelloInputs& in);

struct ClientHelloInputs {
  std::vector<std::string> encodings;  // what our decoder plugins handle
  std::string encoding = "auto";       // the one we ask for; "auto" lets the server choose
  // Per video encoding, the pixel layouts our decoder takes ("YUV420P"...): without them an Xpra
  // server never starts a video encoder for us.
  std::vector<std::pair<std::string, std::vector<std::string>>> videoCscModes;
  int desktopWidth = 1920;
  int desktopHeight = 1080;
  std::vector<std::string> digests;  // challenge digests our auth plugins can answer
  std::string username;
  bool challenge = false;
  bool scrolling = true;  // paints `scroll` draws
};

protocol::Value clientHello(const ClientHelloInputs& in);

/// Whether a client asking for |encoding| says it paints `scroll` draws (hello and map-window):
/// with "auto", and with a named picture encoding (a scroll moves pictures the client already
/// shows; the rows it uncovers come in the encoding asked for), but not with a named video
/// encoding: a stock 3.1.3 server then sends scroll draws and pictures instead of the video asked
/// for (a spinning ico went as scroll + webp, no h264). |videoEncodings|: what our decoders'
/// features call video.
bool announcesScrolling(const std::string& encoding,
                        const std::vector<std::string>& videoEncodings);

/// Common network keys both sides send (packet encoders, compressors).
void addNetworkCaps(protocol::Value& caps);

/// "12345" -> ["1","2"...]: helper for comma-separated offers.
std::vector<std::string> splitList(const std::string& text);
std::string joinList(const std::vector<std::string>& items, const std::string& separator = ",");

}  // namespace rdk::session
